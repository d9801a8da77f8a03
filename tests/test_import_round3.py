"""Rules added for the third round of real forms (issue 13): each a small synthetic text of the shape."""

from __future__ import annotations

from perfdesk.exchange.readers.text import text_items


def _rows(text: str) -> list[list[str]]:
    return [it.cells for it in text_items(text) if it.is_row]


def test_a_colon_after_a_label_in_a_stream_is_no_part_of_its_value():
    rows = _rows("关于项目支出绩效自评情况报告\n项目名称:示范管理专项\n项目单位:某省农机局\n主管部门:某省农业厅\n")
    assert ["项目名称:", "示范管理专项"] in rows
    assert all(not c.startswith((":", "：")) for r in rows for c in r)


def test_a_cell_of_several_sub_criteria_with_points_is_a_rule_not_a_group():
    from perfdesk.exchange.readers.align import cell_type

    assert cell_type("符合法律法规(1分) 符合发展规划(1分) 针对实际需求(2分)") == "text"
    assert cell_type("决策 依据 (4分)") == "group"


_SCORING_TABLE = """某某调查项目2021年预算绩效自评
附件7
2020年项目支出绩效自评指标计分表
一级 指标 |
二级 指标 |
三级 指标 |
自评分 |
具体指标 |
评价标准 |
得分 |
项 目 决 策 (15分) |
决策 过程 (8分) |
决策 依据 (4分) |
4 |
有关法律法规的明确规定;某部门年度工作计划 |
符合法律法规(2分) 部门年度工作计划(2分) |
|
决策 程序 (4分) |
3 |
项目符合申报条件;申报、批复程序符合相关管理办法 |
符合申报条件(2分) 批复程序符合管理办法(2分) |
|
||
资金 分配 (7分) |
分配 办法 (3分) |
3 |
有相应的资金管理办法 |
有资金管理办法(1分) 因素全面合理(2分) |
|
|
分配 结果 (4分) |
4 |
分配结果公平合理 |
符合分配办法(2分) 分配公平合理(2分) |
|
||
项 目 管 理 (25分) |
资金 到位 (5分) |
到位率 (3分) |
3 |
实际到位/计划到位*100% |
根据到位率计算得分 |
|
到位 时效 (2分) |
2 |
资金及时到位 |
到位及时(2分) 不及时(1分) |
|
||
资金 管理 (10分) |
资金 使用 (7分) |
7 |
支出依据合规 |
虚列套取扣4分 依据不合规扣2分 |
|
|
财务 管理 (3分) |
3 |
制度健全 |
财务
"""


def test_a_project_scoring_table_cut_short_reads_its_title_kind_name_and_tree():
    from perfdesk.exchange.text_import import import_text

    result = import_text(_SCORING_TABLE)
    doc = result.document
    assert len(doc.projects) == 1
    ev = doc.projects[0]
    # the page's heading names the project; the table's title (计分表) says it is a project form
    assert ev.name == "某某调查项目"
    assert doc.year == 2021
    # the 具体指标 / 评价标准 texts are rules, not rows; an item without a score whose points are those
    # of the scored items after it is their group, also where the form is cut short (25 > 5 + 10)
    tree = {n.name: [c.name for c in n.children] for n in ev.walk() if n.children}
    assert tree["资金管理"] == ["资金使用", "财务管理"]
    assert tree["资金到位"] == ["到位率", "到位时效"]
    leaves = [n for n in ev.walk() if not n.children]
    assert [n.score_override for n in leaves] == [4, 3, 3, 4, 3, 2, 7, 3]
    assert "有关法律法规" in leaves[0].rule_text and "符合法律法规(2分)" in leaves[0].rule_text


