"""The rule of every column kind of the file format, applied to each value read and written.

A ``.pdesk`` file is untrusted input: every value read is checked against its
column's kind (``info["kind"]`` in ``schema``) before it reaches the model, and
every value about to be written is checked by the same rule, so perfdesk never
writes a file it would refuse to open. A value that breaks its rule raises
``FieldError``, whose message names the table and the field — never the value
(a 10 MB name must not become a 10 MB message).

Kinds: ``id``, ``position``, ``year``, ``bool``, ``text``, ``decimal`` (the text of
a finite ``Decimal`` within ±10^12), ``amount`` (integer 分 within ±10^18),
``layout`` (a known layout id or empty), ``unit`` (a 计量单位: text of at most
``MAX_UNIT_CHARS`` characters), ``rule_set`` (a 评价规则 id: empty, or at most
``MAX_RULE_SET_ID_CHARS`` letters, digits, “-” and “_” — an id unknown here is
kept, the checks report it) and ``enum:<name>`` (one of ``ENUMS``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from perfdesk.model.amounts import FEN_PER_WAN, MAX_WAN
from perfdesk.model.document import EvaluationKind, Method, Tier
from perfdesk.model.values import COMPARISONS, MAX_NUMBER, MAX_UNIT_CHARS

MAX_TEXT_CHARS = 1_000_000          # one text field (a narrative of 1 000 000 characters is ~300 pages)
MAX_DECIMAL_CHARS = 64              # the stored text of one weight, score or rate
MAX_AMOUNT_FEN = int(MAX_WAN) * FEN_PER_WAN  # 10^12 万元, as everywhere else
MAX_POSITION = 10_000_000
MAX_YEAR = 9999
MAX_ID = 2 ** 63 - 1
MAX_RULE_SET_ID_CHARS = 100         # the id of a 评价规则 (resources/rules/*.json or the user's own)

# Quanta of the execution-rate score (“保留位数”): whole points down to 0.0001.
ROUNDING_QUANTA = ("1", "0.1", "0.01", "0.001", "0.0001")
BUDGET_PARTS = ("total", "basic", "project", "line", "source")

ENUMS: dict[str, dict[str, Any]] = {
    "kind": {k.value: k for k in EvaluationKind},
    "method": {m.value: m for m in Method},
    "tier": {t.value: t for t in Tier},
    "rounding": {q: q for q in ROUNDING_QUANTA},
    "budget_part": {p: p for p in BUDGET_PARTS},
    "comparison": {c: c for c in COMPARISONS},  # 指标性质; "" unknown
}


class FieldError(ValueError):
    """A value that breaks its column's rule (message: table and field, never the value)."""

    def __init__(self, table_label: str, field_label: str, reason: str):
        super().__init__(f"{table_label}的“{field_label}”{reason}")
        self.table_label = table_label
        self.field_label = field_label
        self.reason = reason


