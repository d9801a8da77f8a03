"""Comparison signs lost by OCR, put back only where the form's own figures prove it.

Scanned forms turned into text by document-sharing sites read ``≥`` as ``2`` and ``≤`` as
``W`` (their own printed notes show it: “正向指标(即目标值为2X…)，反向指标(即目标值为WX…)”,
corpus ``unknown-district-project-2020-a``). A value such as ``290%`` beside ``100%`` is then no
figure a form can mean: a share above 100% where the other value of the row is a share near 90%.

The repair is conservative and never silent: a value is changed only when

- ``W`` stands right before its number (``W90%`` → ``≤90%``): no form writes a letter there;
- or a percentage without a sign reads above 100% only because of a leading ``2`` (``290%``),
  the name is no growth or ratio that can exceed 100% (增长, 增幅, 提高, 放大, 倍), the figure
  without the ``2`` is a share (≤ 100%) and the other value of the row is a share within 10
  percentage points of it (``90%`` beside ``100%`` or ``92%``): read as ``≥90%``.

Each change is returned with its reason, for an 导入提示 (``import_uncertain``) on the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal

_LETTER_LE = re.compile(r"^[Ww]\s*(?=\d)")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_GROWTH = ("增长", "增幅", "提高", "提升率", "放大", "倍", "增加")


def _percent(text: str) -> Decimal | None:
    m = _PERCENT.match(text.strip())
    return Decimal(m.group(1)) if m else None


def _share_of_other(other: str) -> Decimal | None:
    t = other.strip().lstrip("≥≤=<>")
    return _percent(t)


def repair_value(value: str, other: str, name: str) -> tuple[str, str] | None:
    """(repaired value, reason) when ``value`` is an OCR reading of a lost sign, else None.

    ``other`` is the row's other value (the actual for a target, the target for an actual)."""
    text = value.strip()
    if not text:
        return None
    if _LETTER_LE.match(text):
        fixed = _LETTER_LE.sub("≤", text)
        return fixed, f"“{text}”中的“W”是识别错误的“≤”，读作“{fixed}”"
    if not text.startswith("2") or any(word in name for word in _GROWTH):
        return None
    literal = _percent(text)
    if literal is None or literal <= 100:
        return None
    rest = _percent(text[1:])
    if rest is None or rest > 100 or text[1:2] in ("", ".", "0"):
        return None
    share = _share_of_other(other)
    if share is None or share > 100 or abs(share - rest) > 10:
        return None
    fixed = "≥" + text[1:].strip()
    return fixed, (f"“{text}”超过 100%，而同一行的另一值为“{other.strip()}”：读作“{fixed}”"
                   "（“≥”被识别成“2”），请核对原表")


__all__ = ["repair_value"]
