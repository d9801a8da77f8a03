"""部门预算项目支出绩效自评表 (四川, 报表编号 510000_0013zp): 预算执行情况 10 + 绩效指标 90.

As published (大英县司法局 2023, tests/fixtures/real/sichuan-daying-project-2023-a):
项目名称 / 主管部门 / 实施单位; 项目基本情况 (项目年度目标 / 年度目标完成情况,
项目实施内容及过程概述); 预算执行情况(10分) with 年初预算 / 调整后预算数 /
预算执行数 / 预算执行率 / 权重 / 得分 / 原因 for 总额 and the funding rows
财政资金 / 财政专户管理资金 / 单位资金 / 其他资金 (the layout's ``funding_rows``);
绩效指标(90分) with 指标性质 / 指标值 / 度量单位 / 完成值 / 权重 / 得分 / 未完成原因分析;
合计; 评价结论 / 存在问题 / 改进措施; the 评价规则 and the signatures. A new module
(issue 14) built from the shared helpers of ``perfdesk.printing.common`` and
``figures``; the other forms are untouched.
"""

from __future__ import annotations

from perfdesk.model.document import SOURCE_LABELS, Document, Evaluation, Indicator
from perfdesk.model.layouts import Layout
from perfdesk.model.values import split_target
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, T, form_title_block, frame_width, grid_table, rate, score, signature_rows, styles, wan,
)
from perfdesk.printing.figures import (
    Notes, adjusted_mark, execution_rate_text, execution_score_text, grade_text, total_text, weight_total_text,
)
from perfdesk.printing.forms_unit import notes_line
from perfdesk.printing.indicators import group_labels, indicator_rows, leaf_cells, runs
from perfdesk.scoring import ratio, score_evaluation

# label, row label, 年初预算, 调整后预算数, 预算执行数, 预算执行率, 权重, 得分, 原因
TOP_FRACTIONS = [0.1, 0.16, 0.1, 0.11, 0.1, 0.09, 0.06, 0.06, 0.22]
# 绩效指标 label, 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
INDICATOR_FRACTIONS = [0.06, 0.065, 0.075, 0.15, 0.05, 0.08, 0.06, 0.085, 0.05, 0.06, 0.265]
# the same with 年初指标值 beside the 调整后指标值 (a layout with ``columns.initial_target``)
ADJUSTED_FRACTIONS = [0.06, 0.065, 0.075, 0.13, 0.05, 0.075, 0.075, 0.055, 0.08, 0.05, 0.06, 0.225]
TEXTS = (("conclusion", "评价结论"), ("problems", "存在问题"), ("improvements", "改进措施"))


def value_columns(leaf: Indicator) -> tuple[str, str, str, str]:
    """(指标性质, 指标值, 度量单位, 完成值) — from the fields, else split from the target text."""
    comparison, value, unit = split_target(leaf.target)
    comparison = leaf.comparison or comparison
    unit = leaf.unit or unit
    return comparison, value, unit, _in_unit(leaf.actual, unit)


def initial_value(leaf: Indicator, unit: str) -> str:
    """The 年初指标值 in the form's 度量单位 column's unit (its own text when that unit differs)."""
    return _in_unit(leaf.initial_target, unit)


def _in_unit(text: str, unit: str) -> str:
    """A value without its unit when the form's 度量单位 column gives it (and no comparison of its own)."""
    text = text.strip()
    comparison, value, own_unit = split_target(text)
    if unit and own_unit == unit and not comparison:
        return value  # the unit has its own column
    return text


def ending(doc: Document, ev: Evaluation, notes: Notes, signatories, widths, first: int) -> tuple[list, list]:
    """Unruled rows after the table: the notes of marked figures, the 评价规则, the signatures."""
    n = len(widths)
    note = notes_line(ev, notes)
    rows = [[T(note, styles().note)] + [""] * (n - 1)]
    spans = [((0, first), (n - 1, first))]
    sig_rows, sig_spans = signature_rows(doc, ev, signatories, widths)
    offset = first + 1
    rows += sig_rows
    spans += [((a[0], a[1] + offset), (b[0], b[1] + offset)) for a, b in sig_spans]
    return rows, spans


