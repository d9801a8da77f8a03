"""What kind of file is on disk, told by its content (never by its extension).

Used before writing over an existing file: a command asked to write a workbook must
not replace a perfdesk document that happens to be named ``.xlsx``.
"""

from __future__ import annotations

import os
import zipfile

LABELS = {
    "pdesk": "perfdesk 文档",
    "xlsx": "Excel 工作簿",
    "docx": "Word 文档",
    "pdf": "PDF 文件",
    "sqlite": "其他程序的数据库",
    "zip": "压缩包或其他 Office 文件",
    "text": "文本文件",
    "other": "其他格式的文件",
    "folder": "文件夹",
    "empty": "空文件",
    "missing": "不存在的文件",
}


def kind_of(path: str | os.PathLike) -> str:
    """One of LABELS' keys (``missing`` when there is nothing; ``other`` when it cannot be read)."""
    if os.path.isdir(path):
        return "folder"
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"
    if not head:
        return "empty"
    if head.startswith(b"SQLite format 3\x00"):
        return "pdesk" if head[68:72] == b"PDSK" else "sqlite"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist()[:5000])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "docx" if "word/document.xml" in names else "zip"
    if _texty(head):
        return "text"
    return "other"


def _texty(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False
