"""预算执行数 from a 决算 or accounting export: a table of projects with their budget figures (issue 17).

At the year end the figures each 项目支出绩效自评表 needs — 年初预算数, 全年预算数, 全年执行数 — come from
the unit's 决算 (项目支出决算表) or the accounting system's 项目支出明细, one row per project. This
module reads such a table (an .xlsx workbook, a CSV or TAB text file, or text pasted from Excel/WPS)
into ``BudgetFigure`` rows; ``perfdesk.ops.budget_figures`` matches them to the document's projects
and fills every evaluation in one operation.

The header row is found by its names: a name column (项目名称, 项目, 名称 …, a 项目编码 column when
there is one) and one or more amount columns (年初预算数 / 全年预算数 (调整后预算数, 预算数) / 全年执行数
(执行数, 决算数, 实际支出数 …)). Amounts are in 万元 unless the table says 元 (“单位：元”, “金额（元）”):
then they are converted. A name written with its code (“51000021R000000019951-工资性支出”) gives both.
Total and subtotal rows (合计, 小计, 其中…) are skipped and reported. Pure Python; every failure is a
``BudgetTableError`` with a Chinese message.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from perfdesk.exchange import vocabulary as vocab
from perfdesk.model.amounts import wan_to_fen

MAX_ROWS = 20_000
MAX_TEXT_BYTES = 20 * 1024 * 1024
COLUMNS = ("initial_budget", "annual_budget", "spent")
COLUMN_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}

# Header names (normalised) beside the synonym file's fund columns. Sources: 财政部 部门决算 项目支出决算表
# (年初预算数 / 调整预算数 / 决算数), 一体化 预算执行 exports (全年预算数 / 全年执行数), accounting 项目支出明细
# (预算数 / 实际支出 / 累计支出).
NAME_HEADERS = ("项目名称", "项目", "名称", "项目(单位)名称", "预算项目名称", "项目支出名称", "项目全称", "预算项目")
CODE_HEADERS = ("项目编码", "项目代码", "项目编号", "预算项目编码")
AMOUNT_HEADERS = {
    "年初预算": "initial_budget", "年初批复数": "initial_budget", "年初数": "initial_budget",
    "年初预算安排": "initial_budget", "年初预算数(万元)": "initial_budget",
    "全年预算": "annual_budget", "调整后预算": "annual_budget", "调整预算数": "annual_budget",
    "全年调整预算数": "annual_budget", "预算安排数": "annual_budget", "全年预算数": "annual_budget",
    "决算数": "spent", "支出决算数": "spent", "实际支出": "spent", "实际支出数": "spent", "本年支出": "spent",
    "本年支出合计": "spent", "支出合计": "spent", "全年支出": "spent", "累计支出": "spent", "执行金额": "spent",
    "全年执行数": "spent", "执行数": "spent",
}
_TOTAL_RE = re.compile(r"^(?:合计|总计|小计|本页小计|累计|其中[:：]?.*|[一二三四五六七八九十]+、.*合计)$")
_YUAN_RE = re.compile(r"(?:单位|金额)[:：]?\s*(?:人民币)?元|[(（]元[)）]")
_WAN_RE = re.compile(r"万元")
_CODE_NAME_RE = re.compile(r"^\s*\[?([0-9A-Za-z]{8,})\]?\s*[-－—_ ]\s*(.+)$")


class BudgetTableError(Exception):
    """The table cannot be read (Chinese message); nothing was read."""


@dataclass
class BudgetFigure:
    """One project's row: its name (and code) and the figures the table gives, in 分."""

    name: str
    code: str = ""
    amounts: dict[str, int] = field(default_factory=dict)   # column → 分
    where: str = ""                                         # 第 5 行 / 工作表“项目”第 5 行


@dataclass
class BudgetTable:
    figures: list[BudgetFigure] = field(default_factory=list)
    columns: tuple[str, ...] = ()          # the amount columns the table has
    yuan: bool = False                     # amounts were in 元 (converted)
    skipped: list[str] = field(default_factory=list)
    source: str = ""

    def lines(self) -> list[str]:
        out = [f"读取：{self.source or '表格'}，{len(self.figures)} 个项目，栏目："
               + "、".join(COLUMN_LABELS[c] for c in self.columns)
               + ("（金额单位为元，已换算为万元）" if self.yuan else "")]
        out += [f"跳过：{line}" for line in self.skipped]
        return out


def _key(text: str) -> str:
    return vocab.key(text or "")


def column_of(text: str) -> str | None:
    """The role of a header cell: "name", "code" or one of ``COLUMNS``."""
    k = _key(text)
    bare = re.sub(r"\((?:万元|元)\)$", "", k)
    if bare in NAME_HEADERS:
        return "name"
    if bare in CODE_HEADERS:
        return "code"
    if bare in AMOUNT_HEADERS:
        return AMOUNT_HEADERS[bare]
    role = vocab.fund_column(bare)
    return role if role in COLUMNS else None


def _amount(text: str, yuan: bool) -> int | None:
    t = "".join((text or "").split()).replace(",", "").replace("，", "")
    if t in ("", "-", "—", "－", "/", "——"):
        return None
    unit_yuan = yuan
    if t.endswith("万元"):
        t, unit_yuan = t[:-2], False
    elif t.endswith("元"):
        t, unit_yuan = t[:-1], True
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]     # accounting negatives
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError(t) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise ValueError(t)
    if unit_yuan:
        return int((value * 100).to_integral_value(ROUND_HALF_UP))
    return wan_to_fen(value)


