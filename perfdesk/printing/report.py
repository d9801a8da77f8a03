"""整体绩效评价报告 (seed 003's outline). Figures come from the document."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from perfdesk.model.document import Document
from perfdesk.printing.common import (
    PORTRAIT, body_paragraphs, frame_width, heading, keep_together, rate, score2, signature_block, styles, wan,
)
from perfdesk.scoring import execution_rate, format_score, score_evaluation

METHOD_TEXT = (
    "评价采用定量与定性评价相结合的方法，总分由各项指标得分汇总形成。在定量评价指标上，将全年完成情况"
    "与年初指标值相比，按比例记分；在定性评价指标上，根据年初指标完成情况分为达成年度指标、部分达成"
    "年度指标并具有一定效果、未达成年度指标且效果较差三档，分别按照该指标对应分值区间80%～100%、"
    "60%～80%、0～60%记分。绩效等级按得分划分：90分（含）以上为优，80分（含）至90分为良，"
    "60分（含）至80分为中，60分以下为差。"
)


def report_figures(doc: Document) -> dict[str, str]:
    """The figures the report states, computed from the unit evaluation."""
    ev = doc.unit_evaluation
    sc = score_evaluation(ev)
    total = ev.budget.total
    return {
        "budget": wan(total.annual_budget),
        "spent": wan(total.spent),
        "rate": rate(execution_rate(ev)),
        "score": score2(sc.total),
        "grade": sc.grade,
        "score_short": format_score(sc.total),
    }


def _process_sentence(doc: Document, f: dict[str, str]) -> str:
    name = doc.unit.name or doc.unit_evaluation.name
    text = f"{doc.year}年度{name}部门整体支出全年预算数{f['budget'] or '—'}万元，全年累计支出数{f['spent'] or '—'}万元"
    if f["rate"]:
        text += f"，预算执行率为{f['rate']}"
    return text + "。"


def _conclusion_sentence(doc: Document, f: dict[str, str]) -> str:
    name = doc.unit.name or doc.unit_evaluation.name
    return f"{doc.year}年度{name}部门整体绩效评价得分为{f['score']}分，等级为{f['grade']}。"


def _unless_repeating(text: str, *figures: str) -> str:
    """Officer's prose for a section whose figures are printed from the document:
    dropped when it only restates those figures (an imported report)."""
    flat = "".join((text or "").split())
    if flat and all(fig and fig in flat for fig in figures):
        return ""
    return text


def unit_report(doc: Document, signatories) -> tuple[str, list]:
    s = styles()
    ev = doc.unit_evaluation
    unit = doc.unit
    n = ev.narrative
    f = report_figures(doc)
    width = frame_width(PORTRAIT)
    name = unit.name or ev.name
    story = [Paragraph(f"{name}{doc.year}年度<br/>整体绩效评价报告", s.report_title)]

    def section(title: str, style) -> None:
        story.extend(heading(title, style, 7 if style is s.h1 else 4))

    def prose(text: str) -> None:
        paras = body_paragraphs(text)
        story.extend(paras if paras else [Paragraph("（未填写）", s.body)])

    section("一、部门基本情况", s.h1)
    section("（一）部门概况", s.h2)
    prose(n.get("report_overview") or unit.organisation)
    section("（二）职责任务", s.h2)
    prose(n.get("report_duties") or unit.functions)
    section("（三）绩效目标", s.h2)
    prose(n.get("report_goals") or ev.goals.expected)
    section("二、评价工作情况", s.h1)
    section("（一）评价思路方法", s.h2)
    prose(n.get("report_method") or METHOD_TEXT)
    section("（二）评价工作过程", s.h2)
    story.extend(body_paragraphs(_process_sentence(doc, f)))
    story.extend(body_paragraphs(_unless_repeating(n.get("report_process", ""), f["budget"], f["spent"])))
    section("（三）绩效评价结论", s.h2)
    story.extend(body_paragraphs(_conclusion_sentence(doc, f)))
    story.extend(body_paragraphs(_unless_repeating(n.get("report_conclusion", ""), f["score_short"], f["grade"])))
    section("三、主要绩效", s.h1)
    prose(n.get("report_performance") or n.get("achievements", ""))
    section("四、存在问题", s.h1)
    prose(n.get("report_problems") or n.get("problems", ""))
    section("五、有关建议", s.h1)
    last = body_paragraphs(n.get("report_suggestions") or n.get("remedies", "")) or [
        Paragraph("（未填写）", s.body)]
    story.extend(last[:-1])
    story += keep_together([last[-1], Spacer(1, 6 * mm), signature_block(doc, signatories, width)], width)
    return PORTRAIT, story


__all__ = ["METHOD_TEXT", "report_figures", "unit_report"]
