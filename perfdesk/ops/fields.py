"""The fields of a document and how typed text becomes their values (used by the operations).

Pure Python, no Qt. ``parse_*`` turn what the officer typed into the stored value
(raising ``ValueError`` with a Chinese message for a malformed number); ``get_*``
read a field; ``set_*`` write an already parsed value and return the old one.
Only the operations in this package call the setters: everything else changes a
document through an operation.

Field names:
- indicator: ``name``, ``weight``, ``target``, ``actual``, ``method``, ``tier``,
  ``score`` (the officer's override), ``rule_text``, ``deviation_note``, ``comparison``
  (指标性质: =, ≥, ≤, >, <, 定性 or '' — typed as “>=”, “大于等于” … too), ``unit`` (计量单位),
  ``initial_target`` (年初指标值 of an adjusted target; ``target`` is then the 调整后指标值)
  and ``adjust_reason`` (调整原因);
- evaluation: dotted paths — ``name``, ``stated_total``, ``stated_grade``,
  ``goals.expected``, ``goals.achieved``, ``narrative.<key>``, ``project.<attr>`` (``project.code``
  is the 项目编码),
  ``execution.weight``, ``execution.stated_rate``, ``execution.stated_score``,
  ``budget.<total|basic|project>.<column>``, ``budget.sources.<key>.<column>``,
  ``budget.lines.<index>.<column>``, ``budget.lines.<index>.name``;
- profile (单位信息): the attributes of ``UnitProfile`` plus ``year``.
"""

from __future__ import annotations

from dataclasses import fields as dc_fields
from decimal import Decimal
from typing import Any

from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import (
    SOURCE_LABELS,
    Amounts,
    Document,
    Evaluation,
    ExecutionLine,
    Indicator,
    Method,
    Tier,
    UnitProfile,
)
from perfdesk.model.values import MAX_UNIT_CHARS, parse_comparison, parse_decimal, parse_rate

