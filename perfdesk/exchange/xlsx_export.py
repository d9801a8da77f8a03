"""Excel export: each form as a worksheet laid out like the paper form.

One workbook for the whole document (a sheet for the 部门整体 form and one
per project) or for a single evaluation. Stated values (scores typed or
imported, 总分, 执行率, 得分 of the execution line) are written as stated so
that ``xlsx_import`` gives the same document back; computed scores stand in
a clearly labelled column outside the print area and are ignored on import.
Amounts are integer 分 in the model and written in 万元 as numbers.
Any text is written as text — never as a formula.
"""

from __future__ import annotations

import math
import re
import unicodedata
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties

from perfdesk.exchange.xlsx_common import (
    BUDGET_HEADER,
    BUDGET_ROWS,
    COLUMN_LABELS,
    EVALUATOR_COLUMNS,
    EVALUATORS_SECTION,
    EXTRA_LABELS,
    FORBIDDEN_SHEET_CHARS,
    FORMAT_NAME,
    FORMAT_VERSION,
    GOALS_ACHIEVED,
    GOALS_EXPECTED,
    GOALS_LABEL,
    GRADE_LABEL,
    MAX_SHEET_NAME,
    META_SHEET,
    NARRATIVE_LABELS,
    NARRATIVE_SECTION,
    PROJECT_FIELDS,
    PROJECT_LINE_LABEL,
    PROJECT_NAME_LABEL,
    SOURCE_LABEL,
    TARGET_COLUMNS,
    TARGETS_SECTION,
    TOTAL_LABEL,
    UNIT_FIELDS,
    UNIT_SIGN_FIELDS,
    number_cell_value,
)
from perfdesk.model.amounts import FEN_PER_WAN
from perfdesk.model.document import (
    PROJECT_NARRATIVE,
    SOURCE_LABELS,
    SOURCES,
    UNIT_NARRATIVE,
    Document,
    Evaluation,
    EvaluationKind,
    Indicator,
)
from perfdesk.model.layouts import layout_of
from perfdesk.scoring import score_evaluation