def test_the_name_a_title_gives_when_the_table_names_no_project():
    from perfdesk.exchange.assembly import name_from_title

    assert name_from_title("持证残疾人基本状况调查2021年预算绩效自评") == "持证残疾人基本状况调查"
    assert name_from_title("彭水自治县2024年度中央对地方转移支付计划生育服务项目绩效自评表") == "中央对地方转移支付计划生育服务项目"
    assert name_from_title("****2024年度林业草原改革发展资金绩效评价表") == "林业草原改革发展资金"
    assert name_from_title("2020年项目支出绩效自评指标计分表") == ""
    assert name_from_title("岳阳市城市管理监督指挥中心2018年度项目支出绩效自评表") == ""   # a unit, not a project
    # a title joined to a file name above it names no project
    assert name_from_title("乡村道路项目自评表.pdf广水市财政预算支出项目绩效目标自评表") == ""


_UNIT_SCORE_SHEET = """3.部门整体支出绩效自评开展情况. 按照预算绩效管理要求,本部门对
2017 年整体支出开展绩 效自评,自评得分
90 分,存在的问题:一是预算编制不够准确.二是专项资 金申报不够及时.
2017 年部门整体支出绩效评价得分表 一级指 标 二级指标 三级指标 得分 部门决 策(25 分) 目标任务(15 分) 相关性(5 分)
5 明确性(5 分)
5 合理性(5 分)
4 预算编制(10 分) 测算依据(5 分)
2 目标管理(5 分)
4 综合管 理(30 分) 专项资金分配时限(2 分) 省级财力专项预算分配时限(1 分)
1 中央专款分配合规........
"""


def test_a_unit_score_sheet_in_single_spaces_after_its_report_paragraph():
    from perfdesk.exchange.text_import import import_text

    result = import_text(_UNIT_SCORE_SHEET)
    doc = result.document
    ev = doc.unit_evaluation
    # “自评得分 90 分,存在的问题…” is a sentence of the report, not the form's total
    assert ev.stated_total is None
    # “…绩效评价得分表” is the form's title (its year, its kind), not a 得分 column
    assert doc.year == 2017 and not doc.projects
    # “相关性(5 分)”: the points stay with their label when cells are separated by single spaces
    leaves = [n for n in ev.walk() if not n.children]
    assert [(n.name, n.weight, n.score_override) for n in leaves] == [
        ("相关性", 5, 5), ("明确性", 5, 5), ("合理性", 5, 4), ("测算依据", 5, 2), ("目标管理", 5, 4),
        ("省级财力专项预算分配时限", 1, 1)]
    # the form is cut inside its last group: the unscored item with points above the last row is its group
    last = [n for n in ev.walk() if n.name == "专项资金分配时限"][0]
    assert [c.name for c in last.children] == ["省级财力专项预算分配时限"]
    assert any("“专项资金分配时限”（2 分）下各项分值合计 1" in line for line in result.report)


def test_an_unscored_item_in_a_complete_group_whose_points_do_not_add_up_stays_an_item():
    from decimal import Decimal as D

    from perfdesk.exchange.families.generic import _partition_by_points
    from perfdesk.model.document import Indicator

    items = [Indicator(name="甲", weight=D(2)), Indicator(name="乙", weight=D(1), score_override=D(1)),
             Indicator(name="丙", weight=D(3), score_override=D(3))]
    assert _partition_by_points(items, None, scored_leaves=True) is None   # 1 + 3 ≠ 2: no group
    blocks = _partition_by_points(items[:2], None, scored_leaves=True, open_end=True)
    assert [[i.name for i in b] for b in blocks] == [["甲", "乙"]]          # cut short: an open group


def test_a_self_evaluation_report_cover_names_the_unit_and_the_year():
    from perfdesk.exchange.text_import import import_text

    text = ("某市2018年度部门整体支出\n\n绩效评价自评报告\n\n部门(单位)名称:  某市数字化城市管理中心    \n\n"
            "预 算 编 码:   906017\n\n评价方式:部门(单位)绩效自评\n\n报告日期:2019年06月18日\n\n"
            "一、部门(单位)基本概况\n\n联系人\n\n张三\n\n联络电话\n\n8690022\n\n人员编制\n\n21\n")
    result = import_text(text)
    doc = result.document
    # “…自评报告” is a report title like “…评价报告”; its cover's 部门(单位)名称 names the unit (not the
    # place before the year in the title); no figure of the cover becomes a budget or a score
    assert doc.unit.name == "某市数字化城市管理中心"
    assert doc.year == 2018
    ev = doc.unit_evaluation
    assert not doc.projects and not ev.indicators and ev.budget.total.is_empty() and ev.stated_total is None


