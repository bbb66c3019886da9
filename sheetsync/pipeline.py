"""The pure middle of a sync for one sheet, as the orchestration uses it: frame → transforms → contracts → hashes.

Everything here takes and returns data (JSON dicts, Polars frames); no HTTP, no SDK operations. The per-sheet
declaration and contract files are loaded once per sync (`Declared`) and bound to sheets by id (name as a fallback).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from schemas.contracts import Contract, ContractError, Validation, Violation, load_contracts
from schemas.contracts import validate as validate_contract
from sheetsync.diff import Diff, column_fingerprint, row_hashes
from sheetsync.diff import diff as diff_hashes
from sheetsync.frame import sheet_frame
from sheetsync.state import RowHashes
from transforms.declarations import Declaration, DeclarationError, load_declarations
from transforms.files import for_sheet
from transforms.naming import table_names as name_tables
from transforms.sheet import SheetTable, transform_sheet

ROOT = Path(__file__).resolve().parents[1]
DECLARATIONS_DIR = ROOT / "transforms" / "sheets"
CONTRACTS_DIR = ROOT / "schemas" / "sheets"
# Point the per-sheet files elsewhere (tests, a team keeping them outside the repository): these environment
# variables, when set, replace DECLARATIONS_DIR / CONTRACTS_DIR.
DECLARATIONS_ENV = "SHEETSYNC_DECLARATIONS_DIR"
CONTRACTS_ENV = "SHEETSYNC_CONTRACTS_DIR"
DESCRIBED_VIOLATIONS = 5


@dataclass(frozen=True)
class Declared:
    """The per-sheet declaration and contract files, and the files that could not be read."""

    declarations: list[Declaration] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def for_sheet(self, sheet_id: int, name: str) -> tuple[Declaration | None, Contract | None]:
        ref = {"id": sheet_id, "name": name}
        return for_sheet(ref, self.declarations), for_sheet(ref, self.contracts)

    def pinned_tables(self) -> dict[int, str]:
        return {d.sheet_id: d.table for d in self.declarations if d.sheet_id is not None and d.table}

    def broken_file(self, sheet_id: int, name: str) -> str | None:
        """The error of an unreadable file that names this sheet (by id or name), if any."""
        return next((e for e in self.errors if str(sheet_id) in e or f"'{name}'" in e), None)


def load_declared(declarations_dir: Path | None = None, contracts_dir: Path | None = None) -> Declared:
    """Every declaration and contract file: from the given folders, else $SHEETSYNC_DECLARATIONS_DIR /
    $SHEETSYNC_CONTRACTS_DIR, else transforms/sheets and schemas/sheets."""
    declarations_dir = declarations_dir or Path(os.environ.get(DECLARATIONS_ENV) or DECLARATIONS_DIR)
    contracts_dir = contracts_dir or Path(os.environ.get(CONTRACTS_ENV) or CONTRACTS_DIR)
    declarations, declaration_errors = load_declarations(declarations_dir)
    contracts, contract_errors = load_contracts(contracts_dir)
    errors = [str(e) for e in declaration_errors] + [str(e) for e in contract_errors]
    missing = missing_folders(declarations_dir, contracts_dir)
    errors += [f"{folder} is not a folder (check {env})" for folder, env in missing]
    return Declared(declarations, contracts, errors)


def missing_folders(declarations_dir: Path, contracts_dir: Path) -> list[tuple[Path, str]]:
    """Folders that do not exist: a mistyped setting must not pass silently as "no declarations"."""
    pairs = [(declarations_dir, DECLARATIONS_ENV), (contracts_dir, CONTRACTS_ENV)]
    return [(folder, env) for folder, env in pairs if not folder.is_dir()]


@dataclass(frozen=True)
class PlannedTable:
    """A sheet (or report) transformed and ready to diff: its table, the sheet facts the `sheets` table records,
    its contract, and a fingerprint of everything that decides the table's content besides the sheet version."""

    table: SheetTable
    sheet_name: str
    version: int | None
    contract: Contract | None
    fingerprint: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def sheet_id(self) -> int:
        return self.table.sheet_id

    @property
    def name(self) -> str:
        return self.table.table

    @property
    def frame(self) -> pl.DataFrame:
        return self.table.frame

    @property
    def column_ids(self) -> tuple[int, ...]:
        return tuple(int(c["column_id"]) for c in self.table.column_metadata)

    def declaration(self) -> dict[str, Any]:
        return self.table.schema_entry()

    def column_rows(self) -> list[dict[str, Any]]:
        """Rows of the `columns` table: each sheet column with its destination name and type."""
        types = self.table.columns
        return [
            {
                **meta,
                "sheet_id": self.sheet_id,
                "destination_type": _type_text(types.get(meta["column_name"])) if meta["column_name"] else None,
            }
            for meta in self.table.column_metadata
        ]


