"""docs/screenshots/narrative-accepted.png: the 文字说明 tab after 采用 (offscreen grab).

    python tests/ui_shots.py

(The four tabs' screenshots come from ``python -m perfdesk.ui.screenshots docs/screenshots``.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from perfdesk.ui.app import create_application

    app = create_application()
    from perfdesk.demo import demo_document
    from perfdesk.ui.evaluation_editor import TAB_NARRATIVE
    from perfdesk.ui.main_window import MainWindow

    doc = demo_document()
    window = MainWindow(doc, None)
    window.resize(1440, 900)
    window.show()
    try:
        ev = doc.projects[1]
        window.select_evaluation(ev)
        editor = window.current_editor()
        editor.setCurrentIndex(TAB_NARRATIVE)
        app.processEvents()
        tab = editor.narrative
        tab.accept("self_report_deviation")
        section = tab.sections["self_report_results"]
        app.processEvents()
        tab.verticalScrollBar().setValue(section.mapTo(tab.widget(), section.rect().topLeft()).y() - 10)
        app.processEvents()
        target = ROOT / "docs" / "screenshots" / "narrative-accepted.png"
        window.grab().save(str(target))
        print(target.relative_to(ROOT))
    finally:
        window.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
