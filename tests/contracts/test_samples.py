"""Every sample export under samples/ meets its contract (or exactly its declared expected violations) and
transforms to its reviewed snapshot. Dropping an export there (and scaffolding its files) adds its tests."""

from __future__ import annotations

import json

import pytest

from sheetsync import pipeline
from tests.contracts.samples import (
    UPDATE_ENV,
    exports,
    plan,
    side_file,
    snapshot,
    updating,
    violations,
    write_json,
)


@pytest.fixture(scope="module")
def declared() -> pipeline.Declared:
    found = pipeline.load_declared(pipeline.DECLARATIONS_DIR, pipeline.CONTRACTS_DIR)
    assert found.errors == [], "every shipped declaration and contract file must load"
    return found


def test_there_are_samples_to_test():
    assert len(exports()) >= 4


@pytest.mark.parametrize("export", exports(), ids=lambda p: p.stem)
def test_sample_meets_its_contract(export, declared):
    planned = plan(json.loads(export.read_text(encoding="utf-8")), declared)
    found = violations(planned)
    expected_path = side_file(export, ".expected.json")
    if updating():
        if found:
            write_json(expected_path, {"violations": found})
        elif expected_path.exists():
            expected_path.unlink()
    expected = json.loads(expected_path.read_text(encoding="utf-8"))["violations"] if expected_path.exists() else []
    assert found == expected, f"{export.name}: violations differ from {expected_path.name} (set {UPDATE_ENV}=1)"


@pytest.mark.parametrize("export", exports(), ids=lambda p: p.stem)
def test_sample_transforms_to_its_snapshot(export, declared):
    planned = plan(json.loads(export.read_text(encoding="utf-8")), declared)
    current = snapshot(planned)
    path = side_file(export, ".snapshot.json")
    if updating() or not path.exists():
        write_json(path, current)
        if not updating():
            pytest.fail(f"{path.name} did not exist: written now, review it and commit it")
    reviewed = json.loads(path.read_text(encoding="utf-8"))
    assert current["table"] == reviewed["table"]
    assert current["columns"] == reviewed["columns"], f"{export.name}: destination types changed"
    assert current["dtypes"] == reviewed["dtypes"]
    assert current["rows"] == reviewed["rows"], f"{export.name}: values changed (set {UPDATE_ENV}=1 to accept)"


def test_shipped_declarations_apply_to_their_samples(declared):
    """Each shipped declaration and contract is bound to a sample's sheet id, so the samples test them all."""
    sample_ids = {json.loads(p.read_text(encoding="utf-8"))["id"] for p in exports()}
    assert {d.sheet_id for d in declared.declarations} <= sample_ids
    assert {c.sheet_id for c in declared.contracts} <= sample_ids


def test_the_samples_exercise_every_action_and_check(declared):
    actions = {key for d in declared.declarations for spec in d.columns.values() for key in spec}
    assert actions >= {"trim", "case", "map", "parse_number", "split", "cast", "rename", "drop"}
    assert any(d.derive for d in declared.declarations)
    keys = {key for c in declared.contracts for spec in c.columns.values() for key in spec}
    assert keys >= {"required", "dtype", "nullable", "unique", "isin", "ge", "gt", "le", "lt", "regex"}
    assert keys >= {"min_length", "max_length"}
    assert all(c.checks for c in declared.contracts)
    casts = {spec["cast"] for d in declared.declarations for spec in d.columns.values() if "cast" in spec}
    assert {"LONG", "DATE", "DOUBLE"} <= casts and any(c.startswith("DECIMAL") for c in casts)
