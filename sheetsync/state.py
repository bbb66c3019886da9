"""The checkpointed state: per sheet, compact row hashes plus what the next sync needs to resume safely.

Shape (JSON)::

    {"format_version": 1,
     "sheets": {"<sheet id>": {"table": "plan", "version": 42, "fingerprint": "<16 hex>",
                               "verified_at": "2026-01-02T03:04:05Z", "rows": "<base85>"}}}

``rows`` packs every tracked row in ≤ 16 characters: the row ids sorted and delta-encoded as LEB128 varints (ids are
~2^52 and random, so a delta of a 20,000-row sheet takes ~6 bytes), then each row's hash truncated to 48 bits
(6 bytes; a change goes unseen with probability 2^-48), then a CRC-32 of the whole; base85 (JSON-safe: no quote or
backslash) makes 12 bytes 15 characters. ``decode`` rejects anything it cannot fully check with ``StateError``; the
caller then re-syncs the sheet from scratch, which is always safe.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

FORMAT_VERSION = 1
HASH_BYTES = 6
_DROPPED_BITS = 64 - 8 * HASH_BYTES


class StateError(ValueError):
    """A state this code cannot read (corrupt, or written by an unknown format version)."""


def stored_hash(value: int) -> int:
    """One 64-bit hash at the width the state keeps (see `stored_hashes`)."""
    return value >> _DROPPED_BITS


def stored_hashes(hashes: pl.Series) -> pl.Series:
    """64-bit row hashes at the width the state keeps (their top 48 bits)."""
    return (hashes.cast(pl.UInt64) // 2**_DROPPED_BITS).alias("hash")


@dataclass(frozen=True)
class RowHashes:
    """Row ids and their stored-width hashes, aligned."""

    ids: pl.Series
    hashes: pl.Series

    @classmethod
    def empty(cls) -> RowHashes:
        return cls(pl.Series("row_id", [], dtype=pl.Int64), pl.Series("hash", [], dtype=pl.UInt64))

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame({"row_id": self.ids.cast(pl.Int64), "hash": self.hashes.cast(pl.UInt64)})

    @cached_property
    def packed(self) -> str:
        """The state's text for these rows, built once: every checkpoint writes every sheet, and re-packing each
        unchanged sheet at each checkpoint made a many-sheet sync quadratic (bench scenario 4)."""
        return _pack(self)


@dataclass(frozen=True)
class SheetState:
    """What one sheet's last checkpoint recorded."""

    table: str
    version: int | None
    fingerprint: str
    verified_at: str | None
    rows: RowHashes = field(default_factory=RowHashes.empty)
    status: str = "ok"  # "ok", or why the sheet could not be read last time ("inaccessible", "failed")
    column_ids: tuple[int, ...] = ()  # to delete rows of the `columns` table when a column goes

    @property
    def row_count(self) -> int:
        return self.rows.ids.len()


def encode(sheets: Mapping[int, SheetState]) -> dict[str, Any]:
    """The JSON-ready state for ``op.checkpoint``."""
    return {
        "format_version": FORMAT_VERSION,
        "sheets": {
            str(sheet_id): {
                "table": s.table,
                "version": s.version,
                "fingerprint": s.fingerprint,
                "verified_at": s.verified_at,
                "rows": s.rows.packed,
                "status": s.status,
                "column_ids": list(s.column_ids),
            }
            for sheet_id, s in sheets.items()
        },
    }


