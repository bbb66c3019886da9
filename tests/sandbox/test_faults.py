"""Fault injection, latency and the request log."""

import time

import pytest
import requests

from sandbox import RemoteSandbox


def statuses(api, path, n):
    return [api(path).status_code for _ in range(n)]


def test_n_rate_limits_with_retry_after_then_success(sandbox, api):
    fault = sandbox.faults.add(r"^/sheets$", "error", code=4003, count=3, retry_after=2)
    responses = [api("/sheets") for _ in range(4)]
    assert [r.status_code for r in responses] == [429, 429, 429, 200]
    assert [r.headers.get("Retry-After") for r in responses] == ["2", "2", "2", None]
    assert responses[0].json()["errorCode"] == 4003 and fault.fired == 3


def test_rate_limits_without_retry_after(sandbox, api):
    sandbox.faults.add(r"^/sheets$", "error", code=4003, count=1)
    response = api("/sheets")
    assert response.status_code == 429 and "Retry-After" not in response.headers


@pytest.mark.parametrize(("code", "status"), [(4000, 500), (4001, 503), (4002, 500), (4004, 500)])
def test_server_errors_with_each_code(sandbox, api, code, status):
    sandbox.faults.add(r"^/users/me$", "error", code=code)
    response = api("/users/me")
    assert (response.status_code, response.json()["errorCode"]) == (status, code)
    assert set(response.json()) == {"errorCode", "message", "refId"}
    assert api("/users/me").status_code == 200


def test_token_expiry_from_the_kth_request_on(sandbox, api):
    sandbox.faults.add(r".*", "error", code=1003, skip=2, count=None)
    assert statuses(api, "/users/me", 5) == [200, 200, 401, 401, 401]
    assert api("/users/me").json()["errorCode"] == 1003


def test_faults_match_the_path_regex_only(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.faults.add(rf"^/sheets/{sheet_id}$", "error", code=4000, count=None)
    assert api(f"/sheets/{sheet_id}/version").status_code == 200
    assert api(f"/sheets/{sheet_id}").status_code == 500


def test_slow_response_beats_a_client_timeout(sandbox, api):
    sandbox.faults.add(r"^/users/me$", "slow", delay_s=0.6)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api("/users/me", timeout=0.2)
    assert api("/users/me").status_code == 200


def test_connection_reset_mid_body(sandbox, api):
    sandbox.faults.add(r"^/sheets/\d+$", "reset")
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        api(f"/sheets/{sandbox.store.sheet_id('Inventory')}")
    assert api(f"/sheets/{sandbox.store.sheet_id('Inventory')}").status_code == 200


def test_truncated_json_body(sandbox, api):
    sandbox.faults.add(r"^/sheets$", "truncate")
    response = api("/sheets")
    assert response.status_code == 200 and int(response.headers["Content-Length"]) == len(response.content)
    with pytest.raises(requests.exceptions.JSONDecodeError):
        response.json()


def test_sheet_deleted_between_list_and_fetch(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.faults.add(r"^/sheets$", "hook", fn=lambda store: store.delete_sheet(sheet_id))
    assert sheet_id in [s["id"] for s in api("/sheets").json()["data"]]
    assert api(f"/sheets/{sheet_id}").status_code == 404


def test_sheet_edited_between_two_pages_of_one_fetch(sandbox, api):
    store = sandbox.store
    sheet_id = store.sheet_id("Project Plan")
    row_id = store.row_ids(sheet_id)[0]
    sandbox.faults.add(rf"^/sheets/{sheet_id}$", "hook", fn=lambda s: s.edit_cell(sheet_id, row_id, "Task Name", "x"))
    first = api(f"/sheets/{sheet_id}", page=1, pageSize=10).json()
    second = api(f"/sheets/{sheet_id}", page=2, pageSize=10).json()
    assert second["version"] == first["version"] + 1


def test_a_hook_can_wait_for_the_nth_matching_request(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.faults.add(r"^/sheets/\d+/version$", "hook", skip=1, fn=lambda s: s.rename_sheet(sheet_id, "Later"))
    versions = [api(f"/sheets/{sheet_id}/version").json()["version"] for _ in range(3)]
    assert versions[0] == versions[1] and versions[2] == versions[1] + 1


def test_faults_can_be_scripted_over_http(sandbox, api):
    remote = RemoteSandbox(sandbox.url)
    sheet_id = remote.sheet_id("Inventory")
    remote.add_fault(r"^/users/me$", "error", code=4001, count=1)
    remote.add_fault(r"^/sheets$", "hook", op={"op": "delete_sheet", "args": [sheet_id]})
    assert api("/users/me").status_code == 503
    api("/sheets")
    assert api(f"/sheets/{sheet_id}").status_code == 404
    remote.clear_faults()
    assert list(sandbox.faults) == []


def test_unknown_fault_kinds_are_refused(sandbox):
    with pytest.raises(ValueError):
        sandbox.faults.add(".*", "explode")


def test_global_latency(make_sandbox):
    server = make_sandbox(latency_ms=150)
    started = time.monotonic()
    requests.get(server.url + "/users/me", headers={"Authorization": f"Bearer {server.token}"})
    assert time.monotonic() - started >= 0.15
    RemoteSandbox(server.url).settings(latency_ms=0)
    assert server.latency_ms == 0


def test_request_log_records_each_api_request(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    api("/sheets", page=2)
    api(f"/sheets/{sheet_id}")
    api("/nope")
    RemoteSandbox(sandbox.url).requests()  # control calls are not logged
    first, second, third = sandbox.requests
    assert (first.method, first.path, first.query, first.status) == ("GET", "/sheets", {"page": "2"}, 200)
    assert second.bytes > 1000 and second.duration_ms >= 0 and second.at > 0
    assert third.status == 404
    assert sandbox.requests.count(r"^/sheets/\d+$") == 1 and sandbox.requests.count(status=404) == 1


def test_the_token_never_reaches_the_log(sandbox, api):
    api("/sheets")
    api("/sheets", token="wrong-secret")
    assert sandbox.token not in repr(list(sandbox.requests)) and "wrong-secret" not in repr(list(sandbox.requests))
    assert sandbox.token not in str(RemoteSandbox(sandbox.url).requests())
