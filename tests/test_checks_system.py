"""The checks the 一体化 systems apply (SPEC §8), switched and tuned by the rule set.

Each finding names its rule (``rule``) and carries the rule's text with its source
(``why``) for the 审核 panel's 为什么 view; messages carry the numbers.
"""

from decimal import Decimal as D

import pytest

from perfdesk.checks import BUILTIN_RULES, check_evaluation
from perfdesk.model import Amounts, Evaluation, ExecutionLine, Indicator, Method, Tier, parse_wan
from perfdesk.scoring import score_evaluation


def leaf(name, weight, target="100%", actual="100%", method=Method.HIGHER, **kw):
    return Indicator(name=name, weight=D(str(weight)), target=target, actual=actual, method=method, **kw)


def group(name, weight, *children):
    g = Indicator(name=name, weight=None if weight is None else D(str(weight)))
    for c in children:
        g.add(c)
    return g


def project(*leaves, budget=("100", "100", "100"), rule_set="", execution=True):
    """A 财政部 project form: 产出 (the given leaves + a 成本 line), 效益, 满意度; weights 90 + 10."""
    ev = Evaluation(name="测试项目", layout="project-mof", execution=ExecutionLine() if execution else None,
                    rule_set=rule_set)
    a, b, c = budget
    ev.budget.total = Amounts(parse_wan(a), parse_wan(b), parse_wan(c))
    leaves = list(leaves) or [leaf("参保人数", 40, "232人", "232人")]
    rest = D(50) - sum(x.weight for x in leaves) - 10
    ev.add(group("产出指标", None, group("数量指标", None, *leaves),
                 group("成本指标", None, leaf("人均成本", 10, "≤100元", "95元", Method.LOWER))))
    if rest:
        ev.indicators[0].children[0].add(leaf("发放及时率", rest))
    ev.add(group("效益指标", None, group("社会效益指标", None, leaf("待遇发放完成率", 30))))
    ev.add(group("满意度指标", None, group("服务对象满意度指标", None, leaf("满意度", 10, "≥95%", "99%"))))
    return ev


def found(ev, code=None):
    out = check_evaluation(ev, score_evaluation(ev))
    return [f for f in out if code is None or f.code == code]


def codes(ev):
    return {f.code for f in found(ev)}


def test_a_clean_form_has_no_findings_under_every_rule_set():
    for rule_set in ("mof", "jiangxi", "sichuan", "guangxi", "shanxi"):
        assert codes(project(rule_set=rule_set)) == set(), rule_set


# --- issue 11 item 1: values and execution above 100% ---------------------------------------------

@pytest.mark.parametrize("actual", ["-5%", "－5%", "下降5%", "−5%"])
def test_issue11_item1_negative_change_against_le_zero_scores_full(actual):
    three = leaf("“三公”经费变动率", 10, "≤0%", actual, Method.LOWER)
    ev = project(three)
    s = score_evaluation(ev)
    assert s.of(three).computed == 10
    assert not [f for f in found(ev) if f.indicator_uid == three.uid]


def test_issue11_item1_execution_above_100_percent_is_reported():
    ev = project(budget=("100", "100", "104.23"))
    s = score_evaluation(ev)
    assert s.execution_computed == 10  # full marks, no bonus
    [f] = found(ev, "execution_over_budget")
    assert "104.23%" in f.message and "104.23" in f.message and "100.00" in f.message and "10 分" in f.message
    assert f.field == "budget.total.spent" and f.place.related == ("budget.total.annual_budget",)
    assert f.rule == "checks.execution_over_budget" and "依据" in f.why
    assert not found(project(budget=("100", "100", "100")), "execution_over_budget")


def test_execution_over_budget_can_be_switched_off(own_rules):
    (own_rules / "quiet.json").write_text(
        '{"id": "quiet", "extends": "mof", "name": "不提示超支", "source": "测试",'
        ' "checks": {"execution_over_budget": {"enabled": false}}}', encoding="utf-8")
    assert not found(project(budget=("100", "100", "104.23"), rule_set="quiet"), "execution_over_budget")


# --- over-achievement ------------------------------------------------------------------------------

