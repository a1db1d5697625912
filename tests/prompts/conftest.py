"""Prompt tests reuse the tool tests' sandbox-backed server fixtures."""

from tests.tools._support import anyio_backend, connect  # noqa: F401
