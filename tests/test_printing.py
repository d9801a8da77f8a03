"""Printing: every form as an A4 PDF (ReportLab), checked with poppler's tools.

The figures are compared with what the scoring engine computes, so a figure
printed wrong (or typed instead of computed) fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.demo import demo_document
from perfdesk.model.amounts import format_wan, wan_to_fen
from perfdesk.model.document import (
    Amounts, BudgetLine, Document, Evaluation, EvaluationKind, Indicator, Method, UnitProfile,
)
from perfdesk.printing import ExportCancelled, PrintError, export_pdf, fingerprint, project_summary
from perfdesk.printing.common import MARGIN_X
from perfdesk.printing.forms_unit import MOF_FRACTIONS
from perfdesk.scoring import execution_rate, format_rate, format_score, score_evaluation

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


FOOTER = re.compile(r"^(第 \d+ 页 共 \d+ 页|.*文件指纹 [0-9A-F]{4}-[0-9A-F]{4}|草|稿)$")


def pdftext(path: Path, *args: str, footers: bool = True) -> str:
    out = subprocess.run(["pdftotext", "-raw", *args, str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    if footers:
        return out
    return "\n".join(line for line in out.splitlines() if not FOOTER.match(line.strip()))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture(scope="module")
def demo():
    return demo_document()


def evaluation_figures(ev: Evaluation) -> list[str]:
    """Every name and figure of an evaluation that its form must show."""
    sc = score_evaluation(ev)
    out = [ev.name, format_score(sc.total), format_score(sc.weight_total), sc.grade]
    for node in ev.walk():
        out.append(node.name)
        if not node.children:
            out += [node.target, node.actual, format_score(node.weight), format_score(sc.of(node).score)]
            out.append(node.deviation_note)
    total = ev.budget.total
    out += [format_wan(total.initial_budget), format_wan(total.annual_budget), format_wan(total.spent)]
    if ev.execution is not None:
        out += [format_rate(execution_rate(ev)), format_score(sc.execution_score)]
    out += [ev.goals.expected, ev.goals.achieved]
    return [flat(x) for x in out if x and flat(x)]


def test_demo_all_forms_pages_fonts_and_watermark(demo, tmp_path):
    path = tmp_path / "all.pdf"
    pages = export_pdf(demo, path)
    assert pages == page_count(path)
    # unit form 1 page + 4 project forms of 1 page + report + explanation
    assert pages >= 1 + len(demo.projects) + 2
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        cols = row.split()
        # name type encoding emb sub uni ...: every font embedded, all TrueType subsets
        assert "yes" == cols[-5], row
        assert "TrueType" in row and "Type 3" not in row and "CID Type 0" not in row, row
    text = pdftext(path)
    assert "草稿" in flat(text)
    assert f"文件指纹 {fingerprint(demo)}" in text
    # pages numbered per form: the unit form is “共 1 页”
    assert "第 1 页 共 1 页" in text
    demo.final = True
    try:
        export_pdf(demo, path)
        assert "草稿" not in flat(pdftext(path))
    finally:
        demo.final = False


def test_unit_form_layout_b_has_every_figure(demo, tmp_path):
    path = tmp_path / "unit.pdf"
    assert export_pdf(demo, path, form="unit") == 1
    text = flat(pdftext(path))
    ev = demo.unit_evaluation
    assert ev.layout == "unit-mof"
    for needle in evaluation_figures(ev):
        assert needle in text, needle
    for needle in ("部门整体支出绩效自评表", "（2022年度）", "年度预算申请", "年初预算数", "全年预算数",
                   "全年执行数", "执行率", "按收入性质分", "按支出性质分", "年度总体目标",
                   "偏差原因分析及改进措施", "总分", "470.19", "61.00", "531.19"):
        assert flat(needle) in text, needle
    # 456.09 ÷ 456.09, never the stated 85.8%
    assert "100.00%" in text and "85.8%" not in text
    # signatories from the unit profile, then from the settings dict
    for name in ("张建国", "李秀梅", "王芳", "0746-6221234", "单位负责人（签章）", "填报日期"):
        assert name in text
    export_pdf(demo, path, form="unit", signatories={"leader": "赵一", "phone": "13800000000"})
    text = flat(pdftext(path))
    assert "赵一" in text and "13800000000" in text and "李秀梅" in text and "张建国" not in text


@pytest.mark.parametrize("index", range(4))
def test_each_project_form_has_every_figure(demo, tmp_path, index):
    ev = demo.projects[index]
    path = tmp_path / f"p{index}.pdf"
    assert export_pdf(demo, path, evaluation=ev) == 1
    text = flat(pdftext(path))
    for needle in evaluation_figures(ev):
        assert needle in text, needle
    for needle in ("项目支出绩效自评表", "项目名称", "主管部门", "实施单位", "全年预算数（A）",
                   "全年执行数（B）", "执行率（B/A）", ev.project.supervisor, "第1页共1页"):
        assert flat(needle) in text, needle


def test_projects_form_prints_all_projects_in_order(demo, tmp_path):
    path = tmp_path / "projects.pdf"
    pages = export_pdf(demo, path, form="projects")
    assert pages == len(demo.projects)
    text = flat(pdftext(path))
    positions = [text.index(flat(p.name)) for p in demo.projects]
    assert positions == sorted(positions)


def test_report_and_explanation_figures(demo, tmp_path):
    path = tmp_path / "report.pdf"
    export_pdf(demo, path, form="report")
    text = flat(pdftext(path))
    sc = score_evaluation(demo.unit_evaluation)
    for needle in ("整体绩效评价报告", "一、部门基本情况", "二、评价工作情况", "三、主要绩效", "四、存在问题",
                   "五、有关建议", "456.09万元", f"{sc.total:.2f}分", f"等级为{sc.grade}",
                   demo.unit.name):
        assert needle in text, needle
    path = tmp_path / "explanation.pdf"
    export_pdf(demo, path, form="explanation")
    text = flat(pdftext(path, footers=False))
    money = sum(p.budget.total.annual_budget for p in demo.projects)
    assert f"共{len(demo.projects)}个项目，涉及资金{format_wan(money)}万元" in text
    for p in demo.projects:
        summary = flat(project_summary(p))
        assert summary in text
        psc = score_evaluation(p)
        assert f"自评得分为{format_score(psc.total)}分" in summary
        assert f"全年预算数为{format_wan(p.budget.total.annual_budget)}万元" in summary
        assert f"执行数为{format_wan(p.budget.total.spent)}万元" in summary
        assert f"完成预算的{format_rate(execution_rate(p))}" in summary
    # the officer's own text replaces the generated one
    demo.projects[0].narrative["summary"] = "本项目由经办人手写的综述。"
    try:
        export_pdf(demo, path, form="explanation")
        text = flat(pdftext(path))
        assert "本项目由经办人手写的综述。" in text
        assert flat(project_summary(demo.projects[0])) not in text
    finally:
        del demo.projects[0].narrative["summary"]


def test_project_summary_reports_shortfalls_and_notes(demo):
    unit_like = demo.projects[2]  # 社保基金冒领稽核经费: 0.63 of 3 spent
    text = project_summary(unit_like)
    assert "预算执行率为21.00%" in text
    demo_unit = demo.unit_evaluation
    notes = [leaf for leaf in demo_unit.leaves() if leaf.deviation_note]
    assert notes
    text = project_summary(demo_unit)
    assert "部分退休人员没有及时认证导致停发工资" in text
    assert "宣传多种认证方式" in text


def _seed(prefix: str) -> Document:
    from perfdesk.exchange.text_import import import_text

    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip("seed fixtures missing")
    return import_text(files[0].read_text(encoding="utf-8")).document


def test_layout_a_jiangsu_seed_000(tmp_path):
    doc = _seed("000")
    ev = doc.unit_evaluation
    assert ev.layout == "unit-jiangsu"
    path = tmp_path / "a.pdf"
    pages = export_pdf(doc, path, form="unit")
    assert pages == 3
    text = flat(pdftext(path))
    for needle in evaluation_figures(ev):
        assert needle in text, needle
    for line in ev.budget.project_lines:
        assert flat(line.name) in text
    for needle in ("单位名称", "主要职能", "机构设置及人员配置", "预算安排及支出情况", "评价要点及评分规则",
                   "合计", "绩效等级", "主要成效", "存在问题", "整改举措", "93116.21万元", "90347.62万元",
                   "96.8", "决策(6)", "计划制定(2)", "履职(56)", "职能(24)", "职能(32)"):
        assert flat(needle) in text, needle
    # header rows repeated on every page of the indicator table; signature on the last page only
    per_page = [flat(pdftext(path, "-f", str(i), "-l", str(i))) for i in range(1, pages + 1)]
    assert all("一级指标二级指标三级指标" in p for p in per_page[:2])
    assert "单位负责人（签章）" in per_page[-1] and "合计" in per_page[-1]
    assert not any("单位负责人（签章）" in p for p in per_page[:-1])
    assert all(f"共{pages}页" in p for p in per_page)


def test_jinzhong_seed_004(tmp_path):
    doc = _seed("004")
    ev = doc.projects[0]
    path = tmp_path / "j.pdf"
    pages = export_pdf(doc, path, evaluation=ev)
    assert pages >= 2
    text = flat(pdftext(path))
    for needle in ("财政支出项目绩效自评表", "（2020年度）", "填报单位（公章）", "项目概况", "项目资金使用情况",
                   "项目组织实施情况", "绩效目标实现情况", "完成进度", "项目绩效情况", "其他需说明的问题",
                   "评分表", "投入：", "过程：", "产出：", "效果：", "综合得分：", "评价结果等次", "评价人员",
                   "2536.08", "2364.01", "19.80", "99.80", "100.00", "93.13%", "93.22%", "优", "杨宝金",
                   "胡建华", "闫小全", "077", "经常性项目", "2020-01-01至2020-12-31", "单位负责人（签章）"):
        assert flat(needle) in text, needle
    for leaf in ev.leaves():
        assert flat(leaf.name) in text


def _long_doc(note_len: int = 200, narrative_len: int = 3000) -> Document:
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
    # a long unbroken Latin/number string in a narrow column
    sub.children[0].target = "LONGTARGET" + "1234567890" * 6
    unit_ev.narrative = {"achievements": narrative, "problems": "无", "remedies": "无"}
    project = Evaluation(kind=EvaluationKind.PROJECT, name="长偏差说明项目", layout="project-mof")
    project.budget.total = Amounts(wan_to_fen("10"), wan_to_fen("10"), wan_to_fen("9"))
    from perfdesk.model.document import ExecutionLine

    project.execution = ExecutionLine()
    out = project.add(Indicator(name="产出指标", weight=Decimal(90)))
    q = out.add(Indicator(name="数量指标"))
    q.add(Indicator(name="参保人数", weight=Decimal(90), target="100人", actual="80人",
                    method=Method.HIGHER, deviation_note=note))
    unit = UnitProfile(name="长文本测试单位", functions=narrative, leader="甲", preparer="乙")
    return Document(unit=unit, year=2024, unit_evaluation=unit_ev, projects=[project])


def _words(path: Path):
    """(page, xMin, yMin, xMax, yMax, word) of every word, with the page size."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    for n, (w, h, body) in enumerate(pages, start=1):
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body):
            yield n, float(w), float(h), *map(float, m.groups()[:4]), m.group(5)


