"""审核: findings about an evaluation or a whole document (SPEC §5).

Each finding has a severity, a stable English code, a Chinese message and a
place (``where`` for people; ``evaluation_uid``/``indicator_uid``/``field``
for the editor to jump to the cell). ``rule`` names the rule it applies (a key
of the evaluation's rule set, like ``methods.lower`` or ``checks.over_achievement``,
or a code of ``BUILTIN_RULES``) and ``why`` is that rule's text with its source,
for the 审核 panel's 为什么 view (``explain(finding)`` gives the same).

The thresholds and switches come from the evaluation's rule set
(``perfdesk.scoring.rules``); the checks the 一体化 systems apply are in
``perfdesk.checks.system``.
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
    score_evaluation,
)
from perfdesk.checks import system
from perfdesk.scoring.methods import effective_method, reading
from perfdesk.scoring.rules import Rule, RuleSet, rule_set_of

ERROR = "error"
WARNING = "warning"

SCORE_TOLERANCE = Decimal("0.005")   # scores are shown with two decimals
RATE_TOLERANCE = Decimal("0.0005")   # 0.05 percentage points
AMOUNT_TOLERANCE_FEN = 10_000        # 0.01 万元
HUNDRED = Decimal(100)

COLUMN_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}


# Rules that do not vary between rule sets (SPEC §5): code → rule, for the 为什么 view.
_SPEC5 = "SPEC §5 审核规则"
BUILTIN_RULES: dict[str, Rule] = {rule.key: rule for rule in (
    Rule("weight_sum_mismatch", "分值合计", "一级、二级指标标明的分值应等于其下级指标分值之和。", _SPEC5),
    Rule("weight_total_not_100", "总分值", "各项分值（含预算执行率一行）合计应为 100 分。",
         "财预〔2020〕10号：总分一般设置为 100 分"),
    Rule("score_over_weight", "得分范围", "得分应在 0 与分值之间。", _SPEC5),
    Rule("score_negative", "得分范围", "得分应在 0 与分值之间。", _SPEC5),
    Rule("subtotal_mismatch", "小计", "填报的小计应等于下级指标得分之和。", _SPEC5),
    Rule("total_mismatch", "总分", "填报总分应等于各项得分之和。", _SPEC5),
    Rule("budget_identity", "预算平衡", "基本支出 + 项目支出 = 资金总额；各项目合计 = 项目支出；各资金来源合计 = "
         "资金总额（容差 0.01 万元）。", _SPEC5),
    Rule("deviation_note_missing", "偏差原因", "得分低于分值的指标须填写偏差原因分析及改进措施。",
         "财预〔2020〕10号附件1《项目支出绩效自评表》“偏差原因分析及改进措施”栏"),
    Rule("actual_missing", "实际完成值", "有指标值的三级指标须填写实际完成值。", _SPEC5),
    Rule("value_unreadable", "数值", "定量指标的指标值和实际完成值应能读作同一单位的数值；读不出的不按 0 计。",
         "SPEC §4"),
    Rule("tier_missing", "定性档次", "定性指标已填写实际完成值时，须选择评价档次。", _SPEC5),
    Rule("progress_mismatch", "完成进度", "完成进度 = 实际完成指标值 ÷ 目标值。",
         "山西省晋中市财政支出项目绩效自评表（样表 004）"),
    Rule("rule_set_unknown", "评价规则", "文档指定的评价规则须在本机可用（内置或放在设置文件夹的“评价规则”中）。",
         "resources/rules/README.md"),
)}


@dataclass(frozen=True)
class Finding:
    severity: str          # "error" | "warning"
    code: str              # stable English identifier (SPEC §5)
    message: str           # Chinese, says what is wrong
    where: str             # Chinese, says where
    place: Place = Place()  # where, for the editors (see perfdesk.model.places)
    rule: str = ""         # the rule applied: a rule-set key (“methods.lower”) or a BUILTIN_RULES code
    why: str = ""          # that rule's text and source (为什么), with the rule set's name

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


def explain_rule(rule_key: str, rules: RuleSet) -> str:
    """The 为什么 text of a rule: its title, what it says, its source and the rule set's name."""
    rule = rules.rule(rule_key) or BUILTIN_RULES.get(rule_key)
    if rule is None:
        return ""
    return f"{rule.explain()}\n评价规则：{rules.name}"


def explain(finding: Finding) -> str:
    """The 为什么 text of a finding (its rule with the source)."""
    return finding.why


class _Collector:
    def __init__(self, ev: Evaluation, rules: RuleSet):
        self.ev = ev
        self.rules = rules
        self.label = evaluation_label(ev)
        self.findings: list[Finding] = []
        self._why: dict[str, str] = {}

    def add(self, severity, code, message, where="", indicator=None, field="", related=(), rule=""):
        place = self.label
        if indicator is not None:
            place += " / " + indicator.path()
        if where:
            place += " / " + where
        rule = rule or code
        why = self._why.get(rule)
        if why is None:
            why = self._why[rule] = explain_rule(rule, self.rules)
        self.findings.append(Finding(
            severity, code, message, place,
            Place(self.ev.uid, None if indicator is None else indicator.uid, field or "", tuple(related)),
            rule, why))


