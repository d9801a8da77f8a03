"""Edit operations on a document, shared by the window (undo commands), the CLI and importers.

Pure Python, no Qt. Every setter parses and validates what the officer typed
(raising ``ValueError`` with a Chinese message for a malformed number, before
anything is changed) and returns the previous value, so that an undo command
can put it back with the same function.

Field names:
- indicator: ``name``, ``weight``, ``target``, ``actual``, ``method``, ``tier``,
  ``score`` (the officer's override), ``rule_text``, ``deviation_note``;
- evaluation: dotted paths — ``name``, ``stated_total``, ``stated_grade``,
  ``goals.expected``, ``goals.achieved``, ``narrative.<key>``, ``project.<attr>``,
  ``execution.weight``, ``execution.stated_rate``, ``execution.stated_score``,
  ``budget.<total|basic|project>.<column>``, ``budget.sources.<key>.<column>``,
  ``budget.lines.<index>.<column>``, ``budget.lines.<index>.name``;
- profile (单位信息): the attributes of ``UnitProfile`` plus ``year``.
"""

from __future__ import annotations

import copy
from dataclasses import fields as dc_fields
from decimal import Decimal
from typing import Any

from perfdesk.model.amounts import format_wan, parse_wan
from perfdesk.model.document import (
    SOURCE_LABELS,
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    ExecutionLine,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
    new_uid,
)
from perfdesk.model.values import parse_decimal, parse_rate

_MISSING = object()

INDICATOR_FIELDS = (
    "name", "weight", "target", "actual", "method", "tier", "score", "rule_text", "deviation_note",
)
INDICATOR_FIELD_LABELS = {
    "name": "指标名称", "weight": "分值", "target": "指标值", "actual": "实际完成值",
    "method": "评分方法", "tier": "评价档次", "score": "得分", "rule_text": "评分规则",
    "deviation_note": "偏差原因分析及改进措施",
}
_METHOD_BY_LABEL = {m.label: m for m in Method}
_TIER_BY_LABEL = {t.label: t for t in Tier}
PROFILE_FIELDS = tuple(f.name for f in dc_fields(UnitProfile))
PROFILE_FIELD_LABELS = {
    "name": "单位名称", "code": "单位代码", "supervisor": "主管部门", "functions": "主要职能",
    "organisation": "机构设置及人员配置", "leader": "单位负责人", "finance_leader": "财务负责人",
    "preparer": "填表人", "phone": "联系电话", "year": "年度", "final": "定稿标记",
}
PROJECT_INFO_LABELS = {
    "supervisor": "主管部门", "supervisor_code": "主管部门代码", "implementer": "实施单位",
    "attribute": "项目属性", "period": "项目期",
}
AMOUNT_COLUMN_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}


# --- parsing --------------------------------------------------------------------------

def _weight(text: Any) -> Decimal | None:
    if text is None or isinstance(text, Decimal):
        value = text
    else:
        value = parse_decimal(str(text))
    if value is not None and value < 0:
        raise ValueError(f"分值不能为负数：{value}")
    return value


def _score(text: Any) -> Decimal | None:
    if text is None or isinstance(text, Decimal):
        return text
    return parse_decimal(str(text))


def _method(value: Any) -> Method:
    if isinstance(value, Method):
        return value
    text = str(value).strip()
    if text in _METHOD_BY_LABEL:
        return _METHOD_BY_LABEL[text]
    try:
        return Method(text)
    except ValueError:
        raise ValueError(f"未知的评分方法“{text}”") from None


def _tier(value: Any) -> Tier | None:
    if value is None or isinstance(value, Tier):
        return value
    text = str(value).strip()
    if text == "":
        return None
    if text in _TIER_BY_LABEL:
        return _TIER_BY_LABEL[text]
    try:
        return Tier(text)
    except ValueError:
        raise ValueError(f"未知的评价档次“{text}”（应为 达成 / 部分达成 / 未达成）") from None


def _amount(value: Any) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return parse_wan(str(value))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parse_indicator_value(field: str, value: Any) -> Any:
    """The stored value for what was typed into an indicator's field (ValueError if malformed)."""
    if field == "weight":
        return _weight(value)
    if field == "score":
        return _score(value)
    if field == "method":
        return _method(value)
    if field == "tier":
        return _tier(value)
    if field in INDICATOR_FIELDS:
        return _text(value)
    raise KeyError(field)


# --- indicators -----------------------------------------------------------------------

def get_indicator_field(indicator: Indicator, field: str) -> Any:
    if field == "score":
        return indicator.score_override
    if field not in INDICATOR_FIELDS:
        raise KeyError(field)
    return getattr(indicator, field)


