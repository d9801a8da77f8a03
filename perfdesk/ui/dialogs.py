"""Thin wrappers around QMessageBox / QFileDialog / QInputDialog.

Tests monkeypatch these functions instead of driving modal dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

FILE_FILTER = "绩效自评文档 (*.pdesk);;所有文件 (*)"


def tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def error(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.critical(parent, title or tr("错误"), message)


def warning(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or tr("提示"), message)


def information(parent: QWidget | None, message: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or tr("提示"), message)


def ask_yes_no(parent: QWidget | None, message: str, title: str | None = None) -> bool:
    answer = QMessageBox.question(parent, title or tr("请确认"), message,
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """'save', 'discard' or 'cancel'."""
    box = QMessageBox(QMessageBox.Warning, tr("尚未保存"),
                      tr("“%1”已修改，是否保存修改？").replace("%1", name), parent=parent)
    save = box.addButton(tr("保存"), QMessageBox.AcceptRole)
    discard = box.addButton(tr("不保存"), QMessageBox.DestructiveRole)
    box.addButton(tr("取消"), QMessageBox.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return "save"
    if clicked is discard:
        return "discard"
    return "cancel"


def open_file_name(parent: QWidget | None, directory: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, tr("打开文档"), directory, tr(FILE_FILTER))
    return path


def save_file_name(parent: QWidget | None, directory: str = "",
                   file_filter: str = FILE_FILTER, title: str | None = None) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title or tr("保存文档"), directory, tr(file_filter))
    return path


def import_file_name(parent: QWidget | None, directory: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, tr("导入"), directory,
        tr("自评表文件 (*.docx *.pdf *.xlsx *.xls *.et *.doc *.wps *.csv *.txt *.html *.htm);;"
           "Word 文档 (*.docx *.doc *.wps);;PDF 文档 (*.pdf);;Excel 工作簿 (*.xlsx *.xls *.et);;"
           "文本或 CSV (*.txt *.csv);;网页 (*.html *.htm);;所有文件 (*)"))
    return path


def confirm_import(parent: QWidget | None, plan, report: list[str], file_name: str, current_name: str,
                   current_year: int):
    """导入预览: the plan with the officer's choices, or None when cancelled."""
    from perfdesk.ui.import_dialog import confirm_import as run

    return run(parent, plan, report, file_name, current_name, current_year)


def get_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def get_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return value if ok else None


def _form_dialog(parent: QWidget | None, title: str):
    """An empty dialog with a form layout: (dialog, form)."""
    from PySide6.QtWidgets import QDialog, QFormLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    return dialog, QFormLayout(dialog)


def _run_form(dialog, form) -> bool:
    """Add 确定/取消 under the form and run it; True when the officer pressed 确定."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(tr("确定"))
    buttons.button(QDialogButtonBox.Cancel).setText(tr("取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog.exec() == QDialog.Accepted


def _template_combo(kind: str, default_id: str):
    """The templates of one kind, with their descriptions as tool tips."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    from perfdesk.templates import list_templates

    combo = QComboBox()
    for template in list_templates(kind):
        combo.addItem(template.name, template.id)
        combo.setItemData(combo.count() - 1, template.description, Qt.ToolTipRole)
        if template.id == default_id:
            combo.setCurrentIndex(combo.count() - 1)
    return combo


def ask_new_document(parent: QWidget | None) -> tuple[str, int, str] | None:
    """Ask for a unit template, a year and the unit's name: (template_id, year, name) or None."""
    from datetime import date

    from PySide6.QtWidgets import QLineEdit, QSpinBox

    dialog, form = _form_dialog(parent, tr("新建文档"))
    from perfdesk.templates import default_unit_template
    from perfdesk.ui import settings as app_settings

    # the officer's last choice (their province's form), else the 财政部 one
    combo = _template_combo("unit", app_settings.last_unit_template() or default_unit_template())
    year = QSpinBox()
    year.setRange(2000, 2100)
    year.setValue(date.today().year - 1)
    name = QLineEdit()
    form.addRow(tr("部门整体表样"), combo)
    form.addRow(tr("年度"), year)
    form.addRow(tr("单位名称"), name)
    if not _run_form(dialog, form):
        return None
    app_settings.set_last_unit_template(combo.currentData())
    return combo.currentData(), year.value(), name.text().strip()


def ask_new_project(parent: QWidget | None, default_template: str) -> tuple[str, str] | None:
    """Ask for a project template and a name: (template_id, name) or None."""
    from PySide6.QtWidgets import QLineEdit

    dialog, form = _form_dialog(parent, tr("添加项目"))
    combo = _template_combo("project", default_template)
    name = QLineEdit(tr("新项目"))
    form.addRow(tr("项目表样"), combo)
    form.addRow(tr("项目名称"), name)
    if not _run_form(dialog, form):
        return None
    return combo.currentData(), name.text().strip() or tr("新项目")


def edit_signatories(parent: QWidget | None, values: dict[str, str]) -> dict[str, str] | None:
    from PySide6.QtWidgets import QLabel, QLineEdit

    from perfdesk.ui.settings import SIGNATORY_FIELDS

    dialog, form = _form_dialog(parent, tr("默认签署人"))
    edits = {}
    for key, label in SIGNATORY_FIELDS.items():
        edits[key] = QLineEdit(values.get(key, ""))
        form.addRow(tr(label), edits[key])
    from perfdesk.ui.print_preview import fonts_summary  # the faces printing uses (read-only)

    fonts = QLabel(fonts_summary().replace("；", "\n"))
    fonts.setObjectName("printFonts")
    form.addRow(tr("打印字体"), fonts)
    if not _run_form(dialog, form):
        return None
    return {key: edit.text().strip() for key, edit in edits.items()}


def show_user_guide(parent: QWidget | None) -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

    from perfdesk.resources import resources_dir

    candidates = [resources_dir().parent / "docs" / "用户指南.md", resources_dir() / "docs" / "用户指南.md"]
    guide = next((p for p in candidates if p.is_file()), None)
    if guide is None:
        information(parent, tr("找不到用户指南文件（docs/用户指南.md）。"))
        return
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("用户指南"))
    dialog.resize(900, 700)
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setSearchPaths([str(guide.parent)])
    browser.setMarkdown(Path(guide).read_text(encoding="utf-8"))
    layout.addWidget(browser)
    dialog.exec()
