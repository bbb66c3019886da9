"""The README's demo: the bundled sandbox on 127.0.0.1:8765, a real `fivetran debug` with the committed
configuration.json into files/warehouse.db, then a summary of what landed. Run it twice: the second sync re-sends
nothing, because every sheet's version and row hashes match the checkpointed state.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import requests

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
API = f"http://127.0.0.1:{PORT}/2.0"


def wait_for_sandbox(process: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"demo: the sandbox exited with code {process.returncode}")
        try:
            requests.get(f"{API}/users/me", headers={"Authorization": "Bearer sandbox-token"}, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    sys.exit(f"demo: the sandbox did not answer on port {PORT} within {seconds:.0f}s")


def summary() -> str:
    path = ROOT / "files" / "warehouse.db"
    lines = [f"warehouse {path.relative_to(ROOT)} (schema tester):"]
    with duckdb.connect(str(path), read_only=True) as db:
        tables = [r[0] for r in db.execute("select table_name from information_schema.tables order by 1").fetchall()]
        for table in tables:
            live, deleted = db.execute(
                f"select count(*) filter (where not _fivetran_deleted), count(*) filter (where _fivetran_deleted) "
                f'from tester."{table}"'
            ).fetchone()
            lines.append(f"  {table:<40} {live:>7} rows" + (f"  ({deleted} deleted)" if deleted else ""))
    return "\n".join(lines)


def main() -> int:
    env = dict(os.environ, DO_NOT_TRACK="1")
    sandbox = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", str(PORT)], cwd=ROOT, env=env)
    try:
        wait_for_sandbox(sandbox)
        fivetran = Path(sys.executable).with_name("fivetran")
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