def test_long_texts_wrap_inside_their_cells(tmp_path):
    doc = _long_doc()
    path = tmp_path / "long.pdf"
    pages = export_pdf(doc, path)
    text = flat(pdftext(path, footers=False))
    narrative = flat(doc.unit.functions)
    assert len(narrative) >= 2990
    assert narrative in text  # 主要职能: nothing clipped
    assert flat(doc.unit_evaluation.narrative["achievements"]) in text
    note = flat(doc.projects[0].leaves().__next__().deviation_note)
    assert len(note) == 200 and note in text
    words = list(_words(path))
    assert words
    for page, w, h, x0, y0, x1, y1, word in words:
        if "草稿" in word:
            continue
        # inside the page's printing area, the outer table borders included
        assert MARGIN_X - 0.5 <= x0 and x1 <= w - MARGIN_X + 0.5, (page, word, x0, x1)
        assert 0 <= y0 and y1 <= h, (page, word, y0, y1)
    # the 200-character note stays inside its own column (偏差原因分析及改进措施)
    note_pages = [p for p in range(1, pages + 1) if "注释结束" in pdftext(path, "-f", str(p), "-l", str(p))]
    assert note_pages
    page_w = next(w for p, w, *_ in words if p == note_pages[0])
    width = page_w - 2 * MARGIN_X
    left = MARGIN_X + width * sum(MOF_FRACTIONS[:8])
    note_words = [wd for wd in words if wd[0] == note_pages[0] and ("偏差原因" in wd[-1] or "资格认证" in wd[-1]
                                                                    or "注释结束" in wd[-1])]
    assert note_words
    for _, _, _, x0, _, x1, _, word in note_words:
        assert left <= x0 and x1 <= page_w - MARGIN_X, (word, x0, x1, left)


