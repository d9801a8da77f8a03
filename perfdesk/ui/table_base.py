"""What the window's flat tables share: one palette and header handling."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor

# One palette, so that "red" means the same thing in every table of the window.
ERROR_BG = QColor("#f8d0d0")     # a cell that a finding of severity error points at
WARNING_BG = QColor("#fdebc8")
OVERRIDE_BG = QColor("#dce8fb")  # a score typed over the computed one
SECTION_BG = QColor("#f1f3f6")   # group rows, section rows, computed cells
ERROR_FG = QColor("#b00020")
WARNING_FG = QColor("#a35b00")
MUTED_FG = QColor("#6b7280")


class HeaderedTableModel(QAbstractTableModel):
    """A flat table whose columns are ``HEADERS``, translated in ``TR_CONTEXT``."""

    HEADERS: list[str] = []
    TR_CONTEXT = "perfdesk"

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate(self.TR_CONTEXT, self.HEADERS[section])
        return None
