"""The exact end-to-end tests check the base transforms against an independent oracle, so they run with no
per-sheet declarations or contracts (the shipped ones rename, cast and drop columns of the sample sheets; their
effect is tested in tests/policies and tests/contracts)."""

import pytest


@pytest.fixture(autouse=True)
def no_sheet_declarations(tmp_path_factory, monkeypatch):
    empty = tmp_path_factory.mktemp("no-declarations")
    (empty / "transforms").mkdir()
    (empty / "schemas").mkdir()
    monkeypatch.setenv("SHEETSYNC_DECLARATIONS_DIR", str(empty / "transforms"))
    monkeypatch.setenv("SHEETSYNC_CONTRACTS_DIR", str(empty / "schemas"))
