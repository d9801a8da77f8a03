"""部门整体支出绩效自评表: layout A (江苏, seeds 000/003) and layout B (财政部, seed 002 附件1)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from perfdesk.model.document import SOURCE_LABELS, Document, Evaluation
from perfdesk.model.layouts import Layout
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, amounts_summary, frame_width, goals_like_table, grid_table, rate, score,
    text_table,
    keep_together, signature_block, title_block, wan,
)
from perfdesk.printing.indicators import group_label, indicator_rows, leaf_cells, runs
from perfdesk.scoring import score_evaluation


# ---------------------------------------------------------------- layout A

# 一级, 二级, 三级, 全年指标值, 分值, 评价要点及评分规则, 实际完成值, 得分
JIANGSU_FRACTIONS = [0.085, 0.105, 0.175, 0.105, 0.065, 0.225, 0.12, 0.12]

def jiangsu_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    """Layout A: 单位名称 … 预算安排及支出情况 … indicators with 评价要点及评分规则 … 整改举措."""
    orientation = PORTRAIT
    width = frame_width(orientation)
    widths = [width * f for f in JIANGSU_FRACTIONS]
    sc = score_evaluation(ev)
    unit = doc.unit
    story = title_block(layout.title, doc.year)

    # Unit information and budget (one table).
    name = ev.name or unit.name
    story.append(text_table([
        [H("单位名称"), P(name)],
        [H("主要职能"), P(unit.functions)],
        [H("机构设置及人员配置"), P(unit.organisation)],
    ], [widths[0], sum(widths[1:])]))
    rows, spans = [], []
    b = ev.budget
    first = len(rows)
    rows.append([H("预算安排及支出情况"), "", "", "", H("全年预算数"), "", H("实际支出数"), ""])
    budget_lines = [("资金总额", b.total), ("基本支出", b.basic), ("项目支出", b.project)]
    for i, line in enumerate(b.project_lines, start=1):
        prefix = "其中：" if i == 1 else ""
        budget_lines.append((f"{prefix}项目 {i}：{line.name}", line.amounts))
    for label, amounts in budget_lines:
        rows.append(["", P(label), "", "", R(wan(amounts.annual_budget, unit=True)), "",
                     R(wan(amounts.spent, unit=True)), ""])
    last = len(rows) - 1
    for r in range(first, last + 1):
        spans += [((1, r), (3, r)), ((4, r), (5, r)), ((6, r), (7, r))]
    story.append(grid_table(rows, widths, spans, merges=[(0, first, last)]))

    # Indicator table: header repeated on every page.
    head = [H(t) for t in ("一级指标", "二级指标", "三级指标", "全年指标值", "分值",
                           "评价要点及评分规则", "实际完成值", "得分")]
    rows, spans = [head], []
    irows = indicator_rows(ev)
    for row in irows:
        c = leaf_cells(row.leaf, sc)
        rows.append([
            C(group_label(row.l1, sc, "{name}({w})")), C(group_label(row.l2, sc, "{name}({w})")),
            P(c["name"]), C(c["target"]), R(c["weight"]), P(c["rule"]), C(c["actual"]),
            R(c["score"]),
        ])
    merges = [(0, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(1, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    story.append(grid_table(rows, widths, spans, repeat_rows=1, merges=merges))

    # 合计, 绩效等级 and the narratives, kept together with the signature block.
    rows = [
        [H("合计"), "", "", "", R(score(sc.weight_total)), "", "", R(score(sc.total))],
        [H("绩效等级"), "", C(sc.grade), "", "", "", "", ""],
    ]
    spans = [((0, 0), (3, 0)), ((5, 0), (6, 0)), ((0, 1), (1, 1)), ((2, 1), (7, 1))]
    totals = grid_table(rows, widths, spans)
    # One table per narrative: a long one flows over pages on its own, and only
    # the last is kept with the signature block (never alone on a page).
    tails = [text_table([[H(label), P(ev.narrative.get(key, ""))]], [widths[0] + widths[1], sum(widths[2:])])
             for key, label in (("achievements", "主要成效"), ("problems", "存在问题"),
                                ("remedies", "整改举措"))]
    story += keep_together([totals, tails[0]], width)
    story.append(tails[1])
    story += keep_together([tails[2], Spacer(1, 4 * mm), signature_block(doc, signatories, width)], width)
    return orientation, story


# ---------------------------------------------------------------- layout B and project-mof

MOF_FRACTIONS = [0.07, 0.09, 0.09, 0.15, 0.095, 0.095, 0.055, 0.09, 0.265]


def mof_widths(width: float) -> list[float]:
    return [width * f for f in MOF_FRACTIONS]


def mof_indicator_table(ev: Evaluation, sc, widths, label: str = "绩效指标"):
    head = [H(label)] + [H(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值",
                                         "实际完成值", "分值", "得分", "偏差原因分析及改进措施")]
    rows = [head]
    irows = indicator_rows(ev)
    for row in irows:
        c = leaf_cells(row.leaf, sc)
        rows.append([
            "", C(group_label(row.l1, sc)), C(group_label(row.l2, sc, "{name}")), P(c["name"]),
            C(c["target"]), C(c["actual"]), R(c["weight"]), R(c["score"]), P(c["note"]),
        ])
    merges = [(1, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(2, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    merges.append((0, 1, len(rows) - 1))  # the 绩效指标 label column, as on paper
    return grid_table(rows, widths, [], repeat_rows=1, merges=merges)


def mof_goals_table(ev: Evaluation, widths, label: str = "年度总体目标"):
    return goals_like_table(label, ("预期目标", "实际完成情况"), (ev.goals.expected, ev.goals.achieved),
                            [widths[0], sum(widths[1:5]), sum(widths[5:])])


def mof_total_table(sc, widths, label: str = "总分"):
    rows = [[H(label), "", "", "", "", "", R(score(sc.weight_total)), R(score(sc.total)),
             C(f"绩效等级：{sc.grade}")]]
    return grid_table(rows, widths, [((0, 0), (5, 0))])


def execution_cells(ev: Evaluation, sc) -> list:
    line = ev.execution
    if line is None:
        return ["", "", ""]
    return [R(score(line.weight)), R(rate(sc.execution_rate)), R(score(sc.execution_score))]


def mof_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    """Layout B: 年度预算申请 … 年度总体目标 … indicators with 偏差原因分析及改进措施 … 总分."""
    orientation = PORTRAIT
    width = frame_width(orientation)
    widths = mof_widths(width)
    sc = score_evaluation(ev)
    b = ev.budget
    story = title_block(layout.title, doc.year)
    rows = [[H("预算单位名称"), "", P(ev.name or doc.unit.name), "", "", "", "", "", ""]]
    spans = [((0, 0), (1, 0)), ((2, 0), (8, 0))]
    first = len(rows)
    rows.append([H("年度预算申请（万元）"), "", "", H("年初预算数"), H("全年预算数"), H("全年执行数"),
                 H("分值"), H("执行率"), H("得分")])
    t = b.total
    rows.append(["", P("年度资金总额"), "", R(wan(t.initial_budget)), R(wan(t.annual_budget)),
                 R(wan(t.spent)), *execution_cells(ev, sc)])
    rows.append(["", P("按收入性质分："), "", "", "", P("按支出性质分："), "", "", ""])
    left = []
    for key in ("appropriation", "general_budget", "government_funds", "non_tax_revenue",
                "superior_funds", "carried_over", "other_funds"):
        amounts = b.sources.get(key)
        always = key in ("general_budget", "government_funds", "non_tax_revenue", "other_funds")
        if always or (amounts is not None and not amounts.is_empty()):
            prefix = "其中：" if not left else ""
            left.append(f"{prefix}{SOURCE_LABELS[key]}：{amounts_summary(amounts)}")
    right = [f"其中：基本支出：{amounts_summary(b.basic)}", f"项目支出：{amounts_summary(b.project)}"]
    for i in range(max(len(left), len(right))):
        rows.append(["", P(left[i] if i < len(left) else ""), "", "", "",
                     P(right[i] if i < len(right) else ""), "", "", ""])
    last = len(rows) - 1
    spans += [((1, first), (2, first)), ((1, first + 1), (2, first + 1))]
    for r in range(first + 2, last + 1):
        spans += [((1, r), (4, r)), ((5, r), (8, r))]
    story.append(grid_table(rows, widths, spans, merges=[(0, first, last)]))
    story.append(mof_goals_table(ev, widths))
    story.append(mof_indicator_table(ev, sc, widths))
    tail = mof_total_table(sc, widths)
    story.append(KeepTogether([tail, Spacer(1, 4 * mm), signature_block(doc, signatories, width)]))
    return orientation, story
