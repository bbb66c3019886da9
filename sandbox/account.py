"""An account on disk and in memory.

In memory an account is one JSON-able dict:

    {"user": {...},                       # GET /users/me
     "workspaces": [{id, name, accessLevel, permalink}],
     "folders": [{id, name, permalink, "container": {"type": "workspace"|"folder", "id": N}}],
     "reports": [{id, name, accessLevel, permalink, createdAt, modifiedAt, "container": {...},
                  "sourceSheetIds": [...], "columns": [{virtualId, title, type}]}],
     "locations": {"<sheet id>": {"type": "workspace"|"folder", "id": N}},
     "sheets": [<GET /sheets/{id}?level=2&include=objectValue,writerInfo,discussions,attachments,summary response>]}

On disk (`--data DIR`) the sheets are one file each, so a response saved from the real API can be dropped in as is:

    DIR/account.json        everything above except "sheets" (optional: a directory of sheets alone is served too)
    DIR/sheets/*.json       one sheet response per file
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_USER = {
    "id": 4503599627370500,
    "email": "sandbox.user@example.com",
    "firstName": "Sandbox",
    "lastName": "User",
    "locale": "en_US",
    "timeZone": "UTC",
    "account": {"id": 4503599627370501, "name": "Sandbox Account"},
    "admin": False,
    "licensedSheetCreator": True,
}


def empty_account() -> dict:
    return {"user": dict(DEFAULT_USER), "workspaces": [], "folders": [], "reports": [], "locations": {}, "sheets": []}


def load_account(directory: str | Path) -> dict:
    """Reads DIR/account.json (if present) and every DIR/sheets/*.json into an account dict."""
    directory = Path(directory)
    account = empty_account()
    meta = directory / "account.json"
    if meta.exists():
        account.update(json.loads(meta.read_text(encoding="utf-8")))
    account["sheets"] = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted((directory / "sheets").glob("*.json"))
    ]
    return account


def save_account(account: dict, directory: str | Path) -> None:
    """Writes an account in the layout `load_account` reads."""
    directory = Path(directory)
    (directory / "sheets").mkdir(parents=True, exist_ok=True)
    meta = {key: value for key, value in account.items() if key != "sheets"}
    (directory / "account.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    for sheet in account["sheets"]:
        path = directory / "sheets" / f"{sheet['id']}.json"
        path.write_text(json.dumps(sheet, ensure_ascii=False), encoding="utf-8")
