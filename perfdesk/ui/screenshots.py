"""Screenshots of every tab for the user guide.

    python -m perfdesk.ui.screenshots docs/screenshots [FILE.pdesk]

Renders offscreen (unless a platform is set) the demo document, or FILE, and writes
unit-*.png / project-*.png for the four tabs plus main-window.png.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(__doc__)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from perfdesk.ui.app import create_application, default_document, save_tab_screenshots, take_screenshot

    app = create_application()  # noqa: F841 - keeps the application alive
    from perfdesk.ui.main_window import MainWindow

    if len(argv) > 1:
        from perfdesk.store import open_document

        doc = open_document(argv[1])
    else:
        doc = default_document()
    window = MainWindow(doc, None)
    window.resize(1440, 900)
    try:
        written = save_tab_screenshots(window, argv[0])
        written.append(take_screenshot(window, os.path.join(argv[0], "main-window.png")))
    finally:
        window.shutdown()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
