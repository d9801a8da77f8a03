"""Workarounds for defects of the Qt binding that would otherwise crash the program.

PySide6 6.12 on Python < 3.12 drops a reference to ``None``/``True``/``False``
when some C++ calls hand an empty or boolean QVariant back to Python (for
example ``QModelIndex.data()`` or ``QStandardItemModel.data()`` returning
nothing). Each call loses one reference; after a few thousand the interpreter
aborts with "Fatal Python error: none_dealloc". Python 3.12 made these objects
immortal, so the defect is harmless there. On older Pythons we give the three
singletons a very large reference count once at start-up, so that a long
working day can never drain them. Our own code also avoids the calls
(``perfdesk.ui.editors.cell_data``); this is the safety net.
"""

from __future__ import annotations

import sys

_PINNED = False


def pin_singletons() -> None:
    global _PINNED
    if _PINNED or sys.version_info >= (3, 12):
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 30
    _PINNED = True
