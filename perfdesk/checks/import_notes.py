"""导入提示 as findings: what an import left uncertain, pointing at the cell (code ``import_uncertain``).

Kept apart from the form's own checks: these findings say the importer was unsure of
its reading, never that the form is wrong. Severity is a warning (提示).
"""

from __future__ import annotations

from perfdesk.model.import_notes import import_notes
from perfdesk.model.places import Place

CODE = "import_uncertain"


def import_findings(ev, finding_class, label: str) -> list:
    out = []
    for note in import_notes(ev):
        node = note.indicator
        where = "导入提示" if node is None else f"{node.path()} / 导入提示"
        if node is not None and ev.find(node.uid) is None:
            continue  # the indicator was deleted since the import
        out.append(finding_class(
            "warning", CODE, note.message, f"{label} / {where}",
            Place(ev.uid, None if node is None else node.uid, note.field)))
    return out
