"""更新指标值: an imported 绩效目标表 taken onto a form that already holds the officer's results (issue 17).

Replacing such a form would lose the 实际完成值 typed since. Instead the imported targets go onto
the matching indicators, everything the officer entered stays:

- indicators are matched by name (spaces, full-width brackets and the “指标1：” / “*” marks of
  templates ignored; among namesakes the one under the same 一级/二级 groups first);
- a matched indicator takes the imported 指标值, 指标性质, 度量单位, 分值 (when the table states
  one), 评分规则 text (when the table has one), 年初指标值 and 调整原因, and the scoring method
  when ours follows the 指标性质 or is 手工评分; its 实际完成值, 得分, 评价档次 and 偏差原因 are kept;
- an imported indicator that matches none of ours is added under the groups of the same names
  (created when missing);
- ours that the table does not have are kept, and named in the plan;
- the 年度总体目标 and, where ours are empty, the 全年预算数, the sources' amounts, 主管部门, 实施单位
  and 项目编码 are taken too.

``update_targets`` returns the operations (one batch, one undo step) with a summary for the import
preview. ``SetTargetFields`` is the operation on one indicator. Pure Python: no Qt.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfdesk.model.document import Document, Evaluation, Indicator, Method, new_uid
from perfdesk.model.places import Place
from perfdesk.model.values import COMPARISONS
from perfdesk.ops.base import OpError, batch, evaluation, indicator, name_of
from perfdesk.ops.changes import Changes
from perfdesk.ops.evaluations import SetEvaluationField
from perfdesk.ops.indicators import InsertIndicator

# The fields a target table sets, with their names for undo steps and messages.
TARGET_FIELDS = {
    "target": "指标值", "comparison": "指标性质", "unit": "度量单位", "weight": "分值", "rule_text": "评分规则",
    "initial_target": "年初指标值", "adjust_reason": "调整原因", "method": "评分方法",
}
_KEEP_METHODS = (Method.AUTO, Method.MANUAL)   # ours follow the 指标性质 / are manual: the table's method wins


def _check(field_name: str, value: Any) -> None:
    if field_name not in TARGET_FIELDS:
        raise OpError(f"指标没有“{field_name}”这一栏")
    if field_name == "weight":
        if value is not None and (not isinstance(value, Decimal) or value < 0):
            raise OpError(f"分值无效：{value}")
    elif field_name == "method":
        if not isinstance(value, Method):
            raise OpError(f"未知的评分方法“{value}”")
    elif field_name == "comparison":
        if value not in COMPARISONS:
            raise OpError(f"未知的指标性质“{value}”（应为 =、≥、≤、>、< 或 定性）")
    elif not isinstance(value, str):
        raise OpError(f"{TARGET_FIELDS[field_name]}应为文字")


@dataclass(frozen=True)
class SetTargetFields:
    """Set several target fields of one indicator at once (values already read: ``Decimal`` 分值,
    ``Method``, texts). Its inverse sets the old values back."""

    evaluation: int
    indicator: int
    values: tuple[tuple[str, Any], ...]
    text: str = ""

    def label(self, doc: Document) -> str:
        if self.text:
            return self.text
        ev = doc.find_evaluation(self.evaluation)
        node = ev.find(self.indicator) if ev is not None else None
        return f"修改“{name_of(node)}”的" + "、".join(TARGET_FIELDS.get(f, f) for f, _ in self.values)

    def apply(self, doc: Document):
        ev = evaluation(doc, self.evaluation)
        node = indicator(ev, self.indicator)
        for name, value in self.values:
            _check(name, value)
        if node.children and any(name != "weight" for name, _ in self.values):
            raise OpError(f"“{name_of(node)}”是分组，只能设置分值")
        old = tuple((name, getattr(node, name)) for name, _ in self.values)
        if all(getattr(node, name) == value and type(getattr(node, name)) is type(value)
               for name, value in self.values):
            return Changes(), self
        for name, value in self.values:
            setattr(node, name, value)
        changes = Changes(places=[Place(ev.uid, node.uid, name) for name, _ in self.values], evaluations={ev.uid})
        return changes, SetTargetFields(self.evaluation, self.indicator, old, self.text)


# --- matching ----------------------------------------------------------------------------------

_PREFIX = re.compile(r"^(?:指标\s*\d{1,3}\s*[:：]|[★☆※*]+|\d{1,2}\s*[、.．](?!\d))\s*")
_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "　": ""})


def indicator_key(name: str) -> str:
    """An indicator's name as matched: no spaces, half-width brackets, no template marks."""
    k = "".join((name or "").split()).translate(_HALF)
    return _PREFIX.sub("", k)


def _group_key(name: str) -> str:
    return re.sub(r"\(\d+(?:\.\d+)?分?\)$", "", indicator_key(name))


def _path_keys(node: Indicator) -> tuple[str, ...]:
    keys, parent = [], node.parent
    while parent is not None:
        keys.append(_group_key(parent.name))
        parent = parent.parent
    return tuple(reversed(keys))


@dataclass
class TargetsUpdate:
    """What 更新指标值 will do to one form (for the preview) and the operations that do it."""

    updated: int = 0                                  # our indicators that take new targets
    changed: int = 0                                  # of those, the ones whose targets actually change
    added: list[str] = field(default_factory=list)    # imported indicators added
    kept: list[str] = field(default_factory=list)     # ours the table does not have (kept)
    operations: list = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"更新 {self.updated} 项指标的指标值（其中 {self.changed} 项有变化）"]
        if self.added:
            parts.append(f"新增 {len(self.added)} 项（{'、'.join(self.added[:3])}{'等' if len(self.added) > 3 else ''}）")
        if self.kept:
            parts.append(f"保留本文档独有的 {len(self.kept)} 项（{'、'.join(self.kept[:3])}"
                         f"{'等' if len(self.kept) > 3 else ''}）")
        return "，".join(parts) + "；实际完成值、得分和偏差原因不变"


