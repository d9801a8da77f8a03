"""Drafts of the unit evaluation's sections: the 自评表's 主要成效 / 存在问题 /
整改举措 and the 整体绩效评价报告 (seed 003's outline)."""

from __future__ import annotations

from perfdesk.drafts.common import (
    achievement_count_sentence, budget_sentences, group_scores_sentence, highlights, indicator_plan_sentence,
    measures, method_sentences, note, shortfall_sentences, stated_weight_notes, subject, total_sentences,
)
from perfdesk.drafts.facts import SHORT, UNSCORED, Facts
from perfdesk.drafts.text import Draft, missing, say


def overview(f: Facts, d: Draft) -> None:
    """部门概况: the profile's 机构设置及人员配置 and the budget by nature."""
    org = f.quote("unit.organisation", f.doc.unit.organisation)
    if org is not None:
        d.add(say(org, "。"))
    else:
        d.add(missing("请填写部门概况：机构设置、人员编制及实有人数等；单位信息中的“机构设置及人员配置”填写后可自动引用"))
    total, basic, project = (f.money(f"{line}.annual_budget") for line in ("total", "basic", "project"))
    if total is not None:
        parts = [*subject(f), "部门预算资金总额", total, "万元"]
        if basic is not None and project is not None:
            parts += ["，其中基本支出", basic, "万元，项目支出", project, "万元"]
        d.add(say(*parts, "。"))


def duties(f: Facts, d: Draft) -> None:
    functions = f.quote("unit.functions", f.doc.unit.functions)
    if functions is None:
        d.add(missing("请填写部门主要职责；单位信息中的“主要职能”填写后可自动引用"))
        return
    # keep the officer's own line structure: one paragraph per line
    for i, line in enumerate(l for l in f.doc.unit.functions.splitlines() if l.strip()):
        fig = f.quote(f"unit.functions.{i}", line)
        d.add(say(fig, "" if fig.text.endswith(("。", "；", ";")) else "。"))


def goals(f: Facts, d: Draft) -> None:
    expected = f.quote("goals.expected", f.ev.goals.expected)
    if expected is not None:
        d.add(say("年度总体目标：", expected, "。"))
    else:
        d.add(missing("请填写年度总体绩效目标；“年度总体目标”中的预期目标填写后可自动引用"))
    d.add(indicator_plan_sentence(f))


def method(f: Facts, d: Draft) -> None:
    for s in method_sentences(f):
        d.add(s)


def process(f: Facts, d: Draft) -> None:
    d.add(*budget_sentences(f, subject(f, "部门整体支出"), spent_word="全年累计支出数"))
    if f.has_indicators:
        d.add(say("对照年初设定的绩效目标，逐项核对", f.count("indicators", len(f.indicator_lines)),
                  "项三级指标的实际完成值，按评分规则计算得分，形成自评结果。"))
    d.add(missing("请补充评价工作的组织方式、时间安排和资料核查情况"))


def conclusion(f: Facts, d: Draft) -> None:
    d.add(*total_sentences(f, ["经评价，", *subject(f), "部门整体绩效"], what="评价得分"))
    d.add(group_scores_sentence(f), *stated_weight_notes(f))


def performance(f: Facts, d: Draft) -> None:
    """主要绩效 / 主要成效."""
    achieved = f.quote("goals.achieved", f.ev.goals.achieved)
    if achieved is not None:
        d.add(say("年度总体目标完成情况：", achieved, "。"))
    d.add(*budget_sentences(f, subject(f)))
    count = achievement_count_sentence(f)
    parts = highlights(f)
    if count is not None:
        d.add(count, say("其中", *parts, "。") if parts else None)
    if achieved is None and count is None:
        d.add(missing("请填写年度主要绩效；绩效指标的实际完成值填写后可自动生成"))


def problems(f: Facts, d: Draft) -> None:
    """存在问题: the lines that lost points, with the officer's reasons; nothing invented."""
    short = shortfall_sentences(f)
    if short:
        d.add(say("从自评结果看，以下方面未达到预期："))
        for s in short:
            d.add(s)
    elif f.all_met:
        d.add(say("从自评结果看，各项绩效指标均得满分。"),
              missing("请补充预算管理、绩效管理中发现的问题"))
    unscored = f.with_status(UNSCORED)
    if unscored:
        d.add(note("尚有", f.count("unscored", len(unscored)), "项指标未评分，评分后再核对存在的问题"))
    if f.invalid:
        d.add(*total_sentences(f, []))
    if not short and not f.all_met and not unscored and not f.invalid:
        d.add(missing("请填写存在的问题"))


def suggestions(f: Facts, d: Draft) -> None:
    """有关建议 / 整改举措: the officer's 改进措施, else measures aimed at the lines that lost points."""
    own = measures(f)
    for s in own:
        d.add(s)
    if own:
        return
    if not f.lines:
        d.add(missing("请填写有关建议或整改举措"))
        return
    short = f.with_status(SHORT)
    if any(line.node is None for line in short) or (f.rate_value is not None and f.rate_value < 1):
        d.add(say("加强预算执行进度管理，对未支出资金分析原因，及时调整预算安排，提高资金使用效益。"))
    if any(line.node is not None for line in short):
        d.add(say("对未得满分的指标逐项分析原因，明确责任和整改时限，并在下一年度设定绩效目标时加以改进。"))
    if not short:
        d.add(say("继续加强预算绩效管理，巩固绩效目标实现成果，推进自评结果与预算安排相结合。"))
    d.add(missing("请结合本单位实际补充具体措施"))


SECTIONS = {
    "achievements": performance,
    "problems": problems,
    "remedies": suggestions,
    "report_overview": overview,
    "report_duties": duties,
    "report_goals": goals,
    "report_method": method,
    "report_process": process,
    "report_conclusion": conclusion,
    "report_performance": performance,
    "report_problems": problems,
    "report_suggestions": suggestions,
}

__all__ = ["SECTIONS"]
