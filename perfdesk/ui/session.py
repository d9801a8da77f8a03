"""One open document: the model, its undo stack, cached scores and findings.

Every edit goes through an undo command that calls a function of
``perfdesk.editing``; after it the session recomputes the evaluation's score
and findings (cheap) and tells the item models, which emit ``dataChanged`` for
exactly the cells whose content changed.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from perfdesk import editing
from perfdesk.checks import Finding, check_evaluation
from perfdesk.model.document import Document, Evaluation, EvaluationKind, Indicator
from perfdesk.scoring import EvaluationScore, score_evaluation


def tr(text: str) -> str:
    return QCoreApplication.translate("session", text)


class DocumentSession(QObject):
    """The document being edited and everything derived from it."""

    # emitted after any edit of an evaluation (uid), or of the document (None)
    evaluationChanged = Signal(object)
    # emitted after projects were added, removed or moved
    projectsChanged = Signal()
    # emitted after a document-level field (profile) changed
    profileChanged = Signal(str)
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
        self._indicator_models: dict[int, Any] = {}
        self._list_model = None

    def report_error(self, message: str) -> None:
        self.errorReported.emit(message)

    # --- derived data --------------------------------------------------------------
    def score(self, ev: Evaluation) -> EvaluationScore:
        cached = self._scores.get(ev.uid)
        if cached is None:
            cached = self._scores[ev.uid] = score_evaluation(ev)
        return cached

    def findings(self, ev: Evaluation) -> list[Finding]:
        cached = self._findings.get(ev.uid)
        if cached is None:
            cached = self._findings[ev.uid] = check_evaluation(ev, self.score(ev))
        return cached

    def all_findings(self) -> list[Finding]:
        out: list[Finding] = []
        for ev in self.doc.evaluations():
            if self.is_checked(ev):
                out.extend(self.findings(ev))
        return out

    def is_checked(self, ev: Evaluation) -> bool:
        """A document of project forms only has no unit form to check."""
        return not (ev.kind is EvaluationKind.UNIT and not ev.indicators and ev.execution is None)

    def is_modified(self) -> bool:
        return self.forced_dirty or not self.undo_stack.isClean()

    def mark_saved(self, path: str) -> None:
        self.path = path
        self.forced_dirty = False
        self.undo_stack.setClean()

    def invalidate(self, ev: Evaluation | None) -> None:
        if ev is None:
            self._scores.clear()
            self._findings.clear()
        else:
            self._scores.pop(ev.uid, None)
            self._findings.pop(ev.uid, None)

    def touched(self, ev: Evaluation | None) -> None:
        """Recompute after an edit and notify the views."""
        self.invalidate(ev)
        if ev is not None:
            model = self._indicator_models.get(ev.uid)
            if model is not None:
                model.refresh()
        if self._list_model is not None:
            self._list_model.refresh()
        self.evaluationChanged.emit(None if ev is None else ev.uid)

    # --- models ---------------------------------------------------------------------
    def indicator_model(self, ev: Evaluation):
        model = self._indicator_models.get(ev.uid)
        if model is None:
            from perfdesk.ui.indicator_model import IndicatorTreeModel

            model = self._indicator_models[ev.uid] = IndicatorTreeModel(self, ev, self)
        return model

    def evaluation_list_model(self):
        if self._list_model is None:
            from perfdesk.ui.evaluation_list import EvaluationListModel

            self._list_model = EvaluationListModel(self, self)
        return self._list_model

    # --- edits (validated, then pushed as undo commands) ---------------------------------
    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def set_indicator_field(self, ev: Evaluation, indicator: Indicator, field: str, value: Any) -> bool:
        """Validate and apply one cell edit; raises ValueError (Chinese) when malformed."""
        new = editing.parse_indicator_value(field, value)
        if new == editing.get_indicator_field(indicator, field):
            return False
        self.push(SetIndicatorField(self, ev, indicator, field, new))
        return True

    def set_evaluation_field(self, ev: Evaluation, path: str, value: Any) -> bool:
        new = editing.parse_evaluation_value(path, value)
        if new == editing.get_evaluation_field(ev, path):
            return False
        self.push(SetEvaluationField(self, ev, path, new))
        return True

    def rename_project(self, ev: Evaluation, name: str) -> bool:
        probe = Evaluation(name=ev.name)
        editing.rename_project(probe, name)  # validates
        if probe.name == ev.name:
            return False
        self.push(RenameProject(self, ev, probe.name))
        return True

    def set_profile_field(self, field: str, value: Any) -> bool:
        probe = Document(year=self.doc.year, final=self.doc.final)
        editing.set_profile_field(probe, field, value)  # validates
        new = editing.get_profile_field(probe, field)
        if new == editing.get_profile_field(self.doc, field):
            return False
        self.push(SetProfileField(self, field, new))
        return True


# --- undo commands ----------------------------------------------------------------------

class _Command(QUndoCommand):
    def __init__(self, session: DocumentSession, text: str):
        super().__init__(text)
        self.session = session


class SetIndicatorField(_Command):
    def __init__(self, session, ev: Evaluation, indicator: Indicator, field: str, value):
        label = editing.INDICATOR_FIELD_LABELS.get(field, field)
        super().__init__(session, tr("修改“%1”的%2").replace("%1", indicator.name or tr("（未命名）"))
                         .replace("%2", label))
        self.ev, self.indicator, self.field, self.new = ev, indicator, field, value
        self.old = None

    def redo(self):
        self.old = editing.set_indicator_field(self.indicator, self.field, self.new)
        self.session.touched(self.ev)

    def undo(self):
        editing.set_indicator_field(self.indicator, self.field, self.old)
        self.session.touched(self.ev)


_EVAL_FIELD_LABELS = {
    "name": "项目名称", "stated_total": "填报总分", "stated_grade": "填报等级",
    "goals.expected": "预期目标", "goals.achieved": "实际完成情况",
    "execution.weight": "预算执行率分值", "execution.stated_rate": "填报执行率",
    "execution.stated_score": "填报执行率得分",
}


def evaluation_field_label(path: str) -> str:
    from perfdesk.model.document import PROJECT_NARRATIVE, SOURCE_LABELS, UNIT_NARRATIVE

    if path in _EVAL_FIELD_LABELS:
        return _EVAL_FIELD_LABELS[path]
    head, _, rest = path.partition(".")
    if head == "target_rows":
        return "绩效目标实现情况"
    if head == "narrative":
        return UNIT_NARRATIVE.get(rest) or PROJECT_NARRATIVE.get(rest) or rest
    if head == "project":
        return editing.PROJECT_INFO_LABELS.get(rest, rest)
    if head == "budget":
        parts = rest.split(".")
        column = editing.AMOUNT_COLUMN_LABELS.get(parts[-1], "名称")
        row = {"total": "资金总额", "basic": "基本支出", "project": "项目支出"}.get(parts[0])
        if parts[0] == "sources":
            row = SOURCE_LABELS.get(parts[1], parts[1])
        elif parts[0] == "lines":
            row = "项目行"
        return f"{row}{column}"
    return path


class SetEvaluationField(_Command):
    def __init__(self, session, ev: Evaluation, path: str, value):
        super().__init__(session, tr("修改%1").replace("%1", evaluation_field_label(path)))
        self.ev, self.path, self.new = ev, path, value
        self.old = None

    def redo(self):
        self.old = editing.set_evaluation_field(self.ev, self.path, self.new)
        self._notify()

    def undo(self):
        editing.set_evaluation_field(self.ev, self.path, self.old)
        self._notify()

    def _notify(self):
        self.session.touched(self.ev)
        if self.path.startswith("budget.lines") or self.path == "name":
            self.session.projectsChanged.emit()


class SetProfileField(_Command):
    def __init__(self, session, field: str, value):
        super().__init__(session, tr("修改%1").replace("%1", editing.PROFILE_FIELD_LABELS.get(field, field)))
        self.field, self.new = field, value
        self.old = None

    def redo(self):
        self.old = editing.set_profile_field(self.session.doc, self.field, self.new)
        self._notify()

    def undo(self):
        editing.set_profile_field(self.session.doc, self.field, self.old)
        self._notify()

    def _notify(self):
        self.session.profileChanged.emit(self.field)
        self.session.touched(self.session.doc.unit_evaluation)


class InsertIndicator(_Command):
    def __init__(self, session, ev, parent: Indicator | None, index: int, indicator: Indicator, text: str):
        super().__init__(session, text)
        self.ev, self.parent, self.index, self.indicator = ev, parent, index, indicator

    def redo(self):
        self.session.indicator_model(self.ev).insert_node(self.parent, self.index, self.indicator)
        self.session.touched(self.ev)

    def undo(self):
        self.session.indicator_model(self.ev).remove_node(self.indicator)
        self.session.touched(self.ev)


class DeleteIndicator(_Command):
    def __init__(self, session, ev, indicator: Indicator):
        super().__init__(session, tr("删除指标“%1”").replace("%1", indicator.name or tr("（未命名）")))
        self.ev, self.indicator = ev, indicator
        self.parent, self.index = editing.position(ev, indicator)

    def redo(self):
        self.session.indicator_model(self.ev).remove_node(self.indicator)
        self.session.touched(self.ev)

    def undo(self):
        self.session.indicator_model(self.ev).insert_node(self.parent, self.index, self.indicator)
        self.session.touched(self.ev)


class RelocateIndicator(_Command):
    """Move up/down, indent, outdent: all are a relocation to (parent, index)."""

    def __init__(self, session, ev, indicator: Indicator, parent: Indicator | None, index: int, text: str):
        super().__init__(session, text)
        self.ev, self.indicator, self.target = ev, indicator, (parent, index)
        self.back = editing.position(ev, indicator)

    def redo(self):
        self.session.indicator_model(self.ev).move_node(self.indicator, *self.target)
        self.session.touched(self.ev)

    def undo(self):
        self.session.indicator_model(self.ev).move_node(self.indicator, *self.back)
        self.session.touched(self.ev)


class AddProject(_Command):
    def __init__(self, session, ev: Evaluation, index: int, text: str):
        super().__init__(session, text)
        self.ev, self.index = ev, index

    def redo(self):
        self.session.evaluation_list_model().insert_project(self.index, self.ev)
        self.session.projectsChanged.emit()
        self.session.touched(self.ev)

    def undo(self):
        self.session.evaluation_list_model().remove_project(self.ev)
        self.session.projectsChanged.emit()
        self.session.touched(None)


class DeleteProject(_Command):
    def __init__(self, session, ev: Evaluation):
        super().__init__(session, tr("删除项目“%1”").replace("%1", ev.name or tr("（未命名）")))
        self.ev = ev
        self.index = session.doc.projects.index(ev)

    def redo(self):
        self.session.evaluation_list_model().remove_project(self.ev)
        self.session.projectsChanged.emit()
        self.session.touched(None)

    def undo(self):
        self.session.evaluation_list_model().insert_project(self.index, self.ev)
        self.session.projectsChanged.emit()
        self.session.touched(self.ev)


class MoveProject(_Command):
    def __init__(self, session, ev: Evaluation, index: int):
        super().__init__(session, tr("移动项目“%1”").replace("%1", ev.name or tr("（未命名）")))
        self.ev, self.index = ev, index
        self.old = session.doc.projects.index(ev)

    def redo(self):
        self.session.evaluation_list_model().move_project(self.ev, self.index)
        self.session.projectsChanged.emit()

    def undo(self):
        self.session.evaluation_list_model().move_project(self.ev, self.old)
        self.session.projectsChanged.emit()


class RenameProject(_Command):
    def __init__(self, session, ev: Evaluation, name: str):
        super().__init__(session, tr("重命名项目“%1”").replace("%1", ev.name or tr("（未命名）")))
        self.ev, self.new = ev, name
        self.old = ev.name

    def redo(self):
        editing.rename_project(self.ev, self.new)
        self._notify()

    def undo(self):
        self.ev.name = self.old
        self._notify()

    def _notify(self):
        self.session.projectsChanged.emit()
        self.session.touched(self.ev)


class BudgetLineCommand(_Command):
    """Insert (line given) or delete (line None) a 项目支出 line of the budget."""

    def __init__(self, session, ev: Evaluation, index: int, insert: bool, text: str):
        super().__init__(session, text)
        self.ev, self.index, self.insert = ev, index, insert
        self.line = None if insert else ev.budget.project_lines[index]

    def _apply(self, insert: bool):
        if insert:
            self.line = editing.insert_budget_line(self.ev, self.index, self.line)
        else:
            self.line = editing.delete_budget_line(self.ev, self.index)
        self.session.projectsChanged.emit()
        self.session.touched(self.ev)

    def redo(self):
        self._apply(self.insert)

    def undo(self):
        self._apply(not self.insert)


class TargetRowCommand(_Command):
    """Insert (insert=True) or delete a row of 绩效目标实现情况."""

    def __init__(self, session, ev: Evaluation, index: int, insert: bool, text: str):
        super().__init__(session, text)
        self.ev, self.index, self.insert = ev, index, insert
        self.row = None if insert else ev.target_rows[index]

    def _apply(self, insert: bool):
        if insert:
            self.row = editing.insert_target_row(self.ev, self.index, self.row)
        else:
            self.row = editing.delete_target_row(self.ev, self.index)
        self.session.touched(self.ev)

    def redo(self):
        self._apply(self.insert)

    def undo(self):
        self._apply(not self.insert)


def _has_content(ev: Evaluation) -> bool:
    return bool(ev.indicators or ev.execution is not None or not ev.budget.total.is_empty()
                or ev.narrative or ev.goals.expected)


class ImportDocument(_Command):
    """Bring an imported document in: its unit form replaces ours (when it has one), its projects are added."""

    def __init__(self, session, imported: Document, text: str):
        super().__init__(session, text)
        import copy

        doc = session.doc
        self.replace_unit = _has_content(imported.unit_evaluation)
        self.new_unit, self.old_unit = imported.unit_evaluation, doc.unit_evaluation
        self.new_profile = copy.copy(imported.unit) if imported.unit.name else None
        self.old_profile = copy.copy(doc.unit)
        self.new_year = imported.year or doc.year
        self.old_year = doc.year
        self.added = list(imported.projects)

    def _apply(self, forward: bool) -> None:
        doc = self.session.doc
        model = self.session.evaluation_list_model()
        model.beginResetModel()
        if forward:
            if self.replace_unit:
                doc.unit_evaluation = self.new_unit
            if self.new_profile is not None:
                doc.unit = self.new_profile
            doc.year = self.new_year
            doc.projects.extend(self.added)
        else:
            doc.unit_evaluation = self.old_unit
            doc.unit = self.old_profile
            doc.year = self.old_year
            for ev in self.added:
                doc.projects.remove(ev)
        model.resync()
        model.endResetModel()
        self.session.projectsChanged.emit()
        self.session.profileChanged.emit("")
        self.session.touched(None)

    def redo(self):
        self._apply(True)

    def undo(self):
        self._apply(False)


class CallbackCommand(_Command):
    """A command from two callables (used for whole-document replacements)."""

    def __init__(self, session, text: str, do: Callable[[], None], undo: Callable[[], None]):
        super().__init__(session, text)
        self._do, self._undo = do, undo

    def redo(self):
        self._do()

    def undo(self):
        self._undo()
