"""Plain text as officers copy it, in each shape it comes in, as rows and paragraphs.

- TAB rows (Excel, WPS) and Word tables flattened one cell per line behind a TAB
  (``text_rows.parse_items``);
- ``|``-delimited rows (web tables saved as text): ``a | b | c |||``; a row whose last
  cell ends its line with a single ``|`` continues on the next line; the cells a merged
  cell covers are absent, so rows are put back under their header (``align``);
- cells as a stream: one cell per line, cells between blank lines (web pages), ``|``
  cells broken over lines at random, cells run together by spaces or with no separator
  at all (text copied out of PDF and Word viewers) — rebuilt into rows by the names of
  the form's labels and columns (``stream``).

Full-width signs and brackets in labels are normalised where labels are compared
(``vocabulary.key``); values keep what the officer wrote. Every step is linear in the
size of the text.
"""

from __future__ import annotations

import re

from perfdesk.exchange.readers.align import align_rows
from perfdesk.exchange.text_rows import Item, is_placeholder_row, parse_items

MAX_LINE_CHARS = 200_000
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"), None)


def text_items(text: str) -> list[Item]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    lines = text.split("\n")
    tabbed = sum(1 for ln in lines if "\t" in ln)
    piped = [ln for ln in lines if ln.count("|") >= 2 or ln.strip() in ("|", "||")]
    if tabbed >= 2 or (tabbed and not piped):
        return parse_items(text)
    if not tabbed:
        # a checklist form (重庆 转移支付 自评表: 指标解释 | 自评内容 | 完成情况, no figures), cells spaced or barred
        from perfdesk.exchange.readers.checklist import checklist_items

        checklist = checklist_items(lines, ends_with_newline=text.endswith("\n"))
        if checklist is not None:
            return checklist
    leading = sum(1 for ln in piped if ln.lstrip().startswith("|"))
    if len(piped) < 3 or leading * 2 > len(piped):
        # a 绩效目标表 as a stream of cells: rebuilt by the grammar of target tables (issue 17)
        from perfdesk.exchange.targets.text import target_items

        targets = target_items(lines, pipes=len(piped) >= 3)
        if targets is not None:
            return targets
    if len(piped) >= 3:
        leading = sum(1 for ln in piped if ln.lstrip().startswith("|"))
        if leading * 2 > len(piped):
            from perfdesk.exchange.readers.stream import pipe_stream_items

            return pipe_stream_items(lines)
        return pipe_row_items(lines)
    from perfdesk.exchange.readers.stream import plain_stream_items

    items = plain_stream_items(lines)
    return items if items is not None else parse_items(text)


def _split_pipes(line: str) -> list[str]:
    return [" ".join(part.split()) for part in line[:MAX_LINE_CHARS].split("|")]


def pipe_row_items(lines: list[str]) -> list[Item]:
    """``a | b | c |||`` rows; other lines are paragraphs.

    Two converters are common: one ends a row broken over lines with a single ``|``
    (``预算资金 (万元) |`` / ``年初预算数 | …``), the other starts every continuation line
    with ``|`` and ends every row with one. The file tells which by its lines.
    """
    leading_style = any(ln.lstrip().startswith("|") and ln.strip("| \t") for ln in lines)
    # a converter that ends EVERY row with one bar (“a | b | c |”) marks no continuation by it
    ends = [_single_bar_end(ln.strip()) for ln in lines if ln.count("|") >= 2]
    bar_ends_rows = len(ends) >= 3 and all(ends)
    items: list[Item] = []
    pending: list[str] | None = None
    pending_line = 0
    open_end = False   # the pending row's last line ended with a single bar
    width = 0          # the widest row so far: a row broken over lines is narrower until complete

    def close():
        nonlocal pending, width
        if pending is not None:
            width = max(width, len(pending))
            items.append(_row(pending, pending_line))
            pending = None

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if "|" not in stripped:
            close()
            if stripped:
                items.append(Item("para", number, text=stripped))
            continue
        if not stripped.strip("|").strip():
            if leading_style:
                continue  # “|”, “||”: the empty cells of a broken row
            close()
            continue
        cells = _split_pipes(stripped)
        if cells and cells[-1] == "":
            cells = cells[:-1]
        starts_with_bar = stripped.startswith("|")
        if starts_with_bar and cells and cells[0] == "":
            cells = cells[1:]
        if leading_style:
            joins = pending is not None and starts_with_bar
        else:
            joins = pending is not None and open_end and (not width or len(pending) < width)
        if joins:
            pending.extend(cells)
        else:
            close()
            pending, pending_line = cells, number
        open_end = _single_bar_end(stripped) and not bar_ends_rows
        if not leading_style and not open_end:
            close()
    close()
    last = next((ln.strip() for ln in reversed(lines) if ln.strip()), "")
    if "|" in last and not last.endswith("|") and items and items[-1].is_row:
        # the text ends inside a row (a page cut off): its last cells may be missing
        cut = items.pop()
        items.append(Item("para", cut.line, text="（文本在此中断）" + " | ".join(c for c in cut.cells if c)))
    rows = [it for it in items if it.is_row]
    aligned = align_rows([it.cells for it in rows])
    for item, cells in zip(rows, aligned):
        item.cells = cells
    from perfdesk.exchange.readers.headerless import put_under_implied_header

    return put_under_implied_header(items)


def _single_bar_end(stripped: str) -> bool:
    return stripped.endswith("|") and not stripped.endswith("||") and not re.search(r"\|\s+\|$", stripped)


def _row(cells: list[str], line: int) -> Item:
    while cells and not cells[-1]:
        cells = cells[:-1]
    kind = "placeholder" if is_placeholder_row(cells) else "row"
    if len([c for c in cells if c]) == 1 and len(cells) >= 1 and cells[0] and kind == "row":
        # a one-cell row (a title, a paragraph in a table) keeps its cell
        return Item("row", line, cells=[cells[0]], exact=False)
    return Item(kind, line, cells=cells, exact=False)


__all__ = ["pipe_row_items", "text_items"]
