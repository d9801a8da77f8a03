"""Importing the forms found in pasted text into one ``Document``.

Recognised (SPEC §1): 部门整体支出绩效自评表 in the 江苏 layout (seeds 000,
003) and the 财政部 layout (002 附件1), 项目支出绩效自评表 (001, 002 附件2),
晋中 财政支出项目绩效自评表 (004), 整体绩效评价报告 (003), 预算绩效情况说明
with its 自评综述 (001) and a 项目绩效评价报告 (001). Tables may be TAB
separated rows or Word tables flattened one cell per line (see
``text_rows``); prose paragraphs around them are kept as narrative.

Every stated score, total and grade is kept as stated: the checks show
where the originals are wrong. Either the whole import succeeds or
``TextImportError`` (Chinese message) is raised; no half-built document.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfdesk.exchange.text_indicators import (
    apply_method,
    header_roles,
    indicators_from_rows,
    is_total_row,
    leaf_name,
    read_number,
)
from perfdesk.exchange.text_rows import Item, compact, parse_items, table_rows, tidy_name
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import (
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Indicator,
    Method,
    TargetRow,
    UnitProfile,
)
from perfdesk.model.values import parse_decimal, parse_rate
from perfdesk.templates import load_template


class TextImportError(Exception):
    """Nothing recognisable in the text, or a form that cannot be read (Chinese message)."""


@dataclass
class ImportResult:
    document: Document
    report: list[str] = field(default_factory=list)


_SENTENCE_END = tuple("。；;！？!?，,、")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_TAG_RE = re.compile(r"</?\s*p\s*>", re.IGNORECASE)
FORM_TITLE_RE = re.compile(r"(自评表|自我评价表|自评价表|评价表)$")
METHOD_COUNT_LABELS = {
    Method.HIGHER: "正向", Method.LOWER: "反向", Method.TIERS: "定性三档",
    Method.EXECUTION_RATE: "预算执行率", Method.ARRIVAL_RATE: "资金到位率", Method.MANUAL: "手工评分",
}


def _rounding(template_id: str) -> str:
    return load_template(template_id).execution_rounding


def strip_tags(text: str) -> str:
    parts = [p.strip() for p in _TAG_RE.split(text or "")]
    return "\n".join(p for p in parts if p)


def _year(text: str) -> int | None:
    m = _YEAR_RE.search(compact(text).replace("（", "").replace("(", ""))
    return int(m.group(1)) if m else None


def _is_number(text: str) -> bool:
    try:
        return parse_decimal(text) is not None
    except ValueError:
        return False


def _stated_total(cells: list[str], what: str, reader) -> Decimal | None:
    """The stated total of a 合计/总分 row: the second filled cell after the label
    (the first is the weight total, 100); a lone figure is taken as the total."""
    filled = [c for c in cells if c.strip()]
    label = next((n for n, c in enumerate(filled) if is_total_row([c])), None)
    values = filled[label + 1:] if label is not None else filled
    if not values:
        return None
    return read_number(values[1] if len(values) >= 2 else values[0], what, reader.report)


def _first(cells: list[str]) -> str:
    return next((c for c in cells if c.strip()), "")


def _after(cells: list[str], label_test) -> str:
    """The first non-empty cell after the cell that passes ``label_test``."""
    for index, cell in enumerate(cells):
        if cell and label_test(compact(cell)):
            return next((c for c in cells[index + 1:] if c.strip()), "")
    return ""


# --- segmentation -----------------------------------------------------------------

@dataclass
class Segment:
    kind: str                 # "form" | "explanation" | "report"
    title: str = ""
    line: int = 0
    items: list[Item] = field(default_factory=list)
    year: int | None = None
    placeholders: int = 0   # “……” rows dropped

    def rows(self) -> list[list[str]]:
        return [it.cells for it in self.items if it.is_row]

    def paragraphs(self) -> list[str]:
        return [it.text for it in self.items if not it.is_row]


def _title_kind(text: str) -> str | None:
    t = compact(text)
    if not t or len(t) > 60 or t.endswith(_SENTENCE_END + ("。",)):
        return None
    if re.fullmatch(r"附件\d*[:：]?", t):
        return "noise"
    if re.fullmatch(r"[（(]?\d{4}年度?[）)]?", t):
        return "year"
    if FORM_TITLE_RE.search(t):
        return "form"
    if t.endswith("情况说明"):
        return "explanation"
    if t.endswith("评价报告") and not t.startswith("《"):
        return "report"
    return None


def _end_of_form(cells: list[str]) -> bool:
    first = compact(_first(cells)).rstrip(":：")
    return first in ("总分", "整改举措") or first.startswith("单位负责人")


def segment(items: list[Item]) -> tuple[list[Segment], list[Item]]:
    """Forms and prose sections in order, plus paragraphs that belong to none."""
    segments: list[Segment] = []
    loose: list[Item] = []
    form: Segment | None = None
    prose: Segment | None = None
    last_para: tuple[list[Item], Item] | None = None
    for item in items:
        if item.kind == "placeholder":
            if form is not None:
                form.placeholders += 1
            continue
        single = item.text if not item.is_row else (item.cells[0] if len(item.nonempty()) == 1
                                                   and item.cells[0] else "")
        kind = _title_kind(single) if single else None
        if kind == "noise":
            continue
        if kind == "year":
            target = form or prose
            if target is not None and target.year is None:
                target.year = _year(single)
            continue
        if kind in ("form", "explanation", "report"):
            title = tidy_name(single)
            if (last_para is not None and last_para[0] and last_para[0][-1] is last_para[1]
                    and len(compact(last_para[1].text)) <= 30
                    and not last_para[1].text.endswith(_SENTENCE_END + ("。",))):
                last_para[0].pop()
                title = tidy_name(last_para[1].text) + title
            seg = Segment(kind, title, item.line, year=_year(title))
            segments.append(seg)
            if kind == "form":
                form = seg
            else:
                form, prose = None, seg
            last_para = None
            continue
        if (form is not None and not item.is_row and len(compact(item.text)) > 40
                and not any(it.is_row for it in form.items)):
            form = None  # the “title” was a mention in the prose (“详见附件：…自评表”)
        if form is not None:
            form.items.append(item)
            if item.is_row and _end_of_form(item.cells):
                form = None
            last_para = None
            continue
        if item.is_row:
            form = Segment("form", "", item.line, [item])
            segments.append(form)
            last_para = None
            continue
        target_list = prose.items if prose is not None else loose
        target_list.append(item)
        last_para = (target_list, item)
    return segments, loose


# --- forms ------------------------------------------------------------------------

@dataclass
class FormResult:
    evaluation: Evaluation
    style: str                       # "jiangsu" | "mof" | "jinzhong"
    unit_name: str = ""
    functions: str = ""
    organisation: str = ""
    supervisor: str = ""
    contacts: dict = field(default_factory=dict)


class _Reader:
    def __init__(self, report: list[str]):
        self.report = report

    def amount(self, text: str, where: str) -> int | None:
        try:
            if "e" in (text or "").lower():
                raise ValueError(text)  # no exponent notation in money
            return parse_wan(text or "")
        except (ValueError, ArithmeticError):
            self.report.append(f"{where}：无法读取金额“{text.strip()}”，已留空")
            return None

    def rate(self, text: str, where: str) -> Decimal | None:
        try:
            return parse_rate(text or "")
        except ValueError:
            self.report.append(f"{where}：无法读取执行率“{text.strip()}”，已留空")
            return None


def _firsts_and_cells(rows: list[list[str]]) -> tuple[list[str], set[str]]:
    return [compact(_first(r)) for r in rows], {compact(c) for r in rows for c in r if c}


# Recognisers named by the layout registry (resources/layouts/*.json): each gives the
# confidence (0 … 1) that a table is a form of its layout; the import takes the most confident.

def recognise_jiangsu(rows: list[list[str]]) -> float:
    firsts, _ = _firsts_and_cells(rows)
    if any(f == "单位名称" for f in firsts) and any(f.startswith("预算安排") for f in firsts):
        return 0.9
    return 0.0


def recognise_jinzhong(rows: list[list[str]]) -> float:
    firsts, every = _firsts_and_cells(rows)
    if any("主管部门及代码" in c for c in every) or "评分表" in firsts:
        return 0.8
    return 0.0


def _mof_like(every: set[str]) -> bool:
    return any("年初预算数" in c or "全年预算数" in c for c in every) or any(
        c.endswith("单位名称") or c in ("项目名称", "项目支出名称") for c in every)


def _is_project_form(every: set[str]) -> bool:
    return any(c in ("项目名称", "项目支出名称") for c in every)


def recognise_mof_project(rows: list[list[str]]) -> float:
    _, every = _firsts_and_cells(rows)
    return 0.5 if _mof_like(every) and _is_project_form(every) else 0.0


def recognise_mof_unit(rows: list[list[str]]) -> float:
    _, every = _firsts_and_cells(rows)
    return 0.5 if _mof_like(every) and not _is_project_form(every) else 0.0


def recognise_layout(rows: list[list[str]]):
    """The registered layout a table is a form of (the most confident recogniser), or None."""
    from perfdesk.model.layouts import layouts

    best, best_score = None, 0.0
    for layout in layouts():
        recognise = layout.recognise()
        if recognise is None:
            continue
        score = recognise(rows)
        if score > best_score:
            best, best_score = layout, score
    return best


def _leaf_count(ev: Evaluation) -> int:
    return sum(1 for n in ev.walk() if n.level == 3 or (not n.children and n.weight is not None
                                                         and n.parent is not None))


def _describe_methods(ev: Evaluation) -> str:
    counts: dict[Method, int] = {}
    for node in ev.walk():
        if not node.children and (node.weight is not None or node.target or node.actual):
            counts[node.method] = counts.get(node.method, 0) + 1
    return "、".join(f"{METHOD_COUNT_LABELS[m]} {n} 项" for m, n in counts.items()) or "无"


def parse_jiangsu(rows: list[list[str]], reader: _Reader) -> FormResult:
    ev = Evaluation(kind=EvaluationKind.UNIT, template="unit-jiangsu", layout="unit-jiangsu",
                    execution_rounding=_rounding("unit-jiangsu"))
    out = FormResult(ev, "jiangsu")
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
                _jiangsu_budget_row(ev, rows[i], cols, reader)
                i += 1
            continue
        elif header_roles(cells):
            start = i
            while i < len(rows) and not is_total_row(rows[i]) and compact(_first(rows[i])) not in (
                    "绩效等级", "主要成效", "存在问题", "整改举措"):
                i += 1
            for root in indicators_from_rows(rows[start:i], reader.report, has_budget=True):
                ev.add(root)
            continue
        elif label in ("合计", "总分"):
            ev.stated_total = _stated_total(cells, "合计得分", reader)
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


def _jiangsu_budget_row(ev: Evaluation, cells: list[str], cols: dict, reader: _Reader) -> None:
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


def parse_mof(rows: list[list[str]], reader: _Reader) -> FormResult:
    every = [compact(c) for r in rows for c in r if c]
    is_project = any(c in ("项目名称", "项目支出名称") for c in every)
    template = "project-mof" if is_project else "unit-mof"
    ev = Evaluation(kind=EvaluationKind.PROJECT if is_project else EvaluationKind.UNIT,
                    template=template, layout=template, execution_rounding=_rounding(template))
    out = FormResult(ev, "mof")
    i = 0
    while i < len(rows):
        cells = rows[i]
        keys = [compact(c) for c in cells]
        if any(k in ("项目名称", "项目支出名称") for k in keys):
            ev.name = tidy_name(_after(cells, lambda t: t in ("项目名称", "项目支出名称")))
        elif any(k.endswith("单位名称") for k in keys) and not is_project:
            out.unit_name = tidy_name(_after(cells, lambda t: t.endswith("单位名称")))
        if "主管部门" in keys or "实施单位" in keys:
            ev.project.supervisor = tidy_name(_after(cells, lambda t: t == "主管部门"))
            ev.project.implementer = tidy_name(_after(cells, lambda t: t == "实施单位"))
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
            ev.stated_total = _stated_total(cells, "总分", reader)
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


def _mof_fund_row(ev: Evaluation, cells: list[str], cols: dict, reader: _Reader) -> None:
    amount_cols = [cols[c] for c in ("initial_budget", "annual_budget", "spent") if c in cols]
    limit = min(amount_cols) if amount_cols else len(cells)
    label = compact(_first(cells[:limit]))
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
        weight = read_number(cell("weight"), "预算执行率分值", reader.report)
        ev.execution = ExecutionLine(
            weight=weight if weight is not None else Decimal(10),
            stated_rate=reader.rate(cell("rate"), "年度资金总额"),
            stated_score=read_number(cell("score"), "预算执行率得分", reader.report),
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


_JZ_SECTIONS = {"预算资金": "initial_budget", "预算下达资金": "annual_budget", "实际支出资金": "spent"}
_JZ_SOURCES = (("市级", "appropriation"), ("本级", "appropriation"), ("上年结转", "carried_over"),
               ("上级", "superior_funds"), ("其他", "other_funds"))
_JZ_NARRATIVE = (("项目概况", "overview"), ("项目资金使用情况", "fund_usage"),
                 ("资金使用情况", "fund_usage"), ("项目组织实施情况", "organisation"),
                 ("组织实施情况", "organisation"))
_LEVEL1_OF_LEVEL2 = (("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"), ("成本", "产出指标"),
                     ("经济效益", "效益指标"), ("社会效益", "效益指标"), ("生态效益", "效益指标"),
                     ("可持续", "效益指标"), ("满意度", "满意度指标"))


def parse_jinzhong(rows: list[list[str]], reader: _Reader) -> FormResult:
    ev = Evaluation(kind=EvaluationKind.PROJECT, template="project-jinzhong", layout="project-jinzhong",
                    execution_rounding=_rounding("project-jinzhong"))
    out = FormResult(ev, "jinzhong")
    section: str | None = None
    i = 0
    while i < len(rows):
        cells = rows[i]
        label = compact(cells[0]) if cells else ""
        if label == "项目名称":
            ev.name = tidy_name(_after(cells, lambda t: t == "项目名称"))
        elif label.startswith("主管部门"):
            sup = _after(cells, lambda t: t.startswith("主管部门")).strip()
            m = re.fullmatch(r"(.*?)\s*[（(]?\s*(\d+)\s*[)）]?", sup)
            if m:
                ev.project.supervisor, ev.project.supervisor_code = tidy_name(m.group(1)), m.group(2)
            else:
                ev.project.supervisor = tidy_name(sup)
            ev.project.implementer = tidy_name(_after(cells, lambda t: t == "实施单位"))
        elif label == "项目属性":
            ev.project.attribute = _after(cells, lambda t: t == "项目属性").strip()
            ev.project.period = _after(cells, lambda t: t == "项目期").strip()
        elif label.startswith("<p>") or label.startswith("项目概况"):
            text = strip_tags(cells[0])
            for heading, key in _JZ_NARRATIVE:
                if text.startswith(heading):
                    ev.narrative[key] = text[len(heading):].strip()
                    break
            else:
                reader.report.append(f"跳过：无法归类的说明“{text[:20]}…”")
        elif label == "项目绩效情况":
            ev.narrative["performance"] = strip_tags("\n".join(c for c in cells[1:] if c))
        elif label.startswith("其他需说明"):
            ev.narrative["other_issues"] = strip_tags("\n".join(c for c in cells[1:] if c))
        elif label == "绩效目标实现情况":
            roles = header_roles(cells)
            i += 1
            level1 = level2 = ""
            skipped = 0
            while i < len(rows) and compact(_first(rows[i])) not in ("项目绩效情况", "评分表"):
                row = rows[i]
                cell = lambda role, default=None: (row[roles[role]].strip() if role in roles
                                                   and roles[role] < len(row) else "")
                if row and row[0].strip():
                    level1 = tidy_name(row[0])
                if cell("level2"):
                    level2 = tidy_name(cell("level2"))
                    level1 = next((l1 for w, l1 in _LEVEL1_OF_LEVEL2 if w in level2), level1)
                name, target, actual = leaf_name(cell("name")), cell("target"), cell("actual")
                if not (name or target or actual):
                    skipped += 1
                    i += 1
                    continue
                ev.target_rows.append(TargetRow(
                    level1=level1, level2=level2, name=name, target=target, actual=actual,
                    stated_progress=reader.rate(cell("progress"), f"绩效目标“{name or level2}”完成进度"),
                ))
                i += 1
            if skipped:
                reader.report.append(f"绩效目标实现情况：跳过 {skipped} 行空白指标（如“指标2:”）")
            continue
        elif label == "评分表":
            i = _jinzhong_scores(ev, rows, i + 1, reader)
            continue
        elif label.startswith("评价结果等次"):
            ev.stated_grade = _after(cells, lambda t: t.startswith("评价结果等次")).strip() or None
        elif label == "评价人员":
            cols = {}
            for index, cell_text in enumerate(cells):
                t = compact(cell_text)
                for key, word in (("name", "姓名"), ("title", "职"), ("department", "科室"),
                                  ("phone", "电话")):
                    if key not in cols and t and word in t:
                        cols[key] = index
            i += 1
            while i < len(rows) and not rows[i][0].strip():
                row = rows[i]
                values = {k: (row[c].strip() if c < len(row) else "") for k, c in cols.items()}
                if values.get("name"):
                    ev.evaluators.append(Evaluator(**values))
                i += 1
            continue
        elif label.startswith("负责人"):
            text = "\t".join(cells)
            for key, word in (("leader", "负责人"), ("preparer", "经办人"), ("phone", "联系电话"),
                              ("date", "填报日期")):
                m = re.search(word + r"\s*[:：]\s*\t*\s*([^\t]+)", text)
                if m:
                    out.contacts[key] = m.group(1).strip()
        elif label.startswith("项目资金情况") or (section and label in (
                "", "上级财政资金", "其他", "上年结转资金")):
            section = _jinzhong_budget_row(ev, cells, section, reader)
        i += 1
    return out


def _jinzhong_budget_row(ev: Evaluation, cells: list[str], section: str | None, reader: _Reader):
    texts = [compact(c) for c in cells if c and not _is_number(c)]
    texts = [t for t in texts if not t.startswith("项目资金情况")]
    numbers = [c for c in cells if c and _is_number(c)]
    for t in texts:
        if t in _JZ_SECTIONS:
            section = t
    sub = next((t for t in reversed(texts) if t not in _JZ_SECTIONS), None)
    if section is None or not numbers:
        return section
    column = _JZ_SECTIONS[section]
    fen = reader.amount(numbers[-1], f"项目资金“{sub or section}”")
    if fen is None:
        return section
    if sub is None:
        setattr(ev.budget.total, column, fen)
        return section
    key = next((k for word, k in _JZ_SOURCES if word in sub), "other_funds")
    amounts = ev.budget.source(key)
    setattr(amounts, column, (getattr(amounts, column) or 0) + fen)
    setattr(ev.budget.total, column, (getattr(ev.budget.total, column) or 0) + fen)
    return section


def _jinzhong_scores(ev: Evaluation, rows: list[list[str]], i: int, reader: _Reader) -> int:
    level1: Indicator | None = None
    level2: Indicator | None = None
    orphans: list[Indicator] = []

    def flush_orphans(parent: Indicator) -> None:
        for leaf in orphans:
            parent.add(leaf)
        orphans.clear()

    while i < len(rows):
        cells = rows[i][1:]
        texts = [(n, c) for n, c in enumerate(cells) if c.strip() and not _is_number(c)]
        numbers = [c for c in cells if c.strip() and _is_number(c)]
        i += 1
        if not texts:
            continue
        first = compact(texts[0][1])
        if first.rstrip(":：") == "综合得分":
            ev.stated_total = _stated_total(cells, "综合得分", reader)
            break
        weight = read_number(numbers[0], f"“{first}”的分值", reader.report) if numbers else None
        score = read_number(numbers[1], f"“{first}”的得分", reader.report) if len(numbers) > 1 else None
        if first.endswith((":", "：")):
            if level1 is not None and orphans:
                flush_orphans(level2 or level1)
            level1 = ev.add(Indicator(name=first.rstrip(":："), weight=weight, score_override=score))
            level2 = None
            continue
        if len(texts) >= 2:
            level2 = Indicator(name=tidy_name(texts[0][1]))
            if level1 is not None:
                level1.add(level2)
            else:
                ev.add(level2)
            flush_orphans(level2)
            name = texts[1][1]
        else:
            name = texts[0][1]
        leaf = Indicator(name=leaf_name(name), weight=weight, score_override=score)
        apply_method(leaf, has_budget=True)
        if len(texts) == 1 and texts[0][0] == 0 and level2 is None:
            orphans.append(leaf)  # shifted one column left before its group label (效果 block)
            continue
        parent = level2 or level1
        if parent is not None:
            parent.add(leaf)
        else:
            ev.add(leaf)
    if orphans:
        if level2 or level1:
            flush_orphans(level2 or level1)
        else:
            for leaf in orphans:
                ev.add(leaf)
    return i


# --- prose --------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）])")
_UNIT_REPORT_KEYS = (
    ("概况", "report_overview"), ("职责", "report_duties"), ("绩效目标", "report_goals"),
    ("思路", "report_method"), ("方法", "report_method"), ("过程", "report_process"),
    ("结论", "report_conclusion"), ("主要绩效", "report_performance"),
    ("存在问题", "report_problems"), ("建议", "report_suggestions"),
)


def join_paragraphs(paras: list[str]) -> str:
    """Paragraphs joined by line breaks; a paragraph cut by a page break is mended."""
    out: list[str] = []
    for p in paras:
        if out and not out[-1].endswith(_SENTENCE_END + ("。", "：", ":", "”", "）", ")")) \
                and not _HEADING_RE.match(p) and len(out[-1]) > 30:
            out[-1] += p
        else:
            out.append(p)
    return "\n".join(out)


def unit_report_sections(paras: list[str]) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    key: str | None = None
    for p in paras:
        if _HEADING_RE.match(p) and len(compact(p)) <= 24:
            found = next((k for word, k in _UNIT_REPORT_KEYS if word in p), None)
            if found is not None:
                key = found
                sections.setdefault(key, [])
                continue
            if re.match(r"^\s*[一二三四五六七八九十]+\s*[、.．]", p):
                key = None  # a chapter heading such as 一、部门基本情况
            continue
        if key is not None:
            sections[key].append(p)
    return {k: join_paragraphs(v) for k, v in sections.items() if v}


# --- assembling -----------------------------------------------------------------------

def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, compact(a), compact(b)).ratio()


def _match_project(projects: list[Evaluation], text: str) -> Evaluation | None:
    best, score = None, 0.0
    for ev in projects:
        if ev.name and ev.name in text:
            return ev
        s = _similar(ev.name, text)
        if s > score:
            best, score = ev, s
    return best if score >= 0.6 else None


def _details(ev: Evaluation) -> list[str]:
    from perfdesk.model.amounts import format_wan
    from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE
    from perfdesk.scoring import format_rate

    lines = []
    t = ev.budget.total
    figures = [f"{label} {format_wan(v)}" for label, v in (
        ("年初预算数", t.initial_budget), ("全年预算数", t.annual_budget), ("全年执行数", t.spent))
        if v is not None]
    if figures:
        extra = f"；项目支出明细 {len(ev.budget.project_lines)} 行" if ev.budget.project_lines else ""
        lines.append(f"资金（万元）：{'，'.join(figures)}{extra}")
    if ev.execution is not None:
        rate = format_rate(ev.execution.stated_rate)
        lines.append(f"预算执行率一栏：分值 {ev.execution.weight}，填报执行率 {rate or '（空）'}，"
                     f"填报得分 {'（空）' if ev.execution.stated_score is None else ev.execution.stated_score}")
    if ev.goals.expected or ev.goals.achieved:
        lines.append("年度总体目标：预期目标、实际完成情况已读取")
    if ev.target_rows:
        lines.append(f"绩效目标实现情况：{len(ev.target_rows)} 行")
    if ev.evaluators:
        lines.append(f"评价人员：{'、'.join(e.name for e in ev.evaluators)}")
    titles = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
    if ev.narrative:
        lines.append("文字部分：" + "、".join(titles.get(k, k) for k in ev.narrative))
    if ev.stated_grade:
        lines.append(f"填报等级“{ev.stated_grade}”已按原表保留")
    return lines


def import_text(text: str) -> ImportResult:
    """Import every form found in ``text`` into one document (see module doc)."""
    if not isinstance(text, str) or not text.strip():
        raise TextImportError("文本为空，没有可导入的内容")
    try:
        return _import(text)
    except TextImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a partial result
        raise TextImportError(f"读取文本时出错（{type(exc).__name__}: {exc}），未导入任何内容") from exc


TEXT_ENCODINGS = ("utf-8-sig", "gb18030")  # Windows tools in China save GBK/GB18030 text


def import_text_file(path) -> ImportResult:
    """Import a saved text file (UTF-8 or GB18030); every failure is a ``TextImportError``."""
    from pathlib import Path

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TextImportError(f"无法读取文件：{exc.strerror or exc}") from exc
    for encoding in TEXT_ENCODINGS:
        try:
            return import_text(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise TextImportError("不是文本文件（无法按 UTF-8 或 GB18030 读取）")


def _unit_template_for(projects: list[FormResult], has_unit_report: bool) -> str:
    """The unit form of a document imported without one.

    Projects of one layout get the unit form that layout pairs with; a 整体绩效评价报告
    without any form is a 江苏-style unit (its report sections are that layout's).
    """
    from perfdesk.model.layouts import DEFAULTS, get_layout, layouts

    project_layouts = {p.evaluation.layout for p in projects}
    if len(project_layouts) == 1:
        (only,) = project_layouts
        units = [u for u in layouts("unit") if u.pairs_with == only]
        preferred = [u for u in units if u.id == DEFAULTS["unit"]]
        if units:
            return (preferred or units)[0].template
    if has_unit_report and not projects:
        return get_layout("unit-jiangsu").template
    return get_layout(DEFAULTS["unit"]).template


def _import(text: str) -> ImportResult:
    report: list[str] = []
    segments, loose = segment(parse_items(text))
    units: list[FormResult] = []
    projects: list[FormResult] = []
    years: list[int] = []
    unit_reports: list[Segment] = []
    project_reports: list[Segment] = []
    explanations: list[Segment] = []
    for seg in segments:
        if seg.year:
            years.append(seg.year)
        if seg.kind == "explanation":
            explanations.append(seg)
            continue
        if seg.kind == "report":
            (unit_reports if ("整体" in seg.title or "部门" in seg.title) else project_reports).append(seg)
            continue
        rows = seg.rows()
        layout = recognise_layout(rows)
        where = f"第 {seg.line} 行起的“{seg.title or '表格'}”"
        if layout is None:
            if rows:
                report.append(f"跳过：{where}不是可识别的自评表（{len(rows)} 行）")
            continue
        notes: list[str] = []
        result = layout.read()(rows, _Reader(notes))
        ev = result.evaluation
        if not ev.indicators and ev.budget.total.is_empty() and not result.unit_name and not ev.name:
            report.append(f"跳过：{where}中没有找到指标、预算或名称")
            report.extend(f"  {line}" for line in notes)
            continue
        kind = "部门整体支出绩效自评表" if ev.kind is EvaluationKind.UNIT else "项目支出绩效自评表"
        label = result.unit_name if ev.kind is EvaluationKind.UNIT else ev.name
        groups = len(ev.indicators)
        report.append(
            f"读取：{kind}（{layout.label}）“{label or '（未命名）'}”：一级指标 {groups} 个，"
            f"三级指标 {_leaf_count(ev)} 项；评分方法推断：{_describe_methods(ev)}"
        )
        report.extend(f"  {line}" for line in _details(ev))
        report.extend(f"  {line}" for line in notes)
        if seg.placeholders:
            report.append(f"  跳过 {seg.placeholders} 行“……”占位行")
        if ev.stated_total is not None:
            report.append(f"  填报总分 {ev.stated_total} 已按原表保留（审核时与各项得分合计比对）")
        (units if ev.kind is EvaluationKind.UNIT else projects).append(result)

    if not units and not projects and not unit_reports and not project_reports and not explanations:
        raise TextImportError(
            "没有找到可识别的绩效自评表或评价报告（需要如“一级指标/二级指标/三级指标/分值/得分”的表格，"
            "或“项目支出绩效自评表”“部门整体支出绩效自评表”等标题）"
        )

    doc = Document()
    if len(units) > 1:
        for extra in units[1:]:
            report.append(f"跳过：第二份部门整体自评表“{extra.unit_name}”（一个文档只有一份部门整体评价）")
    project_evs = [p.evaluation for p in projects]
    if units:
        unit = units[0]
        doc.unit_evaluation = unit.evaluation
    else:
        template = _unit_template_for(projects, bool(unit_reports))
        doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, template=template,
                                         layout=load_template(template).layout,
                                         execution_rounding=_rounding(template))
        unit = None
    doc.projects = project_evs
    ue = doc.unit_evaluation

    # the unit profile
    profile = UnitProfile()
    if unit is not None:
        profile.name = unit.unit_name
        profile.functions, profile.organisation = unit.functions, unit.organisation
    if not profile.name and unit_reports:
        m = re.match(r"^(.*?)(?:(?:19|20)\d{2}\s*年度?)", compact(unit_reports[0].title))
        if m and m.group(1):
            profile.name = m.group(1)
    supervisors = [p.evaluation.project.supervisor for p in projects if p.evaluation.project.supervisor]
    implementers = [p.evaluation.project.implementer for p in projects if p.evaluation.project.implementer]
    if not profile.name and (implementers or supervisors):
        profile.name = (implementers or supervisors)[0]
        report.append(f"文中没有部门整体自评表，单位名称取自项目的实施单位/主管部门：“{profile.name}”")
    if supervisors and supervisors[0] != profile.name:
        profile.supervisor = supervisors[0]
    for p in projects:
        if p.contacts:
            profile.leader = profile.leader or p.contacts.get("leader", "")
            profile.preparer = profile.preparer or p.contacts.get("preparer", "")
            profile.phone = profile.phone or p.contacts.get("phone", "")
            if p.contacts.get("date"):  # the 填报日期 written on the form, printed as written
                p.evaluation.narrative.setdefault("filled_date", p.contacts["date"])
    doc.unit = profile
    if not ue.name:
        ue.name = profile.name

    # year
    if years:
        doc.year = years[0]
        if len(set(years)) > 1:
            report.append(f"文中出现多个年度（{'、'.join(map(str, sorted(set(years))))}），文档年度取 {doc.year}")
    else:
        report.append("未找到年度，请在单位信息中填写")

    # prose: 预算绩效情况说明 with its 自评综述
    for seg in explanations:
        paras = seg.paragraphs()
        body = "\n".join([seg.title, *paras]) if seg.title else "\n".join(paras)
        previous = ue.narrative.get("explanation")
        ue.narrative["explanation"] = f"{previous}\n{body}" if previous else body
        report.append(f"读取：“{seg.title}”（{len(paras)} 段）→ 部门整体的预算绩效情况说明")
        for p in paras:
            m = re.match(r"^(.+?)项目?绩效自评综述\s*[:：]", p)
            if not m:
                continue
            target = _match_project(project_evs, m.group(1))
            if target is not None:
                target.narrative["summary"] = p
                report.append(f"  “{m.group(1)}”的自评综述 → 项目“{target.name}”")
            else:
                report.append(f"  “{m.group(1)}”的自评综述没有对应的项目自评表，只保留在情况说明中")
    # unit reports (整体绩效评价报告)
    for seg in unit_reports:
        paras = seg.paragraphs()
        sections = unit_report_sections(paras)
        ue.narrative.update(sections)
        full = "\n".join(paras)
        report.append(f"读取：“{seg.title}”（{len(paras)} 段）→ 部门整体的评价报告（{len(sections)} 节）")
        m = re.search(r"得分为?\s*([\d.]+)\s*分\s*[，,]?\s*(?:等级|等次)为?\s*([优良中差])", full)
        if m and ue.stated_total is None:
            ue.stated_total = Decimal(m.group(1))
            ue.stated_grade = m.group(2)
            report.append(f"  报告中的评价结论：得分 {m.group(1)}，等级“{m.group(2)}” → 部门整体的填报总分与等级")
    # project reports
    for seg in project_reports:
        body = join_paragraphs(seg.paragraphs())
        text_all = f"{seg.title}\n{body}"
        name_part = re.sub(r"(项目支出|项目)?绩效评价报告$", "", compact(seg.title))
        target = _match_project(project_evs, name_part)
        if target is not None:
            target.narrative["report"] = text_all
            report.append(f"读取：“{seg.title}”→ 项目“{target.name}”的项目绩效评价报告（按名称匹配）")
        else:
            previous = ue.narrative.get("explanation")
            ue.narrative["explanation"] = f"{previous}\n{text_all}" if previous else text_all
            report.append(f"读取：“{seg.title}”没有对应的项目自评表，放入部门整体的预算绩效情况说明")

    if ue.template in ("unit-jiangsu",) and ue.indicators:
        weight = sum((n.weight or 0) for n in ue.walk() if not n.children)
        if weight < 100:
            report.append(f"注意：部门整体自评表的指标分值合计仅 {weight}，原表不完整")
    text_paras = [it.text for it in loose if len(compact(it.text)) > 1]
    if text_paras:
        report.append(f"跳过：{len(text_paras)} 段无法归属的文字（如“{text_paras[0][:20]}”）")
    return ImportResult(doc, report)


__all__ = ["ImportResult", "TextImportError", "import_text", "indicators_from_rows", "table_rows"]
