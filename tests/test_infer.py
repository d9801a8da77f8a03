"""Method and tier inference, with real indicators from the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.exchange.infer import infer_method, infer_tier
from perfdesk.model.document import Indicator, Method, Tier


def ind(name, target="", actual="", weight=None, score=None):
    return Indicator(
        name=name, target=target, actual=actual,
        weight=None if weight is None else Decimal(str(weight)),
        score_override=None if score is None else Decimal(str(score)),
    )


@pytest.mark.parametrize("indicator, expected", [
    # qualitative targets / actuals → three tiers (seed 000, 002, 003)
    (ind("中长期规划健全性", "健全", "健全", 1, 1), Method.TIERS),
    (ind("资金使用合规性", "合规", "符合", 2, 2), Method.TIERS),
    (ind("百姓对政策的理解程度", "基本理解", "基本理解", 4, 3), Method.TIERS),
    (ind("确保基金正常运转", "正常运转", "完成", 10, 10), Method.TIERS),
    (ind("保障禁捕、退捕渔民正常生产生活", "有效保障", "有效保障", 15, 15), Method.TIERS),
    # an actual like 达成预期指标 → tiers even with a numeric or ≤ target (seed 001)
    (ind("运转保障率", "≤核定单位数量", "达成预期指标", 20, 20), Method.TIERS),
    (ind("项目单项成本", "100%", "达成预期指标", 10, 10), Method.TIERS),
    (ind("群众满意度", "100%", "达成预期指标", 10, 10), Method.TIERS),
    # ≤ targets and cost / rate names → lower is better (seeds 000, 001, 002)
    (ind("预算调整率", "≤5%", "2. 47%", 1, 1), Method.LOWER),
    (ind("公用经费控制率", "≤100%", "100%", 1, 1), Method.LOWER),
    (ind("“三公经费”变动率", "≤0%", "0%", 1, 1), Method.LOWER),
    (ind("结转结余率", "0%", "0%", 1, 1), Method.LOWER),
    (ind("在职人员控制率", "100%", "100%", 1, 1), Method.LOWER),
    (ind("项目单项成本", "≤3000000", "3000000", 10, 10), Method.LOWER),
    (ind("预算成本控制情况", "38万元", "0万", 10, 10), Method.LOWER),
    # comparable numbers → higher is better (seeds 000, 002)
    (ind("支付进度符合率", "100%", "100%", 1, 1), Method.HIGHER),
    (ind("城乡居民参保人数", "31万人", "31.48万人", 10, 10), Method.HIGHER),
    (ind("参保人数", "232人", "236人", 20, 20), Method.HIGHER),
    (ind("乡镇工作人员满意度", "≥95%", "90%", 10, 8), Method.HIGHER),
    (ind("服务对象满意度", "≥98%", "≥98%", 3, "2.7"), Method.HIGHER),
    # nothing to compute from → manual (seed 004 评分表)
    (ind("项目立项规范性", "", "", 3, 3), Method.MANUAL),
    (ind("到位及时率", "", "", 3, 3), Method.MANUAL),
    # numbers in different units cannot be compared → manual
    (ind("参保人数", "31万人", "98%", 10, 10), Method.MANUAL),
])
def test_infer_method(indicator, expected):
    assert infer_method(indicator, has_budget=True) is expected


def test_rate_names_need_a_budget():
    execution = ind("预算执行率", "100%", "97. 53%", 2, "1.5")  # seed 000
    assert infer_method(execution, has_budget=True) is Method.EXECUTION_RATE
    assert infer_method(execution, has_budget=False) is Method.HIGHER
    arrival = ind("资金到位率", "", "", 3, "2.80")  # seed 004
    assert infer_method(arrival, has_budget=True) is Method.ARRIVAL_RATE
    assert infer_method(arrival, has_budget=False) is Method.MANUAL
    assert infer_method(ind("预算执行率", "", "", 3, 3), has_budget=True) is Method.EXECUTION_RATE


@pytest.mark.parametrize("weight, score, tier", [
    (1, 1, Tier.ACHIEVED),           # 000 中长期规划健全性
    (8, "7.6", Tier.ACHIEVED),       # 000 追回多领冒领养老金及时性 (95%)
    (4, "3.2", Tier.ACHIEVED),       # exactly 80%
    (4, 3, Tier.PARTIAL),            # 000 百姓对政策的理解程度 (75%)
    (3, "2.2", Tier.PARTIAL),        # 000 提高上访及诉讼对象对政策的理解程度 (73%)
    (5, 3, Tier.PARTIAL),            # exactly 60%
    (10, 5, Tier.NOT_ACHIEVED),
    (10, 0, Tier.NOT_ACHIEVED),
])
def test_tier_from_stated_score(weight, score, tier):
    assert infer_tier(ind("定性指标", "健全", "健全", weight, score)) is tier


def test_tier_from_actual_text_without_score():
    assert infer_tier(ind("运转保障率", "≤核定单位数量", "达成预期指标", 20)) is Tier.ACHIEVED
    assert infer_tier(ind("制度建设", "健全", "部分达成", 2)) is Tier.PARTIAL
    assert infer_tier(ind("制度建设", "健全", "未完成", 2)) is Tier.NOT_ACHIEVED
    assert infer_tier(ind("预算编制科学性", "科学", "科学", 1)) is Tier.ACHIEVED  # actual repeats target
    assert infer_tier(ind("预算编制科学性", "科学", "", 1)) is None


def test_zero_weight_uses_the_text():
    assert infer_tier(ind("生态效益", "有效", "达成预期指标", 0, 0)) is Tier.ACHIEVED
