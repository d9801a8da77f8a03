"""导入预算执行数: a 决算 table's figures into every evaluation's budget, as one operation (issue 17).

Each row of the table (``exchange.budget_figures``) goes to the project it names: by 项目编码 when
both have one, else by name (spaces and full-width brackets ignored; a name that contains, or is
contained in, exactly one project's name is taken too, and said so). The project's 资金总额 row
gets the figures the table gives (年初预算数, 全年预算数, 全年执行数); a figure the table leaves empty
is not touched. A row naming one of the unit form's 项目支出 lines fills that line as well. Rows
that match nothing, and projects the table does not mention, are listed in the plan; nothing is
changed for them. Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfdesk.exchange.budget_figures import COLUMN_LABELS, BudgetTable
from perfdesk.model.document import Document, Evaluation
from perfdesk.ops.base import batch
from perfdesk.ops.evaluations import SetEvaluationField
from perfdesk.ops.importing import project_key


@dataclass
class BudgetFiguresPlan:
    operations: list = field(default_factory=list)
    filled: list[tuple[str, str]] = field(default_factory=list)     # (table name, our project) filled
    near: list[tuple[str, str]] = field(default_factory=list)       # matched by a name containing the other
    lines: list[str] = field(default_factory=list)                  # the unit form's 项目支出 lines filled
    not_found: list[str] = field(default_factory=list)              # table rows without a project
    not_in_table: list[str] = field(default_factory=list)           # our projects the table lacks
    unchanged: int = 0                                              # matched projects already holding these figures

    def operation(self, text: str = "导入预算执行数"):
        return batch(self.operations, text)

    def report(self) -> list[str]:
        out = [f"将填写 {len(self.filled)} 个项目的预算数与执行数"
               + (f"（另有 {self.unchanged} 个项目的数字与表中相同）" if self.unchanged else "")]
        if self.lines:
            out.append(f"部门整体表的项目支出明细：{len(self.lines)} 行（{'、'.join(self.lines[:5])}"
                       f"{'等' if len(self.lines) > 5 else ''}）")
        for table_name, ours in self.near:
            out.append(f"按名称近似匹配：表中“{table_name}” → 项目“{ours}”，请核对")
        if self.not_found:
            out.append(f"表中 {len(self.not_found)} 个名称在本文档中没有对应的项目（未填写）："
                       + "、".join(self.not_found))
        if self.not_in_table:
            out.append(f"本文档中 {len(self.not_in_table)} 个项目在表中没有找到（未改动）："
                       + "、".join(self.not_in_table))
        return out


def _code_of(ev: Evaluation) -> str:
    code, _ = project_key(ev.name)
    return code or "".join(getattr(ev.project, "code", "").split()).upper()


def _match(projects: list[Evaluation], name: str, code: str, taken: set[int]):
    """(project, near) for a table row, or (None, False)."""
    free = [p for p in projects if p.uid not in taken]
    if code:
        for p in free:
            if _code_of(p) == code:
                return p, False
    _, bare = project_key(name)
    for p in free:
        if project_key(p.name)[1] == bare:
            return p, False
    if len(bare) >= 4:
        near = [p for p in free if bare in project_key(p.name)[1] or (
            len(project_key(p.name)[1]) >= 4 and project_key(p.name)[1] in bare)]
        if len(near) == 1:
            return near[0], True
    return None, False


def plan_budget_figures(doc: Document, table: BudgetTable) -> BudgetFiguresPlan:
    """What 导入预算执行数 will do (see module doc); nothing is changed here."""
    plan = BudgetFiguresPlan()
    taken: set[int] = set()
    unit = doc.unit_evaluation
    line_keys = {project_key(line.name)[1]: i for i, line in enumerate(unit.budget.project_lines) if line.name}
    for figure in table.figures:
        ev, near = _match(doc.projects, figure.name, figure.code, taken)
        line = line_keys.get(project_key(figure.name)[1])
        if ev is None and line is None:
            plan.not_found.append(figure.name)
            continue
        if ev is not None:
            taken.add(ev.uid)
            changed = False
            for column, fen in figure.amounts.items():
                if getattr(ev.budget.total, column) != fen:
                    plan.operations.append(SetEvaluationField(ev.uid, f"budget.total.{column}", fen))
                    changed = True
            if changed:
                plan.filled.append((figure.name, ev.name))
            else:
                plan.unchanged += 1
            if near:
                plan.near.append((figure.name, ev.name))
        if line is not None:
            amounts = unit.budget.project_lines[line].amounts
            ops = [SetEvaluationField(unit.uid, f"budget.lines.{line}.{column}", fen)
                   for column, fen in figure.amounts.items() if getattr(amounts, column) != fen]
            if ops:
                plan.operations.extend(ops)
                plan.lines.append(unit.budget.project_lines[line].name)
    plan.not_in_table = [p.name or "（未命名）" for p in doc.projects if p.uid not in taken]
    return plan


def describe_columns(table: BudgetTable) -> str:
    return "、".join(COLUMN_LABELS[c] for c in table.columns)


__all__ = ["BudgetFiguresPlan", "describe_columns", "plan_budget_figures"]
