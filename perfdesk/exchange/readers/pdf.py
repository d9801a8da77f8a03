"""PDF files with a text layer, page by page, with pdfplumber.

Ruled tables (the forms are printed with their grid) are found from the page's lines
and rectangles by pdfplumber's table finder (``readers.pdf_pages``: the page's characters
and lines come from PDFium when available, else from pdfplumber); each cell's text is gathered from the characters
inside it, a merged cell's text standing in its first row and column and the cells it
covers left empty. Lines a cell wrapped are one line again (``cell_text``), Word's spacing
between Chinese and digits is no space, and a row Word or WPS broke across pages (the rest of
its text at the top of the next page) is one row again (``_continue_row``). Text outside the tables becomes paragraphs, in reading order with
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
    top = bottom = None   # the band of the line's tallest character
    for ch in chars:
        height = max(1.0, ch["bottom"] - ch["top"])
        middle = (ch["top"] + ch["bottom"]) / 2
        # a character is on the line when its middle lies in the line's band: a comma or full stop,
        # whose box PDFium makes small and low, stays on its line
        if top is None or not (top <= middle <= bottom or abs(ch["top"] - top) <= height * 0.5):
            if current:
                lines.append(current)
            current, top, bottom = [ch], ch["top"], ch["bottom"]
        else:
            current.append(ch)
            if height > bottom - top:
                top, bottom = ch["top"], ch["bottom"]
    if current:
        lines.append(current)
    out = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        out.append((line[0]["top"], _join(line), line))
    return out


def _asian(text: str) -> bool:
    return bool(text) and ("\u2e80" <= text[0] <= "\u9fff" or "\uf900" <= text[0] <= "\ufaff"
                           or "\uff00" <= text[0] <= "\uffef")


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _join(line: list[dict], gap_factor: float = 0.25) -> str:
    parts = []
    prev = None
    for ch in line:
        if prev is not None:
            width = max(1.0, prev["x1"] - prev["x0"])
            limit = width * gap_factor
            if (_asian(prev["text"]) and _latin(ch["text"][:1])) or (_asian(ch["text"]) and _latin(prev["text"][-1:])):
                # Word, WPS and LibreOffice set Chinese text off from digits and Latin letters by about a
                # fifth of an em (“2024年” printed as “2024 年”): that gap is no space; a typed space is
                # wider (a quarter of an em and more, half an em in 宋体)
                limit = 0.23 * max(width, ch["x1"] - ch["x0"])
            if ch["x0"] - prev["x1"] > limit:
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


def _table_rows(table, chars: list[dict]) -> tuple[list[list[str]], list[dict], list[set[int]]]:
    """The table's rows (text per cell), the characters left outside it, and per row the columns
    whose text was cut mid-line (``_cut_mid_line``: it may go on at the top of the next page)."""
    rows = table.rows
    if not rows:
        return [], chars, []
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
    open_ends: list[set[int]] = []
    for r, row in enumerate(rows):
        cells = []
        ends: set[int] = set()
        for c in range(len(row.cells)):
            chars_in = buckets.get((r, c))
            if not chars_in:
                cells.append("")
                continue
            lines = _lines_of(chars_in)
            cells.append(cell_text(lines, row.cells[c][2]))
            if _cut_mid_line(lines, row.cells[c][2]):
                ends.add(c)
        out.append(cells)
        open_ends.append(ends)
    return out, outside, open_ends


def _wrapped(line: list[dict], right: float, following: list[dict] | None = None) -> bool:
    """Whether a line of a cell was wrapped by the cell's width: it runs to within three characters
    of the cell's right edge (padding included; a character that may not start a line — “、” “，”
    “。” — takes the one before it along to the next line). A line the writer ended stops short."""
    last = max(ch["x1"] for ch in line)
    size = max(max(1.0, ch["bottom"] - ch["top"]) for ch in line)
    return right - last < 3 * size or (following is not None and right - last < _first_word(following) + size)


_COMPLETE_END = (")", "）", ":", "：", "。", "；", ";", "】", "]")


def _cut_mid_line(lines: list[tuple[float, str, list[dict]]], right: float) -> bool:
    """Whether a cell's text may go on below its last line (a row broken across pages). A text that
    wrapped already (longer than its column) when its last line is as full as the widest line before
    it and runs to the cell's edge; a one-line text only when it fills its column to within one and
    a half characters, does not end as a label or sentence ends (“预算公开(2分)”, “单位名称:”) and is
    no label of the form (“项目名称”)."""
    if not lines:
        return False
    last = lines[-1][2]
    size = max(max(1.0, ch["bottom"] - ch["top"]) for ch in last)
    end = max(ch["x1"] for ch in last)
    if len(lines) >= 2:
        widest = max(max(ch["x1"] for ch in chars) for _, _, chars in lines[:-1])
        return end >= widest - 2 * size and _wrapped(last, right)
    text = lines[-1][1].strip()
    return right - end <= 1.5 * size and not text.endswith(_COMPLETE_END) and not _a_label(text)


def _a_label(text: str) -> bool:
    """A form's own label (项目名称, 主管部门, 三级指标, 产出指标, 年度资金总额 …): complete as it stands."""
    from perfdesk.exchange import vocabulary as vocab

    return bool(vocab.meta_label(text) or vocab.block_label(text) or vocab.column_role(text)
                or vocab.group_level(text) or vocab.fund_row(text) or vocab.fund_column(text))


