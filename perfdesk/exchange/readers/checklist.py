"""Checklist self-evaluations (重庆 中央对地方转移支付 项目绩效自评表) copied as text, cells separated by spaces
(a web page's text) or by bars (a web table saved as text, the cells a merged cell covers absent).

The layout: 指标名称 (一级 | 二级 | 三级, each headed “名称”) | 指标解释 | 记录 (自评内容 | 完成情况) |
未完成原因及改进措施 | 需提供的支撑材料 — no 指标值, 分值 or 得分 (an unscored form). A web or PDF copy
puts each row on one line, its cells separated by single spaces (the cells themselves hold none) or bars:

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

The rows come out as the same table a Word or web copy gives (its two header rows with their own
names, a further record or a budget line a row with the name cells empty), so the generic family
reads the three alike.
"""

from __future__ import annotations

import re

from perfdesk.exchange.text_rows import Item

HEADER = [["指标名称", "", "", "指标解释", "记录", "", "未完成原因及改进措施", "需提供的支撑材料"],
          ["一级指标", "二级指标", "三级指标", "", "自评内容", "完成情况", "", ""]]
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?$")
_HEAD_WORDS = ("指标名称", "指标解释", "完成情况")
_SENTENCE = re.compile(r"[，,。；;：:、！？]")
_MATERIAL = re.compile(r"^\d{1,2}\s*[.、．]")
CUT_NOTE = "文本在此行中断（页面截断）：该行未读作指标，请核对原表"


def _is_name(token: str) -> bool:
    return 1 < len(token) <= 20 and not _SENTENCE.search(token) and not _MATERIAL.match(token) \
        and not re.fullmatch(r"[\d.%]+", token)


def _is_explanation(token: str) -> bool:
    return len(token) >= 8 and bool(_SENTENCE.search(token))


def _tokens(line: str) -> list[str]:
    """A line's cells: between bars (a web table saved as text, covered cells dropped), else between spaces."""
    if line.count("|") >= 1:
        return [" ".join(c.split()) for c in line.split("|") if c.strip()]
    return line.split()


def _header_end(lines: list[str]) -> int | None:
    """The index of the first line after the checklist's header rows, or None when there is none."""
    for i, line in enumerate(lines[:200]):
        tokens = _tokens(line)
        if "指标名称" in tokens and "指标解释" in tokens:
            window = " ".join(lines[i:i + 4])
            if not all(w in window for w in _HEAD_WORDS) or not ("自评内容" in window or "记录" in tokens):
                return None
            if any(w in window for w in ("分值", "得分", "权重", "指标值")):
                return None   # a scored form: the generic readers' business
            j = i + 1
            while j < len(lines) and j < i + 4:
                rest = set(_tokens(lines[j]))
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
        if text and not {"指标名称", "一级指标", "名称"} & set(_tokens(text)):
            items.append(Item("para", number, text=text))
    rows: list[tuple[int, list[str]]] = []
    groups = ["", ""]
    budget = False   # inside a row's budget lines (until the next row)
    notes: list[str] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        tokens = _tokens(line)
        if not tokens:
            continue
        text = " ".join(tokens)
        money = "预算资金总额" in text or "资金合计" in text
        names = 0
        while not money and names < min(3, len(tokens) - 1) and _is_name(tokens[names]):
            names += 1
        if names and _is_explanation(tokens[names]):
            budget = False
            labels = tokens[:names]
            if names == 3:
                groups = labels[:2]
            elif names == 2:
                groups = [groups[0], labels[0]]
            rest = tokens[names + 1:]
            materials = rest.pop() if rest and _MATERIAL.match(rest[-1]) else ""
            record = rest[:-1] if len(rest) > 1 else rest
            status = rest[-1] if len(rest) > 1 else ""
            # a group is printed once, where it starts (the rows under it blank), as in the Word table
            shown = [groups[0] if names == 3 else "", groups[1] if names >= 2 else "", labels[-1], tokens[names],
                     " ".join(record), status, "", materials]
            rows.append((number, shown))
            items.append(Item("row", number, cells=shown))
            continue
        if rows and (budget or money):
            # the budget recorded inside a row (label | amount lines): never a row of its own
            budget = True
            amount = tokens[-1] if len(tokens) > 1 and _AMOUNT.match(tokens[-1]) else ""
            label = " ".join(tokens[:-1] if amount else tokens)
            items.append(Item("row", number, cells=["", "", "", "", label, amount, "", ""]))
            continue
        if rows and _MATERIAL.match(text):
            cells = rows[-1][1]
            cells[7] = (cells[7] + "\n" + text).strip()
            continue
        if rows and len(tokens) == 2 and _is_name(tokens[0]) and _is_name(tokens[1]):
            # a further record of the row: 自评内容 | 完成情况
            items.append(Item("row", number, cells=["", "", "", "", tokens[0], tokens[1], "", ""]))
            continue
        items.append(Item("para", number, text=text))
    if rows and not ends_with_newline and items[-1].is_row and items[-1].cells is rows[-1][1]:
        cut = items.pop()   # the text ends inside its last row
        items.append(Item("para", cut.line, text="（文本在此中断）" + " ".join(c for c in cut.cells if c)))
        notes.append(CUT_NOTE + f"（第 {cut.line} 行）")
    first_row = next((k for k, it in enumerate(items) if it.is_row), len(items))
    head = [Item("row", start, cells=list(HEADER[0]), notes=notes), Item("row", start, cells=list(HEADER[1]))]
    return items[:first_row] + head + items[first_row:]


__all__ = ["checklist_items"]
