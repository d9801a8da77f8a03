"""The shape of an operation, batches of them, and finding things by uid.

An operation is a small value naming what to change by uid (never by Python object
identity of a widget's row). ``apply(doc)`` validates everything first and raises
``OpError`` (a Chinese message) before anything is changed; otherwise it changes the
document and returns ``(changes, inverse)``: what changed, and the operation that puts
it back. Undo is ``inverse.apply``; the inverse of the inverse is the operation again.
An operation that would change nothing returns empty changes (no undo step).
Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from perfdesk.model.document import Document, Evaluation, Indicator
from perfdesk.ops.changes import Changes


class OpError(ValueError):
    """An operation was refused; nothing was changed. The message is Chinese and says why."""


class Operation(Protocol):
    def label(self, doc: Document) -> str:
        """The undo step's name, e.g. 修改“参保人数”的实际完成值."""

    def apply(self, doc: Document) -> tuple[Changes, "Operation"]:
        """Validate, change ``doc``, return (what changed, the inverse operation)."""


def evaluation(doc: Document, uid: int) -> Evaluation:
    ev = doc.find_evaluation(uid)
    if ev is None:
        raise OpError("找不到要修改的表格（可能已被删除）")
    return ev


def indicator(ev: Evaluation, uid: int | None) -> Indicator | None:
    if uid is None:
        return None
    node = ev.find(uid)
    if node is None:
        raise OpError("找不到要修改的指标（可能已被删除）")
    return node


def name_of(node: Indicator | None) -> str:
    return (node.name if node is not None else "") or "（未命名）"


@dataclass(frozen=True)
class Batch:
    """Several operations as one step: applied whole or not at all."""

    operations: tuple
    text: str = ""

    def label(self, doc: Document) -> str:
        if self.text:
            return self.text
        return self.operations[0].label(doc) if len(self.operations) == 1 else f"{len(self.operations)} 项修改"

    def apply(self, doc: Document) -> tuple[Changes, "Batch"]:
        changes = Changes()
        inverses = []
        try:
            for op in self.operations:
                step, inverse = op.apply(doc)
                changes.extend(step)
                inverses.append(inverse)
        except Exception:
            # put back what was applied, newest first: the document is as before
            for inverse in reversed(inverses):
                inverse.apply(doc)
            raise
        return changes, Batch(tuple(reversed(inverses)), self.text)


def batch(operations, text: str = "") -> Batch:
    return Batch(tuple(operations), text)
