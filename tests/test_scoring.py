"""Scoring engine (SPEC §3, §8): the formulas as worked examples, per rule set.

Each table row is (target, actual, weight → score) as an officer would check it
against the 一体化 system; the rule set is named in the test.
"""

from decimal import Decimal as D

import pytest

from perfdesk.model import Amounts, Evaluation, ExecutionLine, Indicator, Method, Tier, parse_wan
from perfdesk.scoring import format_rate, format_score, grade_for, score_evaluation
from perfdesk.scoring.rules import get_rule_set


def leaf(name, weight, target="", actual="", method=Method.MANUAL, **kw):
    return Indicator(name=name, weight=D(str(weight)), target=target, actual=actual, method=method, **kw)


def project(*roots, budget=("680", "680", "661.7252"), execution=True, rounding="0.01", rule_set=""):
    ev = Evaluation(name="测试项目", execution=ExecutionLine() if execution else None, execution_rounding=rounding,
                    rule_set=rule_set)
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


def only(ind, rule_set="mof"):
    ev = project(group("产出指标", None, ind), execution=False, rule_set=rule_set)
    return score_evaluation(ev).of(ind)


# --- 正向 (higher is better) ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("31万人", "31.48万人", 10, "10"),     # over-achieved: capped at the weight
        ("100%", "98%", 10, "9.8"),
        ("≥95%", "90%", 10, "9.47"),         # round(90 ÷ 95 × 10, 2)
        ("30人", "270人", 20, "20"),
        ("1.5万人", "15000人", 20, "20"),     # units scaled
        ("100%", "0%", 10, "0"),
        ("≥95%", "95%", 10, "10"),           # exactly the target
        ("≥100百分比", "99百分比", 10, "9.9"),  # 百分比 is per cent
        ("0起", "0起", 5, "5"),              # a target of 0 is never 正向: it scores as 等于 0
        ("0起", "1起", 5, "0"),
        ("≥0%", "5%", 7, "7"),               # “≥0” states a floor: above it is met
        ("≥0%", "-1%", 7, "0"),
        (">0", "0", 7, "0"),
        ("≥-5%", "-8%", 10, "4"),            # negative target: shortfall measured against |t|
        ("90%-95%", "92%", 10, "10"),        # inside a range
        ("90%-95%", "81%", 10, "9"),         # below it: 81 ÷ 90
        ("90%-95%", "100%", 10, "9.47"),     # above it: 反向 against 95
    ],
)
def test_higher_is_better_mof(target, actual, weight, expected):
    s = only(leaf("x", weight, target, actual, Method.HIGHER))
    assert s.computed == D(expected)
    assert s.score == s.computed


# --- 反向 (lower is better): full up to the target, 0 from twice the target ---------------------

@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("≤5%", "2. 47%", 1, "1"),
        ("≤100%", "100%", 4, "4"),           # edge: at the target
        ("≤100%", "125%", 4, "3"),           # (1 − 25 ÷ 100) × 4 (the old formula gave 3.2)
        ("≤100%", "150%", 4, "2"),
        ("≤100%", "199%", 4, "0.04"),
        ("≤100%", "200%", 4, "0"),           # edge: twice the target
        ("≤100%", "260%", 4, "0"),
        ("≤10天", "13天", 6, "4.2"),          # (1 − 3 ÷ 10) × 6
        ("≤0%", "-5%", 8, "8"),              # a 变动率 of −5% is below the target
        ("≤0%", "－5%", 8, "8"),             # full-width minus
        ("≤0%", "下降5%", 8, "8"),           # 下降 is negative
        ("≤0%", "3%", 1, "0"),               # target 0 and actual above it
        ("≤0%", "0%", 1, "1"),
        ("38万元", "0万", 10, "10"),
        ("≤3000000", "3300000", 5, "4.5"),
    ],
)
def test_lower_is_better_mof(target, actual, weight, expected):
    s = only(leaf("x", weight, target, actual, Method.LOWER))
    assert s.computed == D(expected)


# --- 等于 -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "target, actual, weight, expected",
    [
        ("=0", "0", 5, "5"),
        ("=0起", "0起", 5, "5"),
        ("=0起", "1起", 5, "0"),             # the system gives 0, not full marks
        ("0起", "-1起", 5, "5"),             # ≤ 0 is full
        ("=100%", "98%", 10, "9.8"),        # a non-zero “=” scores as 正向 (财政部)
        ("=100%", "100%", 10, "10"),
    ],
)
def test_equal_mof(target, actual, weight, expected):
    assert only(leaf("安全事故", weight, target, actual, Method.EQUAL)).computed == D(expected)


