"""Scores, totals and grades as functions of an evaluation and its rule set (SPEC §3, §8).

``score_evaluation`` recomputes a whole evaluation in one pass; it is cheap
enough (parsed values and rule sets are cached) to run on every keystroke.
The formulas are in ``perfdesk.scoring.methods``; the numbers they use (tier
bands, the execution line's steps, grade bands, rounding …) come from the
evaluation's rule set (``perfdesk.scoring.rules``): 财政部 unless the document
or the template names another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from perfdesk.model.budget_sums import shown_total
from perfdesk.model.document import Evaluation, EvaluationKind, Indicator, Method, Tier
from perfdesk.model.values import ValueKind
from perfdesk.scoring.methods import (
    compute_quantitative,
    effective_method,
    method_for_comparison,
    target_and_actual,
)
from perfdesk.scoring.rules import RuleSet, default_rule_set, rule_set_of

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
GRADES = ("优", "良", "中", "差")


def grade_for(total: Decimal, rules: RuleSet | None = None, unit: bool = False) -> str:
    """The grade of a total under ``rules`` (财政部: 优 ≥ 90; 良 80 to < 90; 中 60 to < 80; 差 < 60)."""
    return (rules or default_rule_set()).grade_for(total, unit)


@dataclass
class IndicatorScore:
    """What the engine says of one indicator.

    ``computed`` is the score the method gives (``None`` when it cannot be
    computed: manual method, unreadable values); ``score`` is what counts —
    the officer's override when there is one, else ``computed``. For a group
    both are sums of the children and ``weight`` is the children's sum.
    """

    weight: Decimal
    computed: Decimal | None
    score: Decimal | None
    ratio: Decimal | None = None  # actual ÷ target (or the rate) that produced ``computed``
    method: Method | None = None  # the method that counted (``AUTO`` resolved by 指标性质)


@dataclass
class EvaluationScore:
    by_uid: dict[int, IndicatorScore] = field(default_factory=dict)
    indicator_weight: Decimal = ZERO  # sum of level-3 weights
    indicator_total: Decimal = ZERO   # sum of indicator scores
    execution_rate: Decimal | None = None      # 全年执行数 ÷ 全年预算数
    execution_computed: Decimal | None = None  # by the rule set (财政部: weight × min(rate, 1)), rounded
    execution_score: Decimal | None = None     # stated score when there is one, else computed
    weight_total: Decimal = ZERO
    total: Decimal = ZERO
    grade: str = "差"
    rules: RuleSet | None = None               # the rule set that scored it

    def of(self, indicator: Indicator) -> IndicatorScore:
        return self.by_uid[indicator.uid]


def ratio(numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def execution_rate(ev: Evaluation, rules: RuleSet | None = None) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (B ÷ A).

    A line with no budget and nothing spent has no rate, unless the rule set
    counts it as a rate (浙江: 100%).
    """
    total = shown_total(ev.budget)  # 年度资金总额, or the sum of its sources when left empty
    rate = ratio(total.spent, total.annual_budget)
    if rate is None and rules is not None and rules.execution.zero_budget_rate is not None:
        if total.annual_budget == 0 and not total.spent:
            return rules.execution.zero_budget_rate
    return rate


def arrival_rate(ev: Evaluation) -> Decimal | None:
    """资金到位率 = 全年预算数 (下达) ÷ 年初预算数."""
    total = ev.budget.total
    return ratio(total.annual_budget, total.initial_budget)


def round_score(value: Decimal, quantum: str) -> Decimal:
    return value.quantize(Decimal(quantum), rounding=ROUND_HALF_UP)


def execution_score(weight: Decimal, rate: Decimal, rules: RuleSet, quantum: str) -> Decimal:
    """The 预算执行率 line's score: linear (weight × min(rate, cap)) or by the rule set's steps."""
    return round_score(weight * rules.execution.fraction(rate), quantum)


def compute_leaf(indicator: Indicator, ev: Evaluation, rules: RuleSet | None = None
                 ) -> tuple[Decimal | None, Decimal | None]:
    """(computed score, ratio) of a level-3 indicator by its method and the rule set."""
    computed, r, _ = _compute(indicator, ev, rules or rule_set_of(ev))
    return computed, r


