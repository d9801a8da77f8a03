"""Which Chinese faces print the forms and documents, and where their files are.

Five roles, as official forms and documents (GB/T 9704) name them:

- ``song``  宋体   — table cells of the forms
- ``fang``  仿宋   — body text of reports (3号 仿宋)
- ``kai``   楷体   — second-level headings （一）
- ``hei``   黑体   — first-level headings 一、, table headers
- ``xbs``   小标宋 — titles (2号 小标宋)

Each role takes the PC's own TrueType font when one is found (Windows' Fonts
folder, the CESI/方正 fonts of UOS/Kylin, common Linux paths); otherwise the
faces shipped in ``resources/fonts``:

- Perfdesk Serif SC Regular/Bold — Noto Serif CJK SC (OFL) subset to GB 2312
  with TrueType outlines (see tools/make_serif_fonts.py): 宋体, and 仿宋/楷体
  when the PC has none, Bold for 小标宋;
- WenQuanYi Micro Hei (Apache-2.0): 黑体, and any character the chosen face
  lacks (a rare character in a name is printed, never a blank box).

``choose_faces`` is pure (no ReportLab): the .docx export uses it to name the
same faces. ``register_fonts`` loads each distinct file once per process into
ReportLab and returns the font name of every role.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from perfdesk.resources import resource

ROLES = ("song", "fang", "kai", "hei", "xbs")
ROLE_LABELS = {"song": "宋体", "fang": "仿宋", "kai": "楷体", "hei": "黑体", "xbs": "小标宋"}
# The family names Word and WPS know for each role (for documents that name fonts).
OFFICIAL_FAMILIES = {"song": "宋体", "fang": "仿宋_GB2312", "kai": "楷体_GB2312", "hei": "黑体",
                     "xbs": "方正小标宋简体"}

# ReportLab font names of the roles (stable, used in table styles and canvases).
SONG, FANG, KAI, HEI, XBS = "PDSong", "PDFang", "PDKai", "PDHei", "PDXbs"
FONT_NAMES = {"song": SONG, "fang": FANG, "kai": KAI, "hei": HEI, "xbs": XBS}
FALLBACK = "PDFallback"  # characters missing from a role's face

BUNDLED_SERIF = "PerfdeskSerifSC-Regular.ttf"
BUNDLED_SERIF_BOLD = "PerfdeskSerifSC-Bold.ttf"
BUNDLED_SANS = "wqy-microhei.ttc"

# (file name, subfont index, family shown to the officer), best first. TrueType
# outlines only: ReportLab cannot embed CFF (.otf) fonts such as the Noto CJK
# collections that Linux systems ship.
SYSTEM_CANDIDATES: dict[str, list[tuple[str, int, str]]] = {
    "song": [("simsun.ttc", 0, "宋体"), ("simsun.ttf", 0, "宋体"), ("CESI_SS_GB2312.TTF", 0, "CESI宋体"),
             ("STSONG.TTF", 0, "华文宋体"), ("FZSSJW.TTF", 0, "方正书宋")],
    "fang": [("simfang.ttf", 0, "仿宋"), ("FS_GB2312.ttf", 0, "仿宋_GB2312"),
             ("仿宋_GB2312.ttf", 0, "仿宋_GB2312"), ("CESI_FS_GB2312.TTF", 0, "CESI仿宋"),
             ("STFANGSO.TTF", 0, "华文仿宋"), ("FZFSJW.TTF", 0, "方正仿宋")],
    "kai": [("simkai.ttf", 0, "楷体"), ("KAI_GB2312.ttf", 0, "楷体_GB2312"),
            ("楷体_GB2312.ttf", 0, "楷体_GB2312"), ("CESI_KT_GB2312.TTF", 0, "CESI楷体"),
            ("STKAITI.TTF", 0, "华文楷体"), ("FZKTJW.TTF", 0, "方正楷体")],
    "hei": [("simhei.ttf", 0, "黑体"), ("CESI_HT_GB2312.TTF", 0, "CESI黑体"), ("FZHTJW.TTF", 0, "方正黑体"),
            ("STHEITI.TTF", 0, "华文黑体"), ("wqy-zenhei.ttc", 0, "文泉驿正黑")],
    "xbs": [("FZXBSJW.TTF", 0, "方正小标宋简体"), ("方正小标宋简体.ttf", 0, "方正小标宋简体"),
            ("FZXBSJW--GB1-0.ttf", 0, "方正小标宋简体"), ("CESI_XBS_GB2312.TTF", 0, "CESI小标宋")],
}


@dataclass(frozen=True)
class Face:
    """The face printing one role."""

    role: str
    family: str      # as shown to the officer: 宋体, 仿宋_GB2312, Perfdesk Serif SC …
    path: Path
    index: int       # subfont of a .ttc
    bundled: bool    # shipped with perfdesk (not the PC's)

    @property
    def label(self) -> str:
        where = "随程序附带" if self.bundled else "本机字体"
        return f"{ROLE_LABELS[self.role]}：{self.family}（{where}）"


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
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".fonts",
        Path.home() / ".local" / "share" / "fonts",
    ]
    return dirs


SCAN_DEPTH = 4        # folders below a font directory
SCAN_LIMIT = 20000    # files looked at in all (a huge or looping tree stays quick)


def scan_fonts(dirs: list[Path]) -> dict[str, Path]:
    """Lower-cased file name → path of every TrueType file under ``dirs`` (first wins)."""
    found: dict[str, Path] = {}
    seen = 0
    for top in dirs:
        if not top.is_dir():
            continue
        base_depth = len(top.parts)
        for folder, subdirs, files in os.walk(top, followlinks=False):
            if len(Path(folder).parts) - base_depth >= SCAN_DEPTH:
                subdirs[:] = []
            for name in files:
                seen += 1
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(folder) / name)
            if seen > SCAN_LIMIT:
                return found
    return found


def _bundled(role: str) -> Face:
    if role == "xbs":
        return Face(role, "Perfdesk Serif SC Bold（思源宋体/Noto Serif CJK 子集）",
                    resource("fonts", BUNDLED_SERIF_BOLD), 0, True)
    if role == "hei":
        return Face(role, "文泉驿微米黑", resource("fonts", BUNDLED_SANS), 0, True)
    return Face(role, "Perfdesk Serif SC（思源宋体/Noto Serif CJK 子集）", resource("fonts", BUNDLED_SERIF), 0, True)


def shipped_only() -> bool:
    """``PERFDESK_SHIPPED_FONTS_ONLY=1``: ignore the PC's fonts (tests; identical output everywhere)."""
    return os.environ.get("PERFDESK_SHIPPED_FONTS_ONLY") == "1"


