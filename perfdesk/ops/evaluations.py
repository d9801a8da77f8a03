"""Operations on one evaluation's own fields and tables (everything but the indicator tree)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from perfdesk.model.document import BudgetLine, Document, Evaluation, EvaluationKind, TargetRow
from perfdesk.model.places import Place
from perfdesk.ops import fields
from perfdesk.ops.base import OpError, evaluation
from perfdesk.ops.changes import Changes, RowEdit

EVALUATION_FIELD_LABELS = {
    "name": "项目名称", "stated_total": "填报总分", "stated_grade": "填报等级",
    "execution_rounding": "执行率得分取整方式",
    "goals.expected": "预期目标", "goals.achieved": "实际完成情况",
    "execution.weight": "预算执行率分值", "execution.stated_rate": "填报执行率",
    "execution.stated_score": "填报执行率得分",
}
_BUDGET_ROW_LABELS = {"total": "资金总额", "basic": "基本支出", "project": "项目支出"}


def evaluation_field_label(path: str) -> str:
    """The Chinese name of an evaluation field, for undo steps and messages."""
    from perfdesk.model.document import PROJECT_NARRATIVE, SOURCE_LABELS, UNIT_NARRATIVE

    if path in EVALUATION_FIELD_LABELS:
        return EVALUATION_FIELD_LABELS[path]
    head, _, rest = path.partition(".")
    if head == "target_rows":
        return "绩效目标实现情况"
    if head == "narrative":
        return UNIT_NARRATIVE.get(rest) or PROJECT_NARRATIVE.get(rest) or rest
    if head == "project":
        return fields.PROJECT_INFO_LABELS.get(rest, rest)
    if head == "budget":
        try:
            row, key, column = fields.budget_cell(path)
        except KeyError:
            return path
        label = {"sources": SOURCE_LABELS.get(key, key), "lines": "项目行"}.get(row) or _BUDGET_ROW_LABELS[row]
        return label + fields.AMOUNT_COLUMN_LABELS.get(column, "名称")
    return path


def _container(ev: Evaluation, path: str):
    """The part of an evaluation a field edit may create or remove beside the value, or None.

    Setting an execution figure creates the 预算执行率 line; setting a source's figure
    creates the source; emptying a narrative section removes it. Undo puts such a part
    back exactly as it was (an exact copy of its state), not just the one value.
    """
    head = path.partition(".")[0]
    if head == "execution":
        return "execution"
    if path.startswith("budget.sources."):
        return "sources"
    if head == "narrative":
        return "narrative"
    return None


def _copy_state(ev: Evaluation, container: str):
    if container == "execution":
        return copy.deepcopy(ev.execution)
    if container == "sources":
        return {key: copy.copy(amounts) for key, amounts in ev.budget.sources.items()}
    return dict(ev.narrative)


def _put_state(ev: Evaluation, container: str, state) -> None:
    if container == "execution":
        ev.execution = copy.deepcopy(state)
    elif container == "sources":
        ev.budget.sources = {key: copy.copy(amounts) for key, amounts in state.items()}
    else:
        ev.narrative.clear()
        ev.narrative.update(state)


@dataclass(frozen=True)
class SetEvaluationField:
    """Set a field of an evaluation by its path (see perfdesk.model.places)."""

    evaluation: int
    path: str
    value: Any

    def label(self, doc: Document) -> str:
        return f"修改{evaluation_field_label(self.path)}"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        try:
            new = fields.parse_evaluation_value(self.path, self.value)
            old = fields.get_evaluation_field(ev, self.path)
        except ValueError as exc:
            raise OpError(str(exc)) from None
        except (KeyError, IndexError):
            raise OpError(f"表格没有“{self.path}”这一栏") from None
        if self.path == "name" and ev.kind is EvaluationKind.PROJECT and not str(new).strip():
            raise OpError("项目名称不能为空")
        if self.path == "name" and ev.kind is EvaluationKind.UNIT:
            raise OpError("单位名称在单位信息中修改")
        if new == old and type(new) is type(old):
            return Changes(), self
        container = _container(ev, self.path)
        before = None if container is None else _copy_state(ev, container)
        fields.set_evaluation_field(ev, self.path, new)
        changes = Changes(places=[Place(ev.uid, None, self.path)], evaluations={ev.uid})
        if container is not None:
            return changes, _RestorePart(self.evaluation, self.path, container, before)
        return changes, SetEvaluationField(self.evaluation, self.path, old)


@dataclass(frozen=True)
class _RestorePart:
    """Undo of a field edit that created or removed a part: the part's exact earlier state."""

    evaluation: int
    path: str
    container: str
    state: Any

    def label(self, doc: Document) -> str:
        return f"修改{evaluation_field_label(self.path)}"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        current = _copy_state(ev, self.container)
        _put_state(ev, self.container, self.state)
        changes = Changes(places=[Place(ev.uid, None, self.path)], evaluations={ev.uid})
        return changes, _RestorePart(self.evaluation, self.path, self.container, current)


def rename_project(ev_uid: int, name: str) -> SetEvaluationField:
    return SetEvaluationField(ev_uid, "name", str(name).strip())


# --- rows of the budget's 项目支出 lines and of 晋中's target rows --------------------------------

_TABLES = {
    "budget.lines": ("项目行", lambda ev: ev.budget.project_lines, BudgetLine),
    "target_rows": ("目标行", lambda ev: ev.target_rows, TargetRow),
}


@dataclass(frozen=True)
class InsertRow:
    """Insert a row (a new empty one when ``row`` is None) into ``table`` at ``index``."""

    evaluation: int
    table: str
    index: int
    row: Any = None

    def label(self, doc: Document) -> str:
        return f"添加{_TABLES[self.table][0]}"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        if self.table not in _TABLES:
            raise OpError(f"表格没有“{self.table}”")
        _label, rows_of, make = _TABLES[self.table]
        rows = rows_of(ev)
        if self.table == "budget.lines" and ev.kind is not EvaluationKind.UNIT:
            raise OpError("只有部门整体表有项目支出明细")
        if not 0 <= self.index <= len(rows):
            raise OpError("插入位置无效")
        row = self.row if self.row is not None else make()
        if any(r is row for r in rows):
            raise OpError("该行已在表中")
        rows.insert(self.index, row)
        changes = Changes(evaluations={ev.uid}, rows=[RowEdit("insert", ev.uid, self.table, self.index)])
        return changes, RemoveRow(self.evaluation, self.table, self.index)


@dataclass(frozen=True)
class RemoveRow:
    evaluation: int
    table: str
    index: int

    def label(self, doc: Document) -> str:
        return f"删除{_TABLES[self.table][0]}"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        if self.table not in _TABLES:
            raise OpError(f"表格没有“{self.table}”")
        rows = _TABLES[self.table][1](ev)
        if not 0 <= self.index < len(rows):
            raise OpError("请先选中要删除的行")
        row = rows.pop(self.index)
        changes = Changes(evaluations={ev.uid}, rows=[RowEdit("remove", ev.uid, self.table, self.index)])
        return changes, InsertRow(self.evaluation, self.table, self.index, row)
