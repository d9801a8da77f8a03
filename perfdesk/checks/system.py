"""The checks the 一体化 绩效 systems apply (SPEC §8), each switched and tuned by the rule set.

Every finding says which rule (``rule`` = ``checks.<key>`` or ``over_achievement``)
and which numbers. Called by ``perfdesk.checks.check_evaluation`` with its collector.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from perfdesk.model.amounts import format_wan
from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE, Evaluation, EvaluationKind, Indicator, Method
from perfdesk.model.places import TREE
from perfdesk.model.values import ValueKind
from perfdesk.scoring import EvaluationScore, format_rate, format_score
from perfdesk.scoring.methods import reading

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_QUANTITY_COMPARISONS = ("=", "≥", "≤", ">", "<")


class Context:
    """The rule set's checks for one evaluation, looked up once."""

    def __init__(self, rules):
        self.rules = rules
        self.weight_not_positive = rules.check("weight_not_positive")
        self.target_not_number = rules.check("target_not_number")
        self.deduction_step = rules.check("deduction_step")
        self.over = rules.check("over_achievement")
        self.placeholders = rules.check("placeholders")
        self.words = tuple(self.placeholders.param("words", ())) if self.placeholders else ()
        self.text_limits = rules.check("text_limits")
        limits = (self.text_limits.param("limits") or {}) if self.text_limits else {}
        self.indicator_limits = tuple((path.partition(".")[2], int(Decimal(str(n))))
                                      for path, n in limits.items() if path.startswith("indicator."))
        self.other_limits = tuple((path, int(Decimal(str(n))))
                                  for path, n in limits.items() if not path.startswith("indicator."))


def after_evaluation(out, ctx: Context, ev: Evaluation, score: EvaluationScore, nodes: list[Indicator]) -> None:
    """The checks on texts and on the tree as a whole (``nodes``: the tree in order)."""
    if ctx.words:
        _placeholders_in_texts(out, ctx, ev)
    if ctx.other_limits:
        _text_limits(out, ctx, ev)
    if ev.kind is EvaluationKind.PROJECT and ev.indicators:
        _categories(out, nodes)
        _cost(out, nodes, score)


# --- execution line ------------------------------------------------------------------------------

