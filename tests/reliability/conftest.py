"""Fixtures for the reliability suite (helpers live in `_reliability.py`).

Long soaks are marked `slow`; the default run skips them (`-m "not slow"` in pytest's addopts);
`pytest -m slow tests/reliability` runs them.
"""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Every test runs with DEBUG logs captured, so the secret checks see everything logged."""
    caplog.set_level(logging.DEBUG)
