"""Where the shipped resources (fonts, templates, demo, icons) live.

A source checkout or editable install finds ``resources/`` beside the
package; a PyInstaller bundle finds it under ``sys._MEIPASS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    candidates = []
    override = os.environ.get("PERFDESK_RESOURCES")
    if override:  # a folder laid out like resources/ (tests; a province's own data)
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "perfdesk" / "resources")
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError("找不到 perfdesk 的资源文件夹 resources/")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def cjk_font_path() -> Path:
    """The shipped free CJK TrueType font (WenQuanYi Micro Hei, Apache-2.0)."""
    return resource("fonts", "wqy-microhei.ttc")
