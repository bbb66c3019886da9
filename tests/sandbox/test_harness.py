"""The fixtures other test suites build on."""

import requests

from sandbox import sample_account


def test_sandbox_fixture_serves_the_api_root_on_loopback(sandbox, api):
    assert sandbox.url.startswith("http://127.0.0.1:") and sandbox.url.endswith("/2.0")
    assert sandbox.token == "sandbox-token"
    assert api("/users/me").json()["email"] == "sandbox.user@example.com"


def test_each_test_gets_a_fresh_copy_of_the_sample_account(make_sandbox):
    first, second = make_sandbox(), make_sandbox()
    sheet_id = first.store.sheet_id("Inventory")
    first.store.delete_sheet(sheet_id)
    assert sheet_id not in first.store.sheet_ids()
    assert second.store.sheet_id("Inventory") == sheet_id


def test_make_sandbox_takes_a_custom_account_and_token(make_sandbox):
    server = make_sandbox(account=sample_account(many=3), token="other")
    names = [
        s["name"]
        for s in requests.get(server.url + "/sheets", headers={"Authorization": "Bearer other"}).json()["data"]
    ]
    assert {"Bench Sheet 0001", "Bench Sheet 0003"} <= set(names)


def test_the_generator_is_deterministic():
    assert sample_account() == sample_account()
    assert sample_account(seed=1) != sample_account()
