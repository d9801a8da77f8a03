"""Export the 自评 in the column order of a 绩效目标表 (issue 17 item 5).

``perfdesk export-xlsx DOC --like TARGETS.xlsx -o OUT.xlsx``: the budget
system's own templates (绩效目标申报表, 绩效目标表, 一体化 exports) put the
indicator columns in their own order — 一级指标 / 二级指标 / 三级指标 /
指标性质 / 指标值 / 度量单位 / 分值 / 指标值说明 … An officer who pastes the
year-end values back into such a template needs them in that order.

The header rows of the given workbook are read (one or two rows, on any
sheet; one header per project sheet or per 项目名称 block), each column is
matched to a field through ``COLUMN_SYNONYMS``, and for every evaluation a
sheet is written whose indicator table has the template's header texts in the
template's columns, then the 自评 columns the template lacks (实际完成值, 得分
…). Columns the program cannot fill (备注, 绩效标准, 调整原因 …) stay blank, so
a block copied from the output lands in the right columns of the template.
Indicator names are repeated on every row (no merged cells: they break a paste).
"""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from perfdesk.exchange.xlsx_common import number_cell_value
from perfdesk.exchange.xlsx_export import (
    LINE_HEIGHT,
    _display_width,
    clean_text,
    sheet_names,
    write_file_atomically,
)
from perfdesk.exchange.xlsx_import import XlsxImportError, _check_file, cell_text, read_sheets
from perfdesk.model.document import Document, Evaluation, EvaluationKind, Indicator
from perfdesk.model.values import ValueKind, parse_value
from perfdesk.scoring import round_score, score_evaluation


class LikeError(Exception):
    """The template workbook cannot be used (Chinese message); nothing was written."""


# Header text (normalised: no spaces, half-width brackets, no trailing colon) -> field.
# Sources: 财政部 项目支出绩效目标表 (财预〔2015〕88号 附件) and 绩效自评表 (财预〔2020〕10号);
# the 一体化 system exports (指标性质 / 度量单位 / 指标值说明); the published 目标表 in
# tests/fixtures/real/targets (湖南 指标值及单位 / 绩效标准, 河北 指标名称 / 目标值, 淮北 一级 …).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "一级", "一级指标名称"),
    "level2": ("二级指标", "二级", "二级指标名称", "评价内容"),
    "name": ("三级指标", "三级", "三级指标名称", "指标名称", "指标内容", "绩效指标名称", "具体指标"),
    "nature": ("指标性质", "性质", "指标方向", "比较方式", "运算符号", "符号"),
    "target": ("指标值", "目标值", "年度指标值", "全年指标值", "指标值及单位", "预期指标值", "预期目标值",
               "年度目标值", "绩效目标值", "当年预期实现值", "调整后指标值", "调整后目标值", "指标目标值"),
    "initial_target": ("年初指标值", "年初目标值", "原指标值", "调整前指标值"),
    "unit": ("度量单位", "计量单位", "单位", "指标单位"),
    "weight": ("分值", "权重", "指标分值", "指标权重", "权重分值", "分值权重", "标准分值", "权重(分值)", "分值(权重)"),
    "rule": ("评分标准", "评分规则", "评价要点及评分规则", "指标值说明", "指标说明", "评价标准", "评分方法",
             "计分方法", "评分办法"),
    "actual": ("实际完成值", "全年实际值", "实际值", "实际完成情况", "完成值", "年度实际完成值",
               "实际完成指标值", "全年实际完成值"),
    "score": ("得分", "自评得分", "评价得分", "实际得分"),
    "deviation": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因分析",
                  "未完成原因及改进措施", "偏差原因及改进措施"),
}
_ROLE_OF = {text: role for role, texts in COLUMN_SYNONYMS.items() for text in texts}
# Indicator-table header words the program has no figure for: kept, left blank.
KNOWN_BLANK = ("备注", "绩效标准", "调整原因", "指标解释", "数据来源", "评价依据", "绩效指标", "年度绩效指标",
               "本年度绩效指标", "长期绩效指标", "评价指标")
