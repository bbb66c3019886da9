"""GET /sheets: offset and token paging, clamping, modifiedSince, include=sheetVersion, order."""

import pytest
import requests

from sandbox import sample_account

from .helpers import shift


@pytest.fixture
def many(make_sandbox):
    """A sandbox with 8 sample + 25 bench sheets, and a GET against it."""
    server = make_sandbox(account=sample_account(many=25))

    def get(**params):
        response = requests.get(
            server.url + "/sheets", params=params, headers={"Authorization": f"Bearer {server.token}"}
        )
        assert response.status_code == 200, response.text
        return response.json()

    return get


def test_list_items_have_the_documented_fields(api):
    body = api("/sheets").json()
    assert set(body) == {"pageNumber", "pageSize", "totalPages", "totalCount", "data"}
    assert set(body["data"][0]) == {"id", "name", "accessLevel", "permalink", "createdAt", "modifiedAt"}


def test_list_is_sorted_by_name(api):
    names = [s["name"] for s in api("/sheets").json()["data"]]
    assert names == sorted(names, key=str.casefold)
    assert names.count("Weekly Report") == 2  # two sheets may share a name


def test_default_page_size_is_100(many):
    body = many()
    assert (body["pageNumber"], body["pageSize"], body["totalCount"], len(body["data"])) == (1, 100, 33, 33)


def test_offset_pages_partition_the_list(many):
    pages = [many(page=p, pageSize=10) for p in (1, 2, 3, 4)]
    assert [len(p["data"]) for p in pages] == [10, 10, 10, 3]
    assert all(p["totalPages"] == 4 and p["totalCount"] == 33 for p in pages)
    assert len({s["id"] for p in pages for s in p["data"]}) == 33


def test_a_page_past_the_last_is_clamped_and_says_which(many):
    body = many(page=9, pageSize=10)
    assert body["pageNumber"] == 4 and len(body["data"]) == 3


def test_include_all_returns_everything_on_one_page(many):
    body = many(includeAll="true", pageSize=5)
    assert len(body["data"]) == 33 and body["totalPages"] == 1


def test_include_sheet_version_adds_version(sandbox, api):
    assert "version" not in api("/sheets").json()["data"][0]
    item = api("/sheets", include="sheetVersion").json()["data"][0]
    assert item["version"] == sandbox.store.version(item["id"])


def test_modified_since_is_inclusive(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.rename_sheet(sheet_id, "Inventory 2")
    stamp = sandbox.store.sheet(sheet_id)["modifiedAt"]
    assert [s["id"] for s in api("/sheets", modifiedSince=stamp).json()["data"]] == [sheet_id]
    assert api("/sheets", modifiedSince=shift(stamp, 1)).json()["data"] == []


def test_token_paging_walks_with_last_key(many):
    first = many(maxItems=20)
    assert set(first) == {"data", "lastKey"} and len(first["data"]) == 20
    second = many(maxItems=20, lastKey=first["lastKey"])
    assert len(second["data"]) == 13 and "lastKey" not in second  # absent on the last page
    assert {s["id"] for s in first["data"]}.isdisjoint(s["id"] for s in second["data"])


def test_token_paging_with_pagination_type(many):
    body = many(paginationType="token")
    assert "pageNumber" not in body and len(body["data"]) == 33 and "lastKey" not in body


def test_inaccessible_sheets_are_not_listed(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.set_access(sheet_id, False)
    assert sheet_id not in [s["id"] for s in api("/sheets").json()["data"]]
