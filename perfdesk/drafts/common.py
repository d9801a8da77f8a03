"""Sentences shared by the unit's and the projects' drafts.

Each function returns sentences built from ``Facts`` figures; where a figure is
missing it says so in a placeholder instead of writing a number.
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.drafts.facts import INVALID, MET, SHORT, UNSCORED, Facts, Line, clean, split_note
from perfdesk.drafts.text import RULE, Figure, Part, Sentence, missing, say
from perfdesk.scoring.rules import rule_set_of
from perfdesk.model.document import TIER_LABELS, Method, Tier
from perfdesk.model.values import parse_value
from perfdesk.scoring import format_score

HUNDRED = Decimal(100)
# 实际 ÷ 指标值 at which an over-achievement needs a reason: 广西 一体化系统 (SPEC §8, ≥ 130%).
OVERSHOOT = Decimal("1.3")


def note(*parts: Part) -> Sentence:
    """A remark for the officer (in brackets, to be removed or rewritten), with its figures."""
    s = say("（", *parts, "）")
    return Sentence(s.text, s.figures, placeholder=True)


def full_marks() -> Figure:
    return Figure("rule.full_marks", "100", HUNDRED, RULE)


def subject(f: Facts, suffix: str = "") -> list[Part]:
    """“2023年度如皋市社会养老保险管理处” (year and name when known)."""
    parts: list[Part] = []
    year = f.year()
    if year is not None:
        parts += [year, "年度"]
    name = f.name()
    if name is not None:
        parts.append(name)
    if suffix:
        parts.append(suffix)
    return parts


def budget_sentences(f: Facts, lead: list[Part], spent_word: str = "全年执行数") -> list[Sentence]:
    """年初预算数 / 全年预算数 / 全年执行数 / 执行率, and what is left unspent."""
    initial, annual, spent = (f.money(f"total.{c}") for c in ("initial_budget", "annual_budget", "spent"))
    if annual is None and spent is None:
        return [missing("全年预算数和全年执行数尚未填写，资金执行情况待填写后生成")]
    parts: list[Part] = [*lead]
    if initial is not None and (annual is None or initial.value != annual.value):
        parts += ["年初预算数", initial, "万元，"]
    parts += ["全年预算数", annual, "万元"] if annual is not None else ["全年预算数尚未填写"]
    parts += ["，", spent_word, spent, "万元"] if spent is not None else ["，", spent_word, "尚未填写"]
    rate = f.rate()
    if rate is not None:
        parts += ["，预算执行率为", rate]
    out = [say(*parts, "。")]
    if rate is not None and rate.value > 1:
        out.append(note("执行数超过全年预算数，请核对全年预算数是否已按调整后的预算填写"))
    else:
        unspent = f.unspent()
        if unspent is not None:
            out.append(say("尚有", unspent, "万元未支出。"))
    return out


def sources_sentence(f: Facts) -> Sentence | None:
    """其中本年财政拨款 … 万元、上年结转资金 … 万元 (全年预算数 by source)."""
    from perfdesk.model.document import SOURCE_LABELS, SOURCE_PARENT

    parts: list[Part] = []
    for key, label in SOURCE_LABELS.items():
        if SOURCE_PARENT[key] is not None:
            continue
        fig = f.money(f"sources.{key}.annual_budget")
        if fig is None or not fig.value:
            continue
        parts += ["、" if parts else "", label, fig, "万元"]
    if not parts:
        return None
    return say("按资金来源分，", *parts, "。")


def total_sentences(f: Facts, lead: list[Part], what: str = "自评得分") -> list[Sentence]:
    """“…自评得分为97.2分，绩效等级为“优”。” — or why the total cannot be stated."""
    if not f.has_scores:
        return [missing("各项指标尚未评分，得分和绩效等级待评分后生成")]
    if f.invalid:
        line = f.invalid[0]
        return [note(*_quoted_name(f, line), "得分", _line_score(f, line), "分，超出其分值",
                     _line_weight(f, line), "分，", what, "暂无法确定，请先更正得分")]
    total = f.total()
    if total.value > f.sc.weight_total:
        return [note("各项得分合计", total, "分，超过分值合计", f.weight_total(), "分，请先更正得分")]
    out = [say(*lead, what, "为", total, "分，绩效等级为“", f.grade(), "”。")]
    weight_total = f.sc.weight_total
    if weight_total != HUNDRED:
        out.append(note("各项分值合计为", f.weight_total(), "分，不是", full_marks(), "分，请核对分值"))
    unscored = f.with_status(UNSCORED)
    if unscored:
        out.append(note("另有", f.count("unscored", len(unscored)), "项指标尚未评分，未计入得分：",
                        *_names(f, unscored)))
    return out


def group_scores_sentence(f: Facts, lead: str = "其中", execution: bool = True) -> Sentence | None:
    """“其中预算执行率得9.73分（分值10分），产出指标得48分（分值50分）……”."""
    if not f.has_scores or f.invalid:
        return None
    parts: list[Part] = []
    ex = f.execution_score() if execution else None
    if ex is not None:
        parts += ["预算执行率得", ex, "分（分值", f.execution_weight(), "分）"]
    for group in f.groups():
        score = f.node_score(group)
        if score is None:
            continue
        parts += ["，" if parts else "", f.node_text(group, "name") or "（未命名）", "得", score,
                  "分（分值", f.node_weight(group), "分）"]
    if not parts:
        return None
    return say(lead, *parts, "。")


def stated_weight_notes(f: Facts) -> list[Sentence]:
    """A group whose stated weight (效益指标（30分）) is not the sum of its indicators' weights."""
    out = []
    for group in f.groups():
        if group.weight is not None and group.weight != f.sc.of(group).weight:
            stated = f.score(f"indicator.{group.uid}.stated_weight", group.weight)
            out.append(note(f.node_text(group, "name") or "（未命名）", "标明分值", stated, "分，下级指标分值合计",
                            f.node_weight(group), "分，请核对"))
    return out


