"""Checklist self-evaluations (重庆 中央对地方转移支付 项目绩效自评表) copied as text, cells run together by spaces.

The layout: 指标名称 (一级 | 二级 | 三级, each headed “名称”) | 指标解释 | 记录 (自评内容 | 完成情况) |
未完成原因及改进措施 | 需提供的支撑材料 — no 指标值, 分值 or 得分 (an unscored form). A web or PDF copy
puts each row on one line, its cells separated by single spaces (the cells themselves hold none):

    项目预算管理 资金投入 预算编制科学性 <解释, a sentence> <自评内容> <完成情况>
    1.<支撑材料>                                  (numbered lines: the row's materials)
    <自评内容> <完成情况>                         (a further record of the same row)
    预算资金安排 <解释>                           (a new 三级 under the same groups)

A row starts with one to three names (short, no sentence punctuation; right-aligned: the last is the
三级, the one before the 二级, the first the 一级) followed by its explanation, a sentence; any other
line belongs to the row above it. The budget is recorded inside a row as “…合计(万元) 年度预算资金
总额: N” (then “其中:中央补助 N …” and breakdowns “<line>(万元) / 年度预算资金总额: N”, which are no
total): the first 总额 after a 合计 is the form's 全年预算数. A row the text ends inside (the last line
without its line end: a page cut off) is not read, and the import says so.

The rows come out under a header the generic family reads (一级/二级/三级指标, 指标解释, 自评内容,
实际完成情况, 未完成原因, 支撑材料), the budget as a funds block before them.
"""

from __future__ import annotations

import re

from perfdesk.exchange.text_rows import Item

HEADER = ["一级指标", "二级指标", "三级指标", "指标解释", "自评内容", "实际完成情况", "未完成原因", "需提供的支撑材料"]
_HEAD_WORDS = ("指标名称", "指标解释", "完成情况")
_SENTENCE = re.compile(r"[，,。；;：:、！？]")
_MATERIAL = re.compile(r"^\d{1,2}\s*[.、．]")
_TOTAL = re.compile(r"合计\s*[(（]?万?元?[)）]?.*?年度预算资金总额\s*[)）]?\s*[:：]\s*(\d+(?:\.\d+)?)")
_SOURCE = re.compile(r"^(?:其中\s*[:：]\s*)?(\S{2,20}?)\s+(\d+(?:\.\d+)?)$")
CUT_NOTE = "文本在此行中断（页面截断）：该行未读作指标，请核对原表"


def _is_name(token: str) -> bool:
    return 1 < len(token) <= 20 and not _SENTENCE.search(token) and not _MATERIAL.match(token) \
        and not re.fullmatch(r"[\d.%]+", token)


def _is_explanation(token: str) -> bool:
    return len(token) >= 8 and bool(_SENTENCE.search(token))


def _header_end(lines: list[str]) -> int | None:
    """The index of the first line after the checklist's header rows, or None when there is none."""
    for i, line in enumerate(lines[:200]):
        tokens = line.split()
        if "指标名称" in tokens and "指标解释" in tokens:
            window = " ".join(lines[i:i + 4])
            if not all(w in window for w in _HEAD_WORDS) or not ("自评内容" in window or "记录" in tokens):
                return None
            if any(w in window for w in ("分值", "得分", "权重", "指标值")):
                return None   # a scored form: the generic readers' business
            j = i + 1
            while j < len(lines) and j < i + 4:
                rest = set(lines[j].split())
                if rest and rest <= {"一级指标", "二级指标", "三级指标", "自评内容", "完成情况", "名称", "记录"}:
                    j += 1
                else:
                    break
            return j
    return None


def checklist_items(lines: list[str], ends_with_newline: bool) -> list[Item] | None:
    """The items of a checklist form (see module doc), or None when the text has not its header."""
    start = _header_end(lines)
    if start is None:
        return None
    items: list[Item] = []
    for number, line in enumerate(lines[:start], start=1):
        text = line.strip()
        if text and not {"指标名称", "一级指标", "名称"} & set(text.split()):
            items.append(Item("para", number, text=text))
    rows: list[tuple[int, list[str]]] = []
    groups = ["", ""]
    total: str | None = None
    notes: list[str] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        tokens = line.split()
        if not tokens:
            continue
        text = line.strip()
        if "预算资金总额" in text:   # the budget recorded inside a row: never a row of its own
            m = _TOTAL.search(text)
            if m and total is None:
                total = m.group(1)
            items.append(Item("para", number, text=text))
            continue
        names = 0
        while names < min(3, len(tokens) - 1) and _is_name(tokens[names]):
            names += 1
        if names and _is_explanation(tokens[names]):
            labels = tokens[:names]
            if names == 3:
                groups = labels[:2]
            elif names == 2:
                groups = [groups[0], labels[0]]
            rest = tokens[names + 1:]
            record = rest[:-1] if len(rest) > 1 else rest
            status = rest[-1] if len(rest) > 1 else ""
            cells = [groups[0], groups[1], labels[-1], tokens[names], " ".join(record), status, "", ""]
            # a group is printed once, where it starts: the rows after it stand under it blank
            previous = rows[-1][1] if rows else None
            shown = list(cells)
            if previous is not None:
                for k in (0, 1):
                    if cells[k] == previous[k] and names < 3 - k:
                        shown[k] = ""
            rows.append((number, cells))
            items.append(Item("row", number, cells=shown))
            continue
        if rows and _MATERIAL.match(text):
            cells = items[-1].cells if items and items[-1].is_row else None
            if cells is not None:
                cells[7] = (cells[7] + "\n" + text).strip()
                continue
        if rows and items and items[-1].is_row and total is None and len(tokens) == 2 and _is_name(tokens[0]) \
                and _is_name(tokens[1]):
            cells = items[-1].cells   # a further record of the row: 自评内容 | 完成情况
            cells[4] = (cells[4] + "\n" + tokens[0]).strip()
            cells[5] = (cells[5] + "\n" + tokens[1]).strip()
            continue
        items.append(Item("para", number, text=text))
    if rows and not ends_with_newline:
        last = max(k for k, it in enumerate(items) if it.is_row)
        if all(not it.is_row and it.line == items[last].line for it in items[last + 1:]) or last == len(items) - 1:
            cut = items.pop(last)
            items.insert(last, Item("para", cut.line, text="（文本在此中断）" + " ".join(c for c in cut.cells if c)))
            notes.append(CUT_NOTE + f"（第 {cut.line} 行）")
    first_row = next((k for k, it in enumerate(items) if it.is_row), len(items))
    head = [Item("row", start, cells=list(HEADER), notes=notes)]
    if total is not None:
        head = [Item("row", start, cells=["项目资金", "全年预算数", "全年执行数"]),
                Item("row", start, cells=["年度资金总额", total, ""])] + head
    return items[:first_row] + head + items[first_row:]


__all__ = ["checklist_items"]
