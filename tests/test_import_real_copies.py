"""Readings of real copies that round 2 of issue 13 added, each on a small text in the shape the
real forms of tests/fixtures/real come in: comparison signs lost by OCR (put back only where the
row's own figures prove it, each one a 导入提示 on its cell), funds written as sentences (四川 专项资金
自评表), the 河北 layout, the 区域绩效目标自评表 score column, names a copy wrapped over lines, a
reason told from the next row's name, the notes and page furniture around a form."""

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


# --- one cell per line: names wrapped over lines, points on a line of their own ----------------------

_UNIT_WRAPPED = "\n\n".join("""部门整体支出绩效自评表
(2022年度)
预算单位名称
某县林业局
年度资金总额
年初
预算数
全年预算数
全年
执行数
分值
执行率
得分
年度资金总额
120万元
120万元
108万元
10
90%
9
一级指标
二级指标
三级指标
年度
指标值
实际
完成值
分值
得分
偏差原因
分析及
改进措施
产出指标
(60)
数量
指标
造林面积
1.2万亩
1.2万亩
30
30
质量
指标
造林成活率
85%
80%
30
28
效益指标
(30分)
经济效
益指标
林产品收入
2.6亿元
2.45亿元
30
28""".split("\n"))


def test_names_wrapped_over_lines_are_one_name_again():
    result = import_text(_UNIT_WRAPPED)
    ev = result.document.unit_evaluation
    assert result.document.unit.name == "某县林业局"
    assert (ev.budget.total.initial_budget, ev.budget.total.annual_budget, ev.budget.total.spent) == (
        wan_to_fen(Decimal(120)), wan_to_fen(Decimal(120)), wan_to_fen(Decimal(108)))
    leaves = [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.walk() if not n.children]
    assert leaves == [("造林面积", "1.2万亩", "1.2万亩", Decimal(30), Decimal(30)),
                      ("造林成活率", "85%", "80%", Decimal(30), Decimal(28)),
                      ("林产品收入", "2.6亿元", "2.45亿元", Decimal(30), Decimal(28))]
    groups = {n.name: n.weight for n in ev.walk() if n.level == 1}
    assert groups == {"产出指标": Decimal(60), "效益指标": Decimal(30)}      # “(60)” on its own line


# --- ``|`` one cell per line: a reason, or the next row's name -----------------------------------------

_PIPE_CELLS = "\n".join("""绩效目标自评表 (2021年度) |
项目名称 |
临时救助 |
|
一级指标 |
二级指标 |
三级指标 |
分值 |
年度指标值 |
全年实际值 |
得分 |
未完成原因及拟采取的改进措施 |
|
产出指标(50分) |
数量指标 |
★★★特困人员救助供养人数(按月平均)(≥**人) |
20 |
>=4754人 |
4604人 |
20 |
特困人员实行动态管理 |
|
|
|
扶贫临时救助人数(按月平均)(≥**人) |
10 |
>=7人 |
7人 |
10 |
|
|
|
扶贫临时救助标准——一户年最高5300元 |
20 |
<=5300元/户 |
5000元/户 |
20 |
|""".split("\n"))


def test_a_reason_is_told_from_the_next_rows_name_by_what_follows_it():
    _, ev = _project(_PIPE_CELLS)
    leaves = [n for n in ev.walk() if not n.children]
    assert [n.name for n in leaves] == ["特困人员救助供养人数(按月平均)(≥**人)", "扶贫临时救助人数(按月平均)(≥**人)",
                                        "扶贫临时救助标准——一户年最高5300元"]
    assert leaves[0].deviation_note == "特困人员实行动态管理"
    assert leaves[1].deviation_note == ""
    # a name ending in a figure keeps it when its values stand in cells of their own
    assert (leaves[2].weight, leaves[2].target, leaves[2].actual) == (Decimal(20), "≤5300元/户", "5000元/户")


# --- what stands around a form on a web page --------------------------------------------------------------

