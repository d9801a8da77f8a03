"""The 绩效目标表 family: told from a 自评表 by its headers and title, read into an evaluation.

Recognised (``recognise_project`` / ``recognise_unit``, named by the 财政部 layouts' ``also_reads``):
a table with an indicator header naming 指标值 (or 目标值, 指标值及单位, 年初/调整后指标值 …) and
no column of 实际完成值, 得分 or 偏差原因 — the columns a 自评表 always has — titled 绩效目标表 /
目标申报表 / 目标审批表 / 绩效评价指标表 or carrying the label rows of a form (项目名称, 主管部门 …).
A 部门整体支出绩效目标表 goes to the unit layout, any other to the project layout.

Read (``read``), by the names of its labels and columns (resources/synonyms/columns.json plus the
labels only 目标表 use, below): 项目名称 (a 项目编码 before it kept as the code), 主管部门, 实施单位,
项目资金 (年度资金总额 and its sources → 全年预算数), the 预算执行率 line's 分值 when the form
prints one, 年度总体目标 / 年度目标 (the annual one when a 长期目标 is beside it), and the
indicator table: 一级/二级/三级指标, 指标性质 + 指标值 + 度量单位 (``cells``), 分值 or 权重, 指标值说明 /
评分标准 / 指标解释 / 绩效标准 as the 评分规则 text, 年初指标值 beside 调整后指标值 with 调整原因 (the
adjusted one is the target scoring uses). Of a form with a 长期绩效指标 block and a 年度绩效指标
block, the annual block is read. Grading bands under 绩效标准 / 评分标准 (优 | 良 | 中 | 差, the
项目绩效目标表 of the 财政支出绩效评价报告, 财预〔2011〕285号) are each row's 评分标准 text, whole
(“优：600万；良：500万；中：300万；差：200万”), never its target (绩效目标 is). Amounts as label |
figure pairs (计划投资额 | 110.00 | 实际到位资金 | …) are the 资金 (计划投资额 the 年度资金总额; 到位
and 使用 skipped and reported), and form labels after the table (项目实施单位 …) fill what is still
empty: never an indicator. Actual values, scores and tiers stay empty: the evaluation is a
draft (``perfdesk.checks.draft``) until the officer enters them.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.families.base import FormReader, FormResult, cells_and_firsts
from perfdesk.exchange.families.generic import (
    amount_pairs,
    fund_header,
    grading_bands,
    indicator_header,
    merge_header_rows,
    sub_header,
)
from perfdesk.exchange.families.signatures import signature
from perfdesk.exchange.targets import cells as target_cells
from perfdesk.exchange.text_indicators import group_label
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Amounts, EvaluationKind, ExecutionLine, Indicator, Method

MAX_ROWS = 5000
CONFIDENCE = 0.9

# Titles of target tables (财预〔2015〕88号 附件 项目支出绩效目标申报表; 财政部 部门整体支出绩效目标
# 申报表; the published forms in tests/fixtures/real/targets: 淮北 项目支出绩效目标表, 奉节 绩效目标审批表,
# 东莞 绩效目标批复表, 宁晋 绩效评价指标表 …).
TITLE_RE = re.compile(r"(?:绩效目标(?:申报|审批|批复|审核|调整)?表|目标申报表|目标审批表|绩效评价指标表|绩效指标表"
                      r"|绩效目标表)")
UNIT_TITLE_RE = re.compile(r"部门整体|整体支出|部门\(单位\)整体")

_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "　": "", "\xa0": ""})


def plain(text: str) -> str:
    """A text compared with the end words: no spaces, half-width brackets and colons (a trailing colon
    kept: “注:” is a note, “注” alone no end)."""
    return "".join((text or "").split()).translate(_HALF)


@lru_cache(maxsize=1)
def labels() -> dict:
    """The labels only 目标表 use (resources/synonyms/targets.json), normalised: see that file's sources."""
    from pathlib import Path

    from perfdesk.resources import resource

    path = resource("synonyms", "targets.json")
    if not path.is_file():  # a province's own resources folder without it
        path = Path(__file__).resolve().parents[3] / "resources" / "synonyms" / "targets.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    key = vocab.key
    return {
        "meta": {key(n): role for role, names in data["meta"]["names"].items() for n in names},
        "fund_total": frozenset(key(n) for n in data["fund_total"]["names"]),
        "fund_sources": {key(n): role for role, names in data["fund_sources"]["names"].items() for n in names},
        "goals": frozenset(key(n) for n in data["goals"]["names"]),
        "long_term": tuple(data["goals"]["long_term_words"]),
        "end": tuple(plain(w) for w in data["end"]["words"]),
        "columns": {key(n): role for role, names in data["columns"]["names"].items() for n in names},
    }


def _key(text: str) -> str:
    return vocab.key(text or "")


