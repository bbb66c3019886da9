"""GET /sheets/{id}: parameters and shapes, one test per fact in docs/smartsheet-api.md."""

import re

import pytest

from .helpers import cell, cells_of, column, shift

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def get_sheet(sandbox, api):
    def get(name: str, **params):
        response = api(f"/sheets/{sandbox.store.sheet_id(name)}", **params)
        assert response.status_code == 200, response.text
        return response.json()

    return get


def test_sheet_carries_the_documented_top_level_fields(get_sheet):
    sheet = get_sheet("Project Plan")
    for key in ("id", "name", "version", "totalRowCount", "accessLevel", "permalink", "createdAt", "modifiedAt"):
        assert key in sheet
    for key in ("columns", "rows", "workspace", "ganttEnabled", "dependenciesEnabled", "hasSummaryFields"):
        assert key in sheet
    assert sheet["workspace"]["name"] == "Engineering"  # through the Projects folder
    assert sheet["effectiveAttachmentOptions"] and "userSettings" in sheet
    assert "pageNumber" not in sheet  # a sheet response never says which page it is


def test_timestamps_are_utc_iso_seconds_and_dates_are_plain(get_sheet):
    sheet = get_sheet("Inventory", include="objectValue")
    assert TIMESTAMP.match(sheet["createdAt"]) and TIMESTAMP.match(sheet["modifiedAt"])
    assert all(TIMESTAMP.match(row["modifiedAt"]) and TIMESTAMP.match(row["createdAt"]) for row in sheet["rows"])
    assert cells_of(sheet, "Received")[0]["value"] == "2025-01-10"


def test_columns_have_a_0_based_index_and_primary_only_when_true(get_sheet):
    sheet = get_sheet("Project Plan")
    assert [c["index"] for c in sheet["columns"]] == list(range(len(sheet["columns"])))
    assert sheet["columns"][0]["primary"] is True
    assert all("primary" not in c for c in sheet["columns"][1:])
    assert column(sheet, "Status")["symbol"] == "RYG" and column(sheet, "Status")["options"] == [
        "Red",
        "Yellow",
        "Green",
    ]