def test_equal_zero_target_under_auto_follows_the_comparison():
    """“= 0” as 指标性质 and value: never 正向, whatever the officer's 0 looks like."""
    ind = leaf("安全事故", 5, "0", "1", Method.AUTO, comparison="=", unit="起")
    s = only(ind)
    assert s.method is Method.EQUAL and s.computed == 0
    ind.actual = "0"
    assert only(ind).computed == 5


# --- 扣分法 (per-point deduction) ------------------------------------------------------------------------

STAFF = "在职人员控制率 ≤ 100%，计 5 分；每超过一个百分点扣 0.5 分，扣完为止"
THREE = "“三公经费”变动率 ≤ 0，计 8 分；每超过一个百分点扣 0.8 分"
EXEC = "预算执行率 ≥ 90% 计 5 分，每低一个百分点扣 0.5 分"


@pytest.mark.parametrize(
    "rule, target, actual, weight, expected",
    [
        (STAFF, "≤100%", "100%", 5, "5"),
        (STAFF, "≤100%", "103%", 5, "3.5"),
        (STAFF, "≤100%", "102.5%", 5, "3.75"),  # pro rata (rule set: count = linear)
        (STAFF, "≤100%", "115%", 5, "0"),       # 扣完为止: floor 0
        (THREE, "≤0%", "2%", 8, "6.4"),
        (THREE, "≤0%", "-5%", 8, "8"),          # fell: within the limit
        (EXEC, "≥90%", "85%", 5, "2.5"),        # ≥: points below the limit
        (EXEC, "≥90%", "96%", 5, "5"),
        ("每超过5个百分点扣1分", "≤100%", "110%", 4, "2"),  # per 5 points
    ],
)
def test_deduction_mof(rule, target, actual, weight, expected):
    s = only(leaf("x", weight, target, actual, Method.DEDUCTION, rule_text=rule))
    assert s.computed == D(expected)


def test_deduction_without_a_stated_step_is_not_scored():
    assert only(leaf("x", 5, "≤100%", "103%", Method.DEDUCTION, rule_text="按规定扣分")).computed is None


# --- 定性三档 ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "rule_set, weight, tier, expected",
    [
        ("mof", 8, Tier.ACHIEVED, "8"),
        ("mof", 8, Tier.PARTIAL, "6.32"),       # just under 80%: round(0.79 × 8, 2)
        ("mof", 8, Tier.NOT_ACHIEVED, "4.72"),  # just under 60%
        ("hubei", 8, Tier.ACHIEVED, "8"),
        ("hubei", 8, Tier.PARTIAL, "6.32"),
        ("hubei", 8, Tier.NOT_ACHIEVED, "3.92"),  # just under 50%
        ("mof", 10, Tier.PARTIAL, "7.9"),
    ],
)
def test_tiers_default_to_the_top_of_their_band(rule_set, weight, tier, expected):
    s = only(leaf("及时性", weight, "及时", "及时", Method.TIERS, tier=tier), rule_set)
    assert s.computed == D(expected)


@pytest.mark.parametrize(
    "rule_set, weight, tier, score, inside",
    [
        ("mof", 10, Tier.ACHIEVED, "8", True),        # 80% belongs to 达成 …
        ("mof", 10, Tier.PARTIAL, "8", False),        # … not to 部分达成 (half-open)
        ("mof", 10, Tier.PARTIAL, "7.99", True),
        ("mof", 10, Tier.PARTIAL, "6", True),
        ("mof", 10, Tier.NOT_ACHIEVED, "6", False),
        ("mof", 10, Tier.NOT_ACHIEVED, "5.99", True),
        ("mof", D("3.33"), Tier.ACHIEVED, "2.66", True),  # round(3.33 × 0.8, 2) = 2.66
        ("mof", D("3.33"), Tier.PARTIAL, "2.66", False),
        ("hubei", 10, Tier.PARTIAL, "5", True),       # 湖北: 80–50 (含50%)
        ("hubei", 10, Tier.PARTIAL, "4.99", False),
        ("hubei", 10, Tier.NOT_ACHIEVED, "4.99", True),
        ("hubei", 10, Tier.NOT_ACHIEVED, "5", False),
    ],
)
def test_tier_band_edges(rule_set, weight, tier, score, inside):
    band = get_rule_set(rule_set).tier_band(tier)
    assert band.contains(D(score), D(str(weight))) is inside


def test_unreadable_values_give_no_score_not_zero():
    s = only(leaf("x", 10, "≥核定单位数量", "达成预期指标", Method.HIGHER))
    assert s.computed is None and s.score is None


