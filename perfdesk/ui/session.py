"""One open document: the model, its undo stack, cached scores and findings, and its Qt models.

Every change goes through ``apply(operation)``: the operation (perfdesk.ops, Qt-free)
validates and changes the document and says what changed; the session then puts one
undo command on the stack — the only place undo commands are made — and tells the Qt
models, which replay the structural edits on their mirrors and emit ``dataChanged``
for exactly the cells whose content changed. Undo applies the inverse operation; redo
applies the operation again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from perfdesk import ops
from perfdesk.checks import Finding, check_evaluation
from perfdesk.model.document import Document, Evaluation, Indicator
from perfdesk.ops import Changes, OpError
from perfdesk.scoring import EvaluationScore, score_evaluation


class DocumentSession(QObject):
    """The document being edited and everything derived from it."""

    # after any change of an evaluation (its uid)
    evaluationChanged = Signal(object)
    # after projects were added, removed, moved or replaced
    projectsChanged = Signal()
    # after a field of 单位信息 changed (its name)
    profileChanged = Signal(str)
    # after every applied change, undo and redo included (the Changes)
    changesApplied = Signal(object)
    # a malformed entry was refused (Chinese message); the window shows it
    errorReported = Signal(str)

    def __init__(self, doc: Document, path: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.forced_dirty = False  # e.g. restored from a recovery file
        self._scores: dict[int, EvaluationScore] = {}
        self._findings: dict[int, list[Finding]] = {}
        self._models: dict[tuple[str, int], Any] = {}
        self._list_model = None

    def report_error(self, message: str) -> None:
        self.errorReported.emit(message)

    # --- derived data ----------------------------------------------------------------
    def score(self, ev: Evaluation) -> EvaluationScore:
        cached = self._scores.get(ev.uid)
        if cached is None:
            cached = self._scores[ev.uid] = score_evaluation(ev)
        return cached

    def findings(self, ev: Evaluation) -> list[Finding]:
        cached = self._findings.get(ev.uid)
        if cached is None:
            cached = self._findings[ev.uid] = check_evaluation(ev, self.score(ev))
        if ev is self.doc.unit_evaluation and ev.budget.project_lines:
            # across forms (the unit's 项目支出 lines against the projects): cheap, never cached,
            # so a change in a project's form shows on the unit form at once
            from perfdesk.checks.document import check_project_lines

            return cached + check_project_lines(self.doc)
        return cached

    def all_findings(self) -> list[Finding]:
        out: list[Finding] = []
        for ev in self.doc.evaluations():
            if self.is_checked(ev):
                out.extend(self.findings(ev))
        return out

    def is_checked(self, ev: Evaluation) -> bool:
        return ev.is_checked()

    def is_modified(self) -> bool:
        return self.forced_dirty or not self.undo_stack.isClean()

    def mark_saved(self, path: str) -> None:
        self.path = path
        self.forced_dirty = False
        self.undo_stack.setClean()

    # --- Qt models over the document (made on first use, told about every change) -------
    def indicator_model(self, ev: Evaluation):
        return self._model("indicators", ev)

    def budget_model(self, ev: Evaluation):
        return self._model("budget", ev)

    def target_rows_model(self, ev: Evaluation):
        return self._model("target_rows", ev)

    def _model(self, kind: str, ev: Evaluation):
        model = self._models.get((kind, ev.uid))
        if model is None:
            if kind == "indicators":
                from perfdesk.ui.indicator_model import IndicatorTreeModel as cls
            elif kind == "budget":
                from perfdesk.ui.budget_model import BudgetModel as cls
            else:
                from perfdesk.ui.target_rows_model import TargetRowsModel as cls
            model = self._models[(kind, ev.uid)] = cls(self, ev, self)
        return model

    def evaluation_list_model(self):
        if self._list_model is None:
            from perfdesk.ui.evaluation_list import EvaluationListModel

            self._list_model = EvaluationListModel(self, self)
        return self._list_model

    # --- the one path of every change ------------------------------------------------------
    def apply(self, operation) -> Changes:
        """Apply ``operation`` as one undo step. Raises ``OpError`` (nothing changed) when refused.

        An operation that changes nothing adds no undo step.
        """
        if self.doc.final and not _unfinalises(operation):
            raise OpError("文档已定稿，不能修改。如需修改，请先在单位信息中取消“定稿”。")
        label = operation.label(self.doc)
        changes, inverse = operation.apply(self.doc)
        if not changes.empty:
            self.undo_stack.push(_OperationCommand(self, label, operation, inverse, changes))
        return changes

    def try_apply(self, operation) -> bool:
        """``apply``, with a refusal shown to the officer: True when something changed."""
        try:
            return not self.apply(operation).empty
        except OpError as exc:
            self.report_error(str(exc))
            return False

    def _run(self, operation) -> tuple[Changes, Any]:
        """Undo/redo: apply an operation recorded on the stack (it applied, so its inverse applies)."""
        changes, inverse = operation.apply(self.doc)
        self.notify(changes)
        return changes, inverse

    def notify(self, changes: Changes) -> None:
        """Bring scores, findings and the Qt models up to date after ``changes``."""
        for uid in changes.evaluations:
            self._scores.pop(uid, None)
            self._findings.pop(uid, None)
        for edit in changes.tree:
            model = self._models.get(("indicators", edit.evaluation))
            if model is not None:
                model.apply_tree_edit(edit)
        for edit in changes.rows:
            kind = "budget" if edit.table == "budget.lines" else "target_rows"
            model = self._models.get((kind, edit.evaluation))
            if model is not None:
                model.apply_row_edit(edit)
        if self._list_model is not None:
            for edit in changes.lists:
                self._list_model.apply_list_edit(edit)
        for (kind, uid), model in self._models.items():
            if uid in changes.evaluations:
                model.refresh()
        if self._list_model is not None:
            self._list_model.refresh()
        if changes.lists:
            self.projectsChanged.emit()
        for field in sorted(changes.profile):
            self.profileChanged.emit(field)
        for uid in changes.evaluations:
            self.evaluationChanged.emit(uid)
        self.changesApplied.emit(changes)

    # --- the edits the widgets make, as operations ----------------------------------------------
    def set_indicator_field(self, ev: Evaluation, indicator: Indicator, field: str, value: Any) -> bool:
        """Apply one cell edit; raises OpError (Chinese) when malformed. True when it changed."""
        return not self.apply(ops.SetIndicatorField(ev.uid, indicator.uid, field, value)).empty

    def set_evaluation_field(self, ev: Evaluation, path: str, value: Any) -> bool:
        return not self.apply(ops.SetEvaluationField(ev.uid, path, value)).empty

    def rename_project(self, ev: Evaluation, name: str) -> bool:
        return not self.apply(ops.rename_project(ev.uid, name)).empty

    def set_profile_field(self, field: str, value: Any) -> bool:
        return not self.apply(ops.SetProfileField(field, value)).empty


def _unfinalises(operation) -> bool:
    """The one change a 定稿 document accepts: taking the 定稿 mark off."""
    return (isinstance(operation, ops.SetProfileField) and operation.field == "final"
            and operation.value in (False, 0, "0", "", "否", "false", "False"))


class _OperationCommand(QUndoCommand):
    """One undo step: redo applies the operation, undo applies its inverse."""

    def __init__(self, session: DocumentSession, label: str, operation, inverse, changes: Changes):
        super().__init__(label)
        self.session = session
        self.operation, self.inverse = operation, inverse
        self._pending = changes  # already applied by DocumentSession.apply: announce on first redo

    def redo(self):
        if self._pending is not None:
            changes, self._pending = self._pending, None
            self.session.notify(changes)
            return
        _changes, self.inverse = self.session._run(self.operation)

    def undo(self):
        _changes, self.operation = self.session._run(self.inverse)
