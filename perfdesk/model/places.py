"""Places in a document: one vocabulary for findings, edits, the 审核 jump and cell highlighting.

A place names an evaluation (by uid; ``None`` for the document's 单位信息), optionally
an indicator of its tree (by uid), and a field:

- on an indicator: one of ``editing.INDICATOR_FIELDS`` (``name``, ``weight``,
  ``target``, ``actual``, ``method``, ``tier``, ``score``, ``rule_text``,
  ``deviation_note`` …);
- on an evaluation: a dotted evaluation path, exactly as the edit operations take
  it: ``name``, ``stated_total``, ``stated_grade``, ``goals.expected``,
  ``narrative.<key>``, ``project.<attr>``, ``execution.weight``,
  ``execution.stated_rate``, ``execution.stated_score``,
  ``budget.<total|basic|project>.<column>``, ``budget.sources.<key>.<column>``,
  ``budget.lines.<i>.<column|name>``, ``target_rows.<i>.<field>``; or
  ``indicators`` for the tree as a whole (its weights adding to 100);
- on the document (no evaluation): a field of 单位信息 (``name``, ``year`` …).

``related`` lists further evaluation paths that take part (the lines of a sum
that does not hold), so that a view can mark exactly those cells.
Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

TREE = "indicators"  # the indicator tree as a whole


@dataclass(frozen=True)
class Place:
    evaluation: int | None = None
    indicator: int | None = None
    field: str = ""
    related: tuple[str, ...] = ()

    @property
    def head(self) -> str:
        """The first part of an evaluation path: ``budget``, ``execution``, ``narrative`` …"""
        return self.field.partition(".")[0]

    def cells(self) -> tuple[str, ...]:
        """The field and its related fields."""
        return (self.field, *self.related) if self.field else self.related


def indicator_place(evaluation_uid: int, indicator_uid: int, field: str = "name") -> Place:
    return Place(evaluation_uid, indicator_uid, field)


def evaluation_place(evaluation_uid: int, path: str, related: tuple[str, ...] = ()) -> Place:
    return Place(evaluation_uid, None, path, tuple(related))


def profile_place(field: str) -> Place:
    return Place(None, None, field)
