"""Chinese fonts for the printed forms, registered with ReportLab as TrueType.

Three roles: ``song`` (宋体, table cells), ``fang`` (仿宋, report prose) and
``hei`` (黑体, titles and headings). Each role takes the PC's own font when one
is found (Windows fonts folder, common Linux paths) and falls back to the
shipped WenQuanYi Micro Hei (``resources/fonts``). ReportLab embeds a subset
of every TrueType font it uses, so the PDF prints the same everywhere; no
unembedded CID font is ever used.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from perfdesk.resources import cjk_font_path

SONG, FANG, HEI = "PDSong", "PDFang", "PDHei"

# (file name, subfont index) per role, best first. Only TrueType outlines:
# ReportLab cannot embed CFF (.otf) fonts such as Noto CJK.
_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    SONG: [("simsun.ttc", 0), ("simsun.ttf", 0), ("SimSun.ttf", 0), ("uming.ttc", 0)],
    FANG: [("simfang.ttf", 0), ("SIMFANG.TTF", 0), ("FangSong.ttf", 0), ("fangsong.ttf", 0)],
    HEI: [("simhei.ttf", 0), ("SIMHEI.TTF", 0), ("SimHei.ttf", 0), ("wqy-zenhei.ttc", 0)],
}


def font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [
        Path("/usr/share/fonts/truetype/windows"),
        Path("/usr/share/fonts/winfonts"),
        Path("/usr/share/fonts/fallback"),
        Path("/usr/share/fonts/truetype/msttcorefonts"),
        Path("/usr/share/fonts/truetype/arphic"),
        Path("/usr/share/fonts/truetype/wqy"),
        Path("/usr/share/fonts/wqy-zenhei"),
        Path("/usr/share/fonts/chinese/TrueType"),
        Path("/usr/share/fonts/truetype"),
        Path("/usr/share/fonts"),
        Path.home() / ".fonts",
        Path.home() / ".local" / "share" / "fonts",
    ]
    return dirs


_registered: dict[str, str] | None = None


def _try_register(name: str, path: Path, index: int) -> bool:
    try:
        if path.suffix.lower() == ".ttc":
            font = TTFont(name, str(path), subfontIndex=index)
        else:
            font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        return True
    except Exception:  # a broken or unsupported font file: try the next one
        return False


def register_fonts() -> dict[str, str]:
    """Register the three roles once; returns {role name: font file used}."""
    global _registered
    if _registered is not None:
        return _registered
    used: dict[str, str] = {}
    dirs = [d for d in font_dirs() if d.is_dir()]
    for role, candidates in _CANDIDATES.items():
        if os.environ.get("PERFDESK_SHIPPED_FONTS_ONLY") != "1":
            for filename, index in candidates:
                for folder in dirs:
                    path = folder / filename
                    if path.is_file() and _try_register(role, path, index):
                        used[role] = str(path)
                        break
                if role in used:
                    break
        if role not in used:
            shipped = cjk_font_path()
            if not _try_register(role, shipped, 0):
                from perfdesk.printing.errors import PrintError

                raise PrintError(f"无法加载中文字体：{shipped}")
            used[role] = str(shipped)
    _registered = used
    return used


__all__ = ["FANG", "HEI", "SONG", "font_dirs", "register_fonts"]