def set_indicator_field(indicator: Indicator, field: str, value: Any) -> Any:
    """Set one field from typed text (or an already parsed value); return the old value."""
    new = parse_indicator_value(field, value)
    old = get_indicator_field(indicator, field)
    if field == "score":
        indicator.score_override = new
    else:
        setattr(indicator, field, new)
    return old


def siblings(ev: Evaluation, indicator: Indicator) -> list[Indicator]:
    return indicator.parent.children if indicator.parent is not None else ev.indicators


def position(ev: Evaluation, indicator: Indicator) -> tuple[Indicator | None, int]:
    """(parent, index among its siblings)."""
    return indicator.parent, siblings(ev, indicator).index(indicator)


def insert_indicator(ev: Evaluation, parent: Indicator | None, index: int, indicator: Indicator) -> None:
    if parent is not None and parent.level + 1 + _depth(indicator) - 1 > 3:
        raise ValueError("指标最多三级，不能再插入下级指标")
    if parent is None:
        ev.add(indicator, index)
    else:
        parent.add(indicator, index)


def delete_indicator(ev: Evaluation, indicator: Indicator) -> tuple[Indicator | None, int]:
    """Remove an indicator (with its children); return (parent, index) to put it back."""
    parent, index = position(ev, indicator)
    siblings(ev, indicator).pop(index)
    indicator.parent = None
    return parent, index


def _depth(indicator: Indicator) -> int:
    return 1 + max((_depth(c) for c in indicator.children), default=0)


def relocate_indicator(ev: Evaluation, indicator: Indicator, parent: Indicator | None,
                       index: int) -> tuple[Indicator | None, int]:
    """Move an indicator to ``parent`` at ``index`` (index in the list *after* removal).

    Returns (old parent, old index) so that relocating back undoes it.
    """
    node = parent
    while node is not None:
        if node is indicator:
            raise ValueError("不能把指标移动到它自己的下级")
        node = node.parent
    new_level = 1 if parent is None else parent.level + 1
    if new_level + _depth(indicator) - 1 > 3:
        raise ValueError("指标最多三级，不能再降级")
    old = delete_indicator(ev, indicator)
    insert_indicator(ev, parent, index, indicator)
    return old


def move_indicator(ev: Evaluation, indicator: Indicator, delta: int) -> tuple[Indicator | None, int]:
    """Move up (delta −1) or down (+1) among siblings; ValueError at the ends."""
    parent, index = position(ev, indicator)
    target = index + delta
    if not 0 <= target < len(siblings(ev, indicator)):
        raise ValueError("已经是第一项" if delta < 0 else "已经是最后一项")
    return relocate_indicator(ev, indicator, parent, target)


def indent_target(ev: Evaluation, indicator: Indicator) -> tuple[Indicator, int]:
    """Where 降级 puts an indicator: at the end of its previous sibling's children."""
    parent, index = position(ev, indicator)
    if index == 0:
        raise ValueError("第一项没有可归入的上一项，不能降级")
    new_parent = siblings(ev, indicator)[index - 1]
    return new_parent, len(new_parent.children)


def indent_indicator(ev: Evaluation, indicator: Indicator) -> tuple[Indicator | None, int]:
    new_parent, index = indent_target(ev, indicator)
    return relocate_indicator(ev, indicator, new_parent, index)


def outdent_target(ev: Evaluation, indicator: Indicator) -> tuple[Indicator | None, int]:
    """Where 升级 puts an indicator: right after its parent."""
    parent = indicator.parent
    if parent is None:
        raise ValueError("一级指标不能再升级")
    grand, parent_index = position(ev, parent)
    return grand, parent_index + 1


def outdent_indicator(ev: Evaluation, indicator: Indicator) -> tuple[Indicator | None, int]:
    grand, index = outdent_target(ev, indicator)
    return relocate_indicator(ev, indicator, grand, index)


def clone_indicator(indicator: Indicator) -> Indicator:
    """A deep copy with fresh uids and no parent."""
    parent = indicator.parent
    indicator.parent = None
    try:
        copied = copy.deepcopy(indicator)
    finally:
        indicator.parent = parent
    for node in copied.walk():
        node.uid = new_uid()
    return copied


# --- evaluations ----------------------------------------------------------------------

def _amounts_for(ev: Evaluation, parts: list[str]) -> tuple[Amounts, str]:
    budget = ev.budget
    if parts[0] in ("total", "basic", "project") and len(parts) == 2:
        return getattr(budget, parts[0]), parts[1]
    if parts[0] == "sources" and len(parts) == 3:
        return budget.source(parts[1]), parts[2]
    if parts[0] == "lines" and len(parts) == 3:
        return budget.project_lines[int(parts[1])].amounts, parts[2]
    raise KeyError(".".join(parts))