AMOUNT_FORMAT = "0.00####"  # 万元: two decimals at least, no digit of 分 hidden
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "General"

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEAD_FONT = Font(name="宋体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)
EXTRA_FILL = PatternFill("solid", fgColor="EDEDED")
EXTRA_FONT = Font(name="宋体", size=9, color="555555")

COLUMN_WIDTHS = {
    "level1": 12, "level2": 13, "name": 24, "target": 14, "actual": 14,
    "weight": 8, "score": 8, "rule": 32, "deviation": 26,
}
EXTRA_WIDTHS = {"depth": 6, "method": 11, "tier": 9, "computed": 14}
LINE_HEIGHT = 14.5
MAX_CELL_TEXT = 32_767


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """Text a worksheet can hold: Word's line breaks (\\v, \\f) become new lines, other
    control characters are dropped, and the cell limit of 32 767 characters is kept."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))
    return text[:MAX_CELL_TEXT]


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Styles:
    """Cell styles registered once per workbook and copied onto cells (fast)."""

    def __init__(self, wb):
        self.wb = wb
        self.scratch = wb.create_sheet("_styles")
        self.cache: dict[tuple, object] = {}

    def get(self, key: tuple):
        style = self.cache.get(key)
        if style is None:
            head, center, fmt, extra = key
            cell = self.scratch.cell(row=len(self.cache) + 1, column=1)
            cell.font = EXTRA_FONT if extra else HEAD_FONT if head else BODY_FONT
            cell.alignment = CENTER if center else WRAP
            cell.border = BORDER
            if fmt:
                cell.number_format = fmt
            if extra:
                cell.fill = EXTRA_FILL
            style = self.cache[key] = copy(cell._style)
        return style

    def close(self) -> None:
        self.wb.remove(self.scratch)


class _Sheet:
    """Writes one form onto a worksheet row by row."""

    def __init__(self, ws, columns: list[str], styles: "_Styles"):
        self.ws = ws
        self.styles = styles
        self.columns = columns
        self.col = {role: i + 1 for i, role in enumerate(columns)}
        self.last = len(columns)
        self.extras = list(EXTRA_LABELS)
        self.extra_col = {role: self.last + 1 + i for i, role in enumerate(self.extras)}
        self.widths = [COLUMN_WIDTHS[role] for role in columns]
        self.row = 1
        self.heights: dict[int, float] = {}

    # -- cells ---------------------------------------------------------
    def put(self, row: int, col: int, value, *, fmt: str | None = None, head: bool = False,
            center: bool = False, extra: bool = False):
        cell = self.ws.cell(row=row, column=col)
        text = isinstance(value, str)
        if text:
            value = clean_text(value)
        cell.value = value
        key = (head, center or head, None if text else fmt, extra)
        cell._style = copy(self.styles.get(key))
        if text:
            cell.data_type = "s"  # text stays text: “=1+1” is never a formula
            if value[:1] in ("=", "+", "-", "@"):
                cell.quotePrefix = True
        return cell

    def box(self, row: int, first: int, last: int, value, *, rows: int = 1, head: bool = False,
            center: bool = False, fmt: str | None = None):
        """A value in a (merged) range of cells, bordered all round."""
        self.put(row, first, value, head=head, center=center, fmt=fmt)
        if rows > 1 or last > first:
            self._merge(row, first, row + rows - 1, last)
        if isinstance(value, str) and value:
            width = sum(self.widths[c - 1] for c in range(first, last + 1) if c <= self.last) or 10
            lines = sum(max(1, math.ceil(_display_width(part) / max(width - 1, 1)))
                        for part in value.split("\n"))
            per_row = lines / rows
            self.heights[row] = max(self.heights.get(row, 1), per_row)

    def _merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range; its other cells keep the border (faster than ``merge_cells``)."""
        ws = self.ws
        ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"))
        style = self.styles.get((False, False, None, False))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if r != r1 or c != c1:
                    merged = MergedCell(ws, row=r, column=c)
                    merged._style = copy(style)
                    ws._cells[(r, c)] = merged

    def extra(self, row: int, role: str, value, *, head: bool = False, fmt: str | None = None):
        return self.put(row, self.extra_col[role], value, head=head, fmt=fmt, center=head, extra=True)

    def label_value(self, label: str, value: str, label_span: int = 2) -> None:
        span = min(label_span, self.last - 1)
        self.box(self.row, 1, span, label, head=True)
        self.box(self.row, span + 1, self.last, value)
        self.row += 1

    def finish_heights(self) -> None:
        for row, lines in self.heights.items():
            if lines > 1:
                self.ws.row_dimensions[row].height = min(409, LINE_HEIGHT * math.ceil(lines) + 3)


def _columns(ev: Evaluation) -> list[str]:
    layout = layout_of(ev.layout, ev.kind.value)
    leaves = list(ev.leaves())
    columns = ["level1", "level2", "name", "target", "actual", "weight", "score"]
    if layout.has_rule_column or any(leaf.rule_text for leaf in leaves):
        columns.append("rule")
    if layout.has_deviation_column or any(leaf.deviation_note for leaf in leaves):
        columns.append("deviation")
    return columns


def _title(doc: Document, ev: Evaluation) -> str:
    layout = layout_of(ev.layout, ev.kind.value)
    year = f"{doc.year}年度" if doc.year else ""
    return f"{year}{layout.title}"


def _amount(fen: int | None):
    if fen is None:
        return None
    if fen % FEN_PER_WAN == 0:
        return fen // FEN_PER_WAN
    return fen / FEN_PER_WAN


def _group_label(node: Indicator) -> str:
    if node.weight is None:
        return node.name
    return f"{node.name}({number_text(node.weight)})"


def number_text(value) -> str:
    v = number_cell_value(value)
    return v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v)


