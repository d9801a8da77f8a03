"""Reading targets and actual values as officers write them.

``≥98%``, ``≤5%``, ``31.48万人``, ``≤3000000``, ``2. 47%`` (a space left by
copy-paste), ``入口补每年116.11万人``, ``12月底前完成``, ``≥核定单位数量`` and
qualitative words (健全, 合理, 及时到位, 达成预期指标 …). A value that cannot
be read as a number is kept as text with ``kind == TEXT``; it is never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache


class ValueKind(str, Enum):
    EMPTY = "empty"
    NUMBER = "number"            # 31万人, 3000000, 0.63万元
    PERCENT = "percent"          # 98%
    QUALITATIVE = "qualitative"  # 健全, 达成预期指标, 12月底前完成
    TEXT = "text"                # anything else: kept verbatim, reported


# Words officers use for qualitative targets and actual values.
QUALITATIVE_WORDS = (
    "健全", "合理", "明确", "科学", "规范", "合规", "符合", "完善", "公开", "有效",
    "及时", "及时到位", "正常", "正常运转", "可持续", "保障", "积极推动", "基本理解",
    "提高", "有效提高", "较高", "达成预期指标", "完成", "达成", "部分达成", "未达成",
    "到位", "达标", "良好", "满意", "是", "否", "无", "有效保障", "稳定", "安全",
)
# Actual values that mean "the target was met" / "partly met" / "not met".
ACHIEVED_WORDS = ("达成预期指标", "达成年度指标", "达成预期", "已完成", "完成", "达成", "达标", "到位")
PARTIAL_WORDS = ("部分达成", "基本达成", "基本完成", "部分完成")
NOT_ACHIEVED_WORDS = ("未达成", "未完成", "未达到", "未到位")

_COMPARATORS = {
    "≥": ">=", ">=": ">=", "＞=": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=",
    "≤": "<=", "<=": "<=", "＜=": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=",
    "＞": ">", ">": ">", "大于": ">", "＜": "<", "<": "<", "小于": "<", "＝": "=", "=": "=",
}
_COMPARATOR_RE = re.compile(
    "^(" + "|".join(sorted(map(re.escape, _COMPARATORS), key=len, reverse=True)) + ")"
)
_SPACES_RE = re.compile(r"[\s\u3000\xa0]+")
# A number with spaces that copy-paste left inside it: “2. 47”, “93116. 21”.
_NUMBER_RE = re.compile(r"(?<![\d.])(\d[\d,，]*(?:\s*\.\s*\d+)?)")
_SCALES = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), "百": Decimal(100)}
_UNIT_RE = re.compile(r"^\s*(%|％|‰|[亿万千百]?[\u4e00-\u9fffA-Za-z/]{0,4})")


@dataclass(frozen=True)
class Value:
    """A target or actual value as read. ``number`` is in the written unit."""

    raw: str
    kind: ValueKind
    number: Decimal | None = None  # 31.48 for “31.48万人”, 98 for “≥98%”
    unit: str = ""                 # “万人”, “%”, “万元”
    comparator: str = ""           # ">=", "<=", ">", "<", "=" or ""
    prefix: str = ""               # text before the number: “入口补每年”
    suffix: str = ""               # text after the unit

    @property
    def is_numeric(self) -> bool:
        return self.kind in (ValueKind.NUMBER, ValueKind.PERCENT)

    @property
    def base_unit(self) -> str:
        """The unit without its scale: “人” for “万人”, “元” for “万元”."""
        if self.kind is ValueKind.PERCENT:
            return "%"
        unit = self.unit
        if unit and unit[0] in _SCALES:
            unit = unit[1:]
        return unit

    @property
    def magnitude(self) -> Decimal | None:
        """The number in base units: 314 800 for “31.48万人”, 98 for “98%”."""
        if self.number is None:
            return None
        if self.kind is ValueKind.NUMBER and self.unit and self.unit[0] in _SCALES:
            return self.number * _SCALES[self.unit[0]]
        return self.number


def comparable(a: Value, b: Value) -> bool:
    """Whether two numeric values measure the same thing (unit-wise)."""
    if not (a.is_numeric and b.is_numeric):
        return False
    ua, ub = a.base_unit, b.base_unit
    if a.kind is ValueKind.PERCENT or b.kind is ValueKind.PERCENT:
        return a.kind is b.kind
    return ua == ub or ua == "" or ub == ""


def normalise_text(text: str) -> str:
    return _SPACES_RE.sub("", text or "")


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> Value:
    """Read a target or actual value. Never raises; never invents a 0."""
    text = normalise_text(raw)
    if text in ("", "—", "-", "/", "……", "…"):
        return Value(raw, ValueKind.EMPTY)
    comparator = ""
    m = _COMPARATOR_RE.match(text)
    if m:
        comparator = _COMPARATORS[m.group(1)]
        text = text[m.end():]
    num = _NUMBER_RE.search(text)
    if num is None:
        kind = ValueKind.QUALITATIVE if _is_qualitative(text) or comparator else ValueKind.TEXT
        return Value(raw, kind, comparator=comparator, prefix=text)
    prefix = text[: num.start()]
    digits = num.group(1).replace(",", "").replace("，", "")
    rest = text[num.end():]
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return Value(raw, ValueKind.TEXT, prefix=text)
    unit_match = _UNIT_RE.match(rest)
    unit = unit_match.group(1) if unit_match else ""
    suffix = rest[len(unit):]
    if unit in ("%", "％"):
        kind, unit = ValueKind.PERCENT, "%"
    elif unit == "‰":
        kind, unit, number = ValueKind.PERCENT, "%", number / 10
    else:
        kind = ValueKind.NUMBER
    # “12月底前完成”, “2020-01-01”: a number inside a date or deadline is no quantity.
    if unit.startswith(("月", "日", "年", "号", "季")) or "-" in suffix or suffix.startswith(("月", "日")):
        return Value(raw, ValueKind.QUALITATIVE, prefix=text)
    if (prefix and not _is_label_prefix(prefix)) or any(ch.isdigit() for ch in suffix):
        return Value(raw, ValueKind.TEXT, prefix=text)
    return Value(raw, kind, number, unit, comparator, prefix, suffix)


def _is_label_prefix(prefix: str) -> bool:
    """“入口补每年”, “共”, “累计”: words before a number that do not change it."""
    return not any(ch.isdigit() for ch in prefix) and len(prefix) <= 12


def _is_qualitative(text: str) -> bool:
    return any(word in text for word in QUALITATIVE_WORDS)


def tier_word(text: str) -> str | None:
    """'achieved' / 'partial' / 'not_achieved' when an actual value says so."""
    t = normalise_text(text)
    if any(w in t for w in NOT_ACHIEVED_WORDS):
        return "not_achieved"
    if any(w in t for w in PARTIAL_WORDS):
        return "partial"
    if any(w in t for w in ACHIEVED_WORDS):
        return "achieved"
    return None


# Weights, scores and amounts in 万元 never come near this; larger input is a typo.
MAX_NUMBER = Decimal(10) ** 12


def parse_decimal(text: str) -> Decimal | None:
    """A plain number typed in a weight or score cell: “1. 5” → 1.5; '' → None.

    Raises ``ValueError`` with a Chinese message for anything else, so that a
    malformed number is refused at entry instead of read as 0.
    """
    cleaned = normalise_text(text).rstrip("分")
    if cleaned == "":
        return None
    try:
        d = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}”不是有效的数字") from None
    if not d.is_finite() or abs(d) >= MAX_NUMBER:
        raise ValueError(f"“{text.strip()}”不是有效的数字")
    return d


def parse_rate(text: str) -> Decimal | None:
    """“85.8%” → 0.858; “2. 47%” → 0.0247; '' → None. Raises ValueError otherwise."""
    cleaned = normalise_text(text)
    if cleaned == "":
        return None
    v = parse_value(cleaned)
    if v.kind is ValueKind.PERCENT and not v.comparator:
        return v.number / 100
    if v.kind is ValueKind.NUMBER and not v.unit and not v.comparator:
        return v.number if v.number <= 1 else v.number / 100
    raise ValueError(f"“{text.strip()}”不是有效的百分比")