PROJECT_NAME_LABELS = ("项目名称", "项目支出名称", "专项(项目)名称", "专项名称", "项目(专项)名称")
# What the 自评 has and a 目标表 usually not: appended after the template's last column.
APPENDED = (("weight", "分值"), ("actual", "实际完成值"), ("score", "得分"), ("deviation", "偏差原因分析及改进措施"))
_NAME_ROLES = {"level1", "level2", "name"}
_VALUE_ROLES = {"target", "initial_target", "weight", "actual", "score", "nature", "unit", "rule"}
_COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = Font(name="宋体", size=10, bold=True)
_BODY = Font(name="宋体", size=10)
_ADDED = PatternFill("solid", fgColor="FFF2CC")  # columns the template does not have


def normalise_header(text: str) -> str:
    text = re.sub(r"[\s\u3000\xa0]+", "", text or "")
    text = text.replace("（", "(").replace("）", ")").rstrip(":：")
    return text.lstrip("*＊")


def role_of(text: str) -> str | None:
    """The field a header text names, or None."""
    key = normalise_header(text)
    if not key:
        return None
    if key in _ROLE_OF:
        return _ROLE_OF[key]
    bare = re.sub(r"\(.*?\)$", "", key)  # “权重(%)”, “指标值(万元)”
    return _ROLE_OF.get(bare)


@dataclass
class Template:
    """The indicator-table header of a 目标表: its texts by column, and each column's field."""

    sheet: str
    row: int                         # 1-based row of the (last) header row
    texts: dict[int, str]            # 1-based column -> header text (second row's text where it has one)
    roles: dict[int, str]            # 1-based column -> field
    project: str = ""                # the 项目名称 above this header, if any
    head_rows: list[dict[int, str]] = field(default_factory=list)  # the header rows as written

    @property
    def last_column(self) -> int:
        return max(list(self.texts) + list(self.roles) + [1])


def _is_header(roles: dict[int, str]) -> bool:
    found = set(roles.values())
    return len(found) >= 3 and bool(found & _NAME_ROLES) and bool(found & _VALUE_ROLES)


def find_templates(sheets) -> list[Template]:
    """Every indicator-table header in the workbook's visible sheets."""
    templates: list[Template] = []
    for sheet in sheets:
        if sheet.state != "visible":
            continue
        project = ""
        grid = sheet.grid
        r = 0
        while r < len(grid):
            texts = {c + 1: cell_text(v, f).strip() for c, (v, f) in enumerate(grid[r])}
            texts = {c: t for c, t in texts.items() if t}
            for c, t in texts.items():
                if normalise_header(t) in PROJECT_NAME_LABELS:
                    after = [texts[k] for k in sorted(texts) if k > c]
                    if after:
                        project = after[0]
            roles = {c: role for c, t in texts.items() if (role := role_of(t))}
            if not _is_header(roles):
                r += 1
                continue
            head_rows = [texts]
            # A second header row beneath (指标值 → 年初指标值 | 调整后指标值): its texts win.
            if r + 1 < len(grid):
                below = {c + 1: cell_text(v, f).strip() for c, (v, f) in enumerate(grid[r + 1])}
                below = {c: t for c, t in below.items() if t}
                below_roles = {c: role for c, t in below.items() if (role := role_of(t))}
                if below and len(below_roles) == len(below) and not set(below_roles.values()) & _NAME_ROLES:
                    head_rows.append(below)
                    texts = {**texts, **below}
                    roles = {**roles, **below_roles}
                    r += 1
            templates.append(Template(sheet.title, r + 1, texts, roles, project, head_rows))
            r += 1
    return templates


def read_template(path) -> list[Template]:
    """The indicator-table headers of the 目标表 workbook at ``path``."""
    try:
        _check_file(os.fspath(path))
        sheets = read_sheets(os.fspath(path))
    except XlsxImportError as exc:
        raise LikeError(f"无法读取目标表“{os.path.basename(os.fspath(path))}”：{exc}") from None
    templates = find_templates(sheets)
    if not templates:
        raise LikeError(
            f"目标表“{os.path.basename(os.fspath(path))}”中没有找到指标表的表头"
            "（需要“一级指标、二级指标、三级指标、指标值”等栏目）")
    return templates