def _write_heading(s: _Sheet, doc: Document, ev: Evaluation) -> None:
    if ev.kind is EvaluationKind.UNIT:
        for key, label in UNIT_FIELDS:
            s.label_value(label, getattr(doc.unit, key))
    else:
        s.label_value(PROJECT_NAME_LABEL, ev.name)
        for key, label in PROJECT_FIELDS:
            s.label_value(label, getattr(ev.project, key))


def _write_budget(s: _Sheet, ev: Evaluation) -> None:
    budget, line = ev.budget, ev.execution
    heads = ["年初预算数", "全年预算数", "全年执行数"]
    if line is not None:
        heads += ["分值", "执行率", "得分"]
    first = 3 if s.last >= 2 + len(heads) else 2
    s.box(s.row, 1, first - 1, BUDGET_HEADER, head=True)
    for i, head in enumerate(heads):
        s.box(s.row, first + i, first + i, head, head=True)
    for c in range(first + len(heads), s.last + 1):
        s.box(s.row, c, c, "", head=True)
    s.row += 1

    def amounts_row(label_cells: list[str], amounts, execution: bool) -> None:
        if len(label_cells) == 1 or first == 2:
            s.box(s.row, 1, first - 1, "：".join(x for x in label_cells if x), head=True)
        else:
            s.box(s.row, 1, 1, label_cells[0], head=True)
            s.box(s.row, 2, first - 1, label_cells[1])
        values = [_amount(amounts.initial_budget), _amount(amounts.annual_budget), _amount(amounts.spent)]
        for i, v in enumerate(values):
            s.box(s.row, first + i, first + i, v, fmt=AMOUNT_FORMAT)
        c = first + 3
        if line is not None:
            if execution:
                s.box(s.row, c, c, number_cell_value(line.weight), fmt=SCORE_FORMAT)
                s.box(s.row, c + 1, c + 1, number_cell_value(line.stated_rate), fmt=RATE_FORMAT)
                s.box(s.row, c + 2, c + 2, number_cell_value(line.stated_score), fmt=SCORE_FORMAT)
            else:
                for k in range(3):
                    s.box(s.row, c + k, c + k, None)
            c += 3
        for k in range(c, s.last + 1):
            s.box(s.row, k, k, None)
        s.row += 1

    amounts_row([BUDGET_ROWS[0][1]], budget.total, True)
    for key, label in BUDGET_ROWS[1:]:
        amounts = getattr(budget, key)
        if ev.kind is EvaluationKind.UNIT or not amounts.is_empty():
            amounts_row([label], amounts, False)
    for bl in budget.project_lines:
        amounts_row([PROJECT_LINE_LABEL, bl.name], bl.amounts, False)
    order = [key for key, _, _ in SOURCES]
    for key in sorted(budget.sources, key=order.index):
        amounts_row([SOURCE_LABEL, SOURCE_LABELS[key]], budget.sources[key], False)


def _write_goals(s: _Sheet, ev: Evaluation) -> None:
    start = s.row
    s.box(start, 1, 1, GOALS_LABEL, rows=2, head=True)
    s.box(start, 2, 2, GOALS_EXPECTED, head=True)
    s.box(start, 3, s.last, ev.goals.expected)
    s.box(start + 1, 2, 2, GOALS_ACHIEVED, head=True)
    s.box(start + 1, 3, s.last, ev.goals.achieved)
    s.row += 2


def _write_indicators(s: _Sheet, ev: Evaluation, scores) -> int:
    """The indicator table; returns the header row (repeated on every printed page)."""
    header = s.row
    for role in s.columns:
        s.box(header, s.col[role], s.col[role], COLUMN_LABELS[role], head=True)
    for role in s.extras:
        s.extra(header, role, EXTRA_LABELS[role], head=True)
    s.row += 1
    for root in ev.indicators:
        _write_node(s, root, 1, scores)
    return header


def _leaf_rows(node: Indicator) -> int:
    if not node.children:
        return 1
    return sum(_leaf_rows(child) for child in node.children)


