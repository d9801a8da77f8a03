"""Stated and computed figures on a printed form, never mixed without a mark.

A form prints what the paper states (the 得分, 执行率, 总分, 等级 and group
weights written on it). Where the program computes something else, the printed
figure carries a circled number (①) and a note under the form says what was
computed (“填报执行率；按 B/A 计算为 97.31%”). A score over its weight or a total
over 100 is never printed as valid: it is printed as stated, marked, with the
note saying it is not a valid score (and 定稿 printing refuses such a document,
see ``preflight``).
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model.document import Evaluation, Indicator
from perfdesk.model.values import compose_value
from perfdesk.scoring import EvaluationScore, format_rate, format_score, total_is_valid

TOLERANCE = Decimal("0.005")
RATE_TOLERANCE = Decimal("0.0005")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Notes:
    """The marks of one form and their notes, in the order they are printed."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def mark(self, text: str, note: str) -> str:
        self.items.append(note)
        n = len(self.items)
        sign = CIRCLED[n - 1] if n <= len(CIRCLED) else f"({n})"
        return f"{text}{sign}"

    def lines(self) -> list[str]:
        out = []
        for n, note in enumerate(self.items, start=1):
            sign = CIRCLED[n - 1] if n <= len(CIRCLED) else f"({n})"
            out.append(f"{sign}{note}")
        return out

    def text(self) -> str:
        return ("注：" + "；".join(self.lines()) + "。") if self.items else ""


def _differs(a: Decimal | None, b: Decimal | None, tol: Decimal = TOLERANCE) -> bool:
    return a is not None and b is not None and abs(a - b) > tol


def execution_rate_text(ev: Evaluation, sc: EvaluationScore, notes: Notes) -> str:
    line = ev.execution
    if line is None:
        return ""
    stated, computed = line.stated_rate, sc.execution_rate
    if stated is None:
        return format_rate(computed)
    if _differs(stated, computed, RATE_TOLERANCE):
        return notes.mark(format_rate(stated), f"填报执行率；按全年执行数÷全年预算数（B/A）计算为{format_rate(computed)}")
    return format_rate(stated)


def execution_score_text(ev: Evaluation, sc: EvaluationScore, notes: Notes, fmt=format_score) -> str:
    line = ev.execution
    if line is None:
        return ""
    stated, computed = line.stated_score, sc.execution_computed
    if stated is None:
        return fmt(computed)
    if stated > line.weight + TOLERANCE or stated < 0:
        extra = f"；按执行率计算为{fmt(computed)}" if computed is not None else ""
        return notes.mark(fmt(stated), f"填报得分超出分值{format_score(line.weight)}的范围，不是有效得分{extra}")
    if _differs(stated, computed):
        return notes.mark(fmt(stated), f"填报得分；按执行率计算为{fmt(computed)}")
    return fmt(stated)


def group_weight(node: Indicator, sc: EvaluationScore) -> Decimal:
    """A group's weight as the paper states it, else the sum of its children."""
    return node.weight if node.weight is not None else sc.of(node).weight


def group_label(node: Indicator | None, sc: EvaluationScore, notes: Notes, fmt: str = "{name}\n（{w}分）") -> str:
    """“效益指标（30分）” with the stated weight; marked when the children add up to another."""
    if node is None:
        return ""
    if not node.children and node.weight is None:
        return node.name
    stated, computed = node.weight, sc.of(node).weight
    text = fmt.format(name=node.name, w=format_score(group_weight(node, sc)))
    if node.children and _differs(stated, computed):
        return notes.mark(text, f"“{node.name}”标明分值{format_score(stated)}，下级指标分值合计{format_score(computed)}")
    return text


def group_score_text(node: Indicator, sc: EvaluationScore, notes: Notes, fmt=format_score) -> str:
    """A group's score: the stated subtotal, marked when its children add up to another."""
    computed = sc.of(node).score
    stated = node.score_override
    if stated is None:
        return fmt(computed)
    if _differs(stated, computed):
        return notes.mark(fmt(stated), f"“{node.name}”填报得分；下级指标得分合计为{fmt(computed)}")
    return fmt(stated)


