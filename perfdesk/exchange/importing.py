"""One import for every file an officer has: the reader is chosen by the file's content.

``import_file(path)`` looks at the first bytes, not only at the name:

- ``PK`` (a zip): ``word/document.xml`` → Word (.docx, also WPS), ``xl/workbook.xml`` → Excel
  (.xlsx, ``xlsx_import``); any other zip is refused;
- ``%PDF`` → PDF with a text layer (``readers.pdf``);
- an OLE2 compound file (``D0 CF 11 E0``: .doc, .xls, .wps, .et) → converted by LibreOffice when
  installed (``readers.office``), else a Chinese message saying how to save it as .docx/.xlsx;
- ``SQLite format 3`` → a perfdesk document: “请用 文件 → 打开”;
- HTML (a saved web page) → ``readers.html``;
- anything else is text (UTF-8, GB18030 or UTF-16): CSV when it reads as comma-separated rows,
  else the text shapes of ``readers.text``.

``import_clipboard(text, html)`` prefers the clipboard's ``text/html`` flavour (browsers, Word and
WPS put a real ``<table>`` with rowspan/colspan there) over its plain text.

Every import returns an ``ImportResult`` (document, report lines, ``summary``: the report as
data); every failure is an ``ImportFailed`` with a Chinese message. Never a traceback, never a
partial document. Pure Python, no Qt.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from perfdesk.exchange.assembly import ImportResult, TextImportError, assemble
from perfdesk.exchange.import_report import ImportReport

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_BYTES = 50 * 1024 * 1024


class ImportFailed(Exception):
    """The file cannot be imported (Chinese message); nothing was imported."""


READERS = {
    "docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）", "pdf": "PDF 文档", "html": "网页（HTML）",
    "csv": "CSV 表格文本", "text": "文本", "doc": "旧版 Word/WPS 文档（经 LibreOffice 转换）",
    "xls": "旧版 Excel/WPS 表格（经 LibreOffice 转换）", "clipboard-html": "剪贴板（网页/Word/WPS 表格）",
    "clipboard-text": "剪贴板（文本）",
}


def sniff(path: Path, head: bytes) -> str:
    """The kind of file by its content (see module doc); the name only breaks ties."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist()[:5000])
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFailed(f"文件已损坏，无法作为 Word/Excel 文件打开（{type(exc).__name__}）") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            raise ImportFailed("这是演示文稿（PowerPoint），不是自评表；请导入 Word、Excel、PDF 或文本文件")
        raise ImportFailed("这是一个压缩文件，不是 Word 或 Excel 文件；请先解压，再导入其中的表格文件")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        from perfdesk.exchange.readers.office import SHEET_LIKE

        if suffix in SHEET_LIKE:
            return "xls"
        if suffix in (".doc", ".wps", ".dot", ".wpt"):
            return "doc"
        return "xls" if (b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in head or b"B\x00o\x00o\x00k" in head) else "doc"
    if head.startswith(b"SQLite format 3\x00"):
        raise ImportFailed("这是 perfdesk 文档（.pdesk），请用“文件 → 打开”打开，而不是导入")
    if head.startswith(b"{\\rtf"):
        return "doc"
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered or b"<body" in lowered:
        return "html"
    if suffix == ".csv":
        return "csv"
    return "text"


def _decode(raw: bytes) -> str:
    from perfdesk.exchange.text_import import decode_text

    try:
        return decode_text(raw)
    except TextImportError as exc:
        raise ImportFailed(str(exc)) from None


def _html_charset(raw: bytes) -> str:
    import re

    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", raw[:4096], re.IGNORECASE)
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode(raw)


