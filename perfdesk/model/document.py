"""The document model: one budget unit (预算单位) for one fiscal year.

Pure Python, no Qt and no SQL. Names follow the glossary in SPEC.md.
Amounts are integer 分 (see ``amounts``); weights and scores are ``Decimal``.
Texts typed by the officer (targets, actual values) are kept verbatim; how
they read as numbers is the business of ``values`` and ``scoring``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Iterator

_uids = itertools.count(1)


def new_uid() -> int:
    """A process-unique id for evaluations and indicators (not persisted)."""
    return next(_uids)


class Method(str, Enum):
    """评分方法 — how a level-3 indicator's score follows from its values.

    The formulas are those of the evaluation's rule set (perfdesk.scoring.rules).
    ``AUTO`` follows the indicator's 指标性质 (``comparison``): ≥/> 正向, ≤/< 反向,
    = 等于, 定性 三档; any other method is the officer's explicit choice.
    """

    HIGHER = "higher"                  # 正向: full when actual ≥ target, else actual ÷ target × weight
    LOWER = "lower"                    # 反向: full when actual ≤ target, 0 from twice the target
    TIERS = "tiers"                    # 定性三档
    EXECUTION_RATE = "execution_rate"  # 预算执行率: 全年执行数 ÷ 全年预算数
    ARRIVAL_RATE = "arrival_rate"      # 资金到位率: 全年预算数(下达) ÷ 年初预算数
    MANUAL = "manual"                  # 手工评分
    AUTO = "auto"                      # 按指标性质
    EQUAL = "equal"                    # 等于: target 0 → full when actual ≤ 0, else 0
    DEDUCTION = "deduction"            # 扣分法: weight minus a step per point beyond the limit

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS = {
    Method.HIGHER: "正向指标",
    Method.LOWER: "反向指标",
    Method.TIERS: "定性三档",
    Method.EXECUTION_RATE: "预算执行率",
    Method.ARRIVAL_RATE: "资金到位率",
    Method.MANUAL: "手工评分",
    Method.AUTO: "按指标性质",
    Method.EQUAL: "等于",
    Method.DEDUCTION: "扣分法",
}


class Tier(str, Enum):
    """The three tiers of a qualitative indicator, with their 财政部 score bands.

    The bands that count are those of the evaluation's rule set
    (``perfdesk.scoring.rules``): half-open ([0.8, 1], [0.6, 0.8), [0, 0.6)) for
    财政部, 80 / 50 for 湖北. ``band`` here is the 财政部 default, kept for readers
    that have no rule set at hand.
    """

    ACHIEVED = "achieved"          # 达成年度指标: 80%–100% of the weight
    PARTIAL = "partial"            # 部分达成并具有一定效果: 60%–80%
    NOT_ACHIEVED = "not_achieved"  # 未达成且效果较差: 0–60%

    @property
    def label(self) -> str:
        return TIER_LABELS[self]

    @property
    def band(self) -> tuple[Decimal, Decimal]:
        return TIER_BANDS[self]


TIER_LABELS = {
    Tier.ACHIEVED: "达成",
    Tier.PARTIAL: "部分达成",
    Tier.NOT_ACHIEVED: "未达成",
}
TIER_BANDS = {
    Tier.ACHIEVED: (Decimal("0.8"), Decimal("1")),
    Tier.PARTIAL: (Decimal("0.6"), Decimal("0.8")),
    Tier.NOT_ACHIEVED: (Decimal("0"), Decimal("0.6")),
}


class EvaluationKind(str, Enum):
    UNIT = "unit"        # 部门整体支出绩效自评
    PROJECT = "project"  # 项目支出绩效自评


@dataclass
class Amounts:
    """One budget line's three figures, in 分; ``None`` is an empty cell."""

    initial_budget: int | None = None  # 年初预算数
    annual_budget: int | None = None   # 全年预算数 (A)
    spent: int | None = None           # 全年执行数 / 实际支出数 (B)

    COLUMNS = ("initial_budget", "annual_budget", "spent")

    def is_empty(self) -> bool:
        return self.initial_budget is None and self.annual_budget is None and self.spent is None


