"""Word export: what exists and only that, official type, real tables with merged cells;
LibreOffice renders it with every cell's text and nothing wider than the page."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk import cli
from perfdesk.demo import demo_document
from perfdesk.drafts import draft
from perfdesk.exchange.docx_export import DocxError, build_docx, export_docx, plan
from perfdesk.exchange.text_import import import_text
from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.scoring import format_score, score_evaluation

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def seed(prefix: str) -> Document:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed {prefix} missing")
    return import_text(files[0].read_text(encoding="utf-8")).document


def body(data: bytes):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), z


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def cell_texts(data: bytes) -> list[tuple[str, bool]]:
    """(text, has borders) of every table cell that starts a merge or stands alone."""
    root, _ = body(data)
    out = []
    for tbl in root.iter(f"{W}tbl"):
        bordered = tbl.find(f"{W}tblPr/{W}tblBorders/{W}top").get(f"{W}val") != "nil"
        for tc in tbl.iter(f"{W}tc"):
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val") != "restart":
                continue
            text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
            if text.strip():
                out.append((text, bordered))
    return out


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every paragraph outside tables."""
    root, _ = body(data)
    out = []
    for p in root.find(f"{W}body").iter(f"{W}p"):
        if any(a.tag == f"{W}tc" for a in p.iterancestors()):
            continue
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val") if style is not None else "", "".join(t.text or "" for t in p.iter(f"{W}t"))))
    return out


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ what is exported

def test_only_what_the_document_holds_is_exported():
    kinds = lambda doc: [(i.kind, i.outline.id if i.outline else i.ev.kind.value) for i in plan(doc)]
    assert kinds(seed("000")) == [("form", "unit")]
    assert kinds(seed("001")) == [("form", "project"), ("form", "project"), ("text", "explanation"),
                                  ("text", "project_report")]  # the imported 绩效评价报告 too
    assert kinds(seed("003")) == [("form", "unit"), ("text", "unit_report")]
    assert kinds(demo_document()) == [("form", "unit")] + [("form", "project")] * 4  # no prose: no report
    with pytest.raises(DocxError, match="文档中没有整体绩效评价报告"):
        plan(seed("000"), "report")
    with pytest.raises(DocxError, match="文档中没有可导出的表格或文字材料"):
        plan(Document())


def test_an_accepted_draft_makes_the_self_report_exist_with_the_officers_text():
    doc = demo_document()
    ev = doc.projects[0]
    assert not [i for i in plan(doc) if i.outline is not None]
    for key in ("self_report_results", "self_report_use"):
        ev.narrative[key] = draft(doc, ev, key).text  # what 采用 does
    ev.narrative["self_report_use"] = "自评结果用于下一年度预算安排。"  # then edited by the officer
    items = [i for i in plan(doc) if i.outline is not None]
    assert [(i.outline.id, i.ev.name) for i in items] == [("project_self_report", ev.name)]
    data, _ = build_docx(doc, "self-reports")
    paras = paragraphs(data)
    assert ("PDTitle", f"{ev.name}项目2022年度支出绩效自评报告") in paras
    # two sections present: numbered 一、二、 without gaps, with their headings of the circular's outline
    assert ("PDH1", "一、绩效目标实现情况") in paras and ("PDH1", "二、自评结果应用") in paras
    assert ("PDBody", "自评结果用于下一年度预算安排。") in paras
    total = format_score(score_evaluation(ev).total)
    assert any(f"自评得分为{total}分" in text for _, text in paras)


def test_imported_prose_is_exported_word_for_word():
    doc = seed("003")
    data, _ = build_docx(doc, "report")
    texts = [text for _, text in paragraphs(data)]
    for key, text in doc.unit_evaluation.narrative.items():
        if not key.startswith("report_"):
            continue
        for line in text.splitlines():
            if line.strip():
                assert line.strip().lstrip("\u3000") in texts, (key, line)
    titles = [text for style, text in paragraphs(data) if style == "PDTitle"]
    assert titles == ["如皋市社会养老保险管理处2023年度整体绩效评价报告"]
    # seed 001's 情况说明 keeps its own title line as the title, once
    data, _ = build_docx(seed("001"), "explanation")
    paras = paragraphs(data)
    assert [t for s, t in paras if s == "PDTitle"] == ["关于2023年度预算绩效情况说明"]
    assert sum(1 for _, t in paras if t == "关于2023年度预算绩效情况说明") == 1
    assert ("PDH1", "（1）预算绩效管理工作开展情况") in paras


