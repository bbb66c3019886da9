"""Command line: `python -m sandbox serve ...` and `python -m sandbox generate ...` (see sandbox/README.md)."""

from __future__ import annotations

import argparse
import contextlib
import sys

from .account import load_account, save_account
from .generator import sample_account
from .server import DEFAULT_TOKEN, SandboxServer
from .store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="A local Smartsheet API 2.0 sandbox.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve an account at http://127.0.0.1:PORT/2.0")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port (printed on start)")
    serve.add_argument("--data", help="account directory (default: the bundled sample account)")
    serve.add_argument("--token", default=DEFAULT_TOKEN, help="the bearer token to accept (default: %(default)s)")
    serve.add_argument("--latency-ms", type=float, default=0, help="delay added to every API response")
    serve.add_argument("--rate-limit", type=int, default=None, help="requests per minute before 429/4003")
    serve.add_argument("--large", action="store_true", help="add the 20,000-row sheet to the sample account")
    serve.add_argument("--many", type=int, default=0, help="add N small sheets to the sample account")
    serve.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    generate = commands.add_parser("generate", help="write the sample account to a directory")
    generate.add_argument("--out", required=True)
    generate.add_argument("--large", action="store_true")
    generate.add_argument("--many", type=int, nargs="?", const=200, default=0, help="N small sheets (default 200)")
    args = parser.parse_args(argv)

    if args.command == "generate":
        account = sample_account(large=args.large, many=args.many)
        save_account(account, args.out)
        print(f"wrote {len(account['sheets'])} sheets to {args.out}")
        return 0
    account = load_account(args.data) if args.data else sample_account(large=args.large, many=args.many)
    server = SandboxServer(
        store=Store(account),
        port=args.port,
        token=args.token,
        latency_ms=args.latency_ms,
        rate_limit_per_minute=args.rate_limit,
        log_to=None if args.quiet else sys.stderr,
    )
    print(f"Smartsheet sandbox serving {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
