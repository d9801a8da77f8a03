"""指标性质, 计量单位, adjusted targets and the 评价规则 on paper (PDF) and in Word.

The 四川 form has 指标性质 / 指标值 / 度量单位 columns; the other forms print the target
composed (“≥98%”). An adjusted target prints as the 调整后指标值 with a note giving the
年初指标值 and the 调整原因, or beside its 年初指标值 where the layout has that column.
Every form names the 评价规则 that scored it, and its 绩效等级 is that rule set's.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from decimal import Decimal

import pytest

from perfdesk import templates
from perfdesk.model import layouts
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import Amounts, Document, Evaluation, EvaluationKind, Indicator, Method, UnitProfile
from perfdesk.resources import resources_dir
from perfdesk.scoring import rules, score_evaluation

pdftext = pytest.importorskip("test_printing").body_text  # pdfplumber, footers left out


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sichuan_document() -> Document:
    doc = templates.new_document("unit-sichuan", 2024, "四川某县社会保险事业管理局")
    ev = templates.new_evaluation("project-sichuan", "职业技能培训补贴")
    ev.budget.total = Amounts(parse_wan("120"), parse_wan("120"), parse_wan("102"))
    ev.budget.source("fiscal_funds").__init__(parse_wan("120"), parse_wan("120"), parse_wan("102"))
    ev.indicators = []
    output = ev.add(Indicator("产出指标", weight=Decimal(90)))
    qty = output.add(Indicator("数量指标"))
    qty.add(Indicator("培训人次", weight=Decimal(50), target="1.2", actual="1.3", method=Method.AUTO,
                      comparison="≥", unit="万人次", initial_target="1.5", adjust_reason="疫情停课两月"))
    qty.add(Indicator("安全事故", weight=Decimal(20), target="0", actual="0起", method=Method.AUTO,
                      comparison="=", unit="起"))
    qty.add(Indicator("差错率", weight=Decimal(20), target="≤5%", actual="3%", method=Method.AUTO,
                      comparison="≤", unit="%"))  # a migrated target: the text kept whole
    ev.narrative.update(execution_reason="合同跨年支付。", conclusion="总体完成年度目标。")
    doc.projects.append(ev)
    return doc


def export(doc, tmp_path, name="forms.pdf", **kwargs):
    from perfdesk.printing import export_pdf

    path = tmp_path / name
    export_pdf(doc, path, **kwargs)
    return path


@pytest.fixture
def own_layouts(tmp_path, monkeypatch):
    """A copy of resources/ where the 四川 layout has a 年初指标值 column (as 山西's and 重庆's
    一体化 forms do); caches reloaded before and after."""
    folder = tmp_path / "resources"
    for part in ("layouts", "templates", "rules"):
        shutil.copytree(resources_dir() / part, folder / part)
    for part in ("fonts", "demo"):
        (folder / part).symlink_to(resources_dir() / part)
    path = folder / "layouts" / "project-sichuan.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["columns"]["initial_target"] = True
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("PERFDESK_RESOURCES", str(folder))
    layouts._registry.cache_clear()
    templates._load_all.cache_clear()
    rules.clear_cache()
    yield folder
    monkeypatch.delenv("PERFDESK_RESOURCES")
    layouts._registry.cache_clear()
    templates._load_all.cache_clear()
    rules.clear_cache()


def test_sichuan_form_prints_comparison_unit_and_the_adjusted_target_with_its_note(tmp_path):
    doc = sichuan_document()
    text = flat(pdftext(export(doc, tmp_path, evaluation=doc.projects[0])))
    for expected in ("性质", "指标值", "度量", "完成值", "培训人次", "≥", "差错率", "评价规则：四川省"):
        assert expected in text, expected  # (narrow header cells wrap: 指标|性质, 度量|单位)
    # the 调整后指标值 1.2 is marked ①; the note gives the 年初指标值 and the 调整原因
    assert "1.2①" in text
    assert "①“培训人次”为调整后指标值，年初指标值≥1.5万人次，调整原因：疫情停课两月" in text
    assert "年初指标值" not in text.split("①“培训人次”")[0]  # no 年初 column on the 四川 paper
    # the migrated “≤5%” prints in its columns: ≤ | 5 | %, and 3% as 3
    assert "差错率≤5%3" in text


def test_a_layout_with_an_initial_target_column_prints_both_values(own_layouts, tmp_path):
    doc = sichuan_document()
    layout = layouts.layout_of("project-sichuan", "project")
    assert layout.has_initial_target_column
    text = flat(pdftext(export(doc, tmp_path, evaluation=doc.projects[0])))
    assert "年初指" in text and "调整后" in text
    assert "培训人次≥1.51.2" in text  # 指标性质, 年初, 调整后 side by side (度量单位 万人次 wraps)
    assert "为调整后指标值" not in text  # no note needed


def test_other_forms_print_the_target_composed_and_a_note_for_an_adjusted_one(tmp_path):
    doc = templates.new_document("unit-mof", 2024, "某单位")
    project = templates.new_evaluation("project-mof", "就业补助")
    project.budget.total = Amounts(parse_wan("100"), parse_wan("100"), parse_wan("100"))
    project.indicators = []
    qty = project.add(Indicator("产出指标", weight=Decimal(90))).add(Indicator("数量指标"))
    qty.add(Indicator("覆盖率", weight=Decimal(50), target="98", actual="95%", method=Method.AUTO,
                      comparison="≥", unit="%"))
    qty.add(Indicator("补助人数", weight=Decimal(40), target="1200", actual="1300人", method=Method.AUTO,
                      comparison="≥", unit="人", initial_target="1000", adjust_reason="追加预算"))
    doc.projects.append(project)
    from perfdesk.ops import apply
    from perfdesk.ops.rule_sets import SetRuleSet

    apply(doc, SetRuleSet("hubei"))
    text = flat(pdftext(export(doc, tmp_path, evaluation=project)))
    assert "覆盖率≥98%95%" in text  # 指标值 composed as the paper writes it
    assert "≥1200人①" in text
    assert "“补助人数”为调整后指标值，年初指标值≥1000人，调整原因：追加预算" in text
    assert "评价规则：湖北省" in text


def test_every_form_names_its_rule_set_and_grades_by_it(tmp_path, monkeypatch):
    """figures.grade_text: the evaluation's rule set's grade bands (here a 部门整体 variant 80/70/60)."""
    folder = tmp_path / "评价规则"
    folder.mkdir()
    (folder / "某县.json").write_text(json.dumps({
        "id": "mouxian", "extends": "mof", "name": "某县（2024 年自评通知）", "source": "某县财政局通知",
        "grades": {"unit_bands": [{"grade": "优", "min": 80}, {"grade": "良", "min": 70},
                                  {"grade": "中", "min": 60}], "source": "某县财政局通知：部门整体 80/70/60"},
    }, ensure_ascii=False), encoding="utf-8")
    rules.use_user_folder(folder)
    try:
        doc = Document(unit=UnitProfile(name="某单位"), year=2024)
        ev = doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof", rule_set="mouxian")
        doc.rule_set = "mouxian"
        group = ev.add(Indicator("产出指标", weight=Decimal(100))).add(Indicator("数量指标"))
        group.add(Indicator("完成率", weight=Decimal(100), target="100%", actual="85%", method=Method.HIGHER))
        sc = score_evaluation(ev)
        assert sc.total == Decimal(85) and sc.grade == "优"  # 财政部 would say 良
        text = flat(pdftext(export(doc, tmp_path)))
        assert "评价规则：某县（2024年自评通知）" in text
        assert "良" not in text.split("评价规则")[0].split("总分")[-1]
        from perfdesk.printing.figures import Notes, grade_text

        assert grade_text(ev, sc, Notes()) == "优"
        ev.stated_grade = "良"
        notes = Notes()
        assert grade_text(ev, sc, notes) == "良①" and "应为“优”" in notes.text()
    finally:
        rules.use_user_folder(None)


def test_jinzhong_and_jiangsu_forms_name_the_rule_set_too(tmp_path):
    from factories import jinzhong_document

    doc = jinzhong_document()
    doc.unit_evaluation.layout = "unit-jiangsu"
    text = flat(pdftext(export(doc, tmp_path)))
    assert text.count("评价规则：财政部") == 1 + len(doc.projects)


# --- Word ---------------------------------------------------------------------------------------

def docx_cells(data: bytes) -> list[str]:
    from test_docx import cell_texts

    return [flat(t) for t, _ in cell_texts(data)]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return flat("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))


def test_word_has_the_sichuan_form_with_its_columns_and_notes():
    from perfdesk.exchange.docx_export import build_docx

    doc = sichuan_document()
    data, count = build_docx(doc, evaluation=doc.projects[0])
    assert count == 1
    cells = docx_cells(data)
    for expected in ("指标性质", "指标值", "度量单位", "完成值", "未完成原因分析", "其中：财政资金", "财政专户管理资金",
                     "≥", "万人次", "1.2", "合同跨年支付。", "总体完成年度目标。"):
        assert expected in cells, expected
    text = docx_text(data)
    assert "注：“培训人次”的指标值为调整后指标值，年初指标值≥1.5万人次，调整原因：疫情停课两月。" in text
    assert "评价规则：四川省" in text


def test_word_forms_compose_the_target(tmp_path):
    from perfdesk.exchange.docx_export import build_docx
    from factories import small_document

    doc = small_document()
    leaf = doc.projects[0].indicators[0].children[0].children[0]
    leaf.target, leaf.comparison, leaf.unit = "100", "≥", "人"
    data, _ = build_docx(doc, evaluation=doc.projects[0])
    assert "≥100人" in docx_cells(data)
    assert "评价规则：财政部" in docx_text(data)


def test_word_with_an_initial_target_column(own_layouts):
    from perfdesk.exchange.docx_export import build_docx

    doc = sichuan_document()
    data, _ = build_docx(doc, evaluation=doc.projects[0])
    cells = docx_cells(data)
    assert "年初指标值" in cells and "调整后指标值" in cells and "1.5" in cells
    assert "为调整后指标值" not in docx_text(data)


def test_the_command_line_knows_the_users_rule_sets(tmp_path, monkeypatch, capsys):
    from perfdesk.cli import main
    from perfdesk.store import save_document

    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "评价规则"
    folder.mkdir(parents=True)
    (folder / "某县.json").write_text(json.dumps({
        "id": "mouxian", "extends": "mof", "name": "某县（自定）", "source": "某县财政局通知"},
        ensure_ascii=False), encoding="utf-8")
    doc = sichuan_document()
    doc.rule_set = "mouxian"
    for ev in doc.evaluations():
        ev.rule_set = "mouxian"
    path = tmp_path / "doc.pdesk"
    save_document(doc, path)
    try:
        assert main(["check", str(path), "--json"]) in (0, 1)
        out = capsys.readouterr().out
        assert "rule_set_unknown" not in out and "mouxian" not in out
        assert rules.user_folder() == folder
        # on a computer without that file the checks say so
        (folder / "某县.json").unlink()
        assert main(["check", str(path), "--json"]) in (0, 1)
        assert "rule_set_unknown" in capsys.readouterr().out
    finally:
        rules.use_user_folder(None)