def test_forms_are_tables_with_merged_cells_and_every_figure():
    doc = demo_document()
    data, count = build_docx(doc)
    assert count == 5
    root, _ = body(data)
    assert len(list(root.iter(f"{W}gridSpan"))) > 20 and len(list(root.iter(f"{W}vMerge"))) > 20
    texts = {flat(t) for t, _ in cell_texts(data)}
    for ev in doc.evaluations():
        sc = score_evaluation(ev)
        for leaf in ev.leaves():
            if leaf.name:
                assert flat(leaf.name) in texts
        if ev.stated_total is None:
            assert flat(format_score(sc.total)) in texts
        else:   # as printed: the stated 总分, marked ① … when the items add up to another figure
            assert any(t.startswith(flat(format_score(ev.stated_total))) for t in texts)
    # a stated value the computation does not give is a note under the form, not silently replaced
    notes = [t for s, t in paragraphs(data) if s == "PDNote"]
    assert any("原表填报为85.80%" in n for n in notes)  # the unit form divides by 年初预算数 (SPEC §6)


def test_an_impossible_score_is_marked_never_printed_as_valid():
    doc = seed("001")
    pension = next(p for p in doc.projects if "养老" in p.name)
    data, _ = build_docx(doc, evaluation=pension)
    texts = [t for t, _ in cell_texts(data)]
    assert "85（超出分值）" in texts
    # 总分 as the PDF prints it: the paper's 97.5 marked, the 175 the items add up to named invalid below
    assert "97.5①" in texts and "175" not in texts
    notes = [t for s, t in paragraphs(data) if s == "PDNote"]
    assert "注：①填报总分；各项得分合计为175，超出满分100（或分值合计100），不是有效得分。" in notes
    assert not any("优" == t or t.endswith("：优") for t in texts)  # (the 财政部 form has no 绩效等级 cell)


def test_word_and_pdf_show_the_same_total_and_grade():
    """A walk found the PDF printing 总分 98① while the Word table said 108 (分值合计 110)."""
    from perfdesk.model.document import Evaluation, EvaluationKind, ExecutionLine, Indicator
    from perfdesk.printing.figures import Notes, total_text
    from decimal import Decimal

    doc = seed("001")
    ev = Evaluation(kind=EvaluationKind.PROJECT, name="测试项目", layout="project-mof",
                    execution=ExecutionLine(weight=Decimal(10), stated_score=Decimal(10)))
    leaf = ev.add(Indicator("产出指标")).add(Indicator("数量指标")).add(
        Indicator("人数", weight=Decimal(100), target="100人", actual="98人", score_override=Decimal(98)))
    ev.stated_total = Decimal(98)
    doc.projects = [ev]
    sc = score_evaluation(ev)
    assert sc.weight_total == 110 and sc.total == 108
    data, _ = build_docx(doc, evaluation=ev)
    texts = [t for t, _ in cell_texts(data)]
    printed = Notes()
    assert total_text(ev, sc, printed) == "98①" and "98①" in texts and "108" not in texts
    assert leaf.score_override == 98
    notes = [t for s, t in paragraphs(data) if s == "PDNote"]
    assert f"注：{printed.lines()[0]}。" in notes and "不是有效得分" in printed.lines()[0]


