"""Excel export: layout of the sheets, and export → import giving the same document back."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal

import openpyxl
import pytest

from perfdesk.exchange.xlsx_export import export_xlsx, sheet_names
from perfdesk.exchange.xlsx_import import import_xlsx
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import (
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
)


# -- comparing documents -------------------------------------------------------------

def snap(obj):
    """Everything of a document that an export must keep (uids and parents left out)."""
    if isinstance(obj, Indicator):
        return ("indicator", obj.name, obj.weight, obj.target, obj.actual, obj.method, obj.tier,
                obj.score_override, obj.rule_text, obj.deviation_note, obj.comparison, obj.unit,
                obj.initial_target, obj.adjust_reason, [snap(c) for c in obj.children])
    if is_dataclass(obj):
        return {f.name: snap(getattr(obj, f.name)) for f in fields(obj) if f.name not in ("uid", "parent")}
    if isinstance(obj, list):
        return [snap(x) for x in obj]
    if isinstance(obj, dict):
        return {k: snap(v) for k, v in obj.items()}
    return obj


def round_trip(doc: Document, tmp_path, evaluation=None):
    path = tmp_path / "out.xlsx"
    export_xlsx(doc, path, evaluation)
    return import_xlsx(path), path


# -- a document using every field ----------------------------------------------------------

def _leaf(name, weight, target="", actual="", method=Method.MANUAL, tier=None, score=None, rule="", note=""):
    return Indicator(name=name, weight=None if weight is None else Decimal(weight), target=target,
                     actual=actual, method=method, tier=tier,
                     score_override=None if score is None else Decimal(score), rule_text=rule,
                     deviation_note=note)


def rich_document() -> Document:
    doc = Document(year=2023, final=True, unit=UnitProfile(
        name="如皋市某某中心", code="001-23", supervisor="如皋市人社局",
        functions="（一）负责……\n（二）负责基金管理", organisation="内设三股",
        leader="张三", finance_leader="李四", preparer="王五", phone="0513-1234567"))
    unit = doc.unit_evaluation
    unit.name = "如皋市某某中心"
    unit.template = unit.layout = "unit-jiangsu"
    unit.execution_rounding = "0.1"
    unit.budget.total = Amounts(wan_to_fen("93116.21"), wan_to_fen("93116.21"), wan_to_fen("90819.34"))
    unit.budget.basic = Amounts(None, wan_to_fen("471.72"), wan_to_fen("471.72"))
    unit.budget.project = Amounts(None, wan_to_fen("92644.49"), wan_to_fen("90347.62"))
    unit.budget.project_lines = [BudgetLine("被征地农民保障", Amounts(1, 2, 3)),
                                 BudgetLine("=SUM(A1)", Amounts(None, wan_to_fen("0.000001"), None))]
    unit.budget.source("general_budget").annual_budget = 123456789
    unit.budget.source("carried_over")
    decision = unit.add(Indicator(name="决策", weight=Decimal(6)))
    plan = decision.add(Indicator(name="计划制定", weight=Decimal(2)))
    plan.add(_leaf("工作计划", 2, "健全", "健全", Method.TIERS, Tier.ACHIEVED, "2",
                   rule="有计划得 2 分\n无计划不得分"))
    duty = unit.add(Indicator(name="履职", weight=Decimal(56)))
    for weight, score in ((24, "23.5"), (32, "31")):  # two neighbouring groups of the same name
        group = duty.add(Indicator(name="职能", weight=Decimal(weight)))
        group.add(_leaf("职能完成率", weight, "≥98%", "97.3%", Method.HIGHER, score=score))
        group.add(_leaf("+ 工作量", "0", "-5", "@home", Method.LOWER, note="=HYPERLINK(\"x\")"))
    untitled = duty.add(Indicator(name="其他", weight=None))
    untitled.add(_leaf("", "1.5", score="1.333333333333333333"))  # float would lose digits
    unit.add(_leaf("满意度", 3, "≥90%", "95%", Method.HIGHER, score="3"))  # a level-1 leaf
    unit.stated_total = Decimal("96.8")
    unit.stated_grade = "优"
    unit.goals = Goals("保障\"失地农民\"基本生活", "全部发放到位")
    unit.narrative = {"achievements": "成效显著", "problems": "", "remedies": "整改\n到位",
                      "report_overview": "概况"}

    p1 = Evaluation(kind=EvaluationKind.PROJECT, name="老字号/传承[2023]:扶持*?", template="project-mof",
                    layout="project-mof", execution=ExecutionLine(Decimal(10), Decimal("1"), Decimal(10)))
    p1.budget.total = Amounts(680_000_000, 680_000_000, 661_725_200)
    p1.budget.source("appropriation").annual_budget = 680_000_000
    p1.budget.source("other_funds").spent = 0
    output = p1.add(Indicator(name="产出指标", weight=Decimal(50)))
    count = output.add(Indicator(name="数量指标"))
    count.add(_leaf("扶持企业数", 20, "≥10家", "12家", Method.HIGHER, score="20"))
    count.add(_leaf("预算执行率", 10, "100%", "97.31%", Method.EXECUTION_RATE))
    quality = output.add(Indicator(name="质量指标", weight=Decimal(20)))
    quality.add(_leaf("合格率", 20, "100%", "部分达成", Method.TIERS, Tier.PARTIAL, "13",
                      note="偏差原因：……\n改进措施：……"))
    p1.add(_leaf("成本指标", 10, "≤680万元", "661.7252万元", Method.LOWER, score="10"))
    effect = p1.add(Indicator(name="效益指标", weight=Decimal(30)))
    effect.add(Indicator(name="生态效益指标"))  # an empty level-2 line stays a childless node
    effect.add(Indicator(name="社会效益指标", weight=Decimal(20))).add(
        _leaf("群众知晓率", 20, "≥85%", "", Method.HIGHER, tier=None, score=None))
    p1.stated_total = Decimal(100)
    p1.goals = Goals("扶持老字号", "")
    p1.project = ProjectInfo("烈山区商务局", "301", "烈山区某中心", "延续项目", "2023—2025",
                             "34060421R000000001234")
    p1.narrative = {"summary": "综述", "deviation": "偏差说明"}

    p2 = Evaluation(kind=EvaluationKind.PROJECT, name="老字号/传承[2023]:扶持*?", template="project-jinzhong",
                    layout="project-jinzhong", execution_rounding="1")
    p2.budget.total = Amounts(wan_to_fen("2536.08"), wan_to_fen("2364.01"), wan_to_fen("2364.01"))
    p2.target_rows = [TargetRow("产出指标", "数量指标", "指标1: 补助人数", "116.11万人", "108.13万人",
                                Decimal("0.9313")),
                      TargetRow("", "", "指标2:", "", "", None)]
    p2.evaluators = [Evaluator("赵六", "科长", "市财政局", "0354-1"), Evaluator("钱七")]
    p2.add(Indicator(name="投入", weight=Decimal(20))).add(Indicator(name="项目目标")).add(
        _leaf("立项规范性", 3, score="3"))
    p2.stated_total = Decimal("99.80")
    p2.stated_grade = "优"
    p2.narrative = {"overview": "项目概况……", "fund_usage": "资金使用……"}
    # the 四川 form: 指标性质 and 计量单位 of their own, an adjusted target (年初指标值, 调整原因)
    p3 = Evaluation(kind=EvaluationKind.PROJECT, name="技能培训", template="project-sichuan",
                    layout="project-sichuan", execution=ExecutionLine(Decimal(10)))
    p3.project.code = "51000021R000000019951"
    group = p3.add(Indicator(name="产出指标", weight=Decimal(90))).add(Indicator(name="数量指标"))
    group.add(Indicator(name="培训人次", weight=Decimal(40), target="1.2", actual="1.3", method=Method.AUTO,
                        comparison="≥", unit="万人次", initial_target="1.5", adjust_reason="疫情停课两月"))
    group.add(Indicator(name="安全事故", weight=Decimal(20), target="0", actual="1", method=Method.AUTO,
                        comparison="=", unit="起", deviation_note="一起轻微事故"))
    group.add(Indicator(name="服务质量", weight=Decimal(30), target="良好", actual="良好", method=Method.AUTO,
                        comparison="定性", tier=Tier.ACHIEVED))
    doc.projects = [p1, p2, p3, Evaluation(kind=EvaluationKind.PROJECT)]
    doc.rule_set = "hubei"  # 单位信息 → 评价规则: every form of the document
    for ev in doc.evaluations():
        ev.rule_set = "hubei"
    return doc


# -- round trips ---------------------------------------------------------------------------

def test_round_trip_of_every_field(tmp_path):
    doc = rich_document()
    result, _ = round_trip(doc, tmp_path)
    assert snap(result.document) == snap(doc)
    assert any("老字号" in line for line in result.report)


def test_round_trip_of_the_demo(tmp_path):
    from perfdesk.demo import demo_document

    doc = demo_document()
    result, _ = round_trip(doc, tmp_path)
    assert snap(result.document) == snap(doc)


def test_round_trip_of_the_synthetic_document(tmp_path):
    samples = pytest.importorskip("perfdesk.samples")
    doc = samples.synthetic_document()
    result, _ = round_trip(doc, tmp_path)
    assert len(result.document.projects) == len(doc.projects)
    assert snap(result.document) == snap(doc)


def test_round_trip_of_one_evaluation(tmp_path):
    doc = rich_document()
    project = doc.projects[0]
    result, path = round_trip(doc, tmp_path, project)
    wb = openpyxl.load_workbook(path)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["老字号传承2023扶持"]
    assert snap(result.document.projects) == snap([project])
    assert result.document.unit_evaluation.indicators == []


def test_edits_in_excel_are_read(tmp_path):
    """The importer reads the visible form, so a changed score or an inserted row counts."""
    doc = rich_document()
    path = tmp_path / "out.xlsx"
    export_xlsx(doc, path)
    # openpyxl keeps no formula values when it saves: open the values (as “paste values” would)
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["部门整体"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(header + 1, cols["三级指标"]).value == "工作计划"
    ws.cell(header + 1, cols["得分"]).value = 1.5
    wb.save(path)
    leaf = next(import_xlsx(path).document.unit_evaluation.leaves())
    assert leaf.name == "工作计划" and leaf.score_override == Decimal("1.5")


# -- what the sheets look like --------------------------------------------------------------

def test_sheet_names_are_valid_and_unique():
    evs = [Evaluation(kind=EvaluationKind.UNIT)] + [
        Evaluation(name=name) for name in ("a/b", "a\\b", "x" * 40, "x" * 40, "", "perfdesk", "'引号'")]
    names = sheet_names(evs)
    assert names[0] == "部门整体"
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set('[]:*?/\\') for n in names)
    assert "perfdesk" not in [n.lower() for n in names]
    assert names[3] == "x" * 31 and names[4] == "x" * 28 + "(2)"


def _sheet(tmp_path, title="部门整体", data_only=False):
    doc = rich_document()
    path = tmp_path / "look.xlsx"
    export_xlsx(doc, path)
    return openpyxl.load_workbook(path, data_only=data_only)[title]


def _find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not on the sheet")


def test_unit_sheet_layout(tmp_path):
    ws = _sheet(tmp_path)
    assert ws["A1"].value == "2023年度部门整体支出绩效自评表"
    assert ws.cell(2, 1).value == "单位名称" and ws.cell(2, 3).value == "如皋市某某中心"
    header = _find(ws, "一级指标")
    labels = [ws.cell(header.row, c).value for c in range(1, 10)]
    # 江苏 layout: the rule column; the deviation column too because a note was written
    assert labels == ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分",
                      "评价要点及评分规则", "偏差原因分析及改进措施"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    h = header.row
    # 决策 spans its one leaf row only (not merged); 履职 spans 5 rows, each 职能 two rows.
    assert ws.cell(h + 1, 1).value == "决策(6)"
    assert ws.cell(h + 2, 1).value == "履职(56)" and f"A{h + 2}:A{h + 6}" in merged
    assert ws.cell(h + 2, 2).value == "职能(24)" and f"B{h + 2}:B{h + 3}" in merged
    assert ws.cell(h + 4, 2).value == "职能(32)" and f"B{h + 4}:B{h + 5}" in merged
    assert ws.cell(h + 7, 1).value == "满意度"
    # page setup: A4, fit to one page wide, header row repeated
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == f"{h}:{h}"
    last_row = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)
    assert ws.print_area.replace("$", "").endswith(f"!A1:I{last_row}")  # the extra columns are not printed
    # widths fit Chinese: the 三级指标 and rule columns are wide
    assert ws.column_dimensions["C"].width >= 20 and ws.column_dimensions["H"].width >= 30
    # borders and wrapping on the table
    cell = ws.cell(h + 1, 3)
    assert cell.border.left.style == "thin" and cell.alignment.wrap_text


def test_numbers_are_numbers_and_texts_are_never_formulas(tmp_path):
    ws = _sheet(tmp_path)
    values = _sheet(tmp_path, data_only=True)  # the values saved with the formulas
    total = _find(ws, "资金总额")
    row = [values.cell(total.row, c) for c in range(1, 9)]
    amounts = [c for c in row if isinstance(c.value, (int, float))]
    assert [c.value for c in amounts] == [93116.21, 93116.21, 90819.34]
    # 万元 with thousands separators and two decimals at least
    assert all(c.number_format.startswith("#,##0.00") for c in amounts)
    for text in ("=SUM(A1)", "+ 工作量", "-5", "@home", '=HYPERLINK("x")'):
        cell = _find(ws, text)
        assert cell.data_type == "s", text
    # the only formulas are the program's sums (分值, 总分, 资金总额 …), never a text
    formulas = [c.value for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas and all(f.startswith("=SUM(") for f in formulas)
    score = _find(ws, "职能完成率")
    header = _find(ws, "一级指标")
    score_col = next(c for c in range(1, 20) if ws.cell(header.row, c).value == "得分")
    assert ws.cell(score.row, score_col).value == 23.5


def test_execution_line_and_rate_format(tmp_path):
    ws = _sheet(tmp_path, "老字号传承2023扶持")
    head = _find(ws, "预算资金（万元）")
    labels = [ws.cell(head.row, c).value for c in range(1, 9)]
    assert labels[2:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total = ws.cell(head.row + 1, 1)
    assert total.value == "资金总额"
    assert ws.cell(total.row, 5).value == 661.7252
    assert ws.cell(total.row, 7).value == 1 and ws.cell(total.row, 7).number_format == "0.00%"
    # computed values stand outside the print area, clearly labelled
    computed = _find(ws, "计算得分（仅供参考，导入时忽略）")
    assert computed.column > 9


def test_control_characters_from_word_do_not_break_the_export(tmp_path):
    doc = rich_document()
    doc.projects[0].name = "老字号\x07项目"
    doc.unit_evaluation.goals.expected = "第一行\x0b第二行\x01"
    result, _ = round_trip(doc, tmp_path)
    assert result.document.unit_evaluation.goals.expected == "第一行\n第二行"
    assert result.document.projects[0].name == "老字号项目"


def test_cli_export_and_import(tmp_path, capsys):
    from perfdesk.cli import main
    from perfdesk.store import open_document, save_document

    doc = rich_document()
    pdesk = tmp_path / "doc.pdesk"
    save_document(doc, pdesk)
    saved = open_document(pdesk)
    assert main(["export-xlsx", str(pdesk), "-o", str(tmp_path / "out.xlsx")]) == 0
    assert main(["import-xlsx", str(tmp_path / "out.xlsx"), "-o", str(tmp_path / "back.pdesk")]) == 0
    assert "读取：工作表“部门整体”" in capsys.readouterr().out
    assert snap(open_document(tmp_path / "back.pdesk")) == snap(saved)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["import-xlsx", str(bad), "-o", str(tmp_path / "never.pdesk")]) != 0
    assert not (tmp_path / "never.pdesk").exists()
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_round_trip_survives_a_save_in_libreoffice(tmp_path):
    """An officer opens the workbook in another spreadsheet program and saves it."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    doc = rich_document()
    path = tmp_path / "doc.xlsx"
    export_xlsx(doc, path)
    out = tmp_path / "resaved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=120)
    assert snap(import_xlsx(out / "doc.xlsx").document) == snap(doc)