def line_result(f: Facts, line: Line) -> list[Part]:
    """One scored line with its figures, without the full stop."""
    if line.node is None:
        parts: list[Part] = ["预算执行率"]
        rate = f.rate()
        parts += ["为", rate] if rate is not None else ["尚未计算"]
        score = f.execution_score()
        if line.status == INVALID:
            parts += ["，填报得分", score, "分，超出分值", f.execution_weight(), "分"]
        elif score is not None:
            parts += ["，得", score, "分（分值", f.execution_weight(), "分）"]
        return parts
    node = line.node
    parts = [*_quoted_name(f, line)]
    target, actual = f.node_text(node, "target"), f.node_text(node, "actual")
    if target is not None:
        parts += ["年度指标值", target, "，"]
        if actual is None:
            parts.append("实际完成值尚未填写")
    if actual is not None:
        parts += ["实际完成", actual] if parse_value(node.actual).is_numeric else ["完成情况为", actual]
    score, weight = f.node_score(node), f.node_weight(node)
    lead = "，" if target is not None or actual is not None else ""
    if node.weight is None:
        return parts
    if line.status == INVALID:
        parts += [lead, "填报得分", score, "分，超出分值", weight, "分"]
    elif score is not None:
        parts += [lead, "得", score, "分（分值", weight, "分）"]
    else:
        parts += [lead, "尚未评分（分值", weight, "分）"]
    return parts


def shortfall_sentences(f: Facts, with_reasons: bool = True, ask: bool = False) -> list[Sentence]:
    """One sentence per line that lost points, with the officer's 偏差原因 when given
    (``ask``: a placeholder asking for it when not)."""
    out = []
    for line in f.with_status(SHORT):
        parts = line_result(f, line)
        if line.node is None:
            unspent = f.unspent()
            if unspent is not None:
                parts += ["，", unspent, "万元未支出"]
        reason_fig = None
        if with_reasons and line.node is not None:
            reason, _ = split_note(line.node.deviation_note)
            reason_fig = f.quote(f"indicator.{line.node.uid}.deviation_reason", reason)
            if reason_fig is not None:
                parts += ["。偏差原因：", reason_fig]
        out.append(say(*parts, "。"))
        if ask and reason_fig is None:
            out.append(note("请填写", *_quoted_name(f, line), "的偏差原因")
                       if line.node is not None else note("请说明预算未全额执行的原因"))
    return out


