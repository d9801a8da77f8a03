"""Choosing the scoring method (评分方法) of an imported indicator.

Imported forms state scores but not how they were reached. The method is
inferred from the indicator's name, target (指标值) and actual value
(实际完成值), in this order:

1. name containing 预算执行率 (and the form has a budget) → EXECUTION_RATE;
   资金到位率 → ARRIVAL_RATE;
2. a qualitative target or actual (健全, 合理, 及时 …) or an actual that says
   whether the target was met (达成预期指标) → TIERS;
3. a target with ≤ / <, or a name with 调整率 / 变动率 / 结转结余率 / 控制率 /
   成本 → LOWER (when a value is a number);
4. comparable numeric target and actual → HIGHER;
5. anything else → MANUAL (the stated score stays as typed).
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model.document import Indicator, Method, Tier
from perfdesk.model.values import ValueKind, comparable, parse_value, tier_word

LOWER_NAME_WORDS = ("调整率", "变动率", "结转结余率", "控制率", "成本")
EXECUTION_NAME_WORDS = ("预算执行率",)
ARRIVAL_NAME_WORDS = ("资金到位率",)

_TIER_BY_WORD = {
    "achieved": Tier.ACHIEVED,
    "partial": Tier.PARTIAL,
    "not_achieved": Tier.NOT_ACHIEVED,
}


def _compact(text: str) -> str:
    return "".join((text or "").split())


def infer_method(indicator: Indicator, has_budget: bool) -> Method:
    """The scoring method an imported level-3 indicator most likely follows."""
    name = _compact(indicator.name)
    target, actual = parse_value(indicator.target), parse_value(indicator.actual)
    if has_budget and any(w in name for w in EXECUTION_NAME_WORDS):
        return Method.EXECUTION_RATE
    if has_budget and any(w in name for w in ARRIVAL_NAME_WORDS):
        return Method.ARRIVAL_RATE
    if (
        target.kind is ValueKind.QUALITATIVE
        or actual.kind is ValueKind.QUALITATIVE
        or (actual.kind is ValueKind.TEXT and tier_word(indicator.actual) is not None)
    ):
        return Method.TIERS
    numeric = target.is_numeric or actual.is_numeric
    if numeric and (target.comparator in ("<=", "<") or any(w in name for w in LOWER_NAME_WORDS)):
        return Method.LOWER
    if comparable(target, actual):
        return Method.HIGHER
    return Method.MANUAL


def infer_tier(indicator: Indicator) -> Tier | None:
    """The tier of a qualitative indicator.

    From the stated score ÷ weight (≥ 80% 达成, ≥ 60% 部分达成, else 未达成);
    without a stated score, from what the actual value says; else ``None``.
    """
    score, weight = indicator.score_override, indicator.weight
    if score is not None and weight is not None and weight > 0:
        r = score / weight
        if r >= Decimal("0.8"):
            return Tier.ACHIEVED
        if r >= Decimal("0.6"):
            return Tier.PARTIAL
        return Tier.NOT_ACHIEVED
    word = tier_word(indicator.actual)
    if word is not None:
        return _TIER_BY_WORD[word]
    actual = _compact(indicator.actual)
    if actual and actual == _compact(indicator.target):
        return Tier.ACHIEVED  # the actual repeats the qualitative target: met
    return None


__all__ = ["infer_method", "infer_tier", "LOWER_NAME_WORDS"]
