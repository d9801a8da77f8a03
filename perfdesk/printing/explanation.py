"""预算绩效情况说明 (seed 001's outline), with one 自评综述 per project.

``project_summary`` writes the 自评综述 paragraph from the project's figures;
the officer's own text (narrative “summary”) replaces it when present, so the
UI can prefill the editor with it and let the officer edit.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from perfdesk.model.document import Document, Evaluation
from perfdesk.printing.common import (
    PORTRAIT, body_paragraphs, frame_width, heading, keep_together, markup, rate, signature_block, styles, wan,
)
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


def explanation(doc: Document, signatories) -> tuple[str, list]:
    s = styles()
    year = doc.year
    unit_ev = doc.unit_evaluation
    unit_sc = score_evaluation(unit_ev)
    projects = doc.projects
    n = len(projects)
    money = sum((p.budget.total.annual_budget or 0) for p in projects)
    names = "、".join(f"“{p.name}”" for p in projects)
    grades = [score_evaluation(p).grade for p in projects]
    width = frame_width(PORTRAIT)
    story = [Paragraph(f"关于{year}年度预算绩效情况说明", s.report_title)]

    story.extend(heading("（1）预算绩效管理工作开展情况", s.h1))
    counts = "，".join(f"{g} {grades.count(g)} 个" for g in ("优", "良", "中", "差") if grades.count(g))
    text = (f"根据预算绩效管理要求，本部门组织对{year}年度纳入部门预算的项目支出全面开展了绩效自评，"
            f"共{n}个项目，涉及资金{wan(money)}万元。")
    if counts:
        text += f"从评价情况看，项目自评等级{counts}。"
    story.extend(body_paragraphs(text))
    story.extend(body_paragraphs(
        f"组织对{year}年度部门整体支出开展了绩效自评，自评得分为{format_score(unit_sc.total)}分，"
        f"整体评价结果为{unit_sc.grade}。"))
    story.extend(body_paragraphs(unit_ev.narrative.get("explanation", "")))

    story.extend(heading("（2）部门决算中项目绩效自评结果", s.h1))
    if n:
        story.extend(body_paragraphs(
            f"我单位在{year}年度部门决算中反映{names}{n}个项目绩效自评综述和所有项目支出绩效自评表。"))
    else:
        story.extend(body_paragraphs("本年度无项目支出绩效自评。"))
    for p in projects:
        summary = p.narrative.get("summary", "").strip() or project_summary(p)
        story.append(Paragraph(
            f"<font name='PDHei'>{markup(p.name)}项目绩效自评综述：</font>{markup(summary)}", s.body))

    story.extend(heading("（3）部门评价结果", s.h1))
    last = Paragraph(
        f"{markup(doc.unit.name)}{year}年度部门整体支出绩效自评表及{n}个项目支出绩效自评表详见附件。", s.body)
    story += keep_together([last, Spacer(1, 6 * mm), signature_block(doc, signatories, width)], width)
    return PORTRAIT, story


__all__ = ["explanation", "project_summary"]
