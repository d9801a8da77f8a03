"""Putting the cells of a row back under their columns.

Web pages and some converters drop the cells a merged cell covers: under a header
``一级指标 | 二级指标 | 三级指标 | 指标值 | 分值 | 得分`` the second row of a group reads
``指标2 | ≥200 | 10 | 10`` — its 一级/二级 cells are absent, not empty. ``align_rows``
finds, for each row shorter than the header above it, the shift that puts its cells
under the columns they fit best (a number under 分值/得分, ``≥98%`` under 指标值, a
group label under 一级指标 …) and pads the row on the left. Linear in the size of the
rows; the header's names come from the synonym file.
"""

from __future__ import annotations

import re

from perfdesk.exchange import vocabulary as vocab

_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_VALUE = re.compile(r"^(?:[≥≤=<>≧≦═]|>=|<=)?\s*[-+]?\d+(?:\.\d+)?\s*(?:%|％)?[\u4e00-\u9fffA-Za-z/²³]{0,6}$")
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")
_ANY_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_DASH = {"—", "-", "－", "/", "——", "／", "…", "……"}
MAX_WIDTH = 60
_TOTALS = {"合计", "总分", "得分合计", "总计", "综合得分", "自评得分", "自评总分", "合计得分"}


def cell_type(text: str) -> str:
    t = "".join(text.split())
    if not t:
        return "empty"
    if t in _DASH:
        return "dash"
    if vocab.sign_of(t):
        return "sign"
    if _NUMBER.match(t):
        return "number"
    if t.endswith(("%", "％")) and _NUMBER.match(t[:-1]):
        return "percent"
    if _VALUE.match(t):
        return "value"
    level = vocab.group_level(t)
    if level:
        return f"group{level}"
    if _POINTS.search(t):
        # several sub-criteria with their points (“符合法律法规(1分) 符合规划(1分)”): a scoring rule,
        # not a group label (a label carries one “(N分)”)
        return "text" if len(_ANY_POINTS.findall(t)) >= 2 else "group"
    if vocab.is_percent_unit(t) or (len(t) <= 3 and not any(ch.isdigit() for ch in t) and t in _UNITS):
        return "unit"
    return "text"


_UNITS = frozenset("个 人 人次 次 天 元 万元 户 亩 米 吨 件 家 项 台 篇 份 所 名 年 月 日 公里 平方米 立方米 起 条 辆 套 场 期 批 座 处 间 册 本 头 只 %".split())

# how well a cell of a type fits under a column of a role
_FIT = {
    "level1": {"group1": 4, "group2": 1, "group": 3, "text": 0.5, "number": -3, "percent": -3, "value": -3, "sign": -3, "unit": -2},
    "level2": {"group2": 4, "group1": 1, "group": 3, "text": 0.5, "number": -3, "percent": -3, "value": -3, "sign": -3, "unit": -2},
    "name": {"text": 2, "group": 0, "group1": -1, "group2": -1, "number": -2, "percent": -2, "value": -1, "sign": -3, "unit": -2},
    "nature": {"sign": 4, "text": -2, "number": -3, "percent": -3, "value": -3, "group": -3},
    "target": {"value": 2, "percent": 2, "number": 1, "text": 0.5, "sign": -2, "unit": -1, "group": -2},
    "adjusted_target": {"value": 2, "percent": 2, "number": 1, "text": 0.5, "sign": -2, "group": -2},
    "unit": {"unit": 3, "text": -1, "number": -2, "percent": -2, "value": -2, "sign": -2, "group": -2},
    "actual": {"value": 2, "percent": 2, "number": 1, "text": 0.5, "sign": -2, "unit": -1, "group": -2},
    "progress": {"percent": 2, "number": 1, "text": -1},
    "weight": {"number": 2, "percent": 0.5, "text": -3, "value": -1, "sign": -3, "group": -3, "unit": -2},
    "score": {"number": 2, "text": -3, "value": -1, "percent": -1, "sign": -3, "group": -3, "unit": -2},
    "deviation": {"text": 1, "number": -1, "percent": -1, "value": -1, "group": -2},
    "rule": {"text": 1, "number": -1, "group": -2},
    "ignored": {},
    # funds
    "label": {"text": 3, "group": 1, "number": -3, "percent": -3, "value": -2},
    "initial_budget": {"number": 1, "value": 0.5, "percent": -3, "text": -2},
    "annual_budget": {"number": 1, "value": 0.5, "percent": -3, "text": -2},
    "arrived": {"number": 1, "value": 0.5, "percent": -3, "text": -2},
    "spent": {"number": 1, "value": 0.5, "percent": -3, "text": -2},
    "rate": {"percent": 3, "number": 0.5, "text": -2},
    "reason": {"text": 1, "number": -1},
}


def header_roles(cells: list[str]) -> tuple[str, dict[int, str]] | None:
    """("indicators" | "funds", column -> role) for a header row, else None."""
    from perfdesk.exchange.families.generic import fund_header, indicator_header

    roles = indicator_header(cells)
    if roles:
        return "indicators", roles
    roles = fund_header(cells)
    if roles:
        first = min(roles)
        out = dict(roles)
        for c in range(first):
            out[c] = "label"
        return "funds", out
    return None


def _fit(cells: list[str], roles: dict[int, str], shift: int) -> float:
    score = 0.0
    first = next((i for i, c in enumerate(cells) if c.strip()), None)
    if first is not None and roles.get(first + shift) in ("name", "label") and cell_type(cells[first]) == "text":
        score += 1  # a row without its merged group cells starts at the indicator's name
    for index, cell in enumerate(cells):
        role = roles.get(index + shift)
        kind = cell_type(cell)
        if kind in ("empty", "dash"):
            continue
        if role is None:
            score -= 1
            continue
        score += _FIT.get(role, {}).get(kind, 0)
    return score


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def align_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows with the cells of short rows shifted under their columns (see module doc)."""
    out: list[list[str]] = []
    current: dict[int, str] | None = None
    width = 0
    pending = list(rows)
    pending.reverse()
    while pending:
        cells = pending.pop()
        found = header_roles(cells)
        if found is not None:
            current = found[1]
            if found[0] == "indicators" and out:
                from perfdesk.exchange.families.generic import indicator_header, merge_header_rows, sub_header

                above = out[-1]
                over = sub_header(above, {}) if not indicator_header(above) else {}
                if over:
                    current = merge_header_rows(over, current)
            last = max(c for c, r in current.items() if r != "label")
            rest = cells[last + 1:]
            if found[0] == "indicators" and sum(1 for c in rest if c.strip()) >= 2 and not vocab.column_role(
                    next(c for c in rest if c.strip())):
                # the header and the first row of data on one line (a row end lost in the copy)
                cells, rest = cells[:last + 1], rest
                pending.append(rest)
            width = max(current) + 1
            out.append(cells)
            continue
        body = _trimmed(cells)
        first = next((c for c in body if c.strip()), "")
        if first and (vocab.block_label(first) or vocab.meta_label(first) or vocab.key(first) in _TOTALS):
            out.append(cells)
            continue
        if current is None or not body or len(body) >= width or width > MAX_WIDTH:
            out.append(cells)
            continue
        best, best_fit = 0, _fit(body, current, 0)
        for shift in range(1, width - len(body) + 1):
            fit = _fit(body, current, shift)
            if fit > best_fit:
                best, best_fit = shift, fit
        out.append([""] * best + cells)
    return out


__all__ = ["align_rows", "cell_type", "header_roles"]