def leaf_score_text(leaf: Indicator, sc: EvaluationScore, notes: Notes, fmt=format_score) -> str:
    value = sc.of(leaf).score
    if value is None:
        return ""
    if leaf.weight is not None and (value > leaf.weight + TOLERANCE or value < 0):
        return notes.mark(fmt(value), f"“{leaf.name}”得分超出分值{format_score(leaf.weight)}的范围，不是有效得分")
    return fmt(value)


def target_text(leaf: Indicator, notes: Notes | None = None) -> str:
    """The 指标值 of a form with one value column: the target composed with its 指标性质 and
    计量单位 (“≥98%”). An adjusted target is the 调整后指标值: given ``notes`` (a form without a
    年初指标值 column) it is marked and a note gives the 年初指标值 and the 调整原因."""
    text = compose_value(leaf.comparison, leaf.target, leaf.unit)
    return text if notes is None else adjusted_mark(leaf, text, notes)


def adjusted_mark(leaf: Indicator, text: str, notes: Notes) -> str:
    """``text`` marked with the note of an adjusted target (unchanged when it was not adjusted)."""
    initial, reason = leaf.initial_target.strip(), leaf.adjust_reason.strip()
    if not (initial or reason):
        return text
    parts = [f"“{leaf.name}”为调整后指标值"]
    if initial:
        parts.append(f"年初指标值{compose_value(leaf.comparison, initial, leaf.unit)}")
    if reason:
        parts.append(f"调整原因：{reason}")
    return notes.mark(text, "，".join(parts))


def initial_target_text(leaf: Indicator) -> str:
    """The 年初指标值 column of a form that has one (empty when the target was not adjusted)."""
    return compose_value(leaf.comparison, leaf.initial_target, leaf.unit)


def weight_total(ev: Evaluation, sc: EvaluationScore) -> Decimal:
    """The 分值 total as the paper adds it: execution line plus the level-1 weights as stated."""
    total = ev.execution.weight if ev.execution is not None else Decimal(0)
    for root in ev.indicators:
        total += group_weight(root, sc) if root.children else (root.weight or Decimal(0))
    return total


def weight_total_text(ev: Evaluation, sc: EvaluationScore, notes: Notes, fmt=format_score) -> str:
    stated = weight_total(ev, sc)
    if _differs(stated, sc.weight_total):
        return notes.mark(fmt(stated), f"按一级指标标明分值合计；各项分值实际合计{fmt(sc.weight_total)}")
    return fmt(stated)


def total_text(ev: Evaluation, sc: EvaluationScore, notes: Notes, fmt=format_score) -> str:
    stated, computed = ev.stated_total, sc.total
    valid = total_is_valid(sc)
    invalid_note = f"，超出满分100（或分值合计{format_score(sc.weight_total)}），不是有效得分" if not valid else ""
    if stated is None:
        if valid:
            return fmt(computed)
        return notes.mark(fmt(computed), f"各项得分合计{invalid_note.lstrip('，')}")
    if _differs(stated, computed) or not valid:
        return notes.mark(fmt(stated), f"填报总分；各项得分合计为{fmt(computed)}{invalid_note}")
    return fmt(stated)


def grade_text(ev: Evaluation, sc: EvaluationScore, notes: Notes) -> str:
    """The 绩效等级 as stated, marked when the evaluation's rule set gives another (its grade
    bands: 90/80/60 for 财政部, a 部门整体 variant's 80/70/60 …)."""
    stated = (ev.stated_grade or "").strip()
    valid = total_is_valid(sc)
    computed = sc.grade if valid else ""
    if stated:
        if not valid:
            return notes.mark(stated, "填报等级；各项得分合计无效，不能据以评定等级")
        if stated != computed:
            return notes.mark(stated, f"填报等级；按各项得分合计{format_score(sc.total)}应为“{computed}”")
        return stated
    if not valid:
        return notes.mark("—", "各项得分合计无效，不能评定等级")
    return computed


__all__ = [
    "CIRCLED", "Notes", "adjusted_mark", "execution_rate_text", "initial_target_text", "target_text", "execution_score_text", "grade_text", "group_label",
    "group_score_text", "group_weight", "leaf_score_text", "total_is_valid", "total_text", "weight_total",
    "weight_total_text",
]
