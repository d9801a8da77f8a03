"""Draft of the 预算绩效情况说明 (seed 001's outline) as one text: (1) the work and
its results over all projects, (2) one 自评综述 per project — the officer's own
when written, else the project's draft — and (3) the attachments."""

from __future__ import annotations

import re
from decimal import Decimal

from perfdesk.drafts import project as project_drafts
from perfdesk.drafts.common import note, total_sentences
from perfdesk.drafts.facts import Facts, clean
from perfdesk.drafts.text import Draft, Figure, Part, Sentence, TEXT, heading, missing, say
from perfdesk.model.amounts import format_wan
from perfdesk.drafts.text import MONEY
from perfdesk.scoring import GRADES


def explanation(f: Facts, d: Draft) -> None:
    doc = f.doc
    projects = [Facts(doc, p) for p in doc.projects]
    year = f.year()
    year_parts: list[Part] = [year, "年度"] if year is not None else ["本年度"]

    d.add(heading("（1）预算绩效管理工作开展情况"))
    if projects:
        money = [p.ev.budget.total.annual_budget for p in projects]
        parts: list[Part] = ["根据预算绩效管理要求，本部门组织对", *year_parts, "纳入部门预算的项目支出开展了绩效自评，共",
                             f.count("projects", len(projects)), "个项目"]
        if all(m is not None for m in money):
            total = sum(money)
            parts += ["，涉及资金", Figure("projects.annual_budget", format_wan(total), total, MONEY, f.uid), "万元"]
        d.add(say(*parts, "。"))
        valid = [p for p in projects if p.total_is_valid]
        pieces: list[Part] = []
        for g in GRADES:
            n = sum(1 for p in valid if p.sc.grade == g)
            if n:
                pieces += (["、"] if pieces else []) + [f"“{g}”", f.count(f"projects.grade.{g}", n), "个"]
        if pieces:
            d.extend_last(say("从评价情况看，项目自评等级为", *pieces, "。"))
        if len(valid) < len(projects):
            d.extend_last(note(f.count("projects.invalid", len(projects) - len(valid)),
                               "个项目的得分尚未评定或有误，未计入等级统计"))
    else:
        d.add(missing("文档中尚无项目支出绩效自评表，项目自评情况待添加项目后生成"))
    if f.has_indicators or f.ev.execution is not None:
        d.add(*total_sentences(f, ["组织对", *year_parts, "部门整体支出开展了绩效自评，"]))

    d.add(heading("（2）部门决算中项目绩效自评结果"))
    if projects:
        names: list[Part] = []
        for i, p in enumerate(projects):
            names += (["、"] if i else []) + ["“", p.name() or "未命名项目", "”"]
        d.add(say("本部门在", *year_parts, "部门决算中反映", *names, f.count("projects", len(projects)),
                  "个项目绩效自评综述和所有项目支出绩效自评表。"))
        for p in projects:
            d.add(*_summary(p))
    else:
        d.add(missing("尚无项目绩效自评综述"))

    d.add(heading("（3）部门评价结果"))
    unit_name = f.name()
    parts = [unit_name] if unit_name is not None else []
    parts += [*year_parts, "部门整体支出绩效自评表"] if f.has_indicators else [*year_parts]
    if projects:
        parts += ["及" if f.has_indicators else "", f.count("projects", len(projects)), "个项目支出绩效自评表"]
    d.add(say(*parts, "详见附件。"))


def _summary(p: Facts) -> list[Sentence]:
    """“老字号项目绩效自评综述：…” — the officer's text when written, else the draft."""
    label: list[Part] = [p.name() or "（未命名项目）", "项目绩效自评综述："]
    own = p.ev.narrative.get("summary", "")
    if clean(own):
        text = " ".join(own.split())
        prefix = f"{clean(p.ev.name)}项目绩效自评综述："
        if p.ev.name and text.startswith(prefix):
            text = text[len(prefix):]
        return [say(*label, Figure("narrative.summary", text, own, TEXT, p.uid)), *stated_figure_notes(p, text)]
    d = Draft("summary", "自评综述")
    project_drafts.summary(p, d)
    return [say(*label), *d.sentences]


_STATED_SCORE = re.compile(r"得分为?(\d+(?:\.\d+)?)分")
_STATED_RATE = re.compile(r"(?:完成预算的|执行率为?)(\d+(?:\.\d+)?)%")
RATE_TOLERANCE = Decimal("0.05")  # percentage points, as 审核's execution_rate_mismatch (SPEC §5)


def stated_figure_notes(f: Facts, text: str) -> list[Sentence]:
    """Notes where the officer's own 综述 states a score or an execution rate the forms do not print."""
    out = []
    m = _STATED_SCORE.search(text)
    if m and f.total_is_valid and Decimal(m.group(1)) != f.sc.total:
        stated = Figure("narrative.summary.stated_total", m.group(1), m.group(0), TEXT, f.uid)
        out.append(note("综述写的得分", stated, "分与自评表的", f.total(), "分不一致，请核对"))
    m = _STATED_RATE.search(text)
    rate = f.rate()
    if m and rate is not None and abs(Decimal(m.group(1)) - rate.value * 100) > RATE_TOLERANCE:
        stated = Figure("narrative.summary.stated_rate", m.group(1), m.group(0), TEXT, f.uid)
        out.append(note("综述写的执行率", stated, "%与自评表的", rate, "不一致，请核对"))
    return out


__all__ = ["explanation", "stated_figure_notes"]
