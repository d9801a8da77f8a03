"""perfdesk's per-user folders (Qt-free): data, recovery copies, caches."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """perfdesk's per-user data folder (PERFDESK_DATA_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("PERFDESK_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover - Windows
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return Path(base) / "perfdesk"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "perfdesk"


def cache_dir() -> Path:
    """Derived data that can always be rebuilt (the compiled file format)."""
    return data_dir() / "cache"
