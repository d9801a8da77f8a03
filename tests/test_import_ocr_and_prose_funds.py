"""Readings of real copies that round 2 of issue 13 added: comparison signs lost by OCR (put back
only where the row's own figures prove it, each one a 导入提示 on its cell), and funds written as
sentences (四川 专项资金 自评表: “年度金额(提前下达):208万元 资金使用情况(万元)合计:109.8万元”)."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.checks import check_evaluation
from perfdesk.exchange.ocr_signs import repair_value
from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen
from perfdesk.scoring import score_evaluation


# --- the repair rule itself ------------------------------------------------------------------------

def test_w_before_a_number_is_a_lost_less_or_equal():
    fixed, reason = repair_value("W5%", "3%", "结余率")
    assert fixed == "≤5%"
    assert "≤" in reason


def test_a_share_above_100_percent_only_by_a_leading_2_is_a_lost_greater_or_equal():
    fixed, reason = repair_value("290%", "100%", "服务对象满意度")
    assert fixed == "≥90%"
    assert "290%" in reason and "请核对" in reason


def test_the_other_value_must_be_a_share_close_to_the_figure():
    assert repair_value("290%", "30%", "满意度") is None         # 30% is no reading of ≥90%
    assert repair_value("290%", "300%", "满意度") is None        # the row itself is above 100%
    assert repair_value("290%", "", "满意度") is None            # nothing to compare with
    assert repair_value("290%", "合格", "满意度") is None


def test_growth_can_exceed_100_percent_and_is_left_alone():
    assert repair_value("215%", "15%", "贷款发放额增长率") is None
    assert repair_value("290%", "90%", "担保基金放大倍数") is None


def test_plain_values_are_never_touched():
    for value, other in (("90%", "100%"), ("≥90%", "95%"), ("100%", "100%"), ("20", "20"), ("2000人", "2010人"),
                         ("150%", "50%"), ("205%", "100%")):
        assert repair_value(value, other, "满意度") is None, value


# --- in an import ----------------------------------------------------------------------------------

_FORM_20_80 = (
    "2020年度项目自评表单位名称:农业科填报日期:项目名称渔业补贴主管部门区农业局项目实施单位农业科"
    "预算执行情况(万元)(20分)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)"
    "年度财政资金总额1.561.56120"
    "二级指标三级指标年初目标值(A)实际完成值(B)得分"
    "数量指标补贴渔船数6620质量指标渔船补贴发放率100%100%10时效指标补贴发放及时率100%100%10"
    "满意度指标退捕渔民抽样调查满意度90%290%40总分100"
)


def _project(text):
    result = import_text(text)
    return result, result.document.projects[0]


def test_the_repaired_value_and_its_note_reach_the_document():
    result, ev = _project(_FORM_20_80)
    leaf = next(n for n in ev.walk() if n.name.endswith("满意度") and not n.children)
    assert leaf.actual == "≥90%"
    notes = [line for line in result.report if "≥90%" in line]
    assert notes and "导入提示" in notes[0]
    codes = {f.code for f in check_evaluation(ev, score_evaluation(ev))}
    assert "import_uncertain" in codes


def test_weights_of_a_form_without_a_weight_column_follow_from_the_scores_and_the_execution_line():
    """The header “年度绩效目标(80分)” is missing: the indicators get what the 20-point execution
    line leaves of 100, each weight read from score ÷ (actual ÷ target) — possible only with the
    repaired ≥90%, and each one an 导入提示."""
    result, ev = _project(_FORM_20_80)
    weights = [n.weight for n in ev.walk() if not n.children]
    assert weights == [Decimal(20), Decimal(10), Decimal(10), Decimal(40)]
    assert score_evaluation(ev).weight_total == 100
    assert sum("分值 40 由 得分" in line for line in result.report) == 1


def test_weights_stay_empty_when_the_scores_do_not_give_the_remaining_points():
    text = _FORM_20_80.replace("补贴渔船数6620", "补贴渔船数6615")   # 15 + 10 + 10 + 40 = 75, not 80
    _, ev = _project(text)
    assert all(n.weight is None for n in ev.walk() if not n.children)


_PROSE_FUNDS = (
    "专项名称普惠金融发展专项资金省级主管部门四川省财政厅资金情况(万元)年度金额(提前下达):208万元"
    "资金使用情况(万元)合计:109.8万元中央财政165万元中央财政84.5万元"
    "绩效目标完成情况一级指标二级指标三级指标指标值完成值权重得分"
    "产出指标数量指标创业担保贷款发放额增长率≥10%115.25%50%50"
    "满意度指标服务对象满意度指标个人满意度≥80%100%50%50得分合计100。"
)


def test_funds_written_as_sentences_are_read_as_the_total_row():
    _, ev = _project(_PROSE_FUNDS)
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("208"))
    assert ev.budget.total.spent == wan_to_fen(Decimal("109.8"))


def test_one_sentence_amount_is_no_funds_block():
    _, ev = _project(_PROSE_FUNDS.replace("资金使用情况(万元)合计:109.8万元", ""))
    assert ev.budget.total.spent is None


# --- 河北 预算项目绩效自评表: cells between single spaces, two header rows, a sentence per row --------

_HEBEI = """某县民政局2021年度预算项目绩效自评表
一、基本情况 项目名称: 高龄津贴 是否为专项资金: 实施(主管)单位 某县民政局 金额单位: 万元
二、预算执行情况 预算安排情况(调整后) 资金到位情况 资金执行情况 预算执行进度(%)
预算数 12.5 到位数 12.5 执行数 10.0 80.00
其中:财政资金 12.5 其中:财政资金 12.5 其中:财政资金 10.0
四、年度绩效指标完成情况 一级指标 二级指标 三级指标 指标分值 预期指标值 单项指标实际完成值 单项指标完成情况 自评得分
符号 单位(文字描述) 单项指标得分 权重占比(%) 单项指标折算得分
产出指标 数量指标 发放人数 按月发放津贴的老人人数 >= 300 人 310 完成 40.00 40.00 16.00
质量指标 发放准确率 发放金额无差错的比例 = 100 %(百分比) 100% 完成 30.00 30.00 9.00
满意度指标 服务对象满意度指标 老人满意度 领取津贴的老人的满意程度 >= 90 %(百分比) 95% 完成 20.00 20.00 4.00
"""


def test_hebei_rows_keep_their_columns_past_the_sentence_and_the_sub_columns():
    result, ev = _project(_HEBEI)
    leaves = [n for n in ev.walk() if not n.children and n.level == 3]
    assert [n.name for n in leaves] == ["发放人数", "发放准确率", "老人满意度"]
    assert [n.target for n in leaves] == ["≥300人", "=100%", "≥90%"]
    assert [n.actual for n in leaves] == ["310人", "100%", "95%"]   # 度量单位 applies to both
    # 单项指标得分 is the score; 权重占比 and 折算得分 are passed over, not read as the next row
    assert [n.score_override for n in leaves] == [Decimal(40), Decimal(30), Decimal(20)]
    # the sentence is the row's 指标解释, not lost and not a column shift
    assert [n.rule_text for n in leaves] == ["按月发放津贴的老人人数", "发放金额无差错的比例", "领取津贴的老人的满意程度"]


def test_hebei_funds_written_as_label_value_pairs():
    _, ev = _project(_HEBEI)
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("12.5"))
    assert ev.budget.total.spent == wan_to_fen(Decimal("10.0"))
    source = ev.budget.sources["appropriation"]
    assert (source.annual_budget, source.spent) == (wan_to_fen(Decimal("12.5")), wan_to_fen(Decimal("10.0")))


# --- 区域绩效目标自评表: the scores in a right-hand 自评得分 column, one cell per line ---------------

_REGION = "\n\n".join("""区域绩效目标自评表
专项名称
畜牧发展补助资金
中央主管部门
农业农村部
自评得分
省级主管部门
省农业农村厅
95
预算执行情况
预算数:
12.5
执行数:
12.5
20
年度绩效指标完成情况
一级指标
二级指标
三级指标
年度指标值
实际完成指标值
75
产出指标
数量指标
指标1:补助养殖户数
120户
118户
40
时效指标
指标1:资金发放完成时间
2022年12月31日
2022年12月31日
35""".split("\n"))


def test_the_right_hand_score_column_gives_each_row_its_score_and_the_form_its_total():
    result, ev = _project(_REGION)
    leaves = [n for n in ev.walk() if not n.children and n.level == 3]
    assert [(n.name, n.target, n.actual, n.score_override) for n in leaves] == [
        ("补助养殖户数", "120户", "118户", Decimal(40)),
        ("资金发放完成时间", "2022年12月31日", "2022年12月31日", Decimal(35))]
    assert ev.stated_total == 95
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("12.5"))
    assert result.document.year == 2022                       # from the year-end deadline, reported
    assert any("年末期限 2022" in line for line in result.report)


def test_without_the_score_column_heading_a_trailing_figure_is_no_score():
    text = _REGION.replace("自评得分\n\n", "")
    _, ev = _project(text)
    assert all(n.score_override is None for n in ev.walk())


def test_deadlines_of_different_years_give_no_year():
    text = _REGION.replace("2022年12月31日\n\n2022年12月31日", "2023年12月31日\n\n2022年12月31日")
    result, _ = _project(text)
    assert result.document.year in (0, None)
