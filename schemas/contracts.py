"""pandera contracts for sheet tables: the base contract every table satisfies, plus optional per-sheet files.

Base: ``row_id`` unique and non-null, ``row_number`` > 0, ``parent_id`` null or a ``row_id`` of the same table, and
every column of the dtype its declared Fivetran type needs. Per-sheet files live in ``schemas/sheets/*.toml``
(see ``schemas/examples/example_project_plan.toml`` and the real examples in ``schemas/sheets/``)::

    [sheet]
    id = 1234567890123456    # or name = "..." as a fallback
    policy = "quarantine"    # warn (default) | quarantine | fail

    [columns.status]         # a destination column name
    required = true          # the column must exist (default true for a listed column)
    dtype = "STRING"         # a Fivetran type: STRING, DOUBLE, LONG, BOOLEAN, NAIVE_DATE, UTC_DATETIME, ...
    nullable = false         # default true
    unique = false
    isin = ["Not started", "In progress", "Done"]
    ge = 0                   # also gt, le, lt
    regex = "^[A-Z]+-[0-9]+$"
    min_length = 1           # string length
    max_length = 80

    [checks]                 # cross-column checks (transforms.expressions); a row with a null operand passes
    due_after_start = "due >= start"

``validate`` is pure: it returns every violation (from pandera's lazy ``failure_cases`` and from the transform
stage's ``_invalid_values``) and never removes a row. What happens next is the policy's business:
``warn`` lands the rows, ``quarantine`` holds back the offending rows (all rows when the violation is about the whole
table, e.g. a missing column), ``fail`` stops the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandera.polars as pa
import polars as pl

from transforms.expressions import ExpressionError, compile_expression
from transforms.files import SheetFileError, check_keys, load_file, load_folder, read_toml, sheet_binding
from transforms.naming import INVALID_VALUES
from transforms.sheet import SheetTable
from transforms.types import NAIVE, UTC, FivetranType

POLICIES = ("warn", "quarantine", "fail")
COLUMN_KEYS = ("required", "dtype", "nullable", "unique", "isin", "ge", "gt", "le", "lt", "regex")
COLUMN_KEYS += ("min_length", "max_length")
_DTYPES: dict[str, pl.DataType] = {
    "STRING": pl.String(),
    "DOUBLE": pl.Float64(),
    "LONG": pl.Int64(),
    "BOOLEAN": pl.Boolean(),
    "NAIVE_DATE": pl.Date(),
    "UTC_DATETIME": UTC,
    "NAIVE_DATETIME": NAIVE,
}
_VALUE_CHECKS = {
    "isin": pa.Check.isin,
    "ge": pa.Check.ge,
    "gt": pa.Check.gt,
    "le": pa.Check.le,
    "lt": pa.Check.lt,
    "regex": pa.Check.str_matches,
}


class ContractError(SheetFileError):
    """A contract file that cannot be read."""


@dataclass(frozen=True)
class Violation:
    """One failed check: which sheet, row (None when about the whole table), column, check, and the value."""

    sheet: int
    row_id: int | None
    column: str | None
    check: str
    value: str | None


@dataclass(frozen=True)
class Contract:
    path: Path | None
    sheet_id: int | None
    sheet_name: str | None
    policy: str | None = None  # None: the configuration's violation_policy
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Validation:
    """Every violation of a sheet's table and the policy that decides what to do about them."""

    violations: list[Violation]
    policy: str

    @property
    def failed(self) -> bool:
        return self.policy == "fail" and bool(self.violations)

    def held_back(self, row_ids: pl.Series) -> set[int]:
        """The rows to quarantine (of ``row_ids``, the table's rows): none unless the policy is quarantine."""
        if self.policy != "quarantine" or not self.violations:
            return set()
        if any(v.row_id is None for v in self.violations):
            return set(row_ids.to_list())
        return {v.row_id for v in self.violations}


def load_contract(path: Path) -> Contract:
    """Read and check one contract file; errors name the file."""
    return load_file(path, _load, ContractError)


def _load(path: Path) -> Contract:
    document = read_toml(path)
    check_keys(path, "the file", document, ("sheet", "columns", "checks"))
    sheet_id, sheet_name = sheet_binding(path, document)
    check_keys(path, "[sheet]", document["sheet"], ("id", "name", "policy"))
    policy = document["sheet"].get("policy")
    if policy is not None and policy not in POLICIES:
        raise ContractError(f"{path}: policy {policy!r} is not one of {POLICIES}")
    columns = document.get("columns", {})
    for name, spec in columns.items():
        check_keys(path, f"[columns.{name}]", spec, COLUMN_KEYS)
        if "dtype" in spec and spec["dtype"] not in _DTYPES and spec["dtype"] != "JSON":
            raise ContractError(f"{path}: [columns.{name}] dtype {spec['dtype']!r} is not one of {sorted(_DTYPES)}")
    checks = document.get("checks", {})
    for name, text in checks.items():
        try:
            compile_expression(text)
        except ExpressionError as error:
            raise ContractError(f"{path}: [checks] {name}: {error}") from error
    return Contract(path, sheet_id, sheet_name, policy, columns, checks)


