"""Per-sheet TOML files (declarations and contracts): reading them, and binding one to a sheet.

A file binds itself in its ``[sheet]`` table by ``id`` (preferred: survives renames) and/or ``name`` (a fallback, for a
file written before the sheet's id was known). A file bound by id wins over one bound by name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 on the platform
    import tomli as tomllib


class SheetFileError(ValueError):
    """A per-sheet file that cannot be used; the message names the file and what is wrong."""


class Bound(Protocol):
    sheet_id: int | None
    sheet_name: str | None


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at ``path``; a syntax error becomes a ``SheetFileError`` naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SheetFileError(f"{path}: {error}") from error


def sheet_binding(path: Path, document: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The ``[sheet]`` id and name of a file; at least one is required."""
    sheet = document.get("sheet")
    if not isinstance(sheet, Mapping) or ("id" not in sheet and "name" not in sheet):
        raise SheetFileError(f"{path}: needs a [sheet] table with an id (or a name)")
    sheet_id, name = sheet.get("id"), sheet.get("name")
    if sheet_id is not None and not isinstance(sheet_id, int):
        raise SheetFileError(f"{path}: [sheet] id must be an integer, got {sheet_id!r}")
    return sheet_id, name


def check_keys(path: Path, where: str, table: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Reject unknown keys, so a typo is an error rather than a silently ignored line."""
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise SheetFileError(f"{path}: unknown key(s) {unknown} in {where}; allowed: {sorted(allowed)}")


def for_sheet(sheet: Mapping[str, Any], files: Iterable[Bound]) -> Bound | None:
    """The file bound to ``sheet`` by id, else by name, else None."""
    files = list(files)
    by_id = [f for f in files if f.sheet_id is not None and f.sheet_id == sheet.get("id")]
    by_name = [f for f in files if f.sheet_id is None and f.sheet_name == sheet.get("name")]
    return next(iter(by_id + by_name), None)


T = TypeVar("T")


def load_file(path: Path, read: Callable[[Path], T], error: type[SheetFileError]) -> T:
    """``read(path)``, with any ``SheetFileError`` it raises re-raised as ``error`` (the caller's own kind)."""
    try:
        return read(path)
    except error:
        raise
    except SheetFileError as problem:
        raise error(str(problem)) from problem


def load_folder(folder: Path, load: Callable[[Path], T], error: type[SheetFileError]) -> tuple[list[T], list]:
    """Every ``*.toml`` in ``folder``; a broken file is returned as an error instead of stopping the others."""
    loaded, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            loaded.append(load(path))
        except error as problem:
            errors.append(problem)
    return loaded, errors
