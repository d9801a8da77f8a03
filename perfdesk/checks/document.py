"""审核 across forms: the unit's 项目支出 lines against the projects' own forms.

The 部门整体 form lists each project's money under 项目支出; each project's form states
its 年度资金总额. When a line names a project of the document, the two must agree
(issue 11: 442.15 on the unit form against 480.00 on the project's form went unnoticed).
Findings point at the unit form's line (a Place), like every other finding.
"""

from __future__ import annotations

from perfdesk.model.amounts import format_wan
from perfdesk.model.budget_sums import shown_total
from perfdesk.model.document import Amounts, Document
from perfdesk.model.places import Place

AMOUNT_TOLERANCE_FEN = 10_000  # 0.01 万元, as the budget identities
COLUMN_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}


def check_project_lines(doc: Document) -> list:
    from perfdesk.checks import WARNING, Finding
    from perfdesk.ops.importing import project_key

    unit = doc.unit_evaluation
    if not unit.budget.project_lines or not doc.projects:
        return []
    by_name: dict[str, list] = {}
    for project in doc.projects:
        code, name = project_key(project.name)
        by_name.setdefault(name, []).append(project)
        if code:
            by_name.setdefault(code, []).append(project)
    out = []
    for i, line in enumerate(unit.budget.project_lines):
        code, name = project_key(line.name)
        matches = by_name.get(code) if code else None
        matches = matches or by_name.get(name)
        if not name or not matches or len(matches) != 1:
            continue
        project = matches[0]
        theirs = shown_total(project.budget)
        for column in Amounts.COLUMNS:
            ours, stated = getattr(line.amounts, column), getattr(theirs, column)
            if ours is None or stated is None or abs(ours - stated) <= AMOUNT_TOLERANCE_FEN:
                continue
            label = COLUMN_LABELS[column]
            out.append(Finding(
                WARNING, "project_line_mismatch",
                f"{label}：部门整体表项目支出“{line.name}”为 {format_wan(ours)} 万元，该项目自评表的年度资金总额为 "
                f"{format_wan(stated)} 万元（相差 {format_wan(abs(ours - stated))} 万元）",
                f"部门整体 / 预算 / {line.name}",
                Place(unit.uid, None, f"budget.lines.{i}.{column}"), rule="project_line_mismatch",
                why="部门整体表“预算安排及支出情况”中各项目的金额应与该项目自评表的年度资金总额一致"
                    "（同一笔资金在两张表上的数字）。"))
    return out