def column_of(text: str) -> str | None:
    """The role of a target table's header cell."""
    k = _key(text)
    extra = labels()["columns"]
    if k in extra:
        return extra[k]
    return vocab.column_role(text)


# --- recognising ----------------------------------------------------------------------------------

def _header_roles(rows: list[list[str]]) -> set[str]:
    """The column roles named by header-like rows (two or more column names: also the upper row of
    a two-row header, where a 自评表 names its 实际完成值 / 分值 / 得分)."""
    roles: set[str] = set()
    for cells in rows[:400]:
        named = [r for r in (column_of(c) for c in cells[:60] if isinstance(c, str) and c.strip()) if r]
        if len(named) >= 2:
            roles.update(named)
    return roles


def is_target_table(rows: list[list[str]]) -> bool:
    """Whether the rows are a 绩效目标表: an indicator header with targets and without the columns a
    自评表 has (实际完成值, 得分, 偏差原因, 完成进度), titled as one or holding a form's label rows."""
    sig = signature(rows)
    roles = _header_roles(rows) | sig.columns
    if roles & {"actual", "score", "deviation", "progress"}:
        return False
    if sig.funds & {"spent", "rate", "score"} and not any(TITLE_RE.search(k) for k in sig.keys):
        return False
    if not roles & {"target", "adjusted_target", "initial_target"}:
        return cut_before_indicators(rows)
    if not roles & {"name", "level2", "level1"}:
        return False
    titled = any(TITLE_RE.search(k) for k in sig.keys)
    labelled = any(vocab.meta_label(k) in ("project_name", "unit_name", "supervisor", "implementer")
                   or k in labels()["meta"] for k in sig.keys)
    return titled or labelled


def _fund_total_label(key: str) -> bool:
    k = re.sub(r"^其中[:：]?", "", key).rstrip(":")
    k = re.sub(r"\((?:万元|元)\)$", "", k)
    return k in labels()["fund_total"] or bool(re.search(r"(?:资金|预算)(?:申请|总额|合计)", k))


def cut_before_indicators(rows: list[list[str]]) -> bool:
    """A 目标表 the copy ends before its indicator table (a page store keeping a page's beginning, a
    preview's first page): titled as a 目标表 in a short cell, with the 项目名称 label and a 资金 label
    (年度资金总额, 资金总额, 年度预算资金总额, 项目资金申请 …), and no indicator header at all — not even
    one naming 实际完成值 or 得分 (a 自评表 cut early has its 全年执行数 funds, refused above). Read for
    what it shows (name, units, funds, goals), never an indicator invented."""
    sig = signature(rows)
    if sig.columns or sig.funds & {"spent", "rate", "score"}:
        return False
    titled = any(TITLE_RE.search(k) for k in sig.keys)
    named = any(vocab.meta_label(k) == "project_name" or labels()["meta"].get(k) == "project_name"
                for k in sig.keys)
    funded = any(_fund_total_label(k) for k in sig.keys)
    return titled and named and funded


def _is_unit(rows: list[list[str]]) -> bool:
    firsts, every = cells_and_firsts(rows[:60])
    if any(vocab.meta_label(k) == "project_name" or labels()["meta"].get(_key(k)) == "project_name"
           for k in every if len(k) <= 12):
        return False
    return any(UNIT_TITLE_RE.search(_key(k)) for k in every if len(k) <= 60)


def recognise_project(rows: list[list[str]]) -> float:
    return CONFIDENCE if is_target_table(rows) and not _is_unit(rows) else 0.0


def recognise_unit(rows: list[list[str]]) -> float:
    return CONFIDENCE if is_target_table(rows) and _is_unit(rows) else 0.0


# --- reading --------------------------------------------------------------------------------------

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_AMOUNT_RE = re.compile(r"^[^\d\-]{0,4}(-?\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)?")
_POINTS_RANGE_RE = re.compile(r"[(（]\s*\d{1,3}\s*[-~—－]\s*\d{1,3}\s*[)）]\s*分?$")
_CODE_NAME_RE = re.compile(r"^\s*\[?([0-9A-Za-z]{8,})\]?\s*[-－—_ ]\s*(.+)$")
_BRACKET_CODE_RE = re.compile(r"^\s*[\[［【(（]\s*([0-9A-Za-z]{2,})\s*[\]］】)）]\s*(.+)$")
_LEAF_PREFIX_RE = re.compile(r"^(?:指标\s*\d{1,3}\s*[:：]|[★☆※*]+|\d{1,2}\s*[、.．](?!\d))\s*")


def _meta_role(text: str) -> str | None:
    k = re.sub(r"\((?:盖章|签章|签字|万元|元)\)$", "", _key(text))
    if k in labels()["meta"]:
        return labels()["meta"][k]
    role = vocab.meta_label(k)
    if role in ("project_name", "unit_name", "supervisor", "implementer", "contact", "date", "category"):
        return role
    return None


