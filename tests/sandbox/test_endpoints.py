"""The other read endpoints: version, columns, summary, attachments, discussions, reports, workspaces, folders."""

import pytest
import requests

from sandbox import sample_account


@pytest.fixture
def ids(sandbox):
    store = sandbox.store
    return {
        "plan": store.sheet_id("Project Plan"),
        "roster": store.sheet_id("Team Roster"),
        "rollup": store.report_id("Weekly Rollup"),
        "overview": store.report_id("Team Overview"),
    }


def test_users_me_is_the_cheapest_authenticated_call(api):
    me = api("/users/me").json()
    assert {"id", "email", "firstName", "lastName", "account"} <= set(me)


def test_version_endpoint_returns_only_the_version(sandbox, api, ids):
    assert api(f"/sheets/{ids['plan']}/version").json() == {"version": sandbox.store.version(ids["plan"])}


def test_columns_endpoint_is_an_index_result_at_a_level(api, ids):
    body = api(f"/sheets/{ids['roster']}/columns").json()
    assert body["totalCount"] == 6 and {"pageNumber", "pageSize", "totalPages"} <= set(body)
    assert [c["type"] for c in body["data"]][1:3] == ["TEXT_NUMBER", "TEXT_NUMBER"]
    leveled = api(f"/sheets/{ids['roster']}/columns", level=2).json()["data"]
    assert [c["type"] for c in leveled][1:3] == ["MULTI_CONTACT_LIST", "MULTI_PICKLIST"]


def test_summary_endpoint_lists_fields(api, ids):
    fields = api(f"/sheets/{ids['plan']}/summary").json()["fields"]
    budget = fields[1]
    assert {"id", "index", "title", "type", "objectValue", "displayValue", "createdAt", "modifiedAt"} <= set(budget)
    assert (budget["objectValue"], budget["displayValue"]) == (125000, "$125,000.00")
    assert fields[0]["objectValue"]["objectType"] == "CONTACT"


def test_attachments_endpoint(api, ids):
    body = api(f"/sheets/{ids['plan']}/attachments").json()
    assert body["totalCount"] == 2
    keys = {"id", "parentId", "parentType", "attachmentType", "mimeType", "name", "sizeInKb", "createdAt", "createdBy"}
    assert all(keys <= set(a) for a in body["data"])
    assert {a["parentType"] for a in body["data"]} == {"SHEET", "ROW"}


def test_discussions_carry_comments_only_when_included(api, ids):
    bare = api(f"/sheets/{ids['plan']}/discussions").json()["data"]
    assert all("comments" not in d and d["commentCount"] >= 1 for d in bare)
    full = api(f"/sheets/{ids['plan']}/discussions", include="comments").json()["data"]
    kickoff = full[0]
    assert {"id", "title", "parentId", "parentType", "commentCount", "lastCommentedAt", "createdBy"} <= set(kickoff)
    assert [c["text"] for c in kickoff["comments"]] == ["Welcome aboard!", "Thanks — 楽しみです 🎉"]
    assert {"id", "discussionId", "text", "createdAt", "modifiedAt", "createdBy"} <= set(kickoff["comments"][0])


def test_reports_list_is_an_index_result(api):
    body = api("/reports").json()
    assert [r["name"] for r in body["data"]] == ["Team Overview", "Weekly Rollup"]
    assert set(body["data"][0]) == {"id", "name", "accessLevel", "permalink"}


def test_report_columns_are_virtual_with_a_sheet_name_column(api, ids):
    report = api(f"/reports/{ids['rollup']}").json()
    assert all("virtualId" in c for c in report["columns"])
    assert report["columns"][0]["sheetNameColumn"] is True and report["columns"][0]["title"] == "Sheet Name"
    assert not any(c.get("sheetNameColumn") for c in report["columns"][1:])
    assert "version" not in report


def test_report_rows_carry_sheet_id_and_cells_virtual_column_id(sandbox, api, ids):
    report = api(f"/reports/{ids['rollup']}").json()
    sources = set(sandbox.store.sheet_ids("Weekly Report"))
    assert {row["sheetId"] for row in report["rows"]} == sources
    row = report["rows"][0]
    assert [c["virtualColumnId"] for c in row["cells"]] == [c["virtualId"] for c in report["columns"]]
    assert "columnId" not in row["cells"][0] and row["cells"][0]["value"] == "Weekly Report"  # the synthetic column
    assert all("columnId" in c for c in row["cells"][1:])