def execution(out, ev: Evaluation, score: EvaluationScore) -> None:
    """The checks of the 预算执行率 line (after the line's own checks)."""
    rules = out.rules
    line = ev.execution
    if line is None:
        return
    budget = ev.budget.total
    rate = score.execution_rate
    c = rules.check("execution_weight")
    if c and rules.execution.weight is not None and line.weight != rules.execution.weight:
        out.add(c.severity, "execution_weight_mismatch",
                f"预算执行率一行分值为 {format_score(line.weight)}，按“{rules.name}”应为 "
                f"{format_score(rules.execution.weight)} 分", "预算执行率", field="execution.weight",
                rule="checks.execution_weight")
    c = rules.check("execution_over_budget")
    if c and rate is not None and rate > ONE:
        full = format_score(line.weight)
        out.add(c.severity, "execution_over_budget",
                f"执行率 {format_rate(rate)} 超过 100%：全年执行数 {format_wan(budget.spent)} 万元大于全年预算数 "
                f"{format_wan(budget.annual_budget)} 万元，请核实；按评价规则最多得 {full} 分，不加分",
                "预算执行率", field="budget.total.spent", related=("budget.total.annual_budget",),
                rule="checks.execution_over_budget")
    c = rules.check("execution_rate_low")
    if c and rate is not None:
        threshold = Decimal(str(c.param("threshold", "0.9")))
        field = c.param("field", "narrative.execution_reason")
        reason = _text_at(ev, field)
        if rate < threshold and not reason.strip():
            out.add(c.severity, "execution_reason_missing",
                    f"执行率 {format_rate(rate)} 低于 {format_rate(threshold)}，须说明原因"
                    f"（“{_field_label(ev, field)}”，{c.param('max_chars', 100)} 字以内）",
                    "预算执行率", field=field, related=("budget.total.spent",),
                    rule="checks.execution_rate_low")
    c = rules.check("early_warning")
    if c and score.execution_score is not None and line.weight and score.indicator_weight:
        indicator_rate = score.indicator_total / score.indicator_weight
        exec_rate = score.execution_score / line.weight
        margin = Decimal(str(c.param("margin", "0.05")))
        if indicator_rate > 0 and (indicator_rate - exec_rate) / indicator_rate > margin:
            out.add(c.severity, "early_warning",
                    f"自评预警：指标得分率 {format_rate(indicator_rate)}（{format_score(score.indicator_total)} ÷ "
                    f"{format_score(score.indicator_weight)}）比预算执行得分率 {format_rate(exec_rate)}"
                    f"（{format_score(score.execution_score)} ÷ {format_score(line.weight)}）高出 "
                    f"{format_rate((indicator_rate - exec_rate) / indicator_rate)}（超过 {format_rate(margin)}），"
                    "请核实目标完成情况与资金使用是否相符",
                    "预算执行率", field="execution.stated_score", rule="checks.early_warning")
    c = rules.check("execution_gap")
    if c and budget.annual_budget is not None:
        threshold = Decimal(str(c.param("threshold", "0.2")))
        if budget.annual_budget == 0:
            if rules.execution.zero_budget_rate is None:
                out.add(c.severity, "execution_gap", "自评预警：全年预算数为 0", "预算执行率",
                        field="budget.total.annual_budget", rule="checks.execution_gap")
        elif budget.spent is not None:
            unspent = budget.annual_budget - budget.spent
            share = Decimal(unspent) / Decimal(budget.annual_budget)
            if share > threshold:
                out.add(c.severity, "execution_gap",
                        f"自评预警：未执行预算 {format_wan(unspent)} 万元，占全年预算数的 {format_rate(share)}"
                        f"（超过 {format_rate(threshold)}）",
                        "预算执行率", field="budget.total.spent", related=("budget.total.annual_budget",),
                        rule="checks.execution_gap")


# --- indicators -------------------------------------------------------------------------------------

def leaf(out, ctx: Context, node: Indicator, s, read) -> None:
    """The system checks of one level-3 indicator (``s`` its score, ``read`` its values)."""
    weight = node.weight
    c = ctx.weight_not_positive
    # a 0-point row left empty (晋中's unused 效果 lines) is not a finding; one with values is
    if (c and weight is not None and weight <= 0 and node.parent is not None
            and (node.target.strip() or node.actual.strip())):
        out.add(c.severity, "weight_not_positive", f"分值为 {format_score(weight)}，应大于 0", "", node, "weight",
                rule="checks.weight_not_positive")
    method = s.method
    target = read.target
    c = ctx.target_not_number
    if (c and target.kind in _NOT_NUMBERS and method is not Method.TIERS and node.target.strip()
            and (node.comparison in _QUANTITY_COMPARISONS or target.comparator)):
        shown = node.comparison if node.comparison in _QUANTITY_COMPARISONS else ""
        out.add(c.severity, "target_not_number",
                f"指标性质为“{shown or target.comparator.replace('>=', '≥').replace('<=', '≤')}”的定量指标，"
                f"指标值“{node.target.strip()}”不是数值", "", node, "target", rule="checks.target_not_number")
    if method is Method.DEDUCTION and ctx.deduction_step:
        from perfdesk.scoring.methods import deduction_terms

        if deduction_terms(node.rule_text)[1] is None:
            out.add(ctx.deduction_step.severity, "deduction_step_missing",
                    "按扣分法计分，但评分规则中没有写明扣分标准（如“每超过一个百分点扣0.5分”）",
                    "", node, "rule_text", rule="checks.deduction_step")
    if ctx.over is not None and read.comparable and (method is Method.HIGHER or method is Method.EQUAL):
        _over_achievement(out, ctx, node, read, s.ratio)
    if ctx.words:
        hits = _placeholders_of(node.name, node.target, node.actual, node.deviation_note, ctx.words)
        for field, text, word in hits:
            out.add(ctx.placeholders.severity, "placeholder_left",
                    f"{_INDICATOR_FIELD_LABELS[field]}“{text.strip()}”中留有占位内容“{word}”",
                    "", node, field, rule="checks.placeholders")
    for attr, limit in ctx.indicator_limits:
        n = _chars(getattr(node, attr, "") or "")
        if n > limit:
            out.add(ctx.text_limits.severity, "text_too_long",
                    f"{_INDICATOR_FIELD_LABELS.get(attr, attr)}共 {n} 字，超过 {limit} 字",
                    "", node, attr, rule="checks.text_limits")


