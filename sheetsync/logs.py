"""Sync logging through the SDK's logger (so lines reach the Fivetran dashboard), with every known secret masked.

Secrets are registered once (`register_secret`) and masked in every line, so even a message that accidentally carries
a token (an exception text, a URL) cannot leak it.
"""

from __future__ import annotations

import threading

from fivetran_connector_sdk import Logging

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(str(value))


def redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def info(message: str) -> None:
    Logging.info(redact(message))


def fine(message: str) -> None:
    Logging.fine(redact(message))


def warning(message: str) -> None:
    Logging.warning(redact(message))


def severe(message: str) -> None:
    Logging.severe(redact(message))
