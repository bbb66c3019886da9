"""Starter declaration and contract files for a sheet, inferred from its data (an export or a live fetch).

The files are a first draft for a person to edit, so they say what was inferred and why, in comments:

- declaration (``transforms/sheets/<table>.toml``): bound by sheet id; every column listed as a comment with its base
  type; active lines only where the data asks for one (``parse_number`` for formatted numbers held as text,
  ``trim`` for values with surrounding spaces, ``cast = "DATE"`` for ISO dates held as text). A column is declared
  only when it has an action, because a declared column that later disappears from the sheet stops the sheet.
- contract (``schemas/sheets/<table>.toml``): per column its ``dtype``; ``nullable = false`` when the sample has no
  blank; ``unique = true`` for a text or whole-number column whose values are all present and distinct;
  ``isin`` = the picklist's options (plus any off-list value the sample holds, flagged, so the sample passes);
  ``ge = 0`` for a numeric column with no negative value and ``le = 1`` for a fraction; the observed range as a comment.

The inferred contract holds on the sample it came from (the tests check that), except for values the base types
could not read (reported as violations of ``fits <type>``), which the file lists in a comment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sheetsync import pipeline
from transforms.declarations import parse_number
from transforms.naming import INVALID_VALUES, SYSTEM_COLUMNS
from transforms.naming import table_names as name_tables
from transforms.types import parse_date

_FORMATTED = r"[\p{Sc},()%]"
_CONTRACT_DTYPES = ("STRING", "DOUBLE", "LONG", "BOOLEAN", "NAIVE_DATE", "UTC_DATETIME", "NAIVE_DATETIME", "JSON")


class ScaffoldError(Exception):
    """The files cannot be written (they exist and --force was not given)."""


@dataclass(frozen=True)
class Scaffold:
    table: str
    declaration: str
    contract: str


def infer(sheet: dict, source: str) -> Scaffold:
    """The starter files' text for ``sheet`` (the API's JSON shape); ``source`` is named in the header comment."""
    sheet_id, name = int(sheet["id"]), str(sheet.get("name") or sheet["id"])
    table_name = name_tables([{"id": sheet_id, "name": name}])[sheet_id]
    planned = pipeline.plan_sheet(sheet, table_name, pipeline.Declared())
    frame, types = planned.frame, planned.table.columns
    meta = {m["column_name"]: m for m in planned.table.column_metadata if m["column_name"]}
    header = [
        f"# Starter {{kind}} for sheet {name!r} (id {sheet_id}), written by `python -m sheetsync scaffold` from",
        f"# {source}. Inferred from {frame.height} row(s): edit freely. Reference: docs/declare-your-sheet.md.",
        "",
        "[sheet]",
        f"id = {sheet_id}",
        f"name = {json.dumps(name, ensure_ascii=False)}  # a fallback binding; the id wins",
    ]
    declaration = [*header, f'# table = "{table_name}"  # pin the destination table name', ""]
    contract = [*header, '# policy = "warn"  # warn | quarantine | fail; default: the violation_policy setting', ""]
    invalid = _invalid_counts(frame)
    for column, kind in types.items():
        if column in SYSTEM_COLUMNS or column == INVALID_VALUES:
            continue
        info = meta.get(column, {})
        title = f"{info.get('type', '?')} column {json.dumps(info.get('title'), ensure_ascii=False)}"
        declaration += _declare_column(frame, column, kind, title)
        contract += _contract_column(frame, column, kind, info, invalid.get(column, []))
    contract += _checks(types)
    return Scaffold(
        table_name,
        "\n".join(declaration).replace("{kind}", "declaration") + "\n",
        "\n".join(contract).replace("{kind}", "contract") + "\n",
    )


def write(scaffold: Scaffold, transforms_dir: Path, schemas_dir: Path, force: bool = False) -> list[Path]:
    """Writes both files; refuses to overwrite either unless ``force``."""
    targets = [(transforms_dir / f"{scaffold.table}.toml", scaffold.declaration)]
    targets.append((schemas_dir / f"{scaffold.table}.toml", scaffold.contract))
    existing = [str(path) for path, _ in targets if path.exists()]
    if existing and not force:
        raise ScaffoldError(f"{', '.join(existing)} already exist(s); edit it, or pass --force to overwrite")
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [path for path, _ in targets]


def _type_text(kind: Any) -> str:
    return f"DECIMAL({kind['precision']},{kind['scale']})" if isinstance(kind, dict) else str(kind)


def _declare_column(frame: pl.DataFrame, column: str, kind: Any, title: str) -> list[str]:
    lines = [f"# {column}: {_type_text(kind)} ({title})"]
    if kind != "STRING":
        return lines
    text = frame[column].drop_nulls()
    if text.is_empty():
        return lines
    actions = []
    probe = pl.DataFrame({"v": text})
    if probe.select((pl.col("v") != pl.col("v").str.strip_chars()).any()).item():
        actions.append("trim = true  # values with surrounding spaces")
    numbers = probe.select(parse_number(pl.col("v")).is_not_null().all()).item()
    formatted = probe.select(pl.col("v").str.contains(_FORMATTED).any()).item()
    if numbers and formatted:
        actions.append('parse_number = true  # formatted numbers such as "$1,234.50", "12%", "(300)"')
    elif probe.select(parse_date(pl.col("v").str.strip_chars()).is_not_null().all()).item():
        actions.append('cast = "DATE"  # every value is an ISO date')
    if not actions:
        return [*lines, f"# [columns.{column}]", f'# rename = "{column}"', ""]
    return [*lines, f"[columns.{column}]", *actions, f'# rename = "{column}"', ""]


def _contract_column(frame: pl.DataFrame, column: str, kind: Any, info: dict, invalid: list[str]) -> list[str]:
    series = frame[column]
    lines = [f"[columns.{column}]"]
    if isinstance(kind, str) and kind in _CONTRACT_DTYPES:
        lines.append(f'dtype = "{kind}"')
    present = series.drop_nulls()
    if frame.height and series.null_count() == 0:
        lines.append("nullable = false  # no blank in the sample")
    scalar = kind in ("STRING", "LONG")
    if scalar and series.null_count() == 0 and frame.height >= 2 and present.n_unique() == frame.height:
        lines.append("unique = true  # every value distinct in the sample")
    if info.get("type") == "PICKLIST" and kind == "STRING" and info.get("options"):
        options = [str(o) for o in info["options"]]
        extra = sorted(set(present.to_list()) - set(options))
        lines.append(f"isin = {json.dumps(options + extra, ensure_ascii=False)}")
        if extra:
            lines.append(f"# not options of the column, kept so the sample passes: {extra}")
    numeric = kind in ("DOUBLE", "LONG") or isinstance(kind, dict)
    if numeric and not present.is_empty():
        low, high = present.cast(pl.Float64).min(), present.cast(pl.Float64).max()
        if low >= 0:
            lines.append("ge = 0")
        if low >= 0 and high <= 1:
            lines.append("le = 1  # a fraction")
        lines.append(f"# observed {_number(low)} .. {_number(high)}")
    if invalid:
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in invalid[:5])
        lines.append(f"# {len(invalid)} value(s) do not fit {_type_text(kind)} (reported as violations): {shown}")
    return [*lines, ""]


def _checks(types: dict[str, Any]) -> list[str]:
    dates = [c for c, k in types.items() if k in ("NAIVE_DATE", "NAIVE_DATETIME") and c not in SYSTEM_COLUMNS]
    lines = ["[checks]  # cross-column checks; a row with a null operand passes"]
    if len(dates) >= 2:
        lines.append(f'# {dates[1]}_after_{dates[0]} = "{dates[1]} >= {dates[0]}"')
    else:
        lines.append('# due_after_start = "due >= start"')
    return lines


def _invalid_counts(frame: pl.DataFrame) -> dict[str, list[str]]:
    if INVALID_VALUES not in frame.columns:
        return {}
    entries = frame.select(pl.col(INVALID_VALUES).explode()).drop_nulls().unnest(INVALID_VALUES)
    found: dict[str, list[str]] = {}
    for column, value in entries.iter_rows():
        found.setdefault(column, []).append(value)
    return found


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