def overshoot_sentences(f: Facts) -> list[Sentence]:
    """Indicators done far beyond their target (实际 ÷ 指标值 at or over the rule's ratio): a deviation too."""
    limit = Figure("rule.overshoot", format_score((OVERSHOOT - 1) * HUNDRED), OVERSHOOT, RULE)
    out = []
    for line in f.with_status(MET, indicators_only=True):
        node = line.node
        r = f.sc.of(node).ratio
        if node.method is not Method.HIGHER or r is None or r < OVERSHOOT:
            continue
        out.append(say(*_quoted_name(f, line), "实际完成", f.node_text(node, "actual"), "，为年度指标值",
                       f.node_text(node, "target"), "的", f.node_ratio(node), "，超出", limit, "%以上。"))
        reason, _ = split_note(node.deviation_note)
        fig = f.quote(f"indicator.{node.uid}.deviation_reason", reason)
        out.append(say("原因：", fig, "。") if fig is not None else
                   note("请说明", *_quoted_name(f, line), "超额完成的原因，并复核年度指标值是否合理"))
    return out


def measures(f: Facts) -> list[Sentence]:
    """改进措施 the officer wrote in the 偏差原因分析及改进措施 of the lines that lost points."""
    seen, out = set(), []
    for line in f.with_status(SHORT, indicators_only=True):
        _, measure = split_note(line.node.deviation_note)
        if measure and measure not in seen:
            seen.add(measure)
            out.append(say(f.quote(f"indicator.{line.node.uid}.deviation_measure", measure), "。"))
    return out


def achievement_count_sentence(f: Facts) -> Sentence | None:
    """“32项三级指标中，30项得满分，2项未得满分。” — “全部…均得满分” only when every score says so."""
    lines = f.indicator_lines
    if not lines:
        return None
    n = len(lines)
    met, short = f.with_status(MET, True), f.with_status(SHORT, True)
    unscored, invalid = f.with_status(UNSCORED, True), f.with_status(INVALID, True)
    if len(met) == n:
        return say("全部", f.count("indicators", n), "项三级指标均得满分。")
    parts: list[Part] = [f.count("indicators", n), "项三级指标中，"]
    pieces: list[list[Part]] = []
    if met:
        pieces.append([f.count("met", len(met)), "项得满分"])
    if short:
        pieces.append([f.count("short", len(short)), "项未得满分"])
    if unscored:
        pieces.append([f.count("unscored_indicators", len(unscored)), "项尚未评分"])
    if invalid:
        pieces.append([f.count("invalid", len(invalid)), "项得分超出分值"])
    for i, piece in enumerate(pieces):
        parts += (["，"] if i else []) + piece
    return say(*parts, "。")


def highlights(f: Facts, limit: int = 6) -> list[Part]:
    """A few indicators with full marks and figures, “参保人数年度指标值≥31万人，实际完成31.48万人”."""
    chosen = []
    for line in f.with_status(MET, True):
        node = line.node
        if node.method in (Method.TIERS, Method.MANUAL) and not any(ch.isdigit() for ch in node.actual):
            continue
        if not node.actual or not node.target:
            continue
        chosen.append(line)
        if len(chosen) >= limit:
            break
    parts: list[Part] = []
    for i, line in enumerate(chosen):
        node = line.node
        parts += (["；"] if i else []) + [*_quoted_name(f, line), "年度指标值", f.node_text(node, "target"),
                                          "，实际完成", f.node_text(node, "actual")]
    return parts