def test_over_achievement_notice_at_120_percent():
    big = leaf("培训人次", 20, "≥200人次", "250人次")
    ev = project(big)
    [f] = found(ev, "over_achievement")
    assert f.severity == "warning" and "125.00%" in f.message and "120.00%" in f.message
    assert f.indicator_uid == big.uid and f.rule == "over_achievement"
    big.actual = "239人次"  # 119.5%
    assert not found(ev, "over_achievement")
    big.actual = "250人次"
    big.deviation_note = "上级追加任务"
    assert not found(ev, "over_achievement")


def test_guangxi_requires_a_reason_from_130_percent():
    big = leaf("培训人次", 20, "≥200人次", "260人次")
    ev = project(big, rule_set="guangxi")
    [f] = found(ev, "over_achievement_reason")
    assert "130.00%" in f.message and f.field == "deviation_note"
    assert "130%" in f.why and "广西" in f.why
    big.actual = "250人次"  # 125%: only the notice
    assert codes(ev) >= {"over_achievement"} and "over_achievement_reason" not in codes(ev)
    assert not found(project(leaf("培训人次", 20, "≥200人次", "260人次")), "over_achievement_reason")


def test_guangxi_zero_target_reason_at_30():
    zero = leaf("新增投诉", 20, "0件", "30件")
    ev = project(zero, rule_set="guangxi")
    assert found(ev, "over_achievement_reason")
    zero.actual = "29件"
    assert not found(ev, "over_achievement_reason")


# --- 自评预警 ----------------------------------------------------------------------------------------------

def test_early_warning_when_scores_run_ahead_of_spending():
    ev = project(budget=("2", "2", "0.59"))  # 29.5%: 2.95 of 10, indicators 90 of 90
    [f] = found(ev, "early_warning")
    assert "100.00%" in f.message and "29.50%" in f.message and f.rule == "checks.early_warning"
    [gap] = found(ev, "execution_gap")
    assert "1.41" in gap.message and "70.50%" in gap.message
    assert not found(project(budget=("2", "2", "1.9")), "early_warning")  # 95%: within 5%


def test_execution_gap_for_a_zero_budget():
    ev = project(budget=("0", "0", "0"))
    assert found(ev, "execution_gap")
    ev = project(budget=("100", "100", "85"))  # 15% unspent: no yellow light
    assert not found(ev, "execution_gap")


# --- 四川 ----------------------------------------------------------------------------------------------------

def test_sichuan_execution_below_90_needs_a_reason():
    ev = project(budget=("100", "100", "85"), rule_set="sichuan")
    [f] = found(ev, "execution_reason_missing")
    assert "85.00%" in f.message and "90.00%" in f.message and "100 字" in f.message
    assert f.field == "narrative.execution_reason"
    ev.narrative["execution_reason"] = "部分采购合同跨年支付。"
    assert not found(ev, "execution_reason_missing")
    assert not found(project(budget=("100", "100", "85")), "execution_reason_missing")  # 财政部: no such rule


def test_sichuan_text_limits():
    ev = project(rule_set="sichuan")
    ev.narrative["conclusion"] = "好" * 200
    assert not found(ev, "text_too_long")
    ev.narrative["conclusion"] = "好" * 201
    [f] = found(ev, "text_too_long")
    assert "201" in f.message and "200" in f.message and f.field == "narrative.conclusion"
    ev.narrative["execution_reason"] = "因" * 101
    assert {f.field for f in found(ev, "text_too_long")} == {"narrative.conclusion", "narrative.execution_reason"}


# --- entries left unfinished --------------------------------------------------------------------------------

def test_placeholders_left_in():
    a = leaf("指标1", 20, "XXX", "*")
    ev = project(a)
    ev.narrative["problems"] = "……"
    fields = {(f.indicator_uid, f.field) for f in found(ev, "placeholder_left")}
    assert fields == {(a.uid, "name"), (a.uid, "target"), (a.uid, "actual"), (None, "narrative.problems")}
    a.name, a.target, a.actual = "指标10个数", "10个", "10个"  # “指标10” is not “指标1”
    ev.narrative["problems"] = "资金拨付较慢……"
    assert not found(ev, "placeholder_left")


def test_quantitative_target_that_is_not_a_number():
    a = leaf("覆盖单位数", 20, "核定单位数量", "核定单位数量", Method.AUTO, comparison="≥")
    ev = project(a)
    [f] = found(ev, "target_not_number")
    assert "≥" in f.message and "核定单位数量" in f.message and f.field == "target"
    assert not [x for x in found(ev, "value_unreadable") if x.field == "target"]  # said once


