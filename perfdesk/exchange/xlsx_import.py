"""Excel import: self-evaluation workbooks into one ``Document``.

Two kinds of workbook are read:

* workbooks written by ``xlsx_export`` (a very hidden ``perfdesk`` sheet
  names the format): every form sheet is read back exactly — indicators,
  stated scores, methods and tiers, budget, goals, texts — by the labels of
  its rows and columns, so rows an officer inserted or edited are honoured;
* any other workbook (the templates finance bureaus hand out, last year's
  copies): each sheet is turned into rows of cells — merged cells give their
  value to the top-left cell only, as when copying from Excel — and read by
  the text importer, which finds header rows by their labels (一级指标,
  二级指标, 三级指标, 指标值, 分值, 实际完成值, 得分, 偏差原因 …), follows
  merged level-1/level-2 names, the budget block and the heading fields, and
  finds many forms across sheets or stacked in one sheet.

The file is checked before it is loaded (size, zip structure, uncompressed
size, encryption) and what is read is capped (sheets, rows, columns, cells,
text length). Either the whole import succeeds or ``XlsxImportError`` (a
Chinese message) is raised.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from perfdesk.exchange.infer import infer_method, infer_tier
from perfdesk.exchange.text_import import ImportResult, TextImportError, import_text
from perfdesk.exchange.xlsx_common import (
    AUTO_FORMULA,
    AUTO_LABEL,
    BUDGET_HEADER,
    BUDGET_ROWS,
    COLUMN_LABELS,
    EVALUATOR_COLUMNS,
    EVALUATORS_SECTION,
    EXTRA_LABELS,
    FORMAT_NAME,
    GOALS_ACHIEVED,
    GOALS_EXPECTED,
    GOALS_LABEL,
    GRADE_LABEL,
    META_SHEET,
    METHOD_BY_LABEL,
    NARRATIVE_KEYS,
    NARRATIVE_SECTION,
    PROJECT_FIELDS,
    PROJECT_LINE_LABEL,
    PROJECT_NAME_LABEL,
    SOURCE_KEYS,
    SOURCE_LABEL,
    TARGET_COLUMNS,
    TARGETS_SECTION,
    TIER_BY_LABEL,
    TOTAL_LABEL,
    UNIT_FIELDS,
    UNIT_SIGN_FIELDS,
    parse_auto_marker,
)
from perfdesk.model.amounts import wan_to_fen
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
)
from perfdesk.model.values import MAX_UNIT_CHARS, parse_comparison, parse_decimal, parse_rate

# Caps: a hostile file must not exhaust memory or time.
MAX_FILE_BYTES = 20 * 1024 * 1024           # the .xlsx file itself
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all its parts unpacked
MAX_ZIP_ENTRIES = 5000
MAX_SHEETS = 300
MAX_ROWS = 20_000       # per sheet
MAX_COLUMNS = 200       # per sheet
MAX_CELLS = 2_000_000   # per workbook (rows × columns of the used ranges)
MAX_TEXT = 32_767       # characters in one cell (Excel's own limit)
MAX_MERGES = 20_000     # merged ranges per sheet (a form has a few hundred)
MAX_SHARED_STRINGS = 100_000                  # entries (and rich-text runs) of the shared-strings table
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024   # its size unpacked
MAX_CENT = Decimal(1_000_000)       # weights and scores
MAX_WAN = Decimal(1_000_000_000)    # amounts in 万元

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


class XlsxImportError(Exception):
    """The workbook cannot be imported (Chinese message); nothing was imported."""


# -- checking and loading ------------------------------------------------------

def _check_file(path) -> None:
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head == _CFB_MAGIC:
                data = fh.read(min(size, 4 * 1024 * 1024))
    except FileNotFoundError:
        raise XlsxImportError("文件不存在") from None
    except IsADirectoryError:
        raise XlsxImportError("这是一个文件夹，不是 Excel 工作簿") from None
    except OSError as exc:
        raise XlsxImportError(f"无法读取文件（{exc.strerror or exc}）") from None
    if size == 0:
        raise XlsxImportError("文件为空，不是 Excel 工作簿")
    if size > MAX_FILE_BYTES:
        raise XlsxImportError(
            f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），"
            "自评表工作簿不会这么大，未导入")
    if head == _CFB_MAGIC:
        if _ENCRYPTION_INFO in data:
            raise XlsxImportError("工作簿已设置打开密码（已加密），请在 Excel/WPS 中取消密码并另存为 .xlsx 后再导入")
        raise XlsxImportError("这是旧版 Excel（.xls）或其他 Office 文件，请在 Excel/WPS 中另存为 .xlsx 后再导入")
    if not head.startswith(b"PK"):
        raise XlsxImportError("不是 Excel 工作簿（.xlsx）文件")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise XlsxImportError("文件已损坏（无法解开 .xlsx 压缩包），未导入") from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise XlsxImportError("不是 Excel 工作簿（.xlsx）文件：压缩包中没有工作簿内容")
    if len(infos) > MAX_ZIP_ENTRIES:
        raise XlsxImportError(f"工作簿包含的部件过多（{len(infos)} 个），未导入")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise XlsxImportError(
            f"工作簿解压后过大（{unpacked / 1024 / 1024:.0f} MB，上限 "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB），未导入")
    _check_shared_strings(path, infos)


_SI_RE = re.compile(rb"<(?:\w+:)?(?:si|r)[\s>/]")  # an entry, or a rich-text run inside one


def _check_shared_strings(path, infos) -> None:
    """Cap the shared-strings table before openpyxl loads it whole (a 460 KB bomb took 62 s, 1.7 GB).

    Its entries are counted by streaming the part (linear, constant memory); the
    ``count``/``uniqueCount`` attributes the file states are not trusted.
    """
    for info in infos:
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        if info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise XlsxImportError(
                f"工作簿的共享文字表过大（解压后 {info.file_size / 1024 / 1024:.0f} MB，上限 "
                f"{MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB），未导入")
        entries, tail = 0, b""
        try:
            with zipfile.ZipFile(path) as zf, zf.open(info) as fh:
                read = 0
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > MAX_SHARED_STRINGS_BYTES:
                        raise XlsxImportError("工作簿的共享文字表过大，未导入")
                    data = tail + chunk
                    cut = max(0, len(data) - 256)  # a tag starting after this is counted next time
                    entries += sum(1 for m in _SI_RE.finditer(data) if m.start() < cut)
                    tail = data[cut:]
                    if entries > MAX_SHARED_STRINGS:
                        raise XlsxImportError(
                            f"工作簿的共享文字过多（超过 {MAX_SHARED_STRINGS} 段），未导入")
                entries += len(_SI_RE.findall(tail))
                if entries > MAX_SHARED_STRINGS:
                    raise XlsxImportError(f"工作簿的共享文字过多（超过 {MAX_SHARED_STRINGS} 段），未导入")
        except XlsxImportError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            raise XlsxImportError("文件已损坏（无法解开 .xlsx 压缩包），未导入") from None


@dataclass
class SheetData:
    """One worksheet as read: rows of ``(value, number_format or None)`` and its merged ranges."""

    title: str
    state: str
    grid: list[list[tuple]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    formulas: set[tuple[int, int]] = field(default_factory=set)  # 1-based (row, column) of formula cells

    @property
    def merged_tl(self) -> set[tuple[int, int]]:
        return {(r1, c1) for r1, c1, _, _ in self.merges}

    def row_extents(self) -> dict[int, int]:
        """1-based row -> the last column a merged range on that row reaches.

        Only rows that hold cells matter; a sweep over the ranges sorted by their first
        row keeps this linear in rows + ranges (20 000 tall ranges used to take minutes).
        """
        import heapq

        extents: dict[int, int] = {}
        starts = sorted((r1, r2, min(c2, MAX_COLUMNS)) for r1, _, r2, c2 in self.merges)
        active: list[tuple[int, int]] = []  # (-last column, last row)
        i = 0
        for r in range(1, len(self.grid) + 1):
            while i < len(starts) and starts[i][0] <= r:
                _, r2, c2 = starts[i]
                heapq.heappush(active, (-c2, r2))
                i += 1
            while active and active[0][1] < r:
                heapq.heappop(active)
            if active:
                extents[r] = -active[0][0]
        return extents


_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merges(zf: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    try:
        with zf.open(part.lstrip("/")) as fh:
            data = fh.read(MAX_UNCOMPRESSED_BYTES + 1)
    except KeyError:
        return []
    out = []
    for m in _MERGE_RE.finditer(data):
        if len(out) >= MAX_MERGES:
            raise XlsxImportError(f"工作表中的合并单元格过多（超过 {MAX_MERGES} 处），未导入")
        r1, c1 = int(m.group(2)), _column_index(m.group(1))
        r2, c2 = (int(m.group(4)), _column_index(m.group(3))) if m.group(3) else (r1, c1)
        out.append((r1, c1, r2, c2))
    return out


def _load(path, data_only: bool):
    import openpyxl  # noqa: PLC0415 - heavy, only when importing

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except XlsxImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser error means a damaged file
        raise XlsxImportError(f"文件已损坏或不是有效的 .xlsx 工作簿（{type(exc).__name__}），未导入") from None


def _read_rows(ws, budget: list[int], formulas: list | None) -> list[list[tuple]]:
    """Stream a read-only sheet into rows, within the caps."""
    ws.reset_dimensions()  # do not trust the stored dimension
    grid: list[list[tuple]] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        if r > MAX_ROWS:
            raise XlsxImportError(f"工作表“{ws.title}”行数过多（超过 {MAX_ROWS} 行），未导入")
        if len(row) > MAX_COLUMNS:
            raise XlsxImportError(f"工作表“{ws.title}”列数过多（{len(row)} 列，上限 {MAX_COLUMNS}），未导入")
        budget[0] -= max(len(row), 1)
        if budget[0] < 0:
            raise XlsxImportError(f"工作簿单元格过多（上限 {MAX_CELLS} 个），未导入")
        values = []
        for c, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if value is None:
                values.append((None, None))
                continue
            if getattr(cell, "data_type", None) == "f" and formulas is not None:
                formulas.append((r, c))
            elif not isinstance(value, (str, int, float, bool, _dt.datetime, _dt.date, _dt.time, Decimal)):
                value = str(value)  # array formulas and other objects
            if isinstance(value, str) and len(value) > MAX_TEXT:
                raise XlsxImportError(
                    f"工作表“{ws.title}”第 {r} 行第 {c} 列文字过长（{len(value)} 字，上限 {MAX_TEXT}），未导入")
            fmt = cell.number_format if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            values.append((value, fmt))
        grid.append(values)
    return grid


def read_sheets(path) -> list[SheetData]:
    """Every worksheet of a checked .xlsx file, formulas replaced by their cached values."""
    wb = _load(path, data_only=False)
    try:
        if len(wb.worksheets) > MAX_SHEETS:
            raise XlsxImportError(f"工作表过多（{len(wb.worksheets)} 个，上限 {MAX_SHEETS}），未导入")
        budget = [MAX_CELLS]
        sheets: list[SheetData] = []
        formulas: dict[str, list] = {}
        with zipfile.ZipFile(path) as zf:
            for ws in wb.worksheets:
                found: list = []
                sheet = SheetData(ws.title, ws.sheet_state, _read_rows(ws, budget, found),
                                  _merges(zf, getattr(ws, "_worksheet_path", "") or ""))
                if found:
                    formulas[ws.title] = found
                    sheet.formulas = set(found)
                sheets.append(sheet)
    finally:
        wb.close()
    if formulas:
        values = _load(path, data_only=True)
        try:
            for sheet in sheets:
                if sheet.title not in formulas:
                    continue
                cached = _read_rows(values[sheet.title], [MAX_CELLS], None)
                for r, c in formulas[sheet.title]:
                    value = cached[r - 1][c - 1][0] if r <= len(cached) and c <= len(cached[r - 1]) else None
                    if value is None:
                        raise XlsxImportError(
                            f"工作表“{sheet.title}”第 {r} 行第 {c} 列是公式，但文件中没有保存计算结果；"
                            "请在 Excel/WPS 中打开、保存后再导入")
                    sheet.grid[r - 1][c - 1] = cached[r - 1][c - 1]
        finally:
            values.close()
    return sheets


# -- cell values ---------------------------------------------------------------

def _decimal_of(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        # 15 significant digits, as Excel shows them: 0.1 + 0.2 reads 0.3
        return Decimal(format(value, ".15g"))
    if isinstance(value, Decimal):
        return value
    return None


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def cell_text(value, fmt: str | None = None) -> str:
    """A cell as the officer sees it: 0.98 formatted as a percentage reads “98%”."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    d = _decimal_of(value)
    if d is None:
        return str(value)
    if fmt and "%" in fmt:
        return _padded(_plain(d * 100), fmt) + "%"
    return _plain(d)