def test_new_fields_have_their_columns_and_come_back_exactly(tmp_path):
    """指标性质 / 计量单位 beside 指标值 (the 四川 form has them), 年初指标值 / 调整原因 when a target was
    adjusted; 项目编码 in the heading; the 评价规则 of the document and each form in the hidden sheet."""
    doc = rich_document()
    result, path = round_trip(doc, tmp_path)
    back = result.document
    sichuan = back.projects[2]
    leaf = sichuan.indicators[0].children[0].children[0]
    assert (leaf.comparison, leaf.target, leaf.unit, leaf.initial_target, leaf.adjust_reason) == (
        "≥", "1.2", "万人次", "1.5", "疫情停课两月")
    assert sichuan.project.code == "51000021R000000019951" and back.rule_set == "hubei"
    assert [ev.rule_set for ev in back.evaluations()] == ["hubei"] * 5
    wb = openpyxl.load_workbook(path)
    ws = wb["技能培训"]
    header = _find(ws, "一级指标")
    labels = [ws.cell(header.row, c).value for c in range(1, 13)]
    assert labels[:9] == ["一级指标", "二级指标", "三级指标", "指标性质", "年初指标值", "指标值", "计量单位",
                          "调整原因", "实际完成值"]
    assert ws.cell(header.row + 1, 4).value == "≥" and ws.cell(header.row + 1, 7).value == "万人次"
    assert _find(ws, "项目编码").row < header.row
    # a form without any of them keeps its columns
    jiangsu = wb["部门整体"]
    row = _find(jiangsu, "一级指标").row
    assert "指标性质" not in [jiangsu.cell(row, c).value for c in range(1, 12)]


