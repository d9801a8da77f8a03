"""Drafts of a project evaluation's sections: the 晋中 form's texts, the 自评综述
of the 预算绩效情况说明, and the 项目支出绩效自评报告 (一 … 六)."""

from __future__ import annotations

from perfdesk.drafts import unit
from perfdesk.drafts.common import (
    achievement_count_sentence, budget_sentences, group_scores_sentence, highlights, indicator_plan_sentence,
    line_result, measures, note, overshoot_sentences, stated_weight_notes, shortfall_sentences, sources_sentence, subject,
    total_sentences,
)
from perfdesk.drafts.facts import SHORT, UNSCORED, Facts
from perfdesk.drafts.text import Draft, Part, Sentence, heading, missing, say

CHINESE_NUMBERS = "一二三四五六七八九十"


def _info_sentence(f: Facts) -> Sentence | None:
    """“老字号项目主管部门为…，实施单位为…，项目属性为…，项目期为…。”"""
    info = f.ev.project
    supervisor = f.quote("project.supervisor", info.supervisor or f.doc.unit.supervisor)
    implementer = f.quote("project.implementer", info.implementer or f.doc.unit.name)
    attribute = f.quote("project.attribute", info.attribute)
    period = f.quote("project.period", info.period)
    pieces: list[list[Part]] = []
    if supervisor is not None:
        pieces.append(["主管部门为", supervisor])
    if implementer is not None:
        pieces.append(["实施单位为", implementer])
    if attribute is not None:
        pieces.append(["项目属性为", attribute])
    if period is not None:
        pieces.append(["项目期为", period])
    if not pieces:
        return None
    parts: list[Part] = [f.name() or "本", "项目"]
    for i, piece in enumerate(pieces):
        parts += (["，"] if i else []) + piece
    return say(*parts, "。")


def _goal(f: Facts, d: Draft) -> None:
    expected = f.quote("goals.expected", f.ev.goals.expected)
    if expected is not None:
        d.add(say("项目年度绩效目标：", expected, "。"))
    else:
        d.add(missing("请填写项目年度绩效目标；“年度总体目标”中的预期目标填写后可自动引用"))
    d.add(indicator_plan_sentence(f, "项目设置"))


# ---------------------------------------------------------------- 晋中 form texts and 自评综述

def overview(f: Facts, d: Draft) -> None:
    """项目概况."""
    d.add(_info_sentence(f))
    _goal(f, d)


def fund_usage(f: Facts, d: Draft) -> None:
    """项目资金使用情况."""
    d.add(*budget_sentences(f, subject(f, "项目")), sources_sentence(f))


def organisation(f: Facts, d: Draft) -> None:
    """项目组织实施情况: nothing in the figures says how — the officer writes it."""
    implementer = f.quote("project.implementer", f.ev.project.implementer or f.doc.unit.name)
    if implementer is not None:
        d.add(say("项目由", implementer, "组织实施。"))
    d.add(missing("请填写项目组织实施情况：管理制度、实施过程、资金支付和监督检查等"))


def performance(f: Facts, d: Draft) -> None:
    """项目绩效情况."""
    achieved = f.quote("goals.achieved", f.ev.goals.achieved)
    if achieved is not None:
        d.add(say("年度总体目标完成情况：", achieved, "。"))
    d.add(*total_sentences(f, ["项目绩效"]))
    d.add(group_scores_sentence(f), *stated_weight_notes(f))
    count = achievement_count_sentence(f)
    parts = highlights(f)
    if count is not None:
        d.add(count, say("其中", *parts, "。") if parts else None)
    rows = f.target_rows()
    if rows:
        d.add(*[_target_row_sentence(f, i, row, progress) for i, row, progress in rows])
    if achieved is None and count is None and not rows:
        d.add(missing("请填写项目绩效情况；绩效指标的实际完成值填写后可自动生成"))


def _target_row_sentence(f: Facts, i: int, row, progress) -> Sentence:
    name = f.quote(f"target_rows.{i}.name", row.name)
    target = f.quote(f"target_rows.{i}.target", row.target)
    actual = f.quote(f"target_rows.{i}.actual", row.actual)
    parts: list[Part] = ["“", name, "”"] if name is not None else ["一项未命名目标"]
    if target is not None:
        parts += ["目标值", target, "，"]
    parts += ["实际完成", actual] if actual is not None else ["实际完成值尚未填写"]
    if progress is not None:
        parts += ["，完成进度", progress]
    return say(*parts, "。")


def other_issues(f: Facts, d: Draft) -> None:
    d.add(missing("如有其他需说明的问题请在此填写；没有可填写“无”"))