def read_rows(rows: list[list[str]], source: str = "", where=None) -> BudgetTable:
    """A table of project budget figures from rows of cell texts (see module doc)."""
    table = BudgetTable(source=source)
    rows = rows[:MAX_ROWS]
    where = where or (lambda n: f"第 {n + 1} 行")
    header_at, roles = None, {}
    yuan = False
    for n, cells in enumerate(rows[:60]):
        text = " ".join(c for c in cells if c)
        if _YUAN_RE.search(vocab.key(text).replace("万元", "")):
            yuan = True
        found = {i: column_of(c) for i, c in enumerate(cells) if c and column_of(c)}
        if "name" in found.values() and set(found.values()) & set(COLUMNS):
            header_at, roles = n, found
            if any("(元)" in _key(cells[i]) for i in found):
                yuan = True
            if any("(万元)" in _key(cells[i]) for i in found):
                yuan = False
            break
    if header_at is None:
        raise BudgetTableError("表中没有找到“项目名称”和“年初预算数 / 全年预算数 / 全年执行数（决算数、实际支出）”"
                               "等栏目，无法读取预算执行数")
    by_role: dict[str, int] = {}
    for i in sorted(roles):
        by_role.setdefault(roles[i], i)
    table.columns = tuple(c for c in COLUMNS if c in by_role)
    table.yuan = yuan
    for n in range(header_at + 1, len(rows)):
        cells = rows[n]

        def cell(role: str) -> str:
            i = by_role.get(role)
            return cells[i].strip() if i is not None and i < len(cells) and cells[i] else ""

        raw_name = cell("name")
        if not raw_name:
            continue
        name = " ".join(raw_name.split())
        if _TOTAL_RE.match(_key(name)):
            table.skipped.append(f"{where(n)}“{name[:20]}”（合计或分项行）")
            continue
        code = "".join(cell("code").split())
        m = _CODE_NAME_RE.match(name)
        if m and re.search(r"\d{6,}", m.group(1)):
            code, name = code or m.group(1), m.group(2).strip()
        figure = BudgetFigure(name=name, code=code.upper(), where=where(n))
        bad = []
        for column in table.columns:
            try:
                value = _amount(cell(column), yuan)
            except ValueError as exc:
                bad.append(f"{COLUMN_LABELS[column]}“{exc}”")
                continue
            if value is not None:
                figure.amounts[column] = value
        if bad:
            table.skipped.append(f"{where(n)}“{name[:20]}”的{'、'.join(bad)}不是金额，未读取")
        if figure.amounts:
            table.figures.append(figure)
        elif not bad:
            table.skipped.append(f"{where(n)}“{name[:20]}”（没有金额）")
    if not table.figures:
        raise BudgetTableError("表中没有读到任何项目的金额")
    return table


def read_text(text: str, source: str = "剪贴板") -> BudgetTable:
    """Text pasted from Excel/WPS (TAB between cells) or a CSV file's text."""
    if not isinstance(text, str) or not text.strip():
        raise BudgetTableError("没有内容：请粘贴或选择一个包含项目名称和预算数、执行数的表格")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if sum(1 for ln in lines if "\t" in ln) >= 2:
        rows = [ln.split("\t") for ln in lines]
    else:
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise BudgetTableError(f"无法按表格读取：{exc}") from None
        if not any(len(r) > 1 for r in rows):
            rows = [re.split(r"\s{2,}|\s*\|\s*", ln.strip()) for ln in lines]
    rows = [[c.strip().strip('"') for c in r] for r in rows]
    return read_rows(rows, source)


def read_file(path) -> BudgetTable:
    """An .xlsx workbook (every visible sheet, the first with such a table), a CSV or a text file."""
    path = Path(os.fspath(path))
    name = path.name
    try:
        with path.open("rb") as f:
            head = f.read(8)
        size = path.stat().st_size
    except FileNotFoundError:
        raise BudgetTableError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise BudgetTableError("这是一个文件夹，请选择其中的表格文件") from None
    except OSError as exc:
        raise BudgetTableError(f"无法读取文件：{exc.strerror or exc}") from None
    if head.startswith(b"PK"):
        from perfdesk.exchange.xlsx_import import XlsxImportError, _check_file, cell_text, read_sheets

        try:
            _check_file(path)
            sheets = read_sheets(path)
        except XlsxImportError as exc:
            raise BudgetTableError(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a damaged file: a message, never a traceback
            raise BudgetTableError(f"无法作为 Excel 工作簿读取（{type(exc).__name__}）") from None
        last_error = None
        for sheet in sheets:
            if sheet.state != "visible":
                continue
            rows = [[cell_text(v, fmt).strip() for v, fmt in row] for row in sheet.grid]
            try:
                return read_rows(rows, f"{name} 工作表“{sheet.title}”",
                                 lambda n, t=sheet.title: f"工作表“{t}”第 {n + 1} 行")
            except BudgetTableError as exc:
                last_error = exc
        raise last_error or BudgetTableError("工作簿中没有工作表")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BudgetTableError("这是旧版 Excel/WPS 文件（.xls/.et），请另存为 .xlsx 后再导入")
    if size > MAX_TEXT_BYTES:
        raise BudgetTableError("文件过大，不像是预算执行表")
    from perfdesk.exchange.text_import import TextImportError, decode_text

    try:
        text = decode_text(path.read_bytes())
    except TextImportError as exc:
        raise BudgetTableError(str(exc)) from None
    return read_text(text, name)


__all__ = ["BudgetFigure", "BudgetTable", "BudgetTableError", "COLUMNS", "read_file", "read_rows", "read_text"]
