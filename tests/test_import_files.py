"""One import for every file an officer has (issue 13 part 1): .docx, .pdf, HTML, the clipboard,
CSV, TAB text — chosen by content, not by name; bad files give a Chinese message and nothing."""

from __future__ import annotations

import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from import_forms import project_form, write_docx, write_html, write_pdf, write_tab_text  # noqa: E402

from perfdesk.checks import check_document  # noqa: E402
from perfdesk.exchange.importing import ImportFailed, import_clipboard, import_file  # noqa: E402
from perfdesk.model.amounts import wan_to_fen  # noqa: E402


def dump(doc) -> dict:
    """What an import must carry over, as plain data (uids and object identity left out)."""
    def node(n):
        return (n.name, n.weight, n.target, n.actual, n.score_override, n.deviation_note, n.method.value,
                [node(c) for c in n.children])

    def amounts(a):
        return (a.initial_budget, a.annual_budget, a.spent)

    evs = []
    for ev in doc.evaluations():
        evs.append({
            "kind": ev.kind.value, "name": ev.name, "layout": ev.layout,
            "tree": [node(n) for n in ev.indicators],
            "total": amounts(ev.budget.total),
            "sources": {k: amounts(v) for k, v in ev.budget.sources.items()},
            "execution": None if ev.execution is None else (
                ev.execution.weight, ev.execution.stated_rate, ev.execution.stated_score),
            "goals": (ev.goals.expected, ev.goals.achieved), "stated": (ev.stated_total, ev.stated_grade),
            "project": (ev.project.supervisor, ev.project.implementer),
        })
    return {"year": doc.year, "unit": doc.unit.name, "evaluations": evs}


@pytest.fixture(scope="module")
def form():
    return [project_form()]


