"""`api`: GET against the per-test sandbox with the right token, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests


@pytest.fixture
def api(sandbox) -> Iterator[Callable[..., requests.Response]]:
    """`api("/sheets/123", level=2)` -> the requests.Response; `api(path, token=None)` sends no token."""
    session = requests.Session()

    def get(path: str, token: str | None = sandbox.token, timeout: float = 10, **params: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return session.get(sandbox.url + path, params=params, headers=headers, timeout=timeout)

    yield get
    session.close()