def _values_of(ours: Indicator, theirs: Indicator) -> tuple[tuple[str, Any], ...]:
    values: list[tuple[str, Any]] = [
        ("target", theirs.target), ("comparison", theirs.comparison), ("unit", theirs.unit),
        ("initial_target", theirs.initial_target), ("adjust_reason", theirs.adjust_reason),
    ]
    if theirs.weight is not None:
        values.append(("weight", theirs.weight))
    if theirs.rule_text.strip():
        values.append(("rule_text", theirs.rule_text))
    if ours.method in _KEEP_METHODS and theirs.method is not ours.method:
        values.append(("method", theirs.method))
    return tuple(values)


def _fresh(node: Indicator) -> Indicator:
    """A copy of an imported indicator (its subtree) with fresh uids, no results, not in any tree."""
    copied = copy.deepcopy(node)
    copied.parent = None
    for n in copied.walk():
        n.uid = new_uid()
        n.actual, n.score_override, n.tier, n.deviation_note = "", None, None, ""
    return copied


def update_targets(doc: Document, ours: Evaluation, theirs: Evaluation) -> TargetsUpdate:
    """The plan and the operations of 更新指标值 (see module doc); nothing is changed here."""
    plan = TargetsUpdate()
    our_leaves = [n for n in ours.leaves() if n.level == 3 or n.parent is not None]
    by_key: dict[str, list[Indicator]] = {}
    for node in our_leaves:
        by_key.setdefault(indicator_key(node.name), []).append(node)
    used: set[int] = set()
    unmatched: list[Indicator] = []
    for leaf in theirs.leaves():
        if leaf.parent is None and not leaf.target and leaf.weight is None:
            continue   # an empty level-1 node
        candidates = [n for n in by_key.get(indicator_key(leaf.name), []) if n.uid not in used]
        if not candidates:
            unmatched.append(leaf)
            continue
        path = _path_keys(leaf)
        match = next((n for n in candidates if _path_keys(n) == path), candidates[0])
        used.add(match.uid)
        plan.updated += 1
        values = _values_of(match, leaf)
        if any(getattr(match, name) != value for name, value in values):
            plan.changed += 1
            plan.operations.append(SetTargetFields(ours.uid, match.uid, values))
    plan.kept = [n.name or "（未命名）" for n in our_leaves if n.uid not in used]
    # imported indicators ours lack: under the groups of the same names, made when missing
    created: dict[tuple[str, ...], Indicator] = {}
    scheduled: dict[int | None, int] = {}   # inserts planned under each parent (uid; None: level 1)

    def insert(parent: Indicator | None, node: Indicator) -> None:
        key = None if parent is None else parent.uid
        existing = len(ours.indicators) if parent is None else (
            0 if any(parent is g for g in created.values()) else len(parent.children))
        plan.operations.append(InsertIndicator(ours.uid, key, existing + scheduled.get(key, 0), node))
        scheduled[key] = scheduled.get(key, 0) + 1

    for leaf in unmatched:
        chain = []
        node = leaf.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        chain.reverse()
        parent: Indicator | None = None
        siblings = ours.indicators
        keys: tuple[str, ...] = ()
        for group in chain:
            keys = keys + (_group_key(group.name),)
            found = created.get(keys) or next(
                (g for g in siblings if g.children and _group_key(g.name) == keys[-1]), None)
            if found is None:
                found = Indicator(name=group.name, weight=group.weight)
                insert(parent, found)
                created[keys] = found
            parent, siblings = found, found.children
        insert(parent, _fresh(leaf))
        plan.added.append(leaf.name or "（未命名）")
    plan.operations.extend(_evaluation_fields(ours, theirs))
    return plan


def _evaluation_fields(ours: Evaluation, theirs: Evaluation) -> list:
    """The 年度总体目标 (the table's), and what ours leaves empty: 全年预算数, sources, project fields."""
    from perfdesk.model.amounts import format_wan

    ops: list = []
    if theirs.goals.expected.strip() and theirs.goals.expected != ours.goals.expected:
        ops.append(SetEvaluationField(ours.uid, "goals.expected", theirs.goals.expected))
    for column in ("initial_budget", "annual_budget"):
        value = getattr(theirs.budget.total, column)
        if value is not None and getattr(ours.budget.total, column) is None:
            ops.append(SetEvaluationField(ours.uid, f"budget.total.{column}", format_wan(value)))
        for key, amounts in theirs.budget.sources.items():
            value = getattr(amounts, column)
            mine = ours.budget.sources.get(key)
            if value is not None and (mine is None or getattr(mine, column) is None):
                ops.append(SetEvaluationField(ours.uid, f"budget.sources.{key}.{column}", format_wan(value)))
    for name in ("supervisor", "supervisor_code", "implementer", "code"):
        value = getattr(theirs.project, name, "")
        if value and not getattr(ours.project, name, ""):
            ops.append(SetEvaluationField(ours.uid, f"project.{name}", value))
    return ops


def update_targets_operation(doc: Document, ours: Evaluation, theirs: Evaluation, text: str = "更新指标值"):
    """更新指标值 as one operation (one undo step)."""
    return batch(update_targets(doc, ours, theirs).operations, text)


__all__ = ["SetTargetFields", "TARGET_FIELDS", "TargetsUpdate", "indicator_key", "update_targets",
           "update_targets_operation"]
