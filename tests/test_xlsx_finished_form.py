"""Excel export as a finished form (issue 11 item 4): every score, 执行率, 总分 and 等级
filled as the paper shows them, sums as formulas that carry their values, page setup
as the paper — and the round trip still gives the same document back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import fields
from decimal import Decimal

import openpyxl
import pytest

from perfdesk.exchange import xlsx_export
from perfdesk.exchange.xlsx_common import AUTO_LABEL, PROJECT_FIELDS, UNIT_FIELDS, UNIT_SIGN_FIELDS
from perfdesk.exchange.xlsx_export import export_xlsx
from perfdesk.exchange.xlsx_import import import_xlsx
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import (
    Amounts,
    Document,
    Evaluation,
    EvaluationKind,
    ExecutionLine,
    Indicator,
    Method,
    ProjectInfo,
    Tier,
    UnitProfile,
)
from perfdesk.scoring import score_evaluation

from test_xlsx_roundtrip import rich_document, snap


# -- a document whose scores are all computed -----------------------------------------------

def computed_document() -> Document:
    """A unit form and a project typed without a single score: the program computes them all."""
    unit = Evaluation(kind=EvaluationKind.UNIT, name="某某中心", layout="unit-mof",
                      execution=ExecutionLine(weight=Decimal(10)))
    unit.budget.total = Amounts(wan_to_fen("1234.56"), wan_to_fen("1200"), wan_to_fen("1167.3"))
    unit.budget.basic = Amounts(wan_to_fen("800"), wan_to_fen("800"), wan_to_fen("790.3"))
    unit.budget.project = Amounts(wan_to_fen("434.56"), wan_to_fen("400"), wan_to_fen("377"))
    out = unit.add(Indicator("产出指标"))
    qty = out.add(Indicator("数量指标"))
    qty.add(Indicator("参保人数", weight=Decimal(30), target="≥10万人", actual="9万人", method=Method.HIGHER))
    qty.add(Indicator("发放及时率", weight=Decimal(30), target="100%", actual="100%", method=Method.HIGHER))
    qty.add(Indicator("人均成本", weight=Decimal(20), target="≤3万元", actual="3.35万元", method=Method.LOWER))
    sat = unit.add(Indicator("满意度指标"))
    sat.add(Indicator("服务对象满意度", weight=Decimal(10), target="≥90%", actual="基本满意",
                      method=Method.TIERS, tier=Tier.PARTIAL))
    project = Evaluation(kind=EvaluationKind.PROJECT, name="51000021R000000019951-工资性支出",
                         layout="project-mof", execution=ExecutionLine(weight=Decimal(10)))
    project.budget.total = Amounts(wan_to_fen("50"), wan_to_fen("48"), wan_to_fen("45.6"))
    project.project = ProjectInfo(supervisor="某局", implementer="某某中心")
    leaf = project.add(Indicator("产出指标")).add(Indicator("数量指标")).add(
        Indicator("培训人次", weight=Decimal(90), target="≥300人次", actual="270人次", method=Method.HIGHER))
    leaf.deviation_note = "疫情停训一期"
    return Document(year=2024, unit=UnitProfile(name="某某中心"), unit_evaluation=unit, projects=[project])


class Form:
    """A sheet of an exported workbook, read as the officer sees it (values, not formulas)."""

    def __init__(self, path, title: str):
        self.ws = openpyxl.load_workbook(path)[title]
        self.values = openpyxl.load_workbook(path, data_only=True)[title]
        self.header = self.row_of("一级指标")
        self.col = {self.ws.cell(self.header, c).value: c for c in range(1, self.ws.max_column + 1)}

    def row_of(self, text: str) -> int:
        for row in self.ws.iter_rows():
            for cell in row:
                if cell.value == text:
                    return cell.row
        raise AssertionError(f"{text!r} not on the sheet")

    def value(self, row: int, label: str):
        return self.values.cell(row, self.col[label]).value

    def cell(self, row: int, label: str):
        return self.ws.cell(row, self.col[label])

    def budget(self, label: str, head: str):
        head_row = self.row_of("预算资金（万元）")
        c = next(c for c in range(1, 12) if self.ws.cell(head_row, c).value == head)
        return self.ws.cell(self.row_of(label), c), self.values.cell(self.row_of(label), c).value


def export(doc, tmp_path, name="out.xlsx"):
    path = tmp_path / name
    export_xlsx(doc, path)
    return path


# -- scores filled -------------------------------------------------------------------------------

def test_every_score_total_and_grade_is_filled_when_none_was_typed(tmp_path):
    doc = computed_document()
    path = export(doc, tmp_path)
    unit = doc.unit_evaluation
    sc = score_evaluation(unit)
    form = Form(path, "部门整体")
    for leaf in unit.leaves():
        row = form.row_of(leaf.name)
        expected = sc.of(leaf).computed.quantize(Decimal("0.01"))
        assert Decimal(str(form.value(row, "得分"))) == expected, leaf.name
    assert form.value(form.row_of("参保人数"), "得分") == 27
    # 反向: (1 − (3.35 − 3) ÷ 3) × 20 = 17.67 (SPEC §3, the 一体化 formula)
    assert form.value(form.row_of("人均成本"), "得分") == pytest.approx(17.67)
    assert form.value(form.row_of("服务对象满意度"), "得分") == pytest.approx(7.9)  # 部分达成: just under 80% of 10

    # the execution line: 执行率 = 1167.3 ÷ 1200, its score, as on the printed form
    rate_cell, rate = form.budget("资金总额", "执行率")
    _, score = form.budget("资金总额", "得分")
    assert rate == pytest.approx(0.9728) and rate_cell.number_format == "0.00%"
    assert Decimal(str(score)) == sc.execution_computed

    total = form.row_of("总分")
    assert Decimal(str(form.value(total, "得分"))) == sc.total.quantize(Decimal("0.01"))
    assert form.value(total, "分值") == 100
    grade_row = form.row_of("绩效等级")
    assert form.values.cell(grade_row, form.col["分值"]).value == sc.grade == "优"


def test_totals_are_sum_formulas_saved_with_their_values(tmp_path):
    path = export(computed_document(), tmp_path)
    form = Form(path, "51000021R000000019951-工资性支出")
    total = form.row_of("总分")
    first, last = form.header + 1, total - 1
    score, weight = form.cell(total, "得分"), form.cell(total, "分值")
    exec_score, _ = form.budget("资金总额", "得分")
    exec_weight, _ = form.budget("资金总额", "分值")
    g, f = score.column_letter, weight.column_letter
    assert score.value == f"=SUM({g}{first}:{g}{last})+{exec_score.coordinate}"
    assert weight.value == f"=SUM({f}{first}:{f}{last})+{exec_weight.coordinate}"
    # 81 (270 of 300 people × 90) + 9.5 (95% of 10)
    assert form.value(total, "得分") == 90.5 and form.value(total, "分值") == 100
    # 资金总额 = 基本支出 + 项目支出 where the figures agree
    unit = Form(path, "部门整体")
    cell, value = unit.budget("资金总额", "全年执行数")
    basic, project = unit.row_of("基本支出"), unit.row_of("项目支出")
    assert cell.value == f"=SUM({cell.column_letter}{basic}:{cell.column_letter}{project})"
    assert value == 1167.3
    cell, value = unit.budget("资金总额", "年初预算数")
    c = cell.column_letter
    assert cell.value == f"=SUM({c}{basic}:{c}{project})" and value == 1234.56


def test_no_formula_is_saved_without_its_value(tmp_path):
    """A viewer that does not calculate (or pandas, or our own import) must see the figures."""
    path = export(rich_document(), tmp_path)
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = 0
        for name in sheets:
            xml = zf.read(name).decode()
            for m in re.finditer(r"<c [^>]*>(<f>[^<]*</f>)(.*?)</c>", xml):
                formulas += 1
                assert re.fullmatch(r"<v>-?[0-9.]+</v>", m.group(2)), m.group(0)
    assert formulas >= 4


def test_round_trip_keeps_computed_scores_computed(tmp_path):
    doc = computed_document()
    back = import_xlsx(export(doc, tmp_path)).document
    assert snap(back) == snap(doc)
    assert all(leaf.score_override is None for ev in back.evaluations() for leaf in ev.leaves())
    assert all(ev.stated_total is None and ev.stated_grade is None for ev in back.evaluations())
    assert back.unit_evaluation.execution.stated_rate is None
    assert back.unit_evaluation.execution.stated_score is None


def test_a_score_changed_in_excel_is_read_as_stated_and_a_changed_actual_rescored(tmp_path):
    doc = computed_document()
    path = export(doc, tmp_path)
    wb = openpyxl.load_workbook(path, data_only=True)  # as Excel saves it: values beside formulas
    ws = wb["部门整体"]
    form = Form(path, "部门整体")
    ws.cell(form.row_of("参保人数"), form.col["得分"]).value = 28.5      # the officer's own score
    ws.cell(form.row_of("人均成本"), form.col["实际完成值"]).value = "2.9万元"  # a better actual
    rate_row = form.row_of("资金总额")
    rate_col = form.budget("资金总额", "执行率")[0].column
    ws.cell(rate_row, rate_col).value = 0.95                              # 执行率 typed over
    wb.save(path)
    back = import_xlsx(path).document.unit_evaluation
    leaves = {leaf.name: leaf for leaf in back.leaves()}
    assert leaves["参保人数"].score_override == Decimal("28.5")
    assert leaves["人均成本"].score_override is None                     # still computed …
    assert score_evaluation(back).of(leaves["人均成本"]).score == 20     # … from the new actual
    assert leaves["发放及时率"].score_override is None
    assert back.execution.stated_rate == Decimal("0.95")
    assert back.execution.stated_score is None


def test_stated_figures_that_differ_show_the_computed_one_in_a_comment(tmp_path):
    doc = computed_document()
    unit = doc.unit_evaluation
    leaves = {leaf.name: leaf for leaf in unit.leaves()}
    leaves["参保人数"].score_override = Decimal(30)        # computed 27
    leaves["发放及时率"].score_override = Decimal(30)      # the same as computed: no comment
    unit.execution.stated_rate = Decimal("0.858")           # computed 97.28%
    unit.execution.stated_score = Decimal(9)                # computed 9.73
    unit.stated_total = Decimal(99)
    unit.stated_grade = "良"
    path = export(doc, tmp_path)
    form = Form(path, "部门整体")
    cell = form.cell(form.row_of("参保人数"), "得分")
    assert cell.value == 30 and "27" in cell.comment.text and "30" in cell.comment.text
    assert form.cell(form.row_of("发放及时率"), "得分").comment is None
    rate_cell, _ = form.budget("资金总额", "执行率")
    assert rate_cell.value == 0.858 and "97.28%" in rate_cell.comment.text
    score_cell, _ = form.budget("资金总额", "得分")
    assert score_cell.value == 9 and "9.73" in score_cell.comment.text
    total = form.cell(form.row_of("总分"), "得分")
    computed_total = score_evaluation(unit).total
    assert total.value == 99 and str(computed_total.quantize(Decimal("0.01"))).rstrip("0") in total.comment.text
    grade = form.cell(form.row_of("绩效等级"), "分值")
    assert grade.value == "良" and "优" in grade.comment.text
    # the computed score also stands in the grey column outside the print area
    assert form.value(form.row_of("参保人数"), "计算得分（仅供参考，导入时忽略）") == 27
    assert snap(import_xlsx(path).document) == snap(doc)


def test_an_empty_form_gets_no_total_zero_and_no_grade(tmp_path):
    doc = Document(year=2024)
    doc.projects = [Evaluation(kind=EvaluationKind.PROJECT, name="新项目", layout="project-mof")]
    path = export(doc, tmp_path)
    form = Form(path, "新项目")
    assert form.value(form.row_of("总分"), "得分") is None
    assert form.values.cell(form.row_of("绩效等级"), form.col["分值"]).value in (None, "")
    assert snap(import_xlsx(path).document) == snap(doc)


def test_auto_column_lists_only_what_the_program_filled(tmp_path):
    doc = computed_document()
    doc.unit_evaluation.leaves().__next__().score_override = Decimal(25)
    form = Form(export(doc, tmp_path), "部门整体")
    assert form.value(form.row_of("参保人数"), AUTO_LABEL) is None
    assert form.value(form.row_of("发放及时率"), AUTO_LABEL) == "得分=30"
    # every score is rounded to two places by the rule set, so the shown cells add up: the 总分 is a SUM
    total = score_evaluation(doc.unit_evaluation).total
    assert form.value(form.row_of("总分"), AUTO_LABEL) == "得分=公式"
    assert str(form.cell(form.row_of("总分"), "得分").value).startswith("=SUM(")
    assert Decimal(str(form.value(form.row_of("总分"), "得分"))) == total
    project = Form(export(doc, tmp_path, "p.xlsx"), "51000021R000000019951-工资性支出")
    assert project.value(project.row_of("总分"), AUTO_LABEL) == "得分=公式"
    last_printed = form.ws.print_area.split(":")[-1].lstrip("$").split("$")[0]
    assert openpyxl.utils.column_index_from_string(last_printed) < form.col[AUTO_LABEL]


# -- the paper's page ---------------------------------------------------------------------------

def test_page_setup_is_the_papers(tmp_path):
    path = export(rich_document(), tmp_path)
    wb = openpyxl.load_workbook(path)
    for ws in (ws for ws in wb.worksheets if ws.sheet_state == "visible"):
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.page_margins.left == pytest.approx(15 / 25.4)
        assert ws.page_margins.top == pytest.approx(14 / 25.4)
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
        assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"
    # the 财政部 project form (8 columns) and the 晋中 one print portrait as their paper;
    # the 江苏 unit form with a rule column and deviation notes too needs landscape
    assert wb["老字号传承2023扶持"].page_setup.orientation == "portrait"
    assert wb["老字号传承2023扶持(2)"].page_setup.orientation == "portrait"
    assert wb["部门整体"].page_setup.orientation == "landscape"


def test_orientation_follows_the_layouts_columns():
    from perfdesk.model.layouts import layouts

    for layout in layouts():
        ev = Evaluation(kind=EvaluationKind(layout.kind), layout=layout.id)
        columns = xlsx_export._columns(ev)
        assert ("rule" in columns) == layout.has_rule_column
        assert ("deviation" in columns) == layout.has_deviation_column
        assert xlsx_export._orientation(columns) == "portrait", layout.id  # every paper form is


def test_amounts_have_thousands_separators_and_keep_every_fen(tmp_path):
    doc = computed_document()
    doc.unit_evaluation.budget.total.initial_budget = wan_to_fen("93116.2154")
    form = Form(export(doc, tmp_path), "部门整体")
    cell, value = form.budget("资金总额", "年初预算数")
    assert value == 93116.2154 and cell.number_format == "#,##0.00####"


def test_everything_needed_to_match_a_re_imported_project_is_exported(tmp_path):
    """Names (with the project code written in them) and every 项目信息 field go out and come back."""
    assert {key for key, _ in PROJECT_FIELDS} == {f.name for f in fields(ProjectInfo)}
    assert {key for key, _ in UNIT_FIELDS + UNIT_SIGN_FIELDS} == {f.name for f in fields(UnitProfile)}
    doc = computed_document()
    back = import_xlsx(export(doc, tmp_path)).document
    assert [p.name for p in back.projects] == ["51000021R000000019951-工资性支出"]
    assert snap(back.projects[0].project) == snap(doc.projects[0].project)


def test_export_replaces_the_file_whole_or_not_at_all(tmp_path, monkeypatch):
    from perfdesk.store import atomic

    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old workbook")

    def half_then_full_disk(f, data):
        f.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_data", half_then_full_disk)
    with pytest.raises(OSError):
        export_xlsx(computed_document(), path)
    assert path.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
    monkeypatch.undo()
    export_xlsx(computed_document(), path)
    assert import_xlsx(path).document.projects[0].name.endswith("工资性支出")
    assert os.stat(path).st_mode & 0o044  # readable like any saved file (not mkstemp's 0600)


# -- as LibreOffice shows and prints it ---------------------------------------------------------

def _soffice():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice or poppler-utils not installed")
    return soffice


def test_libreoffice_prints_the_filled_scores_on_a4(tmp_path):
    soffice = _soffice()
    doc = computed_document()
    path = export(doc, tmp_path, "form.xlsx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "form.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)  # A4 portrait
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    numbers = re.findall(r"\d[\d,]*\.?\d*%?", text)
    # leaf scores, the execution line, the sums (from the saved formula values) and amounts
    for figure in ("27", "17.67", "9.73", "97.28%", "90.5", "1,234.56", "1,167.30", "100"):
        assert figure in numbers, figure
    sc = score_evaluation(doc.unit_evaluation)
    assert f"{sc.total.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".") in numbers
    # nothing printed of the grey columns outside the print area
    assert "计算得分" not in text.replace(" ", "") and "自动填入" not in text.replace(" ", "")


def test_reimporting_the_programs_own_export_matches_every_project(tmp_path):
    """Issue 11 item 4: the export carries the names (and codes written in them) that the
    import preview matches on, so importing it into its own document adds no project."""
    from perfdesk import ops
    from perfdesk.model.dump import dump
    from perfdesk.ops.importing import ADD, plan_import, plan_operations

    doc = rich_document()
    doc.projects = [p for p in doc.projects if p.name]  # a project without a name has nothing to match
    doc.projects.append(computed_document().projects[0])  # “51000021R…-工资性支出”
    imported = import_xlsx(export(doc, tmp_path)).document
    plan = plan_import(doc, imported)
    project_choices = [c for c in plan.choices if c.imported.kind is EvaluationKind.PROJECT]
    assert len(project_choices) == len(doc.projects)
    assert all(c.action != ADD for c in project_choices)
    assert [c.target for c in project_choices] == doc.projects  # each matched to itself, in order
    before, count = dump(doc), len(doc.projects)
    ops.apply(doc, plan_operations(doc, plan))
    assert len(doc.projects) == count and dump(doc) == before


def test_computed_scores_stay_computed_after_a_save_in_libreoffice(tmp_path):
    """LibreOffice recalculates the sums and saves its own values: still the same document."""
    soffice = _soffice()
    doc = computed_document()
    path = export(doc, tmp_path, "doc.xlsx")
    out = tmp_path / "resaved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    resaved = openpyxl.load_workbook(out / "doc.xlsx")
    assert any(c.data_type == "f" for row in resaved["部门整体"].iter_rows() for c in row)  # formulas kept
    assert snap(import_xlsx(out / "doc.xlsx").document) == snap(doc)


def test_a_total_out_of_weights_that_are_not_100_gets_no_grade_and_an_absent_unit_form_no_figures(tmp_path):
    """A walk found 总分 108 of 分值 110 graded 优 in Excel while the window shows “—”, and a
    部门整体 sheet graded 差 with 计算总分 0 for a document that holds no unit form."""
    doc = computed_document()
    project = doc.projects[0]
    project.leaves().__next__().weight = Decimal(100)     # 分值合计 110
    project.leaves().__next__().score_override = Decimal(98)
    project.stated_grade = "优"
    doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
    path = export(doc, tmp_path)
    form = Form(path, "51000021R000000019951-工资性支出")
    assert score_evaluation(project).weight_total == 110
    grade = form.cell(form.row_of("绩效等级"), "分值")
    assert grade.value == "优" and "分值合计 110 不是 100" in grade.comment.text
    computed_col = next(c for c in range(1, form.ws.max_column + 1)
                        if str(form.ws.cell(form.header, c).value or "").startswith("计算得分"))
    assert form.values.cell(form.row_of("绩效等级"), computed_col).value == "—"
    project.stated_grade = ""
    path = export(doc, tmp_path, "again.xlsx")
    form = Form(path, "51000021R000000019951-工资性支出")
    assert form.values.cell(form.row_of("绩效等级"), form.col["分值"]).value == "—"
    # the 部门整体 sheet keeps the 单位信息 (the round trip needs it) but shows no 总分 0 and no 差
    unit = Form(path, "部门整体")
    for label in ("总分", "绩效等级"):
        row = unit.row_of(label)
        shown = [unit.values.cell(row, c).value for c in range(2, unit.ws.max_column + 1)]
        assert not [v for v in shown if isinstance(v, (int, float)) and v != 0], label   # 分值合计 0 at most
        assert not {"优", "良", "中", "差", "—"} & set(shown), label
