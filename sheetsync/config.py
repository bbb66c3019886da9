"""Reads `configuration.json` into typed `Settings`, refusing bad values before any data moves.

Every value in a Fivetran configuration is a string. Each problem is reported as a `ConfigurationError` that names the
setting and what is wrong with it, and never repeats the value of a secret.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REGIONS: dict[str, str] = {
    "us": "https://api.smartsheet.com/2.0",
    "eu": "https://api.smartsheet.eu/2.0",
    "au": "https://api.smartsheet.au/2.0",
    "gov": "https://api.smartsheetgov.com/2.0",
}
TOKEN_ENV = "SMARTSHEET_ACCESS_TOKEN"
POLICIES = ("warn", "quarantine", "fail")
# The optional tables and the setting that turns each off (all default on).
TOGGLES = {
    "sync_reports": "reports",
    "sync_summary_fields": "sheet_summary_fields",
    "sync_attachments": "attachments",
    "sync_discussions": "discussions and comments",
    "sync_workspaces": "workspaces and folders",
}


class ConfigurationError(ValueError):
    """A setting is missing or invalid; the message names it."""

    def __init__(self, setting: str, problem: str):
        super().__init__(f"configuration setting '{setting}': {problem}")
        self.setting = setting


class Secret(str):
    """A string that never shows itself in a repr, a log line or a traceback's locals."""

    def __repr__(self) -> str:
        return "Secret('***')"


@dataclass(frozen=True)
class Settings:
    token: Secret = field(repr=False)
    base_url: str
    sheet_ids: tuple[int, ...] = ()
    exclude_sheet_ids: frozenset[int] = frozenset()
    workspace_ids: tuple[int, ...] = ()
    sync_reports: bool = True
    sync_summary_fields: bool = True
    sync_attachments: bool = True
    sync_discussions: bool = True
    sync_workspaces: bool = True
    violation_policy: str = "warn"
    full_verification_hours: float = 24.0
    max_workers: int = 8
    requests_per_minute: int = 300
    request_timeout_seconds: float = 60.0
    max_retries: int = 6
    retry_backoff_seconds: float = 1.0

    @property
    def fingerprint(self) -> tuple:
        """What identifies this configuration's plan in-process (the token excluded)."""
        return (self.base_url, self.sheet_ids, self.exclude_sheet_ids, self.workspace_ids, self.sync_reports)


def load_settings(configuration: Mapping[str, object], environ: Mapping[str, str] | None = None) -> Settings:
    """Validates `configuration` (plus the token from the environment when running locally)."""
    environ = os.environ if environ is None else environ
    conf = {key: "" if value is None else str(value).strip() for key, value in (configuration or {}).items()}

    token = conf.get("smartsheet_api_token") or environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ConfigurationError("smartsheet_api_token", f"is required (or set the environment variable {TOKEN_ENV})")
    if any(c.isspace() for c in token):
        raise ConfigurationError("smartsheet_api_token", "contains white space; paste the token alone")

    try:
        return _settings(conf, token)
    except ConfigurationError as error:  # a token pasted into the wrong setting is not echoed back either
        if token in str(error) or token in conf.get(error.setting, ""):
            raise ConfigurationError(error.setting, "has an invalid value (it looks like the API token)") from None
        raise


def _settings(conf: dict[str, str], token: str) -> Settings:
    base_url = _base_url(conf)
    sheet_ids = _ids(conf, "sheet_ids")
    if not sheet_ids and conf.get("smartsheet_sheet_id"):
        sheet_ids = _ids(conf, "smartsheet_sheet_id")
    policy = conf.get("violation_policy", "") or "warn"
    if policy not in POLICIES:
        raise ConfigurationError("violation_policy", f"must be one of {', '.join(POLICIES)}, not '{policy}'")
    return Settings(
        token=Secret(token),
        base_url=base_url,
        sheet_ids=sheet_ids,
        exclude_sheet_ids=frozenset(_ids(conf, "exclude_sheet_ids")),
        workspace_ids=_ids(conf, "workspace_ids"),
        violation_policy=policy,
        full_verification_hours=_number(conf, "full_verification_hours", 24.0, minimum=0.0),
        max_workers=int(_number(conf, "max_workers", 8, minimum=1, maximum=16, whole=True)),
        requests_per_minute=int(_number(conf, "requests_per_minute", 300, minimum=1, maximum=300, whole=True)),
        request_timeout_seconds=_number(conf, "request_timeout_seconds", 60.0, minimum=0.1),
        max_retries=int(_number(conf, "max_retries", 6, minimum=0, maximum=20, whole=True)),
        retry_backoff_seconds=_number(conf, "retry_backoff_seconds", 1.0, minimum=0.0),
        **{name: _toggle(conf, name) for name in TOGGLES},
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _base_url(conf: dict[str, str]) -> str:
    region = (conf.get("region") or "us").lower()
    explicit = conf.get("base_url", "")
    if not explicit:
        if region not in REGIONS:
            raise ConfigurationError("region", f"must be one of {', '.join(REGIONS)}, not '{region}'")
        return REGIONS[region]
    parts = urlsplit(explicit)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError("base_url", "must be an http(s) URL such as https://api.smartsheet.com/2.0")
    if parts.username or parts.password:
        raise ConfigurationError("base_url", "must not carry credentials; use smartsheet_api_token")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            "base_url", f"uses plain http:// to {parts.hostname}; the token is sent only over https (or to loopback)"
        )
    return explicit.rstrip("/")


def _ids(conf: dict[str, str], name: str) -> tuple[int, ...]:
    text = conf.get(name, "")
    ids = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ConfigurationError(name, f"must be comma-separated numeric ids; '{part[:40]}' is not one")
        ids.append(int(part))
    return tuple(dict.fromkeys(ids))


def _toggle(conf: dict[str, str], name: str) -> bool:
    text = (conf.get(name) or "true").lower()
    if text not in ("true", "false"):
        raise ConfigurationError(name, f"must be 'true' or 'false', not '{text[:20]}'")
    return text == "true"


def _number(
    conf: dict[str, str],
    name: str,
    default: float,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
) -> float:
    text = conf.get(name, "")
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ConfigurationError(name, f"must be a {'whole ' if whole else ''}number, not '{text[:20]}'") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigurationError(name, f"must be between {minimum} and {maximum}, not {value}")
    return value
