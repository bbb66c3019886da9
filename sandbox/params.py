"""Query-string parsing with the real API's strictness: a malformed value is 400/1018 naming the parameter;
unknown parameters and unknown `include`/`exclude` values are ignored."""

from __future__ import annotations

from datetime import datetime, timezone

from .errors import bad_param
from .views import SheetQuery, parse_timestamp


class Params:
    def __init__(self, query: dict[str, list[str]]) -> None:
        self._query = query

    def text(self, name: str) -> str | None:
        values = self._query.get(name)
        return values[-1] if values else None

    def int(self, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise bad_param(name, raw) from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise bad_param(name, raw)
        return value

    def flag(self, name: str) -> bool:
        raw = self.text(name)
        if raw is None:
            return False
        if raw.lower() not in ("true", "false"):
            raise bad_param(name, raw)
        return raw.lower() == "true"

    def words(self, name: str) -> frozenset[str]:
        raw = self.text(name) or ""
        return frozenset(word.strip() for word in raw.split(",") if word.strip())

    def ids(self, name: str) -> frozenset[int] | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return frozenset(int(part) for part in raw.split(",") if part.strip())
        except ValueError:
            raise bad_param(name, raw) from None

    def timestamp(self, name: str) -> datetime | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            moment = parse_timestamp(raw)
        except ValueError:
            raise bad_param(name, raw) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def offset_paging(self) -> tuple[int | None, int | None, bool]:
        return self.int("page", minimum=1), self.int("pageSize", minimum=1), self.flag("includeAll")

    def token_paging(self) -> tuple[int | None, str | None]:
        return self.int("maxItems", minimum=1), self.text("lastKey")

    def wants_token_paging(self) -> bool:
        return self.text("paginationType") == "token" or "maxItems" in self._query or "lastKey" in self._query


def sheet_query(params: Params) -> SheetQuery:
    """GET /sheets/{id}'s parameters; `level` is 0, 1 or 2."""
    return SheetQuery(
        include=params.words("include"),
        exclude=params.words("exclude"),
        column_ids=params.ids("columnIds"),
        row_ids=params.ids("rowIds"),
        row_numbers=params.ids("rowNumbers"),
        level=params.int("level", minimum=0, maximum=2) or 0,
        page=params.int("page", minimum=1),
        page_size=params.int("pageSize", minimum=1),
        rows_modified_since=params.timestamp("rowsModifiedSince"),
        if_version_after=params.int("ifVersionAfter"),
    )
