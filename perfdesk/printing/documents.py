"""The narrative documents, printed as official documents (GB/T 9704-2012).

A document is printed only when the officer has its text (imported, typed, or a
draft they accepted): nothing is generated here, and the text is printed as it
is — paragraphs at its line breaks, headings recognised by their numbering
(一、 黑体; （一） 楷体; 1. and （1） 仿宋), a title line kept as the title.

- 整体绩效评价报告 (unit): the report_* sections, under the outline of seed 003;
- 预算绩效情况说明 (unit): the “explanation” text;
- 项目绩效评价报告 (project): the “report” text, one document per project;
- 其他文字说明: any other narrative of an evaluation that its form does not print
  (e.g. 主要成效 typed for a 财政部 unit form), so nothing typed is left unprintable.

Layout: A4, 版心 156 × 225 mm, 2号 小标宋 title, 3号 仿宋 body on a 28 × 22 grid,
“— x —” page numbers (see common.make_canvas_class), 落款 (unit) and 成文日期
(a date found at the end of the text, else room to write it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE, Document, Evaluation, EvaluationKind
from perfdesk.printing.common import BLANK_DATE, DOC_CHAR, DOC_LEADING, DOCUMENT, FILLED_DATE_KEY, styles
from perfdesk.printing.typeset import TextFlow, natural_width

CHAPTER = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
SECTION = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")
ITEM = re.compile(r"^\s*\d+\s*[.．、](?!\d)")
SUBITEM = re.compile(r"^\s*[（(]\s*\d+\s*[)）]")
DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*$")
HEADING_MAX = 40  # a numbered paragraph up to this length without a full stop is a heading

NUMERALS = "一二三四五六七八九十"

# The unit report's outline (seed 003's published report): (chapter, [(section, key)]) or (chapter, key).
REPORT_OUTLINE = [
    ("部门基本情况", [("部门概况", "report_overview"), ("职责任务", "report_duties"),
                ("绩效目标", "report_goals")]),
    ("评价工作情况", [("评价思路方法", "report_method"), ("评价工作过程", "report_process"),
                ("绩效评价结论", "report_conclusion")]),
    ("主要绩效", "report_performance"),
    ("存在问题", "report_problems"),
    ("有关建议", "report_suggestions"),
]
REPORT_KEYS = tuple(k for _, part in REPORT_OUTLINE
                    for k in ([key for _, key in part] if isinstance(part, list) else [part]))


def chinese_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


# ---------------------------------------------------------------- paragraphs

def heading_level(text: str) -> int:
    """1 for 一、, 2 for （一）, 3 for 1., 4 for （1）, 0 for body text."""
    for level, pattern in ((1, CHAPTER), (2, SECTION), (4, SUBITEM), (3, ITEM)):
        if pattern.match(text):
            return level
    return 0


def paragraph(text: str, level: int | None = None) -> TextFlow:
    """One paragraph of an official document: a heading in its face, a numbered
    paragraph with its run-in heading (up to the first 。) in the heading's face."""
    s = styles()
    text = text.strip().lstrip("\u3000 ")
    level = heading_level(text) if level is None else level
    faces = {1: s.h1, 2: s.h2}
    if level in faces:
        stop = min((i for i in (text.find("。"), text.find("：")) if i >= 0), default=-1)
        if len(text) <= HEADING_MAX and (stop < 0 or stop == len(text) - 1):
            return TextFlow(text, faces[level])
        if 0 <= stop < HEADING_MAX:
            return TextFlow(text, s.body, ((stop + 1, faces[level].font),))
    return TextFlow(text, s.body)


def body(text: str | None) -> list:
    """Prose at its line breaks; a heading keeps at least two lines below it on its page."""
    out: list = []
    for part in (text or "").replace("\r", "\n").split("\n"):
        if not part.strip():
            continue
        flow = paragraph(part)
        if flow.style is not styles().body:
            out.append(CondPageBreak(DOC_LEADING * 3))
        out.append(flow)
    return out


def heading(text: str, level: int) -> list:
    s = styles()
    style = {1: s.h1, 2: s.h2}.get(level, s.h3)
    return [CondPageBreak(DOC_LEADING * 3), TextFlow(text, style)]


def title(lines: list[str]) -> list:
    """The 2号 小标宋 title, centred, then one empty line."""
    s = styles()
    out: list = [TextFlow(line, s.doc_title) for line in lines if line.strip()]
    out.append(Spacer(1, DOC_LEADING))
    return out


