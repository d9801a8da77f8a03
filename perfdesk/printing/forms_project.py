"""项目支出绩效自评表 (财政部, seeds 001/002 附件2) and 财政支出项目绩效自评表 (晋中, seed 004)."""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model.document import Document, Evaluation, TargetRow
from perfdesk.model.layouts import Layout
from perfdesk.model.values import comparable, parse_value
from perfdesk.printing.common import (
    PORTRAIT, C, H, P, R, T, auto_widths, filled_date, form_title_block, frame_width, grid_table, rate,
    score2, signatories_of, styles, text_table, wan,
)
from perfdesk.printing.figures import (
    Notes, grade_text, group_score_text, group_weight, leaf_score_text, total_text, weight_total_text,
)
from perfdesk.printing.forms_unit import (
    HEAD_MIN, execution_cells, mof_goals_table, mof_indicator_rows, mof_indicator_table, mof_widths, notes_line,
)
from perfdesk.model.budget_sums import shown_amounts
from perfdesk.scoring import score_evaluation


def mof_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    width = frame_width(PORTRAIT)
    sc = score_evaluation(ev)
    notes = Notes()
    b, info = ev.budget, ev.project
    story = form_title_block(layout, doc.year)
    rows = [
        [H("项目名称"), "", P(ev.name), "", "", "", "", "", ""],
        [H("主管部门"), "", P(info.supervisor or doc.unit.supervisor), "", "", H("实施单位"), "",
         P(info.implementer or doc.unit.name), ""],
    ]
    spans = [((0, 0), (1, 0)), ((2, 0), (8, 0)), ((0, 1), (1, 1)), ((2, 1), (4, 1)),
             ((5, 1), (6, 1)), ((7, 1), (8, 1))]
    first = len(rows)
    rows.append([H("项目资金（万元）"), "", "", H("年初预算数"), H("全年预算数（A）"),
                 H("全年执行数（B）"), H("分值"), H("执行率（B/A）"), H("得分")])
    # a parent row left empty (其中) prints the sum of its children: never a blank 本年财政拨款
    t, _ = shown_amounts(b, "total")
    rows.append(["", P("年度资金总额"), "", R(wan(t.initial_budget)), R(wan(t.annual_budget)),
                 R(wan(t.spent)), *execution_cells(ev, sc, notes)])
    for key, label in (("appropriation", "其中：本年财政拨款"), ("carried_over", "上年结转资金"),
                       ("other_funds", "其他资金")):
        a = shown_amounts(b, "sources", key)[0] if key in b.sources or key == "appropriation" else None
        if a is not None and a.is_empty():
            a = None
        rows.append(["", P(label), "", R(wan(a.initial_budget) if a else ""),
                     R(wan(a.annual_budget) if a else ""), R(wan(a.spent) if a else ""), "", "", ""])
    last = len(rows) - 1
    for r in range(first, last + 1):
        spans.append(((1, r), (2, r)))
    irows, merges = mof_indicator_rows(ev, sc, notes)
    widths = mof_widths(width, irows, rows[first], rows[first + 1], ev, sc)
    story.append(grid_table(rows, widths, spans, merges=[(0, first, last)]))
    story.append(mof_goals_table(ev, widths))
    story.append(mof_indicator_table(doc, ev, sc, notes, irows, merges, widths, signatories))
    return PORTRAIT, story


# ---------------------------------------------------------------- 晋中

def target_progress(row: TargetRow) -> Decimal | None:
    """完成进度 = 实际完成指标值 ÷ 目标值 when both read as comparable numbers."""
    target, actual = parse_value(row.target), parse_value(row.actual)
    if comparable(target, actual) and target.magnitude:
        return actual.magnitude / target.magnitude
    return row.stated_progress