def _same_name(a: str, b: str) -> bool:
    a, b = normalise_header(a), normalise_header(b)
    return bool(a and b) and (a == b or a in b or b in a)


def template_for(ev: Evaluation, doc: Document, templates: list[Template]) -> Template:
    """The header of the 目标表 block or sheet of this project (by name), else the first one."""
    name = doc.unit.name if ev.kind is EvaluationKind.UNIT else ev.name
    for t in templates:
        if t.project and _same_name(t.project, name):
            return t
    for t in templates:
        if _same_name(t.sheet, name):
            return t
    return templates[0]


def _path(leaf: Indicator) -> list[str]:
    names, node = [], leaf
    while node is not None:
        names.append(node.name)
        node = node.parent
    return list(reversed(names))


def _split_target(text: str, roles: set[str]) -> dict[str, object]:
    """A target as the template's columns want it: with 指标性质 and 度量单位 columns,
    “≥98%” is ≥ | 98 | %; without them it stays “≥98%”."""
    out: dict[str, object] = {"value": text}
    if not text or not roles & {"nature", "unit"}:
        return out
    v = parse_value(text)
    if v.kind in (ValueKind.NUMBER, ValueKind.PERCENT) and not v.prefix and not v.suffix:
        number = number_cell_value(v.number)
        if "nature" in roles:
            out["nature"] = _COMPARATOR_SIGNS.get(v.comparator, "=")
            if "unit" in roles:
                out["value"], out["unit"] = number, v.unit
            else:
                out["value"] = f"{format(v.number, 'f')}{v.unit}"
        else:  # a unit column only: the comparison stays with the figure
            out["value"], out["unit"] = (f"{_COMPARATOR_SIGNS.get(v.comparator, '')}{format(v.number, 'f')}"
                                          if v.comparator else number), v.unit
    elif v.kind is ValueKind.QUALITATIVE and "nature" in roles:
        out["nature"] = "定性"
    return out


def _leaf_values(leaf: Indicator, scores, roles: set[str]) -> dict[str, object]:
    path = _path(leaf)
    values: dict[str, object] = {}
    if len(path) >= 3:
        values["level1"], values["level2"], values["name"] = path[0], path[1], " / ".join(path[2:])
    elif len(path) == 2:
        values["level1"], values["level2"] = path
    else:
        values["level1"] = path[0]
    if "name" in roles and "level2" not in roles and len(path) == 2:  # no 二级 column: the name goes there
        values["name"] = values.pop("level2")
    target = _split_target(leaf.target, roles)
    values["target"] = target["value"]
    values["nature"] = target.get("nature")
    values["unit"] = target.get("unit")
    initial = getattr(leaf, "initial_target", None) or leaf.target  # no adjustment: the same target
    values["initial_target"] = _split_target(initial, roles)["value"]
    values["weight"] = number_cell_value(leaf.weight)
    values["actual"] = leaf.actual
    result = scores.by_uid.get(leaf.uid)
    if leaf.score_override is not None:
        values["score"] = number_cell_value(leaf.score_override)
    elif result is not None and result.computed is not None:
        values["score"] = number_cell_value(round_score(result.computed, "0.01"))
    values["rule"] = leaf.rule_text
    values["deviation"] = leaf.deviation_note
    return values


_WIDTHS = {"name": 24, "target": 14, "initial_target": 14, "actual": 14, "rule": 28, "deviation": 26,
           "level1": 12, "level2": 14, "nature": 8, "unit": 8, "weight": 8, "score": 8}


