"""Every real corpus form reads the same in every shape an officer has it (issue 13).

The corpus (tests/fixtures/real) holds the forms as text found on web pages. An officer has the
same form as a Word file, a PDF, a copy out of the browser or WPS (the clipboard's HTML), a saved
web page, an Excel workbook or TAB text. For every corpus form the text import reads right, the
table is rebuilt here in each of those shapes (in test setup: nothing binary is committed) and
imported through the path the officer would use; each must give the document the text gives
(``dump`` of test_import_files: names, levels, targets, weights, actuals, scores, notes, budget
figures, execution, goals, year, unit, stated total).

How the table is rebuilt: the rows are the ones the text reader finds (``readers.text``). For the
forms whose text has explicit cells (``|`` rows, ``|`` cells one per line, one cell per line) that
is the text's own split — empty cells kept, cells a web page dropped under a merged cell put back
under their columns; for the others (cells run together or spaced) it is the reader's rebuilding,
which the corpus expectations prove right. A run of rows is one table, lines that are no row are
paragraphs around it; columns empty in every row are dropped. A row of a single cell (a title in
the table) spans the table's width, outside the indicator table a short row's last cell spans the
rest (项目名称 | name), and in the indicator table a leading empty cell is covered by the group cell
above it (and 绩效指标 runs down the left) — ``rowspan``/``colspan`` in HTML, gridSpan/vMerge in
Word, SPAN in the PDF, merged ranges in Excel. The PDF is a printed form: portrait A4, ruled, 9 pt
in the bundled font, short cells centred, text wrapped in its column, the indicator table repeating
its header over pages; it is read by the PDF reader (both engines). The Word file is also saved as
PDF by LibreOffice (when installed, as in CI): Word's own layout, with rows broken across pages. In
Excel, figures are numbers and shares are percentages with their decimals (“97.80%” is 0.978
formatted 0.00%).

Found on the way (each a general rule with a synthetic test at the end of this file): the PDF
reader kept the line breaks of wrapped cells, lost punctuation hung past a cell edge to the next
cell, read Word's spacing between Chinese and digits as a space and a row broken across pages as two
rows; a funds row that lost a cell on the web page was read by position in every grid shape; Excel
shares lost the decimals their format shows.
"""

from __future__ import annotations

import json
import re
import sys
from html import escape
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_import_files import dump  # noqa: E402
from test_import_real import KNOWN_FAILURES, REAL, _slugs  # noqa: E402

from perfdesk.exchange.importing import import_clipboard, import_file  # noqa: E402
from perfdesk.exchange.readers.align import header_roles  # noqa: E402
from perfdesk.exchange.readers.text import text_items  # noqa: E402
from perfdesk.exchange.text_import import import_text  # noqa: E402
from perfdesk.model.amounts import wan_to_fen  # noqa: E402

# text shapes whose cells are explicit: ``|`` rows, ``|`` cells one per line, Word's one cell per line
# (no corpus text is in TAB rows: TAB text is one of the rebuilt shapes). The other forms read right
# (cells run together or spaced) are rebuilt from the rows the text reader found in them.
CELL_SHAPES = {"pipe-rows", "pipe-cell-per-line", "cell-per-line"}
SHAPES = ("html", "html-file", "docx", "pdf", "xlsx", "tab")


def _shape(slug: str) -> str:
    return json.loads((REAL / f"{slug}.expect.json").read_text(encoding="utf-8"))["shape"]


def _forms() -> list[str]:
    """Every corpus form the text import reads right."""
    return [s for s in _slugs() if s not in KNOWN_FAILURES]


# --- the form as an officer has it ---------------------------------------------------------------
# A block is ("para", text) or ("table", rows); a row is a list of cells (text, rowspan, colspan) or
# None where a merged cell covers the position.

def blocks_of(text: str) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    run: list[list[str]] = []

    def close():
        if run:
            blocks.append(("table", _grid(run)))
            run.clear()

    for item in text_items(text):
        if item.kind in ("row", "placeholder"):
            run.append(list(item.cells))
            continue
        close()
        if item.text.startswith("（文本在此中断）"):
            continue  # the page store cut the text inside this row: an officer's file is not cut
        blocks.append(("para", item.text))
    close()
    return blocks


