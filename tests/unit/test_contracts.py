from pathlib import Path

import polars as pl
import pytest

from schemas.contracts import Contract, ContractError, Violation, load_contract, load_contracts, validate
from sheetsync.frame import sheet_frame
from tests.unit.sheets import column, row, sheet
from transforms.sheet import SheetTable, transform_sheet

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = [
    column(1, "Task ID"),
    column(2, "Title"),
    column(3, "Status", "PICKLIST"),
    column(4, "Percent complete"),
    column(5, "Start", "DATE"),
    column(6, "Due", "DATE"),
]


def table(rows) -> SheetTable:
    s = sheet(COLUMNS, rows, sheet_id=1)
    return transform_sheet(s, sheet_frame(s), "plan")


GOOD = [
    row(11, 1, {1: "T-1", 2: "Plan", 3: "Done", 4: 1, 5: "2026-01-01", 6: "2026-01-02"}),
    row(12, 2, {1: "T-2", 2: "Build", 3: "In progress", 4: 0.5, 5: "2026-01-01"}, parent=11),
]


def contract(**fields) -> Contract:
    return Contract(None, 1, None, **fields)


def test_a_good_table_has_no_violations():
    example = load_contract(ROOT / "schemas/examples/example_project_plan.toml")
    assert validate(table(GOOD), example).violations == []


def test_base_contract_row_id_row_number_parent():
    t = table(GOOD)
    broken = t.frame.with_columns(
        row_id=pl.Series([11, 11], dtype=pl.Int64),
        row_number=pl.Series([1, 0], dtype=pl.Int64),
        parent_id=pl.Series([99, None], dtype=pl.Int64),
    )
    found = validate(SheetTable(t.sheet_id, t.table, broken, t.columns)).violations
    assert Violation(1, 11, "row_number", "greater_than(0)", "0") in found
    assert Violation(1, 11, "parent_id", "parent_in_sheet", "99") in found
    assert [v.check for v in found if v.column == "row_id"] == ["field_uniqueness"] * 2


def test_declared_dtype_must_match_the_frame():
    t = table(GOOD)
    wrong = SheetTable(t.sheet_id, t.table, t.frame, {**t.columns, "percent_complete": "STRING"})
    found = validate(wrong).violations
    assert [(v.row_id, v.column, v.check) for v in found] == [(None, "percent_complete", "dtype('String')")]


@pytest.mark.parametrize(
    ("rules", "check", "value"),
    [
        ({"status": {"isin": ["Done"]}}, "isin(['Done'])", "In progress"),
        ({"percent_complete": {"ge": 0.75}}, "greater_than_or_equal_to(0.75)", "0.5"),
        ({"percent_complete": {"lt": 1}}, "less_than(1)", "1.0"),
        ({"task_id": {"regex": "^T-1$"}}, "str_matches('^T-1$')", "T-2"),
        ({"title": {"max_length": 4}}, "str_length(None, 4)", "Build"),
        ({"due": {"nullable": False}}, "not_nullable", None),
    ],
)
def test_each_column_check_reports_row_column_check_value(rules, check, value):
    found = validate(table(GOOD), contract(columns=rules)).violations
    assert len(found) == 1
    v = found[0]
    assert (v.sheet, v.check) == (1, check) and v.value == value and v.row_id in (11, 12)


def test_uniqueness_and_required_columns():
    rows = [*GOOD, row(13, 3, {1: "T-1", 2: "Again"})]
    found = validate(table(rows), contract(columns={"task_id": {"unique": True}, "owner": {}})).violations
    assert {(v.row_id, v.check) for v in found if v.column == "task_id"} == {
        (11, "field_uniqueness"),
        (13, "field_uniqueness"),
    }
    assert Violation(1, None, "owner", "column_in_dataframe", None) in found


def test_cross_column_check_names_its_columns_and_values():
    rows = [row(11, 1, {5: "2026-01-05", 6: "2026-01-01"}), row(12, 2, {5: "2026-01-05"})]
    found = validate(table(rows), contract(checks={"due_after_start": "due >= start"})).violations
    assert found == [Violation(1, 11, "due, start", "due_after_start", '{"due":"2026-01-01","start":"2026-01-05"}')]


def test_values_the_transforms_could_not_type_are_violations_and_rows_stay():
    t = table([row(11, 1, {5: "#DIVIDE BY ZERO"}), *GOOD[1:]])
    result = validate(t)
    assert result.violations == [Violation(1, 11, "start", "fits NAIVE_DATE", "#DIVIDE BY ZERO")]
    assert t.frame.height == 2


def test_policies():
    t = table([row(11, 1, {3: "Nope"}), *GOOD[1:]])
    rules = {"status": {"isin": ["Done", "In progress"]}}
    ids = t.frame["row_id"]
    assert validate(t, contract(columns=rules)).held_back(ids) == set()
    assert validate(t, contract(columns=rules, policy="quarantine")).held_back(ids) == {11}
    assert validate(t, contract(columns={"owner": {}}, policy="quarantine")).held_back(ids) == {11, 12}
    assert validate(t, contract(columns=rules, policy="fail")).failed
    assert not validate(table(GOOD), contract(policy="fail")).failed
    assert validate(t, default_policy="quarantine").policy == "quarantine"


def test_bad_contract_files(tmp_path):
    (tmp_path / "a.toml").write_text("[sheet]\nid = 1\npolicy = 'ignore'\n")
    (tmp_path / "b.toml").write_text("[sheet]\nid = 2\n[columns.x]\nisn = ['a']\n")
    (tmp_path / "c.toml").write_text("[sheet]\nid = 3\n[checks]\nx = 'open(1)'\n")
    (tmp_path / "d.toml").write_text("[sheet]\nid = 4\n[columns.x]\ndtype = 'MONEY'\n")
    (tmp_path / "e.toml").write_text("[columns.x]\nunique = true\n")
    contracts, errors = load_contracts(tmp_path)
    assert contracts == []
    assert [str(e).split(":")[0].rsplit("/", 1)[-1] for e in errors] == [f"{n}.toml" for n in "abcde"]
    assert all(isinstance(e, ContractError) for e in errors)
    assert "ignore" in str(errors[0]) and "isn" in str(errors[1]) and "open" in str(errors[2])
