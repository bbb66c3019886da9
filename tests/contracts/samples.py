"""The contract-test machinery for sample exports: frame → transforms → contract, and the reviewed snapshot.

No network: a sample is the API's JSON saved by `python -m sheetsync export`. Next to `samples/NAME.json`:
`NAME.expected.json` lists the violations the sample is known to have (none when absent), `NAME.snapshot.json` holds
the transformed table's types and values. `SHEETSYNC_UPDATE_SNAPSHOTS=1 pytest tests/contracts` rewrites both from
the current declarations, for review in the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sheetsync import pipeline
from transforms.naming import table_names

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
UPDATE_ENV = "SHEETSYNC_UPDATE_SNAPSHOTS"
_SIDE_FILES = (".expected.json", ".snapshot.json")


def exports() -> list[Path]:
    """Every sample export under samples/ (not the expected/snapshot files beside them)."""
    return sorted(p for p in SAMPLES.glob("*.json") if not p.name.endswith(_SIDE_FILES))


def updating() -> bool:
    return os.environ.get(UPDATE_ENV) == "1"


def plan(sheet: dict, declared: pipeline.Declared) -> pipeline.PlannedTable:
    name = table_names([{"id": sheet["id"], "name": sheet["name"]}], declared.pinned_tables())[sheet["id"]]
    return pipeline.plan_sheet(sheet, name, declared)


def violations(planned: pipeline.PlannedTable) -> list[dict]:
    found = pipeline.validate(planned, "warn").violations
    rows = [{"row_id": v.row_id, "column": v.column, "check": v.check, "value": v.value} for v in found]
    return sorted(rows, key=lambda r: (r["row_id"] or 0, r["column"] or "", r["check"], r["value"] or ""))


def snapshot(planned: pipeline.PlannedTable) -> dict:
    """Types and values of the transformed table, as plain JSON (dates, decimals and datetimes as text)."""
    frame = planned.frame
    rows = json.loads(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False))
    return {
        "table": planned.name,
        "columns": planned.table.columns,
        "dtypes": {name: str(dtype) for name, dtype in frame.schema.items()},
        "rows": rows,
    }


def side_file(export: Path, suffix: str) -> Path:
    return export.with_name(export.stem + suffix)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