def _grid(rows: list[list[str]]) -> list[list]:
    # columns empty in every row are no columns of the form (a web table's colspan left as "||||")
    width = max(len(r) for r in rows)
    while width > 1 and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    rows = [r[:width] for r in rows]
    grid: list[list] = []
    owner: dict[int, tuple[int, int]] = {}   # column -> (row, column) of the cell covering it from above
    in_indicators = False
    for r, cells in enumerate(rows):
        found = header_roles(cells) if len([c for c in cells if c]) >= 3 else None
        filled = [c for c in cells if c.strip()]
        row: list = []
        if len(filled) == 1 and cells[0].strip() and found is None:
            grid.append([(cells[0], 1, width)] + [None] * (width - 1))
            owner, in_indicators = {}, False
            continue
        if len(cells) < width and not in_indicators and found is None and cells[-1].strip():
            # outside the indicator table a short row's last cell runs across the rest of the form
            # (项目名称 | name, 年度总体目标 | text)
            span = width - len(cells) + 1
            grid.append([(text, 1, 1) for text in cells[:-1]] + [(cells[-1], 1, span)] + [None] * (span - 1))
            owner = {}
            continue
        cells = cells + [""] * (width - len(cells))
        first = next(k for k, c in enumerate(cells) if c.strip())
        new_owner: dict[int, tuple[int, int]] = {}
        for c, text in enumerate(cells):
            above = owner.get(c)
            if in_indicators and found is None and c < first and above is not None:
                ar, ac = above
                t, rs, cs = grid[ar][ac]
                grid[ar][ac] = (t, rs + 1, cs)
                row.append(None)
                new_owner[c] = above
                continue
            row.append((text, 1, 1))
            if text.strip() and found is None and in_indicators:
                new_owner[c] = (r, c)
            elif text.strip() and found is not None and found[0] == "indicators" and c < min(found[1]):
                new_owner[c] = (r, c)   # 绩效指标 down the left of the whole indicator table
        grid.append(row)
        owner = new_owner
        if found is not None:
            in_indicators = found[0] == "indicators"
    return grid


def write_html(blocks) -> str:
    """As a browser or WPS puts a table on the clipboard: a fragment with styles, <tbody>, <br>."""
    parts = ['<html><head><meta charset="utf-8"><style>td{border:1px solid}</style></head><body>',
             "<!--StartFragment-->"]
    for kind, value in blocks:
        if kind == "para":
            parts.append(f'<p style="text-align:center">{escape(value)}</p>')
            continue
        parts.append('<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0"><tbody>')
        for row in value:
            parts.append('<tr style="height:20pt">')
            for cell in row:
                if cell is None:
                    continue
                text, rs, cs = cell
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                body = "<br>".join(escape(line) for line in text.split("\n")) or "&nbsp;"
                parts.append(f'<td{attrs} valign="center"><p>{body}</p></td>')
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("<!--EndFragment--></body></html>")
    return "".join(parts)