def test_weight_not_positive():
    a = leaf("参保人数", 0, "232人", "232人")
    ev = project(a, leaf("参保人数2", 40, "1人", "1人"))
    [f] = found(ev, "weight_not_positive")
    assert f.severity == "error" and f.field == "weight"
    a.target = a.actual = ""  # an empty 0-point row (晋中's unused lines) is no finding
    assert not found(ev, "weight_not_positive")


def test_categories_present_on_a_project_form():
    ev = project()
    ev.indicators.pop()  # no 满意度指标
    [f] = found(ev, "category_missing")
    assert "满意度指标" in f.message and f.field == "indicators"


def test_shanxi_cost_indicator():
    ev = project(rule_set="shanxi")
    ev.indicators[0].children.pop()  # no 成本指标
    [f] = found(ev, "cost_indicator_missing")
    assert "5 分" in f.message and "山西" in f.why
    assert not found(project(), "cost_indicator_missing")  # 财政部: not checked
    ev = project(rule_set="shanxi")
    cost = ev.indicators[0].children[1].children[0]
    cost.target, cost.actual, cost.method, cost.tier = "控制在预算内", "达成预期指标", Method.TIERS, Tier.ACHIEVED
    [f] = found(ev, "cost_indicator_capped")
    assert "10" in f.message and "5" in f.message


def test_deduction_needs_its_step_in_the_rule_text():
    a = leaf("在职人员控制率", 20, "≤100%", "103%", Method.DEDUCTION, rule_text="超编扣分")
    ev = project(a)
    assert found(ev, "deduction_step_missing")
    a.rule_text = "每超过一个百分点扣0.5分，扣完为止"
    assert not found(ev, "deduction_step_missing")
    assert score_evaluation(ev).of(a).computed == D("18.5")


def test_hubei_execution_weight():
    ev = project(rule_set="hubei")
    [f] = found(ev, "execution_weight_mismatch")
    assert "10" in f.message and "20" in f.message and f.field == "execution.weight"


def test_tier_band_follows_the_rule_set():
    t = leaf("政策知晓度", 10, "较高", "部分达成", Method.TIERS, tier=Tier.PARTIAL, score_override=D(5))
    ev = project(t)
    [f] = found(ev, "tier_out_of_band")
    assert "[6, 8)" in f.message and f.rule == "methods.tiers" and "60%" in f.why
    ev.rule_set = "hubei"
    assert not found(ev, "tier_out_of_band")  # 湖北: 部分达成 50%–80%


def test_unknown_rule_set_scores_by_mof_and_says_so():
    ev = project(rule_set="xinjiang")
    s = score_evaluation(ev)
    assert s.rules.id == "mof"
    [f] = found(ev, "rule_set_unknown")
    assert "xinjiang" in f.message and "财政部" in f.message


def test_every_finding_explains_its_rule_with_a_source():
    """为什么: each finding's rule text names where the rule comes from."""
    t = leaf("政策知晓度", 10, "较高", "部分达成", Method.TIERS, tier=Tier.PARTIAL, score_override=D(5))
    ev = project(t, leaf("指标1", 10, "XXX", "1"), budget=("2", "2", "2.5"), rule_set="sichuan")
    ev.stated_total = D(1)
    ev.stated_grade = "优"
    ev.indicators[0].weight = D(1)
    findings = found(ev)
    assert len({f.code for f in findings}) >= 6
    for f in findings:
        assert f.rule and "依据：" in f.why and "评价规则：四川省" in f.why, f


def test_builtin_rules_cover_the_spec_codes():
    for code in ("weight_sum_mismatch", "weight_total_not_100", "score_over_weight", "total_mismatch",
                 "budget_identity", "deviation_note_missing", "actual_missing", "value_unreadable"):
        assert BUILTIN_RULES[code].source


@pytest.fixture
def own_rules(tmp_path, monkeypatch):
    """A user's rule folder (评价规则 in the settings folder)."""
    from perfdesk.scoring import rules

    folder = tmp_path / "评价规则"
    folder.mkdir()
    rules.use_user_folder(folder)
    yield folder
    rules.use_user_folder(None)
