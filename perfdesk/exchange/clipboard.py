"""Indicator rows pasted from Excel, WPS or Word — without Qt.

The GUI hands over what the clipboard holds: tab-separated text (Excel,
WPS) and/or HTML with a ``<table>`` (Word, also Excel). HTML tables are
read with ``html.parser``; a cell spanning rows or columns gives its text to
its first row/column and leaves the others empty, exactly as a copy from
Excel shows merged cells, so both reach the same parser as the text import
(``text_rows.table_rows`` / ``text_indicators.indicators_from_rows``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from perfdesk.exchange.text_indicators import indicators_from_rows
from perfdesk.exchange.text_rows import table_rows
from perfdesk.model.document import Indicator

MAX_CLIPBOARD_CHARS = 5_000_000
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_SPAN = 1000
_BREAK = "\x00"
_SPACES = re.compile(r"[\s\xa0\u3000]+")


class ClipboardImportError(Exception):
    """Nothing usable on the clipboard (Chinese message)."""


class _TableParser(HTMLParser):
    """Collects the rows of the outermost tables of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.depth = 0          # <table> nesting
        self.row: list[tuple[str, int, int]] | None = None
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.skip = 0           # inside <style>/<script>/<head>

    @staticmethod
    def _int(value: str | None) -> int:
        try:
            return max(1, min(MAX_SPAN, int((value or "1").strip())))
        except ValueError:
            return 1

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head", "title"):
            self.skip += 1
            return
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append([])
            return
        if self.depth != 1:
            if self.cell is not None and tag == "br":
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
            self.span = (self._int(a.get("rowspan")), self._int(a.get("colspan")))
        elif tag == "br" and self.cell is not None:
            self.cell.append(_BREAK)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head", "title"):
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table":
            if self.depth == 1:
                self._close_row()
            self.depth = max(0, self.depth - 1)
            return
        if self.depth != 1:
            if self.cell is not None and tag in ("p", "div", "li", "tr"):
                self.cell.append(_BREAK)
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag in ("p", "div", "li") and self.cell is not None:
            self.cell.append(_BREAK)

    def handle_data(self, data):
        if self.skip or self.cell is None:
            return
        self.cell.append(_SPACES.sub(" ", data))

    def _close_cell(self):
        if self.cell is not None and self.row is not None:
            lines = [" ".join(line.split()) for line in "".join(self.cell).split(_BREAK)]
            text = "\n".join(line for line in lines if line)
            self.row.append((text, *self.span))
        self.cell = None

    def _close_row(self):
        self._close_cell()
        if self.row is not None and self.tables:
            self.tables[-1].append(self.row)
        self.row = None


def html_table_rows(html: str) -> list[list[str]]:
    """Rows of cells of the tables in an HTML fragment, spans resolved (see module doc)."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    parser._close_row()
    rows: list[list[str]] = []
    for table in parser.tables:
        occupied: dict[tuple[int, int], bool] = {}
        grid: list[list[str]] = []
        for r, raw in enumerate(table[:MAX_ROWS]):
            while len(grid) <= r:
                grid.append([])
            c = 0
            for text, rowspan, colspan in raw:
                while occupied.get((r, c)):
                    c += 1
                if c >= MAX_COLUMNS:
                    break
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if r + dr < MAX_ROWS and c + dc < MAX_COLUMNS:
                            occupied[(r + dr, c + dc)] = True
                row = grid[r]
                while len(row) <= c:
                    row.append("")
                row[c] = text
                c += colspan
        width = max((c for (_, c) in occupied), default=-1) + 1
        for r, row in enumerate(grid):
            cells = row + [""] * (width - len(row))
            while cells and not cells[-1]:
                cells.pop()
            if any(cell.strip() for cell in cells):
                rows.append(cells)
    return rows


def clipboard_rows(text: str | None, html: str | None) -> list[list[str]]:
    """Rows of cells from the clipboard: the HTML table when there is one, else the text."""
    for what in (text, html):
        if what is not None and len(what) > MAX_CLIPBOARD_CHARS:
            raise ClipboardImportError("剪贴板内容过大，无法粘贴为指标")
    if html and "<t" in html.lower():
        rows = html_table_rows(html)
        if rows:
            return rows
    if text and text.strip():
        return table_rows(text)[:MAX_ROWS]
    return []


def indicators_from_clipboard(text: str | None, html: str | None, has_budget: bool = True) -> list[Indicator]:
    """Indicators from a table copied from Excel/WPS (text) or Word (HTML).

    The rows go through the text importer's parser: header labels (一级指标,
    三级指标, 指标值, 分值, 得分 …) map the columns, or the 财政部 column order
    is assumed; merged level-1/level-2 cells carry their group. Raises
    ``ClipboardImportError`` when nothing usable is found.
    """
    try:
        rows = clipboard_rows(text, html)
    except ClipboardImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback from pasted data
        raise ClipboardImportError(f"无法读取剪贴板中的表格（{type(exc).__name__}）") from exc
    if not rows:
        raise ClipboardImportError("剪贴板中没有表格或文字，无法粘贴为指标")
    indicators = indicators_from_rows(rows, report=[], has_budget=has_budget)
    if not any(True for root in indicators for node in root.walk() if node.name or node.weight is not None):
        raise ClipboardImportError(
            "剪贴板中没有找到指标：请复制含“一级指标、二级指标、三级指标、指标值、分值、得分”等列的表格行")
    return indicators


__all__ = ["ClipboardImportError", "clipboard_rows", "html_table_rows", "indicators_from_clipboard"]
