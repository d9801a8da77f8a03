"""查找: every place of a document whose text contains what the officer looks for.

In the order of the document: for each form (the unit form first, then the projects)
its name, its budget lines, its indicators (name, targets, actual, rules, deviation
notes, in tree order), its target rows and its narrative sections. Case and width
insensitive (全角/半角 letters and digits match). Pure Python: no Qt.
"""

from __future__ import annotations

import unicodedata

from perfdesk.model.document import Document
from perfdesk.model.places import Place

INDICATOR_TEXTS = ("name", "target", "initial_target", "actual", "rule_text", "deviation_note", "adjust_reason")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def find_places(doc: Document, query: str) -> list[Place]:
    wanted = _fold(query).strip()
    if not wanted:
        return []
    out: list[Place] = []
    if wanted in _fold(doc.unit.name):
        out.append(Place(None, None, "name"))
    for ev in doc.evaluations():
        if ev is not doc.unit_evaluation and wanted in _fold(ev.name):
            out.append(Place(ev.uid, None, "name"))
        for i, line in enumerate(ev.budget.project_lines):
            if wanted in _fold(line.name):
                out.append(Place(ev.uid, None, f"budget.lines.{i}.name"))
        for node in ev.walk():
            for field in INDICATOR_TEXTS:
                if wanted in _fold(getattr(node, field, "")):
                    out.append(Place(ev.uid, node.uid, field))
        for i, row in enumerate(ev.target_rows):
            for field in ("name", "target", "actual"):
                if wanted in _fold(getattr(row, field)):
                    out.append(Place(ev.uid, None, f"target_rows.{i}.{field}"))
        for part in ("expected", "achieved"):
            if wanted in _fold(getattr(ev.goals, part)):
                out.append(Place(ev.uid, None, f"goals.{part}"))
        for key, text in ev.narrative.items():
            if wanted in _fold(text):
                out.append(Place(ev.uid, None, f"narrative.{key}"))
    return out
