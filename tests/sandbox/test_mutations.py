"""The control API: every mutation changes what the API returns and bumps what the real service bumps."""

import pytest

from sandbox import RemoteSandbox

from .helpers import cell, column


@pytest.fixture
def inv(sandbox, api):
    """(store, sheet id, a GET of the sheet at level 2 with objectValue) for Inventory."""
    sheet_id = sandbox.store.sheet_id("Inventory")
    return sandbox.store, sheet_id, lambda **p: api(f"/sheets/{sheet_id}", level=2, include="objectValue", **p).json()


def test_edit_cell_bumps_version_and_only_that_rows_modified_at(inv):
    store, sheet_id, get = inv
    before = get()
    row_id = before["rows"][2]["id"]
    store.edit_cell(sheet_id, row_id, store.column_id(sheet_id, "Item"), "Sprocket")
    after = get()
    assert after["version"] == before["version"] + 1 and after["modifiedAt"] > before["modifiedAt"]
    assert cell(after, after["rows"][2], "Item")["value"] == "Sprocket"
    changed = [
        r["id"] for r, old in zip(after["rows"], before["rows"], strict=True) if r["modifiedAt"] != old["modifiedAt"]
    ]
    assert changed == [row_id]


def test_edit_cell_by_title_builds_the_typed_cell(inv):
    store, sheet_id, get = inv
    store.edit_cell(sheet_id, store.row_ids(sheet_id)[0], "Owner", {"email": "new@example.com", "name": "New Person"})
    owner = cell(get(), get()["rows"][0], "Owner")
    assert owner["value"] == "new@example.com" and owner["displayValue"] == "New Person"


def test_clearing_a_cell_leaves_just_its_column_id(inv):
    store, sheet_id, get = inv
    store.edit_cell(sheet_id, store.row_ids(sheet_id)[0], "Item", None)
    sheet = get()
    assert cell(sheet, sheet["rows"][0], "Item") == {"columnId": column(sheet, "Item")["id"]}


