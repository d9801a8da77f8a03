"""Importing the forms found in pasted or saved text into one ``Document``.

Recognised (SPEC §1 and issue 13): the form families the layout registry names
(``families``), the 整体绩效评价报告, the 预算绩效情况说明 with its 自评综述, and
项目绩效评价报告. The text may hold its tables in any of the shapes officers copy
(``readers.text``: TAB rows, one cell per line, cells between blank lines, ``|`` rows,
cells run together by spaces under a header); prose around them is kept as narrative.

The work is split in three: ``segmentation`` (forms and prose sections), ``families``
(one reader per family of forms) and ``assembly`` (one document and its report).
Either the whole import succeeds or ``TextImportError`` (Chinese message) is raised;
no half-built document.
"""

from __future__ import annotations

from perfdesk.exchange.assembly import ImportResult, TextImportError, assemble
from perfdesk.exchange.import_report import ImportReport
from perfdesk.exchange.text_indicators import indicators_from_rows
from perfdesk.exchange.text_rows import table_rows

MAX_TEXT_CHARS = 20_000_000   # 20 million characters: far beyond any form; a larger text is no form


def import_text(text: str, report: ImportReport | None = None) -> ImportResult:
    """Import every form found in ``text`` into one document (see module doc)."""
    if not isinstance(text, str) or not text.strip():
        raise TextImportError("文本为空，没有可导入的内容")
    if len(text) > MAX_TEXT_CHARS:
        raise TextImportError(f"文本过大（{len(text) // 10000} 万字），超过 {MAX_TEXT_CHARS // 10000} 万字的上限，未导入")
    try:
        from perfdesk.exchange.readers.text import text_items

        return assemble(text_items(text), report)
    except TextImportError:
        raise
    except MemoryError:
        raise TextImportError("文本过大，内存不足，未导入任何内容") from None
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a partial result
        raise TextImportError(f"读取文本时出错（{type(exc).__name__}: {exc}），未导入任何内容") from exc


TEXT_ENCODINGS = ("utf-8-sig", "gb18030")  # Windows tools in China save GBK/GB18030 text
MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024     # far beyond any form as text (the seeds are ~30 KB)


def _utf16(raw: bytes) -> str | None:
    """Excel's “Unicode 文本” (UTF-16 with a byte-order mark, or little-endian without one)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    sample = raw[:4096]
    if len(sample) >= 4 and len(raw) % 2 == 0 and sample[1::2].count(0) > len(sample) // 4:
        try:
            return raw.decode("utf-16-le")
        except UnicodeDecodeError:
            return None
    return None


def decode_text(raw: bytes) -> str:
    """Text bytes as saved by Chinese Windows tools (UTF-8, GB18030 or UTF-16); ``TextImportError`` else."""
    text = _utf16(raw)
    if text is not None:
        return text
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextImportError("不是文本文件（无法按 UTF-8、GB18030 或 UTF-16 读取）")


def import_text_file(path) -> ImportResult:
    """Import a saved text file (UTF-8, GB18030 or UTF-16); every failure is a ``TextImportError``."""
    import os
    from pathlib import Path

    try:
        if os.path.isdir(path):
            raise TextImportError("这是一个文件夹，不是文本文件")
        size = os.path.getsize(path)
        if size > MAX_TEXT_FILE_BYTES:
            raise TextImportError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 "
                                  f"{MAX_TEXT_FILE_BYTES // 1024 // 1024} MB），不是表格文本")
        raw = Path(path).read_bytes()[: MAX_TEXT_FILE_BYTES + 1]
    except OSError as exc:
        raise TextImportError(f"无法读取文件：{exc.strerror or exc}") from exc
    return import_text(decode_text(raw))


__all__ = ["ImportResult", "TextImportError", "decode_text", "import_text", "import_text_file",
           "indicators_from_rows", "table_rows"]
