"""``export_docx``: the document's forms and narrative documents as one Word file.

What is exported is what the document holds, as for printing: the unit's
form when it has content, every project's form, and the 整体绩效评价报告, the
预算绩效情况说明, each 项目支出绩效自评报告 and each imported 项目绩效评价报告
only when the officer has text for them (imported, typed or an accepted draft;
see ``perfdesk.drafts.outline``). Nothing is generated here.

Each form or document starts a new section (a new page); forms are Word
tables with merged cells (``docx_forms``), documents are set per GB/T 9704
(``docx_xml``). The file is written to a temporary name and renamed over the
target only when complete.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from perfdesk.drafts.outline import (
    EXPLANATION, OTHER_TEXTS, PROJECT_REPORT, PROJECT_SELF_REPORT, UNIT_REPORT, NarrativeDocument,
    blocks, other_texts, split_title,
)
from perfdesk.exchange.docx_xml import (
    DOCUMENT_PAGE, FORM_PAGE, R_NS, W_NS, Fonts, Page, font_table_xml, paragraph, sect_pr, section_break, text_runs,
    styles_xml,
)
from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.model.layouts import LayoutError, layout_of

FORMS = ("all", "unit", "projects", "report", "explanation", "self-reports", "project-reports", "other-texts")
FORM_LABELS = {
    "unit": "部门整体支出绩效自评表",
    "projects": "项目支出绩效自评表",
    "report": "整体绩效评价报告",
    "explanation": "预算绩效情况说明",
    "self-reports": "项目支出绩效自评报告",
    "project-reports": "项目绩效评价报告",
    "other-texts": "其他文字说明",
    "all": "全部表格和文字材料",
}


class DocxError(Exception):
    """A .docx export that cannot be done (Chinese message)."""


@dataclass
class Item:
    kind: str                  # "form", "text" (a narrative document) or "other" (其他文字说明)
    ev: Evaluation
    outline: NarrativeDocument | None = None


def plan(doc: Document, form: str = "all", evaluation: Evaluation | None = None) -> list[Item]:
    """What a request exports, in order; an explicit form the document does not hold is an error."""
    if evaluation is not None:
        return [Item("form", evaluation)]
    if form not in FORMS:
        raise DocxError(f"未知的表格类型“{form}”，可选：{'、'.join(FORMS)}")
    unit = doc.unit_evaluation
    items: list[Item] = []
    from perfdesk.printing.export import unit_form_exists  # one answer for PDF and Word

    if form in ("unit", "all") and unit_form_exists(unit):
        items.append(Item("form", unit))
    if form in ("projects", "all"):
        items += [Item("form", p) for p in doc.projects]
    if form in ("report", "all") and UNIT_REPORT.exists(unit):
        items.append(Item("text", unit, UNIT_REPORT))
    if form in ("explanation", "all") and EXPLANATION.exists(unit):
        items.append(Item("text", unit, EXPLANATION))
    for outline, name in ((PROJECT_SELF_REPORT, "self-reports"), (PROJECT_REPORT, "project-reports")):
        if form in (name, "all"):
            items += [Item("text", p, outline) for p in doc.projects if outline.exists(p)]
    if form in ("other-texts", "all"):
        items += [Item("other", ev) for ev in doc.evaluations() if other_texts(doc, ev)]
    if not items:
        if form == "all":
            raise DocxError("文档中没有可导出的表格或文字材料。")
        raise DocxError(f"文档中没有{FORM_LABELS[form]}，无法导出。"
                        + ("请先在“文字说明”中填写或采用草稿。" if form not in ("unit", "projects") else ""))
    return items


# ---------------------------------------------------------------- narrative documents

_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")
_H3 = re.compile(r"^\d+[.．、]")
_H_ARABIC = re.compile(r"^[（(]\d+[）)]")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _is_heading_line(line: str) -> bool:
    body = line[:-1] if line.endswith("。") else line
    return len(line) <= 36 and not any(p in body for p in "。，；：")


def body_xml(text: str, fonts: Fonts | None = None) -> list[str]:
    """The officer's text as paragraphs; its own heading lines (一、 / （一） / 1. / （1）) in their type,
    a run-in heading (“一是加强管理。正文……”, “（一）项目概况：正文……”) in the heading's face."""
    from perfdesk.exchange.docx_xml import SIZE, rpr

    fonts = fonts or Fonts()
    lines = [line.strip().lstrip("\u3000") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    has_h1 = any(_H1.match(line) and _is_heading_line(line) for line in lines)
    out = []
    for line in lines:
        level = _level(line, has_h1)
        if level and _is_heading_line(line):
            out.append(paragraph(line, {1: "PDH1", 2: "PDH2", 3: "PDH3"}[level]))
            continue
        stop = min((i for i in (line.find("。"), line.find("：")) if i >= 0), default=-1)
        if level in (1, 2) and 0 <= stop < 36 and stop < len(line) - 1:
            font = fonts.h1 if level == 1 else fonts.h2
            head = text_runs(line[: stop + 1], rpr(font, SIZE["三号"], fonts.latin))
            out.append(f'<w:p><w:pPr><w:pStyle w:val="PDBody"/></w:pPr>{head}{text_runs(line[stop + 1:])}</w:p>')
            continue
        out.append(paragraph(line, "PDBody"))
    return out


def _level(line: str, has_h1: bool) -> int:
    if _H1.match(line):
        return 1
    if _H2.match(line):
        return 2
    if _H3.match(line):
        return 3
    if _H_ARABIC.match(line):
        return 3 if has_h1 else 1
    return 0


def ending_xml(doc: Document, ev: Evaluation, text: str) -> tuple[str, list[str]]:
    """(text without its own 落款, the 落款 paragraphs): the unit's name and the 成文日期 — the text's own
    date (and the signature line above it) when it ends with one, else room to write the date."""
    lines = [line.strip() for line in text.strip().splitlines()]
    date, sign = "", signer(doc, ev)
    if lines and _DATE.search(lines[-1]) and len(lines[-1]) <= 20:
        date = lines.pop()
        if lines and len(lines[-1]) <= 30 and "。" not in lines[-1] and not _level(lines[-1], False):
            sign = lines.pop()
    out = [paragraph("", "PDBody")]
    if sign:
        out.append(paragraph(sign, "PDSign"))
    out.append(paragraph(date or "　　年　　月　　日", "PDSign"))
    return "\n".join(lines), out


TITLE_CHARS = 20  # 2号 characters on a 156 mm line
_YEAR = re.compile(r"(?:关于)?\d{4}\s*年度")
_TITLE_TAILS = ("项目支出绩效自评报告", "支出绩效自评报告", "整体绩效评价报告", "项目绩效评价报告", "绩效评价报告",
                "预算绩效情况说明", "绩效自评报告", "文字说明")


def title_lines(title: str) -> str:
    """A long title on two lines, broken where the words allow (GB/T 9704 7.3.3: 回行时要做到词意完整):
    before the year (“如皋市社会养老保险管理处 / 2023年度整体绩效评价报告”), else before the
    document's name."""
    if len(title) <= TITLE_CHARS:
        return title
    year = _YEAR.search(title)
    if year and year.start() > 0:
        head, tail = title[: year.start()], title[year.start():]
        if len(tail) <= TITLE_CHARS:
            return f"{head}\n{tail}"
    for tail in _TITLE_TAILS:
        if title.endswith(tail) and len(title) > len(tail):
            return f"{title[: -len(tail)]}\n{tail}"
    return title


def signer(doc: Document, ev: Evaluation) -> str:
    if ev.kind is EvaluationKind.PROJECT:
        return ev.project.implementer or doc.unit.name
    return doc.unit.name or ev.name


def narrative_document(doc: Document, ev: Evaluation, outline: NarrativeDocument, fonts: Fonts | None = None) -> list[str]:
    heading = outline.full_title(doc, ev)
    parts = blocks(outline, ev)
    if outline.parts[0].heading is None and parts:  # one text: it may carry its own title
        own, body = split_title(parts[-1].text, outline.title, heading)
        if own:
            heading = own
        parts = [parts[-1].__class__(0, body, parts[-1].key)]
    out = [paragraph(title_lines(heading), "PDTitle")]
    ending: list[str] = []
    for i, block in enumerate(parts):
        if block.level == 1:
            out.append(paragraph(block.text, "PDH1"))
        elif block.level == 2:
            out.append(paragraph(block.text, "PDH2"))
        else:
            text = block.text
            if i == len(parts) - 1:
                text, ending = ending_xml(doc, ev, text)
            out += body_xml(text, fonts)
    if not ending:
        ending = ending_xml(doc, ev, "")[1]
    return out + ending


def other_texts_document(doc: Document, ev: Evaluation, fonts: Fonts | None = None) -> list[str]:
    """其他文字说明: the texts of an evaluation that no form or document prints, each under its title."""
    who = ev.name or (doc.unit.name if ev.kind is EvaluationKind.UNIT else "项目")
    out = [paragraph(title_lines(f"{who}{OTHER_TEXTS}"), "PDTitle")]
    texts = other_texts(doc, ev)
    ending: list[str] = []
    for n, (_key, title, text) in enumerate(texts, start=1):
        out.append(paragraph(f"{CHINESE[n - 1]}、{title.split('：')[-1]}", "PDH1"))
        if n == len(texts):
            text, ending = ending_xml(doc, ev, text)
        out += body_xml(text, fonts)
    return out + ending


CHINESE = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六"]


# ---------------------------------------------------------------- the file

def _form_xml(doc: Document, ev: Evaluation, signatories) -> list[str]:
    try:
        layout = layout_of(ev.layout, ev.kind.value)
        builder = layout.docx_builder()
    except LayoutError as exc:
        raise DocxError(str(exc)) from None
    return builder(doc, ev, layout, signatories)


def _footer_paragraph(align: str) -> str:
    indent = '<w:ind w:right="280"/>' if align == "right" else '<w:ind w:left="280"/>'
    return (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="PDPageNumber"/>{indent}<w:jc w:val="{align}"/></w:pPr>'
            '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>')


def build_docx(doc: Document, form: str = "all", evaluation: Evaluation | None = None, *,
               signatories: dict | None = None, fonts: Fonts | None = None) -> tuple[bytes, int]:
    """The .docx bytes and the number of forms and documents in it."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from lxml import etree

    if not isinstance(doc, Document):
        raise DocxError("没有可导出的文档。")
    items = plan(doc, form, evaluation)
    fonts = fonts or Fonts.official()
    out = docx.Document()

    # styles, language and fonts
    styles = out.styles.element
    for xml in styles_xml(fonts):
        styles.append(parse_xml(xml))
    q = f"{{{W_NS}}}"
    defaults = styles.find(f"{q}docDefaults/{q}rPrDefault/{q}rPr")
    if defaults is not None:
        for old in defaults.findall(f"{q}lang") + defaults.findall(f"{q}rFonts"):
            defaults.remove(old)
        defaults.insert(0, parse_xml(f'<w:rFonts xmlns:w="{W_NS}" w:ascii="{fonts.latin}" w:hAnsi="{fonts.latin}" '
                                     f'w:eastAsia="{fonts.table}" w:cs="{fonts.latin}"/>'))
        defaults.append(parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
    font_part = out.part.part_related_by(RT.FONT_TABLE)
    font_root = etree.fromstring(font_part.blob)
    for xml in font_table_xml():
        el = etree.fromstring(xml)
        for old in font_root.findall(f"{q}font[@{q}name='{el.get(q + 'name')}']"):
            font_root.remove(old)
        font_root.append(el)
    font_part._blob = etree.tostring(font_root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # page numbers “— 1 —”: odd pages at the right, even pages at the left (GB/T 9704 7.5)
    out.settings.odd_and_even_pages_header_footer = True
    section = out.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        ftr = footer._element
        for p in list(ftr):
            ftr.remove(p)
        ftr.append(parse_xml(_footer_paragraph(align)))
    body = out.element.body
    final = body[-1]
    refs = "".join(etree.tostring(ref, encoding="unicode") for ref in final.findall(f"{q}footerReference"))
    refs = re.sub(r'\s+xmlns:\w+="[^"]*"', "", refs)

    chunks: list[str] = []
    pages: list[Page] = []
    titles: list[str] = []
    for index, item in enumerate(items):
        if item.kind == "form":
            chunks += _form_xml(doc, item.ev, signatories)
            page = FORM_PAGE
            titles.append(f"{FORM_LABELS['unit' if item.ev.kind is EvaluationKind.UNIT else 'projects']}"
                          f"{'：' + item.ev.name if item.ev.kind is EvaluationKind.PROJECT else ''}")
        elif item.kind == "text":
            chunks += narrative_document(doc, item.ev, item.outline, fonts)
            page = DOCUMENT_PAGE
            titles.append(item.outline.full_title(doc, item.ev))
        else:
            chunks += other_texts_document(doc, item.ev, fonts)
            page = DOCUMENT_PAGE
            titles.append(f"{item.ev.name or doc.unit.name}{OTHER_TEXTS}")
        if index < len(items) - 1:
            chunks.append(section_break(page, refs))
        pages.append(page)

    wrapper = f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(chunks)}{sect_pr(pages[-1], refs)}</w:body>'
    try:
        parsed = parse_xml(wrapper)
    except Exception as exc:  # a builder wrote bad XML: a clear message, not a traceback
        raise DocxError(f"生成Word文件失败：{exc}") from exc
    body.remove(final)
    for child in list(parsed):
        body.append(child)

    props = out.core_properties
    unit = doc.unit.name or doc.unit_evaluation.name
    props.title = " / ".join(titles)[:250]
    props.author = unit
    props.subject = "绩效自评"
    props.comments = f"{unit} {doc.year}年度" if doc.year else unit
    props.last_modified_by = "perfdesk"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue(), len(items)


def export_docx(doc: Document, path, form: str = "all", evaluation: Evaluation | None = None, *,
                signatories: dict | None = None, fonts: Fonts | None = None) -> int:
    """Write the requested forms and documents as one .docx; returns how many it holds."""
    data, count = build_docx(doc, form, evaluation, signatories=signatories, fonts=fonts)
    from perfdesk.store import os_reason, write_bytes_atomically

    try:
        write_bytes_atomically(path, data)  # beside it, then in place: the old file survives any failure
    except OSError as exc:
        raise DocxError(f"无法写入Word文件“{path}”：{os_reason(exc)}") from None
    return count


__all__ = ["DocxError", "FORMS", "FORM_LABELS", "build_docx", "export_docx", "plan"]