def sichuan_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    width = frame_width(PORTRAIT)
    top = [width * f for f in TOP_FRACTIONS]
    widths = [width * f for f in INDICATOR_FRACTIONS]
    sc = score_evaluation(ev)
    notes = Notes()
    b, info, line = ev.budget, ev.project, ev.execution
    story = form_title_block(layout, doc.year)

    rows = [
        [H("项目名称"), P(ev.name), "", "", "", "", "", "", ""],
        [H("主管部门"), P(info.supervisor or doc.unit.supervisor), "", "", H("实施单位"),
         P(info.implementer or doc.unit.name), "", "", ""],
        [H("项目基本情况"), P("1.项目年度目标完成情况"), H("项目年度目标"), "", "", "", H("年度目标完成情况"), "", ""],
        ["", "", P(ev.goals.expected), "", "", "", P(ev.goals.achieved), "", ""],
        ["", P("2.项目实施内容及过程概述"), P(ev.narrative.get("overview", "")), "", "", "", "", "", ""],
    ]
    spans = [((1, 0), (8, 0)), ((1, 1), (3, 1)), ((5, 1), (8, 1)), ((2, 2), (5, 2)), ((6, 2), (8, 2)),
             ((2, 3), (5, 3)), ((6, 3), (8, 3)), ((1, 2), (1, 3)), ((2, 4), (8, 4))]
    merges = [(0, 2, 4)]
    weight = line.weight if line is not None else None
    first = len(rows)
    rows.append([H(f"预算执行情况（{score(weight)}分）" if weight is not None else "预算执行情况"),
                 H("年度预算数（万元）"), H("年初预算"), H("调整后预算数"), H("预算执行数"), H("预算执行率"),
                 H("权重"), H("得分"), H("原因")])
    t = b.total
    rows.append(["", P("总额"), R(wan(t.initial_budget)), R(wan(t.annual_budget)), R(wan(t.spent)),
                 R(execution_rate_text(ev, sc, notes)), R(score(weight)), R(execution_score_text(ev, sc, notes)),
                 P(ev.narrative.get("execution_reason", ""))])
    for i, key in enumerate(layout.funding_rows):
        a = b.sources.get(key)
        label = ("其中：" if i == 0 else "") + SOURCE_LABELS[key]
        rows.append(["", P(label), R(wan(a.initial_budget) if a else ""), R(wan(a.annual_budget) if a else ""),
                     R(wan(a.spent) if a else ""), R(rate(ratio(a.spent, a.annual_budget)) if a else ""),
                     C("/"), C("/"), ""])
    last = len(rows) - 1
    merges += [(0, first, last), (8, first + 1, last)]
    story.append(grid_table(rows, top, spans, merges=merges))

    # 绩效指标, 合计, the three texts; then (unruled) notes, 评价规则 and signatures
    # With a 年初指标值 column (the layout says so) the value column is the 调整后指标值; without
    # one an adjusted target is marked and its 年初指标值 and 调整原因 given in the notes.
    initial_column = layout.has_initial_target_column
    if initial_column:
        widths = [width * f for f in ADJUSTED_FRACTIONS]
    n = len(widths)
    irows = indicator_rows(ev)
    labels = group_labels(irows, sc, notes, "{name}\n（{w}分）", "{name}")
    values_head = ("年初指标值", "调整后指标值") if initial_column else ("指标值",)
    head = [H(f"绩效指标（{score(sc.indicator_weight)}分）")] + [H(x) for x in (
        "一级指标", "二级指标", "三级指标", "指标性质", *values_head, "度量单位", "完成值", "权重", "得分",
        "未完成原因分析")]
    rows = [head]
    for row in irows:
        node = row.leaf
        if node is None:
            cells = [""] * (n - 3)
        else:
            comparison, value, unit, actual = value_columns(node)
            values = [C(initial_value(node, unit)), C(value)] if initial_column else [
                C(adjusted_mark(node, value, notes))]
            c = leaf_cells(node, sc, notes, mark_adjusted=False)
            cells = [P(node.name), C(comparison), *values, C(unit), C(actual), R(c["weight"]), R(c["score"]),
                     P(node.deviation_note)]
        rows.append(["", C(labels.get(row.l1.uid, "") if row.l1 else ""),
                     C(labels.get(row.l2.uid, "") if row.l2 else ""), *cells])
    merges = [(1, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(2, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    merges.append((0, 1, len(rows) - 1))  # the 绩效指标 label column, as on paper
    total = len(rows)
    rows.append([H("合计")] + [""] * (n - 4) + [R(weight_total_text(ev, sc, notes)),
                                                R(total_text(ev, sc, notes)),
                                                C(f"绩效等级：{grade_text(ev, sc, notes)}")])
    spans = [((0, total), (n - 4, total))]
    for key, label in TEXTS:
        r = len(rows)
        rows.append([H(label), "", "", P(ev.narrative.get(key, ""))] + [""] * (n - 4))
        spans += [((0, r), (2, r)), ((3, r), (n - 1, r))]
    bordered = len(rows)
    end_rows, end_spans = ending(doc, ev, notes, signatories, widths, bordered)
    rows += end_rows
    spans += end_spans
    story.append(grid_table(rows, widths, spans, repeat_rows=1, merges=merges, bordered=bordered,
                            keep_last=1 + len(TEXTS)))
    return PORTRAIT, story


__all__ = ["ending", "initial_value", "sichuan_project_form", "value_columns"]
