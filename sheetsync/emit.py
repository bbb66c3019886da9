"""The only module that calls the SDK's operations.

`SdkEmitter` sends to Fivetran; `PreviewEmitter` records what would be sent, so the preview notebook and tests run the
very same sync code without emitting anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import polars as pl

from sheetsync import logs


class Emitter:
    """Counts every operation by (kind, table); subclasses decide where operations go."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def upsert_frame(self, table: str, frame: pl.DataFrame) -> int:
        """Upserts every row of `frame` (dates as date/datetime objects, JSON columns as lists/dicts).

        Decimals go as text: the SDK's DECIMAL columns take `str(d)` exactly, and a float would round.
        """
        decimals = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Decimal)]
        if decimals:
            frame = frame.with_columns(pl.col(decimals).cast(pl.String))
        for row in frame.iter_rows(named=True):
            self._upsert(table, row)
        self.counts["upsert", table] += frame.height
        return frame.height

    def upsert(self, table: str, row: dict) -> None:
        self._upsert(table, row)
        self.counts["upsert", table] += 1

    def update(self, table: str, row: dict) -> None:
        """Changes only the columns `row` names (the key included): the rest of the stored row stays."""
        self._update(table, row)
        self.counts["update", table] += 1

    def delete_keys(self, table: str, keys: Iterable[dict]) -> int:
        n = 0
        for key in keys:
            self._delete(table, key)
            n += 1
        self.counts["delete", table] += n
        return n

    def truncate(self, table: str) -> None:
        self._truncate(table)
        self.counts["truncate", table] += 1

    def checkpoint(self, state: dict) -> None:
        self._checkpoint(state)
        self.counts["checkpoint", ""] += 1

    def warning(self, message: str) -> None:
        message = logs.redact(message)
        logs.warning(message)
        self._warning(message)
        self.counts["warning", ""] += 1

    def total(self, kind: str) -> int:
        return sum(n for (k, _), n in self.counts.items() if k == kind)

    # Where the operations go.
    def _upsert(self, table: str, row: dict) -> None: ...
    def _update(self, table: str, row: dict) -> None: ...
    def _delete(self, table: str, key: dict) -> None: ...
    def _truncate(self, table: str) -> None: ...
    def _checkpoint(self, state: dict) -> None: ...
    def _warning(self, message: str) -> None: ...


class SdkEmitter(Emitter):
    """Sends to Fivetran through `fivetran_connector_sdk.Operations`."""

    def __init__(self) -> None:
        super().__init__()
        from fivetran_connector_sdk import Operations

        self.op = Operations

    def _upsert(self, table: str, row: dict) -> None:
        self.op.upsert(table=table, data=row)

    def _update(self, table: str, row: dict) -> None:
        self.op.update(table=table, modified=row)

    def _delete(self, table: str, key: dict) -> None:
        self.op.delete(table=table, keys=key)

    def _truncate(self, table: str) -> None:
        self.op.truncate(table=table)

    def _checkpoint(self, state: dict) -> None:
        self.op.checkpoint(state=state)

    def _warning(self, message: str) -> None:
        self.op.warning(message)


class PreviewEmitter(Emitter):
    """Keeps the last checkpointed state and the warnings; sends nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.state: dict | None = None
        self.warnings: list[str] = []

    def _checkpoint(self, state: dict) -> None:
        self.state = state

    def _warning(self, message: str) -> None:
        self.warnings.append(message)
