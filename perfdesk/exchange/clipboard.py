"""Indicator rows pasted from Excel, WPS or Word — without Qt.

The GUI hands over what the clipboard holds: tab-separated text (Excel,
WPS) and/or HTML with a ``<table>`` (Word, also Excel). HTML tables are
read with ``html.parser``; a cell spanning rows or columns gives its text to
its first row/column and leaves the others empty, exactly as a copy from
Excel shows merged cells, so both reach the same parser as the text import
(``text_rows.table_rows`` / ``text_indicators.indicators_from_rows``).
"""

from __future__ import annotations

from perfdesk.exchange.text_indicators import indicators_from_rows
from perfdesk.exchange.text_rows import table_rows
from perfdesk.model.document import Indicator

MAX_CLIPBOARD_CHARS = 5_000_000
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_SPAN = 1000


class ClipboardImportError(Exception):
    """Nothing usable on the clipboard (Chinese message)."""


def html_table_rows(html: str) -> list[list[str]]:
    """Rows of cells of the tables in an HTML fragment, spans resolved (see ``readers.html``)."""
    from perfdesk.exchange.readers.html import html_table_rows as rows_of

    return rows_of(html)[:MAX_ROWS]


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
