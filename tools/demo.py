"""The README's demo: the bundled sandbox on 127.0.0.1:8765, a real `fivetran debug` with the committed
configuration.json into files/warehouse.db, then a summary of what landed. Run it twice: the second sync re-sends
nothing, because every sheet's version and row hashes match the checkpointed state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import requests

ROOT = Path(__file__).resolve().parents[1]


def sandbox_port(root: Path = ROOT) -> int:
    """The port of the sandbox that configuration.json points at (8765 as committed)."""
    base_url = json.loads((root / "configuration.json").read_text())["base_url"]
    parts = urlsplit(base_url)
    if parts.hostname not in ("127.0.0.1", "localhost") or not parts.port:
        sys.exit(
            f"demo: configuration.json's base_url must be the local sandbox (http://127.0.0.1:PORT/2.0), not {base_url}"
        )
    return parts.port


def wait_for_sandbox(process: subprocess.Popen, port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"demo: the sandbox exited with code {process.returncode}")
        try:
            requests.get(
                f"http://127.0.0.1:{port}/2.0/users/me", headers={"Authorization": "Bearer sandbox-token"}, timeout=1
            )
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    sys.exit(f"demo: the sandbox did not answer on port {port} within {seconds:.0f}s")


def summary(root: Path = ROOT) -> str:
    """Every table of the warehouse with its live (and soft-deleted) row count."""
    path = root / "files" / "warehouse.db"
    lines = [f"warehouse {path.relative_to(root)} (schema tester):"]
    with duckdb.connect(str(path), read_only=True) as db:
        columns = db.execute(
            "select table_name, list(column_name) from information_schema.columns where table_schema = 'tester' "
            "group by table_name order by table_name"
        ).fetchall()
        for table, names in columns:
            deleted = "count(*) filter (where _fivetran_deleted)" if "_fivetran_deleted" in names else "0"
            live, gone = db.execute(f'select count(*) - {deleted}, {deleted} from tester."{table}"').fetchone()
            lines.append(f"  {table:<40} {live:>7} rows" + (f"  ({gone} deleted)" if gone else ""))
    return "\n".join(lines)


def main() -> int:
    bin_dir = Path(sys.executable).parent  # the CLI runs `pipreqs` from PATH: the venv's, even when not activated
    env = dict(os.environ, DO_NOT_TRACK="1", PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]))
    port = sandbox_port()
    serve = [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--quiet"]
    sandbox = subprocess.Popen(serve, cwd=ROOT, env=env)
    try:
        wait_for_sandbox(sandbox, port)
        fivetran = bin_dir / "fivetran"
        code = subprocess.call([str(fivetran), "debug", "--configuration", "configuration.json"], cwd=ROOT, env=env)
        if code:
            print(f"demo: fivetran debug failed (exit {code}); see the log above")
            return code
        print(summary())
        return 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
