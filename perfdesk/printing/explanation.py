"""A 自评综述 draft written from a project's figures (seed 001's wording).

Nothing here is printed: printing prints only the officer's own text. The
narrative drafts (issue 15) may offer this paragraph for the officer to accept.
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model.document import Evaluation
from perfdesk.printing.common import rate, wan
from perfdesk.scoring import execution_rate, format_score, score_evaluation


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    return text.rstrip("。；;，, ")


def _split_note(note: str) -> tuple[str, str]:
    """“偏差原因：…；改进措施：…” → (reason, measure)."""
    flat = _clean(note)
    for key in ("改进措施：", "改进措施:", "改进措施"):
        if key in flat:
            reason, _, measure = flat.partition(key)
            reason = reason.replace("偏差原因：", "").replace("偏差原因:", "")
            return _clean(reason), _clean(measure)
    return flat.replace("偏差原因：", ""), ""


def project_summary(ev: Evaluation) -> str:
    """The 自评综述 of one project, generated from its figures."""
    sc = score_evaluation(ev)
    total = ev.budget.total
    name = ev.name or "（未命名项目）"
    parts = [
        f"根据年初设定的绩效目标，{name}项目绩效自评得分为{format_score(sc.total)}分，"
        f"评价等级为{sc.grade}。"
    ]
    money = f"项目全年预算数为{wan(total.annual_budget) or '—'}万元，执行数为{wan(total.spent) or '—'}万元"
    r = execution_rate(ev)
    if r is not None:
        money += f"，完成预算的{rate(r)}"
    parts.append(money + "。")
    achieved = _clean(ev.goals.achieved) or _clean(ev.goals.expected)
    parts.append(f"项目绩效目标完成情况：{achieved or '已按年初设定的绩效目标组织实施'}。")

    shortfalls, reasons, measures = [], [], []
    for leaf in ev.leaves():
        s = sc.of(leaf)
        if leaf.weight is None or s.score is None or s.score >= leaf.weight:
            continue
        shortfalls.append(
            f"“{leaf.name}”指标实际完成值{leaf.actual or '—'}（年度指标值{leaf.target or '—'}），"
            f"得分{format_score(s.score)}分（分值{format_score(leaf.weight)}分）"
        )
        reason, measure = _split_note(leaf.deviation_note)
        if reason:
            reasons.append(reason)
        if measure:
            measures.append(measure)
    if r is not None and r < Decimal(1):
        shortfalls.insert(0, f"预算执行率为{rate(r)}，未全额执行")
    if shortfalls:
        text = "；".join(shortfalls)
        if reasons:
            text += "。偏差原因：" + "；".join(reasons)
        parts.append(f"发现的主要问题：{text}。")
    else:
        parts.append("发现的主要问题：各项绩效指标均达到年度指标值，未发现明显问题。")
    if measures:
        parts.append("下一步改进措施：" + "；".join(measures) + "。")
    elif shortfalls:
        parts.append("下一步改进措施：加强预算执行进度管理和绩效运行监控，对未完成的指标分析原因、"
                     "及时整改，确保资金使用效益。")
    else:
        parts.append("下一步改进措施：继续加强绩效管理，巩固项目实施成效。")
    return "".join(parts)


__all__ = ["project_summary"]