_FORMAT_DECIMALS = re.compile(r"0\.(0+)")


def _padded(text: str, fmt: str) -> str:
    """A share with the decimals its number format shows (0.987 as “0.00%” reads “98.70%”, as on
    screen and in a copy); digits beyond the format are kept, never rounded away."""
    m = _FORMAT_DECIMALS.search(fmt.split(";")[0])
    want = len(m.group(1)) if m else 0
    have = len(text.split(".")[1]) if "." in text else 0
    if want <= have:
        return text
    return (text if have else text + ".") + "0" * (want - have)


# -- workbooks written by perfdesk --------------------------------------------------

class _Reader:
    """Reads one perfdesk form sheet back into an ``Evaluation``."""

    def __init__(self, doc: Document, ev: Evaluation, grid, merged_tl, title: str, report: list[str],
                 formulas: set[tuple[int, int]] = frozenset()):
        self.doc, self.ev, self.grid, self.merged_tl = doc, ev, grid, merged_tl
        self.title, self.report = title, report
        self.formulas = formulas  # 1-based (row, column) of formula cells
        self.extra_start = 10**6  # the first column outside the form (computed values, method …)
        self.auto_col: int | None = None  # the 自动填入 column (see xlsx_common.AUTO_LABEL)

    def filled_by_program(self, r: int, c: int | None, label: str) -> bool:
        """Whether the cell (0-based ``r``, ``c``) still holds what the export filled in for
        ``label`` (listed in the row's 自动填入 column): then it is read as not filled in."""
        row = self.grid[r]
        if self.auto_col is None or c is None or c >= len(row) or self.auto_col >= len(row):
            return False
        expected = parse_auto_marker(row[self.auto_col][0]).get(label)
        if expected is None:
            return False
        if expected == AUTO_FORMULA:
            return (r + 1, c + 1) in self.formulas
        value = row[c][0]
        if isinstance(value, str):
            return value.strip() == expected
        d = _decimal_of(value)
        try:
            return d is not None and d == Decimal(expected)
        except InvalidOperation:
            return False

    def where(self, r: int) -> str:
        return f"工作表“{self.title}”第 {r + 1} 行"

    def number(self, value, what: str, r: int, rate: bool = False, limit: Decimal = MAX_CENT) -> Decimal | None:
        value = value[0] if isinstance(value, tuple) else value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        d = _decimal_of(value)
        if d is None and isinstance(value, str):
            try:
                d = parse_rate(value) if rate else parse_decimal(value)
            except (ValueError, ArithmeticError):
                d = None
        if d is None or not d.is_finite() or abs(d) >= limit:
            shown = cell_text(value)
            shown = shown if len(shown) <= 20 else shown[:20] + "…"
            self.report.append(f"  {self.where(r)}：无法读取{what}“{shown}”，已留空")
            return None
        return d

    def amount(self, value, what: str, r: int) -> int | None:
        d = self.number(value, what, r, limit=MAX_WAN)
        return None if d is None else wan_to_fen(d)

    @staticmethod
    def texts(row) -> list[tuple[int, str]]:
        out = []
        for c, (value, fmt) in enumerate(row):
            text = cell_text(value, fmt)
            if text.strip():
                out.append((c, text))
        return out

    def read(self) -> None:
        ev, doc = self.ev, self.doc
        unit_fields = {label: key for key, label in UNIT_FIELDS + UNIT_SIGN_FIELDS}
        project_fields = {label: key for key, label in PROJECT_FIELDS}
        mode = "head"
        r = 1  # row 0 is the title
        n = len(self.grid)
        while r < n:
            row = self.grid[r]
            cells = [(c, t) for c, t in self.texts(row) if c < self.extra_start]
            if not cells:
                r += 1
                continue
            first = cells[0][1]
            label = first.strip()
            value = cells[1][1] if len(cells) > 1 else ""
            if label == BUDGET_HEADER:
                r = self.read_budget(r)
                continue
            if label == GOALS_LABEL and len(cells) > 1:
                label, value = cells[1][1].strip(), (cells[2][1] if len(cells) > 2 else "")
            if label == GOALS_EXPECTED:
                ev.goals.expected = value
            elif label == GOALS_ACHIEVED:
                ev.goals.achieved = value
            elif label == COLUMN_LABELS["level1"]:
                r = self.read_indicators(r)
                continue
            elif label == TARGETS_SECTION:
                r = self.read_table(r + 2, TARGET_COLUMNS, self.add_target)
                continue
            elif label == EVALUATORS_SECTION:
                r = self.read_table(r + 2, EVALUATOR_COLUMNS, self.add_evaluator)
                continue
            elif label == NARRATIVE_SECTION:
                mode = "narrative"
            elif mode == "narrative" and label in NARRATIVE_KEYS:
                ev.narrative[NARRATIVE_KEYS[label]] = value
            elif ev.kind is EvaluationKind.UNIT and label in unit_fields:
                setattr(doc.unit, unit_fields[label], value)
            elif ev.kind is EvaluationKind.PROJECT and label == PROJECT_NAME_LABEL:
                ev.name = value
            elif ev.kind is EvaluationKind.PROJECT and label in project_fields:
                setattr(ev.project, project_fields[label], value)
            elif label == GRADE_LABEL:
                stated = value.strip() or None
                if stated is not None and self.filled_by_program(r, cells[1][0], GRADE_LABEL):
                    stated = None
                ev.stated_grade = stated
            else:
                self.report.append(f"  跳过：{self.where(r)}“{label[:20]}”不是可识别的栏目")
            r += 1

    def read_budget(self, r: int) -> int:
        heads = {text.strip(): c for c, text in self.texts(self.grid[r])}
        col = {key: heads.get(label) for key, label in (
            ("initial_budget", "年初预算数"), ("annual_budget", "全年预算数"), ("spent", "全年执行数"),
            ("weight", "分值"), ("rate", "执行率"), ("score", "得分"))}
        if AUTO_LABEL in heads:
            self.auto_col = heads[AUTO_LABEL]
        budget, ev = self.ev.budget, self.ev
        labels = {label: key for key, label in BUDGET_ROWS}
        r += 1
        while r < len(self.grid):
            row = self.grid[r]
            cells = self.texts(row)
            if not cells:
                break
            label = cells[0][1].strip()
            name = None
            if "：" in label and label.split("：", 1)[0] in (PROJECT_LINE_LABEL, SOURCE_LABEL):
                label, name = label.split("：", 1)
            elif label in (PROJECT_LINE_LABEL, SOURCE_LABEL):
                name_col = cells[0][0] + 1
                name = cell_text(*row[name_col]) if name_col < len(row) else ""
            if label not in labels and label not in (PROJECT_LINE_LABEL, SOURCE_LABEL):
                break

            def get(key):
                c = col[key]
                return row[c][0] if c is not None and c < len(row) else None

            amounts = Amounts(*(self.amount(get(k), f"{label}的金额", r) for k in Amounts.COLUMNS))
            if label in labels:
                setattr(budget, labels[label], amounts)
                if labels[label] == "total" and col["weight"] is not None:
                    weight = self.number(get("weight"), "执行率分值", r)
                    ev.execution = ExecutionLine(
                        weight=weight if weight is not None else Decimal(10),
                        stated_rate=None if self.filled_by_program(r, col["rate"], "执行率")
                        else self.number(get("rate"), "执行率", r, rate=True),
                        stated_score=None if self.filled_by_program(r, col["score"], "得分")
                        else self.number(get("score"), "执行率得分", r),
                    )
            elif label == PROJECT_LINE_LABEL:
                budget.project_lines.append(BudgetLine(name=name or "", amounts=amounts))
            elif name in SOURCE_KEYS:
                budget.sources[SOURCE_KEYS[name]] = amounts
            else:
                self.report.append(f"  跳过：{self.where(r)}资金来源“{name}”不是可识别的来源")
            r += 1
        return r

    def read_indicators(self, r: int) -> int:
        labels = {label: role for role, label in {**COLUMN_LABELS, **EXTRA_LABELS}.items()}
        col: dict[str, int] = {}
        for c, text in self.texts(self.grid[r]):
            role = labels.get(text.strip())
            if role and role not in col:
                col[role] = c
        extras = [col[role] for role in EXTRA_LABELS if role in col]
        if extras:
            self.extra_start = min(extras)
        self.auto_col = col.get("auto")
        if "weight" not in col or "score" not in col:
            raise XlsxImportError(f"{self.where(r)}的指标表缺少“分值”或“得分”列")
        ev = self.ev
        has_budget = not ev.budget.total.is_empty()
        level1: Indicator | None = None
        level2: Indicator | None = None
        r += 1
        while r < len(self.grid):
            row = self.grid[r]

            def text(role, row=row):
                c = col.get(role)
                return cell_text(*row[c]) if c is not None and c < len(row) else ""

            def raw(role, row=row):
                c = col.get(role)
                return row[c][0] if c is not None and c < len(row) else None

            texts = self.texts(row)
            if not texts:
                r += 1
                continue
            if texts[0][1].strip() in (TOTAL_LABEL, "合计"):
                ev.stated_total = None if self.filled_by_program(r, col["score"], "得分") else self.number(
                    raw("score"), "总分", r)
                return r + 1
            l1, l2, name = text("level1"), text("level2"), text("name")
            depth_value = _decimal_of(raw("depth"))
            depth = int(depth_value) if depth_value in (1, 2, 3) else (
                3 if name.strip() else 2 if l2.strip() else 1 if l1.strip() else 3)
            leaf = Indicator(
                target=text("target"), actual=text("actual"), rule_text=text("rule"),
                deviation_note=text("deviation"), comparison=self.comparison(text("comparison"), r),
                unit=self.unit(text("unit"), r), initial_target=text("initial_target"),
                adjust_reason=text("adjust_reason"),
                weight=self.number(raw("weight"), "分值", r),
                score_override=None if self.filled_by_program(r, col["score"], "得分")
                else self.number(raw("score"), "得分", r),
            )
            if l1.strip() and depth > 1:
                if not self._continues(level1, l1, r, col["level1"]):
                    level1 = _group(l1)
                    ev.add(level1)
                    level2 = None
            if l2.strip() and depth > 2:
                if not self._continues(level2, l2, r, col.get("level2")):
                    level2 = _group(l2)
                    (level1.add(level2) if level1 is not None else ev.add(level2))
            if depth == 1:
                leaf.name = l1
                ev.add(leaf)
                level1 = level2 = None
            elif depth == 2:
                leaf.name = l2
                (level1.add(leaf) if level1 is not None else ev.add(leaf))
                level2 = None
            else:
                leaf.name = name
                parent = level2 or level1
                (parent.add(leaf) if parent is not None else ev.add(leaf))
            method = METHOD_BY_LABEL.get(text("method").strip())
            leaf.method = method if method is not None else infer_method(leaf, has_budget)
            tier_text = text("tier").strip()
            if leaf.method is Method.TIERS:
                leaf.tier = TIER_BY_LABEL.get(tier_text) if tier_text else (
                    None if "method" in col else infer_tier(leaf))
            elif tier_text in TIER_BY_LABEL:
                leaf.tier = TIER_BY_LABEL[tier_text]
            r += 1
        return r

    def comparison(self, text: str, r: int) -> str:
        """指标性质 as typed in Excel (“>=”, “大于等于” …); one the forms do not know is reported and left empty."""
        try:
            return parse_comparison(text)
        except ValueError as exc:
            self.report.append(f"  {self.where(r)}：{exc}，已留空")
            return ""

    def unit(self, text: str, r: int) -> str:
        text = text.strip()
        if len(text) > MAX_UNIT_CHARS:
            self.report.append(f"  {self.where(r)}：计量单位超过 {MAX_UNIT_CHARS} 个字，已留空")
            return ""
        return text

    def _continues(self, group: Indicator | None, label: str, r: int, c: int | None) -> bool:
        """An unmerged label repeated on the next row names the same group."""
        if group is None or c is None or (r + 1, c + 1) in self.merged_tl:
            return False
        name, weight = _group_label(label)
        if name != group.name or weight != group.weight:
            return False
        prev = self.grid[r - 1][c][0] if c < len(self.grid[r - 1]) else None
        return cell_text(prev).strip() == label.strip() and (r, c + 1) not in self.merged_tl

    def read_table(self, r: int, columns, add) -> int:
        stops = {TARGETS_SECTION, EVALUATORS_SECTION, NARRATIVE_SECTION, GRADE_LABEL}
        stops |= {label for _, label in UNIT_SIGN_FIELDS}
        while r < len(self.grid):
            row = self.grid[r]
            cells = self.texts(row)
            if not cells or cells[0][1].strip() in stops:
                break
            add(row, r)
            r += 1
        return r

    def add_target(self, row, r: int) -> None:
        values = [row[i] if i < len(row) else (None, None) for i in range(len(TARGET_COLUMNS))]
        tr = TargetRow(*(cell_text(*v) for v in values[:5]))
        tr.stated_progress = self.number(values[5][0], "完成进度", r, rate=True)
        self.ev.target_rows.append(tr)

    def add_evaluator(self, row, r: int) -> None:
        values = [cell_text(*row[i]) if i < len(row) else "" for i in range(len(EVALUATOR_COLUMNS))]
        self.ev.evaluators.append(Evaluator(*values))