# Sources of funds (按收入性质/资金来源). Parts of 本年财政拨款 are listed with their parent.
# New keys are only ever appended: files store the key, so existing ones keep their meaning.
SOURCES: list[tuple[str, str, str | None]] = [
    # key, Chinese label, parent key
    ("appropriation", "本年财政拨款", None),
    ("general_budget", "一般公共预算", "appropriation"),
    ("government_funds", "政府性基金", "appropriation"),
    ("non_tax_revenue", "纳入专户管理的非税收入", "appropriation"),
    ("superior_funds", "上级财政资金", None),
    ("carried_over", "上年结转资金", None),
    ("other_funds", "其他资金", None),
    # 四川 project form (报表编号 510000_0013zp): 财政资金 / 财政专户管理资金 / 单位资金 / 其他资金
    ("fiscal_funds", "财政资金", None),
    ("special_account_funds", "财政专户管理资金", None),
    ("unit_funds", "单位资金", None),
]
SOURCE_LABELS = {key: label for key, label, _ in SOURCES}
# The funding rows of the 财政部-style forms (a layout may list others: ``funding_rows``).
DEFAULT_FUNDING_ROWS = ("appropriation", "general_budget", "government_funds", "non_tax_revenue",
                        "superior_funds", "carried_over", "other_funds")
SOURCE_PARENT = {key: parent for key, _, parent in SOURCES}


@dataclass
class BudgetLine:
    """A named line of 项目支出 (one project's money in the unit's budget)."""

    name: str = ""
    amounts: Amounts = field(default_factory=Amounts)


@dataclass
class Budget:
    """预算安排及支出情况 / 项目资金: by nature and by source."""

    total: Amounts = field(default_factory=Amounts)    # 资金总额 / 年度资金总额
    basic: Amounts = field(default_factory=Amounts)    # 基本支出
    project: Amounts = field(default_factory=Amounts)  # 项目支出
    project_lines: list[BudgetLine] = field(default_factory=list)
    sources: dict[str, Amounts] = field(default_factory=dict)  # key from SOURCES

    def source(self, key: str) -> Amounts:
        """The source's amounts, created empty on first use."""
        if key not in SOURCE_LABELS:
            raise KeyError(key)
        return self.sources.setdefault(key, Amounts())


@dataclass
class ExecutionLine:
    """The 预算执行率 line of 财政部 forms: 分值 10, 执行率, 得分."""

    weight: Decimal = Decimal(10)
    stated_rate: Decimal | None = None   # as a fraction: 0.858 for “85.8%”
    stated_score: Decimal | None = None  # the 得分 written on the form (kept as override)


@dataclass
class Goals:
    """年度总体目标: 预期目标 / 实际完成情况."""

    expected: str = ""
    achieved: str = ""


