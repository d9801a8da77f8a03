"""PDF files with a text layer, page by page, with pdfplumber.

Ruled tables (the forms are printed with their grid) are found from the page's lines
and rectangles by pdfplumber's table finder (``readers.pdf_pages``: the page's characters
and lines come from PDFium when available, else from pdfplumber); each cell's text is gathered from the characters
inside it, a merged cell's text standing in its first row and column and the cells it
covers left empty. Text outside the tables becomes paragraphs, in reading order with
the tables. A page without ruled tables falls back to word positions: each line of
words is a row, cut into cells where the gap between words is wide. A form continued
over several pages stays one form (``segmentation``); a header row repeated on the next
page is read as the same header. Scanned pages (no text layer) are reported.
Bounded: ``MAX_PAGES`` pages, ``MAX_CHARS`` characters; characters are put into cells by
binary search, so a page costs O(n log n).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from perfdesk.exchange.text_rows import Item, is_placeholder_row

MAX_PAGES = 500
MAX_CHARS = 5_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024


class PdfReadError(Exception):
    """The file is no PDF pdfplumber can read, or has no text (Chinese message)."""


def _lines_of(chars: list[dict]) -> list[tuple[float, str, list[dict]]]:
    """Characters grouped into lines: (top, text, chars), words separated by their gaps."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda ch: (round(ch["top"], 0), ch["x0"]))
    lines: list[list[dict]] = []
    current: list[dict] = []
    top = None
    for ch in chars:
        height = max(1.0, ch["bottom"] - ch["top"])
        if top is None or abs(ch["top"] - top) > height * 0.5:
            if current:
                lines.append(current)
            current, top = [ch], ch["top"]
        else:
            current.append(ch)
    if current:
        lines.append(current)
    out = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        out.append((line[0]["top"], _join(line), line))
    return out


def _join(line: list[dict], gap_factor: float = 0.25) -> str:
    parts = []
    prev = None
    for ch in line:
        if prev is not None:
            width = max(1.0, prev["x1"] - prev["x0"])
            if ch["x0"] - prev["x1"] > width * gap_factor:
                parts.append(" ")
        parts.append(ch["text"])
        prev = ch
    return "".join(parts)


def _cells_of_line(line: list[dict]) -> list[str]:
    """A line of words cut into cells at wide gaps (more than two character widths)."""
    cells, current, prev = [], [], None
    for ch in line:
        if prev is not None:
            width = max(1.0, prev["x1"] - prev["x0"])
            if ch["x0"] - prev["x1"] > width * 2:
                cells.append(_join(current))
                current = []
        current.append(ch)
        prev = ch
    if current:
        cells.append(_join(current))
    return [" ".join(c.split()) for c in cells]


def _table_rows(table, chars: list[dict]) -> tuple[list[list[str]], list[dict]]:
    """The table's rows (text per cell) and the characters left outside it."""
    rows = table.rows
    if not rows:
        return [], chars
    row_tops = [row.bbox[1] for row in rows]
    x0, top, x1, bottom = table.bbox
    buckets: dict[tuple[int, int], list[dict]] = {}
    outside: list[dict] = []
    row_edges = []
    for row in rows:
        edges = [cell[0] if cell is not None else None for cell in row.cells]
        row_edges.append(edges)
    for ch in chars:
        # a character belongs to the cell it starts in: punctuation a line hangs past its cell's
        # right edge (“、” “，” at a line end, CJK line breaking) stays with its line
        cx, cy = ch["x0"] + (ch["x1"] - ch["x0"]) / 4, (ch["top"] + ch["bottom"]) / 2
        if not (x0 <= cx < x1 and top <= cy < bottom):
            outside.append(ch)
            continue
        r = bisect_right(row_tops, cy) - 1
        if r < 0:
            continue
        # the cell of the row whose span holds cx (cells are in x order; None = covered)
        cells = rows[r].cells
        found = None
        for c, cell in enumerate(cells):
            if cell is not None and cell[0] <= cx < cell[2] and cell[1] <= cy < cell[3]:
                found = c
                break
        if found is None:  # inside a tall cell from a row above
            for rr in range(r - 1, -1, -1):
                for c, cell in enumerate(rows[rr].cells):
                    if cell is not None and cell[0] <= cx < cell[2] and cell[1] <= cy < cell[3]:
                        found = c
                        r = rr
                        break
                if found is not None:
                    break
        if found is None:
            continue
        buckets.setdefault((r, found), []).append(ch)
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c in range(len(row.cells)):
            chars_in = buckets.get((r, c))
            if not chars_in:
                cells.append("")
                continue
            cells.append(cell_text(_lines_of(chars_in), row.cells[c][2]))
        out.append(cells)
    return out, outside