_WEIGHT_RE = re.compile(r"-?\d+(?:\.\d+)?")


def _group_label(text: str) -> tuple[str, Decimal | None]:
    """“决策(6)” → (“决策”, 6); “产出指标（50分）” → (“产出指标”, 50); anything else → (text, None).

    Read from the end (the weight is in the last brackets), in linear time: the regex this
    replaces backtracked quadratically on long runs of spaces or brackets.
    """
    stripped = text.rstrip()
    if stripped[-1:] not in (")", "）"):
        return text, None
    opening = max(stripped.rfind("("), stripped.rfind("（"))
    if opening < 0:
        return text, None
    inner = stripped[opening + 1:-1].strip()
    if inner.endswith("分"):
        inner = inner[:-1].rstrip()
    name = stripped[:opening].rstrip()
    if "\n" in name or not _WEIGHT_RE.fullmatch(inner):
        return text, None
    try:
        return name, Decimal(inner)
    except InvalidOperation:  # pragma: no cover - the pattern only admits numbers
        return text, None


def _group(text: str) -> Indicator:
    name, weight = _group_label(text)
    return Indicator(name=name, weight=weight)


def _meta(sheets: list[SheetData]) -> dict | None:
    sheet = next((sh for sh in sheets if sh.title == META_SHEET), None)
    if sheet is None:
        return None
    rows = [[v for v, _ in row] + [None] * 7 for row in sheet.grid[: MAX_SHEETS + 10]]
    if not rows or rows[0][0] != "format" or rows[0][1] != FORMAT_NAME:
        return None
    meta = {"year": 0, "final": False, "sheets": [], "notes": []}
    for row in rows[1:]:
        key = row[0]
        if key == "year":
            year = _decimal_of(row[1]) if not isinstance(row[1], str) else None
            if year is None and isinstance(row[1], str) and row[1].strip().isdigit():
                year = Decimal(row[1].strip())
            if year is not None and year == year.to_integral_value() and 0 <= year <= 9999:
                meta["year"] = int(year)
            elif row[1] not in (None, ""):
                meta["notes"].append("隐藏的 perfdesk 工作表中的“年度”无效，已留空")
        elif key == "final":
            meta["final"] = bool(row[1])
        elif key == "rule_set":
            meta["rule_set"] = _rule_set_id(row[1], meta["notes"], "文档")
        elif key == "sheet":
            continue
        elif key:
            values = [("" if v is None else str(v)) for v in row[:7]]
            values[6] = _rule_set_id(values[6], meta["notes"], f"工作表“{values[0][:40]}”")
            meta["sheets"].append(values)
    return meta


