"""The names forms give their columns, blocks and labels (resources/synonyms/columns.json).

``key`` normalises a label for comparison: whitespace removed, full-width brackets,
colons and signs made half-width, a trailing colon dropped. ``column_role`` /
``fund_column`` / ``fund_row`` / ``meta_label`` / ``block_label`` / ``group_level``
look a label up in the synonym file, first as written, then without a trailing
annotation in brackets (“指标权重(分)”, “项目资金(万元)”). ``sign_of`` reads a
指标性质 (≥, ≧, >=, ＝, ═ …). Pure Python; the file is read once.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

_FULL_TO_HALF = str.maketrans({
    "（": "(", "）": ")", "：": ":", "，": ",", "［": "[", "］": "]", "﹦": "=", "＝": "=",
    "＞": ">", "＜": "<", "％": "%", "／": "/", "　": "", "\xa0": "",
})
_TRAILING_NOTE = re.compile(r"\([^()]{0,16}\)$")
# a column's letters as OCR leaves them (“执行率(B/A1”: the “)” read as “1”)
_LETTER_NOTE = re.compile(r"\([A-E](?:[/÷][A-E])?(?:[×x*]100%)?[)1l]?$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）])")


def key(text: str) -> str:
    """A label as compared: no whitespace, half-width brackets and colons, no trailing colon."""
    if len(text or "") <= 64:
        return _short_key(text or "")
    t = "".join(text.split()).translate(_FULL_TO_HALF)
    return t.rstrip(":")


@lru_cache(maxsize=65536)
def _short_key(text: str) -> str:
    return "".join(text.split()).translate(_FULL_TO_HALF).rstrip(":")


_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def synonyms() -> dict:
    from pathlib import Path

    from perfdesk.resources import resource

    path = resource("synonyms", "columns.json")
    if not path.is_file():  # a resources folder of a province's own data without synonyms
        path = Path(__file__).resolve().parents[2] / "resources" / "synonyms" / "columns.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=None)
def _table(section: str) -> dict[str, str]:
    """normalised name -> role, for one section of the synonym file."""
    out: dict[str, str] = {}
    for role, entry in synonyms()[section].items():
        names = entry["names"]
        if isinstance(names, dict):
            continue
        for name in names:
            out.setdefault(key(name), role)
    return out


def _lookup(section: str, text: str) -> str | None:
    if not text or len(text) > 80:
        return None
    return _cached_lookup(section, text)


@lru_cache(maxsize=65536)
def _cached_lookup(section: str, text: str) -> str | None:
    k = key(text)
    if not k or len(k) > 40 or not _CJK.search(k):
        return None
    table = _table(section)
    if k in table:
        return table[k]
    bare = _TRAILING_NOTE.sub("", k)
    if bare != k and bare in table:
        return table[bare]
    if bare == k:
        bare = _LETTER_NOTE.sub("", k)
        if bare != k and bare in table:
            return table[bare]
    bare = _NUMBERING.sub("", bare)
    return table.get(bare)


def column_role(text: str) -> str | None:
    """The indicator-table column a header cell names (level1, name, target, weight …)."""
    return _lookup("columns", text)


def fund_column(text: str) -> str | None:
    return _lookup("fund_columns", text)


def fund_row(text: str) -> str | None:
    """total / appropriation / carried_over / other_funds for a 资金来源 row label."""
    k = key(text)
    k = re.sub(r"^其中:?", "", k)
    return _lookup("fund_rows", k)


def meta_label(text: str) -> str | None:
    k = re.sub(r"\((?:盖章|签章|签字|万元|元)\)$", "", key(text))
    return _lookup("meta", k)


def block_label(text: str) -> str | None:
    return _lookup("blocks", text)


def group_level(text: str) -> int | None:
    """1 or 2 for a known level-1/level-2 group name (“产出指标”, “数量指标”), else None."""
    k = re.sub(r"\(\d+(?:\.\d+)?分?\)$", "", key(text))
    role = _lookup("groups", k)
    return None if role is None else int(role[-1])


@lru_cache(maxsize=1)
def _signs() -> dict[str, str]:
    out = {}
    for sign, names in synonyms()["units"]["signs"]["names"].items():
        for name in names:
            out[key(name) or name] = sign
    return out


def sign_of(text: str) -> str | None:
    """The comparison a 指标性质 cell states: ≥ ≤ = > < 定性, or None."""
    k = key(text)
    return _signs().get(k)


def is_percent_unit(text: str) -> bool:
    return key(text) in {key(n) for n in synonyms()["units"]["percent"]["names"]}


@lru_cache(maxsize=1)
def placeholders() -> frozenset[str]:
    return frozenset(key(n) for n in synonyms()["placeholders"]["names"])


_PLACEHOLDER_RE = re.compile(r"^指标\s*[\dn一二三四五六七八九十]{1,3}\s*[:：]?$")


def is_placeholder(text: str) -> bool:
    """“指标1:”, “……”, “/”, “XXX”: a cell that holds no indicator."""
    k = key(text)
    return k in placeholders() or bool(_PLACEHOLDER_RE.match(k))


def all_names(section: str) -> list[tuple[str, str]]:
    """(normalised name, role) of a section, longest names first (for scanning run-together text)."""
    pairs = [(name, role) for name, role in _table(section).items()]
    return sorted(pairs, key=lambda p: -len(p[0]))


__all__ = [
    "all_names", "block_label", "column_role", "fund_column", "fund_row", "group_level",
    "is_percent_unit", "is_placeholder", "key", "meta_label", "sign_of", "synonyms",
]


# A label and its amount written in one cell of the 财政部 部门整体 form (seed 002: “其中：一般公共预算：531.19”,
# “项目支出：61”): the sources of the budget by their words, and every name read so.
INLINE_AMOUNT_SOURCES = (
    ("一般公共预算", "general_budget"), ("政府性基金", "government_funds"),
    ("非税收入", "non_tax_revenue"), ("其他资金", "other_funds"), ("上年结转", "carried_over"),
    ("上级", "superior_funds"))
INLINE_AMOUNT_NAMES = ("基本支出", "项目支出") + tuple(word for word, _ in INLINE_AMOUNT_SOURCES)
