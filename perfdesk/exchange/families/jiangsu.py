"""The 江苏 部门整体支出绩效自评表 (seeds 000, 003): 单位名称, 主要职能, 机构设置,
预算安排及支出情况 with one line per project, an indicator table with 评价要点及评分规则,
合计, 绩效等级, 主要成效 / 存在问题 / 整改举措."""

from __future__ import annotations

import re

from perfdesk.exchange.families.base import FormReader, FormResult, cells_and_firsts, first, stated_total, strip_tags
from perfdesk.exchange.text_indicators import header_roles, indicators_from_rows, is_total_row
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Amounts, BudgetLine, Evaluation


def recognise(rows: list[list[str]]) -> float:
    firsts, _ = cells_and_firsts(rows)
    if any(f == "单位名称" for f in firsts) and any(f.startswith("预算安排") for f in firsts):
        return 0.9
    return 0.0


_END_OF_TABLE = ("绩效等级", "主要成效", "存在问题", "整改举措")


def read(rows: list[list[str]], reader: FormReader) -> FormResult:
    ev = reader.new_evaluation()
    out = FormResult(ev, reader.family)
    i = 0
    while i < len(rows):
        cells = rows[i]
        label = compact(cells[0]) if cells else ""
        rest = [c for c in cells[1:] if c]
        if label == "单位名称":
            out.unit_name = tidy_name(rest[0]) if rest else ""
        elif label == "主要职能":
            out.functions = strip_tags("\n".join(rest))
        elif label.startswith("机构设置"):
            out.organisation = strip_tags("\n".join(rest))
        elif label.startswith("预算安排"):
            cols = {}
            for index, cell in enumerate(cells):
                t = compact(cell)
                if "全年预算" in t or t == "预算数":
                    cols["annual_budget"] = index
                elif "实际支出" in t or "执行数" in t:
                    cols["spent"] = index
            i += 1
            while i < len(rows) and not header_roles(rows[i]):
                _budget_row(ev, rows[i], cols, reader)
                i += 1
            continue
        elif header_roles(cells):
            start = i
            while i < len(rows) and not is_total_row(rows[i]) and compact(first(rows[i])) not in _END_OF_TABLE:
                i += 1
            for root in indicators_from_rows(rows[start:i], reader.report, has_budget=True):
                ev.add(root)
            continue
        elif label in ("合计", "总分"):
            ev.stated_total = stated_total(cells, "合计得分", reader)
        elif label == "绩效等级":
            ev.stated_grade = rest[0].strip() if rest else None
        elif label == "主要成效":
            ev.narrative["achievements"] = strip_tags("\n".join(rest))
        elif label == "存在问题":
            ev.narrative["problems"] = strip_tags("\n".join(rest))
        elif label == "整改举措":
            ev.narrative["remedies"] = strip_tags("\n".join(rest))
        i += 1
    ev.name = out.unit_name
    return out


_SKIP_BUDGET_LABELS = ("支出情况", "预算安排及", "预算安排及支出情况")


def _budget_row(ev: Evaluation, cells: list[str], cols: dict, reader: FormReader) -> None:
    limit = min(cols.values()) if cols else len(cells)
    label = ""
    for cell in cells[:limit]:
        t = compact(cell)
        if t and t not in _SKIP_BUDGET_LABELS:
            label = tidy_name(cell)
            break
    if not label:
        return
    amounts = Amounts()
    for column, index in cols.items():
        if index < len(cells):
            setattr(amounts, column, reader.amount(cells[index], f"预算“{label}”"))
    name = re.sub(r"^其中\s*[:：]\s*", "", label)
    name = re.sub(r"^项目\s*\d+\s*[:：]\s*", "", name).strip()
    key = compact(name)
    if key == "资金总额":
        ev.budget.total = amounts
    elif key == "基本支出":
        ev.budget.basic = amounts
    elif key == "项目支出":
        ev.budget.project = amounts
    else:
        ev.budget.project_lines.append(BudgetLine(name, amounts))
