"""The scoring formulas of the 一体化 绩效 systems (SPEC §3, §8), with a rule set's parameters.

With t the target (指标值), a the actual value (实际完成值), w the weight (分值):

- 正向 (``HIGHER``): a ≥ t → w; else round(a ÷ t × w, 2), not below 0. For a
  negative target (“≥-5%”) the shortfall is measured against |t|:
  w × (1 − (t − a) ÷ |t|). A target of 0 (“0起”) is never 正向: it scores as
  等于 0 — unless it states a floor (“≥0%”: at or above it is met).
- 反向 (``LOWER``): a ≤ t → w; t < a < 2t → round((1 − (a − t) ÷ t) × w, 2);
  a ≥ 2t → 0 (``lower_zero_at`` = 2). A target of 0: a ≤ 0 → w, else 0.
  Negative actuals (a 变动率 of −5%) are below the target.
- 等于 (``EQUAL``): t = 0 → a ≤ 0 → w, else 0. A non-zero “= t” scores as 正向
  (rule set ``equal.nonzero`` = "higher"), or all-or-nothing ("exact").
- 扣分法 (``DEDUCTION``): within the limit (t, ≤ unless the 指标性质 says ≥) → w;
  else w − step × points beyond, not below the floor (扣完为止). The step is read
  from the indicator's 评分规则 (“每超过一个百分点扣0.5分”).
- A range target “90%-95%”: inside → w; below → 正向 against the low end;
  above → 反向 against the high end.

``AUTO`` resolves by the 指标性质 (``comparison``), else by what the target says.
Pure functions; no Qt.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from perfdesk.model.document import Indicator, Method
from perfdesk.model.values import (
    QUALITATIVE_COMPARISON,
    Value,
    ValueKind,
    comparable,
    comparator_of,
    read_value,
)

ZERO = Decimal(0)
ONE = Decimal(1)

_BY_COMPARATOR = {">=": Method.HIGHER, ">": Method.HIGHER, "<=": Method.LOWER, "<": Method.LOWER,
                  "=": Method.EQUAL}


def method_for_comparison(comparison: str, target: Value | None = None) -> Method:
    """The method a 指标性质 implies: ≥/> 正向, ≤/< 反向, = 等于, 定性 三档.

    With no 指标性质 (""), the target decides: its written comparator (“≤5%”), a
    direction word (“下降5%” is ≤), a qualitative word (健全) → 三档, a number → 正向
    (a target of 0 then scores as 等于 0); anything else → 手工评分.
    """
    if comparison == QUALITATIVE_COMPARISON:
        return Method.TIERS
    comparator = comparator_of(comparison)
    if comparator:
        return _BY_COMPARATOR[comparator]
    if target is None:
        return Method.MANUAL
    implied = target.implied_comparator
    if implied and target.is_numeric:
        return _BY_COMPARATOR[implied]
    if target.kind is ValueKind.QUALITATIVE:
        return Method.TIERS
    if target.is_numeric:
        return Method.HIGHER
    return Method.MANUAL


def effective_method(indicator: Indicator) -> Method:
    """The method that scores ``indicator``: its own, or for ``AUTO`` the one its 指标性质 implies."""
    method = indicator.method
    if method is not Method.AUTO:
        return method
    target = read_value(indicator.target, indicator.unit, "")
    if target.comparator or not indicator.comparison:
        # what the cell says (“≤5%”, “下降5%”) wins over the field, as in read_value
        return method_for_comparison("", target)
    return method_for_comparison(indicator.comparison, target)


class Reading(NamedTuple):
    """Target and actual of an indicator as read together (cached by their texts)."""

    target: Value
    actual: Value
    comparable: bool
    low: Decimal | None      # the target in base units (a range's lower end)
    high: Decimal | None     # a range's upper end (the target itself when not a range)
    a_low: Decimal | None    # the actual in base units (a range's lower end)
    a_high: Decimal | None


@lru_cache(maxsize=65536)
def read_pair(target: str, actual: str, unit: str, comparison: str) -> Reading:
    t = read_value(target, unit, comparison)
    a = read_value(actual, unit, "")
    if not comparable(t, a):
        return Reading(t, a, False, None, None, None, None)
    return Reading(t, a, True, t.magnitude, t.upper_magnitude, a.magnitude, a.upper_magnitude)


def reading(indicator: Indicator) -> Reading:
    """Target and actual of ``indicator`` read with its 计量单位 and 指标性质."""
    return read_pair(indicator.target, indicator.actual, indicator.unit, indicator.comparison)


def target_and_actual(indicator: Indicator) -> tuple[Value, Value]:
    """Target and actual read with the indicator's 计量单位 and 指标性质."""
    r = read_pair(indicator.target, indicator.actual, indicator.unit, indicator.comparison)
    return r.target, r.actual


