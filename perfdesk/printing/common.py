"""Shared pieces of the printed forms: styles, cells, page templates, the
two-pass numbered canvas (第 x 页 共 y 页 per form), watermark, fingerprint and
the signature block.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from xml.sax.saxutils import escape, unescape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from perfdesk.model.amounts import format_wan
from perfdesk.model.document import Amounts, Document
from perfdesk.printing.fonts import FANG, HEI, SONG, register_fonts
from perfdesk.scoring import format_rate, format_score

PORTRAIT = "portrait"
LANDSCAPE = "landscape"
PAGE_SIZES = {PORTRAIT: A4, LANDSCAPE: landscape(A4)}
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm


def frame_width(orientation: str) -> float:
    return PAGE_SIZES[orientation][0] - 2 * MARGIN_X


# ---------------------------------------------------------------- styles

class Styles:
    """Paragraph styles, built after the fonts are registered."""

    def __init__(self) -> None:
        register_fonts()
        base = dict(fontName=SONG, fontSize=9, leading=12, wordWrap="CJK")
        # CJK wrapping lets one closing punctuation mark (。，、) hang past the
        # line: reserve its width (with the cell padding) so it stays in the cell.
        hang = dict(rightIndent=6)
        self.cell = ParagraphStyle("cell", alignment=TA_LEFT, **base, **hang)
        self.center = ParagraphStyle("center", alignment=TA_CENTER, **base, **hang)
        self.right = ParagraphStyle("right", alignment=TA_RIGHT, **base)
        self.head = ParagraphStyle("head", alignment=TA_CENTER, **{**base, "fontName": HEI})
        self.label = ParagraphStyle("label", alignment=TA_CENTER, **{**base, "fontName": HEI})
        self.text = ParagraphStyle("text", alignment=TA_LEFT, **{**base, "leading": 13}, **hang)
        self.title = ParagraphStyle(
            "title", fontName=HEI, fontSize=18, leading=24, alignment=TA_CENTER, wordWrap="CJK",
            spaceAfter=2 * mm,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=SONG, fontSize=11, leading=15, alignment=TA_CENTER, wordWrap="CJK",
            spaceAfter=3 * mm,
        )
        self.unitline = ParagraphStyle(
            "unitline", fontName=SONG, fontSize=10.5, leading=14, alignment=TA_LEFT, wordWrap="CJK",
            spaceAfter=2 * mm,
        )
        self.sign = ParagraphStyle("sign", fontName=SONG, fontSize=10.5, leading=16, wordWrap="CJK",
                                   rightIndent=11)
        # Prose (reports): 仿宋 with a two-character first-line indent.
        self.body = ParagraphStyle(
            "body", fontName=FANG, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK",
            alignment=TA_LEFT, spaceAfter=1.5 * mm, rightIndent=12,
        )
        self.h1 = ParagraphStyle(
            "h1", fontName=HEI, fontSize=13, leading=21, spaceBefore=3 * mm, spaceAfter=1.5 * mm,
            firstLineIndent=26, wordWrap="CJK",
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=HEI, fontSize=12, leading=21, spaceBefore=1 * mm, firstLineIndent=24,
            wordWrap="CJK", spaceAfter=1 * mm,
        )
        self.report_title = ParagraphStyle(
            "report_title", fontName=HEI, fontSize=20, leading=30, alignment=TA_CENTER,
            wordWrap="CJK", spaceAfter=6 * mm,
        )


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


def markup(text: str | None) -> str:
    """Escape officer text for a Paragraph; keep its line breaks."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return escape(text).replace("\n", "<br/>")


class CellParagraph(Paragraph):
    """A table cell's Paragraph that remembers its line breaks for a width:
    ReportLab wraps every cell again each time a table is measured or split,
    and breaking CJK lines is the bulk of the export time."""

    _wrapped_for = None

    def wrap(self, availWidth, availHeight):
        # keyed by id: pieces split off a paragraph copy its attributes
        key = (id(self), availWidth)
        if self._wrapped_for == key and hasattr(self, "blPara"):
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._wrapped_for = key
        return result


def P(text: str | None, style: ParagraphStyle | None = None) -> Paragraph:
    return CellParagraph(markup(text), style or styles().cell)


