"""审核: findings about an evaluation or a whole document (SPEC §5).

Each finding has a severity, a stable English code, a Chinese message and a
place (``where`` for people; ``evaluation_uid``/``indicator_uid``/``field``
for the editor to jump to the cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfdesk.model.amounts import format_wan
from perfdesk.model.document import (
    SOURCE_LABELS,
    SOURCE_PARENT,
    Amounts,
    Budget,
    Document,
    Evaluation,
    EvaluationKind,
    Indicator,
    Method,
)
from perfdesk.model.layouts import layout_of
from perfdesk.model.places import TREE, Place
from perfdesk.model.values import ValueKind, comparable, parse_value
from perfdesk.scoring import (
    EvaluationScore,
    execution_rate,
    format_rate,
    format_score,
    grade_for,
    score_evaluation,
)

ERROR = "error"
WARNING = "warning"

SCORE_TOLERANCE = Decimal("0.005")   # scores are shown with two decimals
RATE_TOLERANCE = Decimal("0.0005")   # 0.05 percentage points
AMOUNT_TOLERANCE_FEN = 10_000        # 0.01 万元
HUNDRED = Decimal(100)

COLUMN_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}


@dataclass(frozen=True)
class Finding:
    severity: str          # "error" | "warning"
    code: str              # stable English identifier (SPEC §5)
    message: str           # Chinese, says what is wrong
    where: str             # Chinese, says where
    place: Place = Place()  # where, for the editors (see perfdesk.model.places)

    @property
    def evaluation_uid(self) -> int | None:
        return self.place.evaluation

    @property
    def indicator_uid(self) -> int | None:
        return self.place.indicator

    @property
    def field(self) -> str:
        return self.place.field

    def as_json(self) -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.message, "where": self.where}


def evaluation_label(ev: Evaluation) -> str:
    if ev.kind is EvaluationKind.UNIT:
        return "部门整体"
    return f"项目“{ev.name or '（未命名）'}”"


class _Collector:
    def __init__(self, ev: Evaluation):
        self.ev = ev
        self.label = evaluation_label(ev)
        self.findings: list[Finding] = []

    def add(self, severity, code, message, where="", indicator=None, field="", related=()):
        place = self.label
        if indicator is not None:
            place += " / " + indicator.path()
        if where:
            place += " / " + where
        self.findings.append(Finding(
            severity, code, message, place,
            Place(self.ev.uid, None if indicator is None else indicator.uid, field or "", tuple(related))))


def check_evaluation(ev: Evaluation, score: EvaluationScore | None = None) -> list[Finding]:
    """Every finding of one evaluation, in the order of the form."""
    score = score or score_evaluation(ev)
    out = _Collector(ev)
    layout = layout_of(ev.layout, ev.kind.value)
    _check_budget(out, ev.budget)
    _check_execution_line(out, ev, score)
    for node in ev.walk():
        if node.children:
            _check_group(out, node, score)
        else:
            _check_leaf(out, node, ev, score, layout.has_deviation_column)
    _check_totals(out, ev, score)
    _check_target_rows(out, ev)
    from perfdesk.checks.import_notes import import_findings  # 导入提示 (issue 13)

    out.findings.extend(import_findings(ev, Finding, out.label))
    return out.findings


def check_document(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    for ev in doc.evaluations():
        findings.extend(check_evaluation(ev))
    return findings


# --- budget -------------------------------------------------------------------

def _sum_column(amounts: list[Amounts], column: str) -> int | None:
    values = [getattr(a, column) for a in amounts]
    if all(v is None for v in values):
        return None
    return sum(v or 0 for v in values)


def _identity(out: _Collector, left_label, left: int | None, right_label, right: int | None, column,
              stated: str, parts: list[str]):
    """``right`` (the stated figure at path ``stated``) must equal ``left`` (the sum of ``parts``)."""
    if left is None or right is None:
        return
    if abs(left - right) > AMOUNT_TOLERANCE_FEN:
        out.add(
            ERROR, "budget_identity",
            f"{COLUMN_LABELS[column]}：{left_label} {format_wan(left)} 万元 ≠ "
            f"{right_label} {format_wan(right)} 万元（相差 {format_wan(abs(left - right))} 万元）",
            f"预算 / {COLUMN_LABELS[column]}", field=f"{stated}.{column}",
            related=tuple(f"{part}.{column}" for part in parts),
        )


def _check_budget(out: _Collector, budget: Budget) -> None:
    for column in Amounts.COLUMNS:
        total = getattr(budget.total, column)
        basic, project = getattr(budget.basic, column), getattr(budget.project, column)
        if basic is not None and project is not None:
            _identity(out, "基本支出 + 项目支出", basic + project, "资金总额", total, column,
                      "budget.total", ["budget.basic", "budget.project"])
        if budget.project_lines:
            lines = _sum_column([line.amounts for line in budget.project_lines], column)
            _identity(out, "各项目合计", lines, "项目支出", project, column, "budget.project",
                      [f"budget.lines.{i}" for i in range(len(budget.project_lines))])
        top = [key for key in budget.sources if SOURCE_PARENT.get(key) is None]
        parts = [key for key in budget.sources if SOURCE_PARENT.get(key) == "appropriation"]
        appropriation = budget.sources.get("appropriation")
        if appropriation is None or getattr(appropriation, column) is None:
            top = top + parts  # the parts stand in for 本年财政拨款
        elif parts:
            _identity(out, "财政拨款各项合计", _sum_column([budget.sources[k] for k in parts], column),
                      SOURCE_LABELS["appropriation"], getattr(appropriation, column), column,
                      "budget.sources.appropriation", [f"budget.sources.{k}" for k in parts])
        _identity(out, "各资金来源合计", _sum_column([budget.sources[k] for k in top], column), "资金总额",
                  total, column, "budget.total", [f"budget.sources.{k}" for k in top])


# --- execution line -------------------------------------------------------------

def _check_rate(out, stated: Decimal | None, computed: Decimal | None, where, indicator=None, field=""):
    if stated is None or computed is None:
        return
    if abs(stated - computed) > RATE_TOLERANCE:
        out.add(
            ERROR, "execution_rate_mismatch",
            f"填报执行率 {format_rate(stated)} ≠ 全年执行数 ÷ 全年预算数 = {format_rate(computed)}",
            where, indicator, field,
        )


def _check_execution_line(out: _Collector, ev: Evaluation, score: EvaluationScore) -> None:
    line = ev.execution
    if line is None:
        return
    where = "预算执行率"
    _check_rate(out, line.stated_rate, score.execution_rate, where, field="execution.stated_rate")
    s = score.execution_score
    _check_score_range(out, s, line.weight, where, None, "execution.stated_score")
    if (line.stated_score is not None and score.execution_computed is not None
            and abs(line.stated_score - score.execution_computed) > SCORE_TOLERANCE):
        out.add(
            WARNING, "score_mismatch",
            f"填报得分 {format_score(line.stated_score)} 与按执行率计算的得分 "
            f"{format_score(score.execution_computed)} 不一致",
            where, field="execution.stated_score",
        )


# --- indicators -------------------------------------------------------------------

def _check_score_range(out, s, weight, where, indicator, field="score"):
    if s is None:
        return
    if s < 0:
        out.add(ERROR, "score_negative", f"得分 {format_score(s)} 小于 0", where, indicator, field)
    elif weight is not None and s > weight + SCORE_TOLERANCE:
        out.add(ERROR, "score_over_weight",
                f"得分 {format_score(s)} 超过分值 {format_score(weight)}", where, indicator, field)


def _check_group(out: _Collector, node: Indicator, score: EvaluationScore) -> None:
    s = score.of(node)
    if node.weight is not None and abs(node.weight - s.weight) > SCORE_TOLERANCE:
        out.add(
            ERROR, "weight_sum_mismatch",
            f"标明分值 {format_score(node.weight)}，下级指标分值合计 {format_score(s.weight)}",
            "", node, "weight",
        )
    if node.score_override is not None and abs(node.score_override - s.score) > SCORE_TOLERANCE:
        out.add(
            ERROR, "subtotal_mismatch",
            f"填报小计 {format_score(node.score_override)} ≠ 下级指标得分合计 {format_score(s.score)}",
            "", node, "score",
        )


def _check_leaf(out: _Collector, node: Indicator, ev: Evaluation, score: EvaluationScore,
                has_deviation_column: bool) -> None:
    s = score.of(node)
    weight = node.weight
    _check_score_range(out, s.score, weight, "", node)
    method = node.method
    target, actual = parse_value(node.target), parse_value(node.actual)
    if method in (Method.HIGHER, Method.LOWER):
        for value, label, field in ((target, "指标值", "target"), (actual, "实际完成值", "actual")):
            if value.kind in (ValueKind.TEXT, ValueKind.QUALITATIVE):
                out.add(WARNING, "value_unreadable",
                        f"{label}“{value.raw.strip()}”无法读作数值，不能按{method.label}计算得分",
                        "", node, field)
        if target.is_numeric and actual.is_numeric and not comparable(target, actual):
            out.add(WARNING, "value_unreadable",
                    f"指标值“{node.target.strip()}”与实际完成值“{node.actual.strip()}”的单位不一致",
                    "", node, "actual")
    if method is Method.EXECUTION_RATE and actual.kind is ValueKind.PERCENT:
        _check_rate(out, actual.number / HUNDRED, execution_rate(ev), "", node, "actual")
    if method is Method.TIERS:
        if node.tier is None:
            if weight and node.actual.strip():
                out.add(WARNING, "tier_missing", "定性指标已填写实际完成值，但未选择评价档次", "", node, "tier")
        elif node.score_override is not None and weight:
            low, high = node.tier.band
            r = node.score_override / weight
            if r < low - Decimal("0.0001") or r > high + Decimal("0.0001"):
                out.add(
                    ERROR, "tier_out_of_band",
                    f"档次“{node.tier.label}”的得分应在分值的 {low * HUNDRED:.0f}%–{high * HUNDRED:.0f}% "
                    f"（{format_score(weight * low)}–{format_score(weight * high)}），实际为 "
                    f"{format_score(node.score_override)}",
                    "", node, "score",
                )
    elif (node.score_override is not None and s.computed is not None
          and abs(node.score_override - s.computed) > SCORE_TOLERANCE):
        out.add(
            WARNING, "score_mismatch",
            f"填报得分 {format_score(node.score_override)} 与按{method.label}计算的得分 "
            f"{format_score(s.computed)} 不一致",
            "", node, "score",
        )
    if node.target.strip() and not node.actual.strip() and method not in (
        Method.EXECUTION_RATE, Method.ARRIVAL_RATE
    ):
        out.add(WARNING, "actual_missing", "有指标值但未填写实际完成值", "", node, "actual")
    if (has_deviation_column and weight is not None and s.score is not None
            and s.score < weight - SCORE_TOLERANCE and not node.deviation_note.strip()):
        out.add(
            WARNING, "deviation_note_missing",
            f"得分 {format_score(s.score)} 低于分值 {format_score(weight)}，未填写偏差原因分析及改进措施",
            "", node, "deviation_note",
        )


# --- totals ---------------------------------------------------------------------------

def _check_totals(out: _Collector, ev: Evaluation, score: EvaluationScore) -> None:
    states_weights = ev.execution is not None or any(n.weight is not None for n in ev.walk())
    if ev.indicators and states_weights or ev.execution is not None:  # a form without any 分值 states no total
        if abs(score.weight_total - HUNDRED) > SCORE_TOLERANCE:
            out.add(ERROR, "weight_total_not_100",
                    f"各项分值合计 {format_score(score.weight_total)}，应为 100", "总分", field=TREE)
    if ev.stated_total is not None and abs(ev.stated_total - score.total) > SCORE_TOLERANCE:
        out.add(ERROR, "total_mismatch",
                f"填报总分 {format_score(ev.stated_total)} ≠ 各项得分合计 {format_score(score.total)}",
                "总分", field="stated_total")
    if ev.stated_grade and ev.stated_grade.strip() != grade_for(score.total):
        out.add(ERROR, "grade_mismatch",
                f"填报等级“{ev.stated_grade.strip()}”与总分 {format_score(score.total)} 对应的等级"
                f"“{grade_for(score.total)}”不一致",
                "绩效等级", field="stated_grade")


def _check_target_rows(out: _Collector, ev: Evaluation) -> None:
    for i, row in enumerate(ev.target_rows):
        if row.stated_progress is None:
            continue
        target, actual = parse_value(row.target), parse_value(row.actual)
        if not comparable(target, actual) or not target.magnitude:
            continue
        computed = actual.magnitude / target.magnitude
        if abs(computed - row.stated_progress) > RATE_TOLERANCE:
            out.add(
                ERROR, "progress_mismatch",
                f"填报完成进度 {format_rate(row.stated_progress)} ≠ 实际完成值 ÷ 目标值 = {format_rate(computed)}",
                f"绩效目标实现情况 / {row.name or row.level2}", field=f"target_rows.{i}.stated_progress",
            )


def summarise(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, len(findings) - errors
