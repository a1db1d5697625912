"""Save and load the sandbox state as one JSON file, atomically (a crash never leaves half a file)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


def save_state(data: dict[str, Any], path: Path) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT_VERSION, "data": data}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, separators=(",", ":"), ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(path: Path) -> dict[str, Any] | None:
    """The saved data, or None when the file does not exist.

    Raises:
        ValueError: the file exists but is not a sandbox state of a known format.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a sandbox state file (invalid JSON: {exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a sandbox state file of format {FORMAT_VERSION}")
    data = payload["data"]
    for key in ("projects", "issues", "links", "boards", "sprints", "rank", "counters"):
        if key not in data:
            raise ValueError(f"{path} is missing '{key}'")
    logger.info("sandbox state loaded from %s (%d issues)", path, len(data["issues"]))
    return data
