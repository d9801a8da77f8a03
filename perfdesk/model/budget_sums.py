"""Budget rows as the paper shows them: a parent row (其中) left empty is the sum of its children.

On the forms, 资金总额 is split into 基本支出 / 项目支出 (and 项目支出 into its project
lines), 年度资金总额 into its sources, and 本年财政拨款 into 一般公共预算 / 政府性基金 /
纳入专户管理的非税收入. An officer who enters the money on the children only leaves the
parent empty; the window, the scores and the printed form then use the children's sum
for it, marked as computed. A parent the officer filled is never replaced: when it
disagrees with its children, 审核 says so (budget_identity).
Pure Python: no Qt.
"""

from __future__ import annotations

from perfdesk.model.document import SOURCE_PARENT, Amounts, Budget


def _children(budget: Budget, part: str, key: str) -> list[Amounts]:
    """The rows a parent row is the sum of (themselves as shown, so sums nest)."""
    if part == "total":
        nature = [budget.basic, shown_amounts(budget, "project")[0]]
        if any(not a.is_empty() for a in nature):
            return nature
        top = [shown_amounts(budget, "sources", k)[0] for k in budget.sources if SOURCE_PARENT.get(k) is None]
        return top or [a for k, a in budget.sources.items() if SOURCE_PARENT.get(k) == "appropriation"]
    if part == "project":
        return [line.amounts for line in budget.project_lines]
    if part == "sources":
        return [a for k, a in budget.sources.items() if SOURCE_PARENT.get(k) == key]
    return []


def shown_amounts(budget: Budget, part: str, key: str = "") -> tuple[Amounts, frozenset[str]]:
    """(the row's figures, the columns computed from its children) for ``part`` = total / basic /
    project / sources (with ``key``) / lines (``key`` = index)."""
    if part == "lines":
        return budget.project_lines[int(key)].amounts, frozenset()
    if part == "sources":
        stated = budget.sources.get(key) or Amounts()
    else:
        stated = getattr(budget, part)
    children = _children(budget, part, key)
    shown = Amounts(stated.initial_budget, stated.annual_budget, stated.spent)
    computed = set()
    for column in Amounts.COLUMNS:
        if getattr(stated, column) is not None:
            continue
        values = [getattr(child, column) for child in children]
        if any(v is not None for v in values):
            setattr(shown, column, sum(v or 0 for v in values))
            computed.add(column)
    return shown, frozenset(computed)


def shown_total(budget: Budget) -> Amounts:
    """资金总额 / 年度资金总额 as shown: stated, else the sum of its parts."""
    return shown_amounts(budget, "total")[0]
