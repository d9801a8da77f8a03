"""Excel export: each form as a worksheet laid out like the paper form, finished.

One workbook for the whole document (a sheet for the 部门整体 form and one
per project) or for a single evaluation. Every sheet is the form as it
prints: 得分 of each indicator, 执行率 and its 得分, 总分 and 绩效等级 are
filled, A4 page setup as the paper (print area, header row repeated, fit to
the page width), amounts in 万元 with thousands separators.

Stated values (scores typed or imported, 总分, 执行率, 等级) are written as
stated; where the program computes a different figure, a comment on the cell
and the grey column 计算得分 outside the print area show it. Cells the
program filled with computed values are listed in the grey 自动填入 column
of their row, so that ``xlsx_import`` reads them back as not filled in (the
round trip gives the same document back) unless the officer changed them.

Sums are SUM formulas where a 合计 is the sum of cells of the sheet (分值 and
总分 of the indicator table, 资金总额 = 基本支出 + 项目支出, 项目支出 = its
lines); every formula is saved with its value, so a reader that does not
calculate shows the same figures. Amounts are integer 分 in the model and
written in 万元 as numbers. Any text is written as text — never as a formula.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
import zipfile
from copy import copy
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties

from perfdesk.exchange.xlsx_common import (
    AUTO_FORMULA,
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
    auto_marker,
    number_cell_value,
)
from perfdesk.model.amounts import FEN_PER_WAN
from perfdesk.model.document import (
    PROJECT_NARRATIVE,
    Amounts,
    SOURCE_LABELS,
    SOURCES,
    UNIT_NARRATIVE,
    Document,
    Evaluation,
    EvaluationKind,
    Indicator,
)
from perfdesk.model.layouts import layout_of
from perfdesk.scoring import format_rate, format_score, grade_shown, score_evaluation

AMOUNT_FORMAT = "#,##0.00####"  # 万元: thousands separated, two decimals at least, no 分 hidden
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
    "comparison": 5, "unit": 6, "initial_target": 14, "adjust_reason": 18,
}
EXTRA_WIDTHS = {"depth": 6, "method": 11, "tier": 9, "computed": 14, "auto": 24}
LINE_HEIGHT = 15.0      # points per wrapped line of 10-point 宋体, with leading
# A4 with the paper's margins holds about this many character widths across in
# portrait; a sheet wider than that is printed landscape (see ``_orientation``).
PORTRAIT_WIDTH = 130
MARGIN_X = 15 / 25.4     # inches, as the printed forms (perfdesk.printing.common)
MARGIN_TOP = 14 / 25.4
MARGIN_BOTTOM = 16 / 25.4
FOOTER = "第 &P 页，共 &N 页"
COMMENT_AUTHOR = "perfdesk"
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
        self.cached: dict[str, object] = {}  # formula cell -> the value it shows

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

    def formula(self, row: int, col: int, expression: str, value, *, fmt: str | None = None,
                center: bool = False):
        """A formula cell saved with the value it shows (``value``, an int or float)."""
        cell = self.put(row, col, None, fmt=fmt, center=center)
        cell.value = expression
        cell.data_type = "f"
        self.cached[cell.coordinate] = value
        return cell

    def box(self, row: int, first: int, last: int, value, *, rows: int = 1, head: bool = False,
            center: bool = False, fmt: str | None = None):
        """A value in a (merged) range of cells, bordered all round."""
        cell = self.put(row, first, value, head=head, center=center, fmt=fmt)
        if rows > 1 or last > first:
            self._merge(row, first, row + rows - 1, last)
        if isinstance(value, str) and value:
            width = sum(self.widths[c - 1] for c in range(first, last + 1) if c <= self.last) or 10
            usable = max(width - 1, 1)  # a CJK character is about 1.9 width units: 2 leaves room
            lines = sum(max(1, math.ceil(_display_width(part) / usable)) for part in value.split("\n"))
            per_row = lines / rows
            self.heights[row] = max(self.heights.get(row, 1), per_row)
        return cell

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

    def auto(self, row: int, items: list[tuple[str, str]]) -> None:
        """List the cells of ``row`` the program filled (see ``xlsx_common.AUTO_LABEL``)."""
        if items:
            self.extra(row, "auto", auto_marker(items))

    @staticmethod
    def note(cell, text: str) -> None:
        """A comment on ``cell``: the figure the program computes where the form states another."""
        lines = text.split("\n")
        width = max(_display_width(line) for line in lines)
        cell.comment = Comment(text, COMMENT_AUTHOR, height=24 + 18 * len(lines), width=min(60 + 8 * width, 420))

    def label_value(self, label: str, value: str, label_span: int = 2) -> None:
        span = min(label_span, self.last - 1)
        self.box(self.row, 1, span, label, head=True)
        self.box(self.row, span + 1, self.last, value)
        self.row += 1

    def finish_heights(self) -> None:
        for row, lines in self.heights.items():
            if lines > 1:
                self.ws.row_dimensions[row].height = min(409, LINE_HEIGHT * math.ceil(lines) + 4)


def _columns(ev: Evaluation) -> list[str]:
    layout = layout_of(ev.layout, ev.kind.value)
    leaves = list(ev.leaves())
    columns = ["level1", "level2", "name"]
    split = layout.has_comparison_columns or any(leaf.comparison or leaf.unit for leaf in leaves)
    adjusted = layout.has_initial_target_column or any(leaf.initial_target or leaf.adjust_reason
                                                       for leaf in leaves)
    columns += ["comparison"] if split else []
    columns += ["initial_target"] if adjusted else []
    columns += ["target"]
    columns += ["unit"] if split else []
    columns += ["adjust_reason"] if adjusted else []
    columns += ["actual", "weight", "score"]
    if layout.has_rule_column or any(leaf.rule_text for leaf in leaves):
        columns.append("rule")
    if layout.has_deviation_column or any(leaf.deviation_note for leaf in leaves):
        columns.append("deviation")
    return columns


def _orientation(columns: list[str]) -> str:
    """Portrait like every paper form, unless the sheet needs more columns than its layout
    prints (a 评分规则 and a 偏差原因 column both) — then landscape, so nothing is shrunk."""
    width = sum(COLUMN_WIDTHS[role] for role in columns)
    return "portrait" if width <= PORTRAIT_WIDTH else "landscape"


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


_CENT = Decimal("0.01")
_BASIS_POINT = Decimal("0.0001")  # of a rate: 0.01%


def _rounded(value: Decimal, quantum: Decimal = _CENT) -> Decimal:
    """A score as the printed form shows it: two decimals, half up."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _shown(value) -> Decimal | None:
    """The number a cell written from ``number_cell_value`` holds, or None for text/blank."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _score_text(value: Decimal) -> str:
    return format_score(value)


class _Figures:
    """Where the figures of the indicator table stand, for the 合计 row."""

    def __init__(self):
        self.leaves: set[int] = set()  # uids of the indicators written as rows
        self.weights: list[Decimal | None] = []  # per indicator row: the weight cell's number
        self.scores: list[Decimal | None] = []
        self.first_row = 0
        self.last_row = -1
        self.execution_weight: tuple[str, Decimal] | None = None  # (cell, value)
        self.execution_score: tuple[str, Decimal | None] | None = None  # None: text SUM skips
        self.execution_known = False  # the execution line has a score (stated or computed)


def _write_heading(s: _Sheet, doc: Document, ev: Evaluation) -> None:
    if ev.kind is EvaluationKind.UNIT:
        for key, label in UNIT_FIELDS:
            s.label_value(label, getattr(doc.unit, key))
    else:
        s.label_value(PROJECT_NAME_LABEL, ev.name)
        for key, label in PROJECT_FIELDS:
            s.label_value(label, getattr(ev.project, key))


def _write_budget(s: _Sheet, ev: Evaluation, scores, figures: _Figures) -> None:
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
    s.extra(s.row, "auto", EXTRA_LABELS["auto"], head=True)
    s.row += 1
    rows: dict[str, int] = {}    # budget key -> its sheet row
    line_rows: list[int] = []

    def amounts_row(label_cells: list[str], amounts, execution: bool) -> int:
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
                _write_execution(s, ev, scores, figures, c)
            else:
                for k in range(3):
                    s.box(s.row, c + k, c + k, None)
            c += 3
        for k in range(c, s.last + 1):
            s.box(s.row, k, k, None)
        s.row += 1
        return s.row - 1

    rows["total"] = amounts_row([BUDGET_ROWS[0][1]], budget.total, True)
    for key, label in BUDGET_ROWS[1:]:
        amounts = getattr(budget, key)
        if ev.kind is EvaluationKind.UNIT or not amounts.is_empty():
            rows[key] = amounts_row([label], amounts, False)
    for bl in budget.project_lines:
        line_rows.append(amounts_row([PROJECT_LINE_LABEL, bl.name], bl.amounts, False))
    order = [key for key, _, _ in SOURCES]
    for key in sorted(budget.sources, key=order.index):
        amounts_row([SOURCE_LABEL, SOURCE_LABELS[key]], budget.sources[key], False)

    # 资金总额 = 基本支出 + 项目支出 and 项目支出 = its lines, as formulas where the figures agree.
    for i, key in enumerate(Amounts.COLUMNS):
        col = get_column_letter(first + i)
        if "basic" in rows and "project" in rows:
            parts = [getattr(budget.basic, key), getattr(budget.project, key)]
            _sum_formula(s, rows["total"], first + i, getattr(budget.total, key), parts,
                         f"=SUM({col}{rows['basic']}:{col}{rows['project']})")
        if "project" in rows and line_rows:
            parts = [getattr(bl.amounts, key) for bl in budget.project_lines]
            _sum_formula(s, rows["project"], first + i, getattr(budget.project, key), parts,
                         f"=SUM({col}{line_rows[0]}:{col}{line_rows[-1]})")


def _sum_formula(s: _Sheet, row: int, col: int, total: int | None, parts: list[int | None], expression: str):
    """Write ``expression`` over an amount cell when its parts are all given and add up to it."""
    if total is None or any(p is None for p in parts) or sum(parts) != total:
        return
    s.formula(row, col, expression, _amount(total), fmt=AMOUNT_FORMAT)


def _write_execution(s: _Sheet, ev: Evaluation, scores, figures: _Figures, c: int) -> None:
    """分值, 执行率 and 得分 of the 预算执行率 line: stated where stated, else computed."""
    line, r = ev.execution, s.row
    auto: list[tuple[str, str]] = []
    cell = s.box(r, c, c, number_cell_value(line.weight), fmt=SCORE_FORMAT, center=True)
    figures.execution_weight = (cell.coordinate, line.weight)

    rate = scores.execution_rate
    computed_rate = _rounded(rate, _BASIS_POINT) if rate is not None else None
    if line.stated_rate is not None:
        cell = s.box(r, c + 1, c + 1, number_cell_value(line.stated_rate), fmt=RATE_FORMAT)
        if computed_rate is not None and _rounded(line.stated_rate, _BASIS_POINT) != computed_rate:
            s.note(cell, f"填报执行率 {format_rate(line.stated_rate)}\n按全年执行数÷全年预算数计算为 "
                         f"{format_rate(rate)}")
    elif computed_rate is not None:
        s.box(r, c + 1, c + 1, number_cell_value(computed_rate), fmt=RATE_FORMAT)
        auto.append(("执行率", number_text(computed_rate)))
    else:
        s.box(r, c + 1, c + 1, None)

    computed = scores.execution_computed
    if line.stated_score is not None:
        cell = s.box(r, c + 2, c + 2, number_cell_value(line.stated_score), fmt=SCORE_FORMAT, center=True)
        shown = line.stated_score
        if computed is not None and _rounded(line.stated_score) != _rounded(computed):
            s.note(cell, f"填报得分 {_score_text(line.stated_score)}\n按执行率计算为 {_score_text(computed)}")
    elif computed is not None:
        cell = s.box(r, c + 2, c + 2, number_cell_value(computed), fmt=SCORE_FORMAT, center=True)
        shown = computed
        auto.append(("得分", number_text(computed)))
    else:
        cell = s.box(r, c + 2, c + 2, None)
        shown = None
    figures.execution_score = (cell.coordinate, _shown(number_cell_value(shown)) if shown is not None else None)
    figures.execution_known = shown is not None
    if computed is not None:
        s.extra(r, "computed", number_cell_value(_rounded(computed)))
    s.extra(r, "method", "预算执行率")
    s.auto(r, auto)


def _write_goals(s: _Sheet, ev: Evaluation) -> None:
    start = s.row
    s.box(start, 1, 1, GOALS_LABEL, rows=2, head=True)
    s.box(start, 2, 2, GOALS_EXPECTED, head=True)
    s.box(start, 3, s.last, ev.goals.expected)
    s.box(start + 1, 2, 2, GOALS_ACHIEVED, head=True)
    s.box(start + 1, 3, s.last, ev.goals.achieved)
    s.row += 2


def _write_indicators(s: _Sheet, ev: Evaluation, scores, figures: _Figures) -> int:
    """The indicator table; returns the header row (repeated on every printed page)."""
    header = s.row
    for role in s.columns:
        s.box(header, s.col[role], s.col[role], COLUMN_LABELS[role], head=True)
    for role in s.extras:
        s.extra(header, role, EXTRA_LABELS[role], head=True)
    s.row += 1
    figures.first_row = s.row
    for root in ev.indicators:
        _write_node(s, root, 1, scores, figures)
    figures.last_row = s.row - 1
    return header


def _leaf_rows(node: Indicator) -> int:
    if not node.children:
        return 1
    return sum(_leaf_rows(child) for child in node.children)


def _write_node(s: _Sheet, node: Indicator, depth: int, scores, figures: _Figures) -> None:
    level_role = {1: "level1", 2: "level2"}.get(depth, "name")
    col = s.col[level_role]
    if node.children and depth < 3:
        s.box(s.row, col, col, _group_label(node), rows=_leaf_rows(node), head=True)
        for child in node.children:
            _write_node(s, child, depth + 1, scores, figures)
        return
    # A leaf (at its own depth); deeper descendants are flattened into it.
    r = s.row
    for role, value in (("target", node.target), ("actual", node.actual),
                        ("rule", node.rule_text), ("deviation", node.deviation_note),
                        ("comparison", node.comparison), ("unit", node.unit),
                        ("initial_target", node.initial_target), ("adjust_reason", node.adjust_reason)):
        if role in s.col:
            s.box(r, s.col[role], s.col[role], value)
    weight = number_cell_value(node.weight)
    s.box(r, s.col["weight"], s.col["weight"], weight, center=True)
    figures.weights.append(_shown(weight))
    figures.leaves.add(node.uid)
    s.box(r, col, col, node.name)
    for role in ("level1", "level2", "name"):
        if s.col[role] > col:
            s.box(r, s.col[role], s.col[role], "")
    s.extra(r, "depth", depth)
    s.extra(r, "method", node.method.label)
    s.extra(r, "tier", node.tier.label if node.tier is not None else "")
    result = scores.by_uid.get(node.uid)
    computed = result.computed if result is not None else None
    s.extra(r, "computed", number_cell_value(_rounded(computed)) if computed is not None else None)

    score_col = s.col["score"]
    if node.score_override is not None:
        value = number_cell_value(node.score_override)
        cell = s.box(r, score_col, score_col, value, center=True)
        if computed is not None and _rounded(computed) != _rounded(node.score_override):
            s.note(cell, f"填报得分 {_score_text(node.score_override)}\n按评分方法计算为 {_score_text(computed)}")
    elif computed is not None:
        value = number_cell_value(_rounded(computed))
        s.box(r, score_col, score_col, value, center=True)
        s.auto(r, [("得分", number_text(_rounded(computed)))])
    else:
        value = None
        s.box(r, score_col, score_col, None, center=True)
    figures.scores.append(_shown(value))
    s.row += 1


def _has_scores(scores, figures: _Figures) -> bool:
    """Whether any score is known (an empty form gets no 总分 0 and no 等级 差)."""
    return figures.execution_known or any(
        result.score is not None for uid, result in scores.by_uid.items() if uid in figures.leaves)


def _column_sum(values: list[Decimal | None]) -> Decimal:
    """The sum SUM() shows over these cells (blanks and text count nothing)."""
    return sum((v for v in values if v is not None), Decimal(0))


def _write_totals(s: _Sheet, ev: Evaluation, scores, figures: _Figures) -> None:
    label_end = s.col["weight"] - 1
    r = s.row
    s.box(r, 1, label_end, TOTAL_LABEL, head=True)
    wcol, scol = get_column_letter(s.col["weight"]), get_column_letter(s.col["score"])
    rows = f"{figures.first_row}:{figures.last_row}" if figures.last_row >= figures.first_row else None

    # 分值合计: never stated, always the sum.
    weight_total = scores.weight_total
    parts = [f"SUM({wcol}{figures.first_row}:{wcol}{figures.last_row})"] if rows else []
    shown = _column_sum(figures.weights)
    if figures.execution_weight is not None:
        parts.append(figures.execution_weight[0])
        shown += figures.execution_weight[1]
    if parts and shown == weight_total:
        s.formula(r, s.col["weight"], "=" + "+".join(parts), number_cell_value(weight_total), center=True)
    else:
        s.box(r, s.col["weight"], s.col["weight"], number_cell_value(weight_total), center=True)

    # 总分: as stated, else the sum of the 得分 shown (a formula when it is exactly that).
    total = scores.total
    auto: list[tuple[str, str]] = []
    if ev.stated_total is not None:
        cell = s.box(r, s.col["score"], s.col["score"], number_cell_value(ev.stated_total), center=True)
        if _has_scores(scores, figures) and _rounded(ev.stated_total) != _rounded(total):
            s.note(cell, f"填报总分 {_score_text(ev.stated_total)}\n按各项得分合计为 {_score_text(total)}")
    elif _has_scores(scores, figures):
        parts = [f"SUM({scol}{figures.first_row}:{scol}{figures.last_row})"] if rows else []
        shown = _column_sum(figures.scores)
        if figures.execution_score is not None:
            parts.append(figures.execution_score[0])
            shown += figures.execution_score[1] or 0
        if parts and shown == total:
            s.formula(r, s.col["score"], "=" + "+".join(parts), number_cell_value(total), center=True)
            auto.append(("得分", AUTO_FORMULA))
        else:
            s.box(r, s.col["score"], s.col["score"], number_cell_value(_rounded(total)), center=True)
            auto.append(("得分", number_text(_rounded(total))))
    else:
        s.box(r, s.col["score"], s.col["score"], None, center=True)
    for c in range(s.col["score"] + 1, s.last + 1):
        s.box(r, c, c, None)
    known = _has_scores(scores, figures)
    s.extra(r, "method", "计算总分")
    s.extra(r, "computed", number_cell_value(_rounded(total)) if known else None)
    s.auto(r, auto)
    s.row += 1

    # 绩效等级: as the window shows it — none while the weights do not total 100 (a 总分 of 108
    # out of 110 graded 优 would be a grade of nothing), none for a form without any score
    grade = grade_shown(scores) if known else ""
    r = s.row
    s.box(r, 1, label_end, GRADE_LABEL, head=True)
    auto = []
    if ev.stated_grade:
        cell = s.box(r, s.col["weight"], s.last, ev.stated_grade)
        if known and grade == "—":
            s.note(cell, f"填报等级 {ev.stated_grade}\n分值合计 {_score_text(scores.weight_total)} 不是 100，"
                         f"不能据总分定等级")
        elif known and ev.stated_grade.strip() != grade:
            s.note(cell, f"填报等级 {ev.stated_grade}\n按总分 {_score_text(total)} 应为 {grade}")
    elif known:
        s.box(r, s.col["weight"], s.last, grade)
        auto.append((GRADE_LABEL, grade))
    else:
        s.box(r, s.col["weight"], s.last, "")
    s.extra(r, "method", "计算等级")
    s.extra(r, "computed", grade or None)
    s.auto(r, auto)
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
    ws.page_setup.orientation = _orientation(s.columns)
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = MARGIN_X
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header = margins.footer = 0.25
    ws.oddFooter.center.text = FOOTER
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(s.last)}{max(s.row - 1, 1)}"
    s.finish_heights()


def write_evaluation(ws, doc: Document, ev: Evaluation, styles: _Styles) -> dict[str, object]:
    """Lay ``ev`` out on the empty worksheet ``ws``; returns its formula cells and their values."""
    scores = score_evaluation(ev)
    figures = _Figures()
    s = _Sheet(ws, _columns(ev), styles)
    s.box(1, 1, s.last, _title(doc, ev), head=True)
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.row_dimensions[1].height = 30
    s.row = 2
    _write_heading(s, doc, ev)
    _write_budget(s, ev, scores, figures)
    _write_goals(s, ev)
    header = _write_indicators(s, ev, scores, figures)
    _write_totals(s, ev, scores, figures)
    if ev.target_rows:
        _write_targets(s, ev)
    if ev.evaluators:
        _write_evaluators(s, ev)
    _write_narrative(s, ev)
    if ev.kind is EvaluationKind.UNIT:
        for key, label in UNIT_SIGN_FIELDS:
            s.label_value(label, getattr(doc.unit, key))
    _setup_page(s, header)
    return s.cached


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


class ExportedWorkbook:
    """A built workbook and the values of its formula cells; ``save`` writes both."""

    def __init__(self, wb: Workbook, cached: dict[str, dict[str, object]]):
        self.wb = wb
        self.cached = cached  # sheet title -> formula cell -> value

    def to_bytes(self) -> bytes:
        """The .xlsx file's bytes. A disk that fills while openpyxl spools its sheets through
        temporary files is an ``OSError`` whichever XML writer openpyxl uses (lxml reports it
        as its own SerialisationError)."""
        buffer = io.BytesIO()
        try:
            self.wb.save(buffer)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - only lxml's I/O failures are turned into OSError
            if type(exc).__name__ != "SerialisationError":
                raise
            import errno

            code = errno.EFBIG if "EFBIG" in str(exc) else errno.ENOSPC
            raise OSError(code, os.strerror(code)) from exc
        return _with_cached_values(buffer.getvalue(), {
            ws.path.lstrip("/"): self.cached[ws.title] for ws in self.wb.worksheets if self.cached.get(ws.title)})

    def save(self, path) -> None:
        write_file_atomically(path, self.to_bytes())


# A formula cell as openpyxl writes it (etree: ``<v />``; with lxml installed: ``<v></v>``).
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f>([^<]*)</f>(?:<v ?/>|<v></v>)?</c>')


def _with_cached_values(data: bytes, cached: dict[str, dict[str, object]]) -> bytes:
    """The .xlsx ``data`` with each formula's value saved beside it (openpyxl writes none),
    so that readers which do not calculate — viewers, pandas, our own import — show it."""
    if not cached:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            values = cached.get(info.filename)
            if values:
                done = set()

                def fill(m: re.Match) -> bytes:
                    coordinate = m.group(1).decode()
                    if coordinate not in values:
                        return m.group(0)
                    done.add(coordinate)
                    value = values[coordinate]
                    text = repr(value) if isinstance(value, float) else str(value)
                    return b'<c r="%s"%s><f>%s</f><v>%s</v></c>' % (
                        m.group(1), m.group(2), m.group(3), text.encode())

                part = _FORMULA_CELL.sub(fill, part)
                if done != set(values):  # pragma: no cover - openpyxl changed its output
                    raise RuntimeError(f"formula values not saved in {info.filename}: {set(values) - done}")
            zout.writestr(info, part)
    return out.getvalue()


def write_file_atomically(path, data: bytes) -> None:
    """Write ``data`` to ``path`` the store's way: beside it, then put in place; normal permissions."""
    from perfdesk.store import write_bytes_atomically

    write_bytes_atomically(path, data)


