"""The project's two entry points for a fresh machine with only Python 3 and git.

    python3 tasks.py demo     # sandbox + `fivetran debug` into files/warehouse.db, then a summary of the warehouse
    python3 tasks.py test     # lint, format check and the whole test suite
    python3 tasks.py bench    # the benchmark (docs/benchmark.md)

Each command first makes `.venv/` and installs the pinned development requirements into it (once; again when
requirements change), then re-runs itself inside it. Nothing is installed outside the repository.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".requirements-sha256"
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]


def _requirements_digest() -> str:
    digest = hashlib.sha256()
    for path in REQUIREMENTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Creates .venv and installs the pinned requirements unless they are already installed."""
    wanted = _requirements_digest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("tasks: creating .venv", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print("tasks: installing requirements-dev.txt into .venv", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(ROOT / "requirements-dev.txt")], check=True)
    STAMP.write_text(wanted)


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bench"}:
        print(__doc__)
        return 2
    if not _in_venv():
        ensure_venv()
        env = dict(os.environ, DO_NOT_TRACK="1")
        return subprocess.call([str(PYTHON), str(Path(__file__)), *argv], env=env, cwd=ROOT)
    command, rest = argv[0], argv[1:]
    if command == "test":
        for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
            print("tasks:", " ".join(step), flush=True)
            if subprocess.call([sys.executable, "-m", *step], cwd=ROOT):
                return 1
        return subprocess.call([sys.executable, "-m", "pytest", "-n", "2", "-q", *rest], cwd=ROOT)
    if command == "demo":
        return subprocess.call([sys.executable, "tools/demo.py", *rest], cwd=ROOT)
    return subprocess.call([sys.executable, "-m", "bench", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
