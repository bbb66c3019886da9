"""The sandbox in its own process, so its CPU is never counted as the connector's."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from sandbox import RemoteSandbox
from sandbox.account import save_account
from sandbox.generator import LARGE_SHEET, sample_account

ROOT = Path(__file__).resolve().parents[1]


class SandboxProcess:
    """`python -m sandbox serve --port 0 --data DIR` on an account generated here (the large sheet cut to `rows`)."""

    def __init__(self, *, large_rows: int = 0, many: int = 0, latency_ms: float = 0) -> None:
        account = sample_account(large=large_rows > 0, many=many)
        for sheet in account["sheets"]:
            if sheet["name"] == LARGE_SHEET:
                sheet["rows"] = sheet["rows"][:large_rows]  # parents precede their children: the cut stays a tree
                sheet["totalRowCount"] = len(sheet["rows"])
        self._dir = tempfile.TemporaryDirectory(prefix="bench-sandbox-")
        save_account(account, self._dir.name)
        command = [sys.executable, "-m", "sandbox", "serve", "--port", "0", "--quiet", "--data", self._dir.name]
        command += ["--latency-ms", str(latency_ms)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("Smartsheet sandbox serving "):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        self.url = line.rsplit(" ", 1)[1]
        self.remote = RemoteSandbox(self.url)
        self.token = "sandbox-token"

    def configuration(self, **settings: str) -> dict:
        return {"smartsheet_api_token": self.token, "base_url": self.url, **settings}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._dir.cleanup()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
