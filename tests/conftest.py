import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# qtmodeltester calls QModelIndex.data() thousands of times; see perfdesk/ui/qt_workarounds.py.
from perfdesk.ui.qt_workarounds import pin_singletons  # noqa: E402

pin_singletons()


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _print_check_answers_draft(monkeypatch):
    """The 打印前审核 dialog is modal: in tests it answers “仍然打印（草稿）” unless a test
    patches ``perfdesk.ui.print_check.run_check_dialog`` itself."""
    try:
        from perfdesk.ui import print_check
    except ImportError:  # no Qt: nothing to patch
        return
    monkeypatch.setattr(print_check, "run_check_dialog", lambda checked, parent, final: print_check.DRAFT)