class _Bad(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _id(v):
    if type(v) is not int or not 0 <= v <= MAX_ID:
        raise _Bad("不是有效的编号")
    return v


def _position(v):
    if type(v) is not int or not 0 <= v <= MAX_POSITION:
        raise _Bad("不是有效的顺序号")
    return v


def _year(v):
    if type(v) is not int or not 0 <= v <= MAX_YEAR:
        raise _Bad(f"不是有效的年度，应为 0 到 {MAX_YEAR} 的整数")
    return v


def _bool(v):
    if type(v) not in (int, bool) or v not in (0, 1):
        raise _Bad("不是有效的是/否标记")
    return bool(v)


def _text(v):
    if type(v) is not str:
        raise _Bad("不是文字")
    if len(v) > MAX_TEXT_CHARS:
        raise _Bad(f"超过 {MAX_TEXT_CHARS} 字的上限")
    return v


def _decimal(v):
    if type(v) is not str or len(v) > MAX_DECIMAL_CHARS:
        raise _Bad("不是有效的数字")
    try:
        d = Decimal(v)
    except (ArithmeticError, ValueError):
        raise _Bad("不是有效的数字") from None
    # copy_abs and comparison need no context: 1E+999999999 cannot overflow here
    if not d.is_finite() or d.copy_abs() >= MAX_NUMBER:
        raise _Bad("不是有效的数字，应为绝对值小于 10^12 的有限数")
    return d


def _amount(v):
    if type(v) is not int or not -MAX_AMOUNT_FEN < v < MAX_AMOUNT_FEN:
        raise _Bad("不是有效的金额，应为绝对值小于 10^12 万元的整数分")
    return v


def _layout(v):
    v = _text(v)
    if v:
        from perfdesk.model.layouts import is_known as is_known_layout

        if not is_known_layout(v):
            raise _Bad("是本程序不认识的表样，可能由更新版本的 perfdesk 保存")
    return v


def _unit(v):
    if type(v) is not str:
        raise _Bad("不是文字")
    if len(v) > MAX_UNIT_CHARS:
        raise _Bad(f"超过 {MAX_UNIT_CHARS} 字的上限")
    return v


def is_rule_set_id(v) -> bool:
    """An id a 评价规则 file may have (perfdesk.scoring.rules checks the same characters), or ''."""
    return type(v) is str and len(v) <= MAX_RULE_SET_ID_CHARS and all(ch.isalnum() or ch in "-_" for ch in v)


def _rule_set(v):
    if type(v) is not str:
        raise _Bad("不是文字")
    if not is_rule_set_id(v):
        raise _Bad("不是有效的评价规则名称")
    return v


def _enum(name: str) -> Callable[[Any], Any]:
    table = ENUMS[name]

    def check(v):
        try:
            return table[v]
        except (KeyError, TypeError):
            raise _Bad("不是可识别的取值") from None

    return check


_RULES: dict[str, Callable[[Any], Any]] = {
    "id": _id, "position": _position, "year": _year, "bool": _bool, "text": _text,
    "decimal": _decimal, "amount": _amount, "layout": _layout, "unit": _unit, "rule_set": _rule_set,
}


def is_known_kind(kind: str) -> bool:
    if kind.startswith("enum:"):
        return kind[5:] in ENUMS
    return kind in _RULES


def _checker(kind: str) -> Callable[[Any], Any]:
    return _enum(kind[5:]) if kind.startswith("enum:") else _RULES[kind]


def rule(kind: str, nullable: bool, table_label: str, field_label: str) -> Callable[[Any], Any]:
    """A function that checks one value of the column (None where allowed) and returns its model value."""
    check = _checker(kind)

    def apply(value):
        if value is None:
            if nullable:
                return None
            raise FieldError(table_label, field_label, "缺失")
        try:
            return check(value)
        except _Bad as bad:
            raise FieldError(table_label, field_label, bad.reason) from None

    return apply


def column_rule(kind: str, nullable: bool, table_label: str, field_label: str) -> Callable[[list], list]:
    """Like ``rule``, for all values of a column at once (what opening a file runs: fewer calls).

    Plain text, ids and positions are checked in a tight loop and returned as they are;
    the other kinds are converted value by value.
    """
    one = rule(kind, nullable, table_label, field_label)
    if kind == "text" and not nullable:
        def text_column(values: list) -> list:
            for v in values:
                if type(v) is not str or len(v) > MAX_TEXT_CHARS:
                    one(v)  # raises the right FieldError
            return values
        return text_column
    if kind in ("id", "position") and not nullable:
        top = MAX_ID if kind == "id" else MAX_POSITION

        def int_column(values: list) -> list:
            for v in values:
                if type(v) is not int or not 0 <= v <= top:
                    one(v)
            return values
        return int_column
    if kind.startswith("enum:"):
        table = ENUMS[kind[5:]]

        def enum_column(values: list) -> list:
            try:
                return [None if v is None and nullable else table[v] for v in values]
            except (KeyError, TypeError):
                return [one(v) for v in values]  # raises for the first bad value
        return enum_column
    if kind == "decimal":
        def decimal_column(values: list) -> list:
            out = []
            for v in values:
                if v is None:
                    out.append(None)
                    continue
                if type(v) is str and len(v) <= MAX_DECIMAL_CHARS:
                    try:
                        d = Decimal(v)
                    except (ArithmeticError, ValueError):
                        d = None
                    if d is not None and d.is_finite() and d.copy_abs() < MAX_NUMBER:
                        out.append(d)
                        continue
                out.append(one(v))  # raises
            return out
        return decimal_column
    return lambda values: [one(v) for v in values]
