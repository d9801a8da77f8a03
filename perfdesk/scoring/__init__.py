"""Scores, totals and grades as functions of an evaluation (SPEC §3).

``score_evaluation`` recomputes a whole evaluation in one pass; it is cheap
enough (parsed values are cached) to run on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from perfdesk.model.document import Evaluation, Indicator, Method, Tier
from perfdesk.model.values import ValueKind, comparable, parse_value

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# 财政部 bands: 优 ≥ 90; 良 80 to < 90; 中 60 to < 80; 差 < 60.
GRADE_BANDS = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
GRADES = ("优", "良", "中", "差")


def grade_for(total: Decimal) -> str:
    for floor, grade in GRADE_BANDS:
        if total >= floor:
            return grade
    return "差"


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


@dataclass
class EvaluationScore:
    by_uid: dict[int, IndicatorScore] = field(default_factory=dict)
    indicator_weight: Decimal = ZERO  # sum of level-3 weights
    indicator_total: Decimal = ZERO   # sum of indicator scores
    execution_rate: Decimal | None = None      # 全年执行数 ÷ 全年预算数
    execution_computed: Decimal | None = None  # weight × min(rate, 1), rounded
    execution_score: Decimal | None = None     # stated score when there is one, else computed
    weight_total: Decimal = ZERO
    total: Decimal = ZERO
    grade: str = "差"

    def of(self, indicator: Indicator) -> IndicatorScore:
        return self.by_uid[indicator.uid]


def ratio(numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def execution_rate(ev: Evaluation) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (B ÷ A)."""
    total = ev.budget.total
    return ratio(total.spent, total.annual_budget)


def arrival_rate(ev: Evaluation) -> Decimal | None:
    """资金到位率 = 全年预算数 (下达) ÷ 年初预算数."""
    total = ev.budget.total
    return ratio(total.annual_budget, total.initial_budget)


def round_score(value: Decimal, quantum: str) -> Decimal:
    return value.quantize(Decimal(quantum), rounding=ROUND_HALF_UP)


def _target_ratio(indicator: Indicator) -> Decimal | None:
    """actual ÷ target for comparable numeric values, else None."""
    target, actual = parse_value(indicator.target), parse_value(indicator.actual)
    if not comparable(target, actual):
        return None
    t, a = target.magnitude, actual.magnitude
    if indicator.method is Method.LOWER:
        if a <= t:
            return ONE
        return ZERO if t == 0 else t / a
    if t == 0:
        return ONE if a >= 0 else ZERO
    return max(ZERO, a / t)


def compute_leaf(indicator: Indicator, ev: Evaluation) -> tuple[Decimal | None, Decimal | None]:
    """(computed score, ratio) of a level-3 indicator by its method."""
    weight = indicator.weight
    if weight is None:
        return None, None
    method = indicator.method
    if method is Method.TIERS:
        tier = indicator.tier
        if tier is None:
            return None, None
        return weight * tier.band[1], None
    if method is Method.EXECUTION_RATE or method is Method.ARRIVAL_RATE:
        rate = execution_rate(ev) if method is Method.EXECUTION_RATE else arrival_rate(ev)
        if rate is None:
            return None, None
        return round_score(weight * min(rate, ONE), ev.execution_rounding), rate
    if method is Method.HIGHER or method is Method.LOWER:
        r = _target_ratio(indicator)
        if r is None:
            return None, None
        return weight * min(r, ONE), r
    return None, None


def score_evaluation(ev: Evaluation) -> EvaluationScore:
    result = EvaluationScore()
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
            computed, r = compute_leaf(node, ev)
            score = node.score_override if node.score_override is not None else computed
            out = IndicatorScore(node.weight if node.weight is not None else ZERO, computed, score, r)
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
        rate = execution_rate(ev)
        result.execution_rate = rate
        if rate is not None:
            result.execution_computed = round_score(line.weight * min(rate, ONE), ev.execution_rounding)
        result.execution_score = (
            line.stated_score if line.stated_score is not None else result.execution_computed
        )
        result.weight_total += line.weight
        result.total += result.execution_score or ZERO
    result.grade = grade_for(result.total)
    return result


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


def tier_for_ratio(r: Decimal) -> Tier:
    """The tier whose band holds a score ÷ weight ratio (bands closed at the top)."""
    if r >= Decimal("0.8"):
        return Tier.ACHIEVED
    if r >= Decimal("0.6"):
        return Tier.PARTIAL
    return Tier.NOT_ACHIEVED


__all__ = [
    "EvaluationScore", "IndicatorScore", "GRADES", "arrival_rate", "compute_leaf",
    "execution_rate", "format_rate", "format_score", "grade_for", "round_score",
    "score_evaluation", "tier_for_ratio", "ValueKind",
]