_NOT_NUMBERS = frozenset((ValueKind.TEXT, ValueKind.QUALITATIVE))


@lru_cache(maxsize=65536)
def _placeholders_of(name: str, target: str, actual: str, note: str, words: tuple[str, ...]) -> tuple:
    """((field, text, placeholder) …) for the fields of an indicator that hold one."""
    out = []
    for field, text in (("name", name), ("target", target), ("actual", actual), ("deviation_note", note)):
        word = _placeholder_in(text, words) if text else None
        if word is not None:
            out.append((field, text, word))
    return tuple(out)


_INDICATOR_FIELD_LABELS = {"name": "指标名称", "target": "指标值", "actual": "实际完成值",
                           "deviation_note": "偏差原因分析及改进措施"}


def _over_achievement(out, ctx: Context, node: Indicator, read, ratio) -> None:
    rules = ctx.rules
    c = ctx.over
    if rules.over_notice is None and rules.over_reason is None and rules.over_zero_target_reason is None:
        return
    t = read.high if read.target.is_range else read.low
    a = read.a_low
    if t is None or a is None or node.deviation_note.strip():
        return
    target, actual = read.target, read.actual
    if t <= 0:
        at = rules.over_zero_target_reason
        if t == 0 and at is not None and a >= at:
            out.add(c.severity, "over_achievement_reason",
                    f"指标值为 0，实际完成值 {actual.raw.strip()} 达到 {format_score(at)} 及以上，须填写偏差原因分析",
                    "", node, "deviation_note", related=("actual",), rule="over_achievement")
        return
    notice = rules.over_notice
    reason = rules.over_reason
    share = ratio if ratio is not None and not read.target.is_range else a / t
    if reason is not None and share >= reason:
        out.add(c.severity, "over_achievement_reason",
                f"实际完成值 {actual.raw.strip()} 为指标值 {target.raw.strip()} 的 {format_rate(share)}，"
                f"达到 {format_rate(reason)} 及以上，须填写偏差原因分析",
                "", node, "deviation_note", related=("actual",), rule="over_achievement")
    elif notice is not None and share >= notice:
        out.add(c.severity, "over_achievement",
                f"实际完成值 {actual.raw.strip()} 为指标值 {target.raw.strip()} 的 {format_rate(share)}"
                f"（≥ {format_rate(notice)}）：完成值明显高于指标值，请分析原因（年初指标值是否偏低）",
                "", node, "actual", rule="over_achievement")


@lru_cache(maxsize=64)
def _placeholder_pattern(words: tuple[str, ...]) -> tuple[frozenset, re.Pattern | None]:
    """(whole-cell placeholders like “*” and “……”, a pattern for the others like “XXX”, “指标1”)."""
    whole = frozenset(w for w in words if not any(ch.isalnum() for ch in w))
    parts = [re.escape(w) + (r"(?!\d)" if w[-1].isdigit() else "")
             for w in sorted((w for w in words if w not in whole), key=len, reverse=True)]
    return whole, (re.compile("|".join(parts)) if parts else None)


