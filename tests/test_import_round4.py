"""Rules added for the fourth round of real forms (issue 13): each a small synthetic text of the shape."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import wan_to_fen

# a 重庆-style checklist self-evaluation of a 转移支付 (指标解释 | 自评内容 | 完成情况 | 支撑材料, no figures),
# copied from a web page: one row a line, cells separated by single spaces
_CHECKLIST = """某某区2023年度中央对地方转移支付学生营养改善计划项目绩效自评
日期:2024-03-01
某某区2023年度中央对地方转移支付学生营养改善计划项目绩效自评表
指标名称 指标解释 记录 未完成原因及改进措施 需提供的支撑材料
一级指标 二级指标 三级指标 自评内容 完成情况
名称 名称 名称
项目预算管理 资金投入 预算编制科学性 项目预算编制符合国家政策要求,依据充分,标准明确 项目资金测算标准(文字描述) 已按要求完成
1.2023年度项目资金预算测算相关材料。
2.反映项目资金支出的数据(截图或表)。
项目资金测算依据(文字描述) 按标准测算
预算资金安排 2023年度营养改善计划资金预算安排情况。
营养改善计划资金合计(万元) 年度预算资金总额): 520.50
其中:中央补助 400.00
市级资金 100.00
本级资金 20.50
其中:
膳食补助资金(万元)
年度预算资金总额: 480.00
其中:中央补助 400.00
资金下达 资金下达及时性 区县财政部门在接到资金预算后,在30日内正式下达。 正式下达资金(-年-月-日) 已按时下达
"""


def _project(text: str):
    result = import_text(text)
    assert len(result.document.projects) == 1
    return result, result.document.projects[0]


def test_a_checklist_form_reads_its_rows_groups_and_budget_and_stays_unscored():
    result, ev = _project(_CHECKLIST)
    assert ev.name == "中央对地方转移支付学生营养改善计划项目"
    assert result.document.year == 2023
    leaves = [n for n in ev.walk() if not n.children]
    assert [(n.level, n.name) for n in leaves] == [(3, "预算编制科学性"), (3, "预算资金安排"), (3, "资金下达及时性")]
    groups = {n.name: n.level for n in ev.walk() if n.children}
    assert groups == {"项目预算管理": 1, "资金投入": 2, "资金下达": 2}
    # 资金下达 (a new 二级) stays under the 一级 printed once above it
    assert [c.name for c in ev.indicators[0].children] == ["资金投入", "资金下达"]
    # the record's 完成情况 is the actual; its second record joins it; numbered materials are no rows
    assert leaves[0].actual.startswith("已按要求完成") and "按标准测算" in leaves[0].actual
    assert leaves[2].actual == "已按时下达"
    # the total after 合计 is the budget; the breakdown (膳食补助 480.00) is not
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("520.50"))
    assert ev.budget.total.spent is None
    assert ev.stated_total is None
    assert all(n.score_override is None and n.weight is None for n in ev.walk())
    assert not any("文本在此行中断" in line for line in result.report)


def test_a_checklist_row_the_text_ends_inside_is_not_read_and_is_reported():
    cut = _CHECKLIST.rstrip("\n")[: -len("已按时下达")] + "已按"   # the page cut off inside the last row
    result, ev = _project(cut)
    assert [n.name for n in ev.walk() if not n.children] == ["预算编制科学性", "预算资金安排"]
    assert any("文本在此行中断" in line for line in result.report)


def test_a_scored_form_with_an_explanation_column_is_not_a_checklist():
    from perfdesk.exchange.readers.checklist import checklist_items

    lines = ["指标名称 指标解释 分值 得分 完成情况", "一级指标 二级指标 三级指标 自评内容", "产出 数量 户数 说明,说明 10 9 完成"]
    assert checklist_items(lines, ends_with_newline=True) is None


def test_a_title_naming_a_project_form_or_only_the_kind_of_money():
    from perfdesk.exchange.families.generic import guess_kind
    from perfdesk.model.document import EvaluationKind

    assert guess_kind([["某县2024年度中央对地方转移支付计划生育服务项目绩效自评表"]]) is EvaluationKind.PROJECT
    # “财政项目绩效自评表” is the kind of money every project form of a unit is, not one project
    assert guess_kind([["2021年度财政项目绩效自评表"]]) is None


def _checklist_grid():
    """The checklist of ``_CHECKLIST`` as the Word / web table it is printed in (9 columns: the
    支撑材料 column two wide; merged cells as (text, rowspan, colspan), None where covered)."""
    c = lambda text, rs=1, cs=1: (text, rs, cs)  # noqa: E731
    blank = [None] * 4
    budget = [("营养改善计划资金合计(万元) 年度预算资金总额):", "520.50"), ("其中:中央补助", "400.00"),
              ("市级资金", "100.00"), ("本级资金", "20.50"), ("其中:", ""), ("膳食补助资金(万元)", ""),
              ("年度预算资金总额:", "480.00"), ("其中:中央补助", "400.00")]
    m = len(budget) + 1
    rows = [
        [c("指标名称", 1, 3), None, None, c("指标解释", 3), c("记录", 1, 2), None, c("未完成原因及改进措施", 3),
         c("需提供的支撑材料", 3, 2), None],
        [c("一级指标"), c("二级指标"), c("三级指标"), None, c("自评内容", 2), c("完成情况", 2), None, None, None],
        [c("名称"), c("名称"), c("名称")] + [None] * 6,
        [c("项目预算管理", 3 + m), c("资金投入", 2 + m), c("预算编制科学性", 2),
         c("项目预算编制符合国家政策要求,依据充分,标准明确", 2), c("项目资金测算标准(文字描述)"), c("已按要求完成"),
         c("", 2), c("1.2023年度项目资金预算测算相关材料。\n2.反映项目资金支出的数据(截图或表)。", 2, 2), None],
        blank + [c("项目资金测算依据(文字描述)"), c("按标准测算"), None, None, None],
        [None, None, c("预算资金安排", m), c("2023年度营养改善计划资金预算安排情况。", m), c(""), c(""),
         c("", m), c("", m, 2), None],
    ]
    rows += [blank + [c(label), c(amount), None, None, None] for label, amount in budget]
    rows.append([None, c("资金下达"), c("资金下达及时性"), c("区县财政部门在接到资金预算后,在30日内正式下达。"),
                 c("正式下达资金(-年-月-日)"), c("已按时下达"), c(""), c("", 1, 2), None])
    return ["某某区2023年度中央对地方转移支付学生营养改善计划项目绩效自评表"], rows


def test_a_checklist_form_as_docx_pdf_html_clipboard_and_excel_copy_imports_as_its_text(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from import_forms import write_docx, write_html, write_pdf, write_tab_text
    from test_import_files import dump

    from perfdesk.exchange.importing import import_clipboard, import_file

    form = _checklist_grid()
    from_text = dump(import_text(_CHECKLIST).document)
    from_docx = import_file(write_docx(tmp_path / "checklist.docx", [form])).document
    assert dump(from_docx) == from_text
    assert dump(import_clipboard("ignored plain text", write_html([form])).document) == from_text
    assert dump(import_file(write_pdf(tmp_path / "checklist.pdf", [form])).document) == from_text
    # Excel/WPS copy: TAB rows, a cell of several lines in quotes
    materials = "1.2023年度项目资金预算测算相关材料。\n2.反映项目资金支出的数据(截图或表)。"
    tab = write_tab_text([form]).replace(materials, f'"{materials}"')
    assert dump(import_text(tab).document) == from_text
    # a web table saved as text: “a | b | c |” rows, the cells a merged cell covers absent
    paragraphs, rows = form
    piped = paragraphs + [" | ".join(c[0].replace("\n", " ") for c in row if c is not None) + " |" for row in rows]
    assert dump(import_text("\n".join(piped) + "\n").document) == from_text
    ev = from_docx.projects[0]
    assert [n.name for n in ev.walk() if not n.children] == ["预算编制科学性", "预算资金安排", "资金下达及时性"]
    assert ev.budget.total.annual_budget == wan_to_fen(Decimal("520.50"))


# --- the 项目基本情况表 of the 财政支出绩效评价报告 (财预〔2011〕285号): 计划投资额 / 实际到位资金 / 实际使用情况 ---

_INDICATORS_TAB = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
                   "产出指标\t数量指标\t育苗数量\t≥500万株\t520万株\t50\t50\n"
                   "效益指标\t社会效益指标\t带动就业\t≥20人\t25人\t50\t50\n")


def _budget_of(text: str):
    ev = import_text(text).document.projects[0]
    assert ev.name == "某某苗圃建设项目"
    return ev.budget.total.annual_budget, ev.budget.total.spent


def test_planned_arrived_and_used_amounts_as_label_figure_pairs_in_one_row():
    text = ("某某苗圃建设项目项目支出绩效自评表\n项目名称\t某某苗圃建设项目\n"
            "计划投资额(万元)\t110.00\t实际到位资金(万元)\t84.74\t实际使用情况(万元)\t84.74\n" + _INDICATORS_TAB)
    assert _budget_of(text) == (wan_to_fen(Decimal("110.00")), wan_to_fen(Decimal("84.74")))


def test_planned_arrived_and_used_amounts_as_columns():
    text = ("某某苗圃建设项目项目支出绩效自评表\n项目名称\t某某苗圃建设项目\n"
            "项目资金(万元)\t计划投资额\t实际到位资金\t实际使用情况\n年度资金总额\t110.00\t84.74\t80.00\n" + _INDICATORS_TAB)
    assert _budget_of(text) == (wan_to_fen(Decimal("110.00")), wan_to_fen(Decimal("80.00")))


def test_planned_arrived_and_used_amounts_run_together_in_a_report():
    text = ("某某苗圃建设项目财政支出绩效评价报告项目名称:某某苗圃建设项目项目单位:某某市林业局项目基本信息"
            "计划投资额(万元)110.00实际到位资金(万元)84.74实际使用情况(万元)84.74其中:中央财政\n"
            + _INDICATORS_TAB.replace("\t", " "))
    assert _budget_of(text) == (wan_to_fen(Decimal("110.00")), wan_to_fen(Decimal("84.74")))


def test_label_figure_pairs_need_amount_labels_on_every_pair():
    # a 项目名称 | 联系电话 row with a number is no budget
    text = ("某某苗圃建设项目项目支出绩效自评表\n项目名称\t某某苗圃建设项目\n"
            "计划投资额(万元)\t110.00\t联系电话\t63222166\n" + _INDICATORS_TAB)
    assert _budget_of(text) == (None, None)


# --- grading-band columns: 指标类型 | 绩效指标 | 绩效目标 | 绩效标准 (优 | 良 | 中 | 差) (财预〔2011〕285号 reports) ---

_BANDED_TARGETS = [
    "项目绩效目标表",
    "项目名称\t某某苗圃建设项目",
    "指标类型\t绩效指标\t绩效目标\t绩效标准\t\t\t",
    "\t\t\t优\t良\t中\t差",
    "产出指标\t年育苗数量\t600万株\t600万\t500万\t300万\t200万",
    "成效指标\t对经济和社会的影响\t对经济和社会的影响较好\t较好\t好\t一般\t差",
    "\t群众满意度\t群众满意度较好\t较好\t好\t一般\t差",
    "效率指标\t资金按时到位\t资金按时到位率为100%\t100%\t80%-100%\t60%-80%\t<50%",
    "\t按时完成既定目标\t2017年12月31日前完成\t按时完成\t延期15天以内\t延期15-30天\t延期30天以上",
]


def test_a_target_table_with_grading_band_columns_reads_each_target_not_its_bands():
    ev = import_text("\n".join(_BANDED_TARGETS) + "\n").document.projects[0]
    leaves = [n for n in ev.walk() if not n.children]
    assert [(n.name, n.target) for n in leaves] == [
        ("年育苗数量", "600万株"), ("对经济和社会的影响", "对经济和社会的影响较好"), ("群众满意度", "群众满意度较好"),
        ("资金按时到位", "资金按时到位率为100%"), ("按时完成既定目标", "2017年12月31日前完成")]
    assert [n.name for n in ev.indicators] == ["产出指标", "成效指标", "效率指标"]
    assert all(n.weight is None and n.score_override is None and not n.actual for n in leaves)


def test_grading_bands_of_a_scored_form_are_each_indicators_scoring_standard():
    text = "\n".join([
        "某某苗圃建设项目项目支出绩效自评表",
        "项目名称\t某某苗圃建设项目",
        "指标类型\t绩效指标\t绩效目标\t绩效标准\t\t\t\t实际完成值\t分值\t得分",
        "\t\t\t优\t良\t中\t差\t\t\t",
        "产出指标\t年育苗数量\t600万株\t600万\t500万\t300万\t200万\t610万株\t50\t50",
        "效果指标\t群众满意度\t群众满意度较好\t较好\t好\t一般\t差\t好\t50\t40",
        "总分\t\t\t\t\t\t\t\t100\t90",
    ]) + "\n"
    ev = import_text(text).document.projects[0]
    first, second = [n for n in ev.walk() if not n.children]
    assert (first.name, first.target, first.actual, first.weight, first.score_override) == (
        "年育苗数量", "600万株", "610万株", Decimal(50), Decimal(50))
    assert first.rule_text == "优：600万；良：500万；中：300万；差：200万"
    assert second.rule_text == "优：较好；良：好；中：一般；差：差"
    assert ev.stated_total == Decimal(90)


def test_header_only_names_never_displace_the_usual_ones():
    from perfdesk.exchange.families.generic import indicator_header

    # the 财政部 form: “绩效指标” a row-spanning label before 一级/二级/三级指标 — 三级指标 stays the name
    roles = indicator_header(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    assert roles.get(3) == "name" and 0 not in roles
    # “完成情况” is the actual only where no 实际完成值 is named
    roles = indicator_header(["一级指标", "二级指标", "三级指标", "实际完成值", "完成情况", "分值"])
    assert roles.get(3) == "actual" and roles.get(4) is None


def test_a_target_table_with_grading_bands_as_docx_and_html_clipboard_imports_as_its_text(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from import_forms import write_docx, write_html
    from test_import_files import dump

    from perfdesk.exchange.importing import import_clipboard, import_file

    c = lambda text, rs=1, cs=1: (text, rs, cs)  # noqa: E731
    rows = [[c("项目名称"), c("某某苗圃建设项目", 1, 8)] + [None] * 7,
            [c("指标类型", 2), c("绩效指标", 2), c("绩效目标", 2, 3), None, None, c("绩效标准", 1, 4), None, None, None],
            [None, None, None, None, None, c("优"), c("良"), c("中"), c("差")]]
    group = ""
    for line in _BANDED_TARGETS[4:]:
        cells = line.split("\t")
        span = 2 if cells[0] else 1   # each 指标类型 here spans its rows (成效 and 效率 have two)
        first = c(cells[0], span) if cells[0] else None
        group = cells[0] or group
        rows.append([first if group != "产出指标" else c(cells[0]), c(cells[1]), c(cells[2], 1, 3), None, None]
                    + [c(v) for v in cells[3:]])
    form = (["项目绩效目标表"], rows)
    from_text = dump(import_text("\n".join(_BANDED_TARGETS) + "\n").document)
    assert dump(import_file(write_docx(tmp_path / "targets.docx", [form])).document) == from_text
    assert dump(import_clipboard("ignored plain text", write_html([form])).document) == from_text


def test_a_block_label_before_its_unit_ends_the_value_before_it_even_with_a_space():
    """“实施单位新洲区文化和旅游局机关项目资金 (万元)年初预算数…”: the 实施单位 is “…局机关”, not
    “…局机关项目资金(万元)” printed as the unit's name on every page (an officer's walk found it)."""
    text = ("项目支出绩效自评表(2020 年度)项目名称演出设备更新专项经费主管部门新洲区楚剧团"
            "实施单位新洲区文化和旅游局机关项目资金 (万元)年初预算数全年预算数全年执行数分值执行率得分"
            "年度资金总额303010100%10")
    doc = import_text(text).document
    assert doc.projects[0].project.implementer == "新洲区文化和旅游局机关"
    assert doc.projects[0].budget.total.spent == wan_to_fen(Decimal(30))
