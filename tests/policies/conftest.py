"""Policies end to end: the sandbox, the SDK runner and per-test declaration/contract folders.

`SHEETSYNC_DECLARATIONS_DIR` / `SHEETSYNC_CONTRACTS_DIR` (read by `sheetsync.pipeline.load_declared`) point the sync
at this test's own files, so the shipped ones under transforms/sheets and schemas/sheets do not apply here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sheetsync import pipeline
from sheetsync.state import SyncState
from tests.e2e.harness import Warehouse, run_sync, saved_state

OFF = ("sync_reports", "sync_summary_fields", "sync_attachments", "sync_discussions", "sync_workspaces")


@dataclass
class Project:
    """One connector project: its folder, its declaration files and the sandbox it syncs."""

    path: Path
    sandbox: object

    def declare(self, sheet_id: int, text: str) -> None:
        (self.path / "declarations" / f"{sheet_id}.toml").write_text(f"[sheet]\nid = {sheet_id}\n{text}")

    def contract(self, sheet_id: int, text: str) -> None:
        (self.path / "contracts" / f"{sheet_id}.toml").write_text(f"[sheet]\nid = {sheet_id}\n{text}")

    def configuration(self, *sheet_ids: int, **extra: str) -> dict:
        conf = {"smartsheet_api_token": self.sandbox.token, "base_url": self.sandbox.url, "retry_backoff_seconds": "0"}
        return {**conf, "sheet_ids": ",".join(map(str, sheet_ids)), **dict.fromkeys(OFF, "false"), **extra}

    def sync(self, *sheet_ids: int, **extra: str) -> dict:
        return run_sync(self.path, self.configuration(*sheet_ids, **extra))

    @property
    def warehouse(self) -> Warehouse:
        return Warehouse(self.path)

    def synced_rows(self, sheet_id: int) -> set[int]:
        """The row ids the checkpointed state records as sent for a sheet."""
        sheet = SyncState.from_json(saved_state(self.path)).sheets.get(sheet_id)
        return set(sheet.rows.frame()["row_id"].to_list()) if sheet else set()


@pytest.fixture
def project(sandbox, tmp_path, monkeypatch) -> Project:
    for folder in ("declarations", "contracts"):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv(pipeline.DECLARATIONS_ENV, str(tmp_path / "declarations"))
    monkeypatch.setenv(pipeline.CONTRACTS_ENV, str(tmp_path / "contracts"))
    return Project(tmp_path, sandbox)
