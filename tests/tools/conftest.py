"""Tool tests run against a jiramcp server over a fresh in-process sandbox (see `_support`)."""

from tests.tools._support import anyio_backend, connect  # noqa: F401