def deviation(f: Facts, d: Draft) -> None:
    """偏差原因分析及改进措施 (the project's own section)."""
    _deviation_body(f, d)
    own = measures(f)
    if own:
        d.add(say("改进措施："), *own)


def summary(f: Facts, d: Draft) -> None:
    """自评综述 (预算绩效情况说明 (2)): score, money, goals, problems, measures — in one paragraph."""
    out: list[Sentence | None] = []
    out += total_sentences(f, ["根据年初设定的绩效目标，", f.name() or "本", "项目绩效"])
    out += budget_sentences(f, ["项目"], spent_word="执行数")
    achieved = f.quote("goals.achieved", f.ev.goals.achieved)
    out.append(say("项目绩效目标完成情况：", achieved, "。") if achieved is not None
               else missing("请填写项目绩效目标完成情况"))
    short = f.with_status(SHORT)
    if short:
        problems: list[Part] = []
        for i, line in enumerate(short):
            problems += (["；"] if i else []) + line_result(f, line)
        out.append(say("发现的主要问题：", *problems, "。"))
    elif f.all_met:
        out.append(say("发现的主要问题：各项绩效指标均得满分。"))
        out.append(missing("如有管理方面的问题请补充"))
    unscored = f.with_status(UNSCORED)
    if unscored:
        out.append(note("尚有", f.count("unscored", len(unscored)), "项指标未评分"))
    own = measures(f)
    if own:
        out.append(say("下一步改进措施："))
        out += own
    elif short:
        out.append(say("下一步改进措施：对未达到预期的指标分析原因、及时整改，加强预算执行和绩效运行监控。"))
    else:
        out.append(missing("请填写下一步改进措施"))
    d.add(*out)


# ---------------------------------------------------------------- 项目支出绩效自评报告

def self_report_basics(f: Facts, d: Draft) -> None:
    """一、项目基本情况: 立项依据、资金、目标."""
    d.add(heading("（一）立项依据"))
    d.add(_info_sentence(f), missing("请填写立项依据：项目设立的政策依据、文件名称及文号，主要内容和实施范围"))
    d.add(heading("（二）项目资金"))
    d.add(*budget_sentences(f, subject(f, "项目")), sources_sentence(f))
    d.add(heading("（三）绩效目标"))
    _goal(f, d)


def self_report_work(f: Facts, d: Draft) -> None:
    """二、绩效自评工作开展情况."""
    implementer = f.quote("project.implementer", f.ev.project.implementer or f.doc.unit.name)
    year = f.year()
    parts: list[Part] = ["按照预算绩效管理要求，", implementer or "本单位", "对", f.name() or "本", "项目"]
    if year is not None:
        parts += [year, "年度"]
    d.add(say(*parts, "绩效目标完成情况开展了自评。"))
    if f.has_indicators:
        d.add(say("自评对照年初设定的绩效目标，逐项核对", f.count("indicators", len(f.indicator_lines)),
                  "项三级指标的实际完成值，结合预算执行情况，按评分规则计算得分。"))
    line = f.ev.execution
    if line is not None and f.has_indicators:
        d.extend_last(say("自评分值合计", f.weight_total(), "分，其中预算执行率", f.execution_weight(), "分、绩效指标",
                          f.score("indicator_weight", f.sc.indicator_weight), "分。"))
    d.add(missing("请补充自评工作的组织方式、时间安排和资料核查情况"))


def self_report_results(f: Facts, d: Draft) -> None:
    """三、绩效目标实现情况: the total, then 产出 / 效益 / 满意度 with every indicator's figures."""
    achieved = f.quote("goals.achieved", f.ev.goals.achieved)
    if achieved is not None:
        d.add(say("年度总体目标完成情况：", achieved, "。"))
    d.add(*total_sentences(f, ["项目绩效"]))
    d.add(group_scores_sentence(f, execution=False), *stated_weight_notes(f))
    if f.ev.execution is not None and f.lines and f.lines[0].node is None:
        d.add(say(*line_result(f, f.lines[0]), "。"))
    groups = [g for g in f.groups() if f.leaves_of(g)]
    for n, group in enumerate(groups):
        name = f.node_text(group, "name")
        d.add(heading(f"（{CHINESE_NUMBERS[n % 10]}）", name or "（未命名）", "完成情况"))
        score = f.node_score(group)
        head = say(name or "本组指标", "分值", f.node_weight(group), "分，得分", score, "分。") if score is not None \
            else say(name or "本组指标", "分值", f.node_weight(group), "分。")
        d.add(head, *[say(*line_result(f, line), "。") for line in f.leaves_of(group)])
    loose = [line for line in f.indicator_lines if line.group is None]
    if loose:
        d.add(*[say(*line_result(f, line), "。") for line in loose])
    rows = f.target_rows()
    if rows:
        d.add(heading(f"（{CHINESE_NUMBERS[len(groups) % 10]}）绩效目标实现情况"))
        d.add(*[_target_row_sentence(f, i, row, progress) for i, row, progress in rows])
    if not f.indicator_lines and not rows:
        d.add(missing("尚未填写绩效指标，绩效目标实现情况待指标填写后生成"))


