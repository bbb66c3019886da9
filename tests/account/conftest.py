"""Account tests call sync functions directly as well as through the runner; the SDK's logger needs a level set first
(`fivetran debug` sets it before calling the connector; sheetsync.logs does not default it)."""

import pytest
from fivetran_connector_sdk import Logging


@pytest.fixture(autouse=True)
def sdk_log_level(monkeypatch):
    monkeypatch.setattr(Logging, "LOG_LEVEL", Logging.Level.WARNING)
