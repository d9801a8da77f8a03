"""Old Office and WPS files (.doc, .wps, .et, .xls): converted offline by LibreOffice when installed.

LibreOffice runs headless in a temporary folder with its own temporary profile (so a
LibreOffice window the officer has open is not disturbed), converts the file to .docx
or .xlsx, and the converted copy is read like any other; the folder is removed
afterwards. Without LibreOffice — the usual case on an office PC — the officer gets a
Chinese message saying how to save the file as .docx/.xlsx in WPS or Word. No network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONVERT_TIMEOUT_S = 120
WORD_LIKE = {".doc", ".wps", ".rtf", ".wpt", ".dot"}
SHEET_LIKE = {".xls", ".et", ".ett", ".xlt"}


class OfficeConversionError(Exception):
    """No LibreOffice, or the conversion failed (Chinese message saying what to do)."""


def _candidates() -> list[str]:
    names = ["soffice", "libreoffice"]
    found = [p for p in (shutil.which(n) for n in names) if p]
    if sys.platform.startswith("win"):
        for base in (os.environ.get("PROGRAMFILES", r"C:\Program Files"),
                     os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")):
            exe = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if exe.is_file():
                found.append(str(exe))
    else:
        for exe in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                    "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
            if Path(exe).is_file():
                found.append(exe)
    return found


def find_soffice() -> str | None:
    """The LibreOffice program, or None (``PERFDESK_SOFFICE`` names it explicitly, or "" to hide it)."""
    explicit = os.environ.get("PERFDESK_SOFFICE")
    if explicit is not None:
        return explicit or None
    found = _candidates()
    return found[0] if found else None


def how_to_save_as(suffix: str) -> str:
    if suffix in SHEET_LIKE:
        return (f"“{suffix}”是旧版 Excel/WPS 表格格式，本机没有安装 LibreOffice，无法直接读取。请在 WPS 表格或 Excel 中"
                "打开该文件，选择“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，保存后再导入新文件。")
    return (f"“{suffix}”是旧版 Word/WPS 文字格式，本机没有安装 LibreOffice，无法直接读取。请在 WPS 文字或 Word 中"
            "打开该文件，选择“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，保存后再导入新文件。")


def convert(path: Path, target: str, workdir: Path) -> Path:
    """Convert ``path`` to ``target`` ("docx" or "xlsx") inside ``workdir``; the converted file."""
    soffice = find_soffice()
    if soffice is None:
        raise OfficeConversionError(how_to_save_as(path.suffix.lower()))
    profile = workdir / "profile"
    source = workdir / ("input" + path.suffix.lower())
    shutil.copyfile(path, source)   # a name without spaces or odd characters, in our own folder
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
               "--nologo", "--convert-to", target, "--outdir", str(workdir), str(source)]
    try:
        subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=CONVERT_TIMEOUT_S, check=False, cwd=str(workdir))
    except subprocess.TimeoutExpired:
        raise OfficeConversionError(f"LibreOffice 转换超过 {CONVERT_TIMEOUT_S} 秒未完成，已放弃。"
                                    + how_to_save_as(path.suffix.lower())) from None
    except OSError as exc:
        raise OfficeConversionError(f"无法启动 LibreOffice（{exc.strerror or exc}）。"
                                    + how_to_save_as(path.suffix.lower())) from None
    converted = workdir / f"input.{target}"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise OfficeConversionError("LibreOffice 未能转换该文件（文件可能已损坏或加密）。" + how_to_save_as(path.suffix.lower()))
    return converted


class converted_copy:
    """``with converted_copy(path, "docx") as copy:`` — a converted copy in a temporary folder."""

    def __init__(self, path, target: str):
        self.path, self.target = Path(path), target
        self._dir: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Path:
        self._dir = tempfile.TemporaryDirectory(prefix="perfdesk-convert-", ignore_cleanup_errors=True)
        return convert(self.path, self.target, Path(self._dir.name))

    def __exit__(self, *exc):
        if self._dir is not None:
            self._dir.cleanup()
        return False


__all__ = ["OfficeConversionError", "SHEET_LIKE", "WORD_LIKE", "converted_copy", "find_soffice", "how_to_save_as"]