def write_docx(path: Path, blocks, styled: bool = False) -> Path:
    """The form as a Word table (python-docx's plain grid of equal columns); ``styled``: as an officer
    sets it out — 宋体 10.5 pt, columns as wide as their text needs, short cells and titles centred."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    if styled:
        normal = document.styles["Normal"]
        normal.font.name, normal.font.size = "宋体", Pt(10.5)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
        section = document.sections[0]
        section.left_margin = section.right_margin = Cm(2)
    for kind, value in blocks:
        if kind == "para":
            paragraph = document.add_paragraph(value)
            if styled:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        table = document.add_table(rows=len(value), cols=len(value[0]))
        table.style = "Table Grid"
        if styled:
            table.autofit = False
            for c, width in enumerate(_column_widths(value, 481)):
                for r in range(len(value)):
                    table.cell(r, c).width = Pt(width)
        for r, row in enumerate(value):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                text, rs, cs = cell
                target = table.cell(r, c)
                if rs > 1 or cs > 1:
                    target = target.merge(table.cell(r + rs - 1, c + cs - 1))
                target.text = text
                if styled and len(text) <= 12:
                    for paragraph in target.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))
    return path


def _column_widths(rows: list[list], total: float) -> list[float]:
    width = len(rows[0])
    need = [2.0] * width
    for row in rows:
        for c, cell in enumerate(row):
            if cell is not None and cell[2] == 1:
                need[c] = max(need[c], min(len(cell[0]), 14))
    scale = total / sum(need)
    return [n * scale for n in need]


def _indicator_header(row: list) -> bool:
    cells = ["" if cell is None else cell[0] for cell in row]
    found = header_roles(cells) if len([c for c in cells if c]) >= 3 else None
    return found is not None and found[0] == "indicators"


def write_pdf(path: Path, blocks) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from perfdesk.resources import cjk_font_path

    if "ImportTestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ImportTestCJK", str(cjk_font_path()), subfontIndex=0))
    cell_style = ParagraphStyle("cell", fontName="ImportTestCJK", fontSize=9, leading=12, wordWrap="CJK")
    short_style = ParagraphStyle("short", parent=cell_style, alignment=1)   # labels and figures centred
    para_style = ParagraphStyle("para", fontName="ImportTestCJK", fontSize=10, leading=14, wordWrap="CJK")
    story = []
    for kind, value in blocks:
        if kind == "para":
            story.append(Paragraph(escape(value), para_style))
            continue
        widths = _column_widths(value, 520)
        # the indicator table repeats its header on every page it runs over, as printed forms do
        cut = next((r for r, row in enumerate(value) if r and _indicator_header(row)), len(value))
        for part, repeat in ((value[:cut], 0), (value[cut:], 1)):
            if not part:
                continue
            data = [[Paragraph(escape(cell[0]).replace("\n", "<br/>"),
                               short_style if len(cell[0]) <= 12 else cell_style)
                     if cell is not None else "" for cell in row] for row in part]
            commands = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
            if repeat:
                commands.append(("BACKGROUND", (0, 0), (-1, 0), "#d9d9d9"))   # the shaded header row
            for r, row in enumerate(part):
                for c, cell in enumerate(row):
                    if cell is not None and (cell[1] > 1 or cell[2] > 1):
                        commands.append(("SPAN", (c, r), (c + cell[2] - 1, r + cell[1] - 1)))
            story.append(Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=repeat))
        story.append(Spacer(1, 6))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=38, rightMargin=38, topMargin=50,
                      bottomMargin=30).build(story)
    return path


def write_xlsx(path: Path, blocks) -> Path:
    """The form as an officer keeps it in Excel: ruled cells, text wrapped in its column, merged
    ranges, figures as numbers; printed one page wide (for the PDF Excel or WPS would print)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrapped = Alignment(wrap_text=True, vertical="center")
    widths: dict[int, float] = {}
    r = 0
    for kind, content in blocks:
        if kind == "para":
            r += 1
            ws.cell(r, 1, content)
            continue
        for row in content:
            r += 1
            for c, cell in enumerate(row, start=1):
                target = ws.cell(r, c)
                target.border, target.alignment = ruled, wrapped
                if cell is None:
                    continue
                text, rs, cs = cell
                if text:
                    value, number_format = _excel_value(text)
                    target.value = value
                    if number_format:
                        target.number_format = number_format
                    elif isinstance(value, str) and value.startswith("="):
                        target.data_type = "s"   # “=100%” typed as text (指标性质 “=”), not a formula
                    if cs == 1:
                        widths[c] = max(widths.get(c, 6), min(2.2 * len(text), 24))
                if rs > 1 or cs > 1:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + rs - 1, end_column=c + cs - 1)
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(str(path))
    return path


def _excel_value(text: str):
    """A cell as an officer types it into Excel: figures are numbers, “97.80%” a share shown as a
    percentage, anything else text."""
    import re

    m = re.fullmatch(r"(-?\d+(?:\.(\d+))?)(%?)", text.strip())
    if not m:
        return text, None
    decimals = len(m.group(2) or "")
    if m.group(3):
        from decimal import Decimal

        value = float(Decimal(m.group(1)) / 100)
        return value, "0" + ("." + "0" * decimals if decimals else "") + "%"
    if decimals:
        return float(m.group(1)), "0." + "0" * decimals
    return int(m.group(1)), None


