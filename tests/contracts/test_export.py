"""`python -m sheetsync export|scaffold` against the sandbox: exports in the API's shape, anonymisation that leaves
no person or free text of the original yet keeps the contract's verdict, and scaffolds that fit their sample."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from sheetsync import pipeline
from sheetsync.anonymise import anonymise_sheet, kept_text
from sheetsync.cli import main
from tests.contracts.samples import ROOT, plan, violations

SHEETS = ("Inventory", "Project Plan", "Team Roster", "Audit Log", "Messy Titles", "Weekly Report")


def export(sandbox, tmp_path, name, *extra):
    sheet_id = sandbox.store.sheet_ids(name)[0]
    out = tmp_path / f"{sheet_id}{'-anon' if extra else ''}.json"
    assert main(["export", "--sheet-id", str(sheet_id), "--base-url", sandbox.url, "--out", str(out), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def sensitive(sheet: dict) -> set[str]:
    """Every e-mail, person name and free-text value of a sheet's cells and people (what must not survive), and
    their words of three or more letters."""
    options = {o for c in sheet["columns"] for o in c.get("options") or []}
    people = [p for c in sheet["columns"] for p in c.get("contactOptions") or []]
    texts = []
    for row in sheet["rows"]:
        people += [row[k] for k in ("createdBy", "modifiedBy") if isinstance(row.get(k), dict)]
        for cell in row["cells"]:
            texts += [cell.get(k) for k in ("value", "displayValue", "objectValue") if isinstance(cell.get(k), str)]
            obj = cell.get("objectValue") if isinstance(cell.get("objectValue"), dict) else {}
            people += [obj] if obj.get("objectType") == "CONTACT" else []
            people += [p for p in obj.get("values") or [] if isinstance(p, dict)]
    texts += [p.get(k) for p in people for k in ("email", "name") if p.get(k)]
    found = set()
    for text in texts:
        if "@" in text or (not kept_text(text) and not set(text.split(", ")) <= options):
            found |= {text} | {w for w in re.split(r"[\s,]+", text)}
    return {s for s in found if len(re.sub(r"\W", "", s)) >= 3}


@pytest.mark.parametrize("name", SHEETS)
def test_anonymised_export_has_no_person_or_free_text_of_the_original(sandbox, tmp_path, name):
    original = export(sandbox, tmp_path, name)
    anonymised = export(sandbox, tmp_path, name, "--anonymise")
    secret = sensitive(original)
    assert secret, "the sample sheet holds people or free text"
    leftover = {s for s in secret for text in strings(anonymised["rows"]) if s in text}
    options = [c.get("contactOptions") for c in anonymised["columns"]]
    leftover |= {s for s in secret for text in strings(options) if s in text}
    assert leftover == set()
    # shapes kept: ids, hierarchy, blanks, numbers, booleans, dates
    assert [r["id"] for r in anonymised["rows"]] == [r["id"] for r in original["rows"]]
    assert [r.get("parentId") for r in anonymised["rows"]] == [r.get("parentId") for r in original["rows"]]
    assert anonymised["columns"][0]["title"] == original["columns"][0]["title"]
    for before, after in zip(original["rows"], anonymised["rows"], strict=True):
        for a, b in zip(before["cells"], after["cells"], strict=True):
            assert set(a) == set(b)
            if not isinstance(a.get("value"), str):
                assert a.get("value") == b.get("value")
            else:
                assert len(a["value"]) == len(b["value"]) or "@" in a["value"]


def test_anonymisation_is_deterministic_and_keyed(sandbox):
    sheet = sandbox.store.sheet(sandbox.store.sheet_id("Team Roster"))
    assert anonymise_sheet(sheet) == anonymise_sheet(sheet)
    assert anonymise_sheet(sheet, b"another key") != anonymise_sheet(sheet)
    anonymised = anonymise_sheet(sheet)
    leads = [r["cells"][3].get("value") for r in anonymised["rows"]]
    objects = [r["cells"][1].get("objectValue") or {} for r in anonymised["rows"]]
    members = [p["email"] for o in objects for p in o.get("values", [])]
    assert leads[0] in members  # the same person gets the same fake everywhere


@pytest.mark.parametrize("name", ["Inventory", "Project Plan", "Team Roster", "Weekly Report"])
def test_an_anonymised_export_gets_the_same_contract_verdict(sandbox, tmp_path, name):
    declared = pipeline.load_declared(pipeline.DECLARATIONS_DIR, pipeline.CONTRACTS_DIR)
    original = violations(plan(export(sandbox, tmp_path, name), declared))
    anonymised = violations(plan(export(sandbox, tmp_path, name, "--anonymise"), declared))
    assert [(v["row_id"], v["column"], v["check"]) for v in anonymised] == [
        (v["row_id"], v["column"], v["check"]) for v in original
    ]
    assert not [v for v in anonymised if not v["check"].startswith(("fits ", "isin"))], "only the known messy cells"


def test_export_refuses_to_overwrite_and_needs_a_token_for_a_remote_url(sandbox, tmp_path, capsys, monkeypatch):
    out = tmp_path / "x.json"
    sheet_id = str(sandbox.store.sheet_id("Inventory"))
    assert main(["export", "--sheet-id", sheet_id, "--base-url", sandbox.url, "--out", str(out)]) == 0
    assert main(["export", "--sheet-id", sheet_id, "--base-url", sandbox.url, "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    monkeypatch.delenv("SMARTSHEET_ACCESS_TOKEN", raising=False)
    assert main(["export", "--sheet-id", sheet_id, "--base-url", "https://api.smartsheet.com/2.0"]) == 2
    assert "SMARTSHEET_ACCESS_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("SMARTSHEET_ACCESS_TOKEN", "wrong-token")
    assert main(["export", "--sheet-id", sheet_id, "--base-url", sandbox.url, "--out", str(tmp_path / "y.json")]) == 2
    assert "wrong-token" not in capsys.readouterr().err


@pytest.mark.parametrize("name", SHEETS)
def test_a_scaffolded_contract_holds_on_its_sample(sandbox, tmp_path, name):
    sheet_id = str(sandbox.store.sheet_ids(name)[0])
    dirs = ["--transforms-dir", str(tmp_path / "t"), "--schemas-dir", str(tmp_path / "s")]
    assert main(["scaffold", "--sheet-id", sheet_id, "--base-url", sandbox.url, *dirs]) == 0
    declared = pipeline.load_declared(tmp_path / "t", tmp_path / "s")
    assert declared.errors == [] and len(declared.contracts) == 1
    sheet = sandbox.store.sheet(int(sheet_id))
    planned = plan(sheet, declared)
    assert planned.contract is not None and planned.contract.sheet_id == int(sheet_id)
    assert [v for v in violations(planned) if not v["check"].startswith("fits ")] == []
    assert main(["scaffold", "--sheet-id", sheet_id, "--base-url", sandbox.url, *dirs]) == 2  # no overwrite
    assert main(["scaffold", "--sheet-id", sheet_id, "--base-url", sandbox.url, *dirs, "--force"]) == 0


def test_scaffold_infers_types_options_ranges_and_uniqueness(tmp_path):
    dirs = ["--transforms-dir", str(tmp_path / "t"), "--schemas-dir", str(tmp_path / "s")]
    assert main(["scaffold", "--from", str(ROOT / "samples" / "inventory.json"), *dirs]) == 0
    contract = (tmp_path / "s" / "inventory.toml").read_text()
    assert "id = 4561307388120412" in contract
    sku = contract.split("[columns.sku]")[1].split("\n\n")[0]
    assert 'dtype = "STRING"' in sku and "nullable = false" in sku and "unique = true" in sku
    assert 'isin = ["Empty", "Quarter", "Half", "Full"]' in contract
    quantity = contract.split("[columns.quantity]")[1].split("\n\n")[0]
    assert "ge = 0" in quantity and 'dtype = "DOUBLE"' in quantity
    assert (tmp_path / "t" / "inventory.toml").exists()


def test_python_dash_m_sheetsync_dispatches_to_the_cli():
    result = subprocess.run([sys.executable, "-m", "sheetsync", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "export" in result.stdout and "scaffold" in result.stdout
