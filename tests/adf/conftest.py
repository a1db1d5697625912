"""Shared fixtures for the ADF tests: the official schema from `../shared`, when present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED_SCHEMA = Path(__file__).resolve().parents[2] / ".." / "shared" / "adf" / "full.json"


@pytest.fixture(scope="session")
def official_schema() -> dict[str, Any]:
    """The official ADF schema as published in `../shared`; skips where that folder is absent."""
    if not SHARED_SCHEMA.is_file():
        pytest.skip(f"official ADF schema not found at {SHARED_SCHEMA} (checkout without shared/)")
    return json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def official_validator(official_schema: dict[str, Any]) -> Any:
    """A Draft4Validator over the official schema from `../shared` (not the packaged copy)."""
    from jsonschema import Draft4Validator

    return Draft4Validator(official_schema)