TARGET_ROW_FIELDS = ("level1", "level2", "name", "target", "actual", "stated_progress")


def _target_row(ev: Evaluation, rest: str):
    index, _, field = rest.partition(".")
    if field not in TARGET_ROW_FIELDS:
        raise KeyError(rest)
    return ev.target_rows[int(index)], field


def get_evaluation_field(ev: Evaluation, path: str) -> Any:
    head, _, rest = path.partition(".")
    if head == "target_rows":
        row, field = _target_row(ev, rest)
        return getattr(row, field)
    if path in ("name", "stated_total", "stated_grade", "execution_rounding"):
        return getattr(ev, path)
    if head == "goals":
        return getattr(ev.goals, rest)
    if head == "narrative":
        return ev.narrative.get(rest, "")
    if head == "project":
        return getattr(ev.project, rest)
    if head == "execution":
        return None if ev.execution is None else getattr(ev.execution, rest)
    if head == "budget":
        parts = rest.split(".")
        if parts[0] == "lines" and parts[-1] == "name":
            return ev.budget.project_lines[int(parts[1])].name
        if parts[0] == "sources" and len(parts) == 3:
            if parts[1] not in SOURCE_LABELS or parts[2] not in Amounts.COLUMNS:
                raise KeyError(path)
            existing = ev.budget.sources.get(parts[1])  # reading never creates a source
            return None if existing is None else getattr(existing, parts[2])
        amounts, column = _amounts_for(ev, parts)
        if column not in Amounts.COLUMNS:
            raise KeyError(path)
        return getattr(amounts, column)
    raise KeyError(path)


