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


def _log(method, message: str) -> None:
    # Outside a Fivetran runner (notebooks, the benchmark) the SDK's level is unset and its logger would raise.
    if Logging.LOG_LEVEL is None:
        Logging.LOG_LEVEL = Logging.Level.INFO
    method(redact(message))


def info(message: str) -> None:
    _log(Logging.info, message)


def fine(message: str) -> None:
    _log(Logging.fine, message)


def warning(message: str) -> None:
    _log(Logging.warning, message)


def severe(message: str) -> None:
    _log(Logging.severe, message)