def split_title(text: str, limit: float | None = None) -> list[str]:
    """A long title broken after the unit and year (“……2023年度” / “整体绩效评价报告”)."""
    s = styles()
    limit = limit or (156 / 25.4 * 72)
    if natural_width(text, s.doc_title) <= limit:
        return [text]
    m = re.match(r"^(.*?(?:19|20)\d{2}\s*年度?)(.+)$", text)
    if m:
        return [m.group(1), m.group(2)]
    return [text]


def ending(doc: Document, date_text: str = "", signer: str | None = None) -> list:
    """落款: the unit's name, then the 成文日期 below it, shifted right by two characters
    (GB/T 9704 §7.3.5.3 for a document without a seal)."""
    s = styles()
    sign = (doc.unit.name if signer is None else signer).strip()
    date = date_text.strip() or BLANK_DATE
    style = s.doc_sign
    w_sign = natural_width(sign, style)
    w_date = natural_width(date, style)
    right = 2 * DOC_CHAR
    if w_sign >= w_date + 2 * DOC_CHAR:
        x_sign = 156 / 25.4 * 72 - right - w_sign
        x_date = x_sign + 2 * DOC_CHAR
    else:
        x_date = 156 / 25.4 * 72 - right - w_date
        x_sign = x_date - 2 * DOC_CHAR
    out = [Spacer(1, DOC_LEADING)]
    if sign:
        out.append(TextFlow(sign, style.but(left_indent=max(0.0, x_sign))))
    out.append(TextFlow(date, style.but(left_indent=max(0.0, x_date))))
    return out


def _own_ending(paras: list[str]) -> tuple[list[str], str, bool]:
    """A text that ends with its own 落款 (a date line): (paragraphs, date, found)."""
    if paras and DATE_LINE.match(paras[-1]):
        return paras[:-1], paras[-1].strip(), True
    return paras, "", False


def _with_ending(doc: Document, flows: list, date: str = "", signer_line: str | None = None) -> list:
    """The last paragraph kept on one page with the 落款."""
    end = ending(doc, date, signer_line)
    tail = [f for f in flows[-1:] if isinstance(f, TextFlow)]
    head = flows[:len(flows) - len(tail)]
    return head + [KeepTogether(tail + end)]


def prose_document(doc: Document, text: str, default_title: str) -> list:
    """An imported or typed document text: its first line is the title when it reads as one."""
    paras = [p.strip() for p in (text or "").replace("\r", "\n").split("\n") if p.strip()]
    heading_line = paras[0] if paras else ""
    if heading_line and _is_title(heading_line):
        paras = paras[1:]
        title_lines = split_title(heading_line)
    else:
        title_lines = split_title(default_title)
    paras, date, found = _own_ending(paras)
    signer = None
    if found and paras and len(paras[-1]) <= 30 and not heading_level(paras[-1]) and "。" not in paras[-1]:
        signer = paras.pop()  # the text's own signature line above its date
    flows = title(title_lines) + body("\n".join(paras))
    if signer is not None:
        return _with_ending(doc, flows, date, signer)
    return _with_ending(doc, flows, date)


def _is_title(line: str) -> bool:
    flat = "".join(line.split())
    return (len(flat) <= 45 and not flat.endswith(("。", "；", "：", ":")) and not heading_level(flat)
            and any(word in flat for word in ("说明", "报告", "评价", "情况")))


# ---------------------------------------------------------------- the documents

def unit_report(doc: Document, ev: Evaluation, signatories=None) -> list:
    """整体绩效评价报告: the officer's sections under the report's outline; empty
    sections are left out and the numbering closes up."""
    n = ev.narrative
    name = doc.unit.name or ev.name
    year = f"{doc.year}年度" if doc.year else ""
    story = title(split_title(f"{name}{year}整体绩效评价报告"))
    chapter = 0
    for chapter_title, part in REPORT_OUTLINE:
        if isinstance(part, list):
            filled = [(t, key) for t, key in part if n.get(key, "").strip()]
            if not filled:
                continue
            chapter += 1
            story += heading(f"{chinese_number(chapter)}、{chapter_title}", 1)
            for i, (section_title, key) in enumerate(filled, start=1):
                story += heading(f"（{chinese_number(i)}）{section_title}", 2)
                story += body(n[key])
        elif n.get(part, "").strip():
            chapter += 1
            story += heading(f"{chinese_number(chapter)}、{chapter_title}", 1)
            story += body(n[part])
    return _with_ending(doc, story)


def explanation(doc: Document, ev: Evaluation, signatories=None) -> list:
    """预算绩效情况说明: the officer's text, as it is."""
    year = f"{doc.year}年度" if doc.year else ""
    return prose_document(doc, ev.narrative.get("explanation", ""), f"关于{year}预算绩效情况说明")


