"""单位信息 / 项目信息: the profile of the unit (or the project's information) and the stated total."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QFrame, QLabel, QLineEdit, QScrollArea, QWidget

from perfdesk.model.document import Evaluation, EvaluationKind
from perfdesk.model.layouts import layout_of
from perfdesk.ops import fields
from perfdesk.scoring import format_score
from perfdesk.ui.spreadsheet import FieldBinder, plain_text_edit


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)


class InfoTab(QScrollArea):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        form = QFormLayout(body)
        form.setLabelAlignment(Qt.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.binders: list[FieldBinder] = []
        self.widgets: dict[str, QWidget] = {}
        doc = session.doc
        if ev.kind is EvaluationKind.UNIT:
            for field in ("name", "code", "supervisor", "year"):
                self._line(form, fields.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: "" if f == "year" and not doc.year else str(fields.get_profile_field(doc, f)),
                           lambda text, f=field: session.set_profile_field(f, text))
            for field in ("functions", "organisation"):
                self._text(form, fields.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: fields.get_profile_field(doc, f),
                           lambda text, f=field: session.set_profile_field(f, text))
            for field in ("leader", "finance_leader", "preparer", "phone"):
                self._line(form, fields.PROFILE_FIELD_LABELS[field], field,
                           lambda f=field: fields.get_profile_field(doc, f),
                           lambda text, f=field: session.set_profile_field(f, text))
            self.final_box = QCheckBox(tr("定稿（打印时不再加“草稿”字样）"))
            self.final_box.setObjectName("field:final")
            self.final_box.setChecked(doc.final)
            self.final_box.clicked.connect(lambda checked: session.set_profile_field("final", bool(checked)))
            form.addRow("", self.final_box)
            self.widgets["final"] = self.final_box
        else:
            self._line(form, tr("项目名称"), "name", lambda: ev.name,
                       lambda text: session.rename_project(ev, text))
            for field, label in fields.PROJECT_INFO_LABELS.items():
                self._line(form, tr(label), f"project.{field}",
                           lambda f=field: fields.get_evaluation_field(ev, f"project.{f}"),
                           lambda text, f=field: session.set_evaluation_field(ev, f"project.{f}", text))
        self._line(form, tr("填报总分（表上所写）"), "stated_total",
                   lambda: format_score(ev.stated_total),
                   lambda text: session.set_evaluation_field(ev, "stated_total", text))
        self._line(form, tr("填报等级（表上所写）"), "stated_grade",
                   lambda: ev.stated_grade or "",
                   lambda text: session.set_evaluation_field(ev, "stated_grade", text))
        layout = layout_of(ev.layout, ev.kind.value)
        note = QLabel(tr("表样：%1（%2）").replace("%1", layout.title).replace("%2", ev.template or layout.id))
        note.setStyleSheet("color: #6b7280;")
        form.addRow("", note)
        self.setWidget(body)

    def _line(self, form, label, key, getter, setter):
        edit = QLineEdit()
        edit.returnPressed.connect(edit.focusNextChild)  # Enter moves on to the next field, as Tab
        edit.setObjectName(f"field:{key}")
        form.addRow(tr(label), edit)
        self.widgets[key] = edit
        self.binders.append(FieldBinder(edit, getter, setter, self.session, self))

    def _text(self, form, label, key, getter, setter):
        edit = plain_text_edit(70)
        edit.setObjectName(f"field:{key}")
        form.addRow(tr(label), edit)
        self.widgets[key] = edit
        self.binders.append(FieldBinder(edit, getter, setter, self.session, self))

    def refresh(self):
        for binder in self.binders:
            binder.refresh()
        box = self.widgets.get("final")
        if box is not None and box.isChecked() != self.session.doc.final:
            box.setChecked(self.session.doc.final)

    def commit(self):
        for binder in self.binders:
            binder.commit()
