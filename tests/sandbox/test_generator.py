"""The sample account's coverage, the benchmark accounts, data directories and the command line."""

import json
import subprocess
import sys
from pathlib import Path

import requests

from sandbox import sample_account
from sandbox.__main__ import main
from sandbox.account import save_account

ALL_TYPES = {
    "TEXT_NUMBER",
    "CHECKBOX",
    "PICKLIST",
    "MULTI_PICKLIST",
    "CONTACT_LIST",
    "MULTI_CONTACT_LIST",
    "DATE",
    "DATETIME",
    "ABSTRACT_DATETIME",
    "DURATION",
    "PREDECESSOR",
}
SYSTEM = {"AUTO_NUMBER", "CREATED_BY", "MODIFIED_BY", "CREATED_DATE", "MODIFIED_DATE"}
ROOT = Path(__file__).resolve().parents[2]


def test_sample_covers_every_column_type_and_system_column():
    sheets = sample_account()["sheets"]
    assert len(sheets) >= 8
    columns = [c for s in sheets for c in s["columns"]]
    assert {c["type"] for c in columns} == ALL_TYPES
    assert {c.get("systemColumnType") for c in columns} - {None} == SYSTEM


def test_sample_has_deep_hierarchy_blank_rows_and_an_empty_sheet():
    sheets = {s["name"]: s for s in sample_account()["sheets"]}
    plan = sheets["Project Plan"]["rows"]
    depth = {}
    for row in plan:
        depth[row["id"]] = depth.get(row.get("parentId"), -1) + 1
    assert max(depth.values()) >= 3
    assert any(all(set(c) == {"columnId"} for c in row["cells"]) for row in plan)
    assert sheets["Empty Sheet"]["rows"] == []


def test_ids_are_64_bit_range_integers_near_2_52():
    account = sample_account()
    ids = [s["id"] for s in account["sheets"]] + [r["id"] for s in account["sheets"] for r in s["rows"]]
    assert all(2**52 <= i < 2**53 for i in ids) and len(set(ids)) == len(ids)


def test_large_sheet_is_20000_by_25_of_every_type():
    account = sample_account(large=True)
    [large] = [s for s in account["sheets"] if s["name"] == "Large Sheet"]
    assert len(large["rows"]) == 20_000 and len(large["columns"]) == 25
    assert {c["type"] for c in large["columns"]} == ALL_TYPES
    assert all(len(row["cells"]) == 25 for row in large["rows"])


def test_generate_writes_a_data_dir_with_200_sheets_by_default(tmp_path):
    assert main(["generate", "--out", str(tmp_path), "--many"]) == 0
    assert len(list((tmp_path / "sheets").glob("*.json"))) == 8 + 200
    assert json.loads((tmp_path / "account.json").read_text())["workspaces"][-1]["name"] == "Benchmarks"


def test_a_saved_real_response_is_served_as_is(make_sandbox, tmp_path):
    """A GET /sheets/{id}?level=2&include=objectValue response saved to a file, with no account.json."""
    real = {
        "id": 4583173393803140,
        "name": "Saved From Production",
        "version": 12,
        "totalRowCount": 1,
        "accessLevel": "OWNER",
        "permalink": "https://app.smartsheet.com/sheets/abc",
        "createdAt": "2024-01-02T03:04:05Z",
        "modifiedAt": "2024-02-03T04:05:06Z",
        "workspace": {"id": 123, "name": "Prod"},
        "columns": [
            {"id": 1, "index": 0, "title": "Task", "type": "TEXT_NUMBER", "primary": True, "version": 0},
            {"id": 2, "index": 1, "title": "Months", "type": "MULTI_PICKLIST", "version": 2},
        ],
        "rows": [
            {
                "id": 10,
                "rowNumber": 1,
                "createdAt": "2024-01-02T03:04:05Z",
                "modifiedAt": "2024-02-03T04:05:06Z",
                "cells": [
                    {"columnId": 1, "value": "Plan", "displayValue": "Plan", "objectValue": "Plan"},
                    {
                        "columnId": 2,
                        "displayValue": "May, August",
                        "objectValue": {"objectType": "MULTI_PICKLIST", "values": ["May", "August"]},
                    },
                ],
            }
        ],
    }
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "saved.json").write_text(json.dumps(real))
    server = make_sandbox(account=tmp_path)
    headers = {"Authorization": f"Bearer {server.token}"}
    url = f"{server.url}/sheets/{real['id']}"
    served = requests.get(url, params={"level": 2, "include": "objectValue"}, headers=headers).json()
    assert served["rows"][0]["cells"] == real["rows"][0]["cells"]
    assert served["workspace"] == real["workspace"] and served["version"] == 12
    flat = requests.get(url, headers=headers).json()
    assert flat["columns"][1]["type"] == "TEXT_NUMBER" and flat["rows"][0]["cells"][1]["value"] == "May, August"
    assert [s["name"] for s in requests.get(f"{server.url}/sheets", headers=headers).json()["data"]] == [real["name"]]


def test_serve_command_serves_a_data_dir_and_keeps_the_token_out_of_its_log(tmp_path):
    save_account(sample_account(), tmp_path)
    command = [sys.executable, "-m", "sandbox", "serve", "--port", "0", "--data", str(tmp_path), "--token", "s3cret"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/2.0")
        response = requests.get(url + "/sheets", headers={"Authorization": "Bearer s3cret"}, timeout=5)
        assert response.json()["totalCount"] == 8
        # the server logs a request after answering it: read until its line arrives, then stop the server
        log = ""
        while "GET /2.0/sheets" not in log:
            line = process.stderr.readline()
            assert line, f"the sandbox exited before logging the request: {log!r}"
            log += line
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=5)
    log += rest
    assert "GET /2.0/sheets 200" in log and "s3cret" not in log
