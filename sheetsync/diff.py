"""Row hashes of a transformed sheet table, and the diff against the hashes checkpointed last time.

Why this hash: ``pl.struct(...).hash()`` changes across Polars versions and processes, and a changed hash re-sends
every row. So each row is first written as one canonical string with Polars expressions (every value length-prefixed,
so no separator can be forged by a value; dates and datetimes as their integer day/microsecond counts; nested values
as JSON; floats in Polars' shortest round-trip form), columns in name order (a column move is not a change). Then a
standard hash: BLAKE2b, 8-byte digest, keyed by the fingerprint of the column set and types, so a rename or retype
gives every row a new hash (and every row is re-sent into the right columns). The per-row hashing is
``map(blake2b, …)``: C calls, no Python bytecode per row. If a Polars upgrade ever changed how a float or a JSON value
is written, the cost is one full re-send, never a lost change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from operator import methodcaller

import polars as pl

from sheetsync.state import RowHashes, stored_hashes
from transforms.types import FivetranType

ROW_ID = "row_id"


def column_fingerprint(columns: Mapping[str, FivetranType]) -> str:
    """A short, stable digest of the destination column names and types (order does not matter)."""
    canonical = json.dumps(sorted(columns.items()), sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=8).hexdigest()


def row_hashes(frame: pl.DataFrame, columns: Mapping[str, FivetranType]) -> pl.Series:
    """One UInt64 hash per row of ``frame`` over its values and the column fingerprint."""
    encoded = frame.select(pl.concat_str([_canonical(frame, name) for name in sorted(frame.columns)]))
    digest = partial(hashlib.blake2b, digest_size=8, key=bytes.fromhex(column_fingerprint(columns)))
    digests = map(methodcaller("digest"), map(digest, encoded.to_series().cast(pl.Binary).to_list()))
    return pl.Series("hash", list(digests), dtype=pl.Binary).bin.reinterpret(dtype=pl.UInt64, endianness="big")


def _canonical(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A value as ``N`` (null) or ``<length>:<text>``, the text independent of display formatting."""
    dtype = frame.schema[name]
    if dtype.is_temporal():
        text = pl.col(name).to_physical().cast(pl.String)
    elif dtype.is_nested():
        text = pl.struct(pl.col(name)).struct.json_encode()
    else:
        text = pl.col(name).cast(pl.String)
    return pl.when(text.is_null()).then(pl.lit("N")).otherwise(pl.format("{}:{}", text.str.len_bytes(), text))


@dataclass(frozen=True)
class Diff:
    """What to emit for a sheet, and what its state should record once that is emitted."""

    upsert: pl.Series  # row ids that are new or changed (and not held back)
    delete: pl.Series  # row ids that are gone
    unchanged: int
    recorded: RowHashes  # the rows' hashes to checkpoint after emitting this diff


def diff(
    current_ids: pl.Series,
    current_hashes: pl.Series,
    previous: RowHashes | None,
    held_back: Iterable[int] = (),
) -> Diff:
    """Compare this sync's rows with the checkpointed ones.

    ``held_back`` (quarantined rows) are neither upserted nor recorded as synced: a known row keeps its previous hash
    and a new one stays absent, so the row differs again next sync and is re-checked then.
    """
    current = pl.DataFrame({ROW_ID: current_ids.cast(pl.Int64), "hash": stored_hashes(current_hashes)})
    before = (previous or RowHashes.empty()).frame()
    held = pl.Series(list(held_back), dtype=pl.Int64)
    joined = current.join(before, on=ROW_ID, how="left", suffix="_before")
    changed = joined.filter(pl.col("hash_before").is_null() | (pl.col("hash") != pl.col("hash_before")))
    upsert = changed.filter(~pl.col(ROW_ID).is_in(held.implode()))[ROW_ID]
    delete = before.join(current, on=ROW_ID, how="anti")[ROW_ID]
    recorded = joined.select(
        ROW_ID,
        hash=pl.when(pl.col(ROW_ID).is_in(held.implode())).then(pl.col("hash_before")).otherwise(pl.col("hash")),
    ).drop_nulls("hash")
    return Diff(
        upsert=upsert,
        delete=delete,
        unchanged=joined.height - changed.height,
        recorded=RowHashes(recorded[ROW_ID], recorded["hash"]),
    )
