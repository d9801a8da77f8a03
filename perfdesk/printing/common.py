"""Shared pieces of the printed forms and documents: page geometry, text styles,
cells, tables with content-based column widths, the two-pass numbered canvas
(“第 x 页 共 y 页” per form, “— x —” per official document), watermark,
fingerprint and the signature block.

All text goes through ``typeset.TextFlow`` (one line-breaking rule everywhere).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageTemplate, Spacer, Table, TableStyle

from perfdesk.model.amounts import format_wan
from perfdesk.model.document import Amounts, Document
from perfdesk.printing.fonts import FANG, HEI, KAI, SONG, XBS, register_fonts
from perfdesk.printing.typeset import TextBatch, TextFlow, TextStyle, draw_lines, min_width, natural_width
from perfdesk.scoring import format_rate, format_score

PORTRAIT = "portrait"          # a form (page numbers “第 x 页 共 y 页”)
DOCUMENT = "document"          # an official document laid out per GB/T 9704
PAGE_SIZE = A4

# Forms: a 25 mm binding margin on the left.
FORM_LEFT, FORM_RIGHT = 25 * mm, 12 * mm
FORM_TOP, FORM_BOTTOM = 14 * mm, 16 * mm
MARGIN_X = FORM_LEFT  # the left edge of a form's printing area (tests)

# GB/T 9704-2012 §5.2: 版心 156 mm × 225 mm, 天头 37 mm, 订口 28 mm.
DOC_LEFT, DOC_TOP = 28 * mm, 37 * mm
DOC_WIDTH, DOC_HEIGHT = 156 * mm, 225 * mm
DOC_RIGHT = PAGE_SIZE[0] - DOC_LEFT - DOC_WIDTH
DOC_BOTTOM = PAGE_SIZE[1] - DOC_TOP - DOC_HEIGHT
DOC_LINES, DOC_CHARS = 22, 28          # §5.2.2: 22 lines of 28 characters
BODY_SIZE = 16.0                       # 3号
TITLE_SIZE = 22.0                      # 2号
PAGE_NUMBER_SIZE = 14.0                # 4号
DOC_LEADING = DOC_HEIGHT / DOC_LINES   # 28.99 pt
DOC_CHAR = DOC_WIDTH / DOC_CHARS       # 15.79 pt: 3号 characters set on the grid


def frame_width(kind: str = PORTRAIT) -> float:
    if kind == DOCUMENT:
        return DOC_WIDTH
    return PAGE_SIZE[0] - FORM_LEFT - FORM_RIGHT


# ---------------------------------------------------------------- styles

class Styles:
    """Text styles, built after the fonts are registered."""

    def __init__(self) -> None:
        register_fonts()
        cell = TextStyle(font=SONG, size=9, leading=11.5)
        self.cell = cell
        self.center = cell.but(align="center")
        self.right = cell.but(align="right")
        self.head = cell.but(font=HEI, align="center")
        self.label = self.head
        self.title = TextStyle(font=XBS, size=18, leading=26, align="center", space_after=1 * mm)
        self.subtitle = TextStyle(font=SONG, size=11, leading=16, align="center", space_after=3 * mm)
        self.attachment = TextStyle(font=HEI, size=12, leading=18)
        self.unitline = TextStyle(font=SONG, size=10.5, leading=15, space_after=2 * mm)
        self.sign = TextStyle(font=SONG, size=10.5, leading=15)
        self.note = TextStyle(font=SONG, size=8, leading=10.5)
        # GB/T 9704: 3号 仿宋 body on a 28 × 22 grid, 2号 小标宋 title, headings 黑体 / 楷体 / 仿宋.
        tracking = DOC_CHAR - BODY_SIZE
        self.body = TextStyle(font=FANG, size=BODY_SIZE, leading=DOC_LEADING, align="justify",
                              first_indent=2 * DOC_CHAR, tracking=tracking)
        self.h1 = self.body.but(font=HEI)
        self.h2 = self.body.but(font=KAI)
        self.h3 = self.body
        self.doc_title = TextStyle(font=XBS, size=TITLE_SIZE, leading=DOC_LEADING * 1.25, align="center",
                                   tracking=0)
        self.doc_sign = self.body.but(align="left", first_indent=0)


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


def T(text: str | None, style: TextStyle | None = None, runs: tuple = ()) -> TextFlow:
    """Text in a style (the cell style by default)."""
    return TextFlow((text or "").strip(), style or styles().cell, runs)


def P(text: str | None, style: TextStyle | None = None) -> TextFlow:
    return T(text, style)


def H(text: str) -> TextFlow:
    """A header/label cell (黑体, centred; never cut across pages)."""
    flow = T(text, styles().head)
    flow.keep_whole = True
    return flow


def C(text: str | None) -> TextFlow:
    return T(text, styles().center)


def R(text: str | None) -> TextFlow:
    """A right-aligned number cell."""
    return T(text, styles().right)


def heading(text: str, style: TextStyle, lines: int = 3) -> list:
    """A heading that never ends a page: a page break first when less than a few
    lines of room are left."""
    return [CondPageBreak(style.leading * lines), TextFlow(text, style)]


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

PAD_X, PAD_TOP, PAD_BOTTOM = 2.5, 2.0, 2.5
LINE = 0.6

GRID = [
    ("FONTNAME", (0, 0), (-1, -1), SONG),  # ReportLab's cell default would be an unembedded Helvetica
    ("GRID", (0, 0), (-1, -1), LINE, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
    ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
    ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
    ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
]


HEADER_WANTS = 4  # a header asks for at most four characters' width (it wraps)


def auto_widths(rows, total: float, spans=(), minimum=None, maximum=None, header_rows: int = 1) -> list[float]:
    """Column widths from the content (CSS automatic table layout): every column
    gets at least its widest unbreakable piece, the room left goes to the columns
    whose text wants more, in proportion. Cells spanning columns are left out.

    ``minimum`` / ``maximum`` — optional per-column bounds in points (None: none).
    """
    n = max(len(r) for r in rows)
    covered = set()
    for (c0, r0), (c1, r1) in spans:
        if c1 != c0:
            covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    lo, hi = [2 * PAD_X + 12.0] * n, [2 * PAD_X + 12.0] * n
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if (r, c) in covered or not isinstance(cell, TextFlow) or not cell.text:
                continue
            lo[c] = max(lo[c], min_width(cell.text, cell.style) + 2 * PAD_X)
            want = natural_width(cell.text, cell.style) + 2 * PAD_X
            if r < header_rows:
                want = min(want, HEADER_WANTS * cell.style.size + 2 * PAD_X)
            hi[c] = max(hi[c], want)
    for c in range(n):
        lo[c] = min(lo[c], total * 0.3)  # an unbreakable piece wider than this is broken instead
        hi[c] = min(hi[c], total * 0.25)  # long prose wraps: it does not starve the other columns
        if minimum and minimum[c] is not None:
            lo[c] = max(lo[c], minimum[c])
        if maximum and maximum[c] is not None:
            hi[c] = min(hi[c], max(maximum[c], lo[c]))
        hi[c] = max(hi[c], lo[c])
    s_lo, s_hi = sum(lo), sum(hi)
    if s_hi <= total:
        extra = total - s_hi
        return [h + extra * h / s_hi for h in hi]
    if s_lo >= total:
        return [w * total / s_lo for w in lo]
    k = (total - s_lo) / (s_hi - s_lo)
    return [a + (b - a) * k for a, b in zip(lo, hi)]


class FormTable(Table):
    """A Table whose rule-less label blocks (see ``grid_table``) show their
    label again, marked （续）, at the top of the part continued on the next page.
    A cell holding one TextFlow is drawn straight onto the page (no canvas state
    saved and restored per cell: the bulk of a form's drawing time)."""

    pd_blocks: tuple = ()  # (column, first row, last row, label text)

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 (ReportLab's name)
        flow = cellval
        if isinstance(cellval, (list, tuple)):
            flow = cellval[0] if len(cellval) == 1 else None
        if not isinstance(flow, TextFlow):
            return super()._drawCell(cellval, cellstyle, pos, size)
        x, y = pos
        w, h = size
        inner = w - cellstyle.leftPadding - cellstyle.rightPadding
        lines = flow._layout(inner)
        if not lines:
            return None
        th = len(lines) * flow.style.leading
        if cellstyle.valign == "TOP":
            top = y + h - cellstyle.topPadding
        elif cellstyle.valign == "BOTTOM":
            top = y + cellstyle.bottomPadding + th
        else:
            top = y + (cellstyle.bottomPadding + h - cellstyle.topPadding + th) / 2.0
        batch = getattr(self, "_pd_batch", None)
        draw_lines(self.canv, flow.text, flow.style, lines, inner, x + cellstyle.leftPadding, top, flow.font_runs,
                   batch)
        return None

    def draw(self) -> None:
        self._pd_batch = TextBatch(self.canv)
        try:
            super().draw()
        finally:
            batch, self._pd_batch = self._pd_batch, None
            batch.flush()

    def split(self, availWidth, availHeight):  # noqa: N802
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or not self.pd_blocks:
            return parts
        head, rest = parts
        cut = len(head._cellvalues)
        repeat = len(rest._cellvalues) - (len(self._cellvalues) - cut)
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


def row_heights(rows, widths, spans=()) -> list[float]:
    """Each row's height from its cells' text (a cell spanning columns gets their width;
    a cell spanning rows is left out), without building a table."""
    width_of, skip = {}, set()
    for (c0, r0), (c1, r1) in spans:
        width_of[(r0, c0)] = sum(widths[c0:c1 + 1])
        if r1 > r0:
            skip.add((r0, c0))
    out = []
    for r, row in enumerate(rows):
        h = 0.0
        for c, cell in enumerate(row):
            if isinstance(cell, TextFlow) and (r, c) not in skip:
                h = max(h, cell.wrap(width_of.get((r, c), widths[c]) - 2 * PAD_X, 1e9)[1])
        out.append(h + PAD_TOP + PAD_BOTTOM)
    return out


# A merged label cell taller than this cannot be split by ReportLab: such a
# block is drawn as an unmerged column without inner rules (it looks merged
# and splits across pages). Smaller blocks are real SPANs and move whole.
SPAN_LIMIT = 100 * mm


def grid_table(rows, widths, spans=(), extra=(), repeat_rows: int = 0, merges=(), bordered: int | None = None,
               keep_last: int = 0) -> Table:
    """A bordered form table; every cell is a TextFlow (wraps, never overflows).

    ``merges`` — (column, first row, last row): a label cell merged down a block
    (level-1/level-2 indicators, “预算安排及支出情况”). ``bordered`` — how many
    rows have rules (rows after them are an unruled ending: notes, signatures).
    ``keep_last`` — that many rows before the unruled ending stay with it on one
    page (no 合计 row alone at the top of a page).
    """
    merges = [m for m in merges if m[2] > m[1]]
    spans = list(spans)
    rows = [list(row) for row in rows]
    nb = len(rows) if bordered is None else bordered
    last = nb - 1
    style = [c for c in GRID if c[0] != "GRID"]
    if merges:
        heights = row_heights(rows[:nb], widths, spans)
        n_cols = len(widths)
        style += [
            ("BOX", (0, 0), (-1, last), LINE, colors.black),
            ("LINEAFTER", (0, 0), (-2, last), LINE, colors.black),
        ]
        hidden = set()
        blocks = []
        for col, first, end in merges:
            hidden.update((col, r) for r in range(first, end))
            if sum(heights[first:end + 1]) <= SPAN_LIMIT:
                spans.append(((col, first), (col, end)))
            else:
                style.append(("VALIGN", (col, first), (col, first), "TOP"))
                label = getattr(rows[first][col], "text", rows[first][col]) or ""
                if label:
                    blocks.append((col, first, end, str(label)))
                for r in range(first + 1, end + 1):
                    rows[r][col] = ""
        for col in range(n_cols):
            r = 0
            while r < last:
                if (col, r) in hidden:
                    r += 1
                    continue
                stop = r
                while stop + 1 < last and (col, stop + 1) not in hidden:
                    stop += 1
                style.append(("LINEBELOW", (col, r), (col, stop), LINE, colors.black))
                r = stop + 1
    else:
        if nb:
            style.append(("GRID", (0, 0), (-1, last), LINE, colors.black))
        blocks = []
    if nb < len(rows):
        style += [("VALIGN", (0, nb), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, nb), (-1, -1), 6)]
    if keep_last:
        style.append(("NOSPLIT", (0, max(repeat_rows, nb - keep_last)), (-1, len(rows) - 1)))
    style += [("SPAN", a, b) for a, b in spans]
    style += list(extra)
    table = FormTable(rows, colWidths=widths, repeatRows=repeat_rows, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    if merges:
        table.pd_blocks = tuple(blocks)
    return table


class LabelledRows(Flowable):
    """Bordered rows of a label and a text (单位名称 / 主要职能 / 主要成效 …) that split
    between lines: a 3000-character narrative continues on the next page, its label
    repeated there with （续）. Laid out once per width (linear in the text)."""

    def __init__(self, rows: list[tuple[TextFlow, TextFlow]], widths, continued: bool = False) -> None:
        super().__init__()
        self.rows = rows
        self.widths = list(widths)
        self.continued = continued
        self.width = sum(self.widths)
        self.height = 0.0
        self._heights: list[float] = []

    def _row_height(self, label: TextFlow, text: TextFlow) -> float:
        lh = label.wrap(self.widths[0] - 2 * PAD_X, 1e9)[1]
        th = text.wrap(self.widths[1] - 2 * PAD_X, 1e9)[1]
        return max(lh, th, text.style.leading) + PAD_TOP + PAD_BOTTOM

    def wrap(self, availWidth, availHeight):  # noqa: N802
        self._heights = [self._row_height(a, b) for a, b in self.rows]
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N802
        self.wrap(availWidth, availHeight)
        used = 0.0
        for i, ((label, text), h) in enumerate(zip(self.rows, self._heights)):
            if used + h <= availHeight + 0.01:
                used += h
                continue
            room = availHeight - used - PAD_TOP - PAD_BOTTOM
            label_h = label.wrap(self.widths[0] - 2 * PAD_X, 1e9)[1]
            parts = text.split(self.widths[1] - 2 * PAD_X, room) if room >= 2 * text.style.leading else []
            if len(parts) == 2 and label_h <= room + 0.01:
                head_rows = self.rows[:i] + [(label, parts[0])]
                more = H(f"{label.text}（续）") if label.text else H("")
                tail_rows = [(more, parts[1])] + self.rows[i + 1:]
            elif i > 0:
                head_rows, tail_rows = self.rows[:i], self.rows[i:]
            else:
                return []
            return [LabelledRows(head_rows, self.widths), LabelledRows(tail_rows, self.widths, True)]
        return [self]

    def draw(self) -> None:
        canv = self.canv
        if not self._heights:
            self.wrap(self.width, 1e9)
        canv.saveState()
        canv.setLineWidth(LINE)
        canv.setStrokeColor(colors.black)
        y = self.height
        x1 = self.widths[0]
        for (label, text), h in zip(self.rows, self._heights):
            bottom = y - h
            lh = label.height
            label.drawOn(canv, PAD_X, bottom + (h - lh) / 2)
            th = text.height
            inner = h - PAD_TOP - PAD_BOTTOM
            offset = (inner - th) / 2 if th < inner else 0.0
            text.drawOn(canv, x1 + PAD_X, y - PAD_TOP - offset - th)
            canv.line(0, bottom, self.width, bottom)
            y = bottom
        canv.rect(0, 0, self.width, self.height)
        canv.line(x1, 0, x1, self.height)
        canv.restoreState()


def text_table(rows, widths, extra=()) -> LabelledRows:
    """Label and prose cells: ``[[H(label), P(text)], …]`` in two columns."""
    pairs = [(row[0] if isinstance(row[0], TextFlow) else H(str(row[0] or "")),
              row[1] if isinstance(row[1], TextFlow) else P(str(row[1] or ""))) for row in rows]
    return LabelledRows(pairs, [widths[0], sum(widths[1:])])


def goals_like_table(label: str, heads: tuple[str, str], texts: tuple[str, str], widths) -> Table:
    """年度总体目标 | 预期目标 / 实际完成情况: the label cell looks merged over
    both rows (no rule between them) without a SPAN, so the row may split."""
    rows = [[H(label), H(heads[0]), H(heads[1])], ["", P(texts[0]), P(texts[1])]]
    style = [s for s in GRID if s[0] != "GRID"] + [
        ("BOX", (0, 0), (-1, -1), LINE, colors.black),
        ("LINEAFTER", (0, 0), (1, -1), LINE, colors.black),
        ("LINEBELOW", (1, 0), (-1, 0), LINE, colors.black),
        ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
    ]
    table = Table(rows, colWidths=widths, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def blank_row(n: int) -> list:
    return [""] * n


# ---------------------------------------------------------------- markers and blocks

class SectionMark(Flowable):
    """Zero-size flowable that starts a form or document: the canvas numbers pages
    per section, in the section's style."""

    def __init__(self, key: int, title: str, kind: str = PORTRAIT) -> None:
        super().__init__()
        self.key, self.title, self.kind = key, title, kind
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N802
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv.pd_section = self.key
        canv.pd_title = self.title
        canv.pd_kind = self.kind
        hook = getattr(canv, "pd_on_section", None)
        if hook is not None:
            hook(self.key)


KEEP_LIMIT = 120 * mm  # content taller than this is not moved to a new page whole


def keep_together(flowables: list, width: float) -> list:
    """``KeepTogether`` for a short ending (last narrative, signature): it moves to
    the next page whole rather than leave the signature alone. A long ending
    flows, and only its last flowable pair is kept together."""
    from reportlab.platypus import KeepTogether

    height = 0.0
    for f in flowables:
        height += f.wrap(width, 1e9)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    if height <= KEEP_LIMIT:
        return [KeepTogether(flowables)]
    if len(flowables) <= 2:
        return list(flowables)
    return list(flowables[:-2]) + [KeepTogether(flowables[-2:])]


BLANK_DATE = "　　　年　　月　　日"  # room to write the date by hand


def filled_date(ev) -> str:
    """The 填报日期 stated on the form (kept as written), or room to write it."""
    stated = (ev.narrative.get(FILLED_DATE_KEY, "") if ev is not None else "").strip()
    return stated or BLANK_DATE


FILLED_DATE_KEY = "filled_date"  # narrative key of the 填报日期 written on an imported form


def signatories_of(doc: Document, signatories: dict | None):
    sig = signatories or {}

    def who(key: str) -> str:
        value = sig.get(key)
        return (value if value else getattr(doc.unit, key, "")) or ""
    return who


def signature_rows(doc: Document, ev, signatories: dict | None, widths: list[float]) -> tuple[list, list]:
    """The unruled ending of a form: 填报单位（盖章）, 单位负责人（签章） / 财务负责人 /
    填表人, 联系电话 / 填报日期 — as rows of a table with ``widths`` (rows, spans)."""
    s = styles()
    who = signatories_of(doc, signatories)
    n = len(widths)
    total = sum(widths)
    # three groups of columns of about 40 % / 28 % / 32 % of the width, none so narrow that
    # “财务负责人：” or “填表人：” breaks (a walk found “财务负 / 责人:” where one wide column carried
    # the running width past both cuts at once): the split closest to those shares among the
    # splits whose groups are each at least a fifth of the width, if there is one
    def shares(a: int, b: int) -> tuple[float, float, float]:
        return sum(widths[:a + 1]) / total, sum(widths[a + 1:b + 1]) / total, sum(widths[b + 1:]) / total

    splits = [(a, b) for a in range(n - 2) for b in range(a + 1, n - 1)] if total > 0 else []
    wide = [ab for ab in splits if min(shares(*ab)) >= 0.2]

    def distance(ab) -> float:
        return sum((x - t) ** 2 for x, t in zip(shares(*ab), (0.40, 0.28, 0.32)))
    if wide or splits:
        a, b = min(wide or splits, key=distance)
    else:
        a, b = 0, min(1, n - 1)

    def row(*cells):
        out = [""] * n
        for col, text in cells:
            out[col] = T(text, s.sign)
        return out
    rows = [
        row((0, f"填报单位（盖章）：{doc.unit.name or (ev.name if ev is not None else '')}")),
        row((0, f"单位负责人（签章）：{who('leader')}"), (a + 1, f"财务负责人：{who('finance_leader')}"),
            (b + 1, f"填表人：{who('preparer')}")),
        row((0, f"联系电话：{who('phone')}"), (a + 1, f"填报日期：{filled_date(ev)}")),
    ]
    spans = [((0, 0), (n - 1, 0)), ((0, 1), (a, 1)), ((a + 1, 1), (b, 1)), ((b + 1, 1), (n - 1, 1)),
             ((0, 2), (a, 2)), ((a + 1, 2), (n - 1, 2))]
    return rows, spans


def signature_block(doc: Document, signatories: dict | None, width: float, ev=None) -> Table:
    """The unruled signature ending as a table of its own."""
    widths = [width * 0.40, width * 0.28, width * 0.32]
    rows, spans = signature_rows(doc, ev, signatories, widths)
    t = Table(rows, colWidths=widths, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SONG),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        *[("SPAN", a, b) for a, b in spans],
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
    """A canvas that records pages, then numbers them per section: “第 x 页 共 y 页”
    on forms, “— x —” on official documents (GB/T 9704 §7.5)."""

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
            self.pd_kind = PORTRAIT
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
                self._draw_footer(seen[key], counts[key], state.get("pd_kind", PORTRAIT))
                Canvas.showPage(self)
            self.pd_page_count = len(self._pd_pages)
            Canvas.save(self)

        def _draw_footer(self, page: int, total: int, kind: str) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setFillColor(colors.black)
            if kind == DOCUMENT:
                # 4号 半角 digits between em dashes, 7 mm below the type area;
                # odd pages right with one character's space, even pages left.
                self.setFont(SONG, PAGE_NUMBER_SIZE)
                y = DOC_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
                text = f"— {page} —"
                if page % 2:
                    self.drawRightString(DOC_LEFT + DOC_WIDTH - PAGE_NUMBER_SIZE, y, text)
                else:
                    self.drawString(DOC_LEFT + PAGE_NUMBER_SIZE, y, text)
                left, right, y = DOC_LEFT, DOC_LEFT + DOC_WIDTH, 10 * mm
            else:
                y = 8 * mm
                self.setFont(SONG, 9)
                self.drawCentredString((FORM_LEFT + width - FORM_RIGHT) / 2, y, f"第 {page} 页 共 {total} 页")
                left, right = FORM_LEFT, width - FORM_RIGHT
            self.setFont(SONG, 7)
            self.setFillColor(colors.HexColor("#555555"))
            if footer_left:
                self.drawString(left, y, footer_left[:40])
            self.drawRightString(right, y, f"文件指纹 {print_fingerprint}")
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
    """A4 page templates: ``portrait`` (forms, 25 mm binding margin) and
    ``document`` (GB/T 9704 type area); the first is the first section's."""

    def __init__(self, target, first: str, watermark: bool, **kwargs) -> None:
        super().__init__(target, pagesize=PAGE_SIZE, leftMargin=FORM_LEFT, rightMargin=FORM_RIGHT,
                         topMargin=FORM_TOP, bottomMargin=FORM_BOTTOM, **kwargs)
        on_page = draw_watermark if watermark else (lambda canv, doc: None)
        w, h = PAGE_SIZE
        frames = {
            PORTRAIT: Frame(FORM_LEFT, FORM_BOTTOM, w - FORM_LEFT - FORM_RIGHT, h - FORM_TOP - FORM_BOTTOM,
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=PORTRAIT),
            DOCUMENT: Frame(DOC_LEFT, DOC_BOTTOM, DOC_WIDTH, DOC_HEIGHT + 0.5,
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=DOCUMENT),
        }
        order = [first] + [k for k in frames if k != first]
        self.addPageTemplates([PageTemplate(id=k, frames=[frames[k]], onPage=on_page, pagesize=PAGE_SIZE)
                               for k in order])


def form_title_block(layout, year: int | None) -> list:
    """附件 marker, title and subtitle as the paper form of ``layout`` prints them."""
    s = styles()
    out = []
    attachment = layout_print(layout, "attachment", "")
    if attachment:
        out.append(T(attachment, s.attachment))
    title = _with_year(layout_print(layout, "title", layout.title), year)
    out.append(T(title, s.title))
    subtitle = _with_year(layout_print(layout, "subtitle", "（{year}年度）"), year)
    if subtitle:
        out.append(T(subtitle, s.subtitle))
    else:
        out.append(Spacer(1, 2 * mm))
    return out


def _with_year(text: str, year: int | None) -> str:
    if not text:
        return ""
    if year:
        return text.replace("{year}", str(year))
    for pattern in ("（{year}年度）", "{year}年度", "{year}年", "{year}"):
        text = text.replace(pattern, "")
    return text.strip()


def layout_print(layout, key: str, default=None):
    """A printing option of the layout file's ``print`` block."""
    options = getattr(layout, "print_options", None) or {}
    return dict(options).get(key, default)


def title_block(title: str, year: int | None) -> list:
    s = styles()
    out = [T(title, s.title)]
    if year:
        out.append(T(f"（{year}年度）", s.subtitle))
    return out


__all__ = [
    "BLANK_DATE", "C", "DOCUMENT", "FILLED_DATE_KEY", "FormsDocTemplate", "H", "MARGIN_X", "P", "PORTRAIT",
    "R", "SectionMark", "Spacer", "T", "amounts_summary", "auto_widths", "blank_row", "filled_date",
    "fingerprint", "form_title_block", "frame_width", "goals_like_table", "grid_table", "heading",
    "keep_together", "layout_print", "make_canvas_class", "rate", "score", "score2", "signature_block",
    "signature_rows", "styles", "text_table", "title_block", "wan",
]
