"""Resource tests reuse the tool tests' sandbox-backed server fixtures."""

from tests.tools.conftest import anyio_backend, connect  # noqa: F401
