"""部门整体支出绩效自评表: layout A (江苏, seeds 000/003) and layout B (财政部, seed 002 附件1).

Titles, subtitle and 附件 marker come from the layout file's ``print`` block;
column widths from the content (an empty 评价要点 column stays narrow).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from perfdesk.model.document import SOURCE_LABELS, Document, Evaluation
from perfdesk.model.layouts import Layout
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, T, amounts_summary, auto_widths, form_title_block, frame_width, goals_like_table,
    grid_table, keep_together, layout_print, signature_rows, styles, text_table, wan,
)
from perfdesk.printing.figures import (
    Notes, execution_rate_text, execution_score_text, grade_text, total_text, weight_total_text,
)
from perfdesk.printing.indicators import group_labels, indicator_rows, leaf_cells, runs
from perfdesk.scoring import score_evaluation
from perfdesk.scoring.rules import rule_set_footer

HEAD_MIN = 2 * 9 + 6  # a header column is never narrower than two characters


def total_row_preview(ev: Evaluation, sc, n: int, weight_col: int, total_col: int) -> list:
    """The 合计 row's figures (marks included) in a stand-in row, so that the
    column widths leave room for them."""
    scratch = Notes()
    row = [""] * n
    row[weight_col] = R(weight_total_text(ev, sc, scratch))
    row[total_col] = R(total_text(ev, sc, scratch))
    return row


def notes_and_signature(doc: Document, ev: Evaluation, notes: Notes, signatories, widths) -> tuple[list, list]:
    """Unruled rows ending a form: the notes of its marked figures and the 评价规则 that scored it,
    then the signatures."""
    n = len(widths)
    rows, spans = [], []
    rows.append([T(notes_line(ev, notes), styles().note)] + [""] * (n - 1))
    spans.append(((0, 0), (n - 1, 0)))
    sig_rows, sig_spans = signature_rows(doc, ev, signatories, widths)
    offset = len(rows)
    rows += sig_rows
    spans += [((a[0], a[1] + offset), (b[0], b[1] + offset)) for a, b in sig_spans]
    return rows, spans


def notes_line(ev: Evaluation, notes: Notes) -> str:
    """“注：①…；② …；评价规则：财政部（…）” — the notes of a form, with the rule set that scored it."""
    return "；".join(filter(None, [notes.text().rstrip("。"), rule_set_footer(ev)]))


def shift_spans(spans, by: int) -> list:
    return [((a[0], a[1] + by), (b[0], b[1] + by)) for a, b in spans]


# ---------------------------------------------------------------- layout A

JIANGSU_HEADS = ("一级指标", "二级指标", "三级指标", "全年指标值", "分值", "评价要点及评分规则", "实际完成值", "得分")


def jiangsu_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    """Layout A: 单位名称 … 预算安排及支出情况 … indicators with 评价要点及评分规则 … 整改举措."""
    width = frame_width(PORTRAIT)
    sc = score_evaluation(ev)
    notes = Notes()
    unit = doc.unit
    story = form_title_block(layout, doc.year)

    # The indicator table first: its content decides the column widths of the form.
    irows = indicator_rows(ev)
    labels = group_labels(irows, sc, notes, "{name}({w})", "{name}({w})")
    head = [H(t) for t in JIANGSU_HEADS]
    rows = [head]
    for row in irows:
        c = leaf_cells(row.leaf, sc, notes)
        rows.append([
            C(labels.get(row.l1.uid, "") if row.l1 else ""), C(labels.get(row.l2.uid, "") if row.l2 else ""),
            P(c["name"]), C(c["target"]), R(c["weight"]), P(c["rule"]), C(c["actual"]), R(c["score"]),
        ])
    n_leaf = len(rows)
    widths = auto_widths(rows + [total_row_preview(ev, sc, 8, 4, 7)], width, minimum=[HEAD_MIN] * 8)
    rows.append([H("合计"), "", "", "", R(weight_total_text(ev, sc, notes)), "", "", R(total_text(ev, sc, notes))])
    spans = [((0, n_leaf), (3, n_leaf)), ((5, n_leaf), (6, n_leaf))]
    if layout_print(layout, "grade", True):
        rows.append([H("绩效等级"), "", C(grade_text(ev, sc, notes)), "", "", "", "", ""])
        spans += [((0, n_leaf + 1), (1, n_leaf + 1)), ((2, n_leaf + 1), (7, n_leaf + 1))]
    merges = [(0, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(1, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    indicators = grid_table(rows, widths, spans, repeat_rows=1, merges=merges, keep_last=len(rows) - n_leaf + 1)

    # Unit information and budget (one column grid with the indicators).
    label_w = widths[0] + widths[1]
    name = ev.name or unit.name
    story.append(text_table([
        [H("单位名称"), P(name)],
        [H("主要职能"), P(unit.functions)],
        [H("机构设置及人员配置"), P(unit.organisation)],
    ], [label_w, width - label_w]))
    brows, bspans = [], []
    b = ev.budget
    brows.append([H("预算安排及支出情况"), "", "", "", H("全年预算数"), "", H("实际支出数"), ""])
    budget_lines = [("资金总额", b.total), ("基本支出", b.basic), ("项目支出", b.project)]
    for i, line in enumerate(b.project_lines, start=1):
        prefix = "其中：" if i == 1 else ""
        budget_lines.append((f"{prefix}项目 {i}：{line.name}", line.amounts))
    for label, amounts in budget_lines:
        brows.append(["", P(label), "", "", R(wan(amounts.annual_budget, unit=True)), "",
                      R(wan(amounts.spent, unit=True)), ""])
    for r in range(len(brows)):
        bspans += [((1, r), (3, r)), ((4, r), (5, r)), ((6, r), (7, r))]
    story.append(grid_table(brows, widths, bspans, merges=[(0, 0, len(brows) - 1)]))
    story.append(indicators)

    # The narratives (each may run over pages), the last kept with the signatures.
    tails = [text_table([[H(label), P(ev.narrative.get(key, ""))]], [label_w, width - label_w])
             for key, label in (("achievements", "主要成效"), ("problems", "存在问题"),
                                ("remedies", "整改举措"))]
    end_rows, end_spans = notes_and_signature(doc, ev, notes, signatories, widths)
    ending = grid_table(end_rows, widths, end_spans, bordered=0)
    story += tails[:2]
    story += keep_together([tails[2], Spacer(1, 2 * mm), ending], width)
    return PORTRAIT, story


# ---------------------------------------------------------------- layout B and project-mof

MOF_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def mof_indicator_rows(ev: Evaluation, sc, notes: Notes, label: str = "绩效指标") -> tuple[list, list]:
    """Header and level-3 rows of a 财政部 form (9 columns): (rows, merges)."""
    rows = [[H(label)] + [H(t) for t in MOF_HEADS]]
    irows = indicator_rows(ev)
    labels = group_labels(irows, sc, notes, "{name}\n（{w}分）", "{name}")
    for row in irows:
        c = leaf_cells(row.leaf, sc, notes)
        rows.append([
            "", C(labels.get(row.l1.uid, "") if row.l1 else ""), C(labels.get(row.l2.uid, "") if row.l2 else ""),
            P(c["name"]), C(c["target"]), C(c["actual"]), R(c["weight"]), R(c["score"]), P(c["note"]),
        ])
    merges = [(1, a, z) for a, z in runs([r.l1 for r in irows], 1)]
    merges += [(2, a, z) for a, z in runs([r.l2 for r in irows], 1)]
    merges.append((0, 1, len(rows) - 1))  # the 绩效指标 label column, as on paper
    return rows, merges


def mof_widths(width: float, irows: list, budget_head: list, money_row: list, ev: Evaluation, sc) -> list[float]:
    """Widths of a 财政部 form's nine columns from its headers, indicators and money."""
    rows = [budget_head, *irows, money_row, total_row_preview(ev, sc, 9, 6, 7)]
    return auto_widths(rows, width, minimum=[HEAD_MIN] * 9, header_rows=2)


