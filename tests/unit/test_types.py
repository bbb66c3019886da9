from datetime import date, datetime, timezone

import polars as pl

from sheetsync.frame import sheet_frame
from tests.unit.sheets import column, row, sheet
from transforms.sheet import transform_sheet
from transforms.types import BASE_TYPES, fivetran_type


def typed(columns, rows):
    s = sheet(columns, rows)
    return transform_sheet(s, sheet_frame(s), "plan")


def one_column(type_, values, **extra):
    """The typed values, the Fivetran type and the invalid entries of one column holding ``values``."""
    rows = [row(i, i, {1: v}) for i, v in enumerate(values, 1)]
    table = typed([column(1, "C", type_, **extra)], rows)
    return table.frame["c"].to_list(), table.columns["c"], table.frame["_invalid_values"].to_list()


def test_table_spec_system_columns_and_primary_key():
    table = typed([column(1, "Name")], [row(1, 1, {1: "a"})])
    assert table.schema_entry() == {
        "table": "plan",
        "primary_key": ["row_id"],
        "columns": {
            "row_id": "LONG",
            "row_number": "LONG",
            "parent_id": "LONG",
            "created_at": "UTC_DATETIME",
            "modified_at": "UTC_DATETIME",
            "created_by": "STRING",
            "modified_by": "STRING",
            "name": "STRING",
            "_invalid_values": "JSON",
        },
    }
    assert table.frame["created_at"][0] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert table.column_metadata == [
        {
            "column_id": 1,
            "title": "Name",
            "column_name": "name",
            "type": "TEXT_NUMBER",
            "system_column_type": None,
            "index": 0,
            "primary": False,
            "options": None,
        }
    ]


def test_writer_columns_only_when_the_response_has_them():
    rows = [row(1, 1, {1: "a"})]
    del rows[0]["createdBy"], rows[0]["modifiedBy"]
    assert "created_by" not in typed([column(1, "Name")], rows).columns


def test_text_number_all_numbers_is_double():
    assert one_column("TEXT_NUMBER", [5, 2.5, None, -0.125]) == ([5.0, 2.5, None, -0.125], "DOUBLE", [None] * 4)


def test_text_number_with_text_is_string_with_plain_numbers():
    values, kind, invalid = one_column("TEXT_NUMBER", [5, 2.5, 5.0, "007", "5", None, 1e16])
    assert kind == "STRING"
    assert values == ["5", "2.5", "5", "007", "5", None, "10000000000000000"]
    assert invalid == [None] * 7


def test_text_number_integer_beyond_2_53_is_string_with_every_digit():
    assert one_column("TEXT_NUMBER", [1, 2**53 + 1]) == (["1", str(2**53 + 1)], "STRING", [None, None])


def test_checkbox():
    assert one_column("CHECKBOX", [True, False, None], symbol="FLAG")[:2] == ([True, False, None], "BOOLEAN")


def test_date_with_formula_error_and_free_text_keeps_raw_value():
    values, kind, invalid = one_column("DATE", ["2026-03-04", "#DIVIDE BY ZERO", "next week", None])
    assert kind == "NAIVE_DATE"
    assert values == [date(2026, 3, 4), None, None, None]
    assert invalid == [
        None,
        [{"column": "c", "value": "#DIVIDE BY ZERO"}],
        [{"column": "c", "value": "next week"}],
        None,
    ]


def test_datetime_and_abstract_datetime():
    values, kind, _ = one_column("DATETIME", ["2026-03-04T05:06:07Z", "2026-03-04T05:06:07+02:00"])
    assert kind == "UTC_DATETIME"
    utc = timezone.utc
    assert values == [datetime(2026, 3, 4, 5, 6, 7, tzinfo=utc), datetime(2026, 3, 4, 3, 6, 7, tzinfo=utc)]
    values, kind, invalid = one_column("ABSTRACT_DATETIME", ["2026-03-04T08:00:00", "2026-03-05", "tbd"])
    assert kind == "NAIVE_DATETIME"
    assert values == [datetime(2026, 3, 4, 8), datetime(2026, 3, 5), None]
    assert invalid[2] == [{"column": "c", "value": "tbd"}]