def test_official_document_type_page_and_fonts():
    data, _ = build_docx(seed("003"))
    styles = part(data, "word/styles.xml")
    for style_id, font in (("PDTitle", "方正小标宋简体"), ("PDBody", "仿宋_GB2312"), ("PDH1", "黑体"),
                           ("PDH2", "楷体_GB2312"), ("PDCell", "宋体")):
        block = re.search(rf'w:styleId="{style_id}".*?</w:style>', styles, re.S).group(0)
        assert f'w:eastAsia="{font}"' in block, style_id
    body_style = re.search(r'w:styleId="PDBody".*?</w:style>', styles, re.S).group(0)
    assert 'w:sz w:val="32"' in body_style  # 3号 = 16 pt
    assert 'w:line="579" w:lineRule="exact"' in body_style  # 22 lines in the 225 mm 版心
    title_style = re.search(r'w:styleId="PDTitle".*?</w:style>', styles, re.S).group(0)
    assert 'w:sz w:val="44"' in title_style  # 2号 = 22 pt
    assert 'w:eastAsia="zh-CN"' in styles
    fonts = part(data, "word/fontTable.xml")
    assert 'w:name="仿宋_GB2312"' in fonts and "FangSong" in fonts
    root, _ = body(data)
    for sect in root.iter(f"{W}sectPr"):
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)  # A4
        assert int(margins.get(f"{W}left")) >= 1417  # ≥ 25 mm to bind
        assert sect.findall(f"{W}footerReference")
    footers = [part(data, n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer")]
    assert len(footers) == 2 and all("— " in f and " PAGE " in f and " —" in f for f in footers)
    assert "w:evenAndOddHeaders" in part(data, "word/settings.xml")
    # no table wider than its page's text block
    for tbl in root.iter(f"{W}tbl"):
        assert int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) <= round((210 - 28 - 20) / 25.4 * 1440)


def test_export_writes_atomically_and_reports_failures_in_chinese(tmp_path):
    target = tmp_path / "out.docx"
    assert export_docx(seed("003"), target) == 2
    assert zipfile.is_zipfile(target)
    with pytest.raises(DocxError, match="无法写入Word文件"):
        export_docx(seed("003"), tmp_path / "missing" / "out.docx")
    assert not list(tmp_path.glob(".perfdesk-*"))


def test_cli_export_docx(tmp_path, capsys):
    from perfdesk.store import save_document

    path = tmp_path / "d.pdesk"
    save_document(seed("001"), path)
    assert cli.main(["export-docx", str(path), "-o", str(tmp_path / "a.docx")]) == 0
    assert "已导出 4 份" in capsys.readouterr().out
    assert cli.main(["export-docx", str(path), "-o", str(tmp_path / "b.docx"), "--form", "report"]) == 2
    assert "文档中没有整体绩效评价报告" in capsys.readouterr().err
    assert not (tmp_path / "b.docx").exists()
    assert cli.main(["export-docx", str(path), "-o", str(tmp_path / "c.docx"), "--form", "projects"]) == 0


# ------------------------------------------------------------------ LibreOffice renders it

def _render(doc: Document, tmp_path: Path, name: str):
    from docx_pdf import convert, soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed (installer/dev/test.sh installs libreoffice-writer)")
    pdfplumber = pytest.importorskip("pdfplumber")
    path = tmp_path / f"{name}.docx"
    export_docx(doc, path)
    pdf = convert(path, tmp_path)
    return path.read_bytes(), pdfplumber.open(pdf)


@pytest.mark.parametrize("name", ["seed001", "seed003", "demo", "seed004"])
def test_libreoffice_renders_every_cell_and_nothing_wider_than_the_page(name, tmp_path):
    doc = {"seed001": lambda: seed("001"), "seed003": lambda: seed("003"), "demo": demo_document,
           "seed004": lambda: seed("004")}[name]()
    data, pdf = _render(doc, tmp_path, name)
    with pdf:
        page_cells, page_text = [], []
        for n, page in enumerate(pdf.pages, start=1):
            cells = [flat(c) for table in page.extract_tables() for row in table for c in row if c and flat(c)]
            page_cells.append(cells)
            text = page.extract_text() or ""
            page_text.append(flat(text))
            assert f"—{n}—" in flat(text), f"page {n} has no page number “— {n} —”"
            for ch in page.chars:
                assert ch["x0"] >= 0 and ch["x1"] <= page.width + 0.5, (n, ch["text"])
            for edge in page.edges:  # table rules stay inside the paper, left of the right margin
                assert edge["x0"] >= 28 * 72 / 25.4 - 3 and edge["x1"] <= page.width - 20 * 72 / 25.4 + 3, (n, edge)
        found = set(c for cells in page_cells for c in cells)
        everything = "".join(page_text)
        for text, bordered in cell_texts(data):
            want = flat(text)
            if not bordered:
                assert want in everything, want
                continue
            if want in found:
                continue
            # a long cell whose row breaks across pages: its two parts on consecutive pages
            split = any(want.startswith(a) and want[len(a):] in page_cells[k + 1]
                        for k in range(len(page_cells) - 1) for a in page_cells[k] if a and want != a)
            assert split, f"cell text not rendered: {want[:60]}"


def test_texts_no_form_prints_are_exported_as_other_texts_with_run_in_headings_and_own_ending():
    doc = demo_document()  # 财政部 unit form: it has no 主要成效 row
    unit = doc.unit_evaluation
    unit.narrative["achievements"] = "（一）参保扩面。全年新增参保1.2万人。\n（二）待遇发放及时准确。"
    unit.narrative["report_suggestions"] = "加强预算执行管理。\n永州市零陵区社会保险服务中心\n2023年3月1日"
    kinds = [(i.kind, i.ev.kind.value) for i in plan(doc)]
    assert ("other", "unit") in kinds and ("text", "unit") in kinds
    data, _ = build_docx(doc)
    paras = paragraphs(data)
    assert ("PDTitle", "永州市零陵区社会保险服务中心其他文字说明") in paras
    assert ("PDH1", "一、主要成效") in paras
    # “（一）参保扩面。” is a run-in heading: in the 二级标题 face, the rest of the line in body type
    root, _ = body(data)
    run_in = next(p for p in root.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith("（一）参保"))
    fonts = [r.find(f"{W}rPr/{W}rFonts") for r in run_in.iter(f"{W}r")]
    assert fonts[0] is not None and fonts[0].get(f"{W}eastAsia") == "楷体_GB2312"
    assert fonts[1] is None  # the body text takes the paragraph style (仿宋)
    assert ("PDH2", "（二）待遇发放及时准确。") in paras
    # the report's own 落款 and date are its ending, not doubled by a blank date line
    signs = [t for s, t in paras if s == "PDSign"]
    assert "2023年3月1日" in signs and "永州市零陵区社会保险服务中心" in signs
    assert "　　年　　月　　日" not in signs[signs.index("2023年3月1日") - 2:signs.index("2023年3月1日") + 1]


def test_a_form_with_nothing_scored_leaves_total_and_grade_blank_not_zero():
    from perfdesk.model.document import Indicator, Method

    doc = Document(year=2024)
    ev = Evaluation(kind=EvaluationKind.PROJECT, name="空白项目", layout="project-jinzhong")
    group = ev.add(Indicator(name="投入")).add(Indicator(name="项目目标"))
    group.add(Indicator(name="立项规范性", weight=Decimal(3), method=Method.MANUAL))
    doc.projects.append(ev)
    texts = [t for t, _ in cell_texts(build_docx(doc)[0])]
    assert "3.00" in texts  # the weights are printed
    assert "0.00" not in texts and "差" not in texts  # no invented 0 total, no grade of an empty form


def test_word_and_pdf_agree_whether_the_unit_form_exists():
    """Two definitions of “the document holds a unit form” let Word drop a form the PDF printed."""
    from decimal import Decimal

    from perfdesk.exchange.docx_export import plan as word_plan
    from perfdesk.model.document import Amounts, Document, Evaluation, EvaluationKind, ExecutionLine, UnitProfile
    from perfdesk.printing.export import plan as pdf_plan

    def unit_in_both(ev: Evaluation) -> tuple[bool, bool]:
        doc = Document(year=2024, unit=UnitProfile(name="某单位"), unit_evaluation=ev,
                       projects=[Evaluation(kind=EvaluationKind.PROJECT, name="甲", layout="project-mof")])
        pdf = any(i.kind == "evaluation" and i.evaluation is ev for i in pdf_plan(doc, "all"))
        word = any(i.kind == "form" and i.ev is ev for i in word_plan(doc, "all"))
        return pdf, word

    only_basic = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
    only_basic.budget.basic = Amounts(100, 100, 90)                      # 基本支出 typed, 资金总额 not yet
    only_stated = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof",
                             execution=ExecutionLine(weight=Decimal(10), stated_score=Decimal(9)))
    empty = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
    assert unit_in_both(only_basic) == (True, True)
    assert unit_in_both(only_stated) == (True, True)
    assert unit_in_both(empty) == (False, False)
