"""The figures a draft may state about one evaluation, computed once.

Everything here comes from the model and ``perfdesk.scoring``; a draft never
computes a number of its own. ``Facts`` also sorts the level-3 indicators by
what their scores say (full marks, short of their weight, not scored, or an
impossible score) so that sentences claiming “all targets met” can only be
written when every score says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from perfdesk.model.amounts import format_wan
from perfdesk.model.document import Document, Evaluation, Indicator, Method, TargetRow
from perfdesk.model.values import comparable, parse_value
from perfdesk.scoring import EvaluationScore, execution_rate, format_rate, format_score, score_evaluation
from perfdesk.drafts.text import COUNT, GRADE, MONEY, RATE, SCORE, TEXT, YEAR, Figure

ZERO = Decimal(0)
ONE = Decimal(1)

# status of a scored line
MET, SHORT, UNSCORED, INVALID = "met", "short", "unscored", "invalid"

QUALITATIVE_METHODS = (Method.TIERS,)


def clean(text: str | None) -> str:
    """Officer text as one run: inner whitespace collapsed, trailing punctuation dropped."""
    text = " ".join((text or "").split())
    return text.rstrip("。；;，,、 ")


def split_note(note: str) -> tuple[str, str]:
    """“偏差原因：…；改进措施：…” → (reason, measure); a note without the words is all reason."""
    flat = clean(note)
    for key in ("改进措施：", "改进措施:", "改进措施", "下一步将", "下一步"):
        if key in flat:
            reason, _, measure = flat.partition(key)
            if key.startswith("下一步"):
                measure = key + measure
            reason = reason.replace("偏差原因：", "").replace("偏差原因:", "")
            return clean(reason), clean(measure)
    for prefix in ("偏差原因分析：", "偏差原因：", "偏差原因:"):
        if flat.startswith(prefix):
            flat = flat[len(prefix):]
    return clean(flat), ""


@dataclass
class Line:
    """One scored line: a level-3 indicator, or the 预算执行率 line (``node`` None)."""

    node: Indicator | None
    group: Indicator | None  # level-1 ancestor
    weight: Decimal | None
    score: Decimal | None
    status: str

    @property
    def name(self) -> str:
        return self.node.name if self.node is not None else "预算执行率"


class Facts:
    """Figures of one evaluation, as ``Figure``s the drafts put in sentences."""

    def __init__(self, doc: Document, ev: Evaluation):
        self.doc, self.ev = doc, ev
        self.uid = ev.uid
        self.sc: EvaluationScore = score_evaluation(ev)

    # ------------------------------------------------------------ figures
    def fig(self, key: str, text: str, value, kind: str) -> Figure:
        return Figure(key, text, value, kind, self.uid)

    def year(self) -> Figure | None:
        return self.fig("year", f"{self.doc.year}", self.doc.year, YEAR) if self.doc.year else None

    def money(self, path: str) -> Figure | None:
        """``path`` like ``"total.annual_budget"``, ``"basic.spent"``, ``"sources.carried_over.spent"``."""
        *line, column = path.split(".")
        b = self.ev.budget
        if line[0] == "sources":
            amounts = b.sources.get(line[1])
        else:
            amounts = getattr(b, line[0])
        fen = None if amounts is None else getattr(amounts, column)
        if fen is None:
            return None
        return self.fig(f"budget.{path}", format_wan(fen), fen, MONEY)

    def unspent(self) -> Figure | None:
        t = self.ev.budget.total
        if t.annual_budget is None or t.spent is None or t.spent >= t.annual_budget:
            return None
        fen = t.annual_budget - t.spent
        return self.fig("budget.unspent", format_wan(fen), fen, MONEY)

    @cached_property
    def rate_value(self) -> Decimal | None:
        return execution_rate(self.ev)

    def rate(self) -> Figure | None:
        r = self.rate_value
        return None if r is None else self.fig("execution_rate", format_rate(r), r, RATE)

    def score(self, key: str, value: Decimal | None) -> Figure | None:
        return None if value is None else self.fig(key, format_score(value), value, SCORE)

    def total(self) -> Figure:
        return self.fig("total", format_score(self.sc.total), self.sc.total, SCORE)

    def weight_total(self) -> Figure:
        return self.fig("weight_total", format_score(self.sc.weight_total), self.sc.weight_total, SCORE)

    def grade(self) -> Figure:
        return self.fig("grade", self.sc.grade, self.sc.grade, GRADE)

    def execution_score(self) -> Figure | None:
        return self.score("execution.score", self.sc.execution_score)

    def execution_weight(self) -> Figure | None:
        line = self.ev.execution
        return None if line is None else self.score("execution.weight", line.weight)

    def node_weight(self, node: Indicator) -> Figure:
        w = self.sc.of(node).weight
        return self.fig(f"indicator.{node.uid}.weight", format_score(w), w, SCORE)

    def node_score(self, node: Indicator) -> Figure | None:
        return self.score(f"indicator.{node.uid}.score", self.sc.of(node).score)

    def node_ratio(self, node: Indicator) -> Figure | None:
        r = self.sc.of(node).ratio
        return None if r is None else self.fig(f"indicator.{node.uid}.ratio", format_rate(r), r, RATE)

    def node_text(self, node: Indicator, attr: str) -> Figure | None:
        """The officer's own words: ``name``, ``target``, ``actual``."""
        value = clean(getattr(node, attr))
        if not value:
            return None
        return self.fig(f"indicator.{node.uid}.{attr}", value, getattr(node, attr), TEXT)

    def quote(self, key: str, text: str | None) -> Figure | None:
        value = clean(text)
        return self.fig(key, value, text, TEXT) if value else None

    def count(self, key: str, n: int) -> Figure:
        return self.fig(f"count.{key}", str(n), n, COUNT)

    def name(self) -> Figure | None:
        """The evaluation's name (the unit's name for the unit evaluation)."""
        if self.ev is self.doc.unit_evaluation:
            return self.quote("unit.name", self.doc.unit.name or self.ev.name)
        return self.quote("name", self.ev.name)

    # ------------------------------------------------------------ analysis
    @cached_property
    def lines(self) -> list[Line]:
        """Every scored line in form order: the execution line first, then the level-3 indicators."""
        out: list[Line] = []
        line = self.ev.execution
        if line is not None:
            out.append(Line(None, None, line.weight, self.sc.execution_score,
                            _status(line.weight, self.sc.execution_score)))
        for root in self.ev.indicators:
            for node in root.walk():
                if node.children or _is_empty_slot(node):
                    continue
                s = self.sc.of(node)
                weight = node.weight
                out.append(Line(node, root if node is not root else None, weight, s.score,
                                _status(weight, s.score)))
        return out

    @cached_property
    def indicator_lines(self) -> list[Line]:
        return [line for line in self.lines if line.node is not None]

    def with_status(self, status: str, indicators_only: bool = False) -> list[Line]:
        lines = self.indicator_lines if indicators_only else self.lines
        return [line for line in lines if line.status == status]

    @property
    def has_indicators(self) -> bool:
        return bool(self.indicator_lines)

    @property
    def all_met(self) -> bool:
        """True only when there is something scored and every scored line has full marks."""
        return bool(self.lines) and all(line.status == MET for line in self.lines)

    @cached_property
    def invalid(self) -> list[Line]:
        return self.with_status(INVALID)

    @property
    def total_is_valid(self) -> bool:
        """The total can be stated: no impossible line score, and not over the weights."""
        return not self.invalid and self.sc.total <= max(self.sc.weight_total, ZERO) and self.has_scores

    @property
    def has_scores(self) -> bool:
        return any(line.score is not None for line in self.lines)

    def target_rows(self) -> list[tuple[int, TargetRow, Figure | None]]:
        """晋中 绩效目标实现情况 rows with their 完成进度 (实际 ÷ 目标 when both are numbers)."""
        out = []
        for i, row in enumerate(self.ev.target_rows):
            if not row.name.strip():
                continue
            progress = target_progress(row)
            fig = None if progress is None else self.fig(f"target_rows.{i}.progress", format_rate(progress),
                                                         progress, RATE)
            out.append((i, row, fig))
        return out

    def groups(self) -> list[Indicator]:
        """Level-1 groups that hold indicators (a bare level-1 leaf has no group)."""
        return [root for root in self.ev.indicators if root.children]

    def leaves_of(self, group: Indicator) -> list[Line]:
        return [line for line in self.indicator_lines if line.group is group]


def target_progress(row: TargetRow) -> Decimal | None:
    """完成进度 = 实际完成指标值 ÷ 目标值 when both read as comparable numbers, else the stated one."""
    target, actual = parse_value(row.target), parse_value(row.actual)
    if comparable(target, actual) and target.magnitude:
        return actual.magnitude / target.magnitude
    return row.stated_progress


def _is_empty_slot(node: Indicator) -> bool:
    """A level-1/2 group with nothing under it (效益 / 生态效益指标 left empty on the form), or an
    indicator with neither weight nor values: no line of the score."""
    if node.target.strip() or node.actual.strip() or node.score_override is not None:
        return False
    if node.weight is None:
        return node.parent is None or node.parent.parent is None or not node.name.strip()
    return node.weight == 0


def _status(weight: Decimal | None, score: Decimal | None) -> str:
    if weight is None or score is None:
        return UNSCORED
    if score > weight or score < ZERO:
        return INVALID
    return MET if score >= weight else SHORT


__all__ = ["Facts", "INVALID", "Line", "MET", "SHORT", "UNSCORED", "clean", "split_note", "target_progress"]