def check_evaluation(ev: Evaluation, score: EvaluationScore | None = None) -> list[Finding]:
    """Every finding of one evaluation, in the order of the form."""
    score = score or score_evaluation(ev)
    rules = score.rules or rule_set_of(ev)
    out = _Collector(ev, rules)
    layout = layout_of(ev.layout, ev.kind.value)
    ctx = system.Context(rules)
    _check_rule_set(out, ev)
    _check_budget(out, ev.budget)
    _check_execution_line(out, ev, score)
    system.execution(out, ev, score)
    nodes = list(ev.walk())
    by_uid = score.by_uid
    has_deviation_column = layout.has_deviation_column
    for node in nodes:
        if node.children:
            _check_group(out, node, score)
        else:
            s = by_uid[node.uid]
            read = _check_leaf(out, node, ev, s, has_deviation_column)
            system.leaf(out, ctx, node, s, read)
    _check_totals(out, ev, score)
    _check_target_rows(out, ev)
    system.after_evaluation(out, ctx, ev, score, nodes)
    from perfdesk.checks.import_notes import import_findings  # 导入提示 (issue 13)

    out.findings.extend(import_findings(ev, Finding, out.label))
    from perfdesk.checks.draft import draft_findings  # 草稿: 待填写 instead of empty results blamed (issue 17)

    return draft_findings(ev, out.findings, out)


def _check_rule_set(out: _Collector, ev: Evaluation) -> None:
    if ev.rule_set and out.rules.id != ev.rule_set:
        out.add(WARNING, "rule_set_unknown",
                f"本表指定的评价规则“{ev.rule_set}”在本机找不到，暂按“{out.rules.name}”计分；"
                "请把该评价规则文件放入设置文件夹的“评价规则”中，或在单位信息中另选评价规则",
                "评价规则")


def check_document(doc: Document) -> list[Finding]:
    """Every evaluation's findings, then those across forms (attached to the unit form)."""
    from perfdesk.checks.document import check_project_lines

    findings: list[Finding] = []
    for ev in doc.evaluations():
        findings.extend(check_evaluation(ev))
        if ev is doc.unit_evaluation:
            findings.extend(check_project_lines(doc))
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
            where, indicator, field, rule="execution",
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
            where, field="execution.stated_score", rule="execution",
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


def _check_leaf(out: _Collector, node: Indicator, ev: Evaluation, s, has_deviation_column: bool):
    """The findings of one level-3 indicator (``s`` its score); returns how its values read."""
    weight = node.weight
    _check_score_range(out, s.score, weight, "", node)
    method = s.method or effective_method(node)
    read = reading(node)
    target, actual = read.target, read.actual
    if method in QUANTITATIVE_METHODS and not read.comparable:
        for value, label, field in ((target, "指标值", "target"), (actual, "实际完成值", "actual")):
            if value.kind in _UNREADABLE:
                if field == "target" and out.rules.check("target_not_number") and _states_quantity(node, target):
                    continue  # reported by checks.target_not_number
                out.add(WARNING, "value_unreadable",
                        f"{label}“{value.raw.strip()}”无法读作数值，不能按{method.label}计算得分",
                        "", node, field)
        if target.is_numeric and actual.is_numeric:
            out.add(WARNING, "value_unreadable",
                    f"指标值“{node.target.strip()}”与实际完成值“{node.actual.strip()}”的单位不一致",
                    "", node, "actual")
    if method is Method.EXECUTION_RATE and actual.kind is ValueKind.PERCENT and not actual.is_range:
        _check_rate(out, actual.number / HUNDRED, execution_rate(ev, out.rules), "", node, "actual")
    if method is Method.TIERS:
        if node.tier is None:
            if weight and node.actual.strip():
                out.add(WARNING, "tier_missing", "定性指标已填写实际完成值，但未选择评价档次", "", node, "tier")
        elif node.score_override is not None and weight:
            band = out.rules.tier_band(node.tier)
            if not band.contains(node.score_override, weight):
                low, high = band.edges(weight)
                out.add(
                    ERROR, "tier_out_of_band",
                    f"档次“{node.tier.label}”的得分应在 {'[' if band.low_closed else '('}"
                    f"{format_score(low)}, {format_score(high)}{']' if band.high_closed else ')'}"
                    f"（分值的 {band.low * HUNDRED:.0f}%{'（含）' if band.low_closed else ''}–"
                    f"{band.high * HUNDRED:.0f}%{'（含）' if band.high_closed else '（不含）'}），"
                    f"实际为 {format_score(node.score_override)}",
                    "", node, "score", rule="methods.tiers",
                )
    elif (node.score_override is not None and s.computed is not None
          and abs(node.score_override - s.computed) > SCORE_TOLERANCE):
        out.add(
            WARNING, "score_mismatch",
            f"填报得分 {format_score(node.score_override)} 与按{method.label}计算的得分 "
            f"{format_score(s.computed)} 不一致",
            "", node, "score", rule=_METHOD_RULES.get(method, ""),
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
    return read


QUANTITATIVE_METHODS = frozenset((Method.HIGHER, Method.LOWER, Method.EQUAL, Method.DEDUCTION))
_UNREADABLE = frozenset((ValueKind.TEXT, ValueKind.QUALITATIVE))
_METHOD_RULES = {Method.HIGHER: "methods.higher", Method.LOWER: "methods.lower", Method.EQUAL: "methods.equal",
                 Method.TIERS: "methods.tiers", Method.DEDUCTION: "methods.deduction",
                 Method.EXECUTION_RATE: "execution", Method.ARRIVAL_RATE: "execution"}


def _states_quantity(node: Indicator, target) -> bool:
    """Whether the 指标性质 (or the comparator written in the target) says the target is a quantity."""
    return node.comparison in ("=", "≥", "≤", ">", "<") or bool(target.comparator)


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
    grade = out.rules.grade_for(score.total, ev.kind is EvaluationKind.UNIT)
    if ev.stated_grade and ev.stated_grade.strip() != grade:
        out.add(ERROR, "grade_mismatch",
                f"填报等级“{ev.stated_grade.strip()}”与总分 {format_score(score.total)} 对应的等级"
                f"“{grade}”不一致",
                "绩效等级", field="stated_grade", rule="grades")


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