def test_unbroken_latin_text_wraps_inside_its_column(tmp_path):
    from perfdesk.printing.forms_unit import JIANGSU_FRACTIONS

    doc = _long_doc()
    path = tmp_path / "u.pdf"
    export_pdf(doc, path, form="unit")
    assert flat(doc.unit_evaluation.indicators[0].children[0].children[0].target) in flat(
        pdftext(path, footers=False))
    words = [w for w in _words(path) if re.fullmatch(r"(LONGTARGET)?[0-9]+", w[-1] or "x")
             and len(w[-1]) > 3]
    assert words
    page_w = words[0][1]
    width = page_w - 2 * MARGIN_X
    left = MARGIN_X + width * sum(JIANGSU_FRACTIONS[:3])
    right = left + width * JIANGSU_FRACTIONS[3]
    for _, _, _, x0, _, x1, _, word in words:
        assert left <= x0 and x1 <= right, (word, x0, x1, left, right)


def test_signature_never_alone_and_on_last_page(tmp_path):
    doc = _long_doc()
    path = tmp_path / "u.pdf"
    pages = export_pdf(doc, path, form="unit")
    assert pages >= 2
    last = flat(pdftext(path, "-f", str(pages), "-l", str(pages)))
    assert "单位负责人（签章）" in last
    assert "叙述结束" in last or "整改举措" in last  # table content on the same page


