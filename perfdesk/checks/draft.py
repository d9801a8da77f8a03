"""草稿 (draft): a form whose results the officer has not started to enter (issue 17).

An evaluation fresh from a 绩效目标表 (or from a template, or from 新建下一年度) has its targets
and no results. Blaming each empty 实际完成值 as missing would bury the 审核 under warnings the
officer cannot act on yet, and the score it gives (0, 等级 差) means nothing. So:

**The rule.** An evaluation with indicators is a draft while *no* indicator has a result: no
实际完成值, no 得分 typed, no 评价档次 chosen, and no 总分 or 预算执行率得分 stated. The first
result entered anywhere ends the draft; from then on every check applies as usual (an indicator
left empty is then a real omission). Budget figures do not end it: they are often filled in from
the 决算 before the indicators.

**What the 审核 shows instead.** One finding ``draft_pending`` (提示): “草稿：待填写 35 项实际完成值”
(and the 分值 still to be set when the table had none, and the 全年执行数 when the 预算执行率 line
has none), pointing at the first cell to fill. The findings that only blame empty results are
left out while the form is a draft: ``actual_missing``, ``deviation_note_missing``,
``tier_missing``, the 预算执行率 warnings that need 全年执行数, and ``weight_total_not_100`` when
no indicator has a 分值 yet. Every other check (budget identities, weights of groups, unreadable
targets, the 一体化 checks of targets) still applies. The evaluation list and the status bar
show 草稿 in place of the grade (``draft_state``). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfdesk.model.document import Evaluation, Method
from perfdesk.model.places import Place

CODE = "draft_pending"
RULE_TITLE = "草稿"
RULE_TEXT = ("尚未填写任何实际完成值、得分或评价档次的表格为草稿：审核只列出待填写的项数，不逐项提示缺少的实际完成值、"
             "偏差原因和评价档次，也不给出等级；填写第一项实际完成值后，各项审核照常进行。")
RULE_SOURCE = "绩效目标表导入后的年终自评流程（issue 17）；SPEC §5 审核规则"
# Findings that only say a result has not been entered yet.
SUPPRESSED = frozenset((
    "actual_missing", "deviation_note_missing", "tier_missing", "execution_reason_missing", "early_warning",
    "execution_gap",
))
_BUDGET_METHODS = (Method.EXECUTION_RATE, Method.ARRIVAL_RATE)


@dataclass(frozen=True)
class DraftState:
    """What is still to be filled in on a draft."""

    actuals: int        # level-3 indicators without 实际完成值
    weights: int        # indicators without 分值 on a form where none has one
    spent: bool         # the 预算执行率 line has no 全年执行数 yet
    first: object = None  # the first indicator to fill in (for the 审核's link)

    def summary(self) -> str:
        """“待填写 35 项实际完成值、12 项分值、全年执行数”."""
        parts = []
        if self.actuals:
            parts.append(f"{self.actuals} 项实际完成值")
        if self.weights:
            parts.append(f"{self.weights} 项分值")
        if self.spent:
            parts.append("全年执行数")
        return "待填写 " + "、".join(parts) if parts else "待填写"

    def short(self) -> str:
        """For narrow cells (the evaluation list): “待填写 35 项”."""
        count = self.actuals + self.weights + (1 if self.spent else 0)
        return f"待填写 {count} 项"


def _results_entered(ev: Evaluation, leaves) -> bool:
    if ev.stated_total is not None:
        return True
    if ev.execution is not None and ev.execution.stated_score is not None:
        return True
    return any(n.actual.strip() or n.score_override is not None or n.tier is not None for n in leaves)


def draft_state(ev: Evaluation) -> DraftState | None:
    """What a draft still needs, or None when the evaluation is not a draft (see module doc)."""
    leaves = [n for n in ev.leaves() if n.parent is not None or n.target or n.weight is not None]
    if not leaves or _results_entered(ev, leaves):
        return None
    pending = [n for n in leaves if n.method not in _BUDGET_METHODS]
    weights = 0 if any(n.weight is not None for n in leaves) else len(leaves)
    spent = ev.execution is not None and ev.budget.total.spent is None
    return DraftState(len(pending), weights, spent, pending[0] if pending else None)


def is_draft(ev: Evaluation) -> bool:
    return draft_state(ev) is not None


def draft_findings(ev: Evaluation, findings: list, collector) -> list:
    """The findings of a draft: those that blame empty results left out, one ``draft_pending`` added.
    ``collector`` is the checks' collector (its ``label``, its ``findings``' class)."""
    state = draft_state(ev)
    if state is None:
        return findings
    kept = [f for f in findings if f.code not in SUPPRESSED
            and not (f.code == "weight_total_not_100" and state.weights)]
    first = state.first
    finding_class = type(findings[0]) if findings else None
    if finding_class is None:
        from perfdesk.checks import Finding as finding_class
    where = collector.label + " / 待填写"
    why = f"{RULE_TITLE}：{RULE_TEXT}\n依据：{RULE_SOURCE}"
    field = "actual" if state.actuals else ("weight" if state.weights else "budget.total.spent")
    place = Place(ev.uid, None if first is None or field == "budget.total.spent" else first.uid, field)
    kept.insert(0, finding_class("warning", CODE, f"草稿：{state.summary()}（填写第一项实际完成值后逐项审核）",
                                 where, place, CODE, why))
    return kept


__all__ = ["CODE", "DraftState", "SUPPRESSED", "draft_findings", "draft_state", "is_draft"]
