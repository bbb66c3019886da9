"""Destination names: snake_case, ASCII, bounded, unique, and fixed points of Fivetran's default renaming.

Fivetran's default naming (``redshift_safe`` for columns, ``safe_drop_underscores`` for tables) splits words at a
lower→upper change and at every digit/non-digit switch, and puts ``_`` before a leading digit. A name made here of
lowercase ASCII words joined by single ``_``, split the same way, with ``_`` before a leading digit, comes out of that
renaming unchanged, so FIVETRAN and SOURCE naming give the same tables and columns (tests check against the SDK).

Uniqueness rules, deterministic and documented because users query these names:

- Columns (within a table): system columns (``SYSTEM_COLUMNS``) and ``INVALID_VALUES`` are reserved. Sheet columns are
  named in sheet order; the first to want a name gets it, a later one gets ``<name>_<index>`` (its 0-based column
  index), or ``<name>_<column id>`` if that is taken too. A title with no ASCII letter or digit (emoji, CJK, RTL)
  becomes ``column_<index>``. Limit: inserting a same-titled column *before* an existing one moves the plain name.
- Tables (across sheets): names already recorded in state (``pinned``) are kept, so renaming a sheet or adding a
  same-named sheet never moves an existing table. New sheets, in ascending id order, get the plain name if free, else
  ``<name>_<sheet id>``. Limit: two new same-named sheets in one first sync: the lower id gets the plain name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from itertools import chain, count
from typing import Any

MAX_LENGTH = 63
SYSTEM_COLUMNS = ("row_id", "row_number", "parent_id", "created_at", "modified_at", "created_by", "modified_by")
INVALID_VALUES = "_invalid_values"
_RESERVED = frozenset(SYSTEM_COLUMNS) | {INVALID_VALUES}
# The connector's own tables (sheetsync/tables.py): a sheet called "Comments" must not land in `comments`.
FIXED_TABLES = frozenset(
    {"sheets", "columns", "contract_violations", "sheet_summary_fields", "attachments", "discussions", "comments"}
    | {"workspaces", "folders"}
)
_WORDS = re.compile(r"[a-z]+|[0-9]+")


def snake_case(text: str, max_length: int = MAX_LENGTH) -> str:
    """``text`` as lowercase ASCII words joined by ``_`` ("Q3 Plan" → "q_3_plan"); "" when it has no ASCII word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _WORDS.findall(_split_camel(ascii_text).lower())
    name = "_".join(words)[:max_length].strip("_")
    return f"_{name}" if name[:1].isdigit() else name


def _split_camel(text: str) -> str:
    """Fivetran starts a word at lower→upper only (``HTTPServer`` is one word to it): split exactly there."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)


def column_names(columns: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """Column id → destination column name, for a sheet's ``columns`` (each with ``id``, ``index``, ``title``)."""
    taken = set(_RESERVED)
    names = {}
    for column in sorted(columns, key=lambda c: c["index"]):
        base = snake_case(column.get("title") or "", MAX_LENGTH - 21) or f"column_{column['index']}"
        names[column["id"]] = _claim(base, (column["index"], column["id"]), taken)
    return names


def table_names(sheets: Iterable[Mapping[str, Any]], pinned: Mapping[int, str] | None = None) -> dict[int, str]:
    """Sheet id → table name for sheets (``id``, ``name``); ``pinned`` are names already in use (from state)."""
    pinned = pinned or {}
    names = dict(pinned)
    taken = set(names.values()) | FIXED_TABLES
    for sheet in sorted(sheets, key=lambda s: s["id"]):
        if sheet["id"] not in names:
            base = _table_base(snake_case(sheet.get("name") or "", MAX_LENGTH - 21))
            names[sheet["id"]] = _claim(base or "sheet", (sheet["id"],), taken)
    return names


def _table_base(name: str) -> str:
    """A table name cannot start with ``_`` + letter (Fivetran drops it); ours only starts with ``_`` + digit."""
    return f"sheet{name}" if name.startswith("_") else name


def _claim(base: str, suffixes: tuple[int, ...], taken: set[str]) -> str:
    """The first free name of ``base``, ``base_<suffix>``… (then a counter); the name is added to ``taken``."""
    last = f"{base}_{suffixes[-1]}"
    candidates = chain([base], (f"{base}_{s}" for s in suffixes), (f"{last}_{n}" for n in count(2)))
    name = next(c for c in candidates if c not in taken)
    taken.add(name)
    return name


def normalised(name: str) -> bool:
    """Whether ``name`` is already a destination name (what a declaration's ``rename``/``table`` must be)."""
    return bool(name) and snake_case(name) == name