def _write_node(s: _Sheet, node: Indicator, depth: int, scores) -> None:
    level_role = {1: "level1", 2: "level2"}.get(depth, "name")
    col = s.col[level_role]
    if node.children and depth < 3:
        s.box(s.row, col, col, _group_label(node), rows=_leaf_rows(node), head=True)
        for child in node.children:
            _write_node(s, child, depth + 1, scores)
        return
    # A leaf (at its own depth); deeper descendants are flattened into it.
    r = s.row
    for role, value in (("target", node.target), ("actual", node.actual),
                        ("rule", node.rule_text), ("deviation", node.deviation_note)):
        if role in s.col:
            s.box(r, s.col[role], s.col[role], value)
    s.box(r, s.col["weight"], s.col["weight"], number_cell_value(node.weight), center=True)
    s.box(r, s.col["score"], s.col["score"], number_cell_value(node.score_override), center=True)
    s.box(r, col, col, node.name)
    for role in ("level1", "level2", "name"):
        if s.col[role] > col:
            s.box(r, s.col[role], s.col[role], "")
    s.extra(r, "depth", depth)
    s.extra(r, "method", node.method.label)
    s.extra(r, "tier", node.tier.label if node.tier is not None else "")
    computed = scores.by_uid[node.uid].computed if node.uid in scores.by_uid else None
    s.extra(r, "computed", number_cell_value(computed.quantize(_CENT)) if computed is not None else None)
    s.row += 1


_CENT = Decimal("0.01")


def _write_totals(s: _Sheet, ev: Evaluation, scores) -> None:
    label_end = s.col["weight"] - 1
    s.box(s.row, 1, label_end, TOTAL_LABEL, head=True)
    s.box(s.row, s.col["weight"], s.col["weight"], number_cell_value(scores.weight_total), center=True)
    s.box(s.row, s.col["score"], s.col["score"], number_cell_value(ev.stated_total), center=True)
    for c in range(s.col["score"] + 1, s.last + 1):
        s.box(s.row, c, c, None)
    s.extra(s.row, "method", "计算总分")
    s.extra(s.row, "computed", number_cell_value(scores.total.quantize(_CENT)))
    s.row += 1
    s.box(s.row, 1, label_end, GRADE_LABEL, head=True)
    s.box(s.row, s.col["weight"], s.last, ev.stated_grade or "")
    s.extra(s.row, "method", "计算等级")
    s.extra(s.row, "computed", scores.grade)
    s.row += 1


def _write_targets(s: _Sheet, ev: Evaluation) -> None:
    s.box(s.row, 1, s.last, TARGETS_SECTION, head=True)
    s.row += 1
    for i, (_, label) in enumerate(TARGET_COLUMNS):
        s.box(s.row, i + 1, i + 1, label, head=True)
    s.row += 1
    for tr in ev.target_rows:
        for i, (key, _) in enumerate(TARGET_COLUMNS):
            value = getattr(tr, key)
            if key == "stated_progress":
                s.box(s.row, i + 1, i + 1, number_cell_value(value), fmt=RATE_FORMAT)
            else:
                s.box(s.row, i + 1, i + 1, value)
        s.row += 1


def _write_evaluators(s: _Sheet, ev: Evaluation) -> None:
    s.box(s.row, 1, s.last, EVALUATORS_SECTION, head=True)
    s.row += 1
    for i, (_, label) in enumerate(EVALUATOR_COLUMNS):
        s.box(s.row, i + 1, i + 1, label, head=True)
    s.row += 1
    for person in ev.evaluators:
        for i, (key, _) in enumerate(EVALUATOR_COLUMNS):
            s.box(s.row, i + 1, i + 1, getattr(person, key))
        s.row += 1


