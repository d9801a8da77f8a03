"""HTML (a saved web page, the clipboard's ``text/html`` from a browser, Word or WPS) as rows and paragraphs.

Tables are read with their ``rowspan``/``colspan`` resolved: a merged cell's text stands
in its first row and column, the cells it covers are empty — exactly as Excel copies
merged cells — so the rows have every cell in its column. Text outside tables becomes
paragraphs (one per block element or ``<br>``), in document order. Only the outermost
tables are read as tables; a table nested in a cell gives its text to the cell.
``html.parser`` from the standard library; bounded (``MAX_*``) and linear.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from perfdesk.exchange.text_rows import Item, is_placeholder_row

MAX_HTML_CHARS = 20_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_SPAN = 1000
MAX_CELL_CHARS = 100_000
MAX_SPAN_CELLS = 2_000_000
_BREAK = "\x00"
_SPACES = re.compile(r"[ \t\r\n\f\xa0\u3000]+")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
           "blockquote", "pre", "dt", "dd", "caption", "title"}
_SKIP = {"style", "script", "head", "noscript", "template", "svg", "object"}


class HtmlTooLarge(ValueError):
    pass


class _Parser(HTMLParser):
    """Collects paragraphs and the outermost tables of an HTML document, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, object]] = []   # ("para", text) | ("table", rows)
        self.text: list[str] = []                    # the paragraph being collected
        self.depth = 0                                # <table> nesting
        self.rows: list[list[tuple[str, int, int]]] = []
        self.row: list[tuple[str, int, int]] | None = None
        self.cell: list[str] | None = None
        self.cell_chars = 0
        self.span = (1, 1)
        self.skip = 0

    @staticmethod
    def _int(value: str | None) -> int:
        try:
            return max(1, min(MAX_SPAN, int((value or "1").strip())))
        except ValueError:
            return 1

    # paragraphs outside tables
    def _flush_text(self):
        if self.text:
            for line in "".join(self.text).split(_BREAK):
                line = " ".join(line.split())
                if line:
                    self.blocks.append(("para", line))
            self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._flush_text()
                self.rows = []
                self.row = None
                self.cell = None
            elif self.cell is not None:
                self.cell.append(_BREAK)
            return
        if self.depth == 0:
            if tag in _BLOCKS or tag == "br" or tag == "tr":
                self.text.append(_BREAK)
            return
        if self.depth != 1:
            if self.cell is not None and tag in ("br", "p", "div", "tr", "li"):
                self.cell.append(_BREAK)
            return
        if tag == "tr":
            self._close_row()
            self.row = []
        elif tag in ("td", "th"):
            self._close_cell()
            if self.row is None:
                self.row = []
            a = dict(attrs)
            self.cell = []
            self.cell_chars = 0
            self.span = (self._int(a.get("rowspan")), self._int(a.get("colspan")))
        elif tag in ("br", "p", "div", "li") and self.cell is not None:
            self.cell.append(_BREAK)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table":
            if self.depth == 1:
                self._close_row()
                self.blocks.append(("table", self.rows))
                self.rows = []
            self.depth = max(0, self.depth - 1)
            return
        if self.depth == 0:
            if tag in _BLOCKS:
                self.text.append(_BREAK)
            return
        if self.depth != 1:
            if self.cell is not None and tag in ("p", "div", "li", "tr", "td", "th"):
                self.cell.append(_BREAK if tag != "td" and tag != "th" else " ")
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag in ("p", "div", "li") and self.cell is not None:
            self.cell.append(_BREAK)

    def handle_data(self, data):
        if self.skip:
            return
        if self.depth == 0:
            self.text.append(_SPACES.sub(" ", data))
            return
        if self.cell is None or self.cell_chars > MAX_CELL_CHARS:
            return
        piece = _SPACES.sub(" ", data)
        self.cell_chars += len(piece)
        self.cell.append(piece)

    def _close_cell(self):
        if self.cell is not None and self.row is not None:
            lines = [" ".join(line.split()) for line in "".join(self.cell).split(_BREAK)]
            text = "\n".join(line for line in lines if line)
            if len(self.row) < MAX_COLUMNS:
                self.row.append((text, *self.span))
        self.cell = None

    def _close_row(self):
        self._close_cell()
        if self.row is not None and len(self.rows) < MAX_ROWS:
            self.rows.append(self.row)
        self.row = None

    def finish(self):
        self.close()
        if self.depth:
            self._close_row()
            self.blocks.append(("table", self.rows))
        self._flush_text()


def resolve_spans(table: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """The rows of one table with merged cells resolved (text in the first cell, the rest empty)."""
    occupied: set[tuple[int, int]] = set()
    grid: list[list[str]] = []
    budget = MAX_SPAN_CELLS  # cells covered by spans, in all: a hostile table cannot make this quadratic
    for r, raw in enumerate(table[:MAX_ROWS]):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, rowspan, colspan in raw:
            while (r, c) in occupied:
                c += 1
            if c >= MAX_COLUMNS:
                break
            rows_down = min(rowspan, MAX_ROWS - r, len(table) - r)
            cols_across = min(colspan, MAX_COLUMNS - c)
            if rows_down * cols_across > budget:
                rows_down, cols_across = 1, min(cols_across, max(1, budget))
            budget -= rows_down * cols_across
            for dr in range(rows_down):
                for dc in range(cols_across):
                    if dr or dc:
                        occupied.add((r + dr, c + dc))
            row = grid[r]
            while len(row) <= c:
                row.append("")
            row[c] = text
            c += colspan
        # rows covered by a tall cell from above may be shorter: keep them aligned
    width = 0
    for r, row in enumerate(grid):
        width = max(width, len(row))
    for (r, c) in occupied:
        if r < len(grid):
            width = max(width, c + 1)
    out = []
    for row in grid:
        cells = row + [""] * (width - len(row))
        out.append(cells)
    return out


def html_blocks(html: str) -> list[tuple[str, object]]:
    """("para", text) and ("table", rows) in document order."""
    if len(html) > MAX_HTML_CHARS:
        raise HtmlTooLarge(f"网页内容过大（超过 {MAX_HTML_CHARS // 1_000_000} 百万字符），未导入")
    parser = _Parser()
    parser.feed(html)
    parser.finish()
    out = []
    for kind, value in parser.blocks:
        out.append((kind, resolve_spans(value) if kind == "table" else value))
    return out


def html_items(html: str) -> list[Item]:
    """Rows and paragraphs of an HTML document (see module doc)."""
    items: list[Item] = []
    table_no = 0
    line = 0
    for kind, value in html_blocks(html):
        line += 1
        if kind == "para":
            items.append(Item("para", line, text=value))
            continue
        table_no += 1
        for r, cells in enumerate(value, start=1):
            trimmed = list(cells)
            while trimmed and not trimmed[-1]:
                trimmed.pop()
            if not any(c.strip() for c in trimmed):
                continue
            line += 1
            kind_ = "placeholder" if is_placeholder_row(trimmed) else "row"
            items.append(Item(kind_, line, cells=trimmed, origin=f"表 {table_no} 第 {r} 行"))
    return items


def html_table_rows(html: str) -> list[list[str]]:
    """The rows of every table in ``html`` (spans resolved), trailing empty cells dropped."""
    rows = []
    for kind, value in html_blocks(html):
        if kind != "table":
            continue
        for cells in value:
            trimmed = list(cells)
            while trimmed and not trimmed[-1]:
                trimmed.pop()
            if any(c.strip() for c in trimmed):
                rows.append(trimmed)
    return rows


__all__ = ["HtmlTooLarge", "html_blocks", "html_items", "html_table_rows", "resolve_spans"]