def table_names(refs: Iterable[Any], declared: Declared) -> dict[int, str]:
    """Sheet id → table, with names pinned by declaration files kept as they are."""
    return name_tables([{"id": r.id, "name": r.name} for r in refs], declared.pinned_tables())


def plan_sheet(sheet: dict, table_name: str, declared: Declared, raw: pl.DataFrame | None = None) -> PlannedTable:
    """fetch's JSON → frame → base transforms → the sheet's declared transforms.

    `raw` is the sheet's frame when it was built page by page as the pages arrived (`sheetsync.plan`); otherwise
    it is built here from `sheet["rows"]`. Raises `DeclarationError` when the sheet's declaration file is broken
    or does not fit the sheet.
    """
    sheet_id, name = int(sheet["id"]), str(sheet.get("name") or sheet["id"])
    broken = declared.broken_file(sheet_id, name)
    if broken:
        raise DeclarationError(broken)
    declaration, contract = declared.for_sheet(sheet_id, name)
    table = transform_sheet(sheet, sheet_frame(sheet) if raw is None else raw, table_name, declaration)
    files = b"".join(p.read_bytes() for p in (getattr(declaration, "path", None), getattr(contract, "path", None)) if p)
    fingerprint = hashlib.blake2b(column_fingerprint(table.columns).encode() + b"\0" + files, digest_size=8).hexdigest()
    facts = {
        "permalink": sheet.get("permalink"),
        "total_row_count": sheet.get("totalRowCount"),
        "workspace_id": (sheet.get("workspace") or {}).get("id"),
        "access_level": sheet.get("accessLevel"),
        "created_at": _utc(sheet.get("createdAt")),
        "modified_at": _utc(sheet.get("modifiedAt")),
    }
    return PlannedTable(table, name, sheet.get("version"), contract, fingerprint, facts)


def plan_report(report: dict, table_name: str, declared: Declared) -> PlannedTable:
    """A report (already in a sheet's shape, see `sheetsync.reports`) as a table, plus the `sheet_id` of each row."""
    planned = plan_sheet(report, table_name, declared)
    sources = pl.DataFrame(
        {"row_id": [int(r["id"]) for r in report["rows"]], "sheet_id": [r.get("sheetId") for r in report["rows"]]},
        schema={"row_id": pl.Int64, "sheet_id": pl.Int64},
    )
    frame = planned.frame.join(sources, on="row_id", how="left", maintain_order="left")
    table = replace(planned.table, frame=frame, columns={**planned.table.columns, "sheet_id": "LONG"})
    return replace(planned, table=table)


def validate(planned: PlannedTable, default_policy: str) -> Validation:
    """The base contract and the sheet's own, with the policy that applies (the sheet's, else the setting)."""
    return validate_contract(planned.table, planned.contract, default_policy)


def describe_violations(planned: PlannedTable, violations: list[Violation]) -> str:
    shown = "; ".join(
        f"row {v.row_id if v.row_id is not None else '(table)'} column {v.column or '-'}: {v.check}"
        + (f" (value {v.value[:60]!r})" if v.value is not None else "")
        for v in violations[:DESCRIBED_VIOLATIONS]
    )
    more = len(violations) - DESCRIBED_VIOLATIONS
    return f"{planned.name}: {shown}" + (f"; and {more} more" if more > 0 else "")


def diff(planned: PlannedTable, previous: RowHashes | None, held_back: Iterable[int] = ()) -> Diff:
    """Which rows to upsert and delete, against the hashes checkpointed last time."""
    hashes = row_hashes(planned.frame, planned.table.columns)
    return diff_hashes(planned.frame["row_id"], hashes, previous, held_back)


def keyed_diff(rows: list[dict], key: str, previous: RowHashes | None) -> Diff:
    """The same diff for a handful of plain rows (attachments, comments, …): each row hashed as canonical JSON."""
    ids = pl.Series(key, [int(r[key]) for r in rows], dtype=pl.Int64)
    digests = [row_digest(r) for r in rows]
    return diff_hashes(ids, pl.Series("hash", digests, dtype=pl.UInt64), previous)


def row_digest(row: dict) -> int:
    """A plain row's 64-bit hash over its canonical JSON."""
    canonical = json.dumps(row, sort_keys=True, default=str, separators=(",", ":")).encode()
    return int.from_bytes(hashlib.blake2b(canonical, digest_size=8).digest(), "big")


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _type_text(kind: Any) -> str | None:
    if isinstance(kind, dict):
        return f"DECIMAL({kind['precision']},{kind['scale']})"
    return kind


__all__ = ["ContractError", "DeclarationError", "Declared", "PlannedTable", "Validation", "Violation", "name_tables"]