_NUMBERED_COLUMNS = """某县2024年度林业改革发展资金绩效评价表
年度:2024年
资金投入情况
(万元)

行次 全年预算数
(A)
统筹整合资金数
(B)
扣除统筹整合资金后预算金额
(C)
全年到位资金
(D)
预算到位
(D/C×100%)
全年执行资金
(E)
预算执行
(E/C×100%)
佐证材料
列次 0 1 2 3 4 5 6 7 所需材料 上传端口
年度资金总额(万元): 1 60.000000
60.000000 48.000000 80.00% 36.000000 75.00%
其中:中央财政资金(万元) 2 60.000000
60.000000 48.000000 80.00% 36.000000 75.00% 预算下达文件
其他资金(万元) 4
"""


def test_a_funds_table_with_numbered_rows_and_lettered_columns():
    from perfdesk.exchange.text_import import import_text

    doc = import_text(_NUMBERED_COLUMNS).document
    assert len(doc.projects) == 1   # “…资金绩效评价表”: a fund's form is a project's form
    ev = doc.projects[0]
    assert ev.name == "林业改革发展资金" and doc.year == 2024
    # the 行次 “1” is no amount; “预算执行” / “(E/C×100%)” on two lines is one column; the (B) column is
    # empty — the 到位 figures placed by the form's own arithmetic (48 / 60 = 80%)
    assert ev.budget.total.annual_budget == 60 * 1_000_000
    assert ev.budget.total.spent == 36 * 1_000_000


def test_fund_figures_fewer_than_the_numbered_columns_are_placed_by_the_arrival_rate():
    from perfdesk.exchange.families.generic import _fund_fit

    roles_right = {"line_no": "1", "annual_budget": "60", "net_budget": "60", "arrived": "48",
                   "arrival_rate": "80.00%", "spent": "36", "rate": "75.00%"}
    roles_wrong = {"line_no": "1", "annual_budget": "60", "integrated": "60", "net_budget": "48",
                   "arrived": "80.00%", "spent": "36", "rate": "75.00%"}
    assert _fund_fit(roles_right) > _fund_fit(roles_wrong)
    assert _fund_fit({"line_no": "52.8", "annual_budget": "1"}) < _fund_fit({"line_no": "1", "annual_budget": "60"})


def test_the_tail_of_a_form_without_its_header_is_read_by_the_shape_of_its_rows():
    from perfdesk.exchange.text_import import import_text

    text = ("产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 时效指标按时发放率=100% 22.5 "
            "效益指标经济效益指标结余率(计算方法为:结余数/预算数)≤5% 22.5 合计100 评价结论及时、足额缴纳。"
            "存在问题暂无改进措施暂无项目负责人:财务负责人:")
    result = import_text(text)
    ev = result.document.projects[0]
    leaves = [n for n in ev.walk() if not n.children]
    # [groups] name, the target with its comparison, then the 权重 — the columns filled at target time
    assert [(n.name, n.target, n.weight) for n in leaves] == [
        ("足额保障率", "=100%", 22.5), ("科目调整次数", "≤10次", 22.5), ("按时发放率", "=100%", 22.5),
        ("结余率(计算方法为:结余数/预算数)", "≤5%", 22.5)]   # a name inside a bracket is no funds label
    assert [n.name for n in ev.indicators] == ["产出指标", "效益指标"]
    # “合计100” of the weights is no stated total, and nothing is scored
    assert ev.stated_total is None and all(n.score_override is None for n in ev.walk())
    assert any("表头不在本段文字中" in line for line in result.report)