def test_new_fields_typed_in_excel_are_read_and_bad_ones_reported(tmp_path):
    doc = rich_document()
    path = tmp_path / "out.xlsx"
    export_xlsx(doc, path)
    wb = openpyxl.load_workbook(path, data_only=True)  # openpyxl saves no formula values: paste values
    ws = wb["技能培训"]
    row = _find(ws, "一级指标").row + 1
    ws.cell(row, 4).value = ">="          # as typed on a keyboard
    ws.cell(row + 1, 4).value = "约等于"  # not a 指标性质
    ws.cell(row + 1, 7).value = "个" * 101
    ws.cell(row + 2, 5).value = "较好"    # 年初指标值 typed for 服务质量
    wb.save(path)
    result = import_xlsx(path)
    leaves = list(result.document.projects[2].leaves())
    assert leaves[0].comparison == "≥"
    assert (leaves[1].comparison, leaves[1].unit) == ("", "")
    assert leaves[2].initial_target == "较好"
    report = "\n".join(result.report)
    assert "未知的指标性质“约等于”" in report and "计量单位超过 100 个字" in report


def test_a_workbook_from_before_rule_sets_imports(tmp_path):
    """Workbooks exported before version 2 have no 评价规则 in the hidden sheet: scored by template."""
    doc = rich_document()
    path = tmp_path / "out.xlsx"
    export_xlsx(doc, path)
    wb = openpyxl.load_workbook(path, data_only=True)
    meta = wb["perfdesk"]
    rows = [[c.value for c in row] for row in meta.iter_rows()]
    meta.delete_rows(1, meta.max_row)
    for values in rows:
        if values[0] == "rule_set":
            continue
        meta.append(values[:6])
    meta["A1"].value = "format"
    wb.save(path)
    back = import_xlsx(path).document
    assert back.rule_set == "" and all(ev.rule_set == "" for ev in back.evaluations())
    assert snap(back.projects[0].indicators) == snap(doc.projects[0].indicators)