def mof_goals_table(ev: Evaluation, widths, label: str = "年度总体目标"):
    return goals_like_table(label, ("预期目标", "实际完成情况"), (ev.goals.expected, ev.goals.achieved),
                            [widths[0], sum(widths[1:5]), sum(widths[5:])])


def mof_indicator_table(doc: Document, ev: Evaluation, sc, notes: Notes, rows, merges, widths, signatories,
                        label: str = "总分"):
    """The indicator rows, 总分, the notes and the signatures in one table: the 总分
    row is never alone on a page, nor the signatures."""
    rows = list(rows)
    total = len(rows)
    rows.append([H(label), "", "", "", "", "", R(weight_total_text(ev, sc, notes)), R(total_text(ev, sc, notes)),
                 ""])
    spans = [((0, total), (5, total))]
    bordered = len(rows)
    end_rows, end_spans = notes_and_signature(doc, ev, notes, signatories, widths)
    rows += end_rows
    spans += shift_spans(end_spans, bordered)
    return grid_table(rows, widths, spans, repeat_rows=1, merges=merges, bordered=bordered, keep_last=2)


def execution_cells(ev: Evaluation, sc, notes: Notes) -> list:
    from perfdesk.scoring import format_score

    if ev.execution is None:
        return ["", "", ""]
    return [R(format_score(ev.execution.weight)), R(execution_rate_text(ev, sc, notes)),
            R(execution_score_text(ev, sc, notes))]


def mof_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    """Layout B: 年度预算申请 … 年度总体目标 … indicators with 偏差原因分析及改进措施 … 总分."""
    width = frame_width(PORTRAIT)
    sc = score_evaluation(ev)
    notes = Notes()
    b = ev.budget
    story = form_title_block(layout, doc.year)
    rows = [[H("预算单位名称"), "", P(ev.name or doc.unit.name), "", "", "", "", "", ""]]
    spans = [((0, 0), (1, 0)), ((2, 0), (8, 0))]
    first = len(rows)
    rows.append([H("年度预算申请（万元）"), "", "", H("年初预算数"), H("全年预算数"), H("全年执行数"),
                 H("分值"), H("执行率"), H("得分")])
    t = b.total
    rows.append(["", P("年度资金总额"), "", R(wan(t.initial_budget)), R(wan(t.annual_budget)),
                 R(wan(t.spent)), *execution_cells(ev, sc, notes)])
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
    irows, merges = mof_indicator_rows(ev, sc, notes)
    widths = mof_widths(width, irows, rows[first], rows[first + 1], ev, sc)
    story.append(grid_table(rows, widths, spans, merges=[(0, first, last)]))
    story.append(mof_goals_table(ev, widths))
    story.append(mof_indicator_table(doc, ev, sc, notes, irows, merges, widths, signatories))
    return PORTRAIT, story


__all__ = ["execution_cells", "jiangsu_unit_form", "notes_line", "mof_goals_table", "mof_indicator_rows",
           "mof_indicator_table", "mof_unit_form", "mof_widths", "notes_and_signature"]