def parse_evaluation_value(path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if head == "target_rows" and rest.endswith(".stated_progress"):
        return value if value is None or isinstance(value, Decimal) else parse_rate(str(value))
    if path == "stated_total":
        return _score(value)
    if path == "stated_grade":
        text = _text(value).strip()
        if text and text not in ("优", "良", "中", "差"):
            raise ValueError(f"绩效等级应为 优 / 良 / 中 / 差，而不是“{text}”")
        return text or None
    if head == "execution":
        if rest == "weight":
            w = _weight(value)
            return Decimal(10) if w is None else w
        if rest == "stated_rate":
            return value if value is None or isinstance(value, Decimal) else parse_rate(str(value))
        if rest == "stated_score":
            return _score(value)
        raise KeyError(path)
    if head == "budget" and not path.endswith(".name"):
        return _amount(value)
    return _text(value)


def set_evaluation_field(ev: Evaluation, path: str, value: Any) -> Any:
    """Set a field of an evaluation by its dotted path; return the old value."""
    new = parse_evaluation_value(path, value)
    old = get_evaluation_field(ev, path)
    head, _, rest = path.partition(".")
    if head == "target_rows":
        row, field = _target_row(ev, rest)
        setattr(row, field, new)
    elif path in ("name", "stated_total", "stated_grade", "execution_rounding"):
        setattr(ev, path, new)
    elif head == "goals":
        setattr(ev.goals, rest, new)
    elif head == "narrative":
        if new:
            ev.narrative[rest] = new
        else:
            ev.narrative.pop(rest, None)
    elif head == "project":
        if rest not in PROJECT_INFO_LABELS:
            raise KeyError(path)
        setattr(ev.project, rest, new)
    elif head == "execution":
        if ev.execution is None:
            ev.execution = ExecutionLine()
        setattr(ev.execution, rest, new)
    elif head == "budget":
        parts = rest.split(".")
        if parts[0] == "lines" and parts[-1] == "name":
            ev.budget.project_lines[int(parts[1])].name = new
        else:
            amounts, column = _amounts_for(ev, parts)
            setattr(amounts, column, new)
    return old


def insert_budget_line(ev: Evaluation, index: int, line: BudgetLine | None = None) -> BudgetLine:
    line = line or BudgetLine(name="")
    ev.budget.project_lines.insert(index, line)
    return line


def delete_budget_line(ev: Evaluation, index: int) -> BudgetLine:
    return ev.budget.project_lines.pop(index)


def insert_target_row(ev: Evaluation, index: int, row: TargetRow | None = None) -> TargetRow:
    row = row or TargetRow()
    ev.target_rows.insert(index, row)
    return row


def delete_target_row(ev: Evaluation, index: int) -> TargetRow:
    return ev.target_rows.pop(index)


# --- profile --------------------------------------------------------------------------

def get_profile_field(doc: Document, field: str) -> Any:
    if field == "year":
        return doc.year
    if field == "final":
        return doc.final
    if field not in PROFILE_FIELDS:
        raise KeyError(field)
    return getattr(doc.unit, field)


def set_profile_field(doc: Document, field: str, value: Any) -> Any:
    old = get_profile_field(doc, field)
    if field == "year":
        if isinstance(value, int):
            year = value
        else:
            text = _text(value).strip().rstrip("年")
            if not text.isdigit() or not 1990 <= int(text) <= 2100:
                raise ValueError(f"“{_text(value).strip()}”不是有效的年度")
            year = int(text)
        doc.year = year
    elif field == "final":
        doc.final = value if isinstance(value, bool) else str(value).strip() in ("1", "true", "True", "是")
    else:
        setattr(doc.unit, field, _text(value))
        if field == "name":
            doc.unit_evaluation.name = _text(value)
    return old


# --- projects -------------------------------------------------------------------------

def clone_evaluation(ev: Evaluation) -> Evaluation:
    """A deep copy with fresh uids (evaluation and indicators)."""
    copied = copy.deepcopy(ev)
    copied.uid = new_uid()
    for node in copied.walk():
        node.uid = new_uid()
    return copied


def add_project(doc: Document, ev: Evaluation, index: int | None = None) -> int:
    if ev.kind is not EvaluationKind.PROJECT:
        raise ValueError("只能添加项目支出绩效自评表")
    index = len(doc.projects) if index is None else index
    doc.projects.insert(index, ev)
    return index


def delete_project(doc: Document, ev: Evaluation) -> int:
    index = doc.projects.index(ev)
    doc.projects.pop(index)
    return index


def rename_project(ev: Evaluation, name: str) -> str:
    name = _text(name).strip()
    if not name:
        raise ValueError("项目名称不能为空")
    old, ev.name = ev.name, name
    return old


def duplicate_project(doc: Document, ev: Evaluation) -> tuple[Evaluation, int]:
    copied = clone_evaluation(ev)
    copied.name = f"{ev.name}（副本）"
    index = doc.projects.index(ev) + 1
    doc.projects.insert(index, copied)
    return copied, index


def move_project(doc: Document, ev: Evaluation, index: int) -> int:
    """Move a project to ``index``; return its old index."""
    if not 0 <= index < len(doc.projects):
        raise ValueError("无法移动到该位置")
    old = doc.projects.index(ev)
    doc.projects.pop(old)
    doc.projects.insert(index, ev)
    return old


# --- next year ------------------------------------------------------------------------

def _clear_amounts_spent(amounts: Amounts) -> None:
    amounts.spent = None


def next_year(doc: Document) -> Document:
    """新建下一年度: the same structure, targets, weights, rules and methods for year + 1.

    Cleared: actual values, score overrides, tiers, deviation notes, narrative and
    goals' 实际完成情况, stated totals/grades/execution figures, budget spent
    figures, target rows' actual values and progress, the 定稿 mark.
    The original document is not changed.
    """
    new = copy.deepcopy(doc)
    new.year = (doc.year or 0) + 1 if doc.year else 0
    new.final = False
    for ev in new.evaluations():
        ev.uid = new_uid()
        for node in ev.walk():
            node.uid = new_uid()
            node.actual = ""
            node.score_override = None
            node.tier = None
            node.deviation_note = ""
        ev.narrative = {}
        ev.goals.achieved = ""
        ev.stated_total = None
        ev.stated_grade = None
        if ev.execution is not None:
            ev.execution.stated_rate = None
            ev.execution.stated_score = None
        budget = ev.budget
        for amounts in (budget.total, budget.basic, budget.project, *budget.sources.values(),
                        *(line.amounts for line in budget.project_lines)):
            _clear_amounts_spent(amounts)
        for row in ev.target_rows:
            row.actual = ""
            row.stated_progress = None
    return new


def describe_amount(fen: int | None) -> str:
    return format_wan(fen)


__all__ = [
    "AMOUNT_COLUMN_LABELS", "INDICATOR_FIELDS", "INDICATOR_FIELD_LABELS", "PROFILE_FIELDS",
    "PROFILE_FIELD_LABELS", "PROJECT_INFO_LABELS", "SOURCE_LABELS", "add_project",
    "clone_evaluation", "clone_indicator", "delete_budget_line", "delete_indicator",
    "delete_project", "duplicate_project", "get_evaluation_field", "get_indicator_field",
    "get_profile_field", "indent_indicator", "indent_target", "insert_budget_line",
    "insert_indicator", "move_indicator", "move_project", "next_year", "outdent_indicator",
    "outdent_target", "parse_evaluation_value", "parse_indicator_value", "position",
    "relocate_indicator", "rename_project", "set_evaluation_field", "set_indicator_field",
    "set_profile_field", "siblings", "ProjectInfo",
]
