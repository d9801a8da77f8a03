"""Indicator tables (一级/二级/三级指标 …) from rows of cells.

Columns are found by their header labels, not by position; a table pasted
without its header is read in the 财政部 order (一级, 二级, 三级, 年度指标值,
实际完成值, 分值, 得分, 偏差原因分析及改进措施).
"""

from __future__ import annotations

import re
from decimal import Decimal

from perfdesk.exchange.infer import infer_method, infer_tier
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Indicator, Method
from perfdesk.model.values import parse_decimal

# role -> test on the compacted header text; order matters (实际完成指标值 ⊃ 指标值).
_ROLE_TESTS: list[tuple[str, callable]] = [
    ("level1", lambda t: "一级指标" in t or t == "一级"),
    ("level2", lambda t: "二级指标" in t or t.startswith("绩效指标（二级") or t == "二级"),
    ("name", lambda t: "三级指标" in t or t.startswith("绩效指标（三级") or t == "三级"),
    ("deviation", lambda t: t.startswith("偏差原因")),
    ("rule", lambda t: "评价要点" in t or "评分规则" in t or "评分标准" in t),
    ("actual", lambda t: t.startswith("实际完成") or t == "实际值"),
    ("progress", lambda t: t.startswith("完成进度")),
    ("target", lambda t: t in ("指标值", "年度指标值", "全年指标值", "目标值", "年度目标值", "指标目标值")),
    ("score", lambda t: t in ("得分", "评价得分", "自评得分", "实际得分")),
    ("weight", lambda t: t in ("分值", "指标分值", "权重", "权重分值")),
]
DEFAULT_COLUMNS = {
    "level1": 0, "level2": 1, "name": 2, "target": 3, "actual": 4, "weight": 5, "score": 6, "deviation": 7,
}
TOTAL_LABELS = ("合计", "总分", "综合得分", "总计", "得分合计")
_POINTS_RE = re.compile(r"\d+(?:\.\d+)?")
_PREFIX_RE = re.compile(r"^指标\s*\d+\s*[:：]\s*")


def header_roles(cells: list[str]) -> dict[str, int]:
    """role -> column index, for a header row (empty when the row is no header)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = compact(cell)
        if not text:
            continue
        for role, test in _ROLE_TESTS:
            if role not in roles and test(text):
                roles[role] = index
                break
    useful = {"name", "target", "weight", "score", "actual", "level1", "level2"}
    if len(roles) >= 3 and len(useful & roles.keys()) >= 3:
        return roles
    return {}


def is_header(cells: list[str]) -> bool:
    return bool(header_roles(cells))


def is_total_row(cells: list[str]) -> bool:
    return any(compact(c).rstrip(":：") in TOTAL_LABELS for c in cells if c.strip())


def group_label(text: str) -> tuple[str, Decimal | None]:
    """“决策(6)” → (“决策”, 6); “产出指标(50分)” → (“产出指标”, 50); “数量指标” → (…, None).

    Read from the end of the label without a regular expression: linear whatever the cell
    holds (a pattern with a lazy name before optional spaces and a bracket was quadratic on
    long runs of spaces).
    """
    name = tidy_name(text)
    stripped = name.rstrip()
    if stripped.endswith((")", "）")):
        open_at = max(stripped.rfind("("), stripped.rfind("（"))
        if open_at >= 0:
            inner = "".join(stripped[open_at + 1:-1].split())
            if inner.endswith("分"):
                inner = inner[:-1]
            if 0 < len(inner) <= 12 and _POINTS_RE.fullmatch(inner):
                return stripped[:open_at].strip(), Decimal(inner)
    return name, None


def leaf_name(text: str) -> str:
    """“指标1: 补助城乡居民养老保险” → “补助城乡居民养老保险”."""
    return _PREFIX_RE.sub("", tidy_name(text)).strip()


def read_number(text: str, what: str, report: list[str] | None) -> Decimal | None:
    try:
        if "e" in text.lower():
            raise ValueError(text)  # “1e3” is no weight or score an officer writes
        value = parse_decimal(text)
        if value is not None and abs(value) >= 1_000_000:
            raise ValueError(text)
        return value
    except (ValueError, ArithmeticError):
        if report is not None:
            report.append(f"无法读取{what}“{text.strip()}”，已留空")
        return None


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def indicators_from_rows(
    rows: list[list[str]], report: list[str] | None = None, has_budget: bool = True
) -> list[Indicator]:
    """Level-1/2/3 indicator trees from indicator-table rows.

    A header row is optional and may repeat (its labels re-map the columns).
    Vertically merged cells appear empty and carry the group above. Total
    rows (合计/总分) and rows with neither name, target nor weight are skipped.
    Methods are inferred (``infer_method``) and stated scores kept as
    ``score_override``.
    """
    roots: list[Indicator] = []
    roles = dict(DEFAULT_COLUMNS)
    level1: Indicator | None = None
    level2: Indicator | None = None
    leaves: list[Indicator] = []
    for cells in rows:
        found = header_roles(cells)
        if found:
            roles = found
            continue
        if not any(c.strip() for c in cells) or is_total_row(cells):
            continue
        l1_text, l2_text = _cell(cells, roles, "level1"), _cell(cells, roles, "level2")
        if l1_text:
            name, weight = group_label(l1_text)
            if not _same_group(level1, name, weight):  # Excel repeats merged labels
                level1 = Indicator(name=name, weight=weight)
                roots.append(level1)
                level2 = None
        if l2_text:
            name, weight = group_label(l2_text)
            if not _same_group(level2, name, weight):
                level2 = Indicator(name=name, weight=weight)
                if level1 is not None:
                    level1.add(level2)
                else:
                    roots.append(level2)
        name = leaf_name(_cell(cells, roles, "name"))
        target, actual = _cell(cells, roles, "target"), _cell(cells, roles, "actual")
        weight_text, score_text = _cell(cells, roles, "weight"), _cell(cells, roles, "score")
        if not (name or target or weight_text):
            if actual or score_text:
                where = "/".join(n.name for n in (level1, level2) if n is not None)
                if report is not None:
                    report.append(f"跳过：“{where}”下一行没有指标名称、指标值和分值（仅有“{actual or score_text}”）")
            continue
        leaf = Indicator(
            name=name,
            weight=read_number(weight_text, f"“{name}”的分值", report),
            target=target,
            actual=actual,
            score_override=read_number(score_text, f"“{name}”的得分", report),
            rule_text=_cell(cells, roles, "rule"),
            deviation_note=_cell(cells, roles, "deviation"),
        )
        leaves.append(leaf)
        parent = level2 or level1
        if parent is not None:
            parent.add(leaf)
        else:
            roots.append(leaf)
    for leaf in leaves:
        apply_method(leaf, has_budget)
    return roots


def _same_group(group: Indicator | None, name: str, weight: Decimal | None) -> bool:
    """A label repeated on every row (unmerged cells) names the group above it.

    Two neighbouring groups with the same name but different stated weights
    (seed 000: 职能 (24), 职能 (32)) stay two groups.
    """
    return (group is not None and group.name == name
            and (weight is None or group.weight is None or weight == group.weight))


def apply_method(leaf: Indicator, has_budget: bool) -> None:
    leaf.method = infer_method(leaf, has_budget)
    leaf.tier = infer_tier(leaf) if leaf.method is Method.TIERS else None


__all__ = [
    "DEFAULT_COLUMNS", "apply_method", "group_label", "header_roles", "indicators_from_rows",
    "is_header", "is_total_row", "leaf_name", "read_number",
]
