"""打印预览: the forms rendered from the PDF perfdesk prints (QtPdf), with zoom,
page navigation, 打印 (QPrinter) and 导出PDF.

The PDF shown is the very file that is printed or exported, so what the
officer sees is what comes out of the printer. Modal dialogs go through the
small wrappers below (``run_print_dialog``, ``ask_pdf_path``,
``ask_directory``) so tests can patch them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QProgressDialog,
    QPushButton, QVBoxLayout, QWidget,
)

from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.printing import ExportCancelled, FinalRefused, PrintError, build_pdf, export_pdf, export_pdf_per_form
from perfdesk.ui import dialogs
from perfdesk.ui.print_check import CANCEL, DRAFT, GO_TO, confirm_print

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0


def tr(text: str) -> str:
    return QCoreApplication.translate("PrintPreviewDialog", text)


# ---------------------------------------------------------------- patchable dialogs

def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setFullPage(True)
    return printer


def run_print_dialog(printer: QPrinter, parent: QWidget | None) -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("打印"))
    return dialog.exec() == QDialog.Accepted


def ask_pdf_path(parent: QWidget | None, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, tr("导出PDF"), suggested, tr("PDF 文件 (*.pdf)"))
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return path


def ask_directory(parent: QWidget | None) -> str:
    return QFileDialog.getExistingDirectory(parent, tr("选择导出文件夹"))


def fonts_summary() -> str:
    """The faces printing uses (宋体：… ；仿宋：…), or why none could be loaded."""
    try:
        from perfdesk.printing.fonts import summary

        return summary()
    except Exception as exc:  # a broken font file: say so, never crash the dialog
        return str(exc)


def signatories_from_settings() -> dict[str, str] | None:
    try:
        from perfdesk.ui import settings

        return settings.signatories()
    except Exception:  # settings unavailable: the unit profile is used
        return None


# ---------------------------------------------------------------- export with progress

def export_pdf_with_progress(doc: Document, path, parent: QWidget | None = None, form: str = "all",
                             evaluation: Evaluation | None = None, signatories: dict | None = None,
                             draft: bool | None = None, go_to=None):
    """Export with a cancellable progress dialog. Returns the page count, or
    ``None`` when cancelled or failed (the error is shown; no file is left).

    Unless ``draft`` is given, 审核 errors in what is exported are listed first
    (仍然打印（草稿） / 转到第一个错误 / 取消)."""
    if draft is None:
        choice = confirm_print(parent, doc, form, evaluation, go_to)
        if choice in (CANCEL, GO_TO):
            return None
        draft = choice == DRAFT
    if signatories is None:
        signatories = signatories_from_settings()
    progress = QProgressDialog(tr("正在生成PDF…"), tr("取消"), 0, 1, parent)
    progress.setWindowTitle(tr("导出PDF"))
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    def step(done: int, total: int) -> bool:
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, max(total, 1)))
        progress.setLabelText(tr("正在生成PDF…（%1/%2）").replace("%1", str(done)).replace("%2", str(total)))
        QApplication.processEvents()
        return not progress.wasCanceled()

    try:
        return export_pdf(doc, path, form, evaluation, signatories=signatories, progress=step, draft=draft)
    except ExportCancelled:
        return None
    except PrintError as exc:
        dialogs.error(parent, str(exc), tr("导出PDF失败"))
        return None
    finally:
        progress.close()
        progress.deleteLater()


def print_pdf(pdf: QPdfDocument, printer: QPrinter, dpi: int = 300) -> int:
    """Paint every page of ``pdf`` onto ``printer``; returns the pages printed."""
    count = pdf.pageCount()
    if count <= 0:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(tr("无法连接打印机。"))
    try:
        resolution = min(printer.resolution(), dpi)
        for index in range(count):
            points = pdf.pagePointSize(index)
            orientation = (QPageLayout.Landscape if points.width() > points.height()
                           else QPageLayout.Portrait)
            if index:
                printer.setPageOrientation(orientation)
                printer.newPage()
            elif printer.pageLayout().orientation() != orientation:
                printer.setPageOrientation(orientation)
            size = QSize(round(points.width() / 72 * resolution), round(points.height() / 72 * resolution))
            image = pdf.render(index, size)
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return count


# ---------------------------------------------------------------- the dialog

SCOPES = [
    ("all", "全部表格和文档"),
    ("unit", "部门整体支出绩效自评表"),
    ("projects", "全部项目支出绩效自评表"),
    ("report", "整体绩效评价报告"),
    ("explanation", "预算绩效情况说明"),
    ("project-reports", "项目绩效评价报告"),
    ("other-texts", "其他文字说明"),
]


class PrintPreviewDialog(QDialog):
    """打印预览 of the document's forms (or of one evaluation's form)."""

    def __init__(self, doc: Document, parent: QWidget | None = None, evaluation: Evaluation | None = None,
                 signatories: dict | None = None, go_to=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.go_to = go_to  # shows a finding's place in the window (default: the parent window's show_place)
        self.draft = False  # printed as 草稿 after the officer chose so
        self.evaluation = evaluation
        self.signatories = signatories if signatories is not None else signatories_from_settings()
        self.error: str | None = None
        self.notice: str | None = None
        self._pdf_bytes = b""
        self._buffer: QBuffer | None = None
        self.setWindowTitle(tr("打印预览"))
        self.resize(900, 1000)

        self.pdf = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.scope = QComboBox(self)
        if evaluation is not None:
            self.scope.addItem(self._evaluation_label(evaluation), "evaluation")
        for key, label in SCOPES:
            self.scope.addItem(tr(label), key)
        self.scope.setToolTip(tr("选择要预览和打印的表格"))
        self.prev_button = QPushButton(tr("上一页"), self)
        self.next_button = QPushButton(tr("下一页"), self)
        self.page_label = QLabel(self)
        self.zoom_out_button = QPushButton(tr("缩小"), self)
        self.zoom_in_button = QPushButton(tr("放大"), self)
        self.fit_width_button = QPushButton(tr("适合宽度"), self)
        self.fit_page_button = QPushButton(tr("整页"), self)
        self.print_button = QPushButton(tr("打印…"), self)
        self.export_button = QPushButton(tr("导出PDF…"), self)
        self.export_each_button = QPushButton(tr("每表一个PDF…"), self)
        self.close_button = QPushButton(tr("关闭"), self)
        self.export_each_button.setToolTip(tr("将每张表格分别导出为一个PDF文件"))

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("表格："), self))
        bar.addWidget(self.scope, 1)
        for w in (self.prev_button, self.page_label, self.next_button, self.zoom_out_button,
                  self.zoom_in_button, self.fit_width_button, self.fit_page_button):
            bar.addWidget(w)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        bottom.addWidget(self.status, 1)
        for w in (self.print_button, self.export_button, self.export_each_button, self.close_button):
            bottom.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.scope.currentIndexChanged.connect(self.rebuild)
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.fit_width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.print_button.clicked.connect(self.print_document)
        self.export_button.clicked.connect(self.export_document)
        self.export_each_button.clicked.connect(self.export_each)
        self.close_button.clicked.connect(self.accept)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        self.rebuild()

    # -- building

    @staticmethod
    def _evaluation_label(ev: Evaluation) -> str:
        kind = tr("部门整体") if ev.kind is EvaluationKind.UNIT else tr("项目")
        return tr("当前表格（%1：%2）").replace("%1", kind).replace("%2", ev.name or tr("未命名"))

    def current_request(self) -> tuple[str, Evaluation | None]:
        key = self.scope.currentData()
        if key == "evaluation":
            return "all", self.evaluation
        return key or "all", None

    def rebuild(self) -> None:
        """(Re)generate the PDF for the chosen forms and show it."""
        form, evaluation = self.current_request()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.notice = None
            try:
                data, pages = build_pdf(self.doc, form, evaluation, signatories=self.signatories, draft=self.draft)
            except FinalRefused as exc:  # shown as the 草稿 it can only be printed as
                self.notice = str(exc)
                data, pages = build_pdf(self.doc, form, evaluation, signatories=self.signatories, draft=True)
            self.error = None
        except PrintError as exc:
            data, pages, self.error = b"", 0, str(exc)
        finally:
            QApplication.restoreOverrideCursor()
        self.pdf.close()
        self._pdf_bytes = data
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        if data:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(data))
            self._buffer.open(QIODevice.ReadOnly)
            self.pdf.load(self._buffer)
        has_pages = self.page_count() > 0
        for w in (self.print_button, self.export_button, self.prev_button, self.next_button):
            w.setEnabled(has_pages)
        state = tr("草稿") if self.draft else (tr("已定稿") if self.doc.final else tr("草稿（定稿后不再显示水印）"))
        self.status.setText(self.error or self.notice or tr("共 %1 页；A4；%2").replace(
            "%1", str(self.page_count())).replace("%2", state))
        self.status.setToolTip(tr("打印字体：") + fonts_summary())
        self._update_page_label()

    # -- navigation and zoom

    def page_count(self) -> int:
        return max(self.pdf.pageCount(), 0)

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, index: int) -> None:
        if self.page_count() == 0:
            return
        index = max(0, min(index, self.page_count() - 1))
        self.view.pageNavigator().jump(index, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_page_label()

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _update_page_label(self, *args) -> None:
        n = self.page_count()
        current = self.current_page() + 1 if n else 0
        self.page_label.setText(tr("第 %1 / %2 页").replace("%1", str(current)).replace("%2", str(n)))
        self.prev_button.setEnabled(n > 0 and current > 1)
        self.next_button.setEnabled(n > 0 and current < n)

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))

    # -- output

    def suggested_name(self) -> str:
        form, evaluation = self.current_request()
        unit = self.doc.unit.name or tr("绩效自评")
        if evaluation is not None:
            what = evaluation.name or tr("表格")
        else:
            what = dict(SCOPES).get(form, "")
        name = f"{unit}-{self.doc.year}-{what}" if self.doc.year else f"{unit}-{what}"
        return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name) + ".pdf"

    def checked(self) -> bool:
        """审核 before printing: False when the officer cancelled or went to the first error."""
        if self.draft:
            return True
        form, evaluation = self.current_request()
        choice = confirm_print(self, self.doc, form, evaluation, self.go_to)
        if choice == GO_TO:
            self.reject()
            return False
        if choice == CANCEL:
            return False
        if choice == DRAFT:
            self.draft = True
            self.rebuild()
        return True

    def print_document(self) -> bool:
        if self.page_count() == 0 or not self.checked():
            return False
        printer = make_printer()
        printer.setDocName(self.suggested_name()[:-4])
        if not run_print_dialog(printer, self):
            return False
        try:
            print_pdf(self.pdf, printer)
        except PrintError as exc:
            dialogs.error(self, str(exc), tr("打印失败"))
            return False
        return True

    def export_document(self) -> int | None:
        if not self.checked():
            return None
        path = ask_pdf_path(self, self.suggested_name())
        if not path:
            return None
        form, evaluation = self.current_request()
        pages = export_pdf_with_progress(self.doc, path, self, form, evaluation, self.signatories, draft=self.draft)
        if pages:
            self.status.setText(tr("已导出 %1 页到 %2").replace("%1", str(pages)).replace("%2", path))
        return pages

    def export_each(self) -> list[Path]:
        if not self.checked():
            return []
        folder = ask_directory(self)
        if not folder:
            return []
        try:
            files = export_pdf_per_form(self.doc, folder, signatories=self.signatories, draft=self.draft)
        except PrintError as exc:
            dialogs.error(self, str(exc), tr("导出PDF失败"))
            return []
        self.status.setText(tr("已导出 %1 个PDF文件到 %2").replace("%1", str(len(files))).replace("%2", folder))
        return files


__all__ = [
    "PrintPreviewDialog", "ask_directory", "ask_pdf_path", "export_pdf_with_progress", "make_printer",
    "print_pdf", "run_print_dialog",
]
