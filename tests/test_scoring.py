"""Scoring engine (SPEC §3): methods, sums, overrides, grades."""

from decimal import Decimal as D

import pytest

from perfdesk.model import Amounts, Evaluation, ExecutionLine, Indicator, Method, Tier, parse_wan
from perfdesk.scoring import format_rate, format_score, grade_for, score_evaluation


def leaf(name, weight, target="", actual="", method=Method.MANUAL, **kw):
    return Indicator(name=name, weight=D(str(weight)), target=target, actual=actual, method=method, **kw)


def project(*roots, budget=("680", "680", "661.7252"), execution=True, rounding="0.01"):
    ev = Evaluation(name="测试项目", execution=ExecutionLine() if execution else None, execution_rounding=rounding)
    a, b, c = budget
    ev.budget.total = Amounts(parse_wan(a), parse_wan(b), parse_wan(c))
    for r in roots:
        ev.add(r)
    return ev


def group(name, weight, *children):
    g = Indicator(name=name, weight=None if weight is None else D(weight))
    for c in children:
        g.add(c)
    return g


def only(ind, ev=None):
    ev = ev or project(group("产出指标", None, ind), execution=False)
    return score_evaluation(ev).of(ind)


@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("31万人", "31.48万人", 10, "10"),     # over-achieved: capped at the weight
        ("100%", "98%", 10, "9.8"),
        ("≥95%", "90%", 10, "9.473684"),
        ("30人", "270人", 20, "20"),
        ("1.5万人", "15000人", 20, "20"),     # units scaled
        ("100%", "0%", 10, "0"),
    ],
)
def test_higher_is_better(target, actual, weight, expected):
    s = only(leaf("x", weight, target, actual, Method.HIGHER))
    assert s.computed.quantize(D("0.000001")) == D(expected).quantize(D("0.000001"))
    assert s.score == s.computed


@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("≤5%", "2. 47%", 1, "1"),
        ("0%", "0%", 1, "1"),
        ("38万元", "0万", 10, "10"),
        ("≤100%", "125%", 4, "3.2"),     # 4 × 100 ÷ 125
        ("0%", "3%", 1, "0"),            # target 0 and actual above it
    ],
)
def test_lower_is_better(target, actual, weight, expected):
    s = only(leaf("x", weight, target, actual, Method.LOWER))
    assert s.computed == D(expected)


def test_unreadable_values_give_no_score_not_zero():
    s = only(leaf("x", 10, "≥核定单位数量", "达成预期指标", Method.HIGHER))
    assert s.computed is None and s.score is None


def test_tiers_default_to_the_top_of_their_band():
    for tier, expected in ((Tier.ACHIEVED, "8"), (Tier.PARTIAL, "6.4"), (Tier.NOT_ACHIEVED, "4.8")):
        s = only(leaf("及时性", 8, "及时", "及时", Method.TIERS, tier=tier))
        assert s.computed == D(expected)


def test_override_is_kept_beside_the_computed_score():
    ind = leaf("服务对象满意度", 10, "99%", "95%", Method.HIGHER, score_override=D(8))
    s = only(ind)
    assert s.score == D(8)
    assert s.computed.quantize(D("0.01")) == D("9.60")


def test_execution_line_rate_and_rounding():
    ev = project(budget=("680", "680", "661.7252"))
    s = score_evaluation(ev)
    assert format_rate(s.execution_rate) == "97.31%"
    assert s.execution_computed == D("9.73")
    ev = project(budget=("2", "2", "0.59"), rounding="1")
    assert score_evaluation(ev).execution_computed == D("3")  # 2.95 rounds half up to whole points
    ev = project(budget=("3", "3", "0.63"), rounding="1")
    assert score_evaluation(ev).execution_computed == D("2")


def test_execution_over_budget_is_capped():
    ev = project(budget=("100", "100", "120"))
    assert score_evaluation(ev).execution_computed == D("10")


def test_execution_and_arrival_rate_indicators_use_the_budget():
    # Seed 004: 预算资金 2536.08, 下达 2364.01, 支出 2364.01.
    arrival = leaf("资金到位率", 3, method=Method.ARRIVAL_RATE)
    execution = leaf("预算执行率", 3, method=Method.EXECUTION_RATE)
    ev = project(group("投入", None, group("资金落实", None, arrival, execution)),
                 budget=("2536.08", "2364.01", "2364.01"), execution=False)
    s = score_evaluation(ev)
    assert s.of(arrival).computed == D("2.80")
    assert s.of(execution).computed == D("3.00")


def test_group_sums_total_and_grade():
    a = leaf("a", 30, "100%", "100%", Method.HIGHER)
    b = leaf("b", 20, "100%", "50%", Method.HIGHER)
    c = leaf("c", 40, score_override=D("35.5"))
    g1 = group("产出指标", "50", a, b)
    g2 = group("效益指标", "40", c)
    ev = project(g1, g2, budget=("100", "100", "100"))
    s = score_evaluation(ev)
    assert s.of(g1).score == D(40) and s.of(g1).weight == D(50)
    assert s.of(g2).score == D("35.5")
    assert s.weight_total == D(100)
    assert s.total == D("85.5")  # 40 + 35.5 + 10 execution
    assert s.grade == "良"


@pytest.mark.parametrize("total, grade", [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"),
                                          ("79.5", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")])
def test_grade_bands(total, grade):
    assert grade_for(D(total)) == grade


def test_format_score_drops_trailing_zeros():
    assert format_score(D("96.80")) == "96.8"
    assert format_score(D("7.50")) == "7.5"
    assert format_score(D("100.00")) == "100"
    assert format_score(D("9.473684")) == "9.47"
    assert format_score(None) == ""
