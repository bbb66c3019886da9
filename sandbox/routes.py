"""The API's read endpoints: path + query -> JSON body. Transport, auth, faults and limits live in server.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import views
from .errors import ApiError
from .params import Params, sheet_query
from .store import Store

Handler = Callable[[Store, Params, list[str]], object]
_ROUTES: list[tuple[re.Pattern, Handler]] = []


def route(pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _ROUTES.append((re.compile(pattern + "$"), handler))
        return handler

    return register


def dispatch(store: Store, path: str, params: Params) -> object:
    """The body for GET `path` (relative to /2.0); unknown paths are 404/1006. Call under `store.lock`."""
    for pattern, handler in _ROUTES:
        match = pattern.match(path)
        if match:
            return handler(store, params, [int(group) for group in match.groups()])
    raise ApiError(1006)


def _listing(items: list, params: Params, *, token_only: bool = False) -> dict:
    """Offset paging by default; token paging when asked for (or when the endpoint only has it)."""
    if token_only or params.wants_token_paging():
        return views.token_page(items, *params.token_paging())
    return views.index_result(items, *params.offset_paging())


@route(r"/users/me")
def users_me(store: Store, params: Params, ids: list[int]) -> object:
    return store.user


@route(r"/sheets")
def list_sheets(store: Store, params: Params, ids: list[int]) -> object:
    with_version = "sheetVersion" in params.words("include")
    return _listing(views.list_sheets(store, params.timestamp("modifiedSince"), with_version), params)


@route(r"/sheets/(\d+)")
def get_sheet(store: Store, params: Params, ids: list[int]) -> object:
    query = sheet_query(params)
    return views.render_sheet(store, store.readable_sheet(ids[0]), query)


@route(r"/sheets/(\d+)/version")
def sheet_version(store: Store, params: Params, ids: list[int]) -> object:
    return {"version": store.readable_sheet(ids[0])["version"]}


@route(r"/sheets/(\d+)/columns")
def sheet_columns(store: Store, params: Params, ids: list[int]) -> object:
    level = params.int("level", minimum=0, maximum=2) or 0
    columns = [views.render_column(c, level) for c in store.readable_sheet(ids[0])["columns"]]
    return _listing(columns, params)


@route(r"/sheets/(\d+)/summary")
def sheet_summary(store: Store, params: Params, ids: list[int]) -> object:
    return store.readable_sheet(ids[0])["summary"]


@route(r"/sheets/(\d+)/attachments")
def sheet_attachments(store: Store, params: Params, ids: list[int]) -> object:
    return _listing(store.readable_sheet(ids[0])["attachments"], params)


@route(r"/sheets/(\d+)/discussions")
def sheet_discussions(store: Store, params: Params, ids: list[int]) -> object:
    with_comments = "comments" in params.words("include")
    return _listing(views.discussions(store.readable_sheet(ids[0]), with_comments), params)


@route(r"/reports")
def list_reports(store: Store, params: Params, ids: list[int]) -> object:
    return _listing(views.list_reports(store), params)


@route(r"/reports/(\d+)")
def get_report(store: Store, params: Params, ids: list[int]) -> object:
    report = store.reports.get(ids[0])
    if report is None:
        raise ApiError(1006)
    page, page_size, _ = params.offset_paging()
    level = params.int("level", minimum=0, maximum=3) or 0
    include = params.words("include")
    return views.render_report(store, report, level=level, include=include, page=page, page_size=page_size)


@route(r"/workspaces")
def list_workspaces(store: Store, params: Params, ids: list[int]) -> object:
    return _listing(views.list_workspaces(store), params, token_only=True)


@route(r"/workspaces/(\d+)/children")
def workspace_children(store: Store, params: Params, ids: list[int]) -> object:
    types = params.words("childrenResourceTypes") or None
    return _listing(views.children(store, "workspace", ids[0], types), params, token_only=True)


@route(r"/folders/(\d+)/children")
def folder_children(store: Store, params: Params, ids: list[int]) -> object:
    types = params.words("childrenResourceTypes") or None
    return _listing(views.children(store, "folder", ids[0], types), params, token_only=True)