def method_sentences(f: Facts) -> list[Sentence]:
    """评价思路方法 from the evaluation's rule set (its grade bands and tier bands)."""
    rules = rule_set_of(f.ev)
    unit = f.ev is f.doc.unit_evaluation
    bands = rules.unit_grades if unit and rules.unit_grades else rules.grades
    grade = {g: Figure(f"rule.grade.{g}", format_score(floor), floor, RULE) for floor, g in bands}
    tiers = {}
    for tier in Tier:
        band = rules.tier_band(tier)
        tiers[tier] = (Figure(f"rule.tier.{tier.value}.low", format_score(band.low * HUNDRED), band.low, RULE),
                       Figure(f"rule.tier.{tier.value}.high", format_score(band.high * HUNDRED), band.high, RULE))
    a, p, n = (tiers[t] for t in (Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED))
    out = [say("评价采用定量与定性评价相结合的方法，对照年初设定的绩效目标，逐项核对各项指标的实际完成值，"
               "总分由各项指标得分汇总形成。"),
           say("定量指标将全年实际完成值与年度指标值相比，按比例计分；定性指标按照", TIER_LABELS[Tier.ACHIEVED],
               "年度指标、", TIER_LABELS[Tier.PARTIAL], "年度指标并具有一定效果、", TIER_LABELS[Tier.NOT_ACHIEVED],
               "年度指标且效果较差三档，分别按该指标分值的", a[0], "%～", a[1], "%、", p[0], "%～", p[1], "%、",
               n[0], "%～", n[1], "%计分。")]
    names = [g for _floor, g in bands]
    if names[:3] == ["优", "良", "中"]:
        out.append(say("绩效等级按得分划分：", grade["优"], "分（含）以上为优，", grade["良"], "分（含）至", grade["优"],
                       "分为良，", grade["中"], "分（含）至", grade["良"], "分为中，", grade["中"], "分以下为",
                       rules.lowest_grade, "。"))
    lines = f.indicator_lines
    if lines:
        qualitative = sum(1 for line in lines if line.node.method is Method.TIERS)
        manual = sum(1 for line in lines if line.node.method is Method.MANUAL)
        quantitative = len(lines) - qualitative - manual
        parts: list[Part] = ["本次评价共设三级指标", f.count("indicators", len(lines)), "项，其中定量指标",
                             f.count("quantitative", quantitative), "项、定性指标", f.count("qualitative", qualitative), "项"]
        if manual:
            parts += ["、按评分标准人工评分的指标", f.count("manual", manual), "项"]
        out.append(say(*parts, "。"))
    return out


def indicator_plan_sentence(f: Facts, lead: str = "围绕上述目标，设置") -> Sentence | None:
    """“设置三级绩效指标18项，其中产出指标10项、效益指标5项、满意度指标3项。”"""
    lines = f.indicator_lines
    if not lines:
        return None
    parts: list[Part] = [lead, "三级绩效指标", f.count("indicators", len(lines)), "项"]
    groups = [(g, len(f.leaves_of(g))) for g in f.groups()]
    groups = [(g, n) for g, n in groups if n]
    if groups:
        parts.append("，其中")
        for i, (g, n) in enumerate(groups):
            parts += (["、"] if i else []) + [f.node_text(g, "name") or "（未命名）",
                                             f.count(f"group.{g.uid}", n), "项"]
    return say(*parts, "。")


def _quoted_name(f: Facts, line: Line) -> list[Part]:
    if line.node is None:
        return ["“预算执行率”"]
    name = f.node_text(line.node, "name")
    return ["“", name, "”"] if name is not None else ["一项未命名指标"]


def _names(f: Facts, lines: list[Line], limit: int = 5) -> list[Part]:
    parts: list[Part] = []
    for i, line in enumerate(lines[:limit]):
        parts += (["、"] if i else []) + _quoted_name(f, line)
    if len(lines) > limit:
        parts.append("等")
    return parts


def _line_score(f: Facts, line: Line) -> Figure | None:
    return f.execution_score() if line.node is None else f.node_score(line.node)


def _line_weight(f: Facts, line: Line) -> Figure | None:
    return f.execution_weight() if line.node is None else f.node_weight(line.node)


def clean_text(text: str | None) -> str:
    return clean(text)


__all__ = [
    "achievement_count_sentence", "overshoot_sentences", "stated_weight_notes", "budget_sentences", "group_scores_sentence", "highlights",
    "indicator_plan_sentence", "line_result", "measures", "method_sentences", "note", "shortfall_sentences",
    "sources_sentence", "subject", "total_sentences",
]
