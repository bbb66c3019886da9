from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetsync.frame import sheet_frame
from tests.unit.sheets import column, row, sheet
from transforms.declarations import DeclarationError, load_declaration, load_declarations
from transforms.files import for_sheet
from transforms.sheet import transform_sheet

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = [
    column(1, "Task ID"),
    column(2, "Title"),
    column(3, "Budget"),
    column(4, "Percent complete"),
    column(5, "Status", "PICKLIST"),
    column(6, "Tags"),
    column(7, "Internal notes"),
    column(8, "Start", "DATE"),
    column(9, "Due", "DATE"),
]
ROWS = [
    row(
        1,
        1,
        {
            1: "T-1",
            2: "Plan",
            3: "$1,234.50",
            4: "12%",
            5: " wip ",
            6: "a, b",
            7: "x",
            8: "2026-01-01",
            9: "2026-01-11",
        },
    ),
    row(
        2, 2, {1: "T-2", 2: "Build", 3: "(300)", 4: "50%", 5: "Done", 6: "c", 7: "y", 8: "2026-02-01", 9: "2026-02-02"}
    ),
    row(3, 3, {1: "T-3", 2: "Ship", 3: "lots", 4: 0.5, 5: "todo", 6: None, 7: "z"}),
]


def declared(text: str, tmp_path: Path, columns=COLUMNS, rows=ROWS):
    path = tmp_path / "plan.toml"
    path.write_text("[sheet]\nid = 7001\n" + text)
    s = sheet(columns, rows)
    return transform_sheet(s, sheet_frame(s), "plan", load_declaration(path))


def test_the_example_file_applies_every_action(tmp_path):
    declaration = load_declaration(ROOT / "transforms/examples/example_project_plan.toml")
    s = sheet(COLUMNS, ROWS, sheet_id=1)
    table = transform_sheet(s, sheet_frame(s), declaration.table, declaration)
    assert table.table == "project_plan"
    f = table.frame
    assert f["budget_usd"].to_list() == [Decimal("1234.50"), Decimal("-300.00"), None]
    assert table.columns["budget_usd"] == {"type": "DECIMAL", "precision": 12, "scale": 2}
    assert f["percent_complete"].to_list() == [0.12, 0.5, 0.5]
    assert f["status"].to_list() == ["In progress", "Done", "Not started"]
    assert f["tags"].to_list() == [["a", "b"], ["c"], None]
    assert "internal_notes" not in f.columns and "budget" not in f.columns
    assert f["days_planned"].to_list() == [10, 1, None] and table.columns["days_planned"] == "LONG"
    assert f["label"].to_list() == ["T-1 - Plan", "T-2 - Build", "T-3 - Ship"]
    assert f["_invalid_values"].to_list()[2] == [{"column": "budget_usd", "value": "lots"}]
    names = {m["title"]: m["column_name"] for m in table.column_metadata}
    assert names["Budget"] == "budget_usd" and names["Internal notes"] is None


@pytest.mark.parametrize(
    ("cast", "values", "expected", "kind"),
    [
        ("DOUBLE", [" 2.5", "x"], [2.5, None], "DOUBLE"),
        ("LONG", ["7", "7.0", "7.5"], [7, 7, None], "LONG"),
        (
            "DATE",
            ["2026-03-04", "2026-03-04T10:00:00Z", "soon"],
            [date(2026, 3, 4), date(2026, 3, 4), None],
            "NAIVE_DATE",
        ),
        ("BOOLEAN", ["yes", "No", "maybe"], [True, False, None], "BOOLEAN"),
        ("STRING", ["a"], ["a"], "STRING"),
    ],
)
def test_casts(tmp_path, cast, values, expected, kind):
    rows = [row(i, i, {1: v}) for i, v in enumerate(values, 1)]
    table = declared(f'[columns.c]\ncast = "{cast}"\n', tmp_path, [column(1, "C")], rows)
    assert table.frame["c"].to_list() == expected and table.columns["c"] == kind
    rejected = [v for v, e in zip(values, expected, strict=True) if e is None]
    found = [entry[0]["value"] for entry in table.frame["_invalid_values"].to_list() if entry]
    assert found == rejected


def test_datetime_cast_is_utc(tmp_path):
    rows = [row(1, 1, {1: "2026-03-04T10:00:00+01:00"}), row(2, 2, {1: "2026-03-04 "})]
    table = declared('[columns.c]\ncast = "DATETIME"\n', tmp_path, [column(1, "C")], rows)
    assert [v.hour for v in table.frame["c"].to_list()] == [9, 0] and table.columns["c"] == "UTC_DATETIME"


def test_case_and_derived_arithmetic(tmp_path):
    rows = [row(1, 1, {1: "Ab", 2: 3, 3: 4})]
    columns = [column(1, "Name"), column(2, "Qty"), column(3, "Price")]
    text = '[columns.name]\ncase = "upper"\n[derive.total]\nexpr = "qty * price + 1"\n'
    table = declared(text, tmp_path, columns, rows)
    assert table.frame.select("name", "total").row(0) == ("AB", 13.0)
    assert table.columns["total"] == "DOUBLE"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns.nope]\ntrim = true\n", "'nope'"),
        ("[columns.title]\ncats = 'LONG'\n", "cats"),
        ("[columns.title]\ncast = 'MONEY'\n", "MONEY"),
        ("[columns.title]\nrename = 'Not Snake'\n", "Not Snake"),
        ("[columns.title]\nrename = 'budget'\n", "budget"),
        ("[derive.x]\nexpr = \"__import__('os')\"\n", "__import__"),
        ("[derive.x]\nexpr = 'title.upper()'\n", "title.upper"),
        ("[derive.x]\nexpr = 'missing + 1'\n", "missing"),
        ("[columns.start]\ntrim = true\n", "text column"),
    ],
)
def test_a_bad_declaration_names_the_file_and_the_problem(tmp_path, text, message):
    with pytest.raises(DeclarationError) as error:
        declared(text, tmp_path)
    assert "plan.toml" in str(error.value) and message in str(error.value)


def test_a_broken_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.toml").write_text("[sheet]\nid = 1\n")
    (tmp_path / "b.toml").write_text("not toml [")
    (tmp_path / "c.toml").write_text("[sheet]\nname = 'Plan'\n")
    declarations, errors = load_declarations(tmp_path)
    assert [d.path.name for d in declarations] == ["a.toml", "c.toml"]
    assert len(errors) == 1 and "b.toml" in str(errors[0])
    assert for_sheet({"id": 1, "name": "x"}, declarations).path.name == "a.toml"
    assert for_sheet({"id": 2, "name": "Plan"}, declarations).path.name == "c.toml"
    assert for_sheet({"id": 3, "name": "Other"}, declarations) is None