@dataclass(eq=False)
class Indicator:
    """A node of the indicator tree. Level = depth (1, 2 or 3).

    For a level-3 indicator ``weight`` is its 分值. For a group (level 1 or 2)
    ``weight`` is the weight stated on the form (“决策(6)”), or ``None``; the
    group's effective weight is the sum of its children.
    ``score_override`` is a score typed by the officer (or stated on an
    imported form); the score its method gives is computed beside it.
    """

    name: str = ""
    weight: Decimal | None = None
    target: str = ""           # 指标值 / 年度指标值 / 全年指标值 (may still hold “≥98%” whole)
    actual: str = ""           # 实际完成值
    method: Method = Method.MANUAL
    tier: Tier | None = None
    score_override: Decimal | None = None
    rule_text: str = ""        # 评价要点及评分规则
    deviation_note: str = ""   # 偏差原因分析及改进措施
    comparison: str = ""       # 指标性质: "=", "≥", "≤", ">", "<", "定性"; "" unknown (see values.COMPARISONS)
    unit: str = ""             # 计量单位 / 度量单位 of target and actual: "%", "万元", "人次" …
    initial_target: str = ""   # 年初指标值 when the target was adjusted during the year ("" = not adjusted);
                               # ``target`` is then the 调整后指标值, the one scoring uses
    adjust_reason: str = ""    # 调整原因 of an adjusted target
    children: list["Indicator"] = field(default_factory=list)
    parent: "Indicator | None" = field(default=None, repr=False, compare=False)
    uid: int = field(default_factory=new_uid, repr=False, compare=False)

    @property
    def level(self) -> int:
        depth, node = 1, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def add(self, child: "Indicator", index: int | None = None) -> "Indicator":
        child.parent = self
        if index is None:
            self.children.append(child)
        else:
            self.children.insert(index, child)
        return child

    def walk(self) -> Iterator["Indicator"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def path(self) -> str:
        """“产出指标 / 数量指标 / 参保人数” — used in messages."""
        names, node = [], self
        while node is not None:
            names.append(node.name or "（未命名）")
            node = node.parent
        return " / ".join(reversed(names))


@dataclass
class TargetRow:
    """A row of 绩效目标实现情况 (晋中 forms): targets without weights."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    stated_progress: Decimal | None = None  # 完成进度 as a fraction


@dataclass
class Evaluator:
    """评价人员."""

    name: str = ""
    title: str = ""
    department: str = ""
    phone: str = ""


@dataclass
class ProjectInfo:
    """项目信息 of a project evaluation."""

    supervisor: str = ""       # 主管部门
    supervisor_code: str = ""  # 主管部门代码
    implementer: str = ""      # 实施单位
    attribute: str = ""        # 项目属性
    period: str = ""           # 项目期
    code: str = ""             # 项目编码 of the budget system (e.g. 51000021R000000019951)


# Narrative sections: key -> Chinese title. Which ones a form prints is the
# printing layout's business; the editor shows those of the evaluation kind.
UNIT_NARRATIVE = {
    "achievements": "主要成效",
    "problems": "存在问题",
    "remedies": "整改举措",
    "report_overview": "部门概况",
    "report_duties": "职责任务",
    "report_goals": "绩效目标",
    "report_method": "评价思路方法",
    "report_process": "评价工作过程",
    "report_conclusion": "绩效评价结论",
    "report_performance": "主要绩效",
    "report_problems": "报告：存在问题",
    "report_suggestions": "有关建议",
    "explanation": "预算绩效情况说明",
}
PROJECT_NARRATIVE = {
    "summary": "自评综述",
    "overview": "项目概况",
    "fund_usage": "项目资金使用情况",
    "organisation": "项目组织实施情况",
    "performance": "项目绩效情况",
    "other_issues": "其他需说明的问题",
    "deviation": "偏差原因分析及改进措施",
    "report": "项目绩效评价报告",
    # 项目支出绩效自评报告 (perfdesk.drafts.outline.PROJECT_SELF_REPORT)
    "self_report_basics": "自评报告：项目基本情况",
    "self_report_work": "自评报告：绩效自评工作开展情况",
    "self_report_results": "自评报告：绩效目标实现情况",
    "self_report_deviation": "自评报告：偏差原因分析",
    "self_report_problems": "自评报告：存在的问题及改进措施",
    "self_report_use": "自评报告：自评结果应用",
    # appended (existing keys keep their order): the 四川 project form's texts
    "execution_reason": "预算执行偏差原因",  # 执行率 below the rule set's threshold needs a reason
    "conclusion": "评价结论",
    "problems": "存在问题",
    "improvements": "改进措施",
}


@dataclass(eq=False)
class Evaluation:
    """One self-evaluation form: 部门整体 (unit) or 项目支出 (project)."""

    kind: EvaluationKind = EvaluationKind.PROJECT
    name: str = ""
    template: str = ""                   # template id (resources/templates)
    layout: str = ""                     # print layout id
    budget: Budget = field(default_factory=Budget)
    execution: ExecutionLine | None = None
    execution_rounding: str = "0.01"     # quantum of the execution score: "1", "0.1", "0.01"
    rule_set: str = ""                   # 评价规则 id (resources/rules); "" → its template's, else 财政部
    indicators: list[Indicator] = field(default_factory=list)
    goals: Goals = field(default_factory=Goals)
    narrative: dict[str, str] = field(default_factory=dict)
    project: ProjectInfo = field(default_factory=ProjectInfo)
    target_rows: list[TargetRow] = field(default_factory=list)
    evaluators: list[Evaluator] = field(default_factory=list)
    stated_total: Decimal | None = None  # 总分 / 合计 as written on the form
    stated_grade: str | None = None      # 绩效等级 as written on the form
    uid: int = field(default_factory=new_uid, repr=False, compare=False)

    def add(self, indicator: Indicator, index: int | None = None) -> Indicator:
        indicator.parent = None
        if index is None:
            self.indicators.append(indicator)
        else:
            self.indicators.insert(index, indicator)
        return indicator

    def walk(self) -> Iterator[Indicator]:
        for root in self.indicators:
            yield from root.walk()

    def leaves(self) -> Iterator[Indicator]:
        return (node for node in self.walk() if not node.children)

    def find(self, uid: int) -> Indicator | None:
        return next((node for node in self.walk() if node.uid == uid), None)

    def is_checked(self) -> bool:
        """Whether 审核 and scores apply: a project form always; the unit form when it holds anything
        (a document of project forms only has no unit form to check)."""
        return self.kind is EvaluationKind.PROJECT or self.has_content()

    def is_filled(self) -> bool:
        """Whether the officer (or a form imported earlier) entered results: actual values, scores,
        tiers, notes, spending, stated figures or prose. A form fresh from its template is not filled."""
        for node in self.walk():
            if node.actual.strip() or node.score_override is not None or node.tier is not None \
                    or node.deviation_note.strip():
                return True
        budget = self.budget
        amounts = [budget.total, budget.basic, budget.project, *budget.sources.values(),
                   *(line.amounts for line in budget.project_lines)]
        if any(not a.is_empty() for a in amounts):
            return True
        if self.stated_total is not None or self.stated_grade or any(t.strip() for t in self.narrative.values()):
            return True
        if self.goals.expected.strip() or self.goals.achieved.strip():
            return True
        if self.execution is not None and (self.execution.stated_rate is not None
                                           or self.execution.stated_score is not None):
            return True
        return any(row.actual.strip() or row.stated_progress is not None for row in self.target_rows)

    def has_content(self) -> bool:
        """Whether the form holds anything an officer entered or imported (not just a shell)."""
        return bool(self.indicators or self.execution is not None or not self.budget.total.is_empty()
                    or any(text.strip() for text in self.narrative.values())
                    or self.goals.expected.strip() or self.goals.achieved.strip() or self.target_rows)


@dataclass
class UnitProfile:
    """单位信息."""

    name: str = ""                # 单位名称
    code: str = ""                # 单位代码
    supervisor: str = ""          # 主管部门
    functions: str = ""           # 主要职能
    organisation: str = ""        # 机构设置及人员配置
    leader: str = ""              # 单位负责人
    finance_leader: str = ""      # 财务负责人
    preparer: str = ""            # 填表人
    phone: str = ""               # 联系电话


@dataclass(eq=False)
class Document:
    """One budget unit for one fiscal year: the unit evaluation and its projects."""

    unit: UnitProfile = field(default_factory=UnitProfile)
    year: int = 0
    unit_evaluation: Evaluation = field(
        default_factory=lambda: Evaluation(kind=EvaluationKind.UNIT)
    )
    projects: list[Evaluation] = field(default_factory=list)
    final: bool = False  # marked final by the officer (no 草稿 watermark)
    # 评价规则 chosen for the whole document (单位信息 → 评价规则); "" → each form's template's.
    # perfdesk.scoring.rules.set_rule_set keeps the evaluations' ``rule_set`` equal to it.
    rule_set: str = ""

    def evaluations(self) -> list[Evaluation]:
        return [self.unit_evaluation, *self.projects]

    def find_evaluation(self, uid: int) -> Evaluation | None:
        return next((ev for ev in self.evaluations() if ev.uid == uid), None)

    def evaluation_name(self, ev: Evaluation) -> str:
        """The name a form goes by: the unit's name (单位信息) for the unit form, else the project's."""
        return self.unit.name if ev is self.unit_evaluation else ev.name