def _rule_set_id(value, notes: list[str], where: str) -> str:
    """A 评价规则 id from the hidden sheet ('' when absent — workbooks before version 2 of the file)."""
    from perfdesk.store.columns import is_rule_set_id

    text = "" if value is None else str(value).strip()
    if not is_rule_set_id(text):
        notes.append(f"隐藏的 perfdesk 工作表中{where}的“评价规则”无效，已按模板计分")
        return ""
    return text


def _import_perfdesk(sheets: list[SheetData], meta: dict, report: list[str]) -> Document:
    from perfdesk.model.layouts import is_known as is_known_layout
    from perfdesk.store.columns import ROUNDING_QUANTA

    doc = Document(year=meta["year"], final=meta["final"], rule_set=meta.get("rule_set", ""))
    report.extend(meta.get("notes", []))
    by_title = {sheet.title: sheet for sheet in sheets}
    seen_unit = False
    for title, kind, name, template, layout, rounding, rule_set in meta["sheets"]:
        sheet = by_title.get(title)
        if sheet is None:
            report.append(f"跳过：工作表“{title[:40]}”已不在工作簿中")
            continue
        if layout and not is_known_layout(layout):
            report.append(f"工作表“{title[:40]}”：表样不是本程序认识的表样，已按默认表样读取")
            layout = ""
        if rounding and rounding not in ROUNDING_QUANTA:
            report.append(f"工作表“{title[:40]}”：执行率得分的保留位数无效，已按 0.01 读取")
            rounding = ""
        ev = Evaluation(kind=EvaluationKind.UNIT if kind == "unit" else EvaluationKind.PROJECT,
                        name=name, template=template, layout=layout, rule_set=rule_set,
                        execution_rounding=rounding or "0.01")
        notes: list[str] = []
        _Reader(doc, ev, sheet.grid, sheet.merged_tl, title, notes, sheet.formulas).read()
        if ev.kind is EvaluationKind.UNIT:
            if seen_unit:
                report.append(f"跳过：工作表“{title}”是第二份部门整体自评表")
                continue
            doc.unit_evaluation, seen_unit = ev, True
        else:
            doc.projects.append(ev)
        leaves = sum(1 for _ in ev.leaves())
        what = "部门整体支出绩效自评表" if ev.kind is EvaluationKind.UNIT else "项目支出绩效自评表"
        label = doc.unit.name if ev.kind is EvaluationKind.UNIT else ev.name
        report.append(f"读取：工作表“{title}”：{what}“{label or '（未命名）'}”，"
                      f"一级指标 {len(ev.indicators)} 个，末级指标 {leaves} 项")
        report.extend(notes)
    known = {row[0] for row in meta["sheets"]} | {META_SHEET}
    for sheet in sheets:
        if sheet.title not in known and sheet.state == "visible":
            report.append(f"跳过：工作表“{sheet.title}”不是 perfdesk 导出的自评表")
    return doc


