"""导入提示: readings an import was not sure of, kept beside the evaluation they concern.

An importer that had to choose between readings of a cell (a column guessed, a figure
that fits two columns, a total the form's arithmetic does not confirm) records a note
here; the checks report each note as a finding of code ``import_uncertain`` pointing
at the cell, so that the officer looks at it — and never as an error of the form.

Notes live only in memory, beside the evaluation objects of the imported document
(a weak side table: copies, next-year documents and reopened files start without
them). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary


@dataclass(frozen=True)
class ImportNote:
    message: str                 # Chinese: what is uncertain and what was chosen
    indicator: object = None     # the Indicator it concerns, or None for an evaluation field
    field: str = ""              # an indicator field (``target``, ``weight`` …) or an evaluation path


_NOTES: "WeakKeyDictionary[object, list[ImportNote]]" = WeakKeyDictionary()


def add_import_note(evaluation, note: ImportNote) -> None:
    _NOTES.setdefault(evaluation, []).append(note)


def import_notes(evaluation) -> list[ImportNote]:
    return list(_NOTES.get(evaluation, ()))


def clear_import_notes(evaluation) -> None:
    _NOTES.pop(evaluation, None)


__all__ = ["ImportNote", "add_import_note", "clear_import_notes", "import_notes"]