def build(doc: Document, evaluation: Evaluation | None = None) -> ExportedWorkbook:
    evaluations = [evaluation] if evaluation is not None else doc.evaluations()
    wb = Workbook()
    wb.remove(wb.active)
    names = sheet_names(evaluations)
    styles = _Styles(wb)
    cached: dict[str, dict[str, object]] = {}
    for name, ev in zip(names, evaluations):
        cached[name] = write_evaluation(wb.create_sheet(name), doc, ev, styles)
    styles.close()
    if any(cached.values()):
        wb.calculation.fullCalcOnLoad = True  # Excel and WPS recalculate; the saved values agree
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    rows = [
        ["format", FORMAT_NAME, FORMAT_VERSION],
        ["year", doc.year],
        ["final", 1 if doc.final else 0],
        ["rule_set", doc.rule_set],
        ["sheet", "kind", "name", "template", "layout", "execution_rounding", "rule_set"],
    ]
    for name, ev in zip(names, evaluations):
        rows.append([name, ev.kind.value, ev.name, ev.template, ev.layout, ev.execution_rounding, ev.rule_set])
    for row in rows:
        meta.append([clean_text(v) if isinstance(v, str) else v for v in row])
    for row in meta.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return ExportedWorkbook(wb, cached)


def build_workbook(doc: Document, evaluation: Evaluation | None = None) -> Workbook:
    """The openpyxl workbook alone (formula values are only saved by ``export_xlsx``)."""
    return build(doc, evaluation).wb


def export_xlsx(doc: Document, path, evaluation: Evaluation | None = None) -> None:
    """Write ``doc`` (or only ``evaluation``) as an .xlsx workbook at ``path``.

    Atomically: built in memory, written beside ``path`` and then put in place, so a
    full disk or a pulled USB stick leaves the previous file as it was (``OSError``).
    """
    write_file_atomically(path, build(doc, evaluation).to_bytes())


__all__ = ["ExportedWorkbook", "build", "build_workbook", "export_xlsx", "sheet_names",
           "write_evaluation", "write_file_atomically"]
