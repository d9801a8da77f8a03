"""项目支出绩效评价表: the 决策 / 过程 / 产出 / 效益 framework of 财预〔2020〕10号 附件2.

Used for 部门评价 and 财政评价 of a project: project information, the money
(年初预算数 / 全年预算数 / 全年执行数 / 执行率), the indicator table with its
评分标准 column, 合计 and 等级, 评价结论 / 存在问题 / 改进措施, the 评价规则 and the
signatures. A new module (issue 14) built from the shared helpers of
``perfdesk.printing.common`` and ``figures``.
"""

from __future__ import annotations

from perfdesk.model.document import Document, Evaluation
from perfdesk.model.layouts import Layout
from perfdesk.printing.common import PORTRAIT, C, H, P, R, form_title_block, frame_width, grid_table, rate, wan
from perfdesk.printing.figures import Notes, grade_text, total_text, weight_total_text
from perfdesk.printing.forms_sichuan import TEXTS, ending
from perfdesk.printing.indicators import group_labels, indicator_rows, leaf_cells, runs
from perfdesk.scoring import execution_rate, score_evaluation

# 一级, 二级, 三级, 指标值, 分值, 评分标准, 实际完成值, 得分
FRAMEWORK_FRACTIONS = [0.07, 0.095, 0.15, 0.1, 0.06, 0.32, 0.12, 0.085]
HEADS = ("一级指标", "二级指标", "三级指标", "指标值", "分值", "评分标准", "实际完成值", "得分")


def framework_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    width = frame_width(PORTRAIT)
    widths = [width * f for f in FRAMEWORK_FRACTIONS]
    sc = score_evaluation(ev)
    notes = Notes()
    b, info = ev.budget, ev.project
    story = form_title_block(layout, doc.year)

    t = b.total
    top = [width * 0.2] * 5
    rows = [
        [H("项目名称"), P(ev.name), "", "", ""],
        [H("主管部门"), P(info.supervisor or doc.unit.supervisor), H("实施单位"), P(info.implementer or doc.unit.name),
         ""],
        [H("项目资金（万元）"), H("年初预算数"), H("全年预算数"), H("全年执行数"), H("执行率")],
        ["", R(wan(t.initial_budget)), R(wan(t.annual_budget)), R(wan(t.spent)),
         R(rate(execution_rate(ev, sc.rules)))],
    ]
    story.append(grid_table(rows, top, [((1, 0), (4, 0)), ((3, 1), (4, 1))], merges=[(0, 2, 3)]))

    irows = indicator_rows(ev)
    labels = group_labels(irows, sc, notes, "{name}（{w}分）", "{name}（{w}分）")
    rows = [[H(x) for x in HEADS]]
    for row in irows:
        c = leaf_cells(row.leaf, sc, notes)
        rows.append([
            C(labels.get(row.l1.uid, "") if row.l1 else ""), C(labels.get(row.l2.uid, "") if row.l2 else ""),
            P(c["name"]), C(c["target"]), R(c["weight"]), P(c["rule"]), C(c["actual"]), R(c["score"]),
        ])
    merges = [(0, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(1, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    total = len(rows)
    rows.append([H("合计"), "", "", "", R(weight_total_text(ev, sc, notes)), "", "", R(total_text(ev, sc, notes))])
    rows.append([H("评价等级"), "", C(grade_text(ev, sc, notes)), "", "", "", "", ""])
    spans = [((0, total), (3, total)), ((5, total), (6, total)), ((0, total + 1), (1, total + 1)),
             ((2, total + 1), (7, total + 1))]
    for key, label in TEXTS:
        r = len(rows)
        rows.append([H(label), "", P(ev.narrative.get(key, ""))] + [""] * 5)
        spans += [((0, r), (1, r)), ((2, r), (7, r))]
    bordered = len(rows)
    end_rows, end_spans = ending(doc, ev, notes, signatories, widths, bordered)
    rows += end_rows
    spans += end_spans
    story.append(grid_table(rows, widths, spans, repeat_rows=1, merges=merges, bordered=bordered,
                            keep_last=2 + len(TEXTS)))
    return PORTRAIT, story


__all__ = ["framework_project_form"]