def project_report(doc: Document, ev: Evaluation, signatories=None) -> list:
    """项目（支出）绩效评价报告 of one project: its imported or typed text."""
    return prose_document(doc, ev.narrative.get("report", ""), f"{ev.name or '项目'}项目绩效评价报告")


def printed_keys(doc: Document, ev: Evaluation) -> set[str]:
    """Narrative keys that the evaluation's form or a document prints."""
    from perfdesk.model.layouts import LayoutError, layout_of

    keys = {FILLED_DATE_KEY}
    try:
        layout = layout_of(ev.layout, ev.kind.value)
    except LayoutError:
        layout = None
    if layout is not None:
        if layout.has_rule_column and ev.kind is EvaluationKind.UNIT:  # 江苏-style unit forms
            keys |= {"achievements", "problems", "remedies"}
        if layout.has_target_rows:  # 晋中
            keys |= {"overview", "fund_usage", "organisation", "performance", "other_issues"}
    if ev.kind is EvaluationKind.UNIT:
        keys |= set(REPORT_KEYS) | {"explanation"}
    else:
        keys.add("report")
    return keys


def other_texts(doc: Document, ev: Evaluation) -> list[tuple[str, str]]:
    """(title, text) of narratives printed nowhere else — unless the text is already
    part of a printed document (a 自评综述 quoted in the 情况说明)."""
    labels = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
    printed = printed_keys(doc, ev)
    quoted = _flat(doc.unit_evaluation.narrative.get("explanation", ""))
    out = []
    for key, text in ev.narrative.items():
        if key in printed or not (text or "").strip():
            continue
        if _flat(text) and _flat(text) in quoted:
            continue
        out.append((labels.get(key, key), text))
    return out


def _flat(text: str) -> str:
    return "".join((text or "").split())


def other_texts_document(doc: Document, ev: Evaluation, signatories=None) -> list:
    who = ev.name or (doc.unit.name if ev.kind is EvaluationKind.UNIT else "项目")
    story = title(split_title(f"{who}文字说明"))
    for i, (label, text) in enumerate(other_texts(doc, ev), start=1):
        story += heading(f"{chinese_number(i)}、{label}", 1)
        story += body(text)
    return _with_ending(doc, story)


@dataclass(frozen=True)
class PrintedDocument:
    """A kind of document the program prints from the officer's text."""

    key: str                                   # the --form value
    label: str
    scope: str                                 # "unit" or "project"
    exists: Callable[[Document, Evaluation], bool]
    build: Callable[..., list]

    def title_for(self, doc: Document, ev: Evaluation) -> str:
        if self.scope == "project":
            return f"{self.label}：{ev.name}"
        return self.label


DOCUMENTS = [
    PrintedDocument("report", "整体绩效评价报告", "unit",
                    lambda doc, ev: any(ev.narrative.get(k, "").strip() for k in REPORT_KEYS), unit_report),
    PrintedDocument("explanation", "预算绩效情况说明", "unit",
                    lambda doc, ev: bool(ev.narrative.get("explanation", "").strip()), explanation),
    PrintedDocument("project-reports", "项目绩效评价报告", "project",
                    lambda doc, ev: bool(ev.narrative.get("report", "").strip()), project_report),
    PrintedDocument("other-texts", "其他文字说明", "any",
                    lambda doc, ev: bool(other_texts(doc, ev)), other_texts_document),
]


def document_kind(key: str) -> PrintedDocument | None:
    return next((d for d in DOCUMENTS if d.key == key), None)


def documents_using(key: str, kind: str) -> list[str]:
    """Which printed documents show the narrative ``key`` of an evaluation of ``kind``
    (for the 文字说明 tab: “用于：整体绩效评价报告”)."""
    if kind == "unit":
        if key in REPORT_KEYS:
            return ["整体绩效评价报告"]
        if key == "explanation":
            return ["预算绩效情况说明"]
        if key in ("achievements", "problems", "remedies"):
            return ["部门整体支出绩效自评表（江苏格式）"]
    else:
        if key == "report":
            return ["项目绩效评价报告"]
        if key in ("overview", "fund_usage", "organisation", "performance", "other_issues"):
            return ["财政支出项目绩效自评表（晋中格式）"]
    return ["其他文字说明"]


__all__ = [
    "DOCUMENT", "DOCUMENTS", "PrintedDocument", "REPORT_KEYS", "REPORT_OUTLINE", "body", "chinese_number",
    "document_kind", "documents_using", "ending", "explanation", "heading_level", "other_texts",
    "paragraph", "printed_keys", "project_report", "prose_document", "title", "unit_report",
]