def _fund_role(text: str) -> str | None:
    k = re.sub(r"^其中[:：]?", "", _key(text)).rstrip(":")
    k = re.sub(r"\((?:万元|元)\)$", "", k)
    if k in labels()["fund_total"]:
        return "total"
    return labels()["fund_sources"].get(k)


def _goal_label(text: str) -> str | None:
    k = _key(text).rstrip(":")
    k = re.sub(r"\(\d{4}年?[-—~至]+\d{4}年?\)$", "", k)
    return k if k in labels()["goals"] else None


def _is_end(text: str) -> bool:
    k = plain(text)
    return any(w in k for w in labels()["end"]) or vocab.block_label(text) == "end"


def _text_cells(cells: list[str]) -> list[tuple[int, str]]:
    return [(i, c.strip()) for i, c in enumerate(cells) if c and c.strip()]


class _TargetReader:
    def __init__(self, rows: list[list[str]], reader: FormReader, kind: EvaluationKind):
        self.rows = rows
        self.reader = reader
        self.ev = reader.new_evaluation(kind)
        self.out = FormResult(self.ev, reader.family, unscored=True)
        self.header: dict[int, str] | None = None
        self.level1: Indicator | None = None
        self.level2: Indicator | None = None
        self.leaves: list[Indicator] = []
        self.block = ""                   # the block being read: "long" (长期绩效指标), "annual" or unnamed
        self.pending = None               # (label, groups) after a later header, until its first record
        self.skipping = False             # the records of a 长期 block after the 年度 one
        self.goals: list[tuple[str, str]] = []
        self.execution_weight: Decimal | None = None
        self.weight_total: Decimal | None = None
        self.ended = False
        self.adjusted = 0
        self.skip_row = -1                # a row already read (the text under a goals label row)
        self.title = ""
        self.fund_columns: dict[int, str] | None = None
        self.bands: dict[int, str] = {}   # column -> grading band (优/良/中/差) under 绩效标准

    # --- the rows before the indicator table ----------------------------------------------------
    def read(self) -> FormResult:
        rows = self.rows
        i = 0
        while i < len(rows) and not self.ended:
            if i == self.skip_row:
                i += 1
                continue
            cells = [c if isinstance(c, str) else "" for c in rows[i]]
            i = self._row(i, cells)
        self._finish()
        return self.out

    def _row(self, i: int, cells: list[str]) -> int:
        filled = _text_cells(cells)
        if not filled:
            return i + 1
        roles = self._header(cells)
        if roles:
            below = sub_header(self.rows[i + 1], roles) if i + 1 < len(self.rows) else {}
            block = " ".join(c for _, c in filled) + " " + " ".join(
                c for c in (self.rows[i - 1] if i > 0 else []) if isinstance(c, str))
            self._start_block(block)
            if below:
                roles = merge_header_rows(roles, below)
                self.header = roles
                self.reader.guess("两行表头：第二行的" + "、".join(
                    self.rows[i + 1][c].strip() for c in sorted(below)) + "归入上一行的栏目")
                return i + 2
            self.header = roles
            self.bands = {}
            if i + 1 < len(self.rows) and self._bands_below(cells, self.rows[i + 1]):
                return i + 2
            return i + 1
        if self.header is None:
            self._before_table(i, cells, filled)
            return i + 1
        first = filled[0][1]
        if _is_end(first) and not self._is_record(cells):
            self.ended = True
            return i + 1
        if self._total_row(filled):
            return i + 1
        if self._block_label_row(filled):
            return i + 1
        if self._amount_pairs(cells) or self._label_row(i, cells, filled):
            return i + 1
        self._record(cells)
        return i + 1

    def _header(self, cells: list[str]) -> dict[int, str]:
        roles = indicator_header(cells)
        extra = {i: labels()["columns"][_key(c)] for i, c in enumerate(cells) if c and _key(c) in labels()["columns"]}
        if not roles:
            named = {i: column_of(c) for i, c in enumerate(cells) if c and column_of(c)}
            values = set(named.values())
            if not (values & {"name", "level1", "level2"} and values & {"target", "initial_target",
                                                                          "adjusted_target"} and len(named) >= 3):
                return {}
            roles = named
        roles = {i: (extra.get(i) or r) for i, r in roles.items()}
        roles.update({i: r for i, r in extra.items() if i not in roles})
        values = list(roles.values())
        # 年初指标值 beside 调整后指标值: the first is the initial target
        if "adjusted_target" in values:
            for i, r in list(roles.items()):
                if r == "target" and "年初" in _key(cells[i]):
                    roles[i] = "initial_target"
            if "target" not in roles.values():
                for i, r in list(roles.items()):
                    if r == "adjusted_target":
                        roles[i] = "target"
        elif "initial_target" in values and "target" not in values:
            for i, r in list(roles.items()):
                if r == "initial_target":
                    roles[i] = "target"
        # unnamed columns left of the name column of a header without level columns (宁晋 评价指标/评价内容)
        name_col = next((i for i, r in roles.items() if r == "name"), None)
        if name_col is not None and "level1" not in roles.values() and "level2" not in roles.values():
            left = [i for i in range(name_col) if i not in roles and cells[i].strip()]
            if left:
                roles[left[-1]] = "level2"
                if len(left) >= 2:
                    roles[left[-2]] = "level1"
        return roles

    def _start_block(self, text: str) -> None:
        """A header (or a row naming a block) starts a block of indicators: 长期绩效指标 or 年度绩效指标.
        A later block whose groups repeat the earlier one's is the other block of the pair, not the
        table continued on the next page: the annual one is kept (the later one when neither is named:
        the 财政部 申报表 prints 长期 before 年度)."""
        k = compact(text)
        label = "annual" if ("年度绩效指标" in k or "年度指标" in k) else (
            "long" if any(w in k for w in labels()["long_term"]) else "")
        self.skipping = False
        if self.header is None or not self.leaves:
            self.block = label or self.block
            return
        groups = {n.name for n in self.ev.indicators}
        if self.pending is not None:
            label = label or self.pending[0]
        self.pending = (label, groups)

    def _new_block(self, l1: str) -> bool:
        """Called on the first record after a later header: False when the block is to be skipped."""
        label, groups = self.pending
        self.pending = None
        name = self._group(l1)[0] if l1 else None
        if not label and (name is None or name not in groups):
            return True   # the table continued (on the next page): one block
        if label == "long" and self.block != "long":
            self.skipping = True
            self.reader.note("表中有年度绩效指标与长期绩效指标两部分，读取年度绩效指标（长期指标未导入）")
            return False
        self.reader.note(f"表中有长期绩效指标与年度绩效指标两部分，读取年度绩效指标（长期指标 {len(self.leaves)} 项未导入）")
        self.ev.indicators = []
        self.leaves = []
        self.level1 = self.level2 = None
        self.block = label or "annual"
        return True

    def _before_table(self, i: int, cells: list[str], filled: list[tuple[int, str]]) -> None:
        self._title_and_year(filled)
        if self._amount_pairs(cells):
            return
        if fund_header(cells):
            self.fund_columns = fund_header(cells)
            return
        n = len(filled)
        k = 0
        while k < n:
            col, text = filled[k]
            value = filled[k + 1][1] if k + 1 < n else ""
            meta = _meta_role(text)
            if meta is not None:
                if value and _meta_role(value) is None and _fund_role(value) is None:
                    self._set_meta(meta, value)
                    k += 2
                    continue
                inline = self._inline(text)
                if inline:
                    self._set_meta(meta, inline)
                k += 1
                continue
            fund = _fund_role(text)    # also “其中：财政拨款”
            head, colon, tail = text.replace("：", ":").partition(":")
            if fund is None and colon and _fund_role(head) is not None and tail.strip():
                fund = _fund_role(head)   # “年度资金总额：5.00” in one cell
                self._set_fund(fund, tail, text)
                k += 1
                continue
            if colon and tail.strip() and _goal_label(head) is not None:   # “年度目标：…” in one cell
                self.goals.append((_goal_label(head), tail.strip()))
                return
            if fund is not None:
                columns = self.fund_columns
                if columns:
                    self._fund_columns_row(fund, cells, columns, text)
                    return
                if value and self._amount_text(value):
                    self._set_fund(fund, value, text)
                    k += 2
                    continue
                k += 1
                continue
            goal = _goal_label(text)
            if goal is not None:
                rest = [t for _, t in filled[k + 1:] if _goal_label(t) is None]
                if rest:
                    self.goals.append((goal, max(rest, key=len)))
                    return
                # the goal text is on the next row (under a label row: 总体目标 | 年度目标)
                goal_cells = [(c, t) for c, t in filled if _goal_label(t)]
                nxt = self.rows[i + 1] if i + 1 < len(self.rows) else []
                texts = _text_cells([c if isinstance(c, str) else "" for c in nxt])
                if texts and all(_goal_label(t) is None and _meta_role(t) is None for _, t in texts) \
                        and not self._header([c if isinstance(c, str) else "" for c in nxt]):
                    annual = next((c for c, t in goal_cells if "年度" in t
                                   and not any(w in t for w in labels()["long_term"])), None)
                    pick = next((t for c, t in texts if c == annual), None) if annual is not None else None
                    self.goals.append(("年度总体目标", pick or texts[-1][1]))
                    self.skip_row = i + 1
                return
            if "执行率" in text:
                self._execution(filled)
                return
            k += 1

    def _title_and_year(self, filled):
        if not self.title:
            self.title = next((t for _, t in filled if TITLE_RE.search(compact(t)) and len(compact(t)) <= 80), "")
        if self.out.year is not None:
            return
        for _, text in filled:
            k = compact(text)
            if len(k) > 80:
                continue
            m = _YEAR_RE.search(k.replace("(", "").replace("（", ""))
            if m and ("年度" in k or TITLE_RE.search(k) or re.fullmatch(r"[(（]?\s*\d{4}\s*[)）]?年度?[)）]?", k)):
                self.out.year = int(m.group(1))
                return
        for _, text in filled:
            m = re.fullmatch(r"[(（]\s*((?:19|20)\d{2})\s*[)）]\s*年度", compact(text))
            if m:
                self.out.year = int(m.group(1))

    @staticmethod
    def _inline(text: str) -> str:
        for sep in (":", "："):
            if sep in text:
                return text.split(sep, 1)[1].strip()
        return ""

    def _set_meta(self, role: str, value: str) -> None:
        ev, out = self.ev, self.out
        name = tidy_name(value)
        if role == "project_name" and not ev.name:
            m = _CODE_NAME_RE.match(name)
            if m and re.search(r"\d{6,}", m.group(1)):
                ev.project.code = m.group(1)
                name = m.group(2).strip()
            ev.name = name
        elif role == "code" and not ev.project.code:
            ev.project.code = compact(name)
        elif role == "unit_name" and not out.unit_name:
            out.unit_name = re.sub(r"[(（](?:盖章|签章)[)）]", "", name).strip(" :：")
        elif role == "supervisor" and not ev.project.supervisor:
            m = _BRACKET_CODE_RE.match(name)
            if m:
                ev.project.supervisor_code = m.group(1)
            ev.project.supervisor = name
            out.supervisor = name
        elif role == "implementer" and not ev.project.implementer:
            ev.project.implementer = name
        elif role == "contact" and "leader" not in out.contacts:
            out.contacts["leader"] = name

    @staticmethod
    def _amount_text(text: str) -> bool:
        return bool(_AMOUNT_RE.match(compact(text))) and not _YEAR_RE.match(compact(text))

    def _amount(self, text: str, where: str) -> int | None:
        m = _AMOUNT_RE.match(compact(text))
        if m is None:
            return None
        figure = m.group(1).replace(",", "").replace("，", "")
        if m.group(2) == "元":
            return self.reader.amount(figure + "元", where)
        return self.reader.amount(figure, where, yuan=self.reader.yuan and not m.group(2))

    def _set_fund(self, role: str, value: str, label: str) -> None:
        fen = self._amount(value, f"资金“{compact(label)}”")
        if fen is None:
            return
        budget = self.ev.budget
        if role == "total":
            if budget.total.annual_budget is None:
                budget.total.annual_budget = fen
            return
        source = budget.source(role)
        if source.annual_budget is None:
            source.annual_budget = fen

    def _fund_columns_row(self, role: str, cells: list[str], columns: dict[int, str], label: str) -> None:
        amounts = Amounts()
        for col, column in columns.items():
            if column in Amounts.COLUMNS and col < len(cells) and cells[col].strip():
                setattr(amounts, column, self._amount(cells[col], f"资金“{compact(label)}”"))
        if amounts.is_empty():
            return
        if role == "total":
            if self.ev.budget.total.is_empty():
                self.ev.budget.total = amounts
        elif role in set(labels()["fund_sources"].values()):
            if self.ev.budget.sources.get(role) is None:
                self.ev.budget.sources[role] = amounts

    def _execution(self, filled) -> None:
        texts = [t for _, t in filled]
        for n, text in enumerate(texts):
            if vocab.fund_column(text) == "weight" or _key(text) in ("分值", "权重"):
                for later in texts[n + 1:]:
                    value = self.reader.number(re.sub(r"分$", "", compact(later)), "预算执行率分值")
                    if value is not None:
                        self.execution_weight = value
                        return

    # --- grading bands and amount pairs ----------------------------------------------------------
    def _bands_below(self, header: list[str], below) -> bool:
        """The row under a header naming grading bands (优 | 良 | 中 | 差) under its 绩效标准 (or 评分标准)
        column (the 项目绩效目标表 of the 财政支出绩效评价报告, 财预〔2011〕285号): the bands are each
        row's scoring standard, kept whole as its 评分标准 text; that column is no explanation then and
        no band is ever a target or a weight. True when the row was such a row (it is read)."""
        bands = grading_bands([c if isinstance(c, str) else "" for c in below])
        standard = [c for c, r in self.header.items() if r in ("explanation", "rule", "bands")
                    and (r != "explanation" or _key(header[c]) == "绩效标准")]
        if not bands or not standard:
            return False
        left = [c for c in standard if c <= min(bands)]
        if left:
            first = max(left)   # the standard column the bands stand under
        elif list(bands) == list(range(min(bands), min(bands) + len(bands))):
            # covered cells absent (a web table saved as text: “优 | 良 | 中 | 差”): the bands start
            # under the standard column
            first = min(standard)
            bands = {first + n: band for n, band in enumerate(bands.values())}
        else:
            return False
        if any(c in self.header and c != first for c in bands):
            return False
        del self.header[first]
        self.bands = bands
        return True

    def _bands_text(self, cells: list[str]) -> str:
        """A row's grading bands as one scoring standard: “优：600万；良：500万；中：300万；差：200万”."""
        return "；".join(f"{band}：{cells[c].strip()}" for c, band in self.bands.items()
                        if c < len(cells) and isinstance(cells[c], str) and cells[c].strip())

    def _amount_pairs(self, cells: list[str]) -> bool:
        """A row of amounts as label | figure pairs (``amount_pairs``: “计划投资额(万元) | 110.00 | 实际到位
        资金(万元) | 84.74 | 实际使用情况(万元) | 84.74”, the 项目基本情况表 of the 财政支出绩效评价报告)
        is the project's 资金, never an indicator: 计划投资额 (a 全年预算数) is the 年度资金总额, a 年初
        预算数 kept as such; 到位 and 执行数 are the year end's, not a 目标表's: skipped and reported."""
        pairs = amount_pairs(cells)
        if not pairs:
            return False
        total = self.ev.budget.total
        left = []
        for role, label, value in pairs:
            name = compact(label)
            if role not in ("annual_budget", "initial_budget"):
                left.append(f"{name} {compact(value)}")
                continue
            fen = (self.reader.amount(value, f"资金“{name}”", yuan=True) if re.search(r"[(（]元[)）]$", name)
                   else self._amount(value, f"资金“{name}”"))
            if fen is None:
                continue
            if getattr(total, role) is None:
                setattr(total, role, fen)
            elif getattr(total, role) != fen:
                self.reader.unsure(f"资金“{name}”{compact(value)}与表中已读的"
                                   f"{'年度资金总额' if role == 'annual_budget' else '年初预算数'}不一致，"
                                   "保留先读到的数，请核对", None, "budget.total")
        if left:
            self.reader.skip("资金" + "、".join(f"“{t}”" for t in left),
                             "到位及使用金额是年终执行数，绩效目标表不导入，自评时请在预算执行情况中填写")
        return True

    def _label_row(self, i: int, cells: list[str], filled) -> bool:
        """A row of the form's labels after the indicator table (the 项目基本情况表 that follows the
        项目绩效目标表 in a 财政支出绩效评价报告: “项目实施单位 | … | 主管部门 | …”, “项目负责人 | … |
        联系电话 | …”, “计划投资额(万元) | 110.00 | 联系电话 | …”): read as the rows before the table are
        (only what is still empty), never an indicator, and reported."""
        first = filled[0][1]
        after = filled[1][1] if len(filled) > 1 else ""
        amount = vocab.fund_column(first) in ("initial_budget", "annual_budget", "arrived", "spent") \
            or _fund_role(first) is not None
        if _meta_role(first) is None and not (amount and after and self._amount_text(after)):
            return False
        self._before_table(i, cells, filled)
        self.reader.skip(f"“{compact(first)}”一行", "指标表之后的项目基本情况，不是指标（尚未填写的项目信息从中读取）")
        return True

    # --- the indicator table -------------------------------------------------------------------
    def _cell(self, cells: list[str], role: str) -> str:
        for col, r in self.header.items():
            if r == role:
                return cells[col].strip() if col < len(cells) and isinstance(cells[col], str) else ""
        return ""

    def _has(self, role: str) -> bool:
        return role in self.header.values()

    def _is_record(self, cells: list[str]) -> bool:
        return bool(self._cell(cells, "name") and self._cell(cells, "target"))

    def _total_row(self, filled) -> bool:
        k = re.sub(r"\(\d{1,3}(?:\.\d+)?分?\)$", "", _key(filled[0][1]))
        if k not in ("合计", "总分", "总计", "分值合计"):
            return False
        for _, text in filled[1:]:
            value = self.reader.number(re.sub(r"分$", "", compact(text)), "分值合计")
            if value is not None:
                self.weight_total = value
                break
        return True

    def _block_label_row(self, filled) -> bool:
        """A row naming the next block (年度绩效指标) or the indicator block's points only."""
        if len(filled) != 1:
            return False
        k = _key(filled[0][1])
        if "绩效指标" in k and len(k) <= 12 and not vocab.group_level(k):
            self._start_block(k)
            return True
        return False

    def _group(self, text: str) -> tuple[str, Decimal | None]:
        raw = tidy_name(text)
        if _POINTS_RANGE_RE.search(raw):
            return raw, None   # “成本指标(0-20)分”: a range of points, no weight
        name, points = group_label(compact(raw) if vocab.group_level(raw) else raw)
        return name, points

    def _record(self, cells: list[str]) -> None:
        ev = self.ev
        l1, l2 = self._cell(cells, "level1"), self._cell(cells, "level2")
        if self.pending is not None and not self._new_block(l1):
            return
        if self.skipping:
            return
        raw_name = self._cell(cells, "name")
        if not self._has("name") and l2 and not l1:
            raw_name, l2 = l2, ""
        if l1 and not vocab.is_placeholder(l1):
            name, weight = self._group(l1)
            if not (self.level1 is not None and self.level1.name == name):
                self.level1 = ev.add(Indicator(name=name, weight=weight))
                self.level2 = None
        if l2 and not vocab.is_placeholder(l2):
            name, weight = self._group(l2)
            if not (self.level2 is not None and self.level2.name == name):
                self.level2 = Indicator(name=name, weight=weight)
                (self.level1.add(self.level2) if self.level1 is not None else ev.add(self.level2))
        value = self._cell(cells, "target")
        initial = self._cell(cells, "initial_target")
        nature, unit = self._cell(cells, "nature"), self._cell(cells, "unit")
        weight_text = self._cell(cells, "weight")
        explanation = "\n".join(t for t in (self._cell(cells, "explanation"), self._cell(cells, "rule"),
                                            self._bands_text(cells)) if t)
        reason = self._cell(cells, "reason")
        name = _LEAF_PREFIX_RE.sub("", tidy_name(raw_name)).strip()
        if not name and not value and not weight_text and not initial:
            if raw_name.strip():
                self.reader.skip(f"“{tidy_name(raw_name)}”一行", "占位行，不是指标")
            return
        if vocab.is_placeholder(raw_name) and not value and not weight_text:
            self.reader.skip(f"“{tidy_name(raw_name)}”一行", "占位行，不是指标")
            return
        if vocab.group_level(name) and not (value or weight_text):
            gname, gweight = self._group(name)
            self.level2 = Indicator(name=gname, weight=gweight)
            (self.level1.add(self.level2) if self.level1 is not None else ev.add(self.level2))
            return
        cell = target_cells.read_cell(value, nature, unit)
        bare = bool(nature.strip() or unit.strip())
        leaf = Indicator(
            name=name, weight=self._weight(weight_text, name),
            target=target_cells.compose(cell, bare), comparison=cell.comparison, unit=cell.unit,
            method=cell.method, rule_text=explanation,
        )
        if initial and initial not in ("/", "—", "-") :
            first = target_cells.read_cell(initial, nature, unit)
            initial_text = target_cells.compose(first, bare)
            if not leaf.target:
                leaf.target, leaf.comparison, leaf.unit = initial_text, first.comparison, first.unit or leaf.unit
            elif compact(initial_text) != compact(leaf.target):
                leaf.initial_target = initial_text
                leaf.adjust_reason = reason
                self.adjusted += 1
        if leaf.method is Method.AUTO and not leaf.comparison and self._lower_by_name(leaf):
            leaf.method = Method.LOWER
        elif leaf.method is Method.AUTO and leaf.comparison == "定性":
            leaf.method = Method.TIERS   # 定性三档 named, so that its 评价档次 can be chosen in the editor
        parent = self.level2 or self.level1
        (parent.add(leaf) if parent is not None else ev.add(leaf))
        self.leaves.append(leaf)

    @staticmethod
    def _lower_by_name(leaf: Indicator) -> bool:
        from perfdesk.exchange.infer import LOWER_NAME_WORDS
        from perfdesk.model.values import parse_value

        return parse_value(leaf.target).is_numeric and any(w in compact(leaf.name) for w in LOWER_NAME_WORDS)

    def _weight(self, text: str, name: str) -> Decimal | None:
        t = re.sub(r"分$", "", compact(text))
        if not t or t in ("/", "—", "-"):
            return None
        if t.endswith("%"):
            value = self.reader.number(t[:-1], f"“{name}”的权重")
            if value is not None:
                self.reader.guess(f"“{name}”的权重“{t}”按百分制读作 {value} 分")
            return value
        return self.reader.number(t, f"“{name}”的分值")

    # --- the end --------------------------------------------------------------------------------
    def _finish(self) -> None:
        ev, out = self.ev, self.out
        _drop_empty_groups(ev)
        if self.header is None:   # cut before its indicator table (``cut_before_indicators``)
            self.reader.note("表格在绩效指标表之前结束（原文可能被截断）：只导入了项目信息、资金和目标，"
                             "没有绩效指标，请补录或导入完整的目标表")
        if not ev.name and ev.kind is EvaluationKind.PROJECT and self.title:
            ev.name = name_from_title(self.title)
            if ev.name:
                self.reader.guess(f"表中没有“项目名称”一栏，项目名称取自标题：“{ev.name}”")
        budget = ev.budget
        if budget.total.annual_budget is None and budget.sources:
            top = [a.annual_budget for key, a in budget.sources.items()
                   if key not in ("general_budget", "government_funds") and a.annual_budget is not None]
            if top:   # 年度资金总额 left empty above its sources: their sum (a 目标表's total is that sum)
                budget.total.annual_budget = sum(top)
                self.reader.guess("年度资金总额未填，取各资金来源之和")
        if ev.kind is EvaluationKind.PROJECT and not ev.project.implementer and out.unit_name:
            ev.project.implementer = out.unit_name   # 预算部门 / 填报单位 of a form without 实施单位
        if self.goals:
            annual = [t for label, t in self.goals if not any(w in label for w in labels()["long_term"])]
            yearly = [t for label, t in self.goals if "年度" in label]
            ev.goals.expected = (yearly or annual or [t for _, t in self.goals])[0]
        if out.year is None and ev.name:
            m = re.match(r"^\s*((?:19|20)\d{2})\s*年", ev.name)
            if m:
                out.year = int(m.group(1))
        weights = [leaf.weight for leaf in self.leaves if leaf.weight is not None]
        layout = self.reader.layout
        has_line = layout is not None and layout.has_execution_line and ev.kind is EvaluationKind.PROJECT
        if self.execution_weight is not None:
            ev.execution = ExecutionLine(weight=self.execution_weight)
        elif has_line and (not weights or sum(weights) < 100):
            # the year-end form scores the 预算执行率 line (财预〔2020〕10号: 10 分) beside the targets
            ev.execution = ExecutionLine(weight=Decimal(10))
        if ev.kind is EvaluationKind.UNIT:
            out.unit_name = out.unit_name or ev.project.implementer or ev.project.supervisor
            ev.name = out.unit_name
        elif not out.unit_name:
            out.unit_name = ev.project.implementer
        if self.adjusted:
            self.reader.note(f"{self.adjusted} 项指标有调整后指标值：按调整后指标值计分，年初指标值及调整原因一并保留")
        if self.weight_total is not None and weights and sum(weights) + (
                ev.execution.weight if ev.execution is not None and self.execution_weight is not None else 0) \
                != self.weight_total and sum(weights) != self.weight_total:
            self.reader.unsure(f"合计行的分值 {self.weight_total} 与各项分值之和 {sum(weights)} 不一致，"
                               "请核对是否有指标未读到", None, "indicators")
        if not weights and self.leaves:
            self.reader.note("表中没有分值：年终自评前请为各项指标填写分值")