def load_contracts(folder: Path) -> tuple[list[Contract], list[ContractError]]:
    """Every ``*.toml`` in ``folder``; a broken file is returned as an error instead of stopping the others."""
    return load_folder(folder, load_contract, ContractError)


def validate(table: SheetTable, contract: Contract | None = None, default_policy: str = "warn") -> Validation:
    """Check ``table`` against the base contract and ``contract``; every violation, the rows untouched."""
    contract = contract or Contract(None, table.sheet_id, None)
    violations = _invalid_value_violations(table)
    try:
        _schema(table.columns, contract).validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        violations += _from_failure_cases(table, errors.failure_cases, contract)
    return Validation(violations, contract.policy or default_policy)


def _schema(columns: Mapping[str, FivetranType], contract: Contract) -> pa.DataFrameSchema:
    specs: dict[str, dict[str, Any]] = {name: {"dtype": _dtype(kind), "checks": []} for name, kind in columns.items()}
    specs["row_id"].update(unique=True, nullable=False)
    specs["row_number"]["checks"].append(pa.Check.gt(0))
    specs["parent_id"]["checks"].append(pa.Check(_parent_in_sheet, name="parent_in_sheet"))
    for name, rules in contract.columns.items():
        spec = specs.setdefault(name, {"dtype": None, "checks": []})
        spec["required"] = rules.get("required", True)
        spec["dtype"] = _dtype(rules["dtype"]) if "dtype" in rules else spec["dtype"]
        spec["nullable"] = rules.get("nullable", spec.get("nullable", True))
        spec["unique"] = rules.get("unique", spec.get("unique", False))
        spec["checks"] += [make(rules[key]) for key, make in _VALUE_CHECKS.items() if key in rules]
        if "min_length" in rules or "max_length" in rules:
            spec["checks"].append(pa.Check.str_length(rules.get("min_length"), rules.get("max_length")))
    frame_checks = [_cross_check(name, text) for name, text in contract.checks.items()]
    return pa.DataFrameSchema(
        {name: pa.Column(**{"nullable": True, **spec}) for name, spec in specs.items()}, checks=frame_checks
    )


def _dtype(kind: FivetranType) -> pl.DataType | None:
    """The Polars dtype a Fivetran type needs; JSON accepts any nested dtype, so it is not checked here."""
    if isinstance(kind, dict):
        return pl.Decimal(kind["precision"], kind["scale"])
    return _DTYPES.get(kind)


def _parent_in_sheet(data: Any) -> pl.LazyFrame:
    parent = pl.col(data.key)
    return data.lazyframe.select(parent.is_null() | parent.is_in(pl.col("row_id").implode()))


def _cross_check(name: str, text: str) -> pa.Check:
    expr, _ = compile_expression(text)
    return pa.Check(lambda data: data.lazyframe.select(expr.fill_null(True)), name=name)


def _from_failure_cases(table: SheetTable, cases: pl.DataFrame, contract: Contract) -> list[Violation]:
    """pandera's failure cases → violations: the row position becomes the row id; a cross-column check names its
    columns and shows just their values."""
    positions = cases["index"]
    row_ids = table.frame["row_id"].gather(positions.fill_null(0)).to_list()
    violations = []
    for case, row_id in zip(cases.iter_rows(named=True), row_ids, strict=True):
        column, value = case["column"], case["failure_case"]
        if case["check"] in contract.checks:
            _, reads = compile_expression(contract.checks[case["check"]])
            column = ", ".join(sorted(reads))
            value = table.frame[case["index"]].select(pl.struct(sorted(reads)).struct.json_encode()).item()
        elif case["check"] == "column_in_dataframe":
            column, value = case["failure_case"], None
        known_row = row_id if case["index"] is not None else None
        violations.append(Violation(table.sheet_id, known_row, column, case["check"], value))
    return violations


def _invalid_value_violations(table: SheetTable) -> list[Violation]:
    """Values the transforms could not type (kept raw in ``_invalid_values``), one violation each."""
    if INVALID_VALUES not in table.frame.columns:
        return []
    entries = (
        table.frame.select("row_id", INVALID_VALUES)
        .explode(INVALID_VALUES)
        .drop_nulls(INVALID_VALUES)
        .unnest(INVALID_VALUES)
    )
    return [
        Violation(table.sheet_id, row_id, column, f"fits {_type_name(table.columns.get(column))}", value)
        for row_id, column, value in entries.iter_rows()
    ]


def _type_name(kind: FivetranType | None) -> str:
    return kind["type"] if isinstance(kind, dict) else str(kind)