def _wrapped(line: list[dict], right: float) -> bool:
    """Whether a line of a cell was wrapped by the cell's width: it runs to within two characters
    of the cell's right edge (padding included). A line the writer ended stops short of it."""
    last = max(ch["x1"] for ch in line)
    size = max(max(1.0, ch["bottom"] - ch["top"]) for ch in line)
    return right - last < 2 * size


_ITEM_START = re.compile(r"^(?:\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．]|[①-⑳])")
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")


def cell_text(lines: list[tuple[float, str, list[dict]]], right: float) -> str:
    """A ruled cell's text from its lines: lines wrapped by the cell's width are one line again
    (“完成了预期\n目标” → “完成了预期目标”; a space only between two Latin words), lines the writer
    broke keep their break — also a full line that ends a sentence before a numbered item (“…。” /
    “2.…”)."""
    out = ""
    previous: list[dict] | None = None
    for _, text, chars in lines:
        text = " ".join(text.split())
        if not text:
            continue
        if previous is None:
            out = text
        elif _wrapped(previous, right) and not (out.endswith(_SENTENCE_END) and _ITEM_START.match(text)):
            latin = out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha()
            out += (" " if latin else "") + text
        else:
            out += "\n" + text
        previous = chars
    return out


def pdf_items(path) -> list[Item]:
    """Rows and paragraphs of a PDF with a text layer (see module doc)."""
    from perfdesk.exchange.readers.pdf_pages import find_tables, page_count, pages

    try:
        import pdfplumber  # noqa: F401 - the table finder
    except ImportError as exc:  # pragma: no cover - a packaging fault
        raise PdfReadError("此版本缺少读取 PDF 的组件（pdfplumber），请另存为 Word 或文本") from exc
    items: list[Item] = []
    line_no = 0
    total_chars = 0
    text_pages = 0
    try:
        count = page_count(path)
        if count > MAX_PAGES:
            raise PdfReadError(f"PDF 共 {count} 页，超过 {MAX_PAGES} 页的上限，未导入")
        for page_no, content in enumerate(pages(path), start=1):
            chars = content.chars
            total_chars += len(chars)
            if total_chars > MAX_CHARS:
                raise PdfReadError("PDF 的文字过多，超过上限，未导入")
            if not chars:
                continue
            text_pages += 1
            blocks: list[tuple[float, str, object]] = []
            tables = find_tables(content)
            rest = chars
            for table in sorted(tables, key=lambda t: t.bbox[1]):
                rows, rest = _table_rows(table, rest)
                blocks.append((table.bbox[1], "table", rows))
            for top, text, line in _lines_of(rest):
                if tables:
                    blocks.append((top, "para", text))
                else:
                    blocks.append((top, "words", _cells_of_line(line)))
            blocks.sort(key=lambda b: b[0])
            table_no = 0
            for _, kind, value in blocks:
                line_no += 1
                if kind == "para":
                    if value.strip():
                        items.append(Item("para", line_no, text=" ".join(value.split()), origin=f"第 {page_no} 页"))
                    continue
                if kind == "words":
                    cells = list(value)
                    if len([c for c in cells if c]) <= 1:
                        items.append(Item("para", line_no, text=" ".join(cells), origin=f"第 {page_no} 页"))
                    else:
                        items.append(Item("row", line_no, cells=cells, origin=f"第 {page_no} 页", exact=False))
                    continue
                table_no += 1
                for r, cells in enumerate(value, start=1):
                    while cells and not cells[-1]:
                        cells.pop()
                    if not any(c.strip() for c in cells):
                        continue
                    line_no += 1
                    kind_ = "placeholder" if is_placeholder_row(cells) else "row"
                    items.append(Item(kind_, line_no, cells=cells, origin=f"第 {page_no} 页 表 {table_no} 第 {r} 行"))
    except PdfReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer/PDFium raise many kinds for a damaged file
        raise PdfReadError(f"无法读取 PDF（{type(exc).__name__}），文件可能已损坏或加密") from None
    if not text_pages:
        raise PdfReadError("PDF 中没有文字层（可能是扫描件），无法读取；请使用可复制文字的 PDF 或 Word 原件")
    return items


__all__ = ["PdfReadError", "pdf_items"]
