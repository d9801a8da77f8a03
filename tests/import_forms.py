"""A 财政部 project form with merged cells, written as .docx, .pdf (a ruled table with a text
layer, drawn by ReportLab), HTML and TAB text — for the import tests and the benchmark."""

from __future__ import annotations

from pathlib import Path

# A cell is (text, rowspan, colspan); None marks a position covered by a merged cell.
WIDTH = 9


def project_form(name: str = "职业技能培训项目", n_extra: int = 0, tall: bool = True) -> tuple[list[str], list[list]]:
    """(paragraphs before the table, rows of the table). ``n_extra`` adds indicators of 0 points;
    ``tall=False`` leaves cells merged down unmerged (their text in the first row, the rest empty),
    as a table that may be cut between pages must be."""
    c = lambda text, rs=1, cs=1: (text, rs, cs)  # noqa: E731
    indicators = [
        [c("产出指标", 3 + n_extra), c("数量指标", 2 + n_extra), c("培训人数"), c("≥100人"), c("120人"), c("20"), c("20"), c("")],
        [None, None, c("培训场次"), c("≥5次"), c("4次"), c("20"), c("16"), c("场地不足，下年增加场次")],
    ]
    for k in range(n_extra):
        indicators.append([None, None, c(f"补充指标{k + 1}"), c("≥1次"), c("1次"), c("0"), c("0"), c("")])
    indicators += [
        [None, c("质量指标"), c("培训合格率"), c("≥95%"), c("96%"), c("10"), c("10"), c("")],
        [c("效益指标"), c("社会效益指标"), c("就业率"), c("提高"), c("提高"), c("30"), c("28"), c("")],
        [c("满意度指标"), c("服务对象满意度指标"), c("学员满意度"), c("≥90%"), c("95%"), c("10"), c("10"), c("")],
    ]
    n = len(indicators) + 1
    rows = [
        [c("项目名称"), c(name, 1, 8)] + [None] * 7,
        [c("主管部门"), c("某某区人力资源和社会保障局", 1, 4)] + [None] * 3 + [c("实施单位"), c("某某区就业服务中心", 1, 3)] + [None] * 2,
        [c("项目资金（万元）", 5), c("", 1, 2), None, c("年初预算数"), c("全年预算数"), c("全年执行数"), c("分值"), c("执行率"), c("得分")],
        [None, c("年度资金总额", 1, 2), None, c("100"), c("100"), c("95"), c("10"), c("95%"), c("9.5")],
        [None, c("其中：当年财政拨款", 1, 2), None, c("100"), c("100"), c("95"), c("—"), c("95%"), c("—")],
        [None, c("上年结转资金", 1, 2), None, c(""), c(""), c(""), c("—"), c(""), c("—")],
        [None, c("其他资金", 1, 2), None, c(""), c(""), c(""), c("—"), c(""), c("—")],
        [c("年度总体目标", 2), c("预期目标", 1, 4)] + [None] * 3 + [c("实际完成情况", 1, 4)] + [None] * 3,
        [None, c("全年培训 100 人以上", 1, 4)] + [None] * 3 + [c("培训 120 人", 1, 4)] + [None] * 3,
        [c("绩效指标", n), c("一级指标"), c("二级指标"), c("三级指标"), c("年度指标值"), c("实际完成值"), c("分值"), c("得分"),
         c("偏差原因分析及改进措施")],
    ]
    rows += [[None] + r for r in indicators]
    rows.append([c("总分", 1, 6)] + [None] * 5 + [c("100"), c("93.5"), c("")])
    if not tall:
        for r, row in enumerate(rows):
            for col, cell in enumerate(row):
                if cell is not None and cell[1] > 1:
                    row[col] = (cell[0], 1, cell[2])
                    for below in range(r + 1, r + cell[1]):
                        rows[below][col] = ("", 1, 1)
    return ["项目支出绩效自评表", "（2023年度）"], rows


def _spans(rows):
    for r, row in enumerate(rows):
        for col, cell in enumerate(row):
            if cell is not None:
                yield r, col, cell


def write_docx(path: Path, forms: list[tuple[list[str], list[list]]]) -> Path:
    import docx

    document = docx.Document()
    for k, (paragraphs, rows) in enumerate(forms):
        if k:
            document.add_page_break()
        for text in paragraphs:
            document.add_paragraph(text)
        table = document.add_table(rows=len(rows), cols=WIDTH)
        table.style = "Table Grid"
        for r, col, (text, rs, cs) in _spans(rows):
            cell = table.cell(r, col)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, col + cs - 1))
            cell.text = text
    document.save(str(path))
    return path


def write_html(forms: list[tuple[list[str], list[list]]]) -> str:
    from html import escape

    parts = ["<html><body>"]
    for paragraphs, rows in forms:
        parts += [f"<p>{escape(t)}</p>" for t in paragraphs]
        parts.append('<table border="1">')
        for row in rows:
            parts.append("<tr>")
            for cell in row:
                if cell is None:
                    continue
                text, rs, cs = cell
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                parts.append(f"<td{attrs}>{escape(text)}</td>")
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(path: Path, forms: list[tuple[list[str], list[list]]]) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    from perfdesk.resources import cjk_font_path

    if "ImportTestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ImportTestCJK", str(cjk_font_path()), subfontIndex=0))
    style = ParagraphStyle("cell", fontName="ImportTestCJK", fontSize=7, leading=9, wordWrap="CJK")
    title = ParagraphStyle("title", fontName="ImportTestCJK", fontSize=12, leading=16)
    story = []
    for k, (paragraphs, rows) in enumerate(forms):
        if k:
            story.append(PageBreak())
        story += [Paragraph(t, title) for t in paragraphs]
        data = [[Paragraph(cell[0], style) if cell is not None else "" for cell in row] for row in rows]
        commands = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for r, col, (_, rs, cs) in _spans(rows):
            if rs > 1 or cs > 1:
                commands.append(("SPAN", (col, r), (col + cs - 1, r + rs - 1)))
        widths = [70, 60, 70, 110, 60, 60, 40, 40, 120]
        story.append(Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=0))
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30,
                      bottomMargin=30).build(story)
    return path


def write_tab_text(forms: list[tuple[list[str], list[list]]]) -> str:
    """The form as Excel would copy it: TAB rows, a merged cell's text in its first cell."""
    lines = []
    for paragraphs, rows in forms:
        lines += paragraphs
        for row in rows:
            lines.append("\t".join("" if cell is None else cell[0] for cell in row))
    return "\n".join(lines)