def choose_faces(dirs: list[Path] | None = None, usable=None) -> dict[str, Face]:
    """The face of every role: the PC's when present (and ``usable``), else the bundled one.

    Without a system 仿宋 the body text takes the 宋体 chosen; without a 楷体, the 仿宋.
    """
    files = {} if shipped_only() else scan_fonts(font_dirs() if dirs is None else dirs)
    usable = usable or (lambda path, index: True)
    chosen: dict[str, Face] = {}
    for role in ROLES:
        for filename, index, family in SYSTEM_CANDIDATES[role]:
            path = files.get(filename.lower())
            if path is not None and usable(path, index):
                chosen[role] = Face(role, family, path, index, False)
                break
    song = chosen.get("song") or _bundled("song")
    chosen["song"] = song
    if "fang" not in chosen:
        chosen["fang"] = Face("fang", song.family, song.path, song.index, song.bundled)
    if "kai" not in chosen:
        fang = chosen["fang"]
        chosen["kai"] = Face("kai", fang.family, fang.path, fang.index, fang.bundled)
    chosen.setdefault("hei", _bundled("hei"))
    chosen.setdefault("xbs", _bundled("xbs"))
    return {role: chosen[role] for role in ROLES}


# ---------------------------------------------------------------- ReportLab

_lock = threading.Lock()
_registered: dict[str, str] | None = None
_faces: dict[str, Face] | None = None
_loaded: dict[tuple[str, int], object] = {}  # (path, index) -> TTFont: each file read once


def _load(path: Path, index: int):
    """The font of a file, read once per process (under a name of its own; roles are aliases)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    key = (str(path), index)
    font = _loaded.get(key)
    if font is None:
        name = f"PDFace{len(_loaded)}"
        if path.suffix.lower() == ".ttc":
            font = TTFont(name, str(path), subfontIndex=index)
        else:
            font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        # ReportLab keeps one font per face name (two copies of one face, e.g. under two
        # file names, become the first one loaded): use that one everywhere.
        font = pdfmetrics.getFont(name)
        _loaded[key] = font
    return font


def _alias(alias: str, font) -> None:
    """Make ``alias`` name an already loaded font (one file, one embedded subset)."""
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics._fonts[alias] = font


def _usable(path: Path, index: int) -> bool:
    try:
        _load(path, index)
        return True
    except Exception:  # a broken, CFF or unsupported file: try the next candidate
        return False


def register_fonts() -> dict[str, str]:
    """Load the faces (once per process); returns {ReportLab font name: file} per role."""
    global _registered, _faces
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        faces = choose_faces(usable=_usable)
        used: dict[str, str] = {}
        for role, face in faces.items():
            try:
                font = _load(face.path, face.index)
            except Exception as exc:
                from perfdesk.printing.errors import PrintError

                raise PrintError(f"无法加载中文字体：{face.path}（{exc}）") from None
            _alias(FONT_NAMES[role], font)
            used[FONT_NAMES[role]] = str(face.path)
        _faces = faces
        _registered = used
        return used


def fallback_font():
    """The face for characters the role's face lacks (the bundled full-CJK sans), loaded on first use."""
    from reportlab.pdfbase import pdfmetrics

    try:
        return pdfmetrics.getFont(FALLBACK)
    except KeyError:
        font = _load(resource("fonts", BUNDLED_SANS), 0)
        _alias(FALLBACK, font)
        return font


def faces() -> dict[str, Face]:
    """The faces in use (registering them if needed)."""
    register_fonts()
    assert _faces is not None
    return dict(_faces)


def summary() -> str:
    """One line for 设置 and the PDF's properties: 宋体：… ；仿宋：… …"""
    return "；".join(face.label for face in faces().values())


def reset() -> None:
    """Forget the choice (tests that change the PC's fonts)."""
    global _registered, _faces
    with _lock:
        _registered = None
        _faces = None


__all__ = [
    "FALLBACK", "FANG", "FONT_NAMES", "Face", "HEI", "KAI", "OFFICIAL_FAMILIES", "ROLES", "ROLE_LABELS",
    "SONG", "XBS", "choose_faces", "faces", "fallback_font", "font_dirs", "register_fonts", "reset",
    "scan_fonts", "summary",
]
