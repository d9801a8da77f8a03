"""Printing: the forms and documents as A4 PDF (ReportLab), checked with poppler and pdfplumber.

Figures are compared with the document and the scoring engine; imported prose
must come out exactly as imported; nothing the document does not hold is printed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.demo import demo_document
from perfdesk.model.amounts import format_wan, wan_to_fen
from perfdesk.model.document import (
    Amounts, BudgetLine, Document, Evaluation, EvaluationKind, ExecutionLine, Indicator, Method, UnitProfile,
)
from perfdesk.printing import ExportCancelled, FinalRefused, PrintError, export_pdf, fingerprint, plan, preflight
from perfdesk.printing.common import DOC_LEFT, DOC_TOP, FORM_LEFT
from perfdesk.scoring import execution_rate, format_rate, format_score, score_evaluation

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
FOOTER = re.compile(r"^(第 \d+ 页 共 \d+ 页|— \d+ —|.*文件指纹 [0-9A-F]{4}-[0-9A-F]{4}|草|稿)$")
MM = 72 / 25.4


def pdftext(path: Path, *args: str, footers: bool = True) -> str:
    if not footers:
        return body_text(path, *args)
    return subprocess.run(["pdftotext", "-raw", *args, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def body_text(path: Path, *args: str) -> str:
    """The text of the pages without the watermark and the footers (page numbers,
    fingerprint), in reading order (pdfplumber)."""
    import pdfplumber

    first = int(args[args.index("-f") + 1]) if "-f" in args else 1
    last = int(args[args.index("-l") + 1]) if "-l" in args else None
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first - 1:last]:
            body = page.filter(lambda o: o.get("object_type") != "char"
                               or (o["size"] < 30 and o["top"] < page.height - 13 * MM
                                   and not (round(o["size"]) == 14 and o["top"] > page.height - 40 * MM)))
            out.append(body.extract_text())
    return "\n".join(out)


def page_text(path: Path, page: int) -> str:
    return flat(pdftext(path, "-f", str(page), "-l", str(page), footers=False))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def seed(prefix: str) -> Document:
    from perfdesk.exchange.text_import import import_text

    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("seed fixtures missing")
    return import_text(files[0].read_text(encoding="utf-8")).document


@pytest.fixture(scope="module")
def demo():
    return demo_document()


def evaluation_figures(ev: Evaluation) -> list[str]:
    """Names and figures of an evaluation that its form must show (as stated)."""
    out = [ev.name]
    for node in ev.walk():
        out.append(node.name)
        if not node.children:
            out += [node.target, node.actual, format_score(node.weight), node.deviation_note]
    total = ev.budget.total
    out += [format_wan(total.initial_budget), format_wan(total.annual_budget), format_wan(total.spent)]
    out += [ev.goals.expected, ev.goals.achieved]
    return [flat(x) for x in out if x and flat(x)]


# ---------------------------------------------------------------- what is printed

def test_demo_prints_its_forms_only_with_embedded_fonts_and_watermark(demo, tmp_path):
    path = tmp_path / "all.pdf"
    pages = export_pdf(demo, path)
    assert pages == page_count(path) == 1 + len(demo.projects)  # no report, no 情况说明: the demo has no text
    assert [i.kind for i in plan(demo)] == ["evaluation"] * 5
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes" and "TrueType" in row, row  # every font embedded, TrueType subsets
    text = pdftext(path)
    assert "草稿" in flat(text) and f"文件指纹 {fingerprint(demo)}" in text and "第 1 页 共 1 页" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Keywords:\s+打印字体：宋体：", info), info  # the faces used, in the PDF's properties
    demo.final = True
    try:
        export_pdf(demo, path)
        assert "草稿" not in flat(pdftext(path))
    finally:
        demo.final = False


def test_a_request_for_what_the_document_does_not_hold_is_refused(demo, tmp_path):
    for form, what in (("report", "整体绩效评价报告"), ("explanation", "预算绩效情况说明"),
                       ("project-reports", "项目绩效评价报告"), ("other-texts", "其他文字说明")):
        with pytest.raises(PrintError, match=f"文档中没有{what}"):
            export_pdf(demo, tmp_path / "x.pdf", form=form)
    empty = Document(unit=UnitProfile(name="空单位"), year=2024)
    with pytest.raises(PrintError, match="没有部门整体支出绩效自评表"):
        export_pdf(empty, tmp_path / "x.pdf", form="unit")
    with pytest.raises(PrintError, match="没有项目支出绩效自评表"):
        export_pdf(empty, tmp_path / "x.pdf", form="projects")
    with pytest.raises(PrintError, match="没有可打印"):
        export_pdf(empty, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_seed_001_prints_no_invented_page_and_its_prose_as_imported(tmp_path):
    doc = seed("001")
    items = [(i.kind, i.document.key if i.document else i.evaluation.name) for i in plan(doc)]
    # two project forms, the 情况说明 and the imported 城乡居民养老保险 report: no empty unit form
    assert items == [("evaluation", "老字号"), ("evaluation", "城乡居民基本养老保险"),
                     ("document", "explanation"), ("document", "project-reports")]
    path = tmp_path / "001.pdf"
    pages = export_pdf(doc, path)
    text = flat(pdftext(path, footers=False))
    explanation = doc.unit_evaluation.narrative["explanation"]
    assert flat(explanation) in text  # every character, in order: nothing rewritten, nothing inserted
    assert text.count(flat("老字号项目绩效自评综述")) == 1  # no generated sections around it
    assert "我单位在2023年度" not in text and "我局在2023年度部门决算中反映" in text and "（未填写）" not in text
    report = doc.projects[1].narrative["report"]
    assert flat(report) in text
    path = tmp_path / "reports.pdf"
    assert export_pdf(doc, path, form="project-reports") >= 2
    assert flat(report) in flat(pdftext(path, footers=False))
    assert pages == page_count(tmp_path / "001.pdf")


def test_seed_003_report_is_the_officers_text_only(tmp_path):
    doc = seed("003")
    path = tmp_path / "r.pdf"
    export_pdf(doc, path, form="report")
    text = flat(pdftext(path, footers=False))
    n = doc.unit_evaluation.narrative
    for key in ("report_overview", "report_duties", "report_process", "report_conclusion", "report_suggestions"):
        assert flat(n[key]) in text
    assert "97.20分，等级为优" in text
    assert "得分为29" not in text and "得分为29.00" not in text  # no sentence generated from the form's figures
    for heading in ("一、部门基本情况", "（一）部门概况", "二、评价工作情况", "（三）绩效评价结论", "三、主要绩效",
                    "五、有关建议"):
        assert heading in text


def test_seed_004_jinzhong_paper_wording_date_and_two_pages(tmp_path):
    doc = seed("004")
    assert [i.kind for i in plan(doc)] == ["evaluation"]  # no empty 部门整体 form
    ev = doc.projects[0]
    path = tmp_path / "j.pdf"
    pages = export_pdf(doc, path)
    assert pages == 2  # the 评分表 splits at rows: no two-thirds-empty page
    text = flat(pdftext(path))
    for needle in ("晋中市财政支出项目绩效自评表", "（2020年度）", "填报单位（公章）", "项目概况", "绩效目标实现情况",
                   "完成进度", "评分表", "投入：", "综合得分：", "评价结果等次", "2536.08", "2364.01", "19.80",
                   "99.80", "100.00", "93.13%", "93.22%", "杨宝金", "闫小全", "077", "单位负责人（签章）",
                   "填报日期：2021-07-05"):
        assert flat(needle) in text, needle
    for leaf in ev.leaves():
        assert flat(leaf.name) in text


# ---------------------------------------------------------------- stated and computed figures

def test_stated_figures_print_as_stated_and_computed_ones_in_marked_notes(tmp_path):
    doc = seed("001")
    path = tmp_path / "p.pdf"
    export_pdf(doc, path, form="projects")
    first, second = page_text(path, 1), page_text(path, 2)
    # 老字号: stated 100% and 10 beside the computed 97.31% / 9.73, 效益 stated 30 of 20 assigned, 总分 100 of 90
    assert "100.00%①" in first and "10②" in first
    assert "按全年执行数÷全年预算数（B/A）计算为97.31%" in first and "按执行率计算为9.73" in first
    assert "（30分）③" in first and "下级指标分值合计20" in first
    assert "各项得分合计为90" in first
    # 城乡居民基本养老保险: 得分 85 of 10 and 总分 97.5 while the scores add up to 175
    assert "85②" in second and "不是有效得分" in second
    assert "97.5③" in second and "各项得分合计为175" in second
    assert "175③" not in second and not re.search(r"总分\d*175", second)
    # never printed as valid: a final document with such a figure is refused unless a draft
    doc.final = True
    with pytest.raises(FinalRefused, match="不能按定稿打印"):
        export_pdf(doc, path)
    assert export_pdf(doc, path, draft=True) and "草稿" in flat(pdftext(path))


def test_unit_form_layout_b_has_every_figure_and_the_paper_labels(demo, tmp_path):
    path = tmp_path / "unit.pdf"
    assert export_pdf(demo, path, form="unit") == 1
    text = flat(pdftext(path))
    ev = demo.unit_evaluation
    for needle in evaluation_figures(ev):
        assert needle in text, needle
    for needle in ("附件1", "部门整体支出绩效自评表", "（2022年度）", "年度预算申请", "按收入性质分", "按支出性质分",
                   "年度总体目标", "偏差原因分析及改进措施", "总分", "470.19", "61.00", "531.19",
                   "填报单位（盖章）：永州市零陵区社会保险服务中心", "单位负责人（签章）：张建国", "财务负责人：李秀梅",
                   "填表人：王芳", "联系电话：0746-6221234"):
        assert flat(needle) in text, needle
    # the paper's stated 85.8% is printed, marked, and the computed rate is in the note
    assert "85.80%①" in text and "计算为100.00%" in text
    assert "绩效等级" not in text  # the 财政部 form has no grade line
    export_pdf(demo, path, form="unit", signatories={"leader": "赵一", "phone": "13800000000"})
    text = flat(pdftext(path))
    assert "赵一" in text and "13800000000" in text and "李秀梅" in text and "张建国" not in text


def test_preflight_lists_the_errors_of_what_is_printed():
    doc = seed("001")
    checked = preflight(doc)
    codes = [f.code for f in checked.errors]
    assert "score_over_weight" in codes and "total_invalid" in codes
    assert {f.code for f in checked.impossible} == {"score_over_weight", "total_invalid"}
    assert checked.first_error.place.evaluation == doc.projects[0].uid
    assert "审核发现" in checked.summary()
    assert not preflight(seed("004"))


def test_the_printer_counts_errors_as_check_does_and_names_invalid_totals_apart():
    """A walk found `check` saying 错误 2 项 and `export-pdf` 审核发现 3 项错误 for one file."""
    from perfdesk.checks import ERROR, check_evaluation

    doc = seed("001")
    checked = preflight(doc)
    audit = sum(1 for ev in doc.evaluations() if ev.is_checked()
                for f in check_evaluation(ev, score_evaluation(ev)) if f.severity == ERROR)
    invalid = sum(1 for f in checked.errors if f.code == "total_invalid")
    assert invalid >= 1 and checked.audit_count == audit
    assert checked.summary().splitlines()[0] == f"审核发现 {audit} 项错误，另有 {invalid} 个总分不是有效得分："
    assert not preflight(doc, "explanation")  # a document alone prints no form figures


# ---------------------------------------------------------------- forms as the paper

def test_jiangsu_form_seed_000_prints_on_two_pages_like_the_paper(tmp_path):
    doc = seed("000")
    ev = doc.unit_evaluation
    path = tmp_path / "a.pdf"
    pages = export_pdf(doc, path, form="unit")
    assert pages == 2
    text = flat(pdftext(path))
    for needle in evaluation_figures(ev):
        assert needle in text, needle
    for line in ev.budget.project_lines:
        assert flat(line.name) in text
    for needle in ("2023年市级部门整体支出绩效自我评价表", "单位名称", "主要职能", "机构设置及人员配置",
                   "预算安排及支出情况", "评价要点及评分规则", "合计", "绩效等级", "主要成效", "存在问题", "整改举措",
                   "93116.21万元", "90347.62万元", "96.8", "决策(6)", "计划制定(2)", "履职(56)", "职能(24)",
                   "职能(32)", "填报单位（盖章）", "填报日期："):
        assert flat(needle) in text, needle
    per_page = [page_text(path, i) for i in range(1, pages + 1)]
    assert all("一级指标二级指标三级指标" in p for p in per_page)  # header repeated
    last = per_page[-1]
    assert "单位负责人（签章）" in last and not any("单位负责人（签章）" in p for p in per_page[:-1])
    # 合计 is never alone: at least one indicator row before it on its page
    assert re.search(r"\d合计", last) or last.index("合计") > last.index("一级指标二级指标") + 40


def test_forms_leave_a_binding_margin_and_room_for_the_date(tmp_path):
    import pdfplumber

    doc = seed("000")
    path = tmp_path / "a.pdf"
    export_pdf(doc, path)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            xs = [c["x0"] for c in page.chars if c["size"] < 30]
            assert min(xs) >= FORM_LEFT - 0.5 >= 25 * MM - 0.5
            lines = [e["x0"] for e in page.edges] if page.edges else []
            assert not lines or min(lines) >= FORM_LEFT - 1
            words = [w for w in page.extract_words(keep_blank_chars=True) if "填报日期" in w["text"]]
            for w in words:
                # “填报日期：　　　年　　月　　日”: the blanks are kept, room to write
                assert w["x1"] - w["x0"] > 60 * MM / 10 * 5 or "年" not in w["text"]
    text = pdftext(path)
    assert re.search(r"填报日期：\s*年\s+月\s+日", text)


def test_long_texts_wrap_inside_their_cells_and_flow(tmp_path):
    doc = long_doc()
    path = tmp_path / "long.pdf"
    export_pdf(doc, path)
    text = flat(pdftext(path, footers=False))
    text = re.sub(r"(主要职能|主要成效)(（续）)?", "", text)  # labels sit mid-row, between the text lines
    assert flat(doc.unit.functions) in text  # 主要职能, 3000 characters: nothing clipped
    assert flat(doc.unit_evaluation.narrative["achievements"]) in text
    note = flat(next(doc.projects[0].leaves()).deviation_note)
    assert len(note) == 200
    import pdfplumber

    with pdfplumber.open(path) as pdf:  # the note's own column, read top to bottom
        page = next(p for p in pdf.pages if "注释结束" in (p.extract_text() or ""))
        start = page.search("偏差原因：部分")[0]
        column = sorted((c for c in page.chars if c["x0"] >= start["x0"] - 0.5 and c["size"] < 30
                         and c["top"] >= start["top"] - 1), key=lambda c: (round(c["top"]), c["x0"]))
        assert note in flat("".join(c["text"] for c in column))

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for c in page.chars:
                if c["size"] > 30:
                    continue  # the watermark
                assert FORM_LEFT - 0.5 <= c["x0"] and c["x1"] <= page.width - 10 * MM, (page.page_number, c["text"])
                assert 0 <= c["top"] and c["bottom"] <= page.height


def test_signature_never_alone_and_on_the_last_page(tmp_path):
    doc = long_doc()
    path = tmp_path / "u.pdf"
    pages = export_pdf(doc, path, form="unit")
    assert pages >= 2
    last = page_text(path, pages)
    assert "单位负责人（签章）" in last
    assert "叙述结束" in last or "整改举措" in last


# ---------------------------------------------------------------- official documents (GB/T 9704)

def test_documents_are_set_per_gb_t_9704(tmp_path):
    import pdfplumber

    doc = seed("003")
    path = tmp_path / "r.pdf"
    pages = export_pdf(doc, path, form="report")
    assert pages >= 3
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        sizes = {round(c["size"]) for c in first.chars}
        assert 22 in sizes and 16 in sizes  # 2号 title, 3号 body
        title = [c for c in first.chars if round(c["size"]) == 22]
        assert "".join(c["text"] for c in title).startswith("如皋市社会养老保险管理处2023年度")
        for number, page in enumerate(pdf.pages, start=1):
            body = [c for c in page.chars if round(c["size"]) == 16]
            tops = sorted({round(c["top"]) for c in body})
            assert len(tops) <= 22  # 22 lines a page
            for top in tops:
                line = [c for c in body if round(c["top"]) == top and c["text"].strip()]
                cjk = [c for c in line if "\u4e00" <= c["text"] <= "\u9fff"]
                assert len(cjk) <= 28  # 28 characters a line
            assert min(c["x0"] for c in body) >= DOC_LEFT - 0.5
            assert min(c["top"] for c in page.chars if c["size"] < 30) >= DOC_TOP - 1
            footer = "".join(c["text"] for c in page.chars if round(c["size"]) == 14)
            assert footer.replace(" ", "") == f"—{number}—"
            if number % 2:  # odd pages: right, even pages: left
                assert min(c["x0"] for c in page.chars if round(c["size"]) == 14) > page.width / 2
            else:
                assert max(c["x1"] for c in page.chars if round(c["size"]) == 14) < page.width / 2
        fonts = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars if round(c["size"]) in (16, 22)}
        assert len(fonts) >= 2  # title and body in their own faces
    text = pdftext(path)
    assert "如皋市社会养老保险管理处" in flat(text.splitlines()[-6:].__str__()) or "年月日" in flat(text)


# ---------------------------------------------------------------- robustness

def test_bad_requests_and_cancel_leave_no_file(demo, tmp_path):
    path = tmp_path / "x.pdf"
    with pytest.raises(PrintError, match="未知的表格类型"):
        export_pdf(demo, path, form="everything")
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 2

    with pytest.raises(ExportCancelled, match="取消"):
        export_pdf(demo, path, progress=progress)
    assert not path.exists() and not list(tmp_path.iterdir())
    assert calls[0] == (0, 5) and calls[-1][0] == 2
    done = []
    export_pdf(demo, path, progress=lambda d, t: done.append((d, t)) or True)
    assert done[-1] == (5, 5) and path.exists()
    with pytest.raises(PrintError, match="无法写入PDF文件"):
        export_pdf(demo, tmp_path / "no" / "such" / "dir" / "x.pdf")


def test_per_form_export(tmp_path):
    from perfdesk.printing import export_pdf_per_form

    doc = seed("001")
    files = export_pdf_per_form(doc, tmp_path)
    assert len(files) == 4 and all(f.exists() and page_count(f) >= 1 for f in files)
    assert any("预算绩效情况说明" in f.name for f in files) and any("项目绩效评价报告" in f.name for f in files)


def test_fingerprint_follows_content():
    a, b = long_doc(), long_doc()
    assert fingerprint(a) == fingerprint(b)
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", fingerprint(a))
    b.final = True
    assert fingerprint(a) == fingerprint(b)
    next(b.projects[0].leaves()).actual = "81人"
    assert fingerprint(a) != fingerprint(b)


def test_other_texts_are_printed_once_and_nothing_typed_is_lost(demo, tmp_path):
    demo.unit_evaluation.narrative["achievements"] = "本年度完成了全部参保扩面任务。"  # no row for it on the 财政部 form
    try:
        items = plan(demo)
        assert [i.document.key for i in items if i.document] == ["other-texts"]
        path = tmp_path / "o.pdf"
        export_pdf(demo, path, form="other-texts")
        text = flat(pdftext(path, footers=False))
        assert "一、主要成效" in text and "本年度完成了全部参保扩面任务。" in text
    finally:
        del demo.unit_evaluation.narrative["achievements"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004", "demo"])
def test_export_pdf_every_form_on_every_seed_exits_0_or_2(prefix, tmp_path):
    """`export-pdf --form X`: the pages, or a Chinese message and exit code 2."""
    from perfdesk.cli import main
    from perfdesk.printing import FORMS
    from perfdesk.store import save_document

    doc = demo_document() if prefix == "demo" else seed(prefix)
    src = tmp_path / "d.pdesk"
    save_document(doc, src)
    for form in FORMS:
        out = tmp_path / f"{form}.pdf"
        r = subprocess.run([sys.executable, "-m", "perfdesk", "export-pdf", str(src), "-o", str(out), "--form", form],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert r.returncode in (0, 2), (form, r.stderr)
        assert "Traceback" not in r.stderr and "内部错误" not in r.stderr
        if r.returncode == 0:
            assert out.exists() and page_count(out) >= 1 and "已导出" in r.stdout
        else:
            assert "文档中没有" in r.stderr and not out.exists()
    assert main(["export-pdf", str(src), "-o", str(tmp_path / "all.pdf")]) == 0


# ---------------------------------------------------------------- helpers

def long_doc(note_len: int = 200, narrative_len: int = 3000) -> Document:
    filler = "本单位严格执行预算管理制度，加强绩效运行监控，确保资金安全有效使用。"
    narrative = (filler * (narrative_len // len(filler) + 1))[:narrative_len - 4] + "叙述结束"
    note = ("偏差原因：" + "部分参保人员未能按时完成待遇资格认证，导致待遇暂停发放" * 10)[: note_len - 4] + "注释结束"
    unit_ev = Evaluation(kind=EvaluationKind.UNIT, name="长文本测试单位", layout="unit-jiangsu")
    unit_ev.budget.total = Amounts(None, wan_to_fen("100"), wan_to_fen("90"))
    unit_ev.budget.basic = Amounts(None, wan_to_fen("40"), wan_to_fen("40"))
    unit_ev.budget.project = Amounts(None, wan_to_fen("60"), wan_to_fen("50"))
    unit_ev.budget.project_lines = [BudgetLine("项目甲", Amounts(None, wan_to_fen("60"), wan_to_fen("50")))]
    g = unit_ev.add(Indicator(name="履职", weight=Decimal(100)))
    sub = g.add(Indicator(name="职能", weight=Decimal(100)))
    for i in range(10):
        sub.add(Indicator(name=f"指标{i}", weight=Decimal(10), target="100%", actual="90%",
                          method=Method.HIGHER, rule_text="按完成比例计分"))
    sub.children[0].target = "LONGTARGET" + "1234567890" * 6
    unit_ev.narrative = {"achievements": narrative, "problems": "无", "remedies": "无"}
    project = Evaluation(kind=EvaluationKind.PROJECT, name="长偏差说明项目", layout="project-mof")
    project.budget.total = Amounts(wan_to_fen("10"), wan_to_fen("10"), wan_to_fen("9"))
    project.execution = ExecutionLine()
    out = project.add(Indicator(name="产出指标", weight=Decimal(90)))
    q = out.add(Indicator(name="数量指标"))
    q.add(Indicator(name="参保人数", weight=Decimal(90), target="100人", actual="80人",
                    method=Method.HIGHER, deviation_note=note))
    unit = UnitProfile(name="长文本测试单位", functions=narrative, leader="甲", preparer="乙")
    return Document(unit=unit, year=2024, unit_evaluation=unit_ev, projects=[project])


def test_figures_printed_match_the_engine_for_every_demo_project(demo, tmp_path):
    for ev in demo.projects:
        path = tmp_path / "p.pdf"
        assert export_pdf(demo, path, evaluation=ev) == 1
        text = flat(pdftext(path))
        for needle in evaluation_figures(ev):
            assert needle in text, needle
        sc = score_evaluation(ev)
        rate = format_rate(execution_rate(ev))
        assert rate in text or (ev.execution.stated_rate is not None and "计算为" + rate in text)
        assert format_score(sc.total) in text


def test_a_new_jiangsu_form_prints_on_two_pages_like_the_paper(tmp_path):
    """Issue 11 item 6: the template's general scoring formula printed in every row (4 pages, paper 2)."""
    from perfdesk.printing import export_pdf
    from perfdesk.templates import new_document

    doc = new_document("unit-jiangsu", 2024, "某县社会保险服务中心")
    for node in doc.unit_evaluation.leaves():
        node.actual = "达成"
    assert export_pdf(doc, tmp_path / "js.pdf", form="unit", draft=True) == 2
    texts = [n.rule_text for n in doc.unit_evaluation.leaves() if n.rule_text]
    assert len(texts) == len(set(texts))  # the unit's own points, not one formula repeated in every row


def test_the_signature_line_gives_each_signatory_room_whatever_the_forms_columns():
    """One wide column (三级指标) carried the running width past both cuts: “财务负 / 责人:”."""
    from perfdesk.printing.common import signature_rows

    doc = seed("001")
    for widths in ([50, 50, 300, 50, 50], [40, 60, 60, 160, 40, 40, 25, 35, 35], [100, 100, 100]):
        rows, spans = signature_rows(doc, None, None, [float(w) for w in widths])
        total = sum(widths)
        groups = [(a[0], b[0]) for a, b in spans if a[1] == 1 == b[1]]
        assert [g[0] for g in groups] == [0, groups[0][1] + 1, groups[1][1] + 1] and groups[-1][1] == len(widths) - 1
        assert all(sum(widths[a:b + 1]) >= 0.2 * total for a, b in groups), (widths, groups)
        texts = [c.text if hasattr(c, "text") else str(c) for c in rows[1] if c != ""]
        assert len(texts) == 3