def csv_items(text: str):
    """Rows of a CSV text (commas or semicolons; quoted cells may hold line breaks)."""
    from perfdesk.exchange.text_rows import Item, is_placeholder_row

    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    items = []
    csv.field_size_limit(1_000_000)
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [" ".join(c.split()) if "\n" not in c else c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        if len([c for c in cells if c]) == 1 and cells[0]:
            items.append(Item("para", number, text=cells[0]))
            continue
        items.append(Item("placeholder" if is_placeholder_row(cells) else "row", number, cells=cells,
                          origin=f"第 {number} 行"))
    return items


def _looks_like_csv(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) < 3 or any("\t" in ln for ln in lines):
        return False
    commas = [ln.count(",") for ln in lines]
    return sum(1 for c in commas if c >= 2) >= len(lines) * 0.8 and len(set(commas)) <= 3


def _items_for(kind: str, path: Path):
    if kind == "docx":
        from perfdesk.exchange.readers.docx import DocxReadError, docx_items

        try:
            return docx_items(path)
        except DocxReadError as exc:
            raise ImportFailed(str(exc)) from None
    if kind == "pdf":
        from perfdesk.exchange.readers.pdf import PdfReadError, pdf_items

        try:
            return pdf_items(path)
        except PdfReadError as exc:
            raise ImportFailed(str(exc)) from None
    raw = path.read_bytes()
    if len(raw) > MAX_TEXT_BYTES:
        raise ImportFailed(f"文件过大（{len(raw) // 1024 // 1024} MB），不像是自评表，未导入")
    if kind == "html":
        from perfdesk.exchange.readers.html import HtmlTooLarge, html_items

        try:
            return html_items(_html_charset(raw))
        except HtmlTooLarge as exc:
            raise ImportFailed(str(exc)) from None
    text = _decode(raw)
    if kind == "csv" or _looks_like_csv(text):
        return csv_items(text)
    from perfdesk.exchange.readers.text import text_items

    return text_items(text)


def _finish(items, report: ImportReport) -> ImportResult:
    try:
        return assemble(items, report)
    except TextImportError as exc:
        raise ImportFailed(str(exc)) from None


def import_file(path) -> ImportResult:
    """Import every form of the file at ``path`` (any kind, see module doc)."""
    path = Path(os.fspath(path))
    try:
        return _import_file(path)
    except ImportFailed:
        raise
    except MemoryError:
        raise ImportFailed("文件过大，内存不足，未导入任何内容") from None
    except RecursionError:
        raise ImportFailed("文件结构嵌套过深，无法读取，未导入任何内容") from None
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a partial result
        raise ImportFailed(f"读取文件时出错（{type(exc).__name__}），未导入任何内容") from exc


def _import_file(path: Path) -> ImportResult:
    try:
        if path.is_dir():
            raise ImportFailed("这是一个文件夹，请选择其中的文件")
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8192)
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件：{path}") from None
    except PermissionError:
        raise ImportFailed("没有读取该文件的权限") from None
    except OSError as exc:
        raise ImportFailed(f"无法读取文件：{exc.strerror or exc}") from None
    if size == 0:
        raise ImportFailed("文件是空的，没有可导入的内容")
    if size > MAX_FILE_BYTES:
        raise ImportFailed(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），未导入")
    kind = sniff(path, head)
    report = ImportReport(source=path.name, reader=READERS[kind])
    if kind == "xlsx":
        return _import_xlsx(path, report)
    if kind in ("doc", "xls"):
        from perfdesk.exchange.readers.office import OfficeConversionError, converted_copy

        target = "xlsx" if kind == "xls" else "docx"
        try:
            with converted_copy(path, target) as copy:
                if target == "xlsx":
                    return _import_xlsx(copy, report)
                return _finish(_items_for("docx", copy), report)
        except OfficeConversionError as exc:
            raise ImportFailed(str(exc)) from None
    return _finish(_items_for(kind, path), report)


def _import_xlsx(path: Path, report: ImportReport) -> ImportResult:
    from perfdesk.exchange.assembly import describe_forms
    from perfdesk.exchange.xlsx_import import XlsxImportError, import_xlsx

    try:
        result = import_xlsx(path)
    except XlsxImportError as exc:
        raise ImportFailed(str(exc)) from None
    for line in result.report:
        report.note(line)
    describe_forms(result.document, report, family="Excel 工作簿")
    result.summary = report
    result.report = report.lines()
    return result


def import_clipboard(text: str | None, html: str | None) -> ImportResult:
    """Import the forms on the clipboard: its HTML table when there is one, else its text."""
    from perfdesk.exchange.readers.html import HtmlTooLarge, html_items
    from perfdesk.exchange.readers.text import text_items

    try:
        if html and "<t" in html.lower():
            try:
                items = html_items(html)
            except HtmlTooLarge as exc:
                raise ImportFailed(str(exc)) from None
            if any(it.is_row for it in items):
                return _finish(items, ImportReport(source="剪贴板", reader=READERS["clipboard-html"]))
        if text and text.strip():
            from perfdesk.exchange.text_import import MAX_TEXT_CHARS

            if len(text) > MAX_TEXT_CHARS:
                raise ImportFailed("剪贴板内容过大，未导入")
            return _finish(text_items(text), ImportReport(source="剪贴板", reader=READERS["clipboard-text"]))
    except ImportFailed:
        raise
    except MemoryError:
        raise ImportFailed("剪贴板内容过大，内存不足，未导入") from None
    except Exception as exc:  # noqa: BLE001
        raise ImportFailed(f"读取剪贴板时出错（{type(exc).__name__}），未导入任何内容") from exc
    raise ImportFailed("剪贴板中没有表格或文字，没有可导入的内容")


__all__ = ["ImportFailed", "ImportResult", "csv_items", "import_clipboard", "import_file", "sniff"]