def _lines(value, width: int) -> int:
    """Wrapped lines of a cell (as the main export estimates them)."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in value.split("\n"))


def _put(ws, row: int, col: int, value, *, head: bool = False, added: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"  # a target “=100%” stays text, never a formula
    else:
        cell.value = value
    cell.font = _HEAD if head else _BODY
    cell.border = _BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if head else None)
    if added:
        cell.fill = _ADDED


def write_like(ws, doc: Document, ev: Evaluation, template: Template, like_name: str) -> None:
    """The evaluation's indicators on ``ws`` in the columns of ``template``."""
    roles = set(template.roles.values())
    column_of: dict[str, int] = {}
    for c in sorted(template.roles):
        column_of.setdefault(template.roles[c], c)
    added: dict[int, str] = {}
    next_col = template.last_column + 1
    has_weights = any(leaf.weight is not None for leaf in ev.leaves())
    for role, label in APPENDED:
        if role in column_of or (role == "weight" and not has_weights):
            continue
        column_of[role] = next_col
        added[next_col] = label
        next_col += 1
    last = next_col - 1

    year = f"{doc.year}年度" if doc.year else ""
    name = doc.unit.name if ev.kind is EvaluationKind.UNIT else ev.name
    kind = "部门整体支出" if ev.kind is EvaluationKind.UNIT else "项目支出"
    ws.cell(1, 1, clean_text(f"{year}{kind}绩效自评（按“{like_name}”的列序）")).font = Font(name="宋体", size=14, bold=True)
    _put(ws, 2, 1, "单位名称" if ev.kind is EvaluationKind.UNIT else "项目名称", head=True)
    _put(ws, 2, 2, name)
    if last > 2:
        ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=last)
    row = 4
    for i, texts in enumerate(template.head_rows):
        for c in range(1, last + 1):
            if c in added:
                _put(ws, row, c, added[c] if i == 0 else "", head=True, added=True)
            else:
                _put(ws, row, c, texts.get(c, ""), head=True)
        row += 1
    header_rows = f"4:{row - 1}"
    widths = {}
    for c in range(1, last + 1):
        role = template.roles.get(c) or next((r for r, col in column_of.items() if col == c), None)
        widths[c] = _WIDTHS.get(role, 10)
        ws.column_dimensions[get_column_letter(c)].width = widths[c]
    scores = score_evaluation(ev)
    for leaf in ev.leaves():
        if leaf.parent is None or leaf.parent.parent is None:  # a level-1/2 line without indicators
            if leaf.weight is None and not (leaf.target or leaf.actual or leaf.score_override is not None):
                continue
        values = _leaf_values(leaf, scores, roles)
        for c in range(1, last + 1):
            role = template.roles.get(c) if c not in added else next(r for r, col in column_of.items() if col == c)
            _put(ws, row, c, values.get(role) if role else None, added=c in added)
        lines = max(_lines(values.get(template.roles.get(c) or next(
            (r for r, col in column_of.items() if col == c), "")), widths[c]) for c in range(1, last + 1))
        if lines > 1:
            ws.row_dimensions[row].height = min(409, LINE_HEIGHT * lines + 4)
        row += 1
    ws.print_title_rows = header_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def export_like(doc: Document, like_path, out_path, evaluation: Evaluation | None = None) -> list[str]:
    """Write the evaluations (or one) at ``out_path`` in the column order of the 目标表
    workbook at ``like_path``; returns a report (which header each sheet follows)."""
    templates = read_template(like_path)
    like_name = os.path.basename(os.fspath(like_path))
    evaluations = [evaluation] if evaluation is not None else [
        ev for ev in doc.evaluations() if ev.kind is EvaluationKind.PROJECT or ev.has_content()]
    evaluations = [ev for ev in evaluations if ev.indicators]
    if not evaluations:
        raise LikeError("文档中没有带绩效指标的自评表，未导出")
    wb = Workbook()
    wb.remove(wb.active)
    report: list[str] = []
    for title, ev in zip(sheet_names(evaluations), evaluations):
        template = template_for(ev, doc, templates)
        write_like(wb.create_sheet(title), doc, ev, template, like_name)
        columns = "、".join(f"{get_column_letter(c)} {template.texts[c]}" for c in sorted(template.roles))
        report.append(f"工作表“{title}”：按目标表工作表“{template.sheet}”第 {template.row} 行的表头（{columns}）")
    buffer = io.BytesIO()
    wb.save(buffer)
    write_file_atomically(out_path, buffer.getvalue())
    return report


__all__ = ["COLUMN_SYNONYMS", "LikeError", "Template", "export_like", "find_templates", "read_template",
           "role_of"]