def _write_narrative(s: _Sheet, ev: Evaluation) -> None:
    order = list(UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE)
    keys = sorted(ev.narrative, key=lambda k: (order.index(k) if k in order else len(order), k))
    if not keys:
        return
    s.box(s.row, 1, s.last, NARRATIVE_SECTION, head=True)
    s.row += 1
    for key in keys:
        s.label_value(NARRATIVE_LABELS.get(key, key), ev.narrative[key])


def _setup_page(s: _Sheet, header_row: int) -> None:
    ws = s.ws
    for role, i in s.col.items():
        ws.column_dimensions[get_column_letter(i)].width = COLUMN_WIDTHS[role]
    for role, i in s.extra_col.items():
        ws.column_dimensions[get_column_letter(i)].width = EXTRA_WIDTHS[role]
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if s.last > 7 else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(s.last)}{max(s.row - 1, 1)}"
    s.finish_heights()


def write_evaluation(ws, doc: Document, ev: Evaluation, styles: _Styles) -> None:
    """Lay ``ev`` out on the empty worksheet ``ws``."""
    scores = score_evaluation(ev)
    s = _Sheet(ws, _columns(ev), styles)
    s.box(1, 1, s.last, _title(doc, ev), head=True)
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.row_dimensions[1].height = 30
    s.row = 2
    _write_heading(s, doc, ev)
    _write_budget(s, ev)
    _write_goals(s, ev)
    header = _write_indicators(s, ev, scores)
    _write_totals(s, ev, scores)
    if ev.target_rows:
        _write_targets(s, ev)
    if ev.evaluators:
        _write_evaluators(s, ev)
    _write_narrative(s, ev)
    if ev.kind is EvaluationKind.UNIT:
        for key, label in UNIT_SIGN_FIELDS:
            s.label_value(label, getattr(doc.unit, key))
    _setup_page(s, header)


def sheet_names(evaluations: list[Evaluation]) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters, none of []:*?/\\)."""
    names: list[str] = []
    used: set[str] = {META_SHEET.lower(), "_styles"}
    for i, ev in enumerate(evaluations, start=1):
        if ev.kind is EvaluationKind.UNIT:
            base = "部门整体"
        else:
            base = "".join(ch for ch in ev.name if ch not in FORBIDDEN_SHEET_CHARS and ch.isprintable())
            base = base.strip().strip("'").strip() or f"项目{i}"
        name = base[:MAX_SHEET_NAME]
        n = 2
        while name.lower() in used:
            suffix = f"({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        names.append(name)
    return names


def build_workbook(doc: Document, evaluation: Evaluation | None = None) -> Workbook:
    evaluations = [evaluation] if evaluation is not None else doc.evaluations()
    wb = Workbook()
    wb.remove(wb.active)
    names = sheet_names(evaluations)
    styles = _Styles(wb)
    for name, ev in zip(names, evaluations):
        write_evaluation(wb.create_sheet(name), doc, ev, styles)
    styles.close()
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    rows = [
        ["format", FORMAT_NAME, FORMAT_VERSION],
        ["year", doc.year],
        ["final", 1 if doc.final else 0],
        ["sheet", "kind", "name", "template", "layout", "execution_rounding"],
    ]
    for name, ev in zip(names, evaluations):
        rows.append([name, ev.kind.value, ev.name, ev.template, ev.layout, ev.execution_rounding])
    for row in rows:
        meta.append([clean_text(v) if isinstance(v, str) else v for v in row])
    for row in meta.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return wb


def export_xlsx(doc: Document, path, evaluation: Evaluation | None = None) -> None:
    """Write ``doc`` (or only ``evaluation``) as an .xlsx workbook at ``path``.

    Atomically: built in memory, written beside ``path`` and then put in place, so a
    full disk or a pulled USB stick leaves the previous file as it was (``OSError``).
    """
    import io

    from perfdesk.store import write_bytes_atomically

    buffer = io.BytesIO()
    build_workbook(doc, evaluation).save(buffer)
    write_bytes_atomically(path, buffer.getvalue())


__all__ = ["build_workbook", "export_xlsx", "sheet_names", "write_evaluation"]
