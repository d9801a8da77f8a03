"""Operations on the document: 单位信息, the list of projects, whole forms replaced; 新建下一年度."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from perfdesk.model.document import Document, Evaluation, EvaluationKind, new_uid
from perfdesk.model.places import Place
from perfdesk.ops import fields
from perfdesk.ops.base import OpError, batch, evaluation
from perfdesk.ops.changes import Changes, ListEdit
from perfdesk.scoring.rules import adopt_rule_set


@dataclass(frozen=True)
class SetProfileField:
    """A field of 单位信息 (``name``, ``year`` …) or the 定稿 mark (``final``)."""

    field: str
    value: Any

    def label(self, doc: Document) -> str:
        return f"修改{fields.PROFILE_FIELD_LABELS.get(self.field, self.field)}"

    def apply(self, doc: Document):
        try:
            old = fields.get_profile_field(doc, self.field)
        except KeyError:
            raise OpError(f"单位信息没有“{self.field}”这一栏") from None
        probe = Document(year=doc.year, final=doc.final)
        try:
            fields.set_profile_field(probe, self.field, self.value)  # parses and validates
        except ValueError as exc:
            raise OpError(str(exc)) from None
        new = fields.get_profile_field(probe, self.field)
        if new == old:
            return Changes(), self
        fields.set_profile_field(doc, self.field, new)
        changes = Changes(places=[Place(None, None, self.field)], profile={self.field},
                          evaluations={doc.unit_evaluation.uid})
        return changes, SetProfileField(self.field, old)


def _project_row(doc: Document, ev: Evaluation) -> int:
    return 1 + next(i for i, p in enumerate(doc.projects) if p is ev)


@dataclass(frozen=True)
class InsertProject:
    """Add a project evaluation at ``index`` among the projects."""

    index: int
    project: Evaluation
    text: str = ""

    def label(self, doc: Document) -> str:
        return self.text or f"添加项目“{self.project.name or '（未命名）'}”"

    def apply(self, doc: Document):
        if self.project.kind is not EvaluationKind.PROJECT:
            raise OpError("只能添加项目支出绩效自评表")
        if doc.find_evaluation(self.project.uid) is not None:
            raise OpError("该项目已在文档中")
        if not 0 <= self.index <= len(doc.projects):
            raise OpError("插入位置无效")
        doc.projects.insert(self.index, self.project)
        adopt_rule_set(doc, self.project)  # scored by the document's 评价规则 like every other form
        changes = Changes(evaluations={self.project.uid},
                          lists=[ListEdit("insert", self.index + 1, self.project)])
        return changes, RemoveProject(self.project.uid, self.text)


@dataclass(frozen=True)
class RemoveProject:
    project: int
    text: str = ""

    def label(self, doc: Document) -> str:
        ev = doc.find_evaluation(self.project)
        return f"删除项目“{(ev.name if ev else '') or '（未命名）'}”"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.project)
        if ev is doc.unit_evaluation:
            raise OpError("部门整体表不能删除")
        row = _project_row(doc, ev)
        doc.projects.pop(row - 1)
        changes = Changes(evaluations={ev.uid}, lists=[ListEdit("remove", row, ev)])
        return changes, InsertProject(row - 1, ev, self.text)


@dataclass(frozen=True)
class MoveProject:
    """Move a project to ``index`` among the projects."""

    project: int
    index: int

    def label(self, doc: Document) -> str:
        ev = doc.find_evaluation(self.project)
        return f"移动项目“{(ev.name if ev else '') or '（未命名）'}”"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.project)
        if ev is doc.unit_evaluation:
            raise OpError("部门整体表不能移动")
        if not 0 <= self.index < len(doc.projects):
            raise OpError("无法移动到该位置")
        old = _project_row(doc, ev) - 1
        if old == self.index:
            return Changes(), self
        doc.projects.pop(old)
        doc.projects.insert(self.index, ev)
        changes = Changes(lists=[ListEdit("move", self.index + 1, ev, old_row=old + 1)])
        return changes, MoveProject(self.project, old)


@dataclass(frozen=True)
class ReplaceEvaluation:
    """Put ``replacement`` in the place of the evaluation ``evaluation`` (unit form or a project)."""

    evaluation: int
    replacement: Evaluation
    text: str = ""

    def label(self, doc: Document) -> str:
        return self.text or "替换表格"

    def apply(self, doc: Document):
        old = evaluation(doc, self.evaluation)
        new = self.replacement
        if new.kind is not old.kind:
            raise OpError("部门整体表只能由部门整体表替换，项目表只能由项目表替换")
        if new is not old and doc.find_evaluation(new.uid) is not None:
            raise OpError("该表格已在文档中")
        if old is doc.unit_evaluation:
            doc.unit_evaluation = new
            row = 0
        else:
            row = _project_row(doc, old)
            doc.projects[row - 1] = new
        adopt_rule_set(doc, new)
        changes = Changes(evaluations={old.uid, new.uid}, lists=[ListEdit("replace", row, new, old=old)])
        return changes, ReplaceEvaluation(new.uid, old, self.text)


# --- copies ------------------------------------------------------------------------------------

def clone_evaluation(ev: Evaluation) -> Evaluation:
    """A deep copy with fresh uids (evaluation and indicators)."""
    copied = copy.deepcopy(ev)
    copied.uid = new_uid()
    for node in copied.walk():
        node.uid = new_uid()
    return copied


def duplicate_project(doc: Document, ev_uid: int) -> InsertProject:
    ev = evaluation(doc, ev_uid)
    if ev is doc.unit_evaluation:
        raise OpError("部门整体表不能复制为项目")
    copied = clone_evaluation(ev)
    copied.name = f"{ev.name}（副本）"
    return InsertProject(_project_row(doc, ev), copied, f"复制项目“{ev.name or '（未命名）'}”")


def copy_document(doc: Document) -> Document:
    """A deep copy with fresh uids throughout."""
    new = copy.deepcopy(doc)
    for ev in new.evaluations():
        ev.uid = new_uid()
        for node in ev.walk():
            node.uid = new_uid()
    return new


# --- 新建下一年度 -------------------------------------------------------------------------------

def next_year_operations(doc: Document):
    """The operations that turn a copy of last year's document into this year's starting point.

    Cleared: actual values, score overrides, tiers, deviation notes, a target's 年初指标值 and
    调整原因 (the adjusted target is next year's starting point), narrative and goals'
    实际完成情况, stated totals/grades/execution figures, every budget figure (last year's
    money is not this year's: carried over, it would print as this year's unmarked),
    target rows' actual values and progress, the 定稿 mark. Kept: the structure (indicators,
    budget lines and sources), targets, weights, rules, methods, 预期目标.
    """
    from perfdesk.ops.evaluations import SetEvaluationField
    from perfdesk.ops.indicators import SetIndicatorField

    ops: list = [SetProfileField("year", (doc.year or 0) + 1 if doc.year else 0), SetProfileField("final", False)]
    for ev in doc.evaluations():
        u = ev.uid
        for node in ev.walk():
            for field, empty in (("actual", ""), ("score", None), ("tier", None), ("deviation_note", ""),
                                 ("initial_target", ""), ("adjust_reason", "")):  # this year's adjustment
                ops.append(SetIndicatorField(u, node.uid, field, empty))
        for key in list(ev.narrative):
            ops.append(SetEvaluationField(u, f"narrative.{key}", ""))
        ops.append(SetEvaluationField(u, "goals.achieved", ""))
        ops.append(SetEvaluationField(u, "stated_total", None))
        ops.append(SetEvaluationField(u, "stated_grade", None))
        if ev.execution is not None:
            ops.append(SetEvaluationField(u, "execution.stated_rate", None))
            ops.append(SetEvaluationField(u, "execution.stated_score", None))
        budget = ev.budget
        paths = ["budget.total", "budget.basic", "budget.project"]
        paths += [f"budget.sources.{key}" for key in budget.sources]
        paths += [f"budget.lines.{i}" for i in range(len(budget.project_lines))]
        for prefix in paths:  # last year's money is not this year's: the rows stay, the figures go
            for column in ("initial_budget", "annual_budget", "spent"):
                ops.append(SetEvaluationField(u, f"{prefix}.{column}", None))
        for i in range(len(ev.target_rows)):
            ops.append(SetEvaluationField(u, f"target_rows.{i}.actual", ""))
            ops.append(SetEvaluationField(u, f"target_rows.{i}.stated_progress", None))
    return batch(ops, "新建下一年度")


def next_year(doc: Document) -> Document:
    """新建下一年度: a new document for year + 1 (the original is not changed)."""
    new = copy_document(doc)
    next_year_operations(new).apply(new)
    return new
