"""Package exports imported on first use, for packages whose modules are costly to import.

`jiramcp.tools` and `jiramcp.transports` re-export names from private modules; importing them all
eagerly would load the MCP SDK (or uvicorn) on paths that must not pay for it, such as the stdio
fast start. A package names where each export lives and installs the module hooks:

    __getattr__, __dir__ = lazy_exports(__name__, {"Policy": "_policy", ...}, __all__)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, where: Mapping[str, str], names: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level `__getattr__` and `__dir__` of `package`.

    Args:
        package: The package's `__name__`.
        where: Export name → the submodule (relative name, e.g. `_policy`) that defines it.
        names: The package's `__all__`, listed by `dir()`.
    """

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # found once, then a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