_PAGE = """首页 > 政务公开 > 重点领域公开 > 专项资金
时间:2022-08-17 | 来源:某县交通运输局
某县项目清单
序号
项目名称
备注
1
乡村道路养护资金自评表
2
普通省道补助资金自评表
   车辆购置税收入补助地方资金(普通省道公路建设)绩效目标自评
(2021年度)
转移支付(项目)名称车辆购置税收入补助地方资金(普通省道公路建设)
中央主管部门财政部
地方主管部门某县交通运输局资金使用单位某县交通运输局
项目资金
(万元)
全年预算数(A)全年执行数(B)预算执行率(B/A)
年度资金总额:40004000100%
绩效指标一级指标二级指标三级指标指标值全年实际完成值未完成原因和改进措施
数量指标建设普通省道二级公路32.1公里2020
质量指标建设符合验收要求2020
说明
注:1.资金使用单位按项目填报。
    2.其他资金包括与中央财政资金、地方财政资金共同投入到同一项目的自有资金。
"""


def test_page_furniture_is_no_form_and_names_inside_words_are_no_labels():
    result = import_text(_PAGE)
    projects = result.document.projects
    assert [ev.name for ev in projects] == ["车辆购置税收入补助地方资金(普通省道公路建设)"]   # the list is no form
    ev = projects[0]
    assert result.document.year == 2021                       # the year line under the title
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal(4000))
    leaves = [(n.name, n.target, n.actual) for n in ev.walk() if not n.children]
    assert leaves == [("建设普通省道二级公路32.1公里", "20", "20"), ("建设符合验收要求", "20", "20")]
    # the notes under the form (“其他资金包括…”) are no funds row and no indicator
    assert ev.budget.source("other_funds").is_empty()


# --- names whose characters OCR put out of order --------------------------------------------------------

def test_scrambled_group_names_are_read_and_reported():
    text = ("项目自评表项目名称渔业补贴主管部门区农业局"
            "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分"
            "出标产指数量指标补贴渔船数6620质量指标渔船补贴发放率100%100%10"
            "益标效指社会效益指标渔民增收户数40户40户20总分50")
    result, ev = _project(text)
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标"]
    assert any("“出标产指”是字序错乱的“产出指标”" in line for line in result.report)


def test_names_in_their_order_are_never_taken_for_scrambled_ones():
    text = ("项目自评表项目名称渔业补贴主管部门区农业局"
            "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分"
            "产出指标数量指标补贴渔船数6件6件5050效益指标社会效益指标渔民增收户数40户40户5050总分100100")
    result, ev = _project(text)
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标"]
    assert not any("字序错乱" in line for line in result.report)


# --- 重庆 部门整体绩效自评表: a flat list run together, each row ending in 是否核心指标 -----------------------

_CHONGQING = ("部门整体绩效自评表主管部门某区融媒体中心财政处室行政政法处自评总分(分)96"
              "当年绩效目标年初绩效目标全年目标实际完成情况保障中心运转中心2022年较好地完成了履职任务"
              "指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
              "预算完成率%定量指标70%76%100%22是"
              "党性教育培训次数次定量指标6次12次100%55否"
              "播发稿件数量篇定量指标2200篇2859篇100%1010是"
              "管理制度健全性定性指标高高100%33否")


def test_a_flat_list_whose_rows_end_in_yes_or_no_is_cut_into_its_rows():
    result = import_text(_CHONGQING)
    ev = result.document.unit_evaluation            # the title is the only place that says 部门整体
    leaves = [(n.name, n.target, n.actual, n.weight, n.score_override) for n in ev.walk() if not n.children]
    assert leaves == [("预算完成率", "70%", "76%", Decimal(2), Decimal(2)),
                      ("党性教育培训次数", "6次", "12次", Decimal(5), Decimal(5)),
                      ("播发稿件数量", "2200篇", "2859篇", Decimal(10), Decimal(10)),
                      ("管理制度健全性", "高", "高", Decimal(3), Decimal(3))]
    # 得分系数 (100%) is passed over; 调整指标值 is empty, so 年初指标值 is the target
    assert result.document.year == 2022               # the one year the form's texts speak of, reported
    assert any("只提到 2022 年" in line for line in result.report)


def test_texts_that_speak_of_two_years_give_none():
    text = _CHONGQING.replace("保障中心运转中心2022年", "保障中心运转2021年至2022年中心")
    result = import_text(text)
    assert result.document.year in (0, None)