def _compute(indicator: Indicator, ev: Evaluation, rules: RuleSet
             ) -> tuple[Decimal | None, Decimal | None, Method]:
    method = effective_method(indicator)
    weight = indicator.weight
    if weight is None:
        return None, None, method
    if method is Method.TIERS:
        tier = indicator.tier
        if tier is None:
            return None, None, method
        return rules.tier_band(tier).default_score(weight), None, method
    if method is Method.EXECUTION_RATE:
        rate = execution_rate(ev, rules)
        if rate is None:
            return None, None, method
        return execution_score(weight, rate, rules, ev.execution_rounding), rate, method
    if method is Method.ARRIVAL_RATE:
        rate = arrival_rate(ev)
        if rate is None:
            return None, None, method
        return round_score(weight * min(rate, ONE), ev.execution_rounding), rate, method
    if method in (Method.HIGHER, Method.LOWER, Method.EQUAL, Method.DEDUCTION):
        computed, r = compute_quantitative(indicator, method, weight, rules)
        return computed, r, method
    return None, None, method


def score_evaluation(ev: Evaluation, rules: RuleSet | None = None) -> EvaluationScore:
    """Scores of every indicator, the execution line, the total and the grade of ``ev``."""
    rules = rules or rule_set_of(ev)
    result = EvaluationScore(rules=rules)
    by_uid = result.by_uid

    def visit(node: Indicator) -> IndicatorScore:
        if node.children:
            weight = computed = score = ZERO
            computed_known = True
            for child in node.children:
                s = visit(child)
                weight += s.weight
                score += s.score or ZERO  # a missing child score counts as 0
                if s.computed is None:
                    computed_known = False
                else:
                    computed += s.computed
            out = IndicatorScore(weight, computed if computed_known else None, score)
        else:
            computed, r, method = _compute(node, ev, rules)
            score = node.score_override if node.score_override is not None else computed
            out = IndicatorScore(node.weight if node.weight is not None else ZERO, computed, score, r, method)
        by_uid[node.uid] = out
        return out

    for root in ev.indicators:
        s = visit(root)
        result.indicator_weight += s.weight
        result.indicator_total += s.score or ZERO

    result.weight_total = result.indicator_weight
    result.total = result.indicator_total
    line = ev.execution
    if line is not None:
        rate = execution_rate(ev, rules)
        result.execution_rate = rate
        if rate is not None:
            result.execution_computed = execution_score(line.weight, rate, rules, ev.execution_rounding)
        result.execution_score = (
            line.stated_score if line.stated_score is not None else result.execution_computed
        )
        result.weight_total += line.weight
        result.total += result.execution_score or ZERO
    result.grade = rules.grade_for(result.total, ev.kind is EvaluationKind.UNIT)
    return result


TOTAL_TOLERANCE = Decimal("0.005")   # half a cent of a point: a total printed as 100 is 100


def total_is_valid(score: "EvaluationScore") -> bool:
    """A total that can be a score: 0 … 100 and not above the weights (a stated “85” counted in a
    10-point execution line gives 175; the printed form marks it, and no grade is shown)."""
    return ZERO <= score.total <= HUNDRED + TOTAL_TOLERANCE and score.total <= score.weight_total + TOTAL_TOLERANCE


def no_grade_reason(weight_total: Decimal, total: Decimal) -> str:
    """Why a form gets no grade ("" when it gets one): a grade of weights that do not total 100
    (分值合计 168, or 26) says nothing — 审核 reports the weights instead — nor does one of a total
    that is no valid score."""
    if weight_total != HUNDRED:
        return "分值合计不是 100"
    if not ZERO <= total <= HUNDRED + TOTAL_TOLERANCE:
        return "总分超出满分，不是有效得分"
    return ""


def grade_shown(score: "EvaluationScore") -> str:
    """The grade as the window, Excel and ``check`` show it: "—" when ``no_grade_reason`` names one."""
    return "—" if no_grade_reason(score.weight_total, score.total) else score.grade


def format_score(value: Decimal | None, places: int = 2) -> str:
    """Two decimals at most, trailing zeros dropped: 96.8, 7.5, 100."""
    if value is None:
        return ""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_rate(rate: Decimal | None) -> str:
    """0.97312 → “97.31%”."""
    if rate is None:
        return ""
    pct = (rate * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{pct:f}%"


def tier_for_ratio(r: Decimal, rules: RuleSet | None = None) -> Tier:
    """The tier whose band holds a score ÷ weight ratio, by the rule set's bands."""
    return (rules or default_rule_set()).tier_for_ratio(r, ONE)


__all__ = [
    "EvaluationScore", "IndicatorScore", "GRADES", "grade_shown", "no_grade_reason", "total_is_valid", "arrival_rate", "compute_leaf", "effective_method",
    "execution_rate", "execution_score", "format_rate", "format_score", "grade_for",
    "method_for_comparison", "round_score", "score_evaluation", "target_and_actual", "tier_for_ratio",
    "ValueKind",
]