def test_fingerprint_follows_content():
    a, b = _long_doc(), _long_doc()
    assert fingerprint(a) == fingerprint(b)
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", fingerprint(a))
    b.final = True
    assert fingerprint(a) == fingerprint(b)  # the 定稿 mark is not content
    b.projects[0].leaves().__next__().actual = "81人"
    assert fingerprint(a) != fingerprint(b)


def test_bad_requests_and_cancel_leave_no_file(demo, tmp_path):
    path = tmp_path / "x.pdf"
    with pytest.raises(PrintError) as err:
        export_pdf(demo, path, form="everything")
    assert "未知的表格类型" in str(err.value)
    empty = Document(unit=UnitProfile(name="空单位"), year=2024)
    with pytest.raises(PrintError) as err:
        export_pdf(empty, path, form="projects")
    assert "没有项目" in str(err.value)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 2

    with pytest.raises(ExportCancelled) as err:
        export_pdf(demo, path, progress=progress)
    assert "取消" in str(err.value)
    assert not path.exists() and not list(tmp_path.iterdir())
    assert calls[0] == (0, 7) and calls[-1][0] == 2
    done = []
    export_pdf(demo, path, progress=lambda d, t: done.append((d, t)) or True)
    assert done[-1] == (7, 7) and path.exists()
    with pytest.raises(PrintError) as err:
        export_pdf(demo, tmp_path / "no" / "such" / "dir" / "x.pdf")
    assert "无法写入PDF文件" in str(err.value)


def test_per_form_export(demo, tmp_path):
    from perfdesk.printing import export_pdf_per_form

    files = export_pdf_per_form(demo, tmp_path)
    assert len(files) == 1 + len(demo.projects) + 2
    assert all(f.exists() and page_count(f) >= 1 for f in files)
    assert any("预算绩效情况说明" in f.name for f in files)


def test_synthetic_document_whole(tmp_path):
    from perfdesk.samples import synthetic_document

    doc = synthetic_document()
    path = tmp_path / "all.pdf"
    pages = export_pdf(doc, path)
    assert pages == page_count(path) >= 1 + len(doc.projects) + 2
    text = flat(pdftext(path, footers=False))
    for ev in doc.projects:
        assert flat(ev.name) in text
        assert f"{flat(ev.name)}项目绩效自评综述" in text
    # the unit form (60 indicators, 50 budget lines) runs over several pages, all numbered
    unit_pages = export_pdf(doc, path, form="unit")
    assert unit_pages >= 3
    last = flat(pdftext(path, "-f", str(unit_pages), "-l", str(unit_pages)))
    assert f"第{unit_pages}页共{unit_pages}页" in last and "单位负责人（签章）" in last
    # a label block cut by a page break shows its label again on the next page
    page2 = flat(pdftext(path, "-f", "2", "-l", "2"))
    assert "预算安排及支出情况（续）" in page2 or "（续）" in page2


def test_system_fonts_preferred_then_shipped(tmp_path, monkeypatch):
    from perfdesk.printing import fonts
    from perfdesk.resources import cjk_font_path

    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    assert fonts.font_dirs()[0] == tmp_path / "Windows" / "Fonts"
    # a PC with 黑体 (here: a copy of the shipped font named simhei.ttf) and a broken 宋体
    (tmp_path / "simhei.ttf").symlink_to(cjk_font_path())
    (tmp_path / "simsun.ttc").write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "_registered", None)
    try:
        used = fonts.register_fonts()
        assert used[fonts.HEI] == str(tmp_path / "simhei.ttf")
        assert used[fonts.SONG] == str(cjk_font_path())  # broken file skipped
        assert used[fonts.FANG] == str(cjk_font_path())
    finally:
        monkeypatch.setattr(fonts, "_registered", None)
        monkeypatch.setattr(fonts, "font_dirs", lambda: [])
        fonts.register_fonts()


def test_long_report_ending_flows_and_keeps_signature(tmp_path):
    doc = _long_doc()
    doc.unit_evaluation.narrative["report_suggestions"] = doc.unit.functions  # 3000 characters
    path = tmp_path / "r.pdf"
    pages = export_pdf(doc, path, form="report")
    per_page = [flat(pdftext(path, "-f", str(i), "-l", str(i), footers=False)) for i in range(1, pages + 1)]
    assert "单位负责人（签章）" in per_page[-1] and "叙述结束" in per_page[-1]
    assert all(len(p) > 200 for p in per_page)  # no page left nearly empty by a jump
    assert flat(doc.unit.functions) in "".join(per_page)