def test_override_is_kept_beside_the_computed_score():
    ind = leaf("服务对象满意度", 10, "99%", "95%", Method.HIGHER, score_override=D(8))
    s = only(ind)
    assert s.score == D(8)
    assert s.computed == D("9.60")


# --- 指标性质 and 计量单位 as fields ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "comparison, target, unit, actual, weight, method, expected",
    [
        ("≥", "98", "%", "95", 10, Method.HIGHER, "9.69"),
        ("≤", "5", "%", "2.47", 1, Method.LOWER, "1"),
        ("≤", "10", "天", "13", 6, Method.LOWER, "4.2"),
        ("=", "0", "起", "0", 5, Method.EQUAL, "5"),
        ("≥", "31", "万人", "31.48", 10, Method.HIGHER, "10"),
        ("≥", "100", "百分比", "90", 10, Method.HIGHER, "9"),
        ("", "≤5%", "", "8%", 10, Method.LOWER, "4"),     # no 指标性质: the target text says ≤
        ("", "下降5%", "", "下降3%", 10, Method.LOWER, "6"),  # 下降 implies ≤: −3 against −5
    ],
)
def test_method_follows_the_comparison(comparison, target, unit, actual, weight, method, expected):
    ind = leaf("x", weight, target, actual, Method.AUTO, comparison=comparison, unit=unit)
    s = only(ind)
    assert s.method is method and s.computed == D(expected)


def test_an_explicit_method_stays():
    ind = leaf("x", 10, "98", "95", Method.LOWER, comparison="≥", unit="%")
    assert only(ind).method is Method.LOWER and only(ind).computed == 10


def test_qualitative_comparison_is_tiers():
    ind = leaf("制度健全性", 5, "健全", "健全", Method.AUTO, comparison="定性", tier=Tier.ACHIEVED)
    s = only(ind)
    assert s.method is Method.TIERS and s.computed == 5


# --- the execution line --------------------------------------------------------------------------------

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
    ev = project(budget=("100", "100", "104.23"))
    s = score_evaluation(ev)
    assert format_rate(s.execution_rate) == "104.23%" and s.execution_computed == D("10")


@pytest.mark.parametrize(
    "rule_set, line_weight, spent, expected",
    [
        ("mof", 10, "97.312", "9.73"),
        ("mof", 10, "120", "10"),
        ("hubei", 20, "97.312", "19.46"),   # 湖北: rate × 20
        ("hubei", 20, "104.23", "20"),      # 不设加分项
        ("jiangxi", 10, "100", "10"),       # 江西 steps
        ("jiangxi", 10, "99.9", "7"),
        ("jiangxi", 10, "80", "7"),
        ("jiangxi", 10, "79.99", "5"),
        ("jiangxi", 10, "60", "5"),
        ("jiangxi", 10, "59.99", "0"),
        ("jiangxi", 10, "120", "10"),
        ("sichuan", 10, "85", "8.5"),
    ],
)
def test_execution_scoring_per_rule_set(rule_set, line_weight, spent, expected):
    ev = project(budget=("100", "100", spent), rule_set=rule_set)
    ev.execution.weight = D(line_weight)
    assert score_evaluation(ev).execution_computed == D(expected)


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
    assert grade_for(D(total), get_rule_set("hubei")) == grade  # 湖北 keeps 90/80/60


def test_format_score_drops_trailing_zeros():
    assert format_score(D("96.80")) == "96.8"
    assert format_score(D("7.50")) == "7.5"
    assert format_score(D("100.00")) == "100"
    assert format_score(D("9.473684")) == "9.47"
    assert format_score(None) == ""


# --- one form, two rule sets --------------------------------------------------------------------------

def test_the_same_form_scores_differently_under_hubei():
    """A 财政部-built form switched to 湖北: tier defaults and the execution line follow 湖北."""
    tiers = leaf("政策知晓度", 10, "较高", "部分达成", Method.TIERS, tier=Tier.NOT_ACHIEVED)
    quantity = leaf("参保人数", 80, "232人", "232人", Method.HIGHER)
    ev = project(group("产出指标", None, quantity), group("满意度指标", None, tiers),
                 budget=("100", "100", "90"))
    mof = score_evaluation(ev)
    ev.rule_set = "hubei"
    hubei = score_evaluation(ev)
    assert (mof.of(tiers).computed, hubei.of(tiers).computed) == (D("5.9"), D("4.9"))
    assert (mof.execution_computed, hubei.execution_computed) == (D(9), D(9))  # same line weight 10
    assert (mof.total, hubei.total) == (D("94.9"), D("93.9"))
    assert mof.rules.id == "mof" and hubei.rules.id == "hubei"