def test_rows_number_from_1_and_carry_hierarchy_links(get_sheet):
    rows = get_sheet("Project Plan")["rows"]
    assert [r["rowNumber"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["sheetId"] for r in rows)
    first, child, grandchild, great = rows[0], rows[1], rows[2], rows[3]
    assert "parentId" not in first and "siblingId" not in first  # a top-level first sibling
    assert child["parentId"] == first["id"] and "siblingId" not in child
    assert grandchild["parentId"] == child["id"] and great["parentId"] == grandchild["id"]  # 4 levels deep
    assert rows[4]["parentId"] == child["id"] and rows[4]["siblingId"] == grandchild["id"]


def test_an_empty_cell_is_just_its_column_id(get_sheet):
    sheet = get_sheet("Project Plan")
    blank_row = sheet["rows"][6]
    assert blank_row["cells"] == [{"columnId": c["id"]} for c in sheet["columns"]]


def test_exclude_nonexistent_cells_drops_empty_cells(get_sheet):
    sheet = get_sheet("Project Plan", exclude="nonexistentCells")
    assert sheet["rows"][6]["cells"] == []
    assert all(len(c) > 1 for row in sheet["rows"] for c in row["cells"])


def test_object_value_only_with_include_object_value(get_sheet):
    plain = get_sheet("Inventory")
    assert not any("objectValue" in c for row in plain["rows"] for c in row["cells"])
    rich = get_sheet("Inventory", include="objectValue")
    assert cell(rich, rich["rows"][0], "Owner")["objectValue"]["objectType"] == "CONTACT"


def test_include_column_type_adds_the_type_to_each_cell(get_sheet):
    sheet = get_sheet("Inventory", include="columnType")
    assert cell(sheet, sheet["rows"][0], "Starred")["columnType"] == "CHECKBOX"
    assert "columnType" not in get_sheet("Inventory")["rows"][0]["cells"][0]


def test_include_writer_info_adds_row_created_by_and_modified_by(get_sheet):
    assert "createdBy" not in get_sheet("Inventory")["rows"][0]
    row = get_sheet("Inventory", include="writerInfo")["rows"][0]
    assert set(row["createdBy"]) == {"name", "email"} and set(row["modifiedBy"]) == {"name", "email"}


def test_include_attachments_and_discussions_on_sheet_and_rows(get_sheet):
    bare = get_sheet("Project Plan")
    assert "attachments" not in bare and "discussions" not in bare
    sheet = get_sheet("Project Plan", include="attachments,discussions")
    assert [a["name"] for a in sheet["attachments"]] == ["charter.pdf"]
    assert [a["name"] for a in sheet["rows"][1]["attachments"]] == ["Interview guide"]
    assert sheet["discussions"][0]["title"] == "Kick-off" and sheet["rows"][0]["discussions"][0]["title"] == "Scope"


def test_unknown_and_unmodelled_include_values_are_ignored(get_sheet):
    sheet = get_sheet("Inventory", include="format,filters,crossSheetReferences,ownerInfo,noSuchThing")
    assert sheet["rows"] and "objectValue" not in sheet["rows"][0]["cells"][0]


def test_column_ids_restrict_columns_and_cells(get_sheet, sandbox):
    wanted = [sandbox.store.column_id(sandbox.store.sheet_id("Inventory"), t) for t in ("Item", "Serial")]
    sheet = get_sheet("Inventory", columnIds=",".join(map(str, wanted)))
    assert [c["id"] for c in sheet["columns"]] == wanted
    assert all([c["columnId"] for c in row["cells"]] == wanted for row in sheet["rows"])


def test_row_ids_and_row_numbers_restrict_rows(get_sheet, sandbox):
    ids = sandbox.store.row_ids(sandbox.store.sheet_id("Inventory"))
    assert [r["id"] for r in get_sheet("Inventory", rowIds=f"{ids[2]},{ids[5]}")["rows"]] == [ids[2], ids[5]]
    assert [r["rowNumber"] for r in get_sheet("Inventory", rowNumbers="1,3")["rows"]] == [1, 3]


@pytest.mark.parametrize(
    ("level", "members", "tags"),
    [
        (0, "TEXT_NUMBER", "TEXT_NUMBER"),
        (1, "MULTI_CONTACT_LIST", "TEXT_NUMBER"),
        (2, "MULTI_CONTACT_LIST", "MULTI_PICKLIST"),
    ],
)
def test_level_decides_how_multi_columns_read(get_sheet, level, members, tags):
    sheet = get_sheet("Team Roster", level=level)
    assert (column(sheet, "Members")["type"], column(sheet, "Tags")["type"]) == (members, tags)
    assert (column(sheet, "Members")["version"], column(sheet, "Tags")["version"]) == (1, 2)  # at any level
    assert column(sheet, "Lead")["version"] == 0


def test_level_0_is_the_default(get_sheet):
    assert column(get_sheet("Team Roster"), "Members")["type"] == "TEXT_NUMBER"


def test_level_0_multi_values_are_joined_text(get_sheet):
    sheet = get_sheet("Team Roster", include="objectValue")
    row = sheet["rows"][0]
    assert cell(sheet, row, "Tags") == {
        "columnId": column(sheet, "Tags")["id"],
        "value": "backend, ops",
        "displayValue": "backend, ops",
        "objectValue": "backend, ops",
    }
    assert cell(sheet, row, "Members")["value"] == "Ada Lovelace, Grace Hopper"


def test_level_2_object_values_are_structured(get_sheet):
    sheet = get_sheet("Team Roster", level=2, include="objectValue")
    row = sheet["rows"][0]
    assert cell(sheet, row, "Months")["objectValue"] == {"objectType": "MULTI_PICKLIST", "values": ["May", "August"]}
    members = cell(sheet, row, "Members")
    assert members["displayValue"] == "Ada Lovelace, Grace Hopper"
    assert members["objectValue"]["objectType"] == "MULTI_CONTACT"
    assert members["objectValue"]["values"][0] == {
        "objectType": "CONTACT",
        "email": "ada@example.com",
        "name": "Ada Lovelace",
    }


def test_level_1_shows_multi_contact_but_not_multi_picklist(get_sheet):
    sheet = get_sheet("Team Roster", level=1, include="objectValue")
    row = sheet["rows"][0]
    assert cell(sheet, row, "Members")["objectValue"]["objectType"] == "MULTI_CONTACT"
    assert cell(sheet, row, "Months")["value"] == "May, August"


def test_without_paging_parameters_all_rows_come_back(sandbox, get_sheet):
    sheet_id = sandbox.store.sheet_id("Inventory")
    for n in range(150):
        sandbox.store.add_row(sheet_id, {"SKU": f"extra {n}"})
    sheet = get_sheet("Inventory")
    assert len(sheet["rows"]) == sheet["totalRowCount"] == 158


def test_only_page_means_a_page_size_of_100(sandbox, get_sheet):
    sheet_id = sandbox.store.sheet_id("Inventory")
    for n in range(150):
        sandbox.store.add_row(sheet_id, {"SKU": f"extra {n}"})
    assert len(get_sheet("Inventory", page=1)["rows"]) == 100
    assert len(get_sheet("Inventory", page=2)["rows"]) == 58


def test_pages_partition_the_rows(get_sheet):
    pages = [get_sheet("Project Plan", page=p, pageSize=5)["rows"] for p in (1, 2, 3, 4)]
    numbers = [r["rowNumber"] for page in pages for r in page]
    assert numbers == list(range(1, 18))


def test_a_page_past_the_end_returns_the_last_page_again(get_sheet):
    last = get_sheet("Project Plan", page=4, pageSize=5)
    past = get_sheet("Project Plan", page=99, pageSize=5)
    assert [r["id"] for r in past["rows"]] == [r["id"] for r in last["rows"]] and len(past["rows"]) == 2
    assert past["totalRowCount"] == 17 and "pageNumber" not in past


def test_page_size_above_10000_is_accepted(get_sheet):
    assert len(get_sheet("Project Plan", pageSize=10001)["rows"]) == 17


def test_rows_modified_since_is_strictly_after(sandbox, get_sheet):
    store = sandbox.store
    sheet_id = store.sheet_id("Inventory")
    row_id = store.row_ids(sheet_id)[3]
    store.edit_cell(sheet_id, row_id, "Item", "Sprocket")
    stamp = store.sheet(sheet_id)["rows"][3]["modifiedAt"]
    assert get_sheet("Inventory", rowsModifiedSince=stamp)["rows"] == []
    assert [r["id"] for r in get_sheet("Inventory", rowsModifiedSince=shift(stamp, -1))["rows"]] == [row_id]


def test_rows_modified_since_omits_all_blank_rows(sandbox, get_sheet):
    sheet_id = sandbox.store.sheet_id("Inventory")
    blank = sandbox.store.add_row(sheet_id)
    filled = sandbox.store.add_row(sheet_id, {"Item": "Rivet"})
    since = shift(sandbox.store.sheet(sheet_id)["modifiedAt"], -5)
    assert [r["id"] for r in get_sheet("Inventory", rowsModifiedSince=since)["rows"]] == [filled]
    assert blank in [r["id"] for r in get_sheet("Inventory")["rows"]]


def test_rows_modified_since_never_reports_deletions(sandbox, get_sheet):
    sheet_id = sandbox.store.sheet_id("Inventory")
    before = get_sheet("Inventory")["totalRowCount"]
    sandbox.store.delete_row(sheet_id, sandbox.store.row_ids(sheet_id)[0])
    sheet = get_sheet("Inventory", rowsModifiedSince=shift(sandbox.store.sheet(sheet_id)["modifiedAt"], -60))
    assert sheet["rows"] == [] and sheet["totalRowCount"] == before - 1


def test_if_version_after_returns_only_the_version_when_unchanged(sandbox, get_sheet):
    version = get_sheet("Inventory")["version"]
    assert get_sheet("Inventory", ifVersionAfter=version) == {"version": version}
    assert "rows" in get_sheet("Inventory", ifVersionAfter=version - 1)
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.edit_cell(sheet_id, sandbox.store.row_ids(sheet_id)[0], "Item", "changed")
    assert get_sheet("Inventory", ifVersionAfter=version)["version"] == version + 1


def test_include_summary_adds_the_summary_fields(get_sheet):
    assert "summary" not in get_sheet("Project Plan")
    fields = get_sheet("Project Plan", include="summary")["summary"]["fields"]
    assert [f["title"] for f in fields] == ["Project Owner", "Budget", "Due", "Health"]