INDICATOR_FIELDS = (
    "name", "weight", "target", "actual", "method", "tier", "score", "rule_text", "deviation_note",
    "comparison", "unit", "initial_target", "adjust_reason",
)
INDICATOR_FIELD_LABELS = {
    "name": "指标名称", "weight": "分值", "target": "指标值", "actual": "实际完成值",
    "method": "评分方法", "tier": "评价档次", "score": "得分", "rule_text": "评分规则",
    "deviation_note": "偏差原因分析及改进措施", "comparison": "指标性质", "unit": "计量单位",
    "initial_target": "年初指标值", "adjust_reason": "调整原因",
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
    "attribute": "项目属性", "period": "项目期", "code": "项目编码",
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


def _unit(value: Any) -> str:
    text = _text(value).strip()
    if len(text) > MAX_UNIT_CHARS:
        raise ValueError(f"计量单位不能超过 {MAX_UNIT_CHARS} 个字")
    return text


def _amount(value: Any) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return parse_wan(str(value))


MAX_NAME_CHARS = 1_000       # a name (单位, 项目, 指标, 项目行): no real one is longer
MAX_TEXT_CHARS = 1_000_000   # any other text, as the file keeps it (perfdesk.store.columns)


def _text(value: Any, limit: int = MAX_TEXT_CHARS) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:  # a 20-million-character paste would hang the window; the value is not quoted
        raise ValueError(f"文字过长（{len(text)} 个字符，此处最多 {limit} 个），没有写入")
    return text


def _name(value: Any) -> str:
    return _text(value, MAX_NAME_CHARS)


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
    if field == "comparison":
        return parse_comparison(_text(value))
    if field == "unit":
        return _unit(value)
    if field == "name":
        return _name(value)
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


# --- evaluations ----------------------------------------------------------------------

BUDGET_PARTS = ("total", "basic", "project")


def budget_cell(path: str) -> tuple[str, str, str]:
    """Split a budget path into (row, key, column), the one reader of budget paths.

    ``budget.total.spent`` → ("total", "", "spent"); ``budget.sources.general_budget.spent``
    → ("sources", "general_budget", "spent"); ``budget.lines.2.name`` → ("lines", "2", "name").
    The ``budget.`` prefix is optional. ``KeyError`` for anything else.
    """
    parts = path.split(".")
    if parts[0] == "budget":
        parts = parts[1:]
    if len(parts) == 2 and parts[0] in BUDGET_PARTS and parts[1] in Amounts.COLUMNS:
        return parts[0], "", parts[1]
    if len(parts) == 3 and parts[0] == "sources" and parts[1] in SOURCE_LABELS and parts[2] in Amounts.COLUMNS:
        return "sources", parts[1], parts[2]
    if (len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit()
            and (parts[2] in Amounts.COLUMNS or parts[2] == "name")):
        return "lines", parts[1], parts[2]
    raise KeyError(path)


def _amounts_for(ev: Evaluation, path: str, create: bool) -> Amounts | None:
    row, key, _column = budget_cell(path)
    budget = ev.budget
    if row in BUDGET_PARTS:
        return getattr(budget, row)
    if row == "sources":
        return budget.source(key) if create else budget.sources.get(key)
    return budget.project_lines[int(key)].amounts


TARGET_ROW_FIELDS = ("level1", "level2", "name", "target", "actual", "stated_progress")


GOALS_FIELDS = ("expected", "achieved")
ROUNDING_QUANTA = ("1", "0.1", "0.01")
EXECUTION_FIELDS = ("weight", "stated_rate", "stated_score")


def _target_row(ev: Evaluation, rest: str):
    index, _, field = rest.partition(".")
    if field not in TARGET_ROW_FIELDS or not index.isdigit() or int(index) >= len(ev.target_rows):
        raise KeyError(rest)
    return ev.target_rows[int(index)], field


def get_evaluation_field(ev: Evaluation, path: str) -> Any:
    head, _, rest = path.partition(".")
    if head == "target_rows":
        row, field = _target_row(ev, rest)
        return getattr(row, field)
    if path in ("name", "stated_total", "stated_grade", "execution_rounding"):
        return getattr(ev, path)
    if head == "goals" and rest in GOALS_FIELDS:
        return getattr(ev.goals, rest)
    if head == "narrative" and rest:
        return ev.narrative.get(rest, "")
    if head == "project" and rest in PROJECT_INFO_LABELS:
        return getattr(ev.project, rest)
    if head == "execution" and rest in EXECUTION_FIELDS:
        return None if ev.execution is None else getattr(ev.execution, rest)
    if head == "budget":
        row, key, column = budget_cell(path)
        if row == "lines" and int(key) >= len(ev.budget.project_lines):
            raise KeyError(path)
        if column == "name":
            return ev.budget.project_lines[int(key)].name
        amounts = _amounts_for(ev, path, create=False)  # reading never creates a source
        return None if amounts is None else getattr(amounts, column)
    raise KeyError(path)


def parse_evaluation_value(path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if head == "target_rows" and rest.endswith(".stated_progress"):
        return value if value is None or isinstance(value, Decimal) else parse_rate(str(value))
    if path == "stated_total":
        return _score(value)
    if path == "execution_rounding":
        text = _text(value).strip()
        if text not in ROUNDING_QUANTA:
            raise ValueError("预算执行率得分的取整方式应为 1、0.1 或 0.01")
        return text
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
    if path == "project.code":
        return _name(value).strip()
    if path == "name" or path.endswith(".name"):
        return _name(value)
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
        row, key, column = budget_cell(path)
        if column == "name":
            ev.budget.project_lines[int(key)].name = new
        else:
            setattr(_amounts_for(ev, path, create=True), column, new)
    return old


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
        setattr(doc.unit, field, _name(value) if field in ("name", "code", "supervisor") else _text(value))
    return old
