"""Cell values by column type (the reference's table), system columns, and the awkward values real sheets hold."""

import pytest

from .helpers import cell, cells_of, column


@pytest.fixture
def sheet(sandbox, api):
    def get(name: str, **params):
        return api(f"/sheets/{sandbox.store.sheet_id(name)}", include="objectValue", level=2, **params).json()

    return get


def test_text_number_numbers_are_formatted_for_display(sheet):
    inventory = sheet("Inventory")
    quantity, price = cells_of(inventory, "Quantity")[0], cells_of(inventory, "Unit Price")[0]
    assert (quantity["value"], quantity["displayValue"], quantity["objectValue"]) == (12345, "12,345", 12345)
    assert (price["value"], price["displayValue"]) == (1234.5, "$1,234.50")
    item = cells_of(inventory, "Item")[0]
    assert (item["value"], item["displayValue"], item["objectValue"]) == ("Bolt", "Bolt", "Bolt")


def test_integers_beyond_2_53_are_sent_as_exact_json_numbers(sandbox, api):
    raw = api(f"/sheets/{sandbox.store.sheet_id('Inventory')}").text
    assert '"value":9007199254740993' in raw and '"value":123456789012345678' in raw


def test_checkbox_is_boolean_with_no_display_value_and_absent_when_untouched(sheet):
    plan = sheet("Project Plan")
    done = cells_of(plan, "Done")
    assert done[1] == {"columnId": column(plan, "Done")["id"], "value": False, "objectValue": False}
    assert "value" not in done[0] and "value" not in done[5]  # never touched
    assert column(plan, "At Risk")["symbol"] == "FLAG" and column(sheet("Inventory"), "Starred")["symbol"] == "STAR"


def test_picklist_holds_option_text_or_a_number(sheet):
    inventory = sheet("Inventory")
    priority = cells_of(inventory, "Priority")
    assert (priority[0]["value"], priority[0]["displayValue"], priority[0]["objectValue"]) == ("High", "High", "High")
    assert (priority[2]["value"], priority[2]["displayValue"]) == (3, "3")
    assert (
        column(inventory, "Priority")["symbol"] == "PRIORITY" and column(inventory, "Fill")["symbol"] == "HARVEY_BALLS"
    )


def test_contact_list_value_is_the_email_display_the_name(sheet):
    inventory = sheet("Inventory")
    owners = cells_of(inventory, "Owner")
    assert owners[0]["value"] == "ada@example.com" and owners[0]["displayValue"] == "Ada Lovelace"
    assert owners[0]["objectValue"] == {"objectType": "CONTACT", "email": "ada@example.com", "name": "Ada Lovelace"}
    nameless = owners[4]
    assert nameless["displayValue"] == "noname@example.com" and "name" not in nameless["objectValue"]


def test_contact_list_can_hold_free_text(sheet):
    owner = cells_of(sheet("Inventory"), "Owner")[2]
    assert owner["value"] == owner["displayValue"] == owner["objectValue"] == "the night shift"


def test_date_cells_are_iso_dates_without_display_value(sheet):
    received = cells_of(sheet("Inventory"), "Received")[0]
    assert received["value"] == "2025-01-10" and "displayValue" not in received
    assert received["objectValue"] == {"objectType": "DATE", "value": "2025-01-10"}


def test_date_column_can_hold_free_text(sheet):
    assert cells_of(sheet("Inventory"), "Received")[3]["value"] == "next Tuesday"


def test_abstract_datetime_holds_dates_times_or_free_text(sheet):
    plan = sheet("Project Plan")
    start, finish, tbd = cells_of(plan, "Start")[0], cells_of(plan, "Finish")[1], cells_of(plan, "Finish")[0]
    assert start["objectValue"] == {"objectType": "ABSTRACT_DATETIME", "value": start["value"]}
    assert finish["value"].endswith("T17:00:00") and finish["objectValue"]["objectType"] == "ABSTRACT_DATETIME"
    assert tbd["value"] == "TBD"


