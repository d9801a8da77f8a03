"""导入预览: what an import will do to each form, chosen by the officer before anything changes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from perfdesk.model.document import EvaluationKind
from perfdesk.ops.importing import ACTION_LABELS, REPLACE, ImportPlan

HEADERS = ["导入的表格", "本文档中对应的表格", "处理方式", "说明"]


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def _leaves(ev) -> int:
    return sum(1 for _ in ev.leaves())


class ImportPreviewDialog(QDialog):
    def __init__(self, plan: ImportPlan, report: list[str], file_name: str, current_name: str,
                 current_year: int, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(tr("导入预览"))
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("“%1”中读到 %2 张表格。请为每张表格选择处理方式；确定后作为一步导入，可用 Ctrl+Z 撤销。")
                                .replace("%1", file_name).replace("%2", str(len(plan.choices)))))
        self.table = QTableWidget(len(plan.choices), len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.combos: list[QComboBox] = []
        for row, choice in enumerate(plan.choices):
            ev = choice.imported
            if ev.kind is EvaluationKind.UNIT:
                what = tr("部门整体表（%1 项指标）").replace("%1", str(_leaves(ev)))
            else:
                what = tr("项目“%1”（%2 项指标）").replace("%1", ev.name or tr("（未命名）")).replace(
                    "%2", str(_leaves(ev)))
            target = choice.target
            if target is None:
                ours = tr("（无）")
            elif target.kind is EvaluationKind.UNIT:
                ours = tr("部门整体表（%1 项指标）").replace("%1", str(_leaves(target)))
            else:
                ours = tr("项目“%1”").replace("%1", target.name)
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(ours))
            combo = QComboBox()
            for action in choice.actions():
                label = tr(ACTION_LABELS[action])
                if action == REPLACE and target is not None:
                    label = tr("替换本文档中的表格")
                combo.addItem(label, action)
            combo.setCurrentIndex(max(0, combo.findData(choice.action)))
            combo.setObjectName(f"action:{row}")
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
            reason = QTableWidgetItem(tr(choice.reason))
            reason.setToolTip(tr(choice.reason))
            self.table.setItem(row, 3, reason)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(1, 230)
        self.table.setColumnWidth(2, 170)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 2)

        self.profile_box = QCheckBox()
        self.year_box = QCheckBox()
        if plan.unit_name and plan.unit_name != current_name:
            self.profile_box.setText(tr("采用导入文件的单位信息（本文档：%1；导入文件：%2）")
                                     .replace("%1", current_name or tr("未填写")).replace("%2", plan.unit_name))
            self.profile_box.setChecked(plan.take_profile)
            layout.addWidget(self.profile_box)
        if plan.year and plan.year != current_year:
            self.year_box.setText(tr("采用导入文件的年度（本文档：%1；导入文件：%2 年度）")
                                  .replace("%1", f"{current_year} 年度" if current_year else tr("未填写"))
                                  .replace("%2", str(plan.year)))
            self.year_box.setChecked(plan.take_year)
            layout.addWidget(self.year_box)
        details = QPlainTextEdit("\n".join(report))
        details.setReadOnly(True)
        details.setMaximumBlockCount(2000)
        layout.addWidget(QLabel(tr("导入报告：")))
        layout.addWidget(details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(tr("导入"))
        buttons.button(QDialogButtonBox.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def chosen_plan(self) -> ImportPlan:
        """The plan with the officer's choices."""
        for choice, combo in zip(self.plan.choices, self.combos):
            choice.action = combo.currentData()
        if self.profile_box.text():
            self.plan.take_profile = self.profile_box.isChecked()
        if self.year_box.text():
            self.plan.take_year = self.year_box.isChecked()
        return self.plan


def confirm_import(parent, plan: ImportPlan, report: list[str], file_name: str, current_name: str,
                   current_year: int) -> ImportPlan | None:
    dialog = ImportPreviewDialog(plan, report, file_name, current_name, current_year, parent)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.chosen_plan()
    finally:
        dialog.deleteLater()

