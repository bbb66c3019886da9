"""``python -m sheetsync export|scaffold``: sample exports and starter declaration/contract files.

    python -m sheetsync export --sheet-id ID [--base-url URL] [--out samples/NAME.json] [--anonymise] [--force]
    python -m sheetsync scaffold (--from samples/NAME.json | --sheet-id ID [--base-url URL]) [--force]

The token comes from the environment (``SMARTSHEET_ACCESS_TOKEN``, or the variable ``--token-env`` names), never from
the command line, so it stays out of shell history. The base URL defaults to a local sandbox
(``python -m sandbox serve``), which accepts its own token when none is set; pass ``--base-url
https://api.smartsheet.com/2.0`` (or .eu / .au) for a live account. Sheets are fetched exactly as a sync fetches them
(``sheetsync.fetch.fetch_sheet``), so an export is what the connector sees.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from sheetsync.anonymise import DEFAULT_KEY, anonymise_sheet
from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import TOKEN_ENV, ConfigurationError, is_loopback, load_settings
from sheetsync.fetch import fetch_sheet
from sheetsync.scaffold import ScaffoldError, infer, write
from transforms.naming import table_names

ROOT = Path(__file__).resolve().parents[1]
SANDBOX_URL = "http://127.0.0.1:8765/2.0"
SANDBOX_TOKEN = "sandbox-token"


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (CliError, ConfigurationError, ScaffoldError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ApiError as error:
        print(f"error: the API refused: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sheetsync", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    export = commands.add_parser("export", help="save a sheet in the API's JSON shape, as a sample")
    _source_options(export, required=True)
    export.add_argument("--out", type=Path, help="default: samples/<table name>.json")
    export.add_argument("--anonymise", action="store_true", help="replace people and free text (deterministic)")
    export.add_argument("--key-env", help="environment variable holding the anonymisation key (default: fixed key)")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(run=_export)

    scaffold = commands.add_parser("scaffold", help="write starter transforms/ and schemas/ files for a sheet")
    scaffold.add_argument("--from", dest="source", type=Path, help="a sample export (JSON)")
    _source_options(scaffold, required=False)
    scaffold.add_argument("--transforms-dir", type=Path, default=ROOT / "transforms" / "sheets")
    scaffold.add_argument("--schemas-dir", type=Path, default=ROOT / "schemas" / "sheets")
    scaffold.add_argument("--force", action="store_true", help="overwrite existing files")
    scaffold.set_defaults(run=_scaffold)
    return parser


def _source_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--sheet-id", type=int, required=required)
    parser.add_argument("--base-url", default=SANDBOX_URL, help="API root (default: the local sandbox %(default)s)")
    parser.add_argument("--token-env", default=TOKEN_ENV, help="environment variable holding the token")


def fetch(sheet_id: int, base_url: str, token_env: str = TOKEN_ENV) -> dict:
    """The sheet as the connector fetches it."""
    token = os.environ.get(token_env, "").strip()
    if not token:
        if not is_loopback(urlsplit(base_url).hostname or ""):
            raise CliError(f"set the environment variable {token_env} to an API token for {base_url}")
        token = SANDBOX_TOKEN
    settings = load_settings({"smartsheet_api_token": token, "base_url": base_url, "retry_backoff_seconds": "0.5"})
    return fetch_sheet(SmartsheetClient(settings), sheet_id)


def _export(args: argparse.Namespace) -> int:
    sheet = fetch(args.sheet_id, args.base_url, args.token_env)
    if args.anonymise:
        key = DEFAULT_KEY
        if args.key_env:
            if not os.environ.get(args.key_env):
                raise CliError(f"--key-env {args.key_env}: that environment variable is not set")
            key = os.environ[args.key_env].encode()
        sheet = anonymise_sheet(sheet, key)
    out = args.out or ROOT / "samples" / f"{table_names([sheet])[int(sheet['id'])]}.json"
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_sheet(sheet), encoding="utf-8")
    print(f"wrote sheet {sheet['id']} ({len(sheet.get('rows') or [])} rows) to {out}")
    return 0


def dump_sheet(sheet: dict) -> str:
    """An export's text: the API's JSON, indented for reviewable diffs."""
    return json.dumps(sheet, indent=1, ensure_ascii=False) + "\n"


def _scaffold(args: argparse.Namespace) -> int:
    if (args.source is None) == (args.sheet_id is None):
        raise CliError("give exactly one of --from FILE or --sheet-id ID")
    if args.source is not None:
        try:
            sheet = json.loads(args.source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CliError(f"{args.source}: cannot read a sheet export: {error}") from error
        source = str(args.source)
    else:
        sheet = fetch(args.sheet_id, args.base_url, args.token_env)
        source = f"sheet {args.sheet_id} at {args.base_url}"
    scaffold = infer(sheet, source)
    for path in write(scaffold, args.transforms_dir, args.schemas_dir, args.force):
        print(f"wrote {path}")
    return 0