def test_duration_text_and_object(sheet):
    durations = cells_of(sheet("Project Plan"), "Duration")
    first = durations[0]
    assert first["value"] == first["displayValue"] == "4d 6h 30m"
    assert first["objectValue"] == {
        "objectType": "DURATION",
        "weeks": 0,
        "days": 4,
        "hours": 6,
        "minutes": 30,
        "seconds": 0,
        "milliseconds": 0,
        "elapsed": False,
        "negative": False,
    }
    assert durations[2]["objectValue"]["elapsed"] is True and durations[3]["objectValue"]["negative"] is True


def test_predecessor_text_and_list(sheet):
    plan = sheet("Project Plan")
    cell_ = cells_of(plan, "Predecessors")[2]
    assert cell_["value"] == "2FS +1d 4h"
    [pred] = cell_["objectValue"]["predecessors"]
    assert cell_["objectValue"]["objectType"] == "PREDECESSOR_LIST"
    assert (pred["rowId"], pred["rowNumber"], pred["type"], pred["invalid"]) == (plan["rows"][1]["id"], 2, "FS", False)
    assert pred["lag"]["days"] == 1 and pred["lag"]["hours"] == 4 and pred["inCriticalPath"] is False


def test_system_columns(sheet):
    log = sheet("Audit Log")
    types = {c["title"]: (c["type"], c.get("systemColumnType")) for c in log["columns"]}
    assert types["ID"] == ("TEXT_NUMBER", "AUTO_NUMBER") and types["Created By"] == ("CONTACT_LIST", "CREATED_BY")
    assert types["Modified By"] == ("CONTACT_LIST", "MODIFIED_BY") and types["Created"] == ("DATETIME", "CREATED_DATE")
    assert types["Modified"] == ("DATETIME", "MODIFIED_DATE")
    assert column(log, "ID")["autoNumberFormat"] == {"prefix": "EV-", "suffix": "", "fill": "0000", "startingNumber": 1}
    row = log["rows"][0]
    assert cell(log, row, "ID")["value"] == "EV-0001"
    created_by = cell(log, row, "Created By")
    assert created_by["value"] == "ada@example.com" and created_by["displayValue"] == "Ada Lovelace"
    created = cell(log, row, "Created")
    assert created["value"] == row["createdAt"] and created["objectValue"] == {
        "objectType": "DATETIME",
        "value": row["createdAt"],
    }
    assert cell(log, row, "Modified")["displayValue"]  # DATETIME is formatted for display


def test_hyperlink_cells_may_have_a_null_value(sheet):
    links = cells_of(sheet("Inventory"), "Link")
    assert links[1].get("value") is None and links[1]["hyperlink"] == {"url": "https://example.com/parts/1"}
    assert links[6]["value"] == "Spec sheet" and links[6]["hyperlink"]["url"] == "https://example.com/spec"


def test_formula_errors_arrive_as_values_in_numeric_columns(sheet):
    cell_ = cells_of(sheet("Inventory"), "Units per Box")[1]
    assert cell_["value"] == "#DIVIDE BY ZERO" and cell_["formula"].startswith("=")


def test_cells_hold_at_most_4000_characters(sandbox, sheet):
    messy = sheet("Messy Titles")
    assert [len(c.get("value", "")) for c in cells_of(messy, "Long")[:2]] == [4000, 4000]  # 4,500 was cut
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.edit_cell(sheet_id, sandbox.store.row_ids(sheet_id)[0], "Item", "y" * 5000)
    assert len(cells_of(sheet("Inventory"), "Item")[0]["value"]) == 4000


def test_titles_collide_and_use_any_script(sheet):
    titles = [c["title"] for c in sheet("Messy Titles")["columns"]]
    assert "Status" in titles and "status" in titles and titles.count("Notes") == 2
    assert {"Row ID", "modified_at", "🚀", "状态", "الحالة"} <= set(titles)


def test_values_use_any_script(sheet):
    messy = sheet("Messy Titles")
    row = messy["rows"][0]
    assert cell(messy, row, "🚀")["value"] == "🚀🚀" and cell(messy, row, "状态")["value"] == "进行中"
    assert cell(messy, row, "الحالة")["value"] == "نشط"