def progress_text(row: TargetRow, notes: Notes) -> str:
    """完成进度 as stated; marked when 实际完成值 ÷ 目标值 gives another."""
    computed = target_progress(row)
    stated = row.stated_progress
    if stated is None or computed is None or computed is stated:
        return rate(computed if stated is None else stated)
    if abs(computed - stated) > Decimal("0.0005"):
        return notes.mark(rate(stated), f"填报完成进度；实际完成指标值÷目标值为{rate(computed)}")
    return rate(stated)


def jinzhong_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories) -> tuple[str, list]:
    width = frame_width(PORTRAIT)
    sc = score_evaluation(ev)
    notes = Notes()
    b, info, unit = ev.budget, ev.project, doc.unit
    who = signatories_of(doc, signatories)
    s = styles()
    story = form_title_block(layout, doc.year)
    story.append(T(f"填报单位（公章）：{unit.name}", s.unitline))

    # 绩效目标实现情况 decides the six column widths (with the 评分表 below).
    trows = [[H("绩效目标实现情况"), H("绩效指标（二级）"), H("绩效指标（三级）"), H("目标值"),
              H("实际完成指标值"), H("完成进度")]]
    for tr in ev.target_rows:
        trows.append([C(tr.level1), C(tr.level2), P(tr.name), C(tr.target), C(tr.actual),
                      R(progress_text(tr, notes))])
    widths = auto_widths(trows, width, minimum=[HEAD_MIN * 2] + [HEAD_MIN] * 5)
    two = [widths[0], sum(widths[1:])]

    def texts(*pairs) -> None:
        story.append(text_table([[H(label), P(text)] for label, text in pairs], two))

    texts(("项目名称", ev.name))
    rows, spans = [], []
    supervisor = " ".join(x for x in (info.supervisor or unit.supervisor, info.supervisor_code) if x)
    r = len(rows)
    rows.append([H("主管部门及代码"), P(supervisor), "", H("实施单位"), P(info.implementer or unit.name), ""])
    rows.append([H("项目属性"), P(info.attribute), "", H("项目期"), P(info.period), ""])
    spans += [((1, r), (2, r)), ((4, r), (5, r)), ((1, r + 1), (2, r + 1)), ((4, r + 1), (5, r + 1))]

    src = b.sources

    def src_amt(key: str, attr: str) -> str:
        a = src.get(key)
        return wan(getattr(a, attr)) if a is not None else ""

    money = [
        ("预算资金", "市级预算资金", src_amt("appropriation", "initial_budget") or wan(b.total.initial_budget)),
        ("预算资金", "其他", src_amt("other_funds", "initial_budget")),
        ("预算下达资金", "", wan(b.total.annual_budget)),
        ("实际支出资金", "市级预算资金", src_amt("appropriation", "spent") or wan(b.total.spent)),
        ("实际支出资金", "上年结转资金", src_amt("carried_over", "spent")),
        ("实际支出资金", "上级财政资金", src_amt("superior_funds", "spent")),
        ("实际支出资金", "其他", src_amt("other_funds", "spent")),
    ]
    first = len(rows)
    for group, label, amount in money:
        r = len(rows)
        rows.append(["", P(group), P(label), "", R(amount), ""])
        if label:
            spans += [((2, r), (3, r)), ((4, r), (5, r))]
        else:
            spans += [((1, r), (3, r)), ((4, r), (5, r))]
    rows[first][0] = H("项目资金情况（万元）")
    spans.append(((0, first), (0, len(rows) - 1)))
    spans += _equal_runs([m[0] if m[1] else None for m in money], 1, first)

    story.append(grid_table(rows, widths, spans))
    texts(("项目概况", ev.narrative.get("overview", "")),
          ("项目资金使用情况", ev.narrative.get("fund_usage", "")),
          ("项目组织实施情况", ev.narrative.get("organisation", "")))

    l1 = [tr.level1 or None for tr in ev.target_rows]
    l2 = [(tr.level1, tr.level2) if tr.level2 else None for tr in ev.target_rows]
    merges = [(a[0], a[1], b[1]) for a, b in _equal_runs(l1, 0, 1) + _equal_runs(l2, 1, 1)]
    story.append(grid_table(trows, widths, [], repeat_rows=1, merges=merges))

    texts(("项目绩效情况", ev.narrative.get("performance", "")),
          ("其他需说明的问题", ev.narrative.get("other_issues", "")))

    # 评分表, 评价结果等次, 评价人员, signatures: one table split at rows; the last
    # rows of the 评分表 stay with the ending.
    rows = [[H("评分表"), H("二级指标"), H("三级指标"), "", H("指标分值"), H("评价得分")]]
    spans, merges = [((2, 0), (3, 0))], []
    for g1 in ev.indicators:
        r = len(rows)
        weight = group_weight(g1, sc) if g1.children else g1.weight
        rows.append(["", P(f"{g1.name}："), "", "", R(score2(weight)),
                     R(group_score_text(g1, sc, notes, score2) if g1.children else
                       leaf_score_text(g1, sc, notes, score2))])
        spans.append(((1, r), (3, r)))
        for g2 in g1.children:
            leaves = [n for n in g2.walk() if not n.children] if g2.children else [g2]
            start = len(rows)
            for leaf in leaves:
                rows.append(["", C(g2.name if leaf is not g2 else ""), P(leaf.name), "",
                             R(score2(leaf.weight)), R(leaf_score_text(leaf, sc, notes, score2))])
                spans.append(((2, len(rows) - 1), (3, len(rows) - 1)))
            if len(rows) - 1 > start:
                merges.append((1, start, len(rows) - 1))
    r = len(rows)
    rows.append(["", P("综合得分："), "", "", R(weight_total_text(ev, sc, notes, score2)),
                 R(total_text(ev, sc, notes, score2))])
    spans.append(((1, r), (3, r)))
    merges.append((0, 1, r))
    keep_from = max(1, r - 1)
    r = len(rows)
    rows.append([H("评价结果等次"), C(grade_text(ev, sc, notes)), "", "", "", ""])
    spans.append(((1, r), (5, r)))
    first = len(rows)
    rows.append([H("评价人员"), H("姓名"), H("职称/职务"), H("科室"), "", H("联系电话")])
    spans.append(((3, first), (4, first)))
    for person in ev.evaluators or [None]:
        r = len(rows)
        rows.append(["", C(person.name if person else ""), C(person.title if person else ""),
                     C(person.department if person else ""), "", C(person.phone if person else "")])
        spans.append(((3, r), (4, r)))
    merges.append((0, first, len(rows) - 1))
    r = len(rows)
    rows.append([P(f"负责人：{who('leader')}"), "", P(f"经办人：{who('preparer')}"), P(f"联系电话：{who('phone')}"),
                 P(f"填报日期：{filled_date(ev)}"), ""])
    spans += [((0, r), (1, r)), ((4, r), (5, r))]
    r = len(rows)
    rows.append([P("单位负责人（签章）："), "", "", "", P("　　　　年　　月　　日"), ""])
    spans += [((0, r), (3, r)), ((4, r), (5, r))]
    bordered = len(rows)
    extra = [("TOPPADDING", (0, r), (-1, r), 14), ("BOTTOMPADDING", (0, r), (-1, r), 14)]
    rows.append([T(notes_line(ev, notes), s.note), "", "", "", "", ""])  # notes and the 评价规则
    spans.append(((0, bordered), (5, bordered)))
    story.append(grid_table(rows, widths, spans, extra=extra, repeat_rows=1, merges=merges, bordered=bordered,
                            keep_last=bordered - keep_from))
    return PORTRAIT, story


def _equal_runs(values: list, col: int, offset: int) -> list:
    out, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        if values[i] is not None and j > i:
            out.append(((col, offset + i), (col, offset + j)))
        i = j + 1
    return out


__all__ = ["jinzhong_project_form", "mof_project_form", "target_progress"]