# -- any other workbook: via the text importer ----------------------------------------

def _tsv_cell(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in "\t\n\""):
        return '"' + text.replace('"', '""') + '"'
    return text


def _import_foreign(sheets: list[SheetData], report: list[str]) -> Document:
    lines: list[str] = []
    origin: list[tuple[str, int]] = []  # text line -> (sheet, row)
    for sheet in sheets:
        if sheet.state != "visible":
            continue
        extents = sheet.row_extents()
        for r, row in enumerate(sheet.grid, start=1):
            cells = [_tsv_cell(cell_text(v, fmt).strip()) for v, fmt in row]
            # Like a copy from Excel: a cell merged across columns keeps its row a table row.
            keep = extents.get(r, 0)
            cells += [""] * (keep - len(cells))
            while len(cells) > keep and cells and not cells[-1]:
                cells.pop()
            line = "\t".join(cells)
            lines.append(line)
            origin.extend([(sheet.title, r)] * (line.count("\n") + 1))
        lines.append("")
        origin.append((sheet.title, len(sheet.grid) + 1))
    text = "\n".join(lines)
    if not text.strip():
        raise XlsxImportError("工作簿中没有任何内容")
    try:
        result = import_text(text)
    except TextImportError as exc:
        raise XlsxImportError(
            "工作簿中没有找到可识别的自评表：需要带有“一级指标、二级指标、三级指标、指标值、分值、得分”等表头的"
            f"工作表（{exc}）") from None

    def locate(m: re.Match) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(origin):
            sheet, row = origin[n - 1]
            return f"工作表“{sheet}”第 {row} 行"
        return m.group(0)

    visible = [sheet for sheet in sheets if sheet.state == "visible"]
    report.append("读取工作表：" + "、".join(f"“{sheet.title}”（{len(sheet.grid)} 行）" for sheet in visible))
    report.extend(re.sub(r"第 (\d+) 行", locate, line) for line in result.report)
    return result.document


# -- entry point ---------------------------------------------------------------------

def import_xlsx(path) -> ImportResult:
    """Import every form of the workbook at ``path`` (see module doc)."""
    try:
        return _import(path)
    except XlsxImportError:
        raise
    except MemoryError:
        raise XlsxImportError("工作簿过大，内存不足，未导入") from None
    except Exception as exc:  # noqa: BLE001 - never a traceback, never a partial result
        raise XlsxImportError(f"读取工作簿时出错（{type(exc).__name__}），未导入任何内容") from None


def _import(path) -> ImportResult:
    path = os.fspath(path)
    _check_file(path)
    sheets = read_sheets(path)
    report: list[str] = []
    meta = _meta(sheets)
    if meta is not None:
        doc = _import_perfdesk(sheets, meta, report)
        if not any(line.startswith("读取：") for line in report):
            raise XlsxImportError("工作簿中没有可导入的自评表（perfdesk 导出的工作表均已删除）")
    else:
        doc = _import_foreign(sheets, report)
    return ImportResult(document=doc, report=report)


__all__ = ["ImportResult", "SheetData", "XlsxImportError", "cell_text", "import_xlsx", "read_sheets"]