_NO_BREAK_BEFORE = frozenset("”’」』）)】〕》〉、，。：；！？,.:;!?%…")
_NO_BREAK_AFTER = frozenset("“‘「『（(【〔《〈”’")   # quotation marks glue to both sides (UAX #14, QU)


def _first_word(line: list[dict]) -> float:
    """The width of what a line starts with that cannot be broken: a word of Latin letters, digits and
    signs (“C×100%)”), or a Chinese character with the marks glued to it (“扶”高”: no break before a
    closing mark, none after an opening one or a quotation mark). When it did not fit at the end of
    the line above it was moved whole, leaving a gap as wide as itself."""
    start = line[0]["x0"]
    if _asian(line[0]["text"]):
        end = 0
        while end + 1 < len(line) and (line[end + 1]["text"] in _NO_BREAK_BEFORE or line[end]["text"] in _NO_BREAK_AFTER):
            end += 1
        return line[end]["x1"] - start
    end = start
    prev = None
    for ch in line:
        if _asian(ch["text"]) or ch["text"].isspace():
            break
        if prev is not None and ch["x0"] - prev["x1"] > 0.25 * max(1.0, prev["x1"] - prev["x0"]):
            break
        end, prev = ch["x1"], ch
    return end - start


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
        elif _wrapped(previous, right, chars) and not (out.endswith(_SENTENCE_END) and _ITEM_START.match(text)):
            latin = out[-1].isascii() and out[-1].isalpha() and text[0].isascii() and text[0].isalpha()
            out += (" " if latin else "") + text
        else:
            out += "\n" + text
        previous = chars
    return out


_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／,，、]?\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$"
                          r"|^[(（]?续表?[)）]?$")


