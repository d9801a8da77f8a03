"""A synthetic, deterministic, valid large document for benchmarks and tests.

``synthetic_document()`` gives a unit evaluation with 60 level-3 indicators and 50
project evaluations with 20 each (1 060 indicators with the default sizes): Chinese
names, mixed methods (正向, 反向, 定性三档, 预算执行率, 手工评分), weights that total
100 per evaluation (with the 10-point execution line where the layout has one),
budgets that satisfy every identity of 审核, stated totals and grades that agree
with the computed ones. Every fourth project uses the 晋中 layout with target rows.
Every fifth project falls short of its targets (良/中 grades, 偏差原因 filled in).
The same arguments always give the same document (except the uids).
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from perfdesk.model.document import (
    PROJECT_NARRATIVE,
    UNIT_NARRATIVE,
    Amounts,
    Budget,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
)

HALF = Decimal("0.5")
CENT = Decimal("0.01")
FEN_PER_WAN = 1_000_000

UNIT_GROUPS = [
    ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
    ("效益指标", ["社会效益指标", "经济效益指标", "可持续影响指标"]),
    ("满意度指标", ["服务对象满意度指标"]),
    ("管理指标", ["预算管理", "资产管理", "制度建设"]),
]
PROJECT_GROUPS = [
    ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
    ("效益指标", ["社会效益指标", "可持续影响指标"]),
    ("满意度指标", ["服务对象满意度指标"]),
]
SUBJECTS = ["参保", "待遇发放", "业务经办", "稽核", "信息系统", "档案", "宣传培训", "政务服务", "基金",
            "社保卡", "资格认证", "窗口服务", "设备购置", "场地改造", "专项调查", "课题研究"]
QUANTITIES = [("人数", "万人"), ("人次", "人次"), ("户数", "户"), ("场次", "场"), ("件数", "件"),
              ("台数", "台"), ("份数", "份"), ("个数", "个")]
RATES = ["准确率", "覆盖率", "完成率", "合格率", "到位率", "办结率", "及时率", "达标率"]
LOWER_NAMES = [("差错率", "%"), ("投诉率", "%"), ("成本", "万元"), ("平均办理时长", "天")]
QUALITATIVE = [("制度健全性", "健全"), ("社会效益", "有效提高"), ("可持续影响", "可持续"),
               ("管理规范性", "规范"), ("信息公开", "公开")]
SATISFACTION = ["服务对象满意度", "参保群众满意度", "经办单位满意度"]
PROJECT_KINDS = ["城乡居民养老保险经办", "机关事业单位养老保险经办", "社保基金稽核", "社保信息系统运维",
                 "社会保险宣传", "就业创业服务", "劳动保障监察", "工伤认定", "档案数字化", "窗口改造",
                 "政务服务能力提升", "待遇资格认证", "人才引进补助", "职业技能培训", "老旧设备更新"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "丽华", "志强", "秀英", "海燕", "国庆", "晓明", "红梅", "卫东", "玉兰", "文杰", "春燕"]


def _wan_fen(rng: random.Random, low_wan: int, high_wan: int) -> int:
    """A random amount between two amounts in 万元, to the 元 (odd decimals like 661.7252)."""
    return rng.randrange(low_wan * 100, high_wan * 100) * 100 * 100  # 1 元 = 100 分


def _split(units: int, n: int, rng: random.Random) -> list[int]:
    """``units`` split into ``n`` positive parts, unevenly but deterministically."""
    base, extra = divmod(units, n)
    parts = [base + (1 if i < extra else 0) for i in range(n)]
    for _ in range(n):
        i, j = rng.randrange(n), rng.randrange(n)
        if parts[i] > 1 and i != j:
            parts[i] -= 1
            parts[j] += 1
    return parts


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _leaf(rng: random.Random, method: Method, weight: Decimal, rate: Decimal, deviation: bool,
          weak: bool = False) -> Indicator:
    """One level-3 indicator; ``weak`` projects fall short of their targets more often."""
    node = Indicator(weight=weight, method=method)
    low = 40 if weak else 85
    subject = rng.choice(SUBJECTS)
    if method is Method.HIGHER:
        if rng.random() < 0.5:
            what, unit = rng.choice(QUANTITIES)
            target = Decimal(rng.randrange(20, 5000))
            if unit == "万人":
                target = target / 100
            actual = (target * Decimal(rng.randrange(low, 115)) / 100).quantize(CENT)
            node.name, node.target, node.actual = f"{subject}{what}", f"≥{target}{unit}", f"{actual}{unit}"
        else:
            target = Decimal(rng.choice([90, 95, 98, 100]))
            actual = min(Decimal(100), target * Decimal(rng.randrange(low * 10 + 70 if weak else 920, 1030)) / 1000)
            node.name, node.target, node.actual = f"{subject}{rng.choice(RATES)}", f"≥{target}%", _percent(actual)
        node.rule_text = "实际完成值 ÷ 指标值 × 分值，最高得满分。"
    elif method is Method.LOWER:
        what, unit = rng.choice(LOWER_NAMES)
        target = Decimal(rng.randrange(2, 300))
        actual = (target * Decimal(rng.randrange(70, 180 if weak else 120)) / 100).quantize(Decimal("0.1"))
        node.name, node.target, node.actual = f"{subject}{what}", f"≤{target}{unit}", f"{actual}{unit}"
        node.rule_text = "实际值不高于指标值得满分；超出的按 指标值 ÷ 实际值 × 分值 计分。"
    elif method is Method.TIERS:
        what, target = rng.choice(QUALITATIVE)
        tier = rng.choice([Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED] if weak else
                          [Tier.ACHIEVED, Tier.ACHIEVED, Tier.ACHIEVED, Tier.PARTIAL])
        node.name, node.target, node.tier = f"{subject}{what}", target, tier
        node.actual = {Tier.ACHIEVED: "达成预期指标", Tier.PARTIAL: "部分达成", Tier.NOT_ACHIEVED: "未达成"}[tier]
        band_low, band_high = tier.band
        if rng.random() < 0.5:  # a score typed by the officer inside the band
            score = weight * (band_low + (band_high - band_low) * Decimal(rng.randrange(0, 101)) / 100)
            node.score_override = min(max(score.quantize(CENT, rounding=ROUND_HALF_UP),
                                          (weight * band_low).quantize(CENT, ROUND_HALF_UP)), weight * band_high)
        node.rule_text = "达成年度指标得分值的80%–100%；部分达成并具有一定效果得60%–80%；未达成且效果较差得0–60%。"
    elif method is Method.EXECUTION_RATE:
        node.name, node.target, node.actual = "预算执行率", "100%", _percent(rate * 100)
        node.rule_text = "全年执行数 ÷ 全年预算数 × 分值。"
    else:  # MANUAL
        node.name = rng.choice(SATISFACTION)
        node.target = f"≥{rng.choice([85, 90, 95])}%"
        node.actual = _percent(Decimal(rng.randrange(880, 1000)) / 10)
        node.score_override = (weight * Decimal(rng.randrange(low, 101)) / 100).quantize(CENT, ROUND_HALF_UP)
        node.rule_text = "根据问卷调查结果评分。"
    if deviation:
        node.deviation_note = f"{node.name}未完全达到预期，原因是{subject}工作量增加、人员不足；下一步将优化流程、加强培训。"
    return node


def _tree(rng: random.Random, groups, leaves: list[Indicator]) -> list[Indicator]:
    """Spread the leaves over level-1/level-2 groups (each level-2 group gets at least one)."""
    slots = [(l1, l2) for l1, l2s in groups for l2 in l2s]
    roots: dict[str, Indicator] = {}
    mids: dict[tuple[str, str], Indicator] = {}
    for i, leaf in enumerate(leaves):
        l1, l2 = slots[i] if i < len(slots) else rng.choice(slots)
        root = roots.get(l1)
        if root is None:
            root = roots[l1] = Indicator(name=l1)
        mid = mids.get((l1, l2))
        if mid is None:
            mid = mids[(l1, l2)] = root.add(Indicator(name=l2))
        mid.add(leaf)
    ordered = [roots[l1] for l1, _ in groups if l1 in roots]
    for root in ordered:  # keep the form's order of level-2 groups; state level-1 weights
        order = {name: i for i, name in enumerate(dict(groups)[root.name])}
        root.children.sort(key=lambda mid: order[mid.name])
        root.weight = sum((leaf.weight for mid in root.children for leaf in mid.children), Decimal(0))
    return ordered


def _methods(rng: random.Random, n: int, execution_leaf: bool) -> list[Method]:
    pool = [Method.HIGHER] * 4 + [Method.LOWER] * 2 + [Method.TIERS] * 3 + [Method.MANUAL]
    methods = [rng.choice(pool) for _ in range(n)]
    if execution_leaf and n:
        methods[rng.randrange(n)] = Method.EXECUTION_RATE
    return methods


def _amounts(rng: random.Random, annual: int) -> Amounts:
    initial = annual - annual // 100 * rng.randrange(0, 15)
    spent = annual * rng.randrange(850, 1001) // 1000 // 100 * 100
    return Amounts(initial, annual, spent)


def _sources(total: Amounts, rng: random.Random) -> dict[str, Amounts]:
    """General budget + government funds + carried over, summing to the total in every column."""
    share_general = rng.randrange(60, 85)
    share_funds = rng.randrange(0, 15)
    general, funds, carried = Amounts(), Amounts(), Amounts()
    for column in Amounts.COLUMNS:
        value = getattr(total, column)
        g = value * share_general // 100
        f = value * share_funds // 100
        setattr(general, column, g)
        setattr(funds, column, f)
        setattr(carried, column, value - g - f)
    return {"general_budget": general, "government_funds": funds, "carried_over": carried}


def _finish(ev: Evaluation) -> None:
    """Write the stated total and grade as the form would show them."""
    from perfdesk.scoring import grade_for, score_evaluation

    total = score_evaluation(ev).total
    ev.stated_total = total.quantize(CENT, rounding=ROUND_HALF_UP)
    ev.stated_grade = grade_for(total)


def _project(rng: random.Random, index: int, n_indicators: int, jinzhong: bool, weak: bool) -> Evaluation:
    name = f"{rng.choice(PROJECT_KINDS)}项目（{index + 1:02d}）"
    ev = Evaluation(kind=EvaluationKind.PROJECT, name=name)
    ev.template = ev.layout = "project-jinzhong" if jinzhong else "project-mof"
    annual = _wan_fen(rng, 5, 900)
    ev.budget = Budget(total=_amounts(rng, annual))
    ev.budget.sources = _sources(ev.budget.total, rng)
    rate = Decimal(ev.budget.total.spent) / Decimal(ev.budget.total.annual_budget)
    indicator_points = 100 if jinzhong else 90
    if not jinzhong:
        ev.execution = ExecutionLine(weight=Decimal(10), stated_rate=rate.quantize(Decimal("0.0001")))
    weights = [Decimal(u) * HALF for u in _split(indicator_points * 2, n_indicators, rng)]
    leaves = []
    for method, weight in zip(_methods(rng, n_indicators, False), weights):
        leaves.append(_leaf(rng, method, weight, rate, deviation=not jinzhong, weak=weak))
    ev.indicators = _tree(rng, PROJECT_GROUPS, leaves)
    ev.goals = Goals(expected=f"做好{name}，按期完成年度各项任务，资金使用规范。",
                     achieved=f"{name}已按计划实施，年度目标基本完成。")
    ev.project = ProjectInfo(supervisor="某市人力资源和社会保障局", supervisor_code=f"{310 + index % 7:03d}001",
                             implementer="某市社会保险服务中心", attribute=rng.choice(["经常性项目", "一次性项目"]),
                             period=rng.choice(["1年", "3年", "2021—2023年"]))
    keys = list(PROJECT_NARRATIVE)
    ev.narrative = {key: f"{PROJECT_NARRATIVE[key]}：{name}的有关情况说明。" for key in keys[: rng.randrange(2, len(keys))]}
    ev.evaluators = [Evaluator(_person(rng), rng.choice(["科长", "会计", "主任"]), "财务股", f"0731-8{index:03d}{i:04d}")
                     for i in range(rng.randrange(1, 4))]
    if jinzhong:
        for leaf in list(ev.leaves())[:6]:
            ev.target_rows.append(TargetRow(level1=leaf.parent.parent.name, level2=leaf.parent.name,
                                            name=leaf.name, target=leaf.target, actual=leaf.actual))
        for i in range(2):
            target = Decimal(rng.randrange(10, 500))
            actual = (target * Decimal(rng.randrange(90, 110)) / 100).quantize(CENT)
            ev.target_rows.append(TargetRow("产出指标", "数量指标", f"完成任务量{i + 1}", f"{target}件", f"{actual}件",
                                            (actual / target).quantize(Decimal("0.0001"))))
    _drop_needless_notes(ev)
    _finish(ev)
    return ev


def _drop_needless_notes(ev: Evaluation) -> None:
    """Keep 偏差原因 only where the indicator lost points (as officers fill them)."""
    from perfdesk.scoring import score_evaluation

    score = score_evaluation(ev)
    for leaf in ev.leaves():
        s = score.of(leaf).score
        if s is not None and leaf.weight is not None and s >= leaf.weight:
            leaf.deviation_note = ""


def synthetic_document(projects: int = 50, unit_indicators: int = 60, project_indicators: int = 20,
                       seed: int = 20221231) -> Document:
    """A large, valid document: one unit evaluation and ``projects`` project evaluations."""
    if unit_indicators < 1 or (projects and project_indicators < 1):
        raise ValueError("每张表至少要有一个指标")
    rng = random.Random(seed)
    doc = Document(year=2022)
    doc.unit = UnitProfile(
        name="某市社会保险服务中心", code="310001", supervisor="某市人力资源和社会保障局",
        functions="负责全市社会保险的参保登记、待遇核定与支付、基金财务管理和稽核监督。",
        organisation="内设综合科、养老保险科、医疗保险科、基金财务科、稽核科，编制 86 人，实有 81 人。",
        leader=_person(rng), finance_leader=_person(rng), preparer=_person(rng), phone="0731-88886666",
    )
    doc.projects = [_project(rng, i, project_indicators, jinzhong=(i % 4 == 3), weak=(i % 5 == 2))
                    for i in range(projects)]

    unit = Evaluation(kind=EvaluationKind.UNIT, name=doc.unit.name, template="unit-jiangsu", layout="unit-jiangsu")
    lines = [BudgetLine(p.name, Amounts(p.budget.total.initial_budget, p.budget.total.annual_budget,
                                        p.budget.total.spent)) for p in doc.projects]
    project_total = Amounts(*(sum(getattr(line.amounts, c) for line in lines) for c in Amounts.COLUMNS))
    basic = _amounts(rng, _wan_fen(rng, 800, 3000))
    total = Amounts(*(getattr(basic, c) + getattr(project_total, c) for c in Amounts.COLUMNS))
    unit.budget = Budget(total=total, basic=basic, project=project_total, project_lines=lines,
                         sources=_sources(total, rng))
    rate = Decimal(total.spent) / Decimal(total.annual_budget)
    weights = [Decimal(u) * HALF for u in _split(200, unit_indicators, rng)]
    leaves = [_leaf(rng, method, weight, rate, deviation=False)
              for method, weight in zip(_methods(rng, unit_indicators, True), weights)]
    unit.indicators = _tree(rng, UNIT_GROUPS, leaves)
    unit.goals = Goals(expected="全面完成年度社会保险经办任务，确保待遇按时足额发放，基金安全运行。",
                       achieved="年度各项任务全面完成，待遇发放准确率 100%，基金运行平稳。")
    unit.narrative = {key: f"{title}：有关情况说明。" for key, title in UNIT_NARRATIVE.items()}
    unit.evaluators = [Evaluator(doc.unit.finance_leader, "财务负责人", "基金财务科", "0731-88886667")]
    _finish(unit)
    doc.unit_evaluation = unit
    return doc
