"""Running the committed notebooks headlessly: a kernelspec for this venv's python in a temporary JUPYTER_PATH
(nothing written outside the repository and the test's temp dirs), and `run_notebook` with papermill-style
parameters injected after the cell tagged `parameters`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL = "sheetsync-test-venv"


@pytest.fixture(scope="session")
def jupyter_dirs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Per test session (per xdist worker): a kernelspec for this venv's python, and the kernel's own IPython and
    matplotlib directories (matplotlib's font cache is built once, not per notebook)."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    return root


@pytest.fixture
def run_notebook(jupyter_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., nbformat.NotebookNode]]:
    """`run_notebook("explore_sheet_shapes.ipynb", source="export", ...)` → the executed notebook. At the first
    failing cell it stops, like Jupyter's Run All, and raises nbclient's CellExecutionError with `.notebook` set."""
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_dirs / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(jupyter_dirs / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(jupyter_dirs / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(jupyter_dirs / "matplotlib"))
    monkeypatch.setenv("MPLBACKEND", "Agg")

    def run(name: str, **parameters: object) -> nbformat.NotebookNode:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        if parameters:
            at = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
            source = "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
            injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
            notebook.cells.insert(at + 1, injected)
        client = NotebookClient(
            notebook, timeout=120, kernel_name=KERNEL, resources={"metadata": {"path": str(NOTEBOOKS)}}
        )
        try:
            client.execute()
        except CellExecutionError as error:
            error.notebook = notebook
            raise
        return notebook

    yield run


def figures(notebook: nbformat.NotebookNode) -> list[str]:
    """The names of the figures the notebook displayed as PNG (`sheetsync.explore.show` tags each)."""
    return [
        output.metadata.get("figure")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def text(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook printed or showed as text (tables as HTML too: their plain text wraps cells)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts += [output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def _base_transforms_only(no_sheet_declarations):
    """The profiles asserted here are of the sample sheets as the base transforms type them."""
