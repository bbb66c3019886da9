"""The exact end-to-end tests check the base transforms against an independent oracle (tests/e2e/oracle.py)."""

import pytest


@pytest.fixture(autouse=True)
def _base_transforms_only(no_sheet_declarations):
    """See `no_sheet_declarations` in tests/conftest.py."""