@pytest.fixture(scope="module")
def files(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("forms")
    html = folder / "form.html"
    html.write_text(write_html(form), encoding="utf-8")
    return {
        "docx": write_docx(folder / "form.docx", form),
        "pdf": write_pdf(folder / "form.pdf", form),
        "html": html,
    }


def test_docx_pdf_and_html_clipboard_give_the_same_document(files, form):
    from_docx = import_file(files["docx"])
    from_pdf = import_file(files["pdf"])
    from_clipboard = import_clipboard("ignored plain text", write_html(form))
    expected = dump(from_docx.document)
    assert dump(from_pdf.document) == expected
    assert dump(from_clipboard.document) == expected
    assert dump(import_file(files["html"]).document) == expected
    assert dump(import_clipboard(write_tab_text(form), None).document) == expected
    # and the document is the form: names, figures, the tree, the stated total
    doc = from_docx.document
    assert doc.year == 2023
    (ev,) = doc.projects
    assert ev.name == "职业技能培训项目" and ev.project.implementer == "某某区就业服务中心"
    assert (ev.budget.total.initial_budget, ev.budget.total.annual_budget, ev.budget.total.spent) == (
        wan_to_fen(100), wan_to_fen(100), wan_to_fen(95))
    assert ev.execution.weight == 10 and ev.execution.stated_rate == Decimal("0.95")
    assert ev.execution.stated_score == Decimal("9.5")
    assert [g.name for g in ev.indicators] == ["产出指标", "效益指标", "满意度指标"]
    leaves = list(ev.leaves())
    assert [(n.name, n.target, n.actual, n.weight, n.score_override) for n in leaves][:2] == [
        ("培训人数", "≥100人", "120人", 20, 20), ("培训场次", "≥5次", "4次", 20, 16)]
    assert leaves[1].deviation_note == "场地不足，下年增加场次"
    assert ev.goals.expected == "全年培训 100 人以上" and ev.stated_total == Decimal("93.5")
    assert not [f for f in check_document(doc) if f.severity == "error"]


def test_both_pdf_engines_read_the_same_document(files, monkeypatch):
    fast = dump(import_file(files["pdf"]).document)
    monkeypatch.setenv("PERFDESK_PDF_ENGINE", "pdfplumber")
    assert dump(import_file(files["pdf"]).document) == fast


def test_the_report_names_the_reader_and_the_form(files):
    result = import_file(files["pdf"])
    assert result.report[0] == "文件：form.pdf（PDF 文档）"
    (form,) = result.summary.forms
    assert (form.kind, form.family, form.indicators, form.groups) == ("project", "财政部格式", 5, 3)
    data = result.summary.as_json()
    assert data["reader"] == "PDF 文档" and data["forms"][0]["name"] == "职业技能培训项目"


def test_the_reader_is_chosen_by_content_not_by_name(files, tmp_path):
    disguised = tmp_path / "自评表.txt"
    disguised.write_bytes(files["docx"].read_bytes())
    assert import_file(disguised).summary.reader == "Word 文档（.docx）"
    pdf_as_doc = tmp_path / "自评表.doc"
    pdf_as_doc.write_bytes(files["pdf"].read_bytes())
    assert import_file(pdf_as_doc).summary.reader == "PDF 文档"


def test_several_forms_in_one_docx_and_a_form_split_over_two_tables(tmp_path):
    two = write_docx(tmp_path / "two.docx", [project_form("甲项目"), project_form("乙项目")])
    doc = import_file(two).document
    assert [p.name for p in doc.projects] == ["甲项目", "乙项目"]
    # one form whose table is cut in two (continued on the next page)
    paragraphs, rows = project_form("丙项目", tall=False)
    import docx

    document = docx.Document(str(write_docx(tmp_path / "split.docx", [(paragraphs, rows[:12])])))
    second = write_docx(tmp_path / "rest.docx", [([], rows[12:])])
    body = document.element.body
    for element in docx.Document(str(second)).element.body:
        if element.tag.endswith("}tbl"):
            body.insert(len(body) - 1, element)
    document.save(str(tmp_path / "joined.docx"))
    doc = import_file(tmp_path / "joined.docx").document
    (ev,) = doc.projects
    assert ev.name == "丙项目" and len(list(ev.leaves())) == 5 and ev.stated_total == Decimal("93.5")


def test_a_pdf_form_continued_over_pages_is_one_form(tmp_path):
    pdf = write_pdf(tmp_path / "long.pdf", [project_form("长项目", n_extra=40, tall=False)])
    import pdfplumber

    with pdfplumber.open(str(pdf)) as opened:
        assert len(opened.pages) >= 2
    doc = import_file(pdf).document
    (ev,) = doc.projects
    assert len(list(ev.leaves())) == 45 and ev.stated_total == Decimal("93.5")


def test_csv_rows(tmp_path, form):
    import csv

    path = tmp_path / "form.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        for paragraph in form[0][0]:
            writer.writerow([paragraph])
        for row in form[0][1]:
            writer.writerow(["" if cell is None else cell[0] for cell in row])
    doc = import_file(path).document
    assert dump(doc) == dump(import_clipboard(write_tab_text(form), None).document)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "空的"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100), "文件 → 打开"),
    (lambda p: p.write_bytes(b"PK\x03\x04garbage"), "损坏"),
    (lambda p: p.write_bytes(b"%PDF-1.4\n%garbage"), "PDF"),
    (lambda p: p.write_bytes("与表格无关的一段话。".encode("utf-8")), "没有找到可识别"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00\xd8\x00\xd8" * 10), "不是文本"),
])
def test_bad_files_give_a_chinese_message_and_nothing(tmp_path, make, message):
    path = tmp_path / "bad.docx"
    make(path)
    with pytest.raises(ImportFailed, match=message) as info:
        import_file(path)
    assert "Traceback" not in str(info.value)


def test_a_zip_that_is_no_office_file(tmp_path):
    path = tmp_path / "forms.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(ImportFailed, match="压缩文件"):
        import_file(path)


def test_old_office_files_without_libreoffice_say_how_to_save_them(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFDESK_SOFFICE", "")
    for suffix, word in ((".doc", "Word 文档（*.docx）"), (".wps", "Word 文档（*.docx）"),
                         (".xls", "Excel 工作簿（*.xlsx）"), (".et", "Excel 工作簿（*.xlsx）")):
        path = tmp_path / f"old{suffix}"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        with pytest.raises(ImportFailed, match="另存为") as info:
            import_file(path)
        assert word in str(info.value)


def test_a_pdf_without_text_layer_is_reported(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 300, 300)
    c.save()
    with pytest.raises(ImportFailed, match="扫描件"):
        import_file(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFailed, match="找不到"):
        import_file(tmp_path / "none.docx")
    with pytest.raises(ImportFailed, match="文件夹"):
        import_file(tmp_path)
