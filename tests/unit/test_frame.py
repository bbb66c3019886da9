import polars as pl

from sheetsync.frame import CELL, sheet_frame
from tests.unit.sheets import column, row, sheet


def cells(frame: pl.DataFrame, column_id: int) -> list[dict]:
    return frame.get_column(str(column_id)).to_list()


def test_one_row_per_sheet_row_with_system_fields():
    frame = sheet_frame(sheet([column(1, "A")], [row(11, 1, {1: "x"}), row(12, 2, {1: "y"}, parent=11)]))
    assert frame.columns == [
        "row_id",
        "row_number",
        "parent_id",
        "created_at",
        "modified_at",
        "created_by",
        "modified_by",
        "1",
    ]
    assert frame["row_id"].to_list() == [11, 12]
    assert frame["parent_id"].to_list() == [None, 11]
    assert frame["created_by"].to_list() == ["ann@example.com"] * 2
    assert frame["created_at"][0] == "2026-01-02T03:04:05Z"


def test_json_kind_is_kept_so_number_and_text_differ():
    frame = sheet_frame(sheet([column(1, "A")], [row(i, i, {1: v}) for i, v in enumerate([5, "5", 2.5, True], 1)]))
    assert [(c["kind"], c["text"]) for c in cells(frame, 1)] == [
        ("int", "5"),
        ("string", "5"),
        ("float", "2.5"),
        ("bool", "true"),
    ]


def test_integers_beyond_2_53_keep_every_digit():
    big = 2**53 + 1
    huge = 12345678901234567890123
    frame = sheet_frame(sheet([column(1, "A")], [row(1, 1, {1: big}), row(2, 2, {1: huge})]))
    assert [c["text"] for c in cells(frame, 1)] == [str(big), str(huge)]


def test_display_hyperlink_and_object_values():
    multi = {"objectType": "MULTI_PICKLIST", "values": ["May", "August"]}
    rows = [
        row(1, 1, {1: {"value": 1234.5, "displayValue": "$1,234.50"}}),
        row(2, 2, {1: {"hyperlink": {"url": "https://example.com/x"}}}),
        row(3, 3, {1: {"displayValue": "May, August", "objectValue": multi}}),
        row(4, 4, {1: {"value": 7, "objectValue": 7}}),
    ]
    got = cells(sheet_frame(sheet([column(1, "A")], rows)), 1)
    assert got[0]["display"] == "$1,234.50"
    assert got[1] == {"kind": None, "text": None, "display": None, "url": "https://example.com/x", "object": None}
    assert got[2]["object"] is not None and '"August"' in got[2]["object"]
    assert got[3]["object"] is None  # a primitive objectValue only repeats value


def test_empty_cells_missing_cells_and_empty_columns_are_null():
    rows = [row(1, 1, {1: "x"}), row(2, 2, {}), row(3, 3, {1: None})]
    frame = sheet_frame(sheet([column(1, "A"), column(2, "B")], rows))
    assert frame.schema["2"] == CELL
    assert frame["2"].null_count() == 3
    assert cells(frame, 1)[1] is None
    assert cells(frame, 1)[2]["kind"] is None


def test_empty_sheet():
    frame = sheet_frame(sheet([column(1, "A")], []))
    assert frame.height == 0 and "1" in frame.columns


def test_a_full_size_sheet_of_20000_rows_by_25_columns_frames_completely():
    """Its speed is measured by the benchmark, not asserted here."""
    columns = [column(j, f"C{j}") for j in range(1, 26)]
    rows = [
        row(10**15 + i * 7919, i + 1, {j: (i * j if j % 2 else f"text {i} {j}") for j in range(1, 26)})
        for i in range(20_000)
    ]
    frame = sheet_frame(sheet(columns, rows))
    assert frame.shape == (20_000, 7 + 25)
    assert frame["row_id"].n_unique() == 20_000
    assert frame["24"].struct.field("text")[-1] == "text 19999 24"
    assert frame["25"].struct.field("kind")[-1] == "int"
