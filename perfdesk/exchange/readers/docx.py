"""Word documents (.docx, also saved by WPS) as rows and paragraphs, with python-docx.

The body is read in order: paragraphs (titles, 单位名称, the year, prose) and tables.
Each table is read as a grid with its merged cells resolved — ``w:gridSpan`` (across)
and ``w:vMerge`` (down): the text stands in the first cell, the covered cells are
empty, so rows keep every cell in its column. ``w:gridBefore``/``w:gridAfter`` keep a
row's cells under the right columns. A form split over several tables (continued on
the next page) stays one form; several forms in one file are separated by their
titles (``segmentation``). Content controls (``w:sdt``) are looked into; a table
nested in a cell gives its text to the cell. Bounded: ``MAX_*`` cells, rows, text.
"""

from __future__ import annotations

from functools import lru_cache

from perfdesk.exchange.text_rows import Item, is_placeholder_row

MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 100_000
MAX_PARAGRAPHS = 200_000


class DocxReadError(Exception):
    """The file is no Word document python-docx can open (Chinese message)."""


@lru_cache(maxsize=None)
def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _text_of(element) -> str:
    """The text of a paragraph or a cell: runs joined, tabs and breaks kept as spaces/new lines."""
    W_T, W_TAB, W_BR, W_CR, W_P = _qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr"), _qn("w:p")
    parts: list[str] = []
    size = 0
    for node in element.iter(W_T, W_TAB, W_BR, W_CR, W_P):
        tag = node.tag
        if tag == W_T:
            text = node.text or ""
            size += len(text)
            if size > MAX_CELL_CHARS:
                break
            parts.append(text)
        elif tag == W_TAB:
            parts.append(" ")
        elif tag in (W_BR, W_CR):
            parts.append("\n")
        elif tag == W_P and parts:
            parts.append("\n")
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _int_attr(element, path: str, default: int = 0) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(_qn("w:val")) or default)
    except ValueError:
        return default


def table_grid(tbl) -> list[list[str]]:
    """One ``w:tbl`` as rows of cells, merged cells resolved (see module doc)."""
    W_TR, W_TC = _qn("w:tr"), _qn("w:tc")
    span_path = f"{_qn('w:tcPr')}/{_qn('w:gridSpan')}"
    vmerge_path = f"{_qn('w:tcPr')}/{_qn('w:vMerge')}"
    before_path = f"{_qn('w:trPr')}/{_qn('w:gridBefore')}"
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(W_TR):
        if len(rows) >= MAX_ROWS:
            break
        cells: list[str] = [""] * min(_int_attr(tr, before_path), MAX_COLUMNS)
        for tc in _row_cells(tr, W_TC):
            if len(cells) >= MAX_COLUMNS:
                break
            span = max(1, min(_int_attr(tc, span_path, 1), MAX_COLUMNS))
            vmerge = tc.find(vmerge_path)
            continued = vmerge is not None and (vmerge.get(_qn("w:val")) in (None, "continue"))
            text = "" if continued else _text_of(tc)
            cells.append(text)
            cells.extend([""] * min(span - 1, MAX_COLUMNS - len(cells)))
        rows.append(cells)
    return rows


def _row_cells(tr, W_TC):
    """The cells of a row, looking into content controls (w:sdt) that wrap cells."""
    W_SDT, W_CONTENT = _qn("w:sdt"), _qn("w:sdtContent")
    for child in tr:
        if child.tag == W_TC:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_CONTENT)
            if content is not None:
                yield from (tc for tc in content if tc.tag == W_TC)


def _body_blocks(body):
    """Paragraphs and tables of the body in order, looking into content controls."""
    W_P, W_TBL, W_SDT, W_CONTENT = _qn("w:p"), _qn("w:tbl"), _qn("w:sdt"), _qn("w:sdtContent")
    for child in body:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_CONTENT)
            if content is not None:
                yield from _body_blocks(content)


def docx_items(path) -> list[Item]:
    """Rows and paragraphs of a .docx file (see module doc)."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a packaging fault
        raise DocxReadError("此版本缺少读取 Word 文档的组件（python-docx），请另存为文本或联系维护人员") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise DocxReadError(f"无法作为 Word 文档（.docx）打开：{type(exc).__name__}") from None
    W_TBL = _qn("w:tbl")
    items: list[Item] = []
    line = 0
    table_no = 0
    paragraphs = 0
    for block in _body_blocks(document.element.body):
        line += 1
        if block.tag != W_TBL:
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                break
            text = _text_of(block)
            for part in text.split("\n"):
                if part.strip():
                    items.append(Item("para", line, text=part.strip()))
            continue
        table_no += 1
        for r, cells in enumerate(table_grid(block), start=1):
            while cells and not cells[-1]:
                cells.pop()
            if not any(c.strip() for c in cells):
                continue
            line += 1
            kind = "placeholder" if is_placeholder_row(cells) else "row"
            items.append(Item(kind, line, cells=cells, origin=f"表 {table_no} 第 {r} 行"))
    return items


__all__ = ["DocxReadError", "docx_items", "table_grid"]
