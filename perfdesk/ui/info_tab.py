"""单位信息 / 项目信息: the profile of the unit (or the project's information) and the stated total."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from perfdesk.model.document import Evaluation, EvaluationKind
from perfdesk.model.layouts import layout_of
from perfdesk.ops import fields
from perfdesk.ops.rule_sets import SetRuleSet
from perfdesk.scoring import format_score
from perfdesk.scoring.rules import RuleSetError, list_rule_sets, rule_set_of, user_folder
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
            self._rule_set_row(form)
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
        if ev.kind is not EvaluationKind.UNIT:
            self.rule_set_note = QLabel()
            self.rule_set_note.setObjectName("rule_set_note")
            self.rule_set_note.setStyleSheet("color: #6b7280;")
            form.addRow(tr("评价规则"), self.rule_set_note)
        layout = layout_of(ev.layout, ev.kind.value)
        note = QLabel(tr("表样：%1（%2）").replace("%1", layout.title).replace("%2", ev.template or layout.id))
        note.setStyleSheet("color: #6b7280;")
        form.addRow("", note)
        self.setWidget(body)
        self.refresh()

    # --- 评价规则 (the whole document's; one undo step, every form rescored) -------------------------
    def _rule_set_row(self, form) -> None:
        self.rule_set_combo = QComboBox()
        self.rule_set_combo.setObjectName("field:rule_set")
        self.rule_set_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.rule_set_combo.activated.connect(self._rule_set_chosen)
        self.rule_set_problems = QLabel()
        self.rule_set_problems.setWordWrap(True)
        self.rule_set_problems.setStyleSheet("color: #a35b00;")
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.rule_set_combo)
        row.addStretch(1)
        form.addRow(tr("评价规则"), box)
        form.addRow("", self.rule_set_problems)
        self.widgets["rule_set"] = self.rule_set_combo
        self._fill_rule_sets()

    def _fill_rule_sets(self) -> None:
        """The shipped rule sets and the user's own (settings folder → 评价规则), 按模板 first."""
        doc = self.session.doc
        problems: list[str] = []
        try:
            listed = list_rule_sets(problems=problems)
        except RuleSetError as exc:  # a shipped file broken: say so, keep the window usable
            listed, problems = [], [str(exc)]
        combo = self.rule_set_combo
        combo.blockSignals(True)
        combo.clear()
        template = rule_set_of(doc.unit_evaluation) if not doc.unit_evaluation.rule_set else None
        combo.addItem(tr("按各表模板（%1）").replace("%1", template.name) if template is not None
                      else tr("按各表模板"), "")
        for rs in listed:
            label = rs.name if rs.builtin else tr("%1（自定）").replace("%1", rs.name)
            combo.addItem(label, rs.id)
            combo.setItemData(combo.count() - 1, f"{rs.name}\n{rs.source}", Qt.ToolTipRole)
        current = doc.rule_set
        index = combo.findData(current)
        if index < 0:  # chosen on another computer: a user's rule set not in this one's folder
            combo.addItem(tr("“%1”（本机没有，暂按财政部规则计分）").replace("%1", current), current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)
        folder = user_folder()
        hint = [tr("自定的评价规则放在：%1").replace("%1", str(folder))] if folder is not None else []
        self.rule_set_problems.setText("\n".join(problems + hint))
        self.rule_set_problems.setVisible(bool(problems))
        self.rule_set_combo.setToolTip("\n".join(hint + problems))

    def _rule_set_chosen(self, index: int) -> None:
        rule_set = self.rule_set_combo.itemData(index) or ""
        if rule_set != self.session.doc.rule_set:
            self.session.try_apply(SetRuleSet(rule_set))
        self._fill_rule_sets()

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
        combo = getattr(self, "rule_set_combo", None)
        if combo is not None and combo.currentData() != self.session.doc.rule_set:
            self._fill_rule_sets()
        note = getattr(self, "rule_set_note", None)
        if note is not None:
            rs = rule_set_of(self.ev)
            note.setText(tr("%1（在部门整体的单位信息中选择）").replace("%1", rs.name))
        box = self.widgets.get("final")
        if box is not None and box.isChecked() != self.session.doc.final:
            box.setChecked(self.session.doc.final)

    def commit(self):
        for binder in self.binders:
            binder.commit()
