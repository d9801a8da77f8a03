"""单位信息 → 评价规则 as an operation: score the whole document by another rule set.

``SetRuleSet(id)`` validates the id (``OpError`` when no such rule set is known),
sets ``Document.rule_set`` and every evaluation's ``rule_set`` (perfdesk.scoring.rules.
set_rule_set) and returns the changes — every evaluation rescored, the profile
field ``rule_set`` — with its inverse, which puts back each evaluation's own
previous value. Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfdesk.model.document import Document
from perfdesk.model.places import Place
from perfdesk.ops.base import OpError
from perfdesk.ops.changes import Changes
from perfdesk.scoring.rules import RuleSetError, get_rule_set, restore_rule_set, set_rule_set

FIELD = "rule_set"  # the 单位信息 field (a place and a profile change)


@dataclass(frozen=True)
class SetRuleSet:
    """Score every form of the document by ``rule_set`` ('' → each form's template's)."""

    rule_set: str

    def label(self, doc: Document) -> str:
        if not self.rule_set:
            return "评价规则改为按模板"
        try:
            return f"评价规则改为“{get_rule_set(self.rule_set).name}”"
        except RuleSetError:
            return f"评价规则改为“{self.rule_set}”"

    def apply(self, doc: Document):
        target = (self.rule_set or "").strip()
        if doc.rule_set == target and all(ev.rule_set == target for ev in doc.evaluations()):
            return Changes(), self
        try:
            old = set_rule_set(doc, target)
        except RuleSetError as exc:
            raise OpError(str(exc)) from None
        return self._changes(doc), _RestoreRuleSet(old["document"], tuple(old["evaluations"].items()),
                                                   self.label(doc))

    @staticmethod
    def _changes(doc: Document) -> Changes:
        return Changes(places=[Place(None, None, FIELD)], profile={FIELD},
                       evaluations={ev.uid for ev in doc.evaluations()})


@dataclass(frozen=True)
class _RestoreRuleSet:
    """The inverse of ``SetRuleSet``: each evaluation's previous rule set."""

    document: str
    evaluations: tuple[tuple[int, str], ...]
    text: str = ""  # the undo step's name (that of the SetRuleSet it undoes or redoes)

    def label(self, doc: Document) -> str:
        return self.text or "恢复评价规则"

    def apply(self, doc: Document):
        current = {"document": doc.rule_set, "evaluations": {ev.uid: ev.rule_set for ev in doc.evaluations()}}
        restore_rule_set(doc, {"document": self.document, "evaluations": dict(self.evaluations)})
        inverse = _RestoreRuleSet(current["document"], tuple(current["evaluations"].items()), self.text)
        return SetRuleSet._changes(doc), inverse


__all__ = ["FIELD", "SetRuleSet"]
