"""项目支出绩效评价表: the 决策 / 过程 / 产出 / 效益 framework of 财预〔2020〕10号 附件2.

Used for 部门评价 and 财政评价 of a project: project information, the money
(年初预算数 / 全年预算数 / 全年执行数 / 执行率), the indicator table with its
评分标准 column, 总分 and 等级, 评价结论 / 存在问题 / 改进措施. A new module
(issue 14) built from the shared helpers of ``perfdesk.printing.common``.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from perfdesk.model.document import Document, Evaluation
from perfdesk.model.layouts import Layout
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, frame_width, grid_table, keep_together, markup, rate, score,
    signature_block, styles, text_table, title_block, wan,
)
from perfdesk.printing.indicators import group_label, indicator_rows, leaf_cells, runs
from perfdesk.scoring import execution_rate, score_evaluation
from perfdesk.scoring.rules import rule_set_footer

# 一级, 二级, 三级, 指标值, 分值, 评分标准, 实际完成值, 得分
FRAMEWORK_FRACTIONS = [0.07, 0.095, 0.15, 0.1, 0.06, 0.32, 0.12, 0.085]


def framework_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    orientation = PORTRAIT
    width = frame_width(orientation)
    widths = [width * f for f in FRAMEWORK_FRACTIONS]
    sc = score_evaluation(ev)
    b, info = ev.budget, ev.project
    story = title_block(layout.title, doc.year)

    t = b.total
    top = [width * 0.2] * 5
    rows = [
        [H("项目名称"), P(ev.name), "", "", ""],
        [H("主管部门"), P(info.supervisor or doc.unit.supervisor), H("实施单位"), P(info.implementer or doc.unit.name), ""],
        [H("项目资金（万元）"), H("年初预算数"), H("全年预算数"), H("全年执行数"), H("执行率")],
        ["", R(wan(t.initial_budget)), R(wan(t.annual_budget)), R(wan(t.spent)),
         R(rate(execution_rate(ev, sc.rules)))],
    ]
    spans = [((1, 0), (4, 0)), ((3, 1), (4, 1)), ((0, 2), (0, 3))]
    story.append(grid_table(rows, top, spans))

    head = [H(text) for text in ("一级指标", "二级指标", "三级指标", "指标值", "分值", "评分标准", "实际完成值",
                                 "得分")]
    rows = [head]
    irows = indicator_rows(ev)
    for row in irows:
        c = leaf_cells(row.leaf, sc)
        rows.append([
            C(group_label(row.l1, sc, "{name}（{w}分）")), C(group_label(row.l2, sc, "{name}（{w}分）")),
            P(c["name"]), C(c["target"]), R(c["weight"]), P(c["rule"]), C(c["actual"]), R(c["score"]),
        ])
    merges = [(0, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(1, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    story.append(grid_table(rows, widths, [], repeat_rows=1, merges=merges))

    total = grid_table([
        [H("合计"), "", "", "", R(score(sc.weight_total)), "", "", R(score(sc.total))],
        [H("评价等级"), "", C(sc.grade), "", "", "", "", ""],
    ], widths, [((0, 0), (3, 0)), ((5, 0), (6, 0)), ((0, 1), (1, 1)), ((2, 1), (7, 1))])
    label_widths = [widths[0] + widths[1], sum(widths[2:])]
    tails = [text_table([[H(label), P(ev.narrative.get(key, ""))]], label_widths)
             for key, label in (("conclusion", "评价结论"), ("problems", "存在问题"), ("improvements", "改进措施"))]
    note = Paragraph(markup(rule_set_footer(ev)), styles().unitline)
    # short texts stay with the total and the signature; long ones flow (keep_together decides)
    story += keep_together([total, *tails, note, Spacer(1, 4 * mm), signature_block(doc, signatories, width)],
                           width)
    return orientation, story


__all__ = ["framework_project_form"]
