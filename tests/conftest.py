import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# qtmodeltester calls QModelIndex.data() thousands of times; see perfdesk/ui/qt_workarounds.py.
from perfdesk.ui.qt_workarounds import pin_singletons  # noqa: E402

pin_singletons()