def _deviation_body(f: Facts, d: Draft) -> None:
    short = shortfall_sentences(f, ask=True)
    over = overshoot_sentences(f)
    for s in short:
        d.add(s)
    for s in over:
        d.extend_last(s) if s.placeholder or s.text.startswith("原因") else d.add(s)
    if short or over:
        return
    if f.all_met:
        parts: list[Part] = ["各项绩效指标均得满分"]
        rate = f.rate()
        if rate is not None:
            parts += ["，预算执行率为", rate]
        d.add(say(*parts, "，未出现需要说明的偏差。"))
    elif f.with_status(UNSCORED):
        d.add(note("尚有", f.count("unscored", len(f.with_status(UNSCORED))), "项指标未评分，评分后再分析偏差原因"))
    if f.invalid:
        d.add(*total_sentences(f, []))
    if not f.lines:
        d.add(missing("尚未填写绩效指标，偏差原因分析待指标填写后生成"))


def self_report_deviation(f: Facts, d: Draft) -> None:
    """四、偏差原因分析."""
    _deviation_body(f, d)


def self_report_problems(f: Facts, d: Draft) -> None:
    """五、存在的问题及改进措施."""
    d.add(heading("（一）存在的问题"))
    unit.problems(f, d)
    d.add(heading("（二）改进措施"))
    unit.suggestions(f, d)


def self_report_use(f: Facts, d: Draft) -> None:
    """六、自评结果应用."""
    if f.total_is_valid:
        d.add(say("本项目自评得分", f.total(), "分，绩效等级为“", f.grade(), "”。"))
    d.add(say("自评结果按规定随部门决算公开，并作为以后年度预算安排、政策调整和改进管理的重要依据。"))
    short = f.with_status(SHORT, indicators_only=True)
    if short:
        d.add(say("对未得满分的", f.count("short", len(short)), "项指标，在下一年度设定绩效目标和编制预算时予以改进。"))
    d.add(missing("请补充自评结果应用的具体情况"))


# ---------------------------------------------------------------- the 四川 project form's texts

def execution_reason(f: Facts, d: Draft) -> None:
    """预算执行偏差原因 (四川 510000_0013zp: needed when 执行率 is below the rule set's threshold)."""
    rate = f.rate()
    if rate is None:
        d.add(missing("全年预算数或全年执行数未填写，填写后再说明预算执行情况"))
        return
    d.add(say("项目预算执行率为", rate, "。"))
    d.add(missing("如执行率未达到要求，请说明未执行的原因（资金未拨付、项目未完工、政策调整等）"))


def conclusion(f: Facts, d: Draft) -> None:
    """评价结论: the total and grade, the money, the targets."""
    d.add(*total_sentences(f, ["根据年初设定的绩效目标，", f.name() or "本", "项目绩效"]))
    d.add(*budget_sentences(f, ["项目"], spent_word="执行数"))
    achieved = f.quote("goals.achieved", f.ev.goals.achieved)
    if achieved is not None:
        d.add(say("年度总体目标完成情况：", achieved, "。"))


def problems(f: Facts, d: Draft) -> None:
    """存在问题: the indicators that fell short, as the figures say."""
    unit.problems(f, d)


def improvements(f: Facts, d: Draft) -> None:
    """改进措施."""
    unit.suggestions(f, d)


SECTIONS = {
    "summary": summary,
    "overview": overview,
    "fund_usage": fund_usage,
    "organisation": organisation,
    "performance": performance,
    "other_issues": other_issues,
    "deviation": deviation,
    "self_report_basics": self_report_basics,
    "self_report_work": self_report_work,
    "self_report_results": self_report_results,
    "self_report_deviation": self_report_deviation,
    "self_report_problems": self_report_problems,
    "self_report_use": self_report_use,
    "execution_reason": execution_reason,
    "conclusion": conclusion,
    "problems": problems,
    "improvements": improvements,
}

__all__ = ["SECTIONS"]