def H(text: str) -> Paragraph:
    """A header/label cell (黑体, centred)."""
    return CellParagraph(markup(text), styles().head)


def C(text: str | None) -> Paragraph:
    return CellParagraph(markup(text), styles().center)


def R(text: str | None) -> Paragraph:
    """A right-aligned number cell."""
    return CellParagraph(markup(text), styles().right)


def heading(text: str, style: ParagraphStyle, lines: int = 4) -> list:
    """A heading that never ends a page: a page break first when less than
    ~3 lines of room are left (``keepWithNext`` would drag a long paragraph
    along and leave the page empty)."""
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(style.leading * lines), Paragraph(escape(text), style)]


def body_paragraphs(text: str | None, style: ParagraphStyle | None = None) -> list[Paragraph]:
    """Prose split at its line breaks into indented paragraphs."""
    style = style or styles().body
    parts = [p.strip() for p in (text or "").replace("\r", "\n").split("\n")]
    return [Paragraph(escape(p), style) for p in parts if p]


# ---------------------------------------------------------------- figures

def wan(fen: int | None, unit: bool = False) -> str:
    text = format_wan(fen)
    return f"{text} 万元" if unit and text else text


def score2(value: Decimal | None) -> str:
    """Two decimals always (晋中 forms): 19.80."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def score(value: Decimal | None) -> str:
    return format_score(value)


def rate(value: Decimal | None) -> str:
    return format_rate(value)


def amounts_summary(amounts: Amounts | None) -> str:
    """One source's money in one cell: a single figure when they agree."""
    if amounts is None or amounts.is_empty():
        return ""
    items = [
        (label, getattr(amounts, key))
        for label, key in (("年初预算数", "initial_budget"), ("全年预算数", "annual_budget"),
                           ("全年执行数", "spent"))
        if getattr(amounts, key) is not None
    ]
    if len({v for _, v in items}) == 1:
        return wan(items[0][1], unit=True)
    return "，".join(f"{label}{wan(v, unit=True)}" for label, v in items)


# ---------------------------------------------------------------- tables