@lru_cache(maxsize=65536)
def _placeholder_in(text: str, words: tuple[str, ...]) -> str | None:
    if not text:
        return None
    cleaned = "".join(text.split())
    whole, pattern = _placeholder_pattern(words)
    if cleaned in whole:
        return cleaned
    m = pattern.search(cleaned) if pattern is not None else None
    return m.group(0) if m else None


def _placeholders_in_texts(out, ctx: Context, ev: Evaluation) -> None:
    texts = [(f"narrative.{key}", text) for key, text in ev.narrative.items()]
    texts += [("goals.expected", ev.goals.expected), ("goals.achieved", ev.goals.achieved)]
    for field, text in texts:
        word = _placeholder_in(text, ctx.words) if text else None
        if word is not None:
            out.add(ctx.placeholders.severity, "placeholder_left",
                    f"“{_field_label(ev, field)}”中留有占位内容“{word}”",
                    _field_label(ev, field), field=field, rule="checks.placeholders")


def _text_limits(out, ctx: Context, ev: Evaluation) -> None:
    for field, limit in ctx.other_limits:
        n = _chars(_text_at(ev, field))
        if n > limit:
            out.add(ctx.text_limits.severity, "text_too_long",
                    f"“{_field_label(ev, field)}”共 {n} 字，超过 {limit} 字",
                    _field_label(ev, field), field=field, rule="checks.text_limits")


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _text_at(ev: Evaluation, field: str) -> str:
    head, _, rest = field.partition(".")
    if head == "narrative":
        return ev.narrative.get(rest, "")
    if head == "goals":
        return getattr(ev.goals, rest, "") or ""
    return ""


def _field_label(ev: Evaluation, field: str) -> str:
    head, _, rest = field.partition(".")
    if head == "narrative":
        return PROJECT_NARRATIVE.get(rest) or UNIT_NARRATIVE.get(rest) or rest
    if head == "goals":
        return {"expected": "预期目标", "achieved": "实际完成情况"}.get(rest, rest)
    return field


# --- the tree as a whole -------------------------------------------------------------------------

def _categories(out, nodes: list[Indicator]) -> None:
    c = out.rules.check("categories")
    if not c:
        return
    names = "\n".join(node.name for node in nodes)
    missing = [word for word in c.param("required", ()) if word not in names]
    if missing:
        out.add(c.severity, "category_missing",
                f"缺少{'、'.join(word + '指标' for word in missing)}（项目支出自评应包括"
                f"{'、'.join(w + '指标' for w in c.param('required', ()))}）",
                "绩效指标", field=TREE, rule="checks.categories")


def _cost(out, nodes: list[Indicator], score: EvaluationScore) -> None:
    c = out.rules.check("cost_indicator")
    if not c:
        return
    cap = c.param("cap")
    cost_nodes = [node for node in nodes if "成本" in node.name]
    if not cost_nodes:
        extra = f"；按“{out.rules.name}”规则，成本指标一行最多计 {format_score(Decimal(str(cap)))} 分" if cap else ""
        out.add(c.severity, "cost_indicator_missing", f"产出指标中没有成本指标{extra}", "绩效指标", field=TREE,
                rule="checks.cost_indicator")
        return
    if cap is None:
        return
    cap = Decimal(str(cap))
    leaves = [leaf for node in cost_nodes for leaf in node.walk() if not leaf.children]
    quantified = any(reading(leaf).target.kind in (ValueKind.NUMBER, ValueKind.PERCENT) for leaf in leaves)
    if leaves and not quantified:
        total = sum((score.of(leaf).score or ZERO for leaf in {id(x): x for x in leaves}.values()), ZERO)
        if total > cap:
            first = leaves[0]
            out.add(c.severity, "cost_indicator_capped",
                    f"成本指标没有量化的指标值，按“{out.rules.name}”规则最多计 {format_score(cap)} 分，"
                    f"现为 {format_score(total)} 分", "", first, "score", rule="checks.cost_indicator")


__all__ = ["Context", "after_evaluation", "execution", "leaf"]