def test_rows_with_comparisons_under_a_header_are_not_read_by_shape():
    from perfdesk.exchange.text_import import import_text

    text = ("一级指标 二级指标 三级指标 指标值 分值 得分\n产出指标 数量指标 足额保障率 =100% 20 20\n"
            "效益指标 社会效益指标 群众知晓率 ≥90% 30 28\n")
    result = import_text(text)
    doc = result.document
    ev = doc.projects[0] if doc.projects else doc.unit_evaluation
    leaves = [n for n in ev.walk() if not n.children]
    assert [(n.name, n.weight, n.score_override) for n in leaves] == [("足额保障率", 20, 20), ("群众知晓率", 30, 28)]
    assert not any("表头不在本段文字中" in line for line in result.report)


def test_prose_that_names_groups_and_targets_stays_prose():
    from perfdesk.exchange.readers.text import text_items

    text = ("一、绩效目标完成情况\n产出指标方面，数量指标全部完成，发放及时率=100%，知晓率≥90%。\n"
            "效益指标方面，社会效益指标达到预期。\n")
    assert all(not it.is_row for it in text_items(text))


def test_pipe_rows_of_a_table_whose_header_is_on_the_page_before():
    from perfdesk.exchange.text_import import import_text

    text = ("产出指标 | 数量指标 | 参保宣传次数 | ≥ | 12 | 次 | 10 | ||||||\n"
            "城乡居民医保参保工作经费发放及时率 | = | 100 | % | 5 | ||||||\n"
            "效益指标 | 社会效益指标 | 群众知晓率 | = | 100 | % | 15 | ||||\n"
            "可持续影响指标 | 参保机制健全性 | 定性 | 优良中低差 | 10 | ||||||\n"
            "合计 | 100 | |||||||||\n"
            "评价结论 | 结合自评情况,说明项目自评总分。(200字以内) | |||||||||\n")
    result = import_text(text)
    ev = result.document.projects[0]
    leaves = [n for n in ev.walk() if not n.children]
    assert [(n.name, n.target, n.weight) for n in leaves] == [
        ("参保宣传次数", "≥12次", 10), ("城乡居民医保参保工作经费发放及时率", "=100%", 5),
        ("群众知晓率", "=100%", 15), ("参保机制健全性", "优良中低差", 10)]
    assert all(n.level == 3 for n in leaves)
    assert ev.stated_total is None and all(n.score_override is None for n in ev.walk())   # 合计 100: weights
    assert any("表头不在本段文字中" in line for line in result.report)


def test_pipe_rows_under_their_header_are_left_as_they_are():
    from perfdesk.exchange.readers.headerless import put_under_implied_header
    from perfdesk.exchange.text_rows import Item

    rows = [["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"]] + \
        [["产出指标", "数量指标", f"指标{k}", "≥", "10", "次", "5"] for k in range(3)]
    items = [Item("row", n, cells=list(r)) for n, r in enumerate(rows)]
    assert [it.cells for it in put_under_implied_header(items)] == rows


def test_a_total_under_the_title_and_a_short_column_name_after_a_figure():
    from perfdesk.exchange.readers.stream import tokens_of

    rows = _rows("某某示范推广项目绩效目标自评表(2022年度)项目总得分99分项目名称某某示范项目实施单位某农技中心")
    assert ["项目总得分", "99"] in rows   # “项目总得分” is the form's stated total
    tokens, _ = tokens_of(["指标3一级种薯繁育基地8000亩"], False)
    assert [t.kind for t in tokens] == ["text"]   # “一级” after “指标3” is part of the name, no column


def test_a_project_form_after_a_report_keeps_its_name_row():
    from perfdesk.exchange.segmentation import segment

    items = text_items("某局2023年度项目支出绩效自评报告\n\n一、基本情况\n\n项目名称\t某某补助资金\n"
                       "一级指标\t二级指标\t三级指标\t指标值\t分值\t得分\n产出指标\t数量指标\t发放人数\t100人\t50\t50\n")
    segments, _ = segment(items)
    form = next(s for s in segments if s.kind == "form")
    assert form.rows()[0] == ["项目名称", "某某补助资金"]
