"""`python -m bench [--runs N] [--quick] [--out PATH]`: the four scenarios of issue 7, a table and a JSON file."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.report import machine, summarise, table
from bench.sandboxes import ROOT, SandboxProcess
from bench.scenarios import (
    FULL,
    QUICK,
    Sizes,
    Workdir,
    first_sync_large,
    resync_changed,
    resync_unchanged,
    wide_first_sync,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=None, help="runs per scenario, medians quoted (default 3)")
    parser.add_argument("--quick", action="store_true", help="1 run, smaller sizes (5,000 rows, 20 and 50 sheets)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    parser.add_argument("--large-rows", type=int, help="rows of the large sheet (scenarios 1 and 3)")
    parser.add_argument("--resync-sheets", type=int, help="extra small sheets in scenario 2's account")
    parser.add_argument("--wide-sheets", type=int, help="extra small sheets in scenario 4's account")
    parser.add_argument("--latency-ms", type=float, help="latency per request in scenario 4 (default 150)")
    parser.add_argument("--only", default="1234", help="which scenarios to run, e.g. 13")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    sizes = Sizes(
        large_rows=args.large_rows or base.large_rows,
        resync_sheets=args.resync_sheets or base.resync_sheets,
        wide_sheets=args.wide_sheets or base.wide_sheets,
        latency_ms=base.latency_ms if args.latency_ms is None else args.latency_ms,
    )
    runs = args.runs or (1 if args.quick else 3)
    started = time.time()

    def say(message: str) -> None:
        print(f"[{time.time() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    work = Workdir()
    raw: dict[str, list[dict]] = {}
    try:
        if "1" in args.only or "3" in args.only:
            say(f"sandbox: sample account + a {sizes.large_rows:,}-row sheet")
            with SandboxProcess(large_rows=sizes.large_rows) as sandbox:
                raw["1"], state = first_sync_large(work, sandbox, runs, say)
                if "3" in args.only:
                    raw["3"] = resync_changed(work, sandbox, state, runs, say)
                if "1" not in args.only:
                    del raw["1"]
        if "2" in args.only:
            say(f"sandbox: sample account + {sizes.resync_sheets} sheets")
            with SandboxProcess(many=sizes.resync_sheets) as sandbox:
                raw["2"] = resync_unchanged(work, sandbox, runs, say)
        if "4" in args.only:
            say(f"sandbox: sample account + {sizes.wide_sheets} sheets, {sizes.latency_ms:g} ms latency")
            with SandboxProcess(many=sizes.wide_sheets, latency_ms=sizes.latency_ms) as sandbox:
                raw["4"] = wide_first_sync(work, sandbox, runs, say)
    finally:
        work.cleanup()

    document = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine(),
        "runs": runs,
        "sizes": sizes.__dict__,
        "scenarios": summarise(raw),
        "raw": raw,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1, default=str))
    print(table(document))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
