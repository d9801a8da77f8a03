"""What the cells of a 目标表's indicator row say: 指标性质, 指标值 and 度量单位.

A 目标表 prints its target either in one cell (“≥70村”, “>=95%”, “≤65万元”, “否”, “2025年12月”)
or in three (指标性质 “≥” | 指标值 “70” | 度量单位 “村”). Either way the target is kept as
printed (signs made plain: “>=” → “≥”, “≧” → “≥”), and the 指标性质 (``comparison``) and
度量单位 (``unit``) are filled beside it, so scoring and the 审核 read the same numbers the
form states:

- the 指标性质 is the sign the form prints (its own column, else the sign leading the value,
  else a bound word: “95%以上” is ≥); a target without any figure (“否”, “优良”, “不超预算”,
  “建立与否”) is 定性; a figure without a sign states none;
- the 度量单位 is the unit column, else what follows the figure (“70村” → 村, “<=475元/亩” →
  元/亩, “250万” → 万); a date (“2025年12月”, “2023.07-2024.01”) has none;
- a cell that holds only a unit or a bare sign (a template never filled in: “公里”, “≧ %”) is
  no target: its unit is kept, the value stays empty — never 0.

Pure functions; no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.families.generic import norm_value
from perfdesk.model.document import Method

# 指标性质 cells that name a direction, not a sign (the 一体化 systems print 正向/反向 in that column)
DIRECTION_METHODS = {"正向": Method.HIGHER, "正向指标": Method.HIGHER, "反向": Method.LOWER,
                     "反向指标": Method.LOWER}
QUALITATIVE_NATURES = ("定性", "定性指标")
QUANTITATIVE_NATURES = ("定量", "定量指标")

_SIGN_RE = re.compile(r"^(≥|≤|>|<|=)")
_BOUNDS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("不低于", "≥"),
           ("不少于", "≥"), ("不超过", "≤"), ("不高于", "≤"))
_DATE_RE = re.compile(r"(?:19|20)\d{2}\s*(?:年|[.\-/]\s*\d{1,2})")
_FIGURE_RE = re.compile(r"\d")
_LAST_FIGURE_RE = re.compile(r"\d[\d,，]*(?:\.\d+)?(?!.*\d)", re.S)
# what a unit may be: a short run of letters or CJK characters, a percent sign, a per-something
_UNIT_RE = re.compile(r"^(?:%|‰|个百分点|百分点|[A-Za-z\u4e00-\u9fff²³·/㎡]{1,6})$")
# units a 指标值 cell may hold alone (a template's column never filled in: “公里”, “万亩”)
KNOWN_UNITS = frozenset((
    "%", "‰", "个百分点", "百分点", "万元", "元", "亿元", "千元", "万人", "人次", "人", "户", "个", "次", "天", "亩", "万亩", "米",
    "公里", "千米", "km", "平方米", "立方米", "吨", "万吨", "公斤", "千克", "件", "家", "项", "台", "篇", "份", "所", "名",
    "年", "月", "日", "条", "辆", "套", "场", "座", "处", "间", "册", "本", "头", "只", "倍", "小时", "周", "村", "元/亩",
    "元/人", "元/人·月", "万元/个", "元/平方米", "m", "M", "m²", "㎡", "GB", "TB", "张", "期", "批", "棵", "株", "所", "人/次"))
_NOT_UNIT_WORDS = ("底", "前", "内", "末", "以", "及", "期间")
_PLACEHOLDER_STARS = re.compile(r"\*{2,}")
_FIGURES_RE = re.compile(r"\d+(?:\.\d+)?")
_CLAUSE_RE = re.compile(r"[，,；;。]")


@dataclass(frozen=True)
class TargetCell:
    target: str       # 指标值 as printed (signs made plain); "" when the cell states no value
    comparison: str   # 指标性质: ≥ ≤ > < = 定性, or "" when the form states none
    unit: str         # 度量单位, or ""
    method: Method    # how it will be scored: AUTO (by 指标性质) unless the form names a direction


def _bound_comparison(text: str) -> str:
    for word, sign in _BOUNDS:
        if word in text:
            return sign
    return ""


def is_unit_only(text: str) -> bool:
    """“公里”, “万人”, “%”: a 指标值 cell that holds only a unit (a template never filled in)."""
    t = "".join(text.split())
    return bool(t) and not _FIGURE_RE.search(t) and (vocab.is_percent_unit(t) or t in KNOWN_UNITS)


def unit_of(value: str) -> str:
    """The unit written after the last figure of a value: “≥70村” → 村; “95%以上” → %; dates → ""."""
    if not value or _DATE_RE.search(value):
        return ""
    m = _LAST_FIGURE_RE.search(value)
    if m is None:
        return ""
    tail = value[m.end():].strip()
    for word, _sign in _BOUNDS:
        if tail.endswith(word):
            tail = tail[: -len(word)].strip()
    tail = tail.strip("（）()")
    if not tail or not _UNIT_RE.match(tail) or any(w in tail for w in _NOT_UNIT_WORDS):
        return ""
    return "%" if vocab.is_percent_unit(tail) else tail


def read_cell(value: str, nature: str = "", unit: str = "") -> TargetCell:
    """The target a row states, from its 指标值 cell and (when the form has them) its 指标性质 and
    度量单位 cells."""
    raw = " ".join((value or "").split())
    nature_text = "".join((nature or "").split())
    unit_text = "".join((unit or "").split())
    method = DIRECTION_METHODS.get(nature_text, Method.AUTO)
    comparison = ""
    if nature_text in QUALITATIVE_NATURES:
        comparison = "定性"
    elif nature_text and nature_text not in DIRECTION_METHODS and nature_text not in QUANTITATIVE_NATURES:
        sign = vocab.sign_of(nature_text)
        comparison = sign or ""
    if unit_text and vocab.is_percent_unit(unit_text):
        unit_text = "%"
    if not raw:
        return TargetCell("", comparison, unit_text, method)
    if raw in ("/", "—", "-", "－", "——", "……", "…"):
        return TargetCell("", comparison, unit_text, method)
    printed = norm_value(raw)
    body = printed
    m = _SIGN_RE.match(body)
    if m:
        comparison = comparison or m.group(1)
        body = body[m.end():].strip()
    if not _FIGURE_RE.search(body) or _PLACEHOLDER_STARS.search(body) and not re.search(r"\d", body.replace("**", "")):
        # no figure: a unit only (a template never filled in), or a qualitative target
        if not body or is_unit_only(body):
            return TargetCell(printed if m else "", comparison, unit_text or ("%" if vocab.is_percent_unit(body)
                                                                              else body), method)
        return TargetCell(printed, comparison or "定性", unit_text, method)
    if not m and not comparison and (len(_FIGURES_RE.findall(body)) >= 2 and _CLAUSE_RE.search(body)):
        # a sentence with figures (“第一年按总投资额返本20%,分红按8%分红”): a qualitative target
        return TargetCell(printed, "定性", unit_text, method)
    comparison = comparison or _bound_comparison(body)
    if _DATE_RE.search(body):
        return TargetCell(printed, comparison, unit_text, method)
    return TargetCell(printed, comparison, unit_text or unit_of(body), method)


def compose(cell: TargetCell, value_was_bare: bool) -> str:
    """The target text kept on the indicator: as printed; a bare figure from a three-column form
    (指标性质 | 指标值 | 度量单位) is written whole (“≥70村”) so that it reads as the form meant."""
    if not value_was_bare or not cell.target:
        return cell.target
    text = cell.target
    if cell.unit and re.search(r"\d$", text):
        text += cell.unit
    if cell.comparison in ("≥", "≤", ">", "<", "=") and not _SIGN_RE.match(text):
        text = cell.comparison + text
    return text


__all__ = ["DIRECTION_METHODS", "TargetCell", "compose", "is_unit_only", "read_cell", "unit_of"]
