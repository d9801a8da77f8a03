"""文字说明: 年度总体目标 and the narrative sections of an evaluation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE, Evaluation, EvaluationKind
from perfdesk.ops import fields
from perfdesk.ui.spreadsheet import FieldBinder, plain_text_edit


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)


class NarrativeTab(QScrollArea):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.binders: list[FieldBinder] = []
        self.widgets: dict[str, QPlainTextEdit] = {}
        goals = QGroupBox(tr("年度总体目标"))
        grid = QGridLayout(goals)
        for col, (path, label) in enumerate((("goals.expected", tr("预期目标")),
                                             ("goals.achieved", tr("实际完成情况")))):
            grid.addWidget(QLabel(label), 0, col)
            edit = plain_text_edit(110)
            edit.setObjectName(f"field:{path}")
            grid.addWidget(edit, 1, col)
            self._bind(edit, path)
        layout.addWidget(goals)
        sections = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
        for key, title in sections.items():
            box = QGroupBox(tr(title))
            box_layout = QVBoxLayout(box)
            edit = plain_text_edit(90)
            edit.setObjectName(f"field:narrative.{key}")
            box_layout.addWidget(edit)
            self._bind(edit, f"narrative.{key}")
            layout.addWidget(box)
        layout.addStretch(1)
        self.setWidget(body)

    def _bind(self, edit, path):
        self.widgets[path] = edit
        self.binders.append(FieldBinder(
            edit, lambda: fields.get_evaluation_field(self.ev, path) or "",
            lambda text: self.session.set_evaluation_field(self.ev, path, text), self.session, self))

    def refresh(self):
        for binder in self.binders:
            binder.refresh()

    def commit(self):
        for binder in self.binders:
            binder.commit()
