"""The 财政部 forms (财预〔2020〕10号 附件1): 项目支出绩效自评表 (seeds 001, 002 附件2) and the
same columns used for 部门整体 (002 附件1): 项目名称/单位名称, 主管部门, 实施单位, 项目资金 with
年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 by source, 年度总体目标, the indicator
table with 偏差原因分析及改进措施, 总分."""

from __future__ import annotations

import re
from decimal import Decimal

from perfdesk.exchange.families.base import FormReader, FormResult, after, cells_and_firsts, first, stated_total
from perfdesk.exchange.text_indicators import header_roles, indicators_from_rows, is_total_row
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Amounts, Evaluation, EvaluationKind, ExecutionLine

PROJECT_NAME_LABELS = ("项目名称", "项目支出名称")


def _mof_like(every: set[str]) -> bool:
    return any("年初预算数" in c or "全年预算数" in c for c in every) or any(
        c.endswith("单位名称") or c in PROJECT_NAME_LABELS for c in every)


def _is_project_form(every: set[str]) -> bool:
    return any(c in PROJECT_NAME_LABELS for c in every)


def recognise_project(rows: list[list[str]]) -> float:
    _, every = cells_and_firsts(rows)
    return 0.5 if _mof_like(every) and _is_project_form(every) else 0.0


def recognise_unit(rows: list[list[str]]) -> float:
    _, every = cells_and_firsts(rows)
    return 0.5 if _mof_like(every) and not _is_project_form(every) else 0.0


_FUND_COLUMNS = (
    ("initial_budget", lambda t: t.startswith("年初")),
    ("annual_budget", lambda t: t.startswith("全年预算")),
    ("spent", lambda t: t.startswith("全年执行") or t.startswith("实际支出")),
    ("weight", lambda t: t == "分值"),
    ("rate", lambda t: t.startswith("执行率")),
    ("score", lambda t: t == "得分"),
)
_INLINE_SOURCES = (
    ("一般公共预算", "general_budget"), ("政府性基金", "government_funds"),
    ("非税收入", "non_tax_revenue"), ("其他资金", "other_funds"), ("上年结转", "carried_over"),
    ("上级", "superior_funds"),
)


def read(rows: list[list[str]], reader: FormReader) -> FormResult:
    ev = reader.new_evaluation()
    is_project = ev.kind is EvaluationKind.PROJECT
    out = FormResult(ev, reader.family)
    i = 0
    while i < len(rows):
        cells = rows[i]
        keys = [compact(c) for c in cells]
        if any(k in ("项目名称", "项目支出名称") for k in keys):
            ev.name = tidy_name(after(cells, lambda t: t in ("项目名称", "项目支出名称")))
        elif any(k.endswith("单位名称") for k in keys) and not is_project:
            out.unit_name = tidy_name(after(cells, lambda t: t.endswith("单位名称")))
        if "主管部门" in keys or "实施单位" in keys:
            ev.project.supervisor = tidy_name(after(cells, lambda t: t == "主管部门"))
            ev.project.implementer = tidy_name(after(cells, lambda t: t == "实施单位"))
            out.supervisor = ev.project.supervisor
        if any(k.startswith("年初") or k.startswith("全年预算") for k in keys):
            cols = {}
            for index, key in enumerate(keys):
                for role, test in _FUND_COLUMNS:
                    if role not in cols and key and test(key):
                        cols[role] = index
            i += 1
            while i < len(rows) and not any("预期目标" in compact(c) for c in rows[i]) \
                    and not header_roles(rows[i]):
                _mof_fund_row(ev, rows[i], cols, reader)
                i += 1
            continue
        if any("预期目标" in k for k in keys):
            exp_col = next(n for n, k in enumerate(keys) if "预期目标" in k)
            ach_col = next((n for n, k in enumerate(keys) if "实际完成" in k), exp_col + 1)
            if i + 1 < len(rows) and not header_roles(rows[i + 1]):
                data = rows[i + 1]
                ev.goals.expected = data[exp_col].strip() if exp_col < len(data) else ""
                ev.goals.achieved = data[ach_col].strip() if ach_col < len(data) else ""
                i += 1
            i += 1
            continue
        if header_roles(cells):
            start = i
            while i < len(rows) and not is_total_row(rows[i]):
                i += 1
            for root in indicators_from_rows(rows[start:i], reader.report, has_budget=True):
                ev.add(root)
            continue
        if is_total_row(cells):
            ev.stated_total = stated_total(cells, "总分", reader)
        i += 1
    if not is_project:
        ev.name = out.unit_name
    for key, a in (ev.budget.sources.items() if is_project else ()):
        filled = [c for c in Amounts.COLUMNS if getattr(a, c) is not None]
        if len(filled) == 1 and sum(getattr(ev.budget.total, c) is not None for c in Amounts.COLUMNS) > 1:
            from perfdesk.model.amounts import format_wan
            from perfdesk.model.document import SOURCE_LABELS

            column = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}
            reader.report.append(
                f"注意：{ev.name or out.unit_name}的“{SOURCE_LABELS[key]}”只填了一个数 "
                f"{format_wan(getattr(a, filled[0]))}（{column[filled[0]]}一栏），已按原位置导入"
            )
    return out


def _mof_fund_row(ev: Evaluation, cells: list[str], cols: dict, reader: FormReader) -> None:
    amount_cols = [cols[c] for c in ("initial_budget", "annual_budget", "spent") if c in cols]
    limit = min(amount_cols) if amount_cols else len(cells)
    label = compact(first(cells[:limit]))
    if not label or label.startswith("按"):
        return

    def amounts(where: str) -> Amounts:
        a = Amounts()
        for column in Amounts.COLUMNS:
            if column in cols and cols[column] < len(cells):
                setattr(a, column, reader.amount(cells[cols[column]], where))
        return a

    def cell(role: str) -> str:
        index = cols.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    if "资金总额" in label:
        ev.budget.total = amounts("年度资金总额")
        weight = reader.number(cell("weight"), "预算执行率分值")
        ev.execution = ExecutionLine(
            weight=weight if weight is not None else Decimal(10),
            stated_rate=reader.rate(cell("rate"), "年度资金总额"),
            stated_score=reader.number(cell("score"), "预算执行率得分"),
        )
        return
    if "财政拨款" in label and "：" not in label.replace("其中：", "", 1).rstrip("："):
        a = amounts("本年财政拨款")
        if not a.is_empty():
            ev.budget.sources["appropriation"] = a
        return
    if label.rstrip(":：") in ("上年结转资金", "其他资金") and any(c.strip() for c in cells[limit:]):
        a = amounts(label)
        if not a.is_empty():
            ev.budget.sources["carried_over" if "结转" in label else "other_funds"] = a
        return
    # 财政部 unit form: “其中：一般公共预算：531.19”, “项目支出：61” inline pairs
    for raw in cells:
        m = re.match(r"^(?:其中\s*[:：])?\s*(.+?)\s*[:：]\s*([\d.\s,]*)$", raw.strip())
        if not m:
            continue
        name, value = compact(m.group(1)), m.group(2).strip()
        fen = reader.amount(value, name) if value else None
        if fen is None:
            continue
        if name == "基本支出":
            ev.budget.basic.initial_budget = fen
        elif name == "项目支出":
            ev.budget.project.initial_budget = fen
        else:
            key = next((k for word, k in _INLINE_SOURCES if word in name), None)
            if key is not None:
                ev.budget.source(key).initial_budget = fen