# --- formulas ---------------------------------------------------------------------------------------

def higher_fraction(t: Decimal, a: Decimal, cap: Decimal = ONE) -> Decimal:
    """正向: the share of the weight (0 … cap)."""
    if t == 0:
        return equal_zero_fraction(a)
    if a >= t:
        return min(a / t, cap) if cap > ONE else ONE
    if t > 0:
        return max(ZERO, a / t)
    return max(ZERO, ONE - (t - a) / abs(t))


def lower_fraction(t: Decimal, a: Decimal, zero_at: Decimal = Decimal(2)) -> Decimal:
    """反向: full up to the target, falling linearly to 0 at ``zero_at`` × the target."""
    if a <= t:
        return ONE
    if t == 0:
        return ZERO
    deviation = (a - t) / abs(t)
    span = zero_at - ONE
    if deviation >= span:
        return ZERO
    return ONE - deviation / span


def equal_zero_fraction(a: Decimal) -> Decimal:
    """等于 0 (安全事故 = 0 起): full when the actual is 0 or below, else nothing."""
    return ONE if a <= 0 else ZERO


_CN_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_STEP_RE = re.compile(
    r"每(?P<what>[^，。；,;：:扣减]{0,12}?)(?:扣除?|减)\s*(?P<step>\d+(?:\.\d+)?)\s*分")
_PER_RE = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十])")


@lru_cache(maxsize=4096)
def deduction_terms(rule_text: str) -> tuple[Decimal | None, Decimal | None]:
    """(points per step, step) from “每超过一个百分点扣0.5分” → (1, 0.5); (None, None) if not stated."""
    m = _STEP_RE.search("".join((rule_text or "").split()))
    if m is None:
        return None, None
    step = Decimal(m.group("step"))
    per_match = _PER_RE.search(m.group("what"))
    if per_match is None:
        return None, step
    token = per_match.group(1)
    per = Decimal(_CN_NUMBERS[token]) if token in _CN_NUMBERS else Decimal(token)
    return (per if per > 0 else None), step


def deduction_score(weight: Decimal, beyond: Decimal, per: Decimal, step: Decimal, floor: Decimal,
                    count: str) -> Decimal:
    """扣分法: ``weight`` minus ``step`` for every ``per`` points ``beyond`` the limit, not below ``floor``."""
    if beyond <= 0:
        return weight
    points = beyond / per
    if count == "started":
        points = Decimal(math.ceil(points))
    elif count == "whole":
        points = Decimal(math.floor(points))
    return max(floor, weight - step * points)


def compute_quantitative(indicator: Indicator, method: Method, weight: Decimal, rules
                         ) -> tuple[Decimal | None, Decimal | None]:
    """(score, actual ÷ target) for 正向 / 反向 / 等于 / 扣分法; (None, None) when the values do not read."""
    read = read_pair(indicator.target, indicator.actual, indicator.unit, indicator.comparison)
    if not read.comparable:
        return None, None
    target = read.target
    low, high, a_low, a_high = read.low, read.high, read.a_low, read.a_high
    # a range actual counts by its unfavourable end
    if method is Method.LOWER or (method is Method.DEDUCTION and target.comparator not in (">=", ">")):
        a = a_high
    else:
        a = a_low
    r = None if low == 0 else a / low
    if method is Method.DEDUCTION:
        per, step = deduction_terms(indicator.rule_text)
        if step is None:
            return None, r
        per = per or rules.deduction_per
        if target.comparator in (">=", ">"):
            beyond = low - a
        else:
            beyond = a - high
        return rules.round(deduction_score(weight, beyond, per, step, rules.deduction_floor,
                                           rules.deduction_count)), r
    if target.is_range:
        if a < low:
            fraction = higher_fraction(low, a)
        elif a > high:
            fraction = lower_fraction(high, a, rules.lower_zero_at)
        else:
            fraction = ONE
    elif method is Method.LOWER:
        fraction = lower_fraction(low, a, rules.lower_zero_at)
    elif method is Method.EQUAL:
        if low == 0:
            fraction = equal_zero_fraction(a)
        elif rules.equal_nonzero == "exact":
            fraction = ONE if a == low else ZERO
        else:
            fraction = higher_fraction(low, a)
    elif low == 0 and target.comparator in (">=", ">"):
        # “≥0%” states a floor, not a count of accidents: at or above it is met
        fraction = ONE if (a > 0 if target.comparator == ">" else a >= 0) else ZERO
    else:
        fraction = higher_fraction(low, a, rules.higher_cap)
    return rules.round(weight * fraction), r


__all__ = [
    "Reading", "compute_quantitative", "deduction_score", "read_pair", "reading", "deduction_terms", "effective_method",
    "equal_zero_fraction", "higher_fraction", "lower_fraction", "method_for_comparison",
    "target_and_actual",
]
