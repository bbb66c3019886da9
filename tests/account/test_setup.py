"""The setup form and its setup tests against the sandbox: called directly, and once through
`fivetran configuration --test` (offline: the CLI runs the tests in-process against configuration.json)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sheetsync.config import TOGGLES
from sheetsync.setup import configuration_form, listed_resources_are_readable, token_is_valid
from tests.account.helpers import configuration

ROOT = Path(__file__).resolve().parents[2]
FIVETRAN = Path(sys.executable).parent / "fivetran"  # the CLI installed next to this interpreter
BAD_TOKEN = "not-the-token-XYZ"


def test_the_form_asks_for_the_token_as_a_password_the_region_the_ids_and_each_toggle():
    form = configuration_form()
    fields = {f.name: f for f in form._fields}
    assert fields["smartsheet_api_token"].required and fields["smartsheet_api_token"].text_field == 1  # password
    assert [o.value for o in fields["region"].dropdown_options] == ["us", "eu", "au", "gov"]
    assert {"sheet_ids", "workspace_ids", "exclude_sheet_ids"} <= set(fields)
    assert all(fields[name].toggle for name in TOGGLES)
    assert [func.__name__ for _, func in form._tests] == ["token_is_valid", "listed_resources_are_readable"]


def test_setup_tests_pass_with_a_good_token_and_readable_listed_ids(sandbox):
    store = sandbox.store
    conf = configuration(
        sandbox,
        sheet_ids=f"{store.sheet_id('Inventory')},{store.sheet_id('Audit Log')}",
        workspace_ids=str(store.workspace_id("Sales")),
    )
    assert token_is_valid(conf).success is True
    assert listed_resources_are_readable(conf).success is True
    assert sandbox.requests.count("^/users/me$", status=200) == 1


def test_a_bad_token_fails_with_a_clear_message_that_does_not_repeat_it(make_sandbox):
    server = make_sandbox()
    conf = {**configuration(server), "smartsheet_api_token": BAD_TOKEN, "sheet_ids": "123"}
    failure = token_is_valid(conf).failure
    assert failure is not None and "rejected the API token" in failure and "HTTP 401" in failure
    assert BAD_TOKEN not in failure
    readable = listed_resources_are_readable(conf).failure
    assert readable is not None and "sheet 123" in readable and BAD_TOKEN not in readable


def test_an_unreadable_sheet_and_an_unknown_workspace_are_each_named(sandbox):
    store = sandbox.store
    hidden, fine = store.sheet_id("Inventory"), store.sheet_id("Team Roster")
    store.set_access(hidden, False)
    conf = configuration(sandbox, sheet_ids=f"{fine},{hidden}", workspace_ids="987654321")

    assert token_is_valid(conf).success is True
    failure = listed_resources_are_readable(conf).failure
    assert failure is not None
    assert f"sheet {hidden} is not readable" in failure and "HTTP 403" in failure
    assert "workspace 987654321 is not readable" in failure and "HTTP 404" in failure
    assert str(fine) not in failure


def test_a_bad_setting_fails_the_setup_test_naming_the_setting(sandbox):
    failure = token_is_valid(configuration(sandbox, region="mars", base_url="")).failure
    assert failure is not None and "'region'" in failure


def run_cli_tests(tmp_path: Path, conf: dict) -> subprocess.CompletedProcess:
    """`fivetran configuration <project> --test` in a throwaway project that links to this connector's code."""
    project = tmp_path / "project"
    project.mkdir(parents=True)
    for name in ("connector.py", "sheetsync", "transforms", "schemas", "requirements.txt"):
        (project / name).symlink_to(ROOT / name)
    (project / "configuration.json").write_text(json.dumps(conf))
    env = {**os.environ, "HOME": str(tmp_path / "home"), "DO_NOT_TRACK": "1"}
    return subprocess.run(
        [str(FIVETRAN), "configuration", str(project), "--test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_fivetran_configuration_test_runs_the_setup_tests(sandbox, tmp_path):
    store = sandbox.store
    good = run_cli_tests(tmp_path / "good", configuration(sandbox, sheet_ids=str(store.sheet_id("Inventory"))))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "[token_is_valid - The token is valid]: PASSED" in good.stdout
    assert "All tests passed!" in good.stdout

    store.set_access(store.sheet_id("Inventory"), False)
    bad = run_cli_tests(tmp_path / "bad", configuration(sandbox, sheet_ids=str(store.sheet_id("Inventory"))))
    assert bad.returncode == 1
    assert f"sheet {store.sheet_id('Inventory')} is not readable with this token (HTTP 403" in bad.stdout
