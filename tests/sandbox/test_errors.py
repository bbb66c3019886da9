"""Auth, the error envelope, parameter validation, access loss and the rate limit."""

import time

import pytest
import requests

from sandbox import sample_account


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["errorCode"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["refId"], str) and body["refId"]


def test_missing_token_is_401_1001(api):
    assert_error(api("/sheets", token=None), 401, 1001)


def test_wrong_token_is_401_1002(api):
    assert_error(api("/sheets", token="not-the-token"), 401, 1002)


def test_the_server_accepts_only_its_own_token(make_sandbox):
    server = make_sandbox(token="custom")
    assert requests.get(server.url + "/users/me", headers={"Authorization": "Bearer custom"}).status_code == 200
    assert_error(requests.get(server.url + "/users/me", headers={"Authorization": "Bearer sandbox-token"}), 401, 1002)


def test_unknown_sheet_is_404_1006_in_the_envelope(api):
    assert_error(api("/sheets/123"), 404, 1006)
    assert_error(api("/sheets/123/version"), 404, 1006)
    assert_error(api("/reports/123"), 404, 1006)


def test_only_the_api_root_is_served(sandbox):
    headers = {"Authorization": f"Bearer {sandbox.token}"}
    assert_error(requests.get(sandbox.url.removesuffix("/2.0") + "/sheets", headers=headers), 404, 1006)
    assert_error(requests.post(sandbox.url + "/sheets", headers=headers, json={}), 404, 1006)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/sheets", {"pageSize": "ten"}),
        ("/sheets", {"page": "0"}),
        ("/sheets", {"includeAll": "maybe"}),
        ("/sheets", {"modifiedSince": "last week"}),
        ("/sheets/{sid}", {"level": "7"}),
        ("/sheets/{sid}", {"pageSize": "1.5"}),
        ("/sheets/{sid}", {"rowsModifiedSince": "yesterday"}),
        ("/sheets/{sid}", {"ifVersionAfter": "v3"}),
        ("/sheets/{sid}", {"columnIds": "1,x"}),
        ("/reports/{rid}", {"level": "4"}),
    ],
)
def test_bad_parameter_values_are_400_1018_naming_the_parameter(sandbox, api, path, params):
    path = path.format(sid=sandbox.store.sheet_id("Inventory"), rid=sandbox.store.report_id("Weekly Rollup"))
    response = api(path, **params)
    assert_error(response, 400, 1018)
    assert list(params)[0] in response.json()["message"]


def test_revoked_access_is_403_1004(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.set_access(sheet_id, False)
    assert_error(api(f"/sheets/{sheet_id}"), 403, 1004)
    sandbox.store.set_access(sheet_id, True)
    assert api(f"/sheets/{sheet_id}").status_code == 200


def test_a_removed_share_can_read_as_404_1006(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    sandbox.store.set_access(sheet_id, False, error_code=1006)
    assert_error(api(f"/sheets/{sheet_id}/version"), 404, 1006)


def test_rate_limit_headers_appear_on_sheet_responses_only(sandbox, api):
    sheet_id = sandbox.store.sheet_id("Inventory")
    headers = api(f"/sheets/{sheet_id}").headers
    assert headers["x-ratelimit-limit"] == "300"
    assert int(headers["x-ratelimit-remaining"]) < 300 and int(headers["x-ratelimit-reset"]) > time.time()
    for path in ("/sheets", f"/sheets/{sheet_id}/version", f"/reports/{sandbox.store.report_id('Weekly Rollup')}"):
        assert not any(h.lower().startswith("x-ratelimit") for h in api(path).headers), path


def test_the_301st_request_in_a_minute_is_429_4003(make_sandbox):
    server = make_sandbox(account=sample_account(), rate_limit_per_minute=300)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token}"
    statuses = [session.get(server.url + "/users/me").status_code for _ in range(301)]
    assert statuses[:300] == [200] * 300
    assert_error(session.get(server.url + "/users/me"), 429, 4003)
    assert statuses[300] == 429


def test_rate_limit_counts_a_sliding_window(make_sandbox, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("sandbox.server.time.monotonic", lambda: clock[0])
    server = make_sandbox(rate_limit_per_minute=3)

    def get():
        return requests.get(server.url + "/users/me", headers={"Authorization": f"Bearer {server.token}"})

    assert [get().status_code for _ in range(4)] == [200, 200, 200, 429]
    clock[0] += 59.9
    assert get().status_code == 429
    clock[0] += 0.2
    assert get().status_code == 200


def test_without_a_limit_the_server_does_not_throttle(sandbox):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sandbox.token}"
    assert {session.get(sandbox.url + "/users/me").status_code for _ in range(320)} == {200}