def test_system_column_types_win_over_type():
    columns = [
        column(1, "Auto", "TEXT_NUMBER", systemColumnType="AUTO_NUMBER"),
        column(2, "Created", "DATETIME", systemColumnType="CREATED_DATE"),
        column(3, "Author", "CONTACT_LIST", systemColumnType="CREATED_BY"),
    ]
    table = typed(columns, [row(1, 1, {1: 17, 2: "2026-01-01T00:00:00Z", 3: "ann@example.com"})])
    assert [table.columns[n] for n in ("auto", "created", "author")] == ["STRING", "UTC_DATETIME", "STRING"]
    assert table.frame.row(0, named=True)["auto"] == "17"


def test_string_types_picklist_contact_duration_predecessor():
    for type_, value, expected in [
        ("PICKLIST", "Green", "Green"),
        ("PICKLIST", 3, "3"),
        ("CONTACT_LIST", "ann@example.com", "ann@example.com"),
        ("CONTACT_LIST", "not a contact", "not a contact"),
        ("DURATION", "4d 6h 30m", "4d 6h 30m"),
        ("PREDECESSOR", "12FS +3d 4h, 14SS", "12FS +3d 4h, 14SS"),
    ]:
        assert one_column(type_, [value]) == ([expected], "STRING", [None]), type_


def test_multi_picklist_and_multi_contact_from_object_values():
    multi = {"objectType": "MULTI_PICKLIST", "values": ["May", "August"]}
    picks = {"displayValue": "May, August", "objectValue": multi}
    values, kind, _ = one_column("MULTI_PICKLIST", [picks, None])
    assert (values, kind) == ([["May", "August"], None], "JSON")
    contact = {"objectType": "CONTACT", "email": "ann@example.com", "name": "Ann"}
    people = {"objectValue": {"objectType": "MULTI_CONTACT", "values": [contact]}}
    values, kind, _ = one_column("MULTI_CONTACT_LIST", [people])
    assert (values, kind) == ([[{"email": "ann@example.com", "name": "Ann"}]], "JSON")


def test_multi_picklist_without_object_value_is_kept_as_invalid():
    values, _, invalid = one_column("MULTI_PICKLIST", ["May, August"])
    assert values == [None] and invalid == [[{"column": "c", "value": "May, August"}]]


def test_hyperlink_with_null_value_keeps_the_url():
    link = {"hyperlink": {"url": "https://example.com/doc"}}
    assert one_column("TEXT_NUMBER", [link, "text"])[:2] == (["https://example.com/doc", "text"], "STRING")


def test_unknown_type_is_string_of_the_value():
    assert one_column("SOMETHING_NEW", [{"value": 3}, "x"]) == (["3", "x"], "STRING", [None, None])


def test_long_emoji_cjk_rtl_values_pass_unchanged():
    values = ["x" * 4000, "😀 done", "项目计划", "שלום עולם"]
    assert one_column("TEXT_NUMBER", values)[0] == values


def test_titles_become_unique_destination_names():
    columns = [column(1, "Status"), column(2, "status"), column(3, "😀"), column(4, "Row ID")]
    table = typed(columns, [row(1, 1, {1: "a", 2: "b", 3: "c", 4: "d"})])
    assert list(table.columns)[7:] == ["status", "status_1", "column_2", "row_id_3", "_invalid_values"]
    assert table.frame["row_id"].to_list() == [1]


def test_every_base_type_has_a_declared_fivetran_type():
    rows = [row(1, 1, {})]
    columns = [column(i, t, t) for i, t in enumerate(BASE_TYPES, 1)]
    table = typed(columns, rows)
    assert all(isinstance(table.columns[name], str) for name in table.columns)


def test_fivetran_type_of_decimal():
    assert fivetran_type(pl.Decimal(12, 2)) == {"type": "DECIMAL", "precision": 12, "scale": 2}


def test_a_multi_contact_object_of_the_wrong_shape_keeps_the_column_as_text_instead_of_failing():
    """Found by the hostile-input property test: `{"values": [false]}` in a MULTI_CONTACT_LIST column."""
    from sheetsync.frame import sheet_frame
    from transforms.sheet import transform_sheet

    bad = {"objectType": "MULTI_CONTACT", "values": [False]}
    sheet = {
        "id": 1,
        "name": "S",
        "columns": [{"id": 104, "index": 0, "title": "People", "type": "MULTI_CONTACT_LIST"}],
        "rows": [{"id": 10, "rowNumber": 1, "cells": [{"columnId": 104, "value": "x", "objectValue": bad}]}],
    }
    table = transform_sheet(sheet, sheet_frame(sheet), "s")
    assert table.columns["people"] == "STRING"
    assert table.frame["people"].to_list() == ["x"]