def test_report_drops_fully_blank_rows(sandbox, api, ids):
    report = api(f"/reports/{ids['rollup']}").json()
    source_rows = sum(len(sandbox.store.row_ids(s)) for s in sandbox.store.sheet_ids("Weekly Report"))
    assert source_rows == 10 and report["totalRowCount"] == len(report["rows"]) == 8


def test_report_pages_partition_rows(api, ids):
    pages = [api(f"/reports/{ids['rollup']}", pageSize=3, page=p).json()["rows"] for p in (1, 2, 3, 9)]
    assert [len(p) for p in pages] == [3, 3, 2, 2]  # a page past the end is the last page again
    assert len({row["id"] for page in pages[:3] for row in page}) == 8


def test_report_pages_hold_at_most_10000_rows(make_sandbox):
    account = sample_account()
    weekly = next(s for s in account["sheets"] if s["name"] == "Weekly Report")
    template = weekly["rows"][0]
    weekly["rows"] = [{**template, "id": 2**52 + n} for n in range(10_050)]
    server = make_sandbox(account=account)
    url = f"{server.url}/reports/{server.store.report_id('Weekly Rollup')}"

    def get(**params):
        return requests.get(url, params=params, headers={"Authorization": f"Bearer {server.token}"}).json()

    assert len(get(pageSize=20000)["rows"]) == 10_000
    assert len(get(pageSize=10000, page=2)["rows"]) == 10_050 + 4 - 10_000


def test_report_levels_show_multi_columns_like_sheets(api, ids):
    flat = api(f"/reports/{ids['overview']}").json()
    assert [c["type"] for c in flat["columns"]][2:] == ["TEXT_NUMBER", "TEXT_NUMBER"]
    rich = api(f"/reports/{ids['overview']}", level=3, include="objectValue").json()
    assert [c["type"] for c in rich["columns"]][2:] == ["MULTI_CONTACT_LIST", "MULTI_PICKLIST"]
    assert rich["rows"][0]["cells"][2]["objectValue"]["objectType"] == "MULTI_CONTACT"


def test_workspaces_use_token_paging(api):
    body = api("/workspaces").json()
    assert [w["name"] for w in body["data"]] == ["Engineering", "Operations", "Sales"] and "lastKey" not in body
    first = api("/workspaces", maxItems=2).json()
    rest = api("/workspaces", maxItems=2, lastKey=first["lastKey"]).json()
    assert [w["name"] for w in first["data"] + rest["data"]] == ["Engineering", "Operations", "Sales"]


def test_workspace_children_carry_resource_type(sandbox, api):
    engineering = sandbox.store.workspace_id("Engineering")
    items = api(f"/workspaces/{engineering}/children").json()["data"]
    assert [(i["resourceType"], i["name"]) for i in items] == [("folder", "Projects"), ("sheet", "Empty Sheet")]
    sales = api(f"/workspaces/{sandbox.store.workspace_id('Sales')}/children").json()["data"]
    assert ("report", "Weekly Rollup") in [(i["resourceType"], i["name"]) for i in sales]


def test_folder_children_nest_and_filter_by_type(sandbox, api):
    projects = sandbox.store.folder_id("Projects")
    items = api(f"/folders/{projects}/children").json()["data"]
    assert [(i["resourceType"], i["name"]) for i in items] == [("folder", "Archive"), ("sheet", "Project Plan")]
    only_sheets = api(f"/folders/{projects}/children", childrenResourceTypes="sheets").json()["data"]
    assert [i["name"] for i in only_sheets] == ["Project Plan"]
    archive = api(f"/folders/{sandbox.store.folder_id('Archive')}/children").json()["data"]
    assert [i["name"] for i in archive] == ["Messy Titles"]


def test_children_token_paging(sandbox, api):
    sales = sandbox.store.workspace_id("Sales")
    first = api(f"/workspaces/{sales}/children", maxItems=1).json()
    second = api(f"/workspaces/{sales}/children", maxItems=5, lastKey=first["lastKey"]).json()
    assert len(first["data"]) == 1 and "lastKey" not in second and len(second["data"]) == 2


def test_the_same_sheet_name_lives_in_two_folders(sandbox, api):
    for folder in ("Team A", "Team B"):
        items = api(f"/folders/{sandbox.store.folder_id(folder)}/children").json()["data"]
        assert [i["name"] for i in items] == ["Weekly Report"]