def decode(state: Mapping[str, Any] | None) -> dict[int, SheetState]:
    """Sheet id → ``SheetState``; an empty or absent state is no sheets. Raises ``StateError`` if unreadable."""
    if not state:
        return {}
    if state.get("format_version") != FORMAT_VERSION:
        raise StateError(f"unknown state format_version {state.get('format_version')!r} (this code reads 1)")
    try:
        return {
            int(sheet_id): SheetState(
                table=_typed(s["table"], str),
                version=_typed(s["version"], int, optional=True),
                fingerprint=_typed(s["fingerprint"], str),
                verified_at=_typed(s["verified_at"], str, optional=True),
                rows=_unpack(_typed(s["rows"], str)),
                status=_typed(s["status"], str),
                column_ids=tuple(_typed(c, int) for c in s["column_ids"]),
            )
            for sheet_id, s in state["sheets"].items()
        }
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise StateError(f"corrupt state: {error!r}") from error


def _typed(value: Any, kind: type, optional: bool = False) -> Any:
    if (value is None and optional) or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise StateError(f"expected {kind.__name__}, got {value!r}")


def _pack(rows: RowHashes) -> str:
    frame = rows.frame().sort("row_id")
    ids = frame["row_id"].to_list()
    if ids and ids[0] < 0:
        raise ValueError("row ids are positive")
    deltas = [b - a for a, b in zip([0, *ids], ids, strict=False)]
    body = bytes(_varints(deltas)) + b"".join(h.to_bytes(HASH_BYTES, "big") for h in frame["hash"].to_list())
    return base64.b85encode(body + zlib.crc32(body).to_bytes(4, "big")).decode("ascii")


def _varints(numbers: list[int]) -> bytearray:
    """LEB128: 7 bits a byte, high bit set on every byte but a number's last."""
    out = bytearray()
    for number in numbers:
        while number >= 0x80:
            out.append((number & 0x7F) | 0x80)
            number >>= 7
        out.append(number)
    return out


def _unpack(text: str) -> RowHashes:
    try:
        data = base64.b85decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError, binascii.Error) as error:
        raise StateError("corrupt state: rows are not base85") from error
    body, checksum = data[:-4], data[-4:]
    if len(data) < 4 or zlib.crc32(body).to_bytes(4, "big") != checksum:
        raise StateError("corrupt state: rows checksum mismatch")
    ids, position, current = [], 0, 0
    while position < len(body) - HASH_BYTES * len(ids):
        delta, shift = 0, 0
        while True:
            byte = body[position]
            delta |= (byte & 0x7F) << shift
            position += 1
            shift += 7
            if byte < 0x80:
                break
        current += delta
        ids.append(current)
    hashes_bytes = body[position:]
    if len(hashes_bytes) != HASH_BYTES * len(ids):
        raise StateError("corrupt state: row ids and hashes do not match up")
    hashes = [int.from_bytes(hashes_bytes[i : i + HASH_BYTES], "big") for i in range(0, len(hashes_bytes), HASH_BYTES)]
    return RowHashes(pl.Series("row_id", ids, dtype=pl.Int64), pl.Series("hash", hashes, dtype=pl.UInt64))


@dataclass
class SyncState:
    """Everything a sync checkpoints: sheets, the hashes of keyed side tables (attachments, reports, …) by name,
    and the open contract violations with when each was first seen."""

    sheets: dict[int, SheetState] = field(default_factory=dict)
    keyed: dict[str, RowHashes] = field(default_factory=dict)
    violations: dict[int, dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        state = encode(self.sheets)
        state["keyed"] = {name: rows.packed for name, rows in self.keyed.items()}
        state["violations"] = {str(sheet_id): open_ for sheet_id, open_ in self.violations.items()}
        return state

    @classmethod
    def from_json(cls, state: Mapping[str, Any] | None) -> SyncState:
        """Raises ``StateError`` for a state this code cannot fully read."""
        sheets = decode(state)
        if not state:
            return cls()
        try:
            keyed = {str(name): _unpack(_typed(rows, str)) for name, rows in state["keyed"].items()}
            violations = {
                int(sheet_id): {str(k): _typed(v, str) for k, v in open_.items()}
                for sheet_id, open_ in state["violations"].items()
            }
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise StateError(f"corrupt state: {error!r}") from error
        return cls(sheets, keyed, violations)