def write_tab(blocks) -> str:
    """As Excel or WPS copies the table: TAB rows, a merged cell's text in its first cell."""
    lines = []
    for kind, value in blocks:
        if kind == "para":
            lines.append(value)
            continue
        for row in value:
            cells = ["" if cell is None else cell[0] for cell in row]
            lines.append("\t".join(f'"{c}"' if "\n" in c else c for c in cells))
    return "\n".join(lines)


# --- the tests -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real-shapes")
    out = {}
    for slug in _forms():
        text = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
        blocks = blocks_of(text)
        out[slug] = {
            "text": text,
            "html": write_html(blocks),
            "html-file": _saved(folder / f"{slug}.html", write_html(blocks)),
            "docx": write_docx(folder / f"{slug}.docx", blocks),
            "styled-docx": write_docx(folder / f"{slug}.styled.docx", blocks, styled=True),
            "pdf": write_pdf(folder / f"{slug}.pdf", blocks),
            "xlsx": write_xlsx(folder / f"{slug}.xlsx", blocks),
            "tab": write_tab(blocks),
        }
    return out


def _saved(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


def _read(files: dict, shape: str):
    if shape == "html":
        return import_clipboard("（纯文本不应被使用）", files["html"]).document
    if shape == "html-file":
        return import_file(files["html-file"]).document
    if shape == "tab":
        return import_clipboard(files["tab"], None).document
    return import_file(files[shape]).document


@pytest.fixture(scope="module")
def word_pdfs(built, tmp_path_factory):
    """The Word files saved as PDF by LibreOffice (an officer's “另存为 PDF”): Word's own layout —
    rows broken across pages, Chinese set off from digits, lines wrapped by its rules."""
    from docx_pdf import convert_many, soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    slugs = _forms()
    docxs = [built[slug][variant] for variant in WORD_VARIANTS for slug in slugs]
    pdfs = iter(convert_many(docxs, tmp_path_factory.mktemp("word-pdf")))
    return {(slug, variant): next(pdfs) for variant in WORD_VARIANTS for slug in slugs}


WORD_VARIANTS = ("docx", "styled-docx")
# (form, Word variant) whose PDF does not read as the text, and why (strict xfails); none at present
WORD_PDF_DIFFERENCES: dict[tuple[str, str], str] = {}


_CHINESE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BY_CHINESE = re.compile(f"\\s+(?=[{_CHINESE}])|(?<=[{_CHINESE}])\\s+")


def _without_spaces_by_chinese(value):
    if isinstance(value, str):
        return _SPACE_BY_CHINESE.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(_without_spaces_by_chinese(v) for v in value)
    if isinstance(value, dict):
        return {k: _without_spaces_by_chinese(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("variant", WORD_VARIANTS)
@pytest.mark.parametrize("slug", _forms())
def test_the_word_file_saved_as_pdf_reads_as_the_text(word_pdfs, built, slug, variant, request):
    """The one documented difference: a space next to a Chinese character (web-page spacing such as
    “绩效 指标”, “照顾。 100.00”) is lost where Word wraps the cell's line at it — a PDF keeps no
    trace of a space at a line break. Where the text has no such space the documents are equal.
    The forms in ``WORD_PDF_DIFFERENCES`` are strict xfails with their reason."""
    if (slug, variant) in WORD_PDF_DIFFERENCES:
        request.applymarker(pytest.mark.xfail(reason=WORD_PDF_DIFFERENCES[slug, variant], strict=True))
    expected = dump(import_text(built[slug]["text"]).document)
    got = dump(import_file(word_pdfs[slug, variant]).document)
    normal = _without_spaces_by_chinese(expected)
    if normal == expected:
        assert got == expected
    else:
        assert _without_spaces_by_chinese(got) == normal


def test_every_form_read_right_is_rebuilt_most_with_explicit_cells():
    forms = _forms()
    assert len(forms) == len(_slugs()) - len(KNOWN_FAILURES)
    assert len([s for s in forms if _shape(s) in CELL_SHAPES]) >= 20


def test_the_rebuilt_tables_are_real_layouts(built):
    """Not one cell per row: merged cells down the indicator groups, titles across the table, long
    cells wrapped in the PDF and forms continued over its pages."""
    import pdfplumber

    spans = titles = 0
    for slug in _forms():
        for kind, value in blocks_of(built[slug]["text"]):
            if kind == "table":
                cells = [cell for row in value for cell in row if cell is not None]
                spans += sum(1 for cell in cells if cell[1] > 1)
                titles += sum(1 for cell in cells if cell[2] > 1)
    assert spans >= 30 and titles >= 40
    pages = 0
    for slug in _forms():
        with pdfplumber.open(str(built[slug]["pdf"])) as pdf:
            pages = max(pages, len(pdf.pages))
    assert pages >= 2


# (form, shape) that does not read as the text, and why (strict xfails)
SHAPE_DIFFERENCES: dict[tuple[str, str], str] = {
    ("anhui-jinzhai-unit-2023-a", "pdf"):
        "its 预期目标 cell holds five numbered items of 12–13 characters ('1.建设徽风皖韵美丽乡村;2.整治…'); in the "
        "ReportLab cell each item fills a line exactly, so every wrap falls after a ';' before 'N.' — what an "
        "officer's own line breaks look like, and kept as breaks (readers.pdf.cell_text): the goal reads with "
        "line breaks the text has not",
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("slug", _forms())
def test_every_shape_reads_as_the_text(built, slug, shape, request):
    if (slug, shape) in SHAPE_DIFFERENCES:
        request.applymarker(pytest.mark.xfail(reason=SHAPE_DIFFERENCES[slug, shape], strict=True))
    files = built[slug]
    expected = dump(import_text(files["text"]).document)
    assert expected["evaluations"], "the text itself gives no form"
    got = dump(_read(files, shape))
    if shape == "pdf" and _without_spaces_by_chinese(expected) != expected:
        # as for the Word files saved as PDF: a space next to a Chinese character (web spacing such as
        # “库存绩效 指标”) leaves no trace where the PDF wraps the cell's line at it
        assert _without_spaces_by_chinese(got) == _without_spaces_by_chinese(expected)
    else:
        assert got == expected


# --- the rules the rebuilt shapes needed (each on a small synthetic case) ---------------------------

def _pdf_table(path: Path, rows: list[list[str]], widths: list[float]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from perfdesk.resources import cjk_font_path

    if "ImportTestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ImportTestCJK", str(cjk_font_path()), subfontIndex=0))
    style = ParagraphStyle("cell", fontName="ImportTestCJK", fontSize=9, leading=12, wordWrap="CJK")
    data = [[Paragraph(text.replace("\n", "<br/>"), style) for text in row] for row in rows]
    table = Table(data, colWidths=widths, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    return path


def test_pdf_cell_lines_wrapped_by_the_cell_width_are_one_line_again(tmp_path):
    from perfdesk.exchange.readers.pdf import pdf_items

    sentence = "全年培训城乡劳动者一千二百人次，完成了预期目标，培训合格率达到百分之九十六，就业率明显提高。"
    listed = "1.培训\n2.考核"
    latin = "Training of rural workers completed"
    items = "1.完成劳动者培训一千人。\n2.培训合格率达到百分之九十六以上。"   # the first item fills its line
    pdf = _pdf_table(tmp_path / "wrap.pdf", [["预期目标", sentence], ["措施", listed], ["备注", latin],
                                             ["完成情况", items]], [60, 110])
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert rows == [["预期目标", sentence], ["措施", "1.培训\n2.考核"], ["备注", latin], ["完成情况", items]]


def test_pdf_punctuation_hung_past_a_cell_edge_stays_in_its_cell(tmp_path):
    """ReportLab (and WPS) hang a “、” that ends a line past the text's right edge; with narrow cell
    padding it crosses the ruling into the next cell, where it does not belong."""
    from perfdesk.exchange.readers.pdf import pdf_items

    left = "就业见习、乡村公益性岗位开发、职业培训、社会保险补贴、公益性岗位补贴、创业担保贷款贴息、职业技能鉴定"
    right = "按要求完成基层特岗人员工资社保发放及各项补贴"
    pdf = _pdf_table(tmp_path / "hang.pdf", [[left, right]], [100, 100])
    (row,) = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert row == [left, right]


_FUNDS = "项目名称\t某项目\n项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"


def test_a_funds_row_that_lost_a_cell_is_read_by_its_arithmetic_even_in_a_grid():
    """A web table whose 年度资金总额 row lacked its empty 年初预算数 cell keeps the shift when pasted
    into Word, Excel or a PDF: a share under 分值 shows it; the figures are placed by the form's
    arithmetic (31.69 / 32.4 = 97.80%) as in the web copy itself."""
    text = _FUNDS + "年度资金总额\t32.4\t31.69\t10\t97.80%\t9\n"
    (ev,) = import_clipboard(text, None).document.projects
    total = ev.budget.total
    assert (total.initial_budget, total.annual_budget, total.spent) == (None, wan_to_fen("32.4"), wan_to_fen("31.69"))
    assert ev.execution.weight == 10 and ev.execution.stated_score == 9
    assert str(ev.execution.stated_rate) == "0.978"


def test_a_full_funds_row_in_a_grid_stays_where_it_stands():
    text = _FUNDS + "年度资金总额\t40\t32.4\t31.69\t10\t97.80%\t9\n"
    (ev,) = import_clipboard(text, None).document.projects
    total = ev.budget.total
    assert (total.initial_budget, total.annual_budget, total.spent) == (wan_to_fen(40), wan_to_fen("32.4"), wan_to_fen("31.69"))
    assert ev.execution.weight == 10 and ev.execution.stated_score == 9


def test_both_pdf_engines_read_the_rebuilt_pdfs_alike(built, monkeypatch):
    fast = {slug: dump(import_file(built[slug]["pdf"]).document) for slug in _forms()}
    monkeypatch.setenv("PERFDESK_PDF_ENGINE", "pdfplumber")
    assert {slug: dump(import_file(built[slug]["pdf"]).document) for slug in _forms()} == fast


def test_an_excel_share_reads_with_the_decimals_its_format_shows(tmp_path):
    """Excel shows 0.987 formatted “0.00%” as 98.70% (and a copy of the cell gives that text); the
    import reads the same text, never rounding digits the format hides."""
    from perfdesk.exchange.xlsx_import import cell_text

    assert cell_text(0.987, "0.00%") == "98.70%"
    assert cell_text(1, "0.0%") == "100.0%"
    assert cell_text(0.95123, "0.00%") == "95.123%"
    assert cell_text(0.5, "0%") == "50%"
    assert cell_text(32.4, "0.00") == "32.4"      # amounts: the figure, whatever its format


def _draw_pages(path: Path, pages: list[list[list[str]]], widths: list[float], size: float = 9) -> Path:
    """A ruled table drawn cell by cell on several pages (rows 18 pt high, text from the cell's left
    edge + 2 pt), as Word prints a table whose row breaks across a page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from perfdesk.resources import cjk_font_path

    if "ImportTestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ImportTestCJK", str(cjk_font_path()), subfontIndex=0))
    c = canvas.Canvas(str(path))
    for rows in pages:
        y = 800.0
        for row in rows:
            x = 40.0
            for text, width in zip(row, widths):
                c.rect(x, y - 18, width, 18)
                c.setFont("ImportTestCJK", size)
                c.drawString(x + 2, y - 13, text)
                x += width
            y -= 18
        c.showPage()
    c.save()
    return path


_HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "分值", "得分"]


def test_pdf_row_broken_across_pages_is_one_row_again(tmp_path):
    from perfdesk.exchange.readers.pdf import pdf_items

    name = "建设美丽宜居自然村"            # 9 characters of 9 pt fill a 85 pt cell to its edge
    widths = [50, 50, 85, 50, 30, 30]
    pdf = _draw_pages(tmp_path / "split.pdf", [
        [_HEADER, ["产出指标", "数量指标", name, "≥200", "10", "10"]],
        [_HEADER, ["", "", "庄数量", "", "", ""], ["", "", "户厕改造数量", "≥2000", "10", "10"]],
    ], widths)
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert ["产出指标", "数量指标", "建设美丽宜居自然村庄数量", "≥200", "10", "10"] in rows
    assert ["", "", "庄数量"] not in rows
    assert ["", "", "户厕改造数量", "≥2000", "10", "10"] in rows
    # a figure wrapped in its narrow cell goes on with its label; a row of figures alone is a next row
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fit = [stringWidth(t, "ImportTestCJK", 9) + 3 for t in ("彩票公益金用于", "52.80000")]   # text to the edge
    pdf = _draw_pages(tmp_path / "figures.pdf", [
        [["来源", "行次", "预算数", "执行数"], ["彩票公益金用于", "2", "52.80000", "30.80000"]],
        [["医疗救助", "", "0", "0"], ["", "3", "10", "10"]],
    ], [fit[0], 30, fit[1], fit[1]])
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert ["彩票公益金用于医疗救助", "2", "52.800000", "30.800000"] in rows and ["", "3", "10", "10"] in rows


def test_pdf_a_next_row_at_the_top_of_a_page_stays_a_row(tmp_path):
    """A name-only row (an unscored indicator) after a name that ends short of its cell's edge, and a
    row with its own figures, are rows of their own."""
    from perfdesk.exchange.readers.pdf import pdf_items

    widths = [50, 50, 85, 50, 30, 30]
    pdf = _draw_pages(tmp_path / "next.pdf", [
        [_HEADER, ["产出指标", "数量指标", "培训人数", "", "", ""]],
        [["", "", "培训场次", "", "", ""], ["", "", "建设美丽宜居自然村", "≥200", "10", "10"]],
    ], widths)
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert ["产出指标", "数量指标", "培训人数"] in rows and ["", "", "培训场次"] in rows
    # a label that fills its cell is complete: “(2分)” ends it, and so does a label of the form
    pdf = _draw_pages(tmp_path / "points.pdf", [
        [["一级指标", "二级指标", "三级指标"], ["", "信息公开(6分)", "预算公开(2分)"]],
        [["", "", "决算公开(2分)"]],
    ], [60, 70, 66])
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert ["", "信息公开(6分)", "预算公开(2分)"] in rows and ["", "", "决算公开(2分)"] in rows
    pdf = _draw_pages(tmp_path / "label.pdf", [[["项目名称", "某某县某某项目"]], [["主管部门", "某某县某某局"]]], [40, 100])
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert rows == [["项目名称", "某某县某某项目"], ["主管部门", "某某县某某局"]]


def test_pdf_a_merged_cell_broken_across_pages_takes_its_part(tmp_path):
    """The 指标解释 cell merged down over two rows breaks over the page with the second row: each
    piece of text at the top of the next page joins the cell it continues."""
    from perfdesk.exchange.readers.pdf import pdf_items

    widths = [60, 95, 88, 50]
    rule = "预算编制符合国家政策"           # 10 characters of 9 pt fill the 95 pt cell
    pdf = _draw_pages(tmp_path / "merged.pdf", [
        [["一级指标", "指标解释", "自评内容", "完成情况"], ["资金投入", rule, "预算资金测算标准", "已完成"],
         ["", "", "转移支付资金合计(万", "1084.25"]],
        [["", "要求", "元)", ""], ["", "", "其中:中央补助", "668.00"]],
    ], widths)
    rows = [it.cells for it in pdf_items(pdf) if it.is_row]
    assert ["资金投入", rule + "要求", "预算资金测算标准", "已完成"] in rows
    assert ["", "", "转移支付资金合计(万元)", "1084.25"] in rows
    assert ["", "", "其中:中央补助", "668.00"] in rows


def test_pdf_chinese_set_off_from_digits_is_no_space_but_a_typed_space_is(tmp_path):
    """Word and LibreOffice print “2024年度” with about a fifth of an em between 4 and 年; a typed space
    (“培训 100 人”) is wider."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    from perfdesk.exchange.readers.pdf import pdf_items

    _draw_pages(tmp_path / "font.pdf", [[["x"]]], [20])   # registers the font
    path = tmp_path / "autospace.pdf"
    c = canvas.Canvas(str(path))
    size = 10.5

    def run(parts: list[tuple[str, float]], y: float):
        x = 60.0
        for text, gap in parts:
            c.setFont("ImportTestCJK", size)
            c.drawString(x, y, text)
            x += pdfmetrics.stringWidth(text, "ImportTestCJK", size) + gap * size

    run([("2024", 0.2), ("年度医疗救助惠及", 0.2), ("11", 0.2), ("万人次", 0)], 700)
    run([("全年培训", 0.3), ("100", 0.3), ("人以上", 0)], 650)
    c.save()
    texts = [it.text for it in pdf_items(path) if not it.is_row]
    assert texts == ["2024年度医疗救助惠及11万人次", "全年培训 100 人以上"]


def _chars(text: str, x0: float, top: float, size: float = 10.5) -> list[dict]:
    out = []
    for ch in text:
        width = size if not ch.isascii() else size / 2
        out.append({"text": ch, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size})
        x0 += width
    return out


def test_pdf_a_comma_with_a_small_low_box_stays_on_its_line():
    """PDFium gives “，” a box of its ink, low and small: it is on the line its middle lies in."""
    from perfdesk.exchange.readers.pdf import _lines_of

    line = _chars("医疗救助惠及11万人次", 50, 659.5) + [
        {"text": "，", "x0": 155.0, "x1": 158.4, "top": 663.1, "bottom": 670.2}] + _chars("完成了预期目标", 158.4, 659.6)
    below = _chars("强化了基本医疗保险", 50, 674.6)
    assert [text for _, text, _ in _lines_of(line + below)] == ["医疗救助惠及11万人次，完成了预期目标", "强化了基本医疗保险"]


def test_pdf_a_line_ended_early_because_what_follows_cannot_be_split_is_a_wrap():
    """Line breaking keeps “扶”高” together (no break before a closing mark, none after a quotation
    mark): the first line of a 71 pt cell stops after three characters, yet it was wrapped."""
    from perfdesk.exchange.readers.pdf import _lines_of, cell_text

    lines = _lines_of(_chars("三支一", 56.8, 359.1) + _chars("扶”高校毕", 56.8, 374.2) + _chars("业生", 56.8, 389.3))
    assert cell_text(lines, 122.6) == "三支一扶”高校毕业生"
    # a line the writer ended short, before an ordinary character, keeps its break
    lines = _lines_of(_chars("三支一", 56.8, 359.1) + _chars("高校毕业生", 56.8, 374.2))
    assert cell_text(lines, 122.6) == "三支一\n高校毕业生"


def test_pdf_page_numbers_and_a_continued_mark_do_not_hide_a_row_broken_across_pages(tmp_path):
    """“第 1 页 共 2 页” under the table and “续表” above it on the next page are page furniture: the
    row broken across the pages is still one row."""
    from reportlab.pdfgen import canvas

    from perfdesk.exchange.readers.pdf import pdf_items

    _draw_pages(tmp_path / "font.pdf", [[["x"]]], [20])   # registers the font
    widths = [50, 50, 85, 50, 30, 30]
    pages = [[_HEADER, ["产出指标", "数量指标", "建设美丽宜居自然村", "≥200", "10", "10"]],
             [["", "", "庄数量", "", "", ""], ["", "", "户厕改造数量", "≥2000", "10", "10"]]]
    path = tmp_path / "marked.pdf"
    c = canvas.Canvas(str(path))
    for number, rows in enumerate(pages, start=1):
        c.setFont("ImportTestCJK", 9)
        if number == 2:
            c.drawString(40, 810, "续表")
        y = 800.0
        for row in rows:
            x = 40.0
            for text, width in zip(row, widths):
                c.rect(x, y - 18, width, 18)
                c.drawString(x + 2, y - 13, text)
                x += width
            y -= 18
        c.drawString(280, 30, f"第 {number} 页 共 2 页")
        c.showPage()
    c.save()
    rows = [it.cells for it in pdf_items(path) if it.is_row]
    assert ["产出指标", "数量指标", "建设美丽宜居自然村庄数量", "≥200", "10", "10"] in rows
    assert ["", "", "户厕改造数量", "≥2000", "10", "10"] in rows