def _figure(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?%?", text.strip()))


def _filled(cells: list[str], c: int) -> bool:
    return c < len(cells) and bool(cells[c].strip())


def _continue_row(before: list[tuple[Item, set[int]]], rows: list[list[str]]) -> None:
    """Word, WPS and LibreOffice let a row break across pages: the rest of its cells' text stands in
    a row at the top of the next page (after the repeated header rows), its other cells empty. That
    row is joined to the row it continues when it holds text, each filled cell stands under a filled
    cell of that row and at least half of those were cut mid-line on the page before
    (``_cut_mid_line``; a next row's cells above end complete). It holds a figure only as the tail of
    a figure cut in its narrow cell (“52.80000” / “0”: the joined text still a figure); a row of
    figures alone is a next row. A cell merged down from a row above (its column empty in the last
    row) takes its part when it was cut mid-line. Header rows never join. ``before``: the rows of the
    page's last table, with their cut cells."""
    from perfdesk.exchange.readers.align import cell_type, header_roles

    last, open_ends = before[-1]
    if header_roles(last.cells) is not None:
        return
    k = 0
    while k < len(rows) and (not any(c.strip() for c in rows[k]) or header_roles(rows[k]) is not None):
        k += 1
    if k == len(rows):
        return
    row = rows[k]
    filled = [c for c, text in enumerate(row) if text.strip()]
    figures = [c for c in filled if cell_type(row[c]) in ("number", "percent", "value", "sign")]
    above = [c for c, text in enumerate(last.cells) if text.strip()]
    own = [c for c in filled if c in above]
    if not filled or len(figures) == len(filled):
        return
    if figures and not all(c in open_ends and _figure(last.cells[c]) and _figure(last.cells[c] + row[c].strip())
                           for c in figures):
        return   # a figure goes on only as the tail of a figure wrapped in its narrow cell (“52.80000” / “0”)
    if own and 2 * sum(1 for c in own if c in open_ends) < len(own):
        return
    targets: dict[int, Item] = {c: last for c in own}
    for c in filled:
        if c in targets:
            continue
        # a cell merged down: the nearest row above with text in the column, its text cut mid-line
        source = next(((item, ends) for item, ends in reversed(before[:-1]) if _filled(item.cells, c)), None)
        if source is None or c not in source[1] or not own:
            return
        targets[c] = source[0]
    for c, item in targets.items():
        cells = list(item.cells)
        head, tail = cells[c], row[c].strip()
        latin = head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha()
        cells[c] = head + (" " if latin else "") + tail   # a space only between two Latin words
        item.cells = cells
        note = f"{item.origin}跨页续排：下一页顶端的续行已并入此行，请核对"
        if note not in item.notes:
            item.notes.append(note)
    rows[k] = [""] * len(row)


def pdf_items(path) -> list[Item]:
    """Rows and paragraphs of a PDF with a text layer (see module doc)."""
    from perfdesk.exchange.readers.pdf_pages import find_tables, page_count, pages

    try:
        import pdfplumber  # noqa: F401 - the table finder
    except ImportError as exc:  # pragma: no cover - a packaging fault
        raise PdfReadError("此版本缺少读取 PDF 的组件（pdfplumber），请另存为 Word 或文本") from exc
    items: list[Item] = []
    carry: list[tuple[Item, set[int]]] | None = None
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
            open_ends: dict[int, list[set[int]]] = {}   # id of a table's rows -> their cut cells
            for table in sorted(tables, key=lambda t: t.bbox[1]):
                rows, rest, ends = _table_rows(table, rest)
                open_ends[id(rows)] = ends
                blocks.append((table.bbox[1], "table", rows))
            for top, text, line in _lines_of(rest):
                if tables:
                    blocks.append((top, "para", text))
                else:
                    blocks.append((top, "words", _cells_of_line(line)))
            blocks.sort(key=lambda b: b[0])
            # page furniture is no content: page numbers (“第 1 页 共 3 页”, “- 2 -”) and “续表”
            content_blocks = [b for b in blocks if not (b[1] == "para" and _PAGE_NUMBER.match(b[2].strip()))]
            if carry is not None and content_blocks and content_blocks[0][1] == "table":
                _continue_row(carry, content_blocks[0][2])
            carry = None
            page_rows: list[tuple[Item, set[int]]] = []
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
                page_rows = []
                for r, cells in enumerate(value, start=1):
                    while cells and not cells[-1]:
                        cells.pop()
                    if not any(c.strip() for c in cells):
                        continue
                    line_no += 1
                    kind_ = "placeholder" if is_placeholder_row(cells) else "row"
                    items.append(Item(kind_, line_no, cells=cells, origin=f"第 {page_no} 页 表 {table_no} 第 {r} 行"))
                    page_rows.append((items[-1], open_ends[id(value)][r - 1]))
            if content_blocks and content_blocks[-1][1] == "table" and page_rows:
                carry = page_rows   # the page ends inside a table: its last row may go on over the page
    except PdfReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer/PDFium raise many kinds for a damaged file
        raise PdfReadError(f"无法读取 PDF（{type(exc).__name__}），文件可能已损坏或加密") from None
    if not text_pages:
        raise PdfReadError("PDF 中没有文字层（可能是扫描件），无法读取；请使用可复制文字的 PDF 或 Word 原件")
    return items


__all__ = ["PdfReadError", "pdf_items"]
