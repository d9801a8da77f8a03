"""One evaluation's editor: the four tabs (信息, 预算, 绩效指标, 文字说明) and the 审核 jump."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget

from perfdesk.model.document import Evaluation, EvaluationKind
from perfdesk.ui.budget_tab import BudgetTab
from perfdesk.ui.indicator_model import COL_NAME, FIELD_COLUMNS
from perfdesk.ui.indicator_tab import IndicatorTab
from perfdesk.ui.info_tab import InfoTab
from perfdesk.ui.narrative_tab import NarrativeTab


def tr(text: str) -> str:
    return QCoreApplication.translate("editors", text)


TAB_INFO, TAB_BUDGET, TAB_INDICATORS, TAB_NARRATIVE = range(4)


class EvaluationEditor(QTabWidget):
    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        unit = ev.kind is EvaluationKind.UNIT
        self.info = InfoTab(session, ev)
        self.budget = BudgetTab(session, ev)
        self.indicators = IndicatorTab(session, ev)
        self.narrative = NarrativeTab(session, ev)
        self.addTab(self.info, tr("单位信息") if unit else tr("项目信息"))
        self.addTab(self.budget, tr("预算") if unit else tr("资金"))
        self.addTab(self.indicators, tr("绩效指标"))
        self.addTab(self.narrative, tr("文字说明"))
        self.setCurrentIndex(TAB_INDICATORS)
        session.evaluationChanged.connect(self._changed)
        session.profileChanged.connect(self._profile_changed)

    def _profile_changed(self, _field):
        self.info.refresh()

    def _changed(self, uid):
        if uid is None or uid == self.ev.uid:
            self.refresh()

    def refresh(self):
        self.info.refresh()
        self.budget.refresh()
        self.indicators.refresh()
        self.narrative.refresh()

    def commit(self):
        """Apply what is typed in a field that still has the focus."""
        self.info.commit()
        self.budget.commit()
        self.narrative.commit()

    def show_finding(self, finding) -> None:
        self.show_place(finding.place)

    def show_place(self, place) -> None:
        """Bring the cell or field of ``place`` (perfdesk.model.places) into view with the focus."""
        field = place.field
        if place.indicator is not None:
            node = self.ev.find(place.indicator)
            if node is not None:
                self.setCurrentIndex(TAB_INDICATORS)
                self.indicators.select(node, FIELD_COLUMNS.get(field, COL_NAME))
                return
        head = place.head
        if head == "execution":
            self.setCurrentIndex(TAB_BUDGET)
            widget = {"execution.stated_rate": self.budget.stated_rate_edit,
                      "execution.stated_score": self.budget.stated_score_edit}.get(field, self.budget.weight_edit)
            widget.setFocus()
            return
        if head == "budget":
            self.setCurrentIndex(TAB_BUDGET)
            prefix, _, column = field.rpartition(".")
            row = self.budget.model.row_of_prefix(prefix)
            columns = ("initial_budget", "annual_budget", "spent")
            col = columns.index(column) + 1 if column in columns else 0
            self.budget.table.setCurrentIndex(self.budget.model.index(max(row, 0), col))
            self.budget.table.setFocus()
            return
        if head == "target_rows" and self.indicators.target_rows is not None:
            self.setCurrentIndex(TAB_INDICATORS)
            parts = field.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                from perfdesk.ui.target_rows_model import FIELDS as ROW_FIELDS

                col = ROW_FIELDS.index(parts[2]) if parts[2] in ROW_FIELDS else 0
                self.indicators.target_rows.setCurrentIndex(
                    self.indicators.target_rows_model.index(int(parts[1]), col))
            self.indicators.target_rows.setFocus()
            return
        for tab, widgets in ((TAB_INFO, self.info.widgets), (TAB_NARRATIVE, self.narrative.widgets)):
            widget = widgets.get(field)
            if widget is not None:
                self.setCurrentIndex(tab)
                widget.setFocus()
                return
        self.setCurrentIndex(TAB_INDICATORS)
        self.indicators.view.setFocus()
