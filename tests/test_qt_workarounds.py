"""The PySide6 reference-count defect cannot abort a long session."""

import subprocess
import sys
import textwrap


def test_many_empty_cell_reads_do_not_abort_the_program():
    # In a fresh interpreter (the test session already pinned its singletons):
    # 20 000 empty reads through QModelIndex.data() would abort Python 3.11
    # with "none_dealloc" unless the application's start-up pinned None.
    code = textwrap.dedent("""
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from perfdesk.ui.app import create_application
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
        app = create_application([])
        class M(QAbstractTableModel):
            def rowCount(self, p=QModelIndex()): return 1
            def columnCount(self, p=QModelIndex()): return 1
            def data(self, index, role=Qt.DisplayRole): return None
        m = M()
        for _ in range(20000):
            m.index(0, 0).data(Qt.ToolTipRole)
        print("survived")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert "survived" in r.stdout
