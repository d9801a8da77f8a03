"""Rows of an indicator table whose header stayed on a page before (the tail of a form).

A page copied from the middle of a 四川 or 财政部 form starts inside its indicator table: no
header row names the columns. Such rows still show their shape — [一级] [二级] 三级 | comparison
(=, ≥, ≤, 定性) | 指标值 | [度量单位] | one figure — and that shape is the 四川 order of the
columns filled at target time (指标性质 | 指标值 | 度量单位 | 权重; 完成值 and 得分 empty and dropped
by the copy). When at least three rows have it and no header is anywhere, the rows are put
under that header (reported); a row whose shape is any other is left as it is.
"""

from __future__ import annotations

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.text_rows import Item

HEADER = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"]
NOTE = "表头不在本段文字中（续表）：按“一级/二级/三级指标、指标性质、指标值、度量单位、权重”读取各行，请核对"


def _number(text: str) -> bool:
    t = text.strip()
    try:
        float(t)
        return True
    except ValueError:
        return False


def _shaped(cells: list[str]) -> list[str] | None:
    """The row under ``HEADER``, or None when it has not the shape."""
    filled = [c.strip() for c in cells if c and c.strip()]
    sign_at = next((k for k, c in enumerate(filled) if vocab.sign_of(c) is not None), None)
    if sign_at is None or sign_at == 0 or sign_at > 3 or sign_at + 2 >= len(filled):
        return None
    before, after = filled[:sign_at], filled[sign_at + 1:]
    name, groups = before[-1], before[:-1]
    if _number(name) or any(vocab.group_level(g) is None for g in groups):
        return None
    value, rest = after[0], after[1:]
    unit = rest.pop(0) if rest and not _number(rest[0]) else ""
    if len(rest) != 1 or not _number(rest[0]):
        return None
    level1 = level2 = ""
    if len(groups) == 2:
        level1, level2 = groups
    elif groups:
        if vocab.group_level(groups[0]) == 1:
            level1 = groups[0]
        else:
            level2 = groups[0]
    return [level1, level2, name, filled[sign_at], value, unit, rest[0]]


def put_under_implied_header(items: list[Item]) -> list[Item]:
    """``items`` with the rows of a headerless indicator table rebuilt under ``HEADER`` (see module doc)."""
    from perfdesk.exchange.families.generic import indicator_header

    rows = [it for it in items if it.is_row]
    if any(indicator_header(it.cells) for it in rows):
        return items
    shaped = {id(it): _shaped(it.cells) for it in rows}
    if sum(1 for v in shaped.values() if v is not None) < 3:
        return items
    out: list[Item] = []
    placed = False
    for it in items:
        cells = shaped.get(id(it)) if it.is_row else None
        if cells is not None:
            if not placed:
                header = Item("row", it.line, cells=list(HEADER), origin=it.origin)
                header.notes.append(NOTE)
                out.append(header)
                placed = True
            out.append(Item("row", it.line, cells=cells, origin=it.origin, notes=list(it.notes)))
            continue
        if placed and it.is_row:
            filled = [c for c in it.cells if c.strip()]
            if len(filled) == 2 and vocab.key(filled[0]) in ("合计", "总计") and _number(filled[1]):
                # the weights' 合计 under the 权重 column
                out.append(Item("row", it.line, cells=[filled[0]] + [""] * 5 + [filled[1]], origin=it.origin))
                continue
        out.append(it)
    return out


__all__ = ["put_under_implied_header"]
