"""Money: stored exactly as integer 分 (fen), entered and shown in 万元.

1 万元 = 10 000 元 = 1 000 000 分, so an amount typed with up to six decimals
in 万元 (officers write 661.7252) is kept without any rounding.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_WAN = 1_000_000
MAX_WAN = Decimal(10) ** 12  # far beyond any budget; larger input is a typo


def wan_to_fen(value: Decimal | str | int) -> int:
    """Convert an amount in 万元 to integer 分, rounding half up below 1 分."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return int((d * FEN_PER_WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_wan(fen: int) -> Decimal:
    """Exact amount in 万元."""
    return Decimal(fen) / FEN_PER_WAN


def format_wan(fen: int | None, min_decimals: int = 2, grouped: bool = False) -> str:
    """Show an amount in 万元 with at least two decimals and no lost digits.

    ``format_wan(66172520) == "661.7252"``, ``format_wan(90347620000) == "90347.62"``;
    ``grouped=True`` adds thousands separators for reading: "90,347.62".
    """
    if fen is None:
        return ""
    d = fen_to_wan(fen)
    text = f"{d:.6f}".rstrip("0")
    whole, _, frac = text.partition(".")
    if grouped:
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        whole = sign + f"{int(digits):,}"
    frac = frac.ljust(min_decimals, "0")
    return f"{whole}.{frac}" if frac else whole


# digits, point, signs and comma as a Chinese input method types them in full-width mode
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，−", "0123456789.-+,-")
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def half_width(text: str) -> str:
    """Full-width digits, point, signs and comma (１２３．４, －5, １，２００) as ASCII."""
    return text.translate(_FULL_WIDTH)


def ungroup(number: str, text: str, what: str) -> str:
    """``number`` without its thousands separators; a comma anywhere else is refused.

    "1,200.5" → "1200.5"; "12,3.4" or "7,5" (a decimal comma) raise ``ValueError`` naming ``text``:
    reading them as 123.4 or 75 would put a wrong figure on paper without a word.
    """
    if "," not in number:
        return number
    if not _GROUPED.fullmatch(number):
        raise ValueError(f"“{text.strip()}”中的逗号不是千位分隔符（应每三位一个，如 1,200.50），"
                         f"不是有效的{what}")
    return number.replace(",", "")


def parse_wan(text: str) -> int | None:
    """Parse an amount typed in 万元 (spaces, commas and a trailing 万元 allowed).

    Returns ``None`` for an empty cell; raises ``ValueError`` with a Chinese
    message for anything that is not an amount.
    """
    cleaned = half_width(text).replace("\u3000", "").replace("\xa0", "").replace(" ", "")
    for suffix in ("万元", "万", "元"):
        if cleaned.endswith(suffix):
            if suffix == "元" and not cleaned.endswith("万元"):
                raise ValueError(f"金额“{text.strip()}”请以万元为单位填写")
            cleaned = cleaned[: -len(suffix)]
            break
    if cleaned == "":
        return None
    cleaned = ungroup(cleaned, text, "金额（万元）")
    try:
        d = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}”不是有效的金额（万元）") from None
    if not d.is_finite() or abs(d) >= MAX_WAN:
        raise ValueError(f"“{text.strip()}”不是有效的金额（万元）")
    return wan_to_fen(d)
