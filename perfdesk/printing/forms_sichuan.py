"""项目支出绩效自评表 (四川, 报表编号 510000_0013zp): 预算执行情况 10 + 绩效指标 90.

The 四川 form has its own funding rows (财政资金 / 财政专户管理资金 / 单位资金 /
其他资金, from the layout's ``funding_rows``), indicator columns 指标性质 / 指标值 /
度量单位 / 完成值 / 权重 / 得分 / 未完成原因分析, and 评价结论 / 存在问题 /
改进措施 at the end. A new module (issue 14) built from the shared helpers of
``perfdesk.printing.common``; the other forms are untouched.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from perfdesk.model.document import SOURCE_LABELS, Document, Evaluation, Indicator
from perfdesk.model.layouts import Layout
from perfdesk.model.values import split_target
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, frame_width, goals_like_table, grid_table, keep_together, markup, rate,
    score, signature_block, styles, text_table, title_block, wan,
)
from perfdesk.printing.indicators import group_label, indicator_rows, runs
from perfdesk.scoring import score_evaluation
from perfdesk.scoring.rules import rule_set_footer

# 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
SICHUAN_FRACTIONS = [0.08, 0.085, 0.16, 0.055, 0.09, 0.065, 0.09, 0.055, 0.065, 0.255]
# 项目资金 label, row label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
TOP_FRACTIONS = [0.09, 0.2, 0.13, 0.13, 0.13, 0.08, 0.11, 0.13]


def value_columns(leaf: Indicator) -> tuple[str, str, str, str]:
    """(指标性质, 指标值, 度量单位, 完成值) — from the fields, else split from the target text."""
    comparison, value, unit = split_target(leaf.target)
    comparison = leaf.comparison or comparison
    unit = leaf.unit or unit
    actual = leaf.actual.strip()
    a_comparison, a_value, a_unit = split_target(actual)
    if unit and a_unit == unit and not a_comparison:
        actual = a_value  # the unit has its own column
    return comparison, value, unit, actual


def sichuan_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    orientation = PORTRAIT
    width = frame_width(orientation)
    widths = [width * f for f in SICHUAN_FRACTIONS]
    sc = score_evaluation(ev)
    b, info = ev.budget, ev.project
    story = title_block(layout.title, doc.year)

    # project and money: a table of its own columns (figures need room)
    top = [width * f for f in TOP_FRACTIONS]
    rows = [
        [H("项目名称"), "", P(ev.name), "", "", "", "", ""],
        [H("主管部门"), "", P(info.supervisor or doc.unit.supervisor), "", H("实施单位"),
         P(info.implementer or doc.unit.name), "", ""],
    ]
    spans = [((0, 0), (1, 0)), ((2, 0), (7, 0)), ((0, 1), (1, 1)), ((2, 1), (3, 1)), ((5, 1), (7, 1))]
    first = len(rows)
    rows.append([H("项目资金（万元）"), "", H("年初预算数"), H("全年预算数"), H("全年执行数"),
                 H("分值"), H("执行率"), H("得分")])
    t = b.total
    line = ev.execution
    rows.append(["", P("年度资金总额"), R(wan(t.initial_budget)), R(wan(t.annual_budget)), R(wan(t.spent)),
                 R(score(line.weight) if line else ""), R(rate(sc.execution_rate)), R(score(sc.execution_score))])
    for i, key in enumerate(layout.funding_rows):
        a = b.sources.get(key)
        label = ("其中：" if i == 0 else "") + SOURCE_LABELS[key]
        rows.append(["", P(label), R(wan(a.initial_budget) if a else ""),
                     R(wan(a.annual_budget) if a else ""), R(wan(a.spent) if a else ""), "", "", ""])
    last = len(rows) - 1
    for r in range(first + 2, last + 1):
        spans.append(((5, r), (7, r)))
    story.append(grid_table(rows, top, spans, merges=[(0, first, last)]))
    story.append(text_table([[H("预算执行偏差原因"), P(ev.narrative.get("execution_reason", ""))]],
                            [top[0] + top[1], sum(top[2:])]))
    story.append(goals_like_table("年度总体目标", ("预期目标", "实际完成情况"),
                                  (ev.goals.expected, ev.goals.achieved),
                                  [top[0] + top[1], sum(top[2:5]), sum(top[5:])]))

    head = [H(t) for t in ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值",
                           "权重（分）", "得分", "未完成原因分析")]
    rows = [head]
    irows = indicator_rows(ev)
    for row in irows:
        node = row.leaf
        if node is None:
            cells = ["", "", "", "", "", "", "", ""]
        else:
            comparison, value, unit, actual = value_columns(node)
            s = sc.of(node)
            cells = [P(node.name), C(comparison), C(value), C(unit), C(actual),
                     R(score(node.weight)), R(score(s.score)), P(node.deviation_note)]
        rows.append([C(group_label(row.l1, sc)), C(group_label(row.l2, sc, "{name}")), *cells])
    merges = [(0, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(1, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    story.append(grid_table(rows, widths, [], repeat_rows=1, merges=merges))

    total = grid_table([[H("总分"), "", "", "", "", "", "", R(score(sc.weight_total)), R(score(sc.total)),
                         C(f"绩效等级：{sc.grade}")]], widths, [((0, 0), (6, 0))])
    label_widths = [widths[0] + widths[1], sum(widths[2:])]
    tails = [text_table([[H(label), P(ev.narrative.get(key, ""))]], label_widths)
             for key, label in (("conclusion", "评价结论"), ("problems", "存在问题"), ("improvements", "改进措施"))]
    story += keep_together([total, tails[0]], width)
    story.append(tails[1])
    note = Paragraph(markup(rule_set_footer(ev)), styles().unitline)
    story += keep_together([tails[2], note, Spacer(1, 4 * mm), signature_block(doc, signatories, width)], width)
    return orientation, story


__all__ = ["sichuan_project_form", "value_columns"]