_TITLE_TAIL_RE = re.compile(r"(?:项目)?(?:支出)?(?:绩效目标(?:申报|审批|批复|审核|调整)?表|绩效评价指标表|绩效指标表"
                            r"|目标申报表|目标审批表)(?:[(（][^()（）]{1,16}[)）])?$")


def name_from_title(title: str) -> str:
    """The project a title names: “2019年度宁晋县高中助学金项目绩效评价指标表” → 宁晋县高中助学金项目."""
    k = compact(title)
    k = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?)", "", k)
    had_project = bool(re.search(r"项目(?:支出)?(?:绩效|目标)", k))
    k = _TITLE_TAIL_RE.sub("", k)
    if not k or k.startswith(("项目", "部门")) and len(k) <= 6:
        return ""
    return k + ("项目" if had_project and not k.endswith("项目") else "")


def _drop_empty_groups(ev) -> None:
    """Groups without any indicator under them (a template's 生态效益指标 row left empty) are no part
    of the tree."""
    def prune(children: list[Indicator]) -> list[Indicator]:
        kept = []
        for node in children:
            if node.children:
                node.children = prune(node.children)
                if node.children:
                    kept.append(node)
            elif node.level == 3 or node.target or node.weight is not None or node.name and node.level > 1 \
                    and not vocab.group_level(node.name):
                kept.append(node)
        return kept

    ev.indicators = prune(ev.indicators)


def read(rows: list[list[str]], reader: FormReader) -> FormResult:
    """Read one 目标表 (see module doc) as the layout's kind."""
    kind = EvaluationKind(reader.layout.kind) if reader.layout is not None else EvaluationKind.PROJECT
    if reader.layout is not None and reader.family == reader.layout.label:
        reader.family = "绩效目标表"
    if len(rows) > MAX_ROWS:
        reader.note(f"表格有 {len(rows)} 行，超过 {MAX_ROWS} 行的上限：只读取了前 {MAX_ROWS} 行，请分成几个文件导入")
    state = _TargetReader(rows[:MAX_ROWS], reader, kind)
    out = state.read()
    if not out.family:
        out.family = "绩效目标表"
    return out


__all__ = ["TITLE_RE", "column_of", "is_target_table", "labels", "plain", "read", "recognise_project", "recognise_unit"]
