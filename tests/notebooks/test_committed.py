"""Committed notebooks are clean: no outputs, no execution counts, no secrets, and a tagged parameters cell."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = sorted(p for p in ROOT.rglob("*.ipynb") if ".venv" not in p.parts and ".ipynb_checkpoints" not in p.parts)
# Smartsheet tokens are 26-37 letters and digits; also anything shaped like a bearer header or a token assignment.
TOKEN_LIKE = re.compile(r"\b[A-Za-z0-9]{26,40}\b|Bearer\s+\S+|(?i:token)\s*=\s*[\"'][^\"']+[\"']")


def test_both_notebooks_are_committed():
    assert {p.name for p in COMMITTED} >= {"explore_sheet_shapes.ipynb", "preview_next_sync.ipynb"}


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs_counts_or_secrets(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.source[:40] for c in code if c.outputs] == []
    assert [c.source[:40] for c in code if c.execution_count is not None] == []
    assert TOKEN_LIKE.findall(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_parameters_cell_comes_first(path: Path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert "source" in code[0].source


def test_the_token_check_catches_a_token():
    assert TOKEN_LIKE.findall('x = "ab12cd34ef56gh78ij90kl12mn"')
    assert TOKEN_LIKE.findall("Authorization: Bearer sandbox-token")
    assert TOKEN_LIKE.findall("api_token = 'short'")