GRID = [
    ("FONTNAME", (0, 0), (-1, -1), SONG),
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


class FormTable(Table):
    """A Table whose rule-less label blocks (see ``grid_table``) show their
    label again, marked （续）, at the top of the part continued on the next page."""

    pd_blocks: tuple = ()  # (column, first row, last row, label text)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or not self.pd_blocks:
            return parts
        head, rest = parts
        cut = len(head._cellvalues)      # original rows [0, cut) went to the first part
        repeat = len(rest._cellvalues) - (len(self._cellvalues) - cut)  # header rows repeated
        shift = cut - repeat
        blocks = []
        for col, first, last, label in self.pd_blocks:
            if last < cut:
                continue
            if first < cut:
                rest._cellvalues[repeat][col] = H(f"{label}（续）")
                rest.setStyle(TableStyle([("VALIGN", (col, repeat), (col, repeat), "TOP")]))
            blocks.append((col, max(first, cut) - shift, last - shift, label))
        rest.pd_blocks = tuple(blocks)
        return parts


# A merged label cell taller than this cannot be split by ReportLab: such a
# block is drawn as an unmerged column without inner rules (it looks merged
# and splits across pages). Smaller blocks are real SPANs and move whole.
SPAN_LIMIT = 100 * mm


def grid_table(rows, widths, spans=(), extra=(), repeat_rows: int = 0, merges=()) -> Table:
    """A bordered form table; every cell is a Paragraph (wraps, never overflows).

    ``merges`` — (column, first row, last row): a label cell merged down a
    block (level-1/level-2 indicators, “预算安排及支出情况”). Tables with merged
    cells split between rows only; long prose goes into ``text_table``.
    """
    merges = [m for m in merges if m[2] > m[1]]
    spans = list(spans)
    rows = [list(row) for row in rows]
    style = list(GRID)
    if merges:
        probe = Table(rows, colWidths=widths)
        probe.setStyle(TableStyle(list(GRID) + [("SPAN", a, b) for a, b in spans]))
        probe.wrap(sum(widths), 1e9)
        heights = probe._rowHeights
        n_rows, n_cols = len(rows), len(widths)
        style = [c for c in GRID if c[0] != "GRID"] + [
            ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
            ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.black),
        ]
        hidden = set()
        blocks = []
        for col, first, last in merges:
            hidden.update((col, r) for r in range(first, last))
            if sum(heights[first:last + 1]) <= SPAN_LIMIT:
                spans.append(((col, first), (col, last)))
            else:
                style.append(("VALIGN", (col, first), (col, first), "TOP"))
                label = getattr(rows[first][col], "text", rows[first][col]) or ""
                label = unescape(str(label).replace("<br/>", ""))
                if label:
                    blocks.append((col, first, last, str(label)))
                for r in range(first + 1, last + 1):
                    rows[r][col] = ""
        for col in range(n_cols):
            r = 0
            while r < n_rows - 1:
                if (col, r) in hidden:
                    r += 1
                    continue
                end = r
                while end + 1 < n_rows - 1 and (col, end + 1) not in hidden:
                    end += 1
                style.append(("LINEBELOW", (col, r), (col, end), 0.6, colors.black))
                r = end + 1
    style += [("SPAN", a, b) for a, b in spans]
    style += list(extra)
    table = FormTable(rows, colWidths=widths, repeatRows=repeat_rows, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    if merges:
        table.pd_blocks = tuple(blocks)
    return table


def text_table(rows, widths, extra=()) -> Table:
    """Label and prose cells without merged cells: a row taller than a page
    (a 3000-character narrative) continues on the next page (``splitInRow``)."""
    style = list(GRID) + list(extra)
    table = Table(rows, colWidths=widths, splitInRow=1, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    return table


def goals_like_table(label: str, heads: tuple[str, str], texts: tuple[str, str], widths) -> Table:
    """年度总体目标 | 预期目标 / 实际完成情况: the label cell looks merged over
    both rows (no rule between them) without a SPAN, so the row may split."""
    rows = [[H(label), H(heads[0]), H(heads[1])], ["", P(texts[0]), P(texts[1])]]
    style = [s for s in GRID if s[0] != "GRID"] + [
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("LINEAFTER", (0, 0), (1, -1), 0.6, colors.black),
        ("LINEBELOW", (1, 0), (-1, 0), 0.6, colors.black),
        ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
    ]
    table = Table(rows, colWidths=widths, splitInRow=1, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    return table


def blank_row(n: int) -> list:
    return [""] * n


# ---------------------------------------------------------------- markers and blocks

class SectionMark(Flowable):
    """Zero-size flowable that starts a form: the canvas numbers pages per form."""

    def __init__(self, key: int, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv.pd_section = self.key
        canv.pd_title = self.title
        hook = getattr(canv, "pd_on_section", None)
        if hook is not None:
            hook(self.key)


KEEP_LIMIT = 120 * mm  # content taller than this is not moved to a new page whole


def keep_together(flowables: list, width: float) -> list:
    """``KeepTogether`` for a short ending (total row, last narrative, signature):
    it moves to the next page whole rather than leave the signature alone.
    ReportLab's KeepTogether starts a new page whenever its content does not
    fit, even content longer than a page; a long ending therefore flows, and
    only its last flowable pair is kept together."""
    from reportlab.platypus import KeepTogether

    height = 0.0
    for f in flowables:
        height += f.wrap(width, 1e9)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    if height <= KEEP_LIMIT:
        return [KeepTogether(flowables)]
    if len(flowables) <= 2:
        return list(flowables)
    return list(flowables[:-2]) + [KeepTogether(flowables[-2:])]


def signature_block(doc: Document, signatories: dict | None, width: float) -> Table:
    """单位负责人（签章）/ 财务负责人 / 填表人 / 联系电话 / 填报日期 — no borders."""
    s = styles()
    sig = signatories or {}
    unit = doc.unit

    def who(key: str) -> str:
        value = sig.get(key)
        return (value if value else getattr(unit, key, "")) or ""

    cells = [
        [P(f"单位负责人（签章）：{who('leader')}", s.sign),
         P(f"财务负责人：{who('finance_leader')}", s.sign),
         P(f"填表人：{who('preparer')}", s.sign)],
        [P(f"联系电话：{who('phone')}", s.sign), "",
         P("填报日期：　　　　年　　月　　日", s.sign)],
    ]
    t = Table(cells, colWidths=[width * 0.40, width * 0.28, width * 0.32], hAlign="CENTER")
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("FONTNAME", (0, 0), (-1, -1), SONG),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("SPAN", (0, 1), (1, 1)),
    ]))
    return t


# ---------------------------------------------------------------- fingerprint

def _plain(value):
    if is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.name not in ("parent", "uid")
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def fingerprint(doc: Document) -> str:
    """A short hash of the document's content (not of its 定稿 mark).

    Printed in every page's footer so a signed paper copy can be matched to
    the file it came from.
    """
    data = _plain(doc)
    data.pop("final", None)
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"


# ---------------------------------------------------------------- pages

def make_canvas_class(footer_left: str, print_fingerprint: str, watermark: bool, on_section=None):
    """A canvas that records pages, then draws “第 x 页 共 y 页” per form."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            if not kwargs.get("initialFontName"):
                kwargs["initialFontName"] = SONG  # never an unembedded Helvetica
            if not kwargs.get("initialFontSize"):
                kwargs["initialFontSize"] = 9
            super().__init__(*args, **kwargs)
            self._pd_pages: list[dict] = []
            self.pd_section = 0
            self.pd_title = ""
            self.pd_on_section = on_section
            self.pd_page_count = 0

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pd_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            counts: dict = {}
            for state in self._pd_pages:
                counts[state["pd_section"]] = counts.get(state["pd_section"], 0) + 1
            seen: dict = {}
            for state in self._pd_pages:
                self.__dict__.update(state)
                key = state["pd_section"]
                seen[key] = seen.get(key, 0) + 1
                self._draw_footer(seen[key], counts[key])
                Canvas.showPage(self)
            self.pd_page_count = len(self._pd_pages)
            Canvas.save(self)

        def _draw_footer(self, page: int, total: int) -> None:
            width, _ = self._pagesize
            y = 9 * mm
            self.saveState()
            self.setFillColor(colors.black)
            self.setFont(SONG, 9)
            self.drawCentredString(width / 2, y, f"第 {page} 页 共 {total} 页")
            self.setFont(SONG, 7)
            self.setFillColor(colors.HexColor("#555555"))
            if footer_left:
                self.drawString(MARGIN_X, y, footer_left[:40])
            self.drawRightString(width - MARGIN_X, y, f"文件指纹 {print_fingerprint}")
            self.restoreState()

    return NumberedCanvas


def draw_watermark(canv, doc) -> None:
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.18))
    canv.setFont(HEI, 130)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    canv.drawCentredString(0, -45, "草稿")
    canv.restoreState()


class FormsDocTemplate(BaseDocTemplate):
    """Portrait and landscape A4 page templates; the first is the first form's."""

    def __init__(self, target, first: str, watermark: bool, **kwargs) -> None:
        super().__init__(
            target, pagesize=PAGE_SIZES[first], leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, **kwargs,
        )
        on_page = draw_watermark if watermark else (lambda canv, doc: None)
        templates = []
        for orientation in (first, LANDSCAPE if first == PORTRAIT else PORTRAIT):
            w, h = PAGE_SIZES[orientation]
            frame = Frame(
                MARGIN_X, MARGIN_BOTTOM, w - 2 * MARGIN_X, h - MARGIN_TOP - MARGIN_BOTTOM,
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=orientation,
            )
            templates.append(PageTemplate(id=orientation, frames=[frame], onPage=on_page,
                                          pagesize=(w, h)))
        self.addPageTemplates(templates)


def title_block(title: str, year: int | None) -> list:
    s = styles()
    out = [Paragraph(escape(title), s.title)]
    if year:
        out.append(Paragraph(f"（{year}年度）", s.subtitle))
    return out


__all__ = [
    "C", "FormsDocTemplate", "H", "LANDSCAPE", "P", "PORTRAIT", "R", "SectionMark", "Spacer",
    "amounts_summary", "blank_row", "body_paragraphs", "goals_like_table", "text_table", "fingerprint", "frame_width", "grid_table",
    "make_canvas_class", "markup", "rate", "score", "score2", "signature_block", "styles",
    "title_block", "wan",
]