def test_edits_refresh_the_modified_system_cells(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Audit Log")
    row_id = store.row_ids(sheet_id)[0]
    store.edit_cell(sheet_id, row_id, "Event", "logout")
    sheet = api(f"/sheets/{sheet_id}").json()
    row = sheet["rows"][0]
    assert cell(sheet, row, "Modified")["value"] == row["modifiedAt"]
    assert cell(sheet, row, "Modified By")["value"] == "sandbox.user@example.com"
    assert cell(sheet, row, "Created")["value"] == row["createdAt"] != row["modifiedAt"]
    with pytest.raises(ValueError):
        store.edit_cell(sheet_id, row_id, "ID", "EV-9")


def test_add_row_at_the_bottom_with_system_cells(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Audit Log")
    row_id = store.add_row(sheet_id, {"Event": "export"})
    sheet = api(f"/sheets/{sheet_id}").json()
    row = sheet["rows"][-1]
    assert (
        row["id"] == row_id and row["rowNumber"] == len(sheet["rows"]) and row["siblingId"] == sheet["rows"][-2]["id"]
    )
    assert cell(sheet, row, "ID")["value"] == "EV-0008"
    assert cell(sheet, row, "Created")["value"] == row["createdAt"] == row["modifiedAt"]


def test_add_row_under_a_parent_and_after_a_sibling_renumbers_without_touching_others(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Project Plan")
    before = api(f"/sheets/{sheet_id}").json()["rows"]
    discovery, interview = before[0]["id"], before[1]["id"]
    child = store.add_row(sheet_id, {"Task Name": "first child"}, parent_id=discovery, to_top=True)
    after_sibling = store.add_row(sheet_id, {"Task Name": "after interviews"}, sibling_id=interview)
    rows = api(f"/sheets/{sheet_id}").json()["rows"]
    assert rows[1]["id"] == child and rows[1]["parentId"] == discovery and "siblingId" not in rows[1]
    assert rows[2]["id"] == interview and rows[2]["siblingId"] == child
    moved = [r for r in rows if r["id"] == after_sibling][0]
    assert moved["rowNumber"] == 7 and moved["siblingId"] == interview and moved["parentId"] == discovery
    assert [r["rowNumber"] for r in rows] == list(range(1, len(before) + 3))
    old = {r["id"]: r["modifiedAt"] for r in before}
    assert all(r["modifiedAt"] == old[r["id"]] for r in rows if r["id"] in old)


def test_delete_row_removes_its_children_too(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Project Plan")
    rows = store.row_ids(sheet_id)
    store.delete_row(sheet_id, rows[1])  # "Interview stakeholders" and its 3 descendants
    after = api(f"/sheets/{sheet_id}").json()
    assert after["totalRowCount"] == 13 and rows[2] not in [r["id"] for r in after["rows"]]
    assert after["rows"][1]["id"] == rows[5] and "siblingId" not in after["rows"][1]


def test_move_row_moves_the_subtree_and_only_bumps_the_moved_row(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Project Plan")
    before = api(f"/sheets/{sheet_id}").json()["rows"]
    backend = before[8]["id"]  # with 4 descendants
    store.move_row(sheet_id, backend, to_top=True)
    rows = api(f"/sheets/{sheet_id}").json()["rows"]
    assert [r["id"] for r in rows[:5]] == [r["id"] for r in before[8:13]]
    assert "parentId" not in rows[0] and rows[1]["parentId"] == backend
    old = {r["id"]: r["modifiedAt"] for r in before}
    assert [r["id"] for r in rows if r["modifiedAt"] != old[r["id"]]] == [backend]
    with pytest.raises(ValueError):
        store.move_row(sheet_id, backend, parent_id=rows[1]["id"])


def test_recalculate_changes_values_and_version_but_no_modified_at(inv):
    store, sheet_id, get = inv
    before = get()
    store.recalculate(sheet_id, "Quantity", lambda old: old + 1 if isinstance(old, int) else old)
    after = get()
    assert cell(after, after["rows"][0], "Quantity")["value"] == 12346
    assert after["version"] == before["version"] + 1
    assert [r["modifiedAt"] for r in after["rows"]] == [r["modifiedAt"] for r in before["rows"]]


def test_recalculate_with_a_row_mapping_keeps_the_formula(inv):
    store, sheet_id, get = inv
    row_id = store.row_ids(sheet_id)[1]
    store.recalculate(sheet_id, "Units per Box", {str(row_id): 7})
    recalculated = cell(get(), get()["rows"][1], "Units per Box")
    assert recalculated["value"] == 7 and recalculated["formula"] == "=[Quantity]@row / 0"


def test_add_rename_retype_delete_column(inv):
    store, sheet_id, get = inv
    version = get()["version"]
    new = store.add_column(sheet_id, "Colour", "PICKLIST", index=1, options=["red", "blue"])
    sheet = get()
    assert sheet["columns"][1]["id"] == new and [c["index"] for c in sheet["columns"]] == list(range(13))
    assert cell(sheet, sheet["rows"][0], "Colour") == {"columnId": new}
    store.rename_column(sheet_id, new, "Color")
    store.retype_column(sheet_id, "Owner", "TEXT_NUMBER")
    sheet = get()
    assert column(sheet, "Color")["id"] == new
    assert (
        column(sheet, "Owner")["type"] == "TEXT_NUMBER"
        and cell(sheet, sheet["rows"][0], "Owner")["value"] == "ada@example.com"
    )
    store.delete_column(sheet_id, new)
    sheet = get()
    assert new not in [c["id"] for c in sheet["columns"]] and all(len(r["cells"]) == 12 for r in sheet["rows"])
    assert sheet["version"] == version + 4
    with pytest.raises(ValueError):
        store.delete_column(sheet_id, "SKU")  # the primary column


def test_retype_to_multi_picklist_changes_column_version(inv):
    store, sheet_id, get = inv
    store.retype_column(sheet_id, "Item", "MULTI_PICKLIST")
    assert column(get(), "Item")["version"] == 2


def test_create_rename_delete_sheet(sandbox, api):
    store = sandbox.store
    folder = store.folder_id("Team A")
    sheet_id = store.create_sheet("New Sheet", ["Name", {"title": "Due", "type": "DATE"}], folder_id=folder)
    sheet = api(f"/sheets/{sheet_id}").json()
    assert sheet["columns"][0]["primary"] is True and sheet["columns"][1]["type"] == "DATE" and sheet["rows"] == []
    assert "New Sheet" in [i["name"] for i in api(f"/folders/{folder}/children").json()["data"]]
    store.rename_sheet(sheet_id, "Renamed")
    assert api(f"/sheets/{sheet_id}").json()["name"] == "Renamed"
    store.delete_sheet(sheet_id)
    assert api(f"/sheets/{sheet_id}").status_code == 404
    assert "Renamed" not in [s["name"] for s in api("/sheets").json()["data"]]


def test_move_sheet_between_folders(sandbox, api):
    store = sandbox.store
    sheet_id, team_b = store.sheet_id("Inventory"), store.folder_id("Team B")
    store.move_sheet(sheet_id, folder_id=team_b)
    assert "Inventory" in [i["name"] for i in api(f"/folders/{team_b}/children").json()["data"]]
    assert api(f"/sheets/{sheet_id}").json()["workspace"]["name"] == "Sales"


def test_summary_fields_can_be_edited_and_added(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Project Plan")
    version = store.version(sheet_id)
    store.set_summary_field(sheet_id, "Budget", 99, "TEXT_NUMBER")
    store.set_summary_field(sheet_id, "Risk", "Low", "PICKLIST")
    fields = {f["title"]: f for f in api(f"/sheets/{sheet_id}/summary").json()["fields"]}
    assert fields["Budget"]["objectValue"] == 99 and fields["Risk"]["index"] == 4
    assert store.version(sheet_id) == version + 2


def test_attachments_can_be_added_and_removed(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Inventory")
    row_id = store.row_ids(sheet_id)[0]
    attachment = store.add_attachment(sheet_id, "photo.png", row_id=row_id, mime_type="image/png")
    items = api(f"/sheets/{sheet_id}/attachments").json()["data"]
    assert [(a["name"], a["parentType"], a["parentId"]) for a in items][-1] == ("photo.png", "ROW", row_id)
    store.remove_attachment(sheet_id, attachment)
    assert "photo.png" not in [a["name"] for a in api(f"/sheets/{sheet_id}/attachments").json()["data"]]


def test_discussions_and_comments_bump_the_version(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Inventory")
    version = store.version(sheet_id)
    discussion = store.add_discussion(sheet_id, "Low stock?", row_id=store.row_ids(sheet_id)[0])
    store.add_comment(sheet_id, discussion, "Reordered.")
    [item] = api(f"/sheets/{sheet_id}/discussions", include="comments").json()["data"]
    assert item["commentCount"] == 2 and [c["text"] for c in item["comments"]] == ["Low stock?", "Reordered."]
    assert api(f"/sheets/{sheet_id}/version").json()["version"] == version + 2


def test_update_report_changes_sources_and_columns(sandbox, api):
    store = sandbox.store
    report_id = store.report_id("Weekly Rollup")
    first = store.sheet_ids("Weekly Report")[0]
    store.update_report(report_id, name="Rollup A", source_sheet_ids=[first])
    report = api(f"/reports/{report_id}").json()
    assert report["name"] == "Rollup A" and {r["sheetId"] for r in report["rows"]} == {first}
    store.update_report(report_id, columns=[{"title": "Amount", "type": "TEXT_NUMBER"}])
    assert [c["title"] for c in api(f"/reports/{report_id}").json()["columns"]] == ["Amount"]


def test_reports_skip_unreadable_sources(sandbox, api):
    store = sandbox.store
    store.set_access(store.sheet_ids("Weekly Report")[0], False)
    report = api(f"/reports/{store.report_id('Weekly Rollup')}").json()
    assert report["totalRowCount"] == 4


def test_lookups_refuse_ambiguous_names(sandbox):
    with pytest.raises(LookupError):
        sandbox.store.sheet_id("Weekly Report")
    assert len(sandbox.store.sheet_ids("Weekly Report")) == 2
    with pytest.raises(LookupError):
        sandbox.store.column_id(sandbox.store.sheet_id("Messy Titles"), "Notes")


def test_remote_control_drives_the_store_over_http(sandbox, api):
    remote = RemoteSandbox(sandbox.url)
    sheet_id = remote.sheet_id("Inventory")
    row_id = remote.row_ids(sheet_id)[0]
    remote.edit_cell(sheet_id, row_id, "Item", "via HTTP")
    remote.recalculate(sheet_id, "Quantity", {str(row_id): 1})
    sheet = api(f"/sheets/{sheet_id}").json()
    assert cell(sheet, sheet["rows"][0], "Item")["value"] == "via HTTP"
    assert cell(sheet, sheet["rows"][0], "Quantity")["value"] == 1
    with pytest.raises(RuntimeError, match="LookupError"):
        remote.sheet_id("No Such Sheet")
