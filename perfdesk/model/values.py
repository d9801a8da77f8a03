"""Reading targets and actual values as officers write them.

``≥98%``, ``≤5%``, ``31.48万人``, ``≤3000000``, ``2. 47%`` (a space left by
copy-paste), ``入口补每年116.11万人``, ``12月底前完成``, ``≥核定单位数量`` and
qualitative words (健全, 合理, 及时到位, 达成预期指标 …). Signed and directional
values are numbers: ``-5%``, ``－5%``, ``下降5%``, ``减少3个`` are negative,
``增长10%`` positive; ``90%-95%`` is a range; ``百分比`` / ``百分点`` are per cent.
A value that cannot be read as a number is kept as text with ``kind == TEXT``;
it is never 0.

Since 指标性质 (comparison) and 计量单位 (unit) are fields of their own on an
indicator, ``read_value(text, unit, comparison)`` reads a value together with
them, and ``split_target`` splits an old target text (“≥98%”) into the three
parts for migrating existing documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from perfdesk.model.amounts import half_width, ungroup


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
# A sign right before a number: ASCII, full-width and typographic minus signs.
_MINUS_SIGNS = ("-", "－", "−", "﹣", "负")
_PLUS_SIGNS = ("+", "＋", "正")
# Words that give a number its direction: “下降5%” is −5%, “增长10%” is +10%.
NEGATIVE_WORDS = ("下降", "降低", "减少", "压减", "缩减", "下调", "减")
POSITIVE_WORDS = ("增长", "增加", "提高", "提升", "上升", "上调", "增")
# “90%-95%”, “90～95%”, “3至5个”: a range (the rest of a value after its first number and unit).
_RANGE_RE = re.compile(r"^(?:-|－|~|～|至|到|—)(\d[\d,，]*(?:\.\d+)?)")
# “31万人以上”, “5%以内”: words after a value that bound it.
_BOUND_WORDS = (("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="),
                ("之内", "<="), ("以下", "<="))
# Units that mean per cent.
PERCENT_UNITS = ("%", "％", "百分比", "百分点", "个百分点")
_EMPTY_TEXTS = ("", "—", "-", "－", "−", "/", "／", "……", "…", "——", "无数据")
# A number with spaces that copy-paste left inside it: “2. 47”, “93116. 21”.
_NUMBER_RE = re.compile(r"(?<![\d.])(\d[\d,，]*(?:\s*\.\s*\d+)?)")
_SCALES = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), "百": Decimal(100)}
_UNIT_RE = re.compile(r"^\s*(%|％|‰|个百分点|百分点|百分比|[亿万千百]?[\u4e00-\u9fffA-Za-z/²³]{0,4})")


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
    upper: Decimal | None = None   # the upper end of a range “90%-95%” (``number`` is the lower)
    direction: str = ""            # "-" for 下降/减少, "+" for 增长/增加, "" otherwise

    @property
    def is_range(self) -> bool:
        return self.upper is not None

    @property
    def implied_comparator(self) -> str:
        """The written comparator, or the one a direction word implies: “下降5%” → "<="."""
        if self.comparator:
            return self.comparator
        return {"-": "<=", "+": ">="}.get(self.direction, "")

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
        return self._scaled(self.number)

    @property
    def upper_magnitude(self) -> Decimal | None:
        """The upper end of a range in base units (the number itself when not a range)."""
        return self._scaled(self.upper if self.upper is not None else self.number)

    def _scaled(self, number: Decimal | None) -> Decimal | None:
        if number is None:
            return None
        if self.kind is ValueKind.NUMBER and self.unit and self.unit[0] in _SCALES:
            return number * _SCALES[self.unit[0]]
        return number


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
    if text in _EMPTY_TEXTS:
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
    sign, direction, prefix = _sign_of(prefix)
    unit_match = _UNIT_RE.match(rest)
    unit = unit_match.group(1) if unit_match else ""
    suffix = rest[len(unit):]
    for word, implied in _BOUND_WORDS:
        if (unit + suffix).endswith(word) and not any(ch.isdigit() for ch in suffix):
            unit = (unit + suffix)[: -len(word)]
            suffix = ""
            comparator = comparator or implied
            break
    upper = None
    if sign > 0:
        for first_unit, after_first in (("", rest), (unit, suffix)):
            span = _RANGE_RE.match(after_first)
            if span is None:
                continue
            after = after_first[span.end():]
            unit2_match = _UNIT_RE.match(after)
            unit2 = unit2_match.group(1) if unit2_match else ""
            if after[len(unit2):] or (first_unit and unit2 and not _same_unit(first_unit, unit2)):
                continue
            high = Decimal(span.group(1).replace(",", "").replace("，", ""))
            if high > number:
                upper, unit, suffix = high, first_unit or unit2, ""
                break
    if unit in PERCENT_UNITS:
        kind, unit = ValueKind.PERCENT, "%"
    elif unit == "‰":
        kind, unit = ValueKind.PERCENT, "%"
        number = number / 10
        upper = None if upper is None else upper / 10
    else:
        kind = ValueKind.NUMBER
    # “12月底前完成”, “2020-01-01”: a number inside a date or deadline is no quantity.
    if unit.startswith(("月", "日", "年", "号", "季")) or "-" in suffix or suffix.startswith(("月", "日")):
        return Value(raw, ValueKind.QUALITATIVE, prefix=text)
    if (prefix and not _is_label_prefix(prefix)) or any(ch.isdigit() for ch in suffix):
        return Value(raw, ValueKind.TEXT, prefix=text)
    if sign < 0:
        number = -number
    return Value(raw, kind, number, unit, comparator, prefix, suffix, upper, direction)


def _sign_of(prefix: str) -> tuple[int, str, str]:
    """(sign, direction, remaining prefix) from the text right before a number."""
    if prefix.endswith(_MINUS_SIGNS):
        return -1, "", prefix[:-1]
    if prefix.endswith(_PLUS_SIGNS):
        return 1, "", prefix[:-1]
    for word in NEGATIVE_WORDS:
        if prefix.endswith(word):
            return -1, "-", prefix[: -len(word)]
    for word in POSITIVE_WORDS:
        if prefix.endswith(word):
            return 1, "+", prefix[: -len(word)]
    return 1, "", prefix


def _same_unit(a: str, b: str) -> bool:
    return a == b or (a in PERCENT_UNITS and b in PERCENT_UNITS)


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
    cleaned = half_width(normalise_text(text)).rstrip("分")
    if cleaned == "":
        return None
    try:
        d = Decimal(ungroup(cleaned, text, "数字"))
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


# --- 指标性质 (comparison) and 计量单位 (unit) -----------------------------------------

#: The comparisons an indicator can state (指标性质); "" is unknown.
COMPARISONS = ("=", "≥", "≤", ">", "<", "定性", "")
QUALITATIVE_COMPARISON = "定性"
#: The longest 计量单位 a document keeps (“万人次”, “%”, “个/平方公里” are short; longer is not a unit).
MAX_UNIT_CHARS = 100
_COMPARISON_TO_COMPARATOR = {"=": "=", "≥": ">=", "≤": "<=", ">": ">", "<": "<"}
_COMPARATOR_TO_COMPARISON = {v: k for k, v in _COMPARISON_TO_COMPARATOR.items()}
_COMPARISON_WORDS = {
    **{key: _COMPARATOR_TO_COMPARISON[value] for key, value in _COMPARATORS.items()},
    "定性": "定性", "定性指标": "定性", "定量": "", "": "",
}


def comparator_of(comparison: str) -> str:
    """The ``Value.comparator`` (">=") of a 指标性质 (“≥”); "" for 定性 and unknown."""
    return _COMPARISON_TO_COMPARATOR.get(comparison, "")


def comparison_of(comparator: str) -> str:
    """The 指标性质 (“≥”) of a ``Value.comparator`` (">=")."""
    return _COMPARATOR_TO_COMPARISON.get(comparator, "")


def parse_comparison(text: str) -> str:
    """A typed 指标性质: “>=”, “大于等于”, “≥” → “≥”; “定性” → “定性”; '' → ''.

    Raises ``ValueError`` with a Chinese message for anything else.
    """
    cleaned = normalise_text(text)
    if cleaned in COMPARISONS:
        return cleaned
    try:
        return _COMPARISON_WORDS[cleaned]
    except KeyError:
        raise ValueError(f"未知的指标性质“{(text or '').strip()}”（应为 =、≥、≤、>、< 或 定性）") from None


@lru_cache(maxsize=65536)
def read_value(text: str, unit: str = "", comparison: str = "") -> Value:
    """A target or actual value read together with the indicator's 计量单位 and 指标性质.

    The unit applies when the text has a number but no unit of its own (“98” with
    unit “%” is 98%); the comparison applies when the text has no comparator of its
    own (“98” with “≥”). What is written in the cell wins over the field, so a
    target typed whole (“≤5%”) into a single-cell editor is read as typed.
    """
    value = parse_value(text)
    unit = normalise_text(unit)
    if unit and value.number is not None and not value.unit and not value.suffix:
        with_unit = parse_value(normalise_text(text) + unit)
        if with_unit.number is not None:
            value = with_unit
    comparator = comparator_of(comparison)
    if comparator and not value.comparator and value.kind is not ValueKind.EMPTY:
        # as parse_value reads “≥核定单位数量”: words after a comparison are qualitative
        kind = ValueKind.QUALITATIVE if value.kind is ValueKind.TEXT and value.number is None else value.kind
        value = replace(value, comparator=comparator, kind=kind)
    return value


def split_target(text: str) -> tuple[str, str, str]:
    """Split an old target text into (指标性质, 指标值, 计量单位) — for migrating documents.

    “≥98%” → ("≥", "98", "%"); “≤3000000” → ("≤", "3000000", ""); “31.48万人” →
    ("", "31.48", "万人"); “=0起” → ("=", "0", "起"); “下降5%” → ("", "下降5", "%");
    “健全” → ("定性", "健全", ""); “≥核定单位数量” → ("≥", "核定单位数量", "");
    text that cannot be read stays whole: ("", text, ""). Nothing is lost:
    ``compose_value(*split_target(t))`` reads as ``t`` does.
    """
    raw = (text or "").strip()
    if not raw:
        return "", "", ""
    value = parse_value(raw)
    comparison = comparison_of(value.comparator)
    body = normalise_text(raw)
    m = _COMPARATOR_RE.match(body)
    if m and value.comparator:
        body = body[m.end():]
    if value.kind is ValueKind.QUALITATIVE and value.number is None:
        return comparison or QUALITATIVE_COMPARISON, body, ""
    if not value.is_numeric:
        return comparison, body if comparison else raw, ""
    last_digit = max(i for i, ch in enumerate(body) if ch.isdigit())
    number_text, unit = body[: last_digit + 1], body[last_digit + 1:]
    if value.is_range:
        # “90%-95%” → “90-95” and “%”
        number_text = re.sub(r"(%|％|‰|百分比|个百分点|百分点)", "", number_text)
    for word, implied in _BOUND_WORDS:
        if unit.endswith(word):
            unit, comparison = unit[: -len(word)], comparison or comparison_of(implied)
            break
    return comparison, number_text, unit


def compose_value(comparison: str, text: str, unit: str = "") -> str:
    """The single-cell text of a value with its 指标性质 and unit: ("≥", "98", "%") → “≥98%”."""
    text = (text or "").strip()
    if not text:
        return ""
    symbol = comparison if comparison in _COMPARISON_TO_COMPARATOR else ""
    value = parse_value(text)
    if value.comparator:
        symbol = ""
    with_unit = text
    if unit and value.number is not None and not value.unit and not value.suffix:
        with_unit = text + unit
    return symbol + with_unit


def migrate_target(indicator, keep_text: bool = True) -> bool:
    """Fill 指标性质 (``comparison``) and 计量单位 (``unit``) of an indicator from its old target text.

    For the store's migration of existing documents (and importers). Only an
    indicator whose ``comparison`` and ``unit`` are both empty is touched. With
    ``keep_text`` (the default while forms and editors still show the target in
    one cell) the target text stays whole (“≥98%”, with “≥” and “%” filled in
    beside it); without it the target becomes the bare value (“98”). Returns
    whether anything changed. Scores are the same either way.
    """
    if indicator.comparison or indicator.unit or not (indicator.target or "").strip():
        return False
    comparison, value, unit = split_target(indicator.target)
    if not comparison and not unit:
        return False
    indicator.comparison, indicator.unit = comparison, unit
    if not keep_text:
        indicator.target = value
    return True
