from fivetran_connector_sdk_core.renaming import redshift_safe, safe_drop_underscores
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.sheets import column
from transforms.naming import MAX_LENGTH, SYSTEM_COLUMNS, column_names, snake_case, table_names

TITLES = ["Q3 Plan", "rowId", "2col", "HTTPServer", "Café Ünïcode", "  Budget (USD) ", "a__b", "Due-Date.v2", "x" * 200]


def test_examples():
    assert [snake_case(t) for t in TITLES[:8]] == [
        "q_3_plan",
        "row_id",
        "_2_col",
        "httpserver",
        "cafe_unicode",
        "budget_usd",
        "a_b",
        "due_date_v_2",
    ]


@given(st.text())
def test_column_names_are_fixed_points_of_fivetran_renaming(title):
    name = snake_case(title)
    assert redshift_safe(name) == name
    assert name.isascii() and name == name.lower() and len(name) <= MAX_LENGTH


@given(st.lists(st.text(), min_size=1, max_size=8))
def test_column_and_table_names_are_fixed_points_and_unique(titles):
    columns = [column(i + 1, t) for i, t in enumerate(titles)]
    names = list(column_names(columns).values())
    assert all(redshift_safe(n) == n and len(n) <= MAX_LENGTH for n in names)
    assert len(set(names)) == len(names) and not set(names) & set(SYSTEM_COLUMNS)
    tables = list(table_names([{"id": i, "name": t} for i, t in enumerate(titles)]).values())
    assert all(safe_drop_underscores(t) == t and t for t in tables)
    assert len(set(tables)) == len(tables)


def test_collisions_get_distinct_deterministic_names():
    columns = [
        column(101, "Status", index=0),
        column(102, "STATUS", index=1),
        column(103, "😀", index=2),
        column(104, "项目", index=3),
        column(105, "Row ID", index=4),
        column(106, "status 1", index=5),
        column(107, "שלום", index=6),
    ]
    assert column_names(columns) == {
        101: "status",
        102: "status_1",
        103: "column_2",
        104: "column_3",
        105: "row_id_4",
        106: "status_1_5",
        107: "column_6",
    }
    assert column_names(reversed(columns)) == column_names(columns)


def test_same_named_sheets_and_pinned_names_do_not_move():
    first = table_names([{"id": 50, "name": "Plan"}])
    assert first == {50: "plan"}
    # a new sheet with the same name, even with a lower id, does not take an existing table
    assert table_names([{"id": 50, "name": "Plan"}, {"id": 7, "name": "Plan"}], pinned=first) == {
        50: "plan",
        7: "plan_7",
    }
    # renaming a sheet keeps its table
    assert table_names([{"id": 50, "name": "Renamed"}], pinned=first) == {50: "plan"}
    # with nothing pinned, the lowest id wins; a leading digit gets a word in front; reserved names are avoided
    assert table_names([{"id": 9, "name": "A"}, {"id": 3, "name": "a"}, {"id": 4, "name": "2024"}]) == {
        3: "a",
        4: "sheet_2024",
        9: "a_9",
    }
    assert table_names([{"id": 1, "name": "Columns"}, {"id": 2, "name": "😀"}]) == {1: "columns_1", 2: "sheet"}
