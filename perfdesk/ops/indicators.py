"""Operations on an evaluation's indicator tree: set a field, insert, remove, move.

Every structural rule (at most three levels, no node moved under itself, positions
in range) is checked here, before anything changes; the editors do not re-check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from perfdesk.model.document import Document, Evaluation, Indicator, Method
from perfdesk.model.places import Place
from perfdesk.ops import fields
from perfdesk.ops.base import OpError, evaluation, indicator, name_of
from perfdesk.ops.changes import Changes, TreeEdit, insert_edit
from perfdesk.scoring.methods import effective_method

MAX_LEVEL = 3


def siblings(ev: Evaluation, node: Indicator) -> list[Indicator]:
    return node.parent.children if node.parent is not None else ev.indicators


def position(ev: Evaluation, node: Indicator) -> tuple[Indicator | None, int]:
    """(parent, index among its siblings)."""
    return node.parent, siblings(ev, node).index(node)


def depth(node: Indicator) -> int:
    """Levels in the subtree of ``node`` (1 for a leaf)."""
    return 1 + max((depth(c) for c in node.children), default=0)


@dataclass(frozen=True)
class SetIndicatorField:
    evaluation: int
    indicator: int
    field: str
    value: Any

    def label(self, doc: Document) -> str:
        ev = doc.find_evaluation(self.evaluation)
        node = ev.find(self.indicator) if ev is not None else None
        return f"修改“{name_of(node)}”的{fields.INDICATOR_FIELD_LABELS.get(self.field, self.field)}"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        node = indicator(ev, self.indicator)
        if self.field not in fields.INDICATOR_FIELDS:
            raise OpError(f"指标没有“{self.field}”这一栏")
        try:
            new = fields.parse_indicator_value(self.field, self.value)
        except ValueError as exc:
            raise OpError(str(exc)) from None
        # 定性三档 chosen, or 按指标性质 with 指标性质 定性 (or a qualitative target)
        if self.field == "tier" and new is not None and (node.children or effective_method(node) is not Method.TIERS):
            raise OpError("只有定性指标（定性三档）可以选择评价档次")
        old = fields.get_indicator_field(node, self.field)
        if new == old and type(new) is type(old):
            return Changes(), self
        fields.set_indicator_field(node, self.field, new)
        changes = Changes(places=[Place(ev.uid, node.uid, self.field)], evaluations={ev.uid})
        return changes, SetIndicatorField(self.evaluation, self.indicator, self.field, old)


@dataclass(frozen=True)
class InsertIndicator:
    """Insert ``node`` (with its children) under ``parent`` (None: level 1) at ``index``."""

    evaluation: int
    parent: int | None
    index: int
    node: Indicator
    text: str = ""

    def label(self, doc: Document) -> str:
        return self.text or f"插入指标“{name_of(self.node)}”"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        parent = indicator(ev, self.parent)
        if self.node.parent is not None or ev.find(self.node.uid) is not None:
            raise OpError("该指标已在表中，不能重复插入")
        level = 1 if parent is None else parent.level + 1
        if level + depth(self.node) - 1 > MAX_LEVEL:
            raise OpError("指标最多三级，不能再插入下级指标" if level > MAX_LEVEL
                          else "该分组插入此处会超过三级指标")
        children = ev.indicators if parent is None else parent.children
        if not 0 <= self.index <= len(children):
            raise OpError("插入位置无效")
        if parent is None:
            ev.add(self.node, self.index)
        else:
            parent.add(self.node, self.index)
        changes = Changes(evaluations={ev.uid}, tree=[insert_edit(ev.uid, self.node, parent, self.index)])
        return changes, RemoveIndicator(self.evaluation, self.node.uid, self.text)


@dataclass(frozen=True)
class RemoveIndicator:
    """Remove an indicator with all its children."""

    evaluation: int
    indicator: int
    text: str = ""

    def label(self, doc: Document) -> str:
        ev = doc.find_evaluation(self.evaluation)
        return self.text or f"删除指标“{name_of(ev.find(self.indicator) if ev else None)}”"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        node = indicator(ev, self.indicator)
        parent, index = position(ev, node)
        siblings(ev, node).pop(index)
        node.parent = None
        changes = Changes(evaluations={ev.uid}, tree=[TreeEdit(
            "remove", ev.uid, node.uid, None if parent is None else parent.uid, index)])
        return changes, InsertIndicator(self.evaluation, None if parent is None else parent.uid, index, node,
                                        self.text)


@dataclass(frozen=True)
class MoveIndicator:
    """Move an indicator to ``parent`` at ``index`` (the index once it is out of its old place)."""

    evaluation: int
    indicator: int
    parent: int | None
    index: int
    text: str = ""

    def label(self, doc: Document) -> str:
        ev = doc.find_evaluation(self.evaluation)
        return self.text or f"移动指标“{name_of(ev.find(self.indicator) if ev else None)}”"

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        node = indicator(ev, self.indicator)
        parent = indicator(ev, self.parent)
        walker = parent
        while walker is not None:
            if walker is node:
                raise OpError("不能把指标移动到它自己的下级")
            walker = walker.parent
        level = 1 if parent is None else parent.level + 1
        if level + depth(node) - 1 > MAX_LEVEL:
            raise OpError("指标最多三级，不能再降级")
        old_parent, old_index = position(ev, node)
        target = ev.indicators if parent is None else parent.children
        room = len(target) - (1 if old_parent is parent else 0)
        if not 0 <= self.index <= room:
            raise OpError("移动位置无效")
        if old_parent is parent and old_index == self.index:
            return Changes(), self
        siblings(ev, node).pop(old_index)
        if parent is None:  # add() sets the node's parent
            ev.add(node, self.index)
        else:
            parent.add(node, self.index)
        old_parent_uid = None if old_parent is None else old_parent.uid
        changes = Changes(evaluations={ev.uid}, tree=[TreeEdit(
            "move", ev.uid, node.uid, self.parent, self.index, old_parent_uid, old_index)])
        return changes, MoveIndicator(self.evaluation, node.uid, old_parent_uid, old_index, self.text)


# --- the officer's structural commands, as operations ------------------------------------------

def move_up_down(doc: Document, ev_uid: int, uid: int, delta: int) -> MoveIndicator:
    ev = evaluation(doc, ev_uid)
    node = indicator(ev, uid)
    parent, index = position(ev, node)
    target = index + delta
    if not 0 <= target < len(siblings(ev, node)):
        raise OpError("已经是第一项" if delta < 0 else "已经是最后一项")
    return MoveIndicator(ev_uid, uid, None if parent is None else parent.uid, target,
                         "上移指标" if delta < 0 else "下移指标")


def indent(doc: Document, ev_uid: int, uid: int) -> MoveIndicator:
    """降级: to the end of the previous sibling's children."""
    ev = evaluation(doc, ev_uid)
    node = indicator(ev, uid)
    _parent, index = position(ev, node)
    if index == 0:
        raise OpError("第一项没有可归入的上一项，不能降级")
    new_parent = siblings(ev, node)[index - 1]
    return MoveIndicator(ev_uid, uid, new_parent.uid, len(new_parent.children), "指标降级")


def outdent(doc: Document, ev_uid: int, uid: int) -> MoveIndicator:
    """升级: right after its parent."""
    ev = evaluation(doc, ev_uid)
    node = indicator(ev, uid)
    parent = node.parent
    if parent is None:
        raise OpError("一级指标不能再升级")
    grand, parent_index = position(ev, parent)
    return MoveIndicator(ev_uid, uid, None if grand is None else grand.uid, parent_index + 1, "指标升级")
