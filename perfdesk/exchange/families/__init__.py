"""Form families: one module per family of published forms, found through the layout registry.

Each family module has ``recognise(rows) -> float`` (confidence 0…1 that a table is a
form of the family) and ``read(rows, reader) -> FormResult``. The layout files
(resources/layouts/*.json) name them — a layout's own ``recogniser``/``reader`` and the
families it ``also_reads`` — so nothing here names a layout id: ``recognise`` asks the
registry for every family and takes the most confident.
"""

from __future__ import annotations


def recognise(rows: list[list[str]]):
    """The most confident ``ImportFamily`` for a table, or None (no family above 0)."""
    from perfdesk.model.layouts import import_families

    best, best_score = None, 0.0
    for family in import_families():
        score = family.recognise()(rows)
        if score > best_score:
            best, best_score = family, score
    return best


def layout_of_family(family):
    from perfdesk.model.layouts import get_layout

    return get_layout(family.layout)


__all__ = ["layout_of_family", "recognise"]
