"""Reading a form by the names of its columns and blocks (resources/synonyms/columns.json).

The 财政部 forms and their provincial variants share their parts, in different orders
and under different names: a title with the year; label/value pairs (项目名称, 主管部门,
实施单位, 单位名称 …); a block of funds (a header naming 年初预算数 / 全年预算数 / 全年执行数
/ 分值 / 执行率 / 得分 in any order and rows 年度资金总额, 其中:财政拨款, 上年结转, 其他资金);
the 年度总体目标 (预期目标 / 实际完成情况); the indicator table (a header of one or two
rows: 一级/二级/三级指标, 指标性质 + 指标值 + 度量单位 read together as the target,
实际完成值, 分值/权重, 得分, 偏差原因 …); a 合计/总分 row; 评价结论 / 存在问题 / 改进措施.
``read`` finds each part by its names, so a column never shifts silently: a column that
is not named is not read, a cell that does not fit its column is reported.

Rows must hold their cells in their columns (a merged cell once, the covered cells
empty): the readers of files and text shapes align rows before they come here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.families.base import FormReader, FormResult
from perfdesk.exchange.ocr_signs import repair_value
from perfdesk.exchange.text_indicators import apply_method, group_label
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Amounts, EvaluationKind, ExecutionLine, Indicator
from perfdesk.model.values import parse_decimal

MAX_ROWS = 5000
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_POINTS_RE = re.compile(r"[(（]\s*(\d{1,3}(?:\.\d+)?)\s*分")
_LEAF_PREFIX_RE = re.compile(r"^(?:指标\s*\d{1,3}\s*[:：]|[★☆※*]+|\d{1,2}\s*[、.．](?!\d))\s*")
_VALUE_SIGNS = (("≧", "≥"), (">=", "≥"), ("＞＝", "≥"), ("≦", "≤"), ("<=", "≤"), ("＜＝", "≤"),
                ("﹦", "="), ("＝", "="), ("═", "="), ("＞", ">"), ("＜", "<"))
_BREAKDOWN_RE = re.compile(r"^其中")


@dataclass
class Header:
    roles: dict[int, str]      # column -> role
    row: int

    def __post_init__(self):
        self._by_role: dict[str, int] = {}
        for c in sorted(self.roles):
            self._by_role.setdefault(self.roles[c], c)

    def col(self, role: str) -> int | None:
        return self._by_role.get(role)


# --- cell helpers ------------------------------------------------------------------------

def norm_value(text: str) -> str:
    """A target or actual as written, with the odd signs and spacing of copies made plain."""
    t = " ".join((text or "").split())
    for odd, plain in _VALUE_SIGNS:
        t = t.replace(odd, plain)
    t = re.sub(r"(?<=[≥≤=<>])\s+", "", t)
    t = re.sub(r"(?<=\d)\s+(?=[%％\u4e00-\u9fff])", "", t)
    t = re.sub(r"(?<=\d)\s*[（(]?百分比[)）]?$", "%", t)
    return t.replace("％", "%")


def compose_target(sign: str, value: str, unit: str) -> str:
    """指标性质 + 指标值 + 度量单位 read together: (≥, 100, 百分比) → “≥100%”."""
    sign_key = vocab.sign_of(sign) if sign.strip() else None
    value = norm_value(value)
    unit = unit.strip()
    if vocab.is_percent_unit(unit) or "百分比" in unit:
        unit = "%"
    if unit and not value.endswith(unit) and re.search(r"\d$", value):
        value = value + unit
    if sign_key and sign_key != "定性" and value and not value.startswith(("≥", "≤", "=", ">", "<")):
        value = sign_key + value
    return value


def is_numberish(text: str) -> bool:
    t = compact(text)
    if not t:
        return False
    try:
        return parse_decimal(t.rstrip("%")) is not None
    except ValueError:
        return False


def _first_text(cells: list[str]) -> tuple[int, str]:
    for index, cell in enumerate(cells):
        if cell.strip():
            return index, cell
    return -1, ""


# Column names known only in a header row, and only where no usual name of the same role stands in the row
# (as words of a text stream they are too common to split cells by):
# - checklist self-evaluations (重庆 中央对地方转移支付 项目绩效自评表: 指标名称 | 指标解释 | 记录 (自评内容 |
#   完成情况) | 未完成原因及改进措施 | 需提供的支撑材料; corpus chongqing-pengshui-project-2024-a);
# - the 项目绩效目标表 of the 财政支出绩效评价报告 (财预〔2011〕285号; corpus hainan-wenchang-project-2017-a):
#   指标类型 | 绩效指标 | 绩效目标 | 绩效标准 (优 | 良 | 中 | 差 under it: grading bands, kept as the rule)
_HEADER_ONLY_COLUMNS = {"自评内容": "record", "完成情况": "actual", "记录": "ignored", "需提供的支撑材料": "ignored",
                        "支撑材料": "ignored", "指标类型": "level1", "绩效指标": "name", "绩效目标": "target",
                        "绩效标准": "bands"}
_BANDS = ("优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "较差", "一般")


def grading_bands(cells: list[str]) -> dict[int, str]:
    """column -> band for the row naming the grading bands under 绩效标准 (优 | 良 | 中 | 差), else {}."""
    keys = {k: vocab.key(c) for k, c in enumerate(cells) if c.strip()}
    return keys if len(keys) >= 3 and all(k in _BANDS for k in keys.values()) else {}


_PAIR_ROLES = ("initial_budget", "annual_budget", "arrived", "spent")


def amount_pairs(cells: list[str]) -> list[tuple[str, str, str]]:
    """(role, label, figure) of a row of amounts as label | figure pairs (the 项目基本情况表 of the
    财政支出绩效评价报告, 财预〔2011〕285号: “计划投资额(万元) | 110.00 | 实际到位资金(万元) | 84.74 |
    实际使用情况(万元) | 84.74”), every label an amount's; [] for any other row."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) % 2 or len(filled) < 4:
        return []
    pairs = []
    for label, value in zip(filled[::2], filled[1::2]):
        role = vocab.fund_column(label)
        if role not in _PAIR_ROLES or not is_numberish(value):
            return []
        pairs.append((role, label, value))
    return pairs


def _column_role(cell: str) -> str | None:
    return vocab.column_role(cell) or _HEADER_ONLY_COLUMNS.get(vocab.key(cell))


def indicator_header(cells: list[str]) -> dict[int, str]:
    """column -> role for an indicator-table header row, or {} when the row is no header."""
    roles: dict[int, str] = {}
    seen: set[str] = set()
    for usual in (True, False):
        for index, cell in enumerate(cells):
            role = vocab.column_role(cell) if usual else _HEADER_ONLY_COLUMNS.get(vocab.key(cell))
            if role is None or role in seen or index in roles:
                if role == "ignored" and index not in roles:
                    roles[index] = role
                continue
            roles[index] = role
            seen.add(role)
    useful = seen & {"name", "target", "weight", "score", "actual", "level1", "level2", "nature"}
    if len(useful) >= 3 and seen & {"name", "level2", "level1"} and seen & {"target", "weight", "score", "actual"}:
        return roles
    return {}


def sub_header(cells: list[str], above: dict[int, str]) -> dict[int, str]:
    """The second row of a two-row header (指标性质 | 指标值 | 度量单位 under 年度指标值)."""
    roles = {}
    for index, cell in enumerate(cells):
        role = _column_role(cell)
        if role is not None:
            roles[index] = role
    others = [c for c in cells if c.strip() and _column_role(c) is None and vocab.key(c) != "绩效指标"
              and not _POINTS_RE.search(vocab.key(c))]
    if len(roles) >= 2 and not others:
        return roles
    return {}


def merge_header_rows(upper: dict[int, str], lower: dict[int, str]) -> dict[int, str]:
    """The columns of a two-row header: the lower row's names win (指标性质 | 指标值 | 度量单位
    under 年度指标值); an upper name that the lower row repeats elsewhere is dropped."""
    merged = {c: r for c, r in upper.items() if r not in lower.values() and c not in lower}
    merged.update(lower)
    return merged


def fund_header(cells: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, cell in enumerate(cells):
        role = vocab.fund_column(cell)
        if role is not None and role not in roles.values():
            roles[index] = role
    amounts = {"initial_budget", "annual_budget", "spent"} & set(roles.values())
    if amounts and len(roles) >= 2:
        return roles
    return {}


def _row_text(cells: list[str]) -> str:
    return " ".join(c.strip() for c in cells if c.strip())


# --- reading ------------------------------------------------------------------------------

def read(rows: list[list[str]], reader: FormReader, kind: EvaluationKind | None = None) -> FormResult:
    """Read one form (see module doc)."""
    rows = rows[:MAX_ROWS]
    if _amounts_in_yuan(rows):
        reader.yuan = True
        reader.guess("金额单位为“元”，已换算为万元")
    if kind is None:
        kind = guess_kind(rows) or EvaluationKind(reader.layout.kind)
    ev = reader.new_evaluation(kind)
    out = FormResult(ev, reader.family)
    state = _State(ev, out, reader)
    i = 0
    while i < len(rows):
        cells = [c if isinstance(c, str) else "" for c in rows[i]]
        i = state.row(rows, i, cells)
    state.finish()
    return out


_YUAN_RE = re.compile(r"(?:资金|金额|预算|单位)[^()]{0,6}\(元\)|金额单位:元|单位:元$")


def _amounts_in_yuan(rows: list[list[str]]) -> bool:
    for cells in rows[:40]:
        for cell in cells:
            if "元" in cell and _YUAN_RE.search(vocab.key(cell)):
                return True
    return False


# a title naming a project's or a fund's form (“…项目支出绩效自评指标计分表”, “…发展资金绩效评价表”,
# “…计划生育服务项目绩效自评表”); “2021年度财政项目绩效自评表” names only the kind of money, no project
_PROJECT_TITLE_RE = re.compile(r"(?:项目支出绩效.{0,8}|(?<!财政)项目绩效|资金绩效)(?:自评表|评价表|评分表|计分表)$")


def guess_kind(rows: list[list[str]]) -> EvaluationKind | None:
    project = unit = False
    for cells in rows[:60]:
        for cell in cells:
            k = vocab.key(cell)
            if not k:
                continue
            label = vocab.meta_label(k.split(":")[0])
            if label == "project_name":
                project = True
            if "部门整体" in k or "整体支出" in k:
                unit = True
            elif len(k) <= 40 and _PROJECT_TITLE_RE.search(k):
                project = True   # “2020年项目支出绩效自评指标计分表”: the title names the kind
    if project:
        return EvaluationKind.PROJECT
    if unit:
        return EvaluationKind.UNIT
    return None


def _fund_fit(assign: dict[str, str]) -> float:
    """How well an assignment of a fund row's figures to columns fits (types and arithmetic)."""
    from perfdesk.exchange.readers.align import cell_type

    score = 0.0
    numbers: dict[str, Decimal] = {}
    for role, text in assign.items():
        kind = cell_type(text)
        if role == "line_no":   # a row's number in a 行次 column (1, 2 …)
            score += 3 if re.fullmatch(r"\d{1,2}", compact(text)) else -5
            continue
        if kind == "percent":
            score += 3 if role in ("rate", "arrival_rate") else -5
        elif kind == "dash":
            continue
        elif kind in ("number", "value"):
            if role == "rate":
                score -= 1
            value = _State._num(re.sub(r"[万元]+$", "", compact(text)))
            if value is not None:
                numbers[role] = value
                if role in ("weight", "score") and value > 100:
                    score -= 5
                if role == "weight" and value in (10, 20):
                    score += 1
        else:
            score -= 3
    rate = assign.get("rate")
    rate_value = None
    if rate is not None:
        v = _State._num(compact(rate).rstrip("%"))
        if v is not None:
            rate_value = v / 100 if compact(rate).endswith("%") or v > 1 else v
    # the rates' base: the budget net of integrated funds (C) where the table has it (E/C), else the budget
    base = numbers.get("net_budget") or numbers.get("annual_budget")
    if rate_value is not None and base and "spent" in numbers:
        computed = numbers["spent"] / base
        # within the rate's printed precision: “86%” stands for 85.5–86.5% (692.98 / 808.1 = 85.75%)
        printed = compact(rate).rstrip("%")
        decimals = len(printed.partition(".")[2])
        unit = Decimal(1).scaleb(-decimals) / (100 if compact(rate).endswith("%") or rate_value != _State._num(printed) else 1)
        gap = abs(computed - rate_value)
        fits = gap <= max(Decimal("0.001"), unit / 2 + Decimal("0.0001"))
        # a rate of 0 fits nothing spent, but so does any cut that leaves “0” for 执行数: it weighs little;
        # a fit within 0.01 percentage point weighs more than one only within a rounded rate's precision
        score += ((4 if gap <= Decimal("0.0001") else 3) if rate_value > 0 else 1) if fits else -1
    arrived = numbers.get("arrived")
    share = assign.get("arrival_rate")
    if arrived is not None and base and share is not None and compact(share).endswith("%"):
        v = _State._num(compact(share).rstrip("%"))
        if v is not None:   # 预算到位 (D/C×100%): the form's own arithmetic places the figures
            score += 4 if abs(arrived / base * 100 - v) <= Decimal("0.1") else -1
    if "integrated" not in assign:
        score += 0.5   # 统筹整合资金数: filled only where funds were integrated
    if "weight" in numbers and "score" in numbers:
        score += 1 if numbers["score"] <= numbers["weight"] else -3
    if "initial_budget" not in assign:
        score += 0.5   # 年初预算数 is the column most often left empty
    return score


def _partition_by_points(children: list[Indicator], total: Decimal | None, scored_leaves: bool = False,
                         open_end: bool = False):
    """Consecutive blocks [head, *followers] whose followers' weights add up to the head's weight
    (a block may be one indicator), the heads adding up to ``total`` when it is stated; of the
    readings the weights allow, the one with the fewest blocks (the most grouping). With
    ``scored_leaves`` an item with neither score nor value cannot stay a block of its own (in a
    form that scores its rows, such an item is a group label); with ``open_end`` the last block
    may hold fewer points than its head (the rows of a form cut short). None when there is none.
    Memoised: at most len² × distinct remainders steps."""
    if any(c.children or c.weight is None for c in children) or len(children) > 200:
        return None
    memo: dict = {}

    def parse(k: int, remaining):
        key = (k, remaining)
        if key in memo:
            return memo[key]
        if len(memo) > 20000:
            return None
        if k == len(children):
            result = [] if remaining is None or remaining == 0 else None
            memo[key] = result
            return result
        best = None
        head = children[k]
        if head.score_override is None and not head.target and not head.actual:
            acc, j = Decimal(0), k + 1
            while j < len(children) and acc < head.weight:
                acc += children[j].weight
                j += 1
                if acc == head.weight or (open_end and j == len(children) and acc < head.weight):
                    rest = parse(j, None if remaining is None else remaining - head.weight)
                    if rest is not None and (best is None or 1 + len(rest) < len(best)):
                        best = [children[k:j]] + rest
        lone_label = scored_leaves and head.score_override is None and not head.target and not head.actual
        rest = None if lone_label else parse(k + 1, None if remaining is None else remaining - head.weight)
        if rest is not None and (best is None or 1 + len(rest) < len(best)):
            best = [[head]] + rest
        memo[key] = best
        return best

    return parse(0, total)


class _State:
    def __init__(self, ev, out: FormResult, reader: FormReader):
        self.ev, self.out, self.reader = ev, out, reader
        self.header: Header | None = None
        self.fund: dict[int, str] | None = None
        self.level1: Indicator | None = None
        self.level2: Indicator | None = None
        self.leaves: list[Indicator] = []
        self.execution_weight: Decimal | None = None   # “预算执行情况(20分)”
        self.any_score = False
        self.any_actual = False
        self.ended = False
        self.weight_total_row: Decimal | None = None
        self.pending_narrative: str | None = None
        self.indicator_points: Decimal | None = None
        self.in_budget = False       # checklist forms: inside an indicator's budget lines
        self.total_pending = False   # … after a 合计 whose 年度预算资金总额 is still to come
        self.bands: dict[int, str] = {}   # column -> grading band (优/良/中/差) under 绩效标准

    # one row; returns the index of the next row
    def row(self, rows, i: int, cells: list[str]) -> int:
        if self.ended or not any(c.strip() for c in cells):
            return i + 1
        self._title_and_year(cells)
        first_index, first = _first_text(cells)
        block = vocab.block_label(first)
        if block == "end" and self.header is not None:
            self.ended = True
            return i + 1
        # an indicator header (one or two rows)
        roles = indicator_header(cells)
        if roles:
            above = rows[i - 1] if i > 0 else []
            over = sub_header(above, {}) if above and not indicator_header(above) else {}
            if over:
                # a two-row header whose first row (年度指标值 | 实际完成值 | 分值 | 得分 …) is above
                roles = merge_header_rows(over, roles)
                self.reader.guess("两行表头：上一行的" + "、".join(
                    above[c].strip() for c in sorted(over)) + "与本行合为栏目")
                self.header = Header(roles, i)
                self._execution_points(cells)
                self._indicator_points(cells, roles)
                return i + 1
            if i + 1 < len(rows):
                below = sub_header(rows[i + 1], roles)
                if below:
                    merged = merge_header_rows(roles, below)
                    self.header = Header(merged, i)
                    self.reader.guess("两行表头：第二行的" + "、".join(
                        rows[i + 1][c].strip() for c in sorted(below)) + "归入上一行的栏目")
                    self._execution_points(cells)
                    return i + 2
            self.header = Header(roles, i)
            self._execution_points(cells)
            self._indicator_points(cells, roles)
            return i + 1
        if self._fund_pairs(cells):   # amounts as label | figure pairs: never an indicator
            return i + 1
        # a funds header
        fund = fund_header(cells)
        if fund and (self.header is None):
            self.fund = fund
            self._execution_points(cells)
            return i + 1
        if self._total_row(cells):
            return i + 1
        if self.header is None:
            if self.fund is not None and self._fund_row(cells):
                return i + 1
            if self.fund is not None and self._inline_amounts(cells):
                return i + 1
            if self._goals(rows, i, cells):
                return i + 2
            self._meta(cells)
            self._narrative(cells)
            return i + 1
        if self._narrative(cells):
            return i + 1
        self._indicator_row(cells, i)
        return i + 1

    # --- parts ---------------------------------------------------------------------------
    def _title_and_year(self, cells):
        if self.out.year is not None:
            return
        for cell in cells:
            m = _YEAR_RE.search(compact(cell))
            if m and ("年度" in cell or "自评表" in cell or re.fullmatch(r"[(（]?\s*\d{4}\s*年度?\s*[)）]?", cell.strip())):
                self.out.year = int(m.group(1))
                return

    def _execution_points(self, cells):
        for cell in cells:
            k = vocab.key(cell)
            if "执行" in k or "预算" in k:
                m = _POINTS_RE.search(k)
                if m:
                    self.execution_weight = Decimal(m.group(1))

    def _indicator_points(self, cells, roles):
        """“年度绩效目标(80分)”, “绩效指标(90分)”: the points of the indicator block."""
        for index, cell in enumerate(cells):
            if index not in roles and cell.strip():
                m = _POINTS_RE.search(vocab.key(cell))
                if m and "执行" not in cell:
                    self.indicator_points = Decimal(m.group(1))

    def _nest_by_points(self):
        """评分表 forms that write each weight inside its label (“目标任务(15分)”, “相关性(5分)”) in one
        column: the points go to the weight, and an item whose points are the sum of the items
        after it becomes their group — the form's own arithmetic decides the tree."""
        if self.header.col("weight") is not None:
            return
        for leaf in self.leaves:
            if leaf.weight is None:
                name, points = group_label(leaf.name)
                if points is not None:
                    leaf.name, leaf.weight = name, points
        if not any(leaf.weight is not None for leaf in self.leaves):
            return
        nested = False
        for parent in [None, *[n for n in self.ev.walk() if n.children]]:
            children = self.ev.indicators if parent is None else parent.children
            for child in list(children):
                if not child.children and child.weight is None and child.name.endswith("指标") and not (
                        child.target or child.actual or child.score_override is not None):
                    children.remove(child)   # “部门特性指标”: a template's placeholder without points
                    self.leaves.remove(child)
                    self.reader.skip(f"“{child.name}”", "没有分值的占位项，不是指标")
            if parent is None:
                continue
            flat: list[Indicator] = []
            for child in children:   # a group found by its label joins the reading by points
                if child.children and all(not c.children for c in child.children) and child.weight is not None:
                    flat.append(Indicator(name=child.name, weight=child.weight))
                    flat.extend(child.children)
                else:
                    flat.append(child)
            if len(flat) == len(children):
                blocks = self._scored_partition(children, parent.weight, self._ends_form(children)) or \
                    _partition_by_points(children, parent.weight)
            else:
                blocks = self._scored_partition(flat, parent.weight, self._ends_form(flat)) or \
                    _partition_by_points(flat, parent.weight)
                if blocks is not None:
                    self.leaves.extend(b[0] for b in blocks if len(b) > 1)   # removed again below
                    for block in blocks:
                        if len(block) == 1 and block[0] not in self.leaves:
                            self.leaves.append(block[0])
            if blocks is None or all(len(b) == 1 for b in blocks):
                continue
            parent.children = []
            for block in blocks:
                head = block[0]
                if len(block) == 1:
                    parent.add(head)
                    continue
                group = Indicator(name=head.name, weight=head.weight)
                for child in block[1:]:
                    group.add(child)
                parent.add(group)
                self.leaves.remove(head)
                nested = True
        if nested:
            self.reader.guess("分值写在名称中（如“相关性(5分)”）：按各项分值之和确定上下级（其下各项分值之和等于该项分值的，作为二级指标）")
            for group in self.ev.walk():
                seen = sum((c.weight or 0) for c in group.children)
                if group.children and group.weight is not None and all(not c.children for c in group.children) \
                        and seen < group.weight:
                    self.reader.guess(f"“{group.name}”（{group.weight} 分）下各项分值合计 {seen}，少于该项分值"
                                      "（表格在此中断，或原表分值不全），请核对")

    def _ends_form(self, items: list[Indicator]) -> bool:
        return bool(items) and bool(self.leaves) and items[-1] is self.leaves[-1]

    @staticmethod
    def _scored_partition(flat: list[Indicator], points: Decimal | None, last: bool = False):
        """In a form that scores its rows, the reading in which every item without a score is a
        group: first with the group's points, then — the rows of a form cut short end early — with
        the groups found fitting inside those points (in the form's ``last`` group, the last of them
        may itself be cut short)."""
        if not any(c.score_override is not None for c in flat):
            return None
        blocks = _partition_by_points(flat, points, scored_leaves=True)
        if blocks is None and points is not None:
            blocks = _partition_by_points(flat, None, scored_leaves=True, open_end=last)
            if blocks is not None and sum(b[0].weight for b in blocks) >= points:
                blocks = None
        return blocks

    def _groups_on_an_earlier_page(self):
        """The tail of a form copied from the middle of its indicator table (corpus
        sichuan-daying-project-nd-a): the 一级/二级 labels of its first rows are printed once, in the
        merged cells of the page before, so those rows arrive as bare indicators and the first label
        seen is a level-2 one (“成本指标”) standing where a level 1 should. When the rest of the table
        has the full three levels, the leading rows are put under unnamed groups at the depth the
        table has — the officer names them — instead of passing for level-1 indicators."""
        top = self.ev.indicators
        first = next((k for k, node in enumerate(top)
                      if node.children and vocab.group_level(node.name) == 1), None)
        if not first:
            return
        leading, rest = top[:first], top[first:]
        deep = any(grand.children for node in rest for grand in node.children)
        if not deep or not all(not node.children or (vocab.group_level(node.name) == 2
                                                      and not any(c.children for c in node.children))
                               for node in leading):
            return
        level1 = Indicator(name="")
        bare: Indicator | None = None
        for node in leading:
            if node.children:
                level1.add(node)
                bare = None
                continue
            if bare is None:
                bare = level1.add(Indicator(name=""))
            bare.add(node)
        self.ev.indicators[:] = [level1] + rest
        level1.parent = None
        leaves = sum(1 for node in level1.walk() if not node.children)
        self.reader.unsure(f"表格从前一页中间开始：前 {leaves} 项指标的一级/二级指标名称不在本段文字中，"
                           "已放在未命名的分组下，请补填分组名称", level1, "name")

    def _weights_from_groups(self):
        """Forms that state weights only for their groups (“产出指标(40分)”, 湖北 20/80 forms): each
        indicator of a group whose indicators have no 分值 gets an equal share — the rule those
        forms print (“三级指标分值按三级指标个数平均确定”, 广水市财政预算支出项目绩效目标自评表) —
        each share an 导入提示."""
        if self.header.col("weight") is not None:
            return
        groups = [n for n in self.ev.walk() if n.children and n.weight is not None]
        groups.sort(key=lambda n: -n.level)   # the most precise stated weight first
        for group in groups:
            leaves = [n for n in group.walk() if not n.children]
            if not leaves or any(leaf.weight is not None for leaf in leaves):
                continue
            share = (group.weight / len(leaves)).quantize(Decimal("0.01"))
            for k, leaf in enumerate(leaves):
                leaf.weight = share if k < len(leaves) - 1 else group.weight - share * (len(leaves) - 1)
                if len(leaves) > 1:
                    self.reader.unsure(f"表中没有分值一栏，按“{group.name}”{group.weight} 分平均分给 {len(leaves)} 项指标"
                                       f"（三级指标分值按个数平均确定），请核对", leaf, "weight")

    def _weights_from_scores(self):
        """A form without any 分值 (weights neither in a column nor in the group labels) whose
        scores are actual ÷ target × weight: the weights that give each score, when they add
        up to the points of the indicator block, are read — each one an 导入提示."""
        from perfdesk.model.values import parse_value

        if self.header.col("weight") is not None:
            return
        if any(n.weight is not None for n in self.ev.walk()):
            return
        points, stated = self.indicator_points, "与表头一致"
        if points is None and self.ev.execution is not None and self.ev.execution.weight is not None:
            # the block's own “(80分)” is unreadable (a garbled OCR header): the indicators hold
            # what the execution line leaves of 100 — accepted only when the scores' arithmetic
            # gives exactly that sum below
            points, stated = Decimal(100) - self.ev.execution.weight, \
                f"与执行率 {self.ev.execution.weight} 分合为 100 分"
        if points is None:
            return
        found = []
        for leaf in self.leaves:
            target, actual = parse_value(leaf.target), parse_value(leaf.actual)
            if leaf.score_override is None or not target.is_numeric or not actual.is_numeric or not actual.magnitude:
                return
            weight = leaf.score_override * target.magnitude / actual.magnitude
            rounded = weight.quantize(Decimal(1))
            if rounded <= 0 or abs(weight - rounded) > Decimal("0.6"):
                return
            found.append(rounded)
        if not found or sum(found) != points:
            return
        for leaf, weight in zip(self.leaves, found):
            leaf.weight = weight
            self.reader.unsure(f"表中没有分值一栏，分值 {weight} 由 得分 ÷（实际完成值 ÷ 指标值）推算"
                               f"（各项合计 {points} 分，{stated}）", leaf, "weight")

    _YEAR_END_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:12\s*月(?:\s*31\s*日)?|底|末)")

    def _year_from_deadlines(self):
        """A form that prints no year (区域绩效目标自评表) but whose 时效 targets end with the year
        (“2021年12月31日”, “2021年底前”): that year, when every such deadline names the same one —
        reported, for the officer to confirm."""
        years = set()
        for leaf in self.leaves:
            for text in (leaf.target, leaf.actual):
                years.update(int(m.group(1)) for m in self._YEAR_END_RE.finditer(compact(text or "")))
        if len(years) == 1:
            self.out.year = years.pop()
            self.reader.guess(f"表中没有年度：取时效指标的年末期限 {self.out.year} 年作为年度，请核对")

    def _meta(self, cells):
        n = len(cells)
        for index, cell in enumerate(cells):
            if not cell.strip():
                continue
            k = vocab.key(cell)
            label, inline = vocab.meta_label(k), ""
            if label is None and k.endswith("单位名称") and len(k) <= 12:
                label = "unit_name"
            if label is None and ":" in k:
                head, _, tail = k.partition(":")
                label, inline = vocab.meta_label(head), cell.split("：" if "：" in cell else ":", 1)[1].strip()
            if label is None:
                continue
            value = inline
            if not value:
                for j in range(index + 1, n):
                    if cells[j].strip():
                        if vocab.meta_label(cells[j]) is None and vocab.fund_column(cells[j]) is None:
                            value = cells[j].strip()
                        break
            if not value:
                continue
            self._set_meta(label, value)

    def _set_meta(self, label: str, value: str):
        ev, out = self.ev, self.out
        if label == "category":
            return   # 项目类别 / 项目属性 …: check boxes, not kept
        name = tidy_name(value)
        if label == "project_name" and not ev.name:
            ev.name = name
        elif label == "unit_name" and not out.unit_name:
            out.unit_name = re.sub(r"[(（](?:盖章|签章)[)）]", "", name)
        elif label == "supervisor" and not ev.project.supervisor:
            ev.project.supervisor = name
            out.supervisor = name
        elif label == "implementer" and not ev.project.implementer:
            ev.project.implementer = name
        elif label == "contact" and "leader" not in out.contacts:
            out.contacts["leader"] = name
        elif label == "date":
            m = _YEAR_RE.search(compact(value))
            if m:
                out.contacts.setdefault("date", value.strip())
        elif label == "stated_total":
            if self.ev.stated_total is None:
                self.ev.stated_total = self.reader.number(value, "总分")
        elif label == "grade":
            self.ev.stated_grade = value.strip() or None

    def _goals(self, rows, i, cells) -> bool:
        exp = ach = None
        for index, cell in enumerate(cells):
            role = vocab.block_label(cell)
            if role == "goals_expected" and exp is None:
                exp = index
            elif role == "goals_achieved" and ach is None:
                ach = index
        if exp is None or ach is None or i + 1 >= len(rows):
            return False
        data = rows[i + 1]
        if indicator_header(data) or fund_header(data):
            return False
        texts = [c.strip() for c in data]

        def at(col):
            return texts[col] if col < len(texts) else ""
        expected, achieved = at(exp), at(ach)
        filled = [t for t in texts if t]
        first = next((k for k, t in enumerate(texts) if t), len(texts))
        if (not expected and not achieved) or (not achieved and len(filled) == 2 and first < exp):
            # the text sits left of the labels: a merged first column (年度总体目标 over two rows) that a
            # web copy dropped from the second row shifts both texts one cell left
            expected = filled[0] if filled else ""
            achieved = filled[1] if len(filled) > 1 else ""
        self.ev.goals.expected, self.ev.goals.achieved = expected, achieved
        return True

    def _fund_row(self, cells) -> bool:
        fund = self.fund
        assert fund is not None
        amount_cols = [c for c, r in fund.items() if r in ("initial_budget", "annual_budget", "spent", "arrived")]
        limit = min(amount_cols + [c for c, r in fund.items() if r == "line_no"])   # a 行次 is no label
        label_cells = [c for c in cells[:limit] if c.strip()]
        if not label_cells:
            label_cells = [c for c in cells if c.strip() and not is_numberish(c)][:1]
        label = vocab.key(label_cells[-1]) if label_cells else ""
        if not label:
            return False
        role = vocab.fund_row(label)
        values = {r: (cells[c] if c < len(cells) else "") for c, r in fund.items()}
        if role is None:
            if any(is_numberish(v) for v in values.values()):
                self.reader.skip(f"资金“{label[:20]}”", "不是可识别的资金来源，未导入")
                return True
            return False
        values = self._fund_values(cells, fund, limit, values, label)
        where = f"资金“{label}”"
        yuan = self.reader.yuan
        amounts = Amounts()
        for column in Amounts.COLUMNS:
            if column in values:
                setattr(amounts, column, self.reader.amount(values[column], where, yuan=yuan))
        if role == "total":
            if self.ev.budget.total.is_empty():
                self.ev.budget.total = amounts
                weight = self.reader.number(values.get("weight", ""), "预算执行率分值")
                weight = weight if weight is not None else self.execution_weight
                rate = self.reader.rate(values.get("rate", ""), "年度资金总额") if "rate" in values else None
                score = self.reader.number(values.get("score", ""), "预算执行率得分")
                if weight is not None or score is not None:
                    self.ev.execution = ExecutionLine(
                        weight=weight if weight is not None else Decimal(10), stated_rate=rate, stated_score=score)
                    self.any_score = self.any_score or score is not None
                elif rate is not None:
                    self.out.contacts.setdefault("stated_rate", str(rate))
            return True
        if not amounts.is_empty():
            key = {"appropriation": "appropriation", "carried_over": "carried_over"}.get(role, "other_funds")
            existing = self.ev.budget.sources.get(key)
            if existing is None or existing.is_empty():
                self.ev.budget.sources[key] = amounts
            else:  # several rows fall under 其他资金 (单位资金, 财政专户管理资金 …): add them up
                for column in Amounts.COLUMNS:
                    a, b = getattr(existing, column), getattr(amounts, column)
                    if b is not None:
                        setattr(existing, column, (a or 0) + b)
        return True

    def _fund_values(self, cells, fund, limit, values, label) -> dict[str, str]:
        """The row's figures under their columns; when cells were lost (a web copy drops empty
        cells), the assignment that fits the columns and the form's arithmetic best."""
        from itertools import combinations

        from perfdesk.exchange.readers.align import cell_type

        filled = [(c, cells[c]) for c in range(limit, len(cells)) if cells[c].strip()]
        # a share under an amount or points column cannot stand where it is, even in a grid that keeps
        # every cell (a web table whose row lacked a cell, then pasted into Word, Excel or a PDF)
        misplaced = any(cell_type(v) == "percent" and fund.get(c) in (
            "initial_budget", "annual_budget", "spent", "arrived", "weight", "score") for c, v in filled)
        misfit = misplaced or not self.reader.exact and (
            any(c not in fund for c, _ in filled)
            or any(cell_type(v) == "percent" and fund.get(c) != "rate" for c, v in filled)
            or any(cell_type(v) == "text" and fund.get(c) in ("initial_budget", "annual_budget", "spent", "weight",
                                                              "score") for c, v in filled))
        if not misfit:
            return values
        texts = [v for _, v in filled if cell_type(v) != "text"][:12]
        columns = [fund[c] for c in sorted(fund) if fund[c] != "reason"]
        if not texts or len(texts) > len(columns) or len(columns) > 10:
            return values
        best, best_score, ties = None, None, 0
        for chosen in combinations(range(len(columns)), len(texts)):
            assign = {columns[k]: texts[n] for n, k in enumerate(chosen)}
            score = _fund_fit(assign)
            if best_score is None or score > best_score:
                best, best_score, ties = assign, score, 0
            elif score == best_score:
                ties += 1
        if best is None:
            return values
        if ties:
            self.reader.unsure(f"资金“{label}”一行的数字少于栏目（{'、'.join(texts)}），按执行率等算术关系推断所在栏目，"
                               "请核对", None, "budget.total")
        else:
            self.reader.guess(f"资金“{label}”一行缺少空白单元格，按类型与算术关系确定各数所在栏目")
        return {role: best.get(role, "") for role in fund.values()}

    _INLINE_RE = re.compile(r"^(?:其中[:：])?([^:：]{1,20})[:：]([\d.\s,]*)$")

    def _fund_pairs(self, cells) -> bool:
        """Amounts as label | figure pairs in one row (``amount_pairs``; corpus hainan-wenchang-project-2017-a):
        the project's 全年预算数, 到位 and 执行数."""
        pairs = amount_pairs(cells)
        total = self.ev.budget.total
        for role, label, value in pairs:
            if role != "arrived" and getattr(total, role) is None:
                setattr(total, role, self.reader.amount(value, label))
        return bool(pairs)

    def _inline_amounts(self, cells) -> bool:
        """财政部 unit form (seed 002): “其中：一般公共预算：531.19”, “项目支出：61” (年初预算数)."""
        found = False
        for raw in cells:
            m = self._INLINE_RE.match(raw.strip())
            if not m:
                continue
            found = True
            name, value = compact(m.group(1)), m.group(2).strip()
            fen = self.reader.amount(value, name) if value else None
            if fen is None:
                continue
            budget = self.ev.budget
            if name == "基本支出":
                budget.basic.initial_budget = fen
            elif name == "项目支出":
                budget.project.initial_budget = fen
            else:
                source = next((k for word, k in vocab.INLINE_AMOUNT_SOURCES if word in name), None)
                if source is not None:
                    budget.source(source).initial_budget = fen
        return found

    def _total_row(self, cells) -> bool:
        index, first = _first_text(cells)
        k = re.sub(r"\(\d{1,3}(?:\.\d+)?分?\)$", "", vocab.key(first))   # “总分(100分)”
        if k not in ("合计", "总分", "得分合计", "总计", "综合得分", "自评得分", "自评总分", "合计得分"):
            return False
        if self.header is None and k in ("合计", "总计"):
            return False  # a 合计 of the funds
        header = self.header
        numbers = [(c, cells[c]) for c in range(index + 1, len(cells))
                   if cells[c].strip() and cells[c].strip() not in ("优", "良", "中", "差")
                   and (is_numberish(cells[c]) or len(compact(cells[c])) <= 12)]
        grade = next((cells[c].strip() for c in range(index + 1, len(cells))
                      if cells[c].strip() in ("优", "良", "中", "差")), None)
        if grade:
            self.ev.stated_grade = grade
        if not numbers:
            return True
        weight_col = header.col("weight") if header else None
        score_col = header.col("score") if header else None
        by_col = {c: v for c, v in numbers}
        stated = None
        if score_col is not None and score_col in by_col:
            stated = by_col[score_col]
            if weight_col is not None and weight_col in by_col:
                self.weight_total_row = self.reader.number(by_col[weight_col], "分值合计")
        elif weight_col is not None and weight_col in by_col and len(numbers) == 1:
            self.weight_total_row = self.reader.number(by_col[weight_col], "分值合计")
        elif len(numbers) >= 2:
            self.weight_total_row = self.reader.number(numbers[0][1], "分值合计")
            stated = numbers[1][1]
        else:
            value = numbers[0][1]
            # A lone figure: a stated total only where it is not the weights' 合计.
            if k in ("合计", "总计") and score_col is None:
                self.weight_total_row = self.reader.number(value, "分值合计")
            elif k in ("合计", "总计") and self._weights_sum() == self._num(value) and not self.any_score:
                self.weight_total_row = self._num(value)
            else:
                stated = value
        if stated is not None:
            self.ev.stated_total = self.reader.number(stated, "总分")
        return True

    def _narrative(self, cells) -> bool:
        index, first = _first_text(cells)
        role = vocab.block_label(first)
        keys = {"narrative_conclusion": "conclusion", "narrative_problems": "problems",
                "narrative_remedies": "remedies", "narrative_other": "other_issues"}
        if role not in keys:
            return False
        text = "\n".join(c.strip() for c in cells[index + 1:] if c.strip())
        if text:
            key = keys[role]
            if self.ev.kind is EvaluationKind.PROJECT:
                previous = self.ev.narrative.get("deviation", "")
                if key == "other_issues":
                    self.ev.narrative["other_issues"] = text
                    return True
                title = {"conclusion": "评价结论", "problems": "存在问题", "remedies": "改进措施"}[key]
                self.ev.narrative["deviation"] = (previous + "\n" if previous else "") + f"{title}：{text}"
            else:
                self.ev.narrative[{"conclusion": "achievements"}.get(key, key)] = text
        return True

    @staticmethod
    def _num(text: str) -> Decimal | None:
        try:
            return parse_decimal(text)
        except ValueError:
            return None

    def _weights_sum(self) -> Decimal:
        total = sum((leaf.weight or 0) for leaf in self.leaves)
        return Decimal(total) + (self.ev.execution.weight if self.ev.execution else 0)

    # --- indicators -------------------------------------------------------------------------
    def _cell(self, cells, role) -> str:
        col = self.header.col(role)
        if col is None or col >= len(cells):
            return ""
        return cells[col].strip()

    def _checklist_row(self, cells) -> bool:
        """The rows of a checklist form (a 自评内容 column) that are no indicator; True when handled.

        The third header row (“名称 | 名称 | 名称”); a further record of the indicator above (its name
        cells empty: 自评内容 | 完成情况), joined to its 完成情况; the budget an indicator records as
        label | amount lines (“…资金合计(万元) 年度预算资金总额): | 1084.25”, “其中:中央补助 | 668.00”,
        breakdowns “…(万元)” / “年度预算资金总额: | 763.00”): the 总额 after the 合计 is the form's
        全年预算数 (reported), the breakdowns after it are no total."""
        keys = [vocab.key(c) for c in cells if c.strip()]
        if keys and all(k == "名称" for k in keys):
            return True
        if any(self._cell(cells, role) for role in ("level1", "level2", "name")):
            self.in_budget = self.total_pending = False
            return False
        record, actual = self._cell(cells, "record"), self._cell(cells, "actual")
        if not (record or actual) or not self.leaves:
            return False
        text = compact(record + actual)
        if self.in_budget or "预算资金总额" in text or "资金合计" in text:
            self.in_budget = True
            if "合计" in text:
                self.total_pending = True
            amount = actual if is_numberish(actual) else ""
            if not amount:
                m = re.search(r"(\d+(?:\.\d+)?)$", record.strip())
                amount = m.group(1) if m else ""
            if self.total_pending and "预算资金总额" in text and amount:
                self.total_pending = False
                if self.ev.budget.total.annual_budget is None:
                    fen = self.reader.amount(amount, "年度预算资金总额")
                    if fen is not None:
                        self.ev.budget.total.annual_budget = fen
                        self.reader.guess(f"全年预算数取自“{self.leaves[-1].name}”的记录（合计的年度预算资金总额 "
                                          f"{amount}），其后的分项不计入")
            return True
        if actual:
            leaf = self.leaves[-1]
            leaf.actual = f"{leaf.actual} {norm_value(actual)}".strip()
            self.any_actual = True
        return True

    def _indicator_row(self, cells, i):
        header = self.header
        ev = self.ev
        if header.col("record") is not None and self._checklist_row(cells):
            return
        if header.col("bands") is not None and not self.leaves and grading_bands(cells):
            self.bands = grading_bands(cells)   # the row naming the grading bands under 绩效标准
            return
        l1, l2 = self._cell(cells, "level1"), self._cell(cells, "level2")
        name_col = header.col("name")
        raw_name = self._cell(cells, "name")
        if name_col is None and l2 and not l1:
            raw_name = l2
            l2 = ""
        if l1 and not vocab.is_placeholder(l1):
            name, weight = group_label(compact(l1) if vocab.group_level(l1) else l1)
            if not (self.level1 is not None and self.level1.name == name):
                self.level1 = ev.add(Indicator(name=name, weight=weight))
                self.level2 = None
        if l2 and not vocab.is_placeholder(l2):
            name, weight = group_label(compact(l2) if vocab.group_level(l2) else l2)
            if not (self.level2 is not None and self.level2.name == name):
                self.level2 = Indicator(name=name, weight=weight)
                (self.level1.add(self.level2) if self.level1 is not None else ev.add(self.level2))
        sign = self._cell(cells, "nature")
        target = compose_target(sign, self._cell(cells, "target"), self._cell(cells, "unit"))
        adjusted = self._cell(cells, "adjusted_target")
        if adjusted and adjusted not in ("/", "—"):
            target = norm_value(adjusted)
            self.reader.guess("指标值取“调整指标值”一栏（年初指标值另有一栏）")
        actual = norm_value(self._cell(cells, "actual"))
        unit = self._cell(cells, "unit")
        if unit and re.fullmatch(r"[-+]?\d+(?:\.\d+)?", actual):
            # 度量单位 applies to 完成值 as to 指标值: “100” under 百分比 is 100%
            actual = compose_target("", actual, unit)
        weight_text, score_text = self._cell(cells, "weight"), self._cell(cells, "score")
        name = _LEAF_PREFIX_RE.sub("", tidy_name(raw_name)).strip()
        if vocab.is_placeholder(raw_name) or not name:
            if target or actual or weight_text or score_text:
                if not name and (weight_text or target):
                    name = ""
                else:
                    self.reader.skip(f"“{tidy_name(raw_name) or '（空）'}”一行", "占位行，不是指标")
                    return
            else:
                if raw_name.strip():
                    self.reader.skip(f"“{tidy_name(raw_name)}”一行", "占位行，不是指标")
                return
        if _BREAKDOWN_RE.match(name) and not is_numberish(weight_text) and not is_numberish(score_text):
            self.reader.skip(f"“{name[:20]}”一行", "分项说明（其中…），没有分值，不作为指标")
            return
        if vocab.group_level(name) and not (target or actual or weight_text or score_text):
            # a group label in the name column (a level-2 group on its own row)
            gname, gweight = group_label(compact(name))
            self.level2 = Indicator(name=gname, weight=gweight)
            (self.level1.add(self.level2) if self.level1 is not None else ev.add(self.level2))
            return
        repairs = []
        for field, value, other in (("target", target, actual), ("actual", actual, target)):
            fixed = repair_value(value, other, name)
            if fixed is not None:
                repairs.append((field, fixed[1]))
                if field == "target":
                    target = fixed[0]
                else:
                    actual = fixed[0]
        weight = self._weight(weight_text, name)
        leaf = Indicator(
            name=name, weight=weight, target=target, actual=actual,
            score_override=self.reader.number(score_text, f"“{name}”的得分") if score_text else None,
            rule_text="\n".join(t for t in (self._cell(cells, "explanation"), self._cell(cells, "rule"),
                                            self._bands_text(cells)) if t),
            deviation_note=self._cell(cells, "deviation"),
        )
        if leaf.score_override is not None:
            self.any_score = True
        if actual:
            self.any_actual = True
        parent = self.level2 or self.level1
        (parent.add(leaf) if parent is not None else ev.add(leaf))
        self.leaves.append(leaf)
        for field, reason in repairs:
            self.reader.unsure(reason, leaf, field)

    def _bands_text(self, cells) -> str:
        """The grading bands of a row (“优：600万；良：500万；中：300万；差：200万”), its scoring standard."""
        return "；".join(f"{band}：{cells[k].strip()}" for k, band in self.bands.items()
                        if k < len(cells) and cells[k].strip())

    def _weight(self, text: str, name: str) -> Decimal | None:
        t = compact(text)
        if not t:
            return None
        if t.endswith("%"):  # 权重 printed as a share of 100 (“20%”)
            value = self.reader.number(t[:-1], f"“{name}”的权重")
            if value is not None:
                self.reader.guess(f"“{name}”的权重“{t}”按百分制读作 {value} 分")
            return value
        return self.reader.number(t, f"“{name}”的分值")

    def finish(self):
        ev, out = self.ev, self.out
        if out.year is None and ev.name:
            m = re.match(r"^\s*((?:19|20)\d{2})\s*年", ev.name)
            if m:  # “2019年新型农业经营主体扶持项目”: a form without a 年度 line
                out.year = int(m.group(1))
        if out.year is None:
            self._year_from_deadlines()
        if self.header is not None:
            self._nest_by_points()
            self._groups_on_an_earlier_page()
            self._weights_from_groups()
            self._weights_from_scores()
        for leaf in self.leaves:
            apply_method(leaf, has_budget=True)
        if ev.kind is EvaluationKind.UNIT and not out.unit_name:
            out.unit_name = ev.project.implementer or ev.project.supervisor
        if ev.kind is EvaluationKind.UNIT:
            ev.name = out.unit_name
        elif not out.unit_name:
            out.unit_name = ev.project.implementer
        scored = self.any_score or ev.stated_total is not None
        if self.leaves and not scored and not self.any_actual:
            out.unscored = True
        elif self.leaves and not scored:
            out.unscored = True
        if out.unscored and ev.execution is not None and ev.execution.stated_score is None:
            pass
        if self.weight_total_row is not None and self.leaves:
            weights = self._weights_sum()
            if any(leaf.weight is not None for leaf in self.leaves) and weights != self.weight_total_row:
                self.reader.unsure(f"合计行的分值 {self.weight_total_row} 与各项分值之和 {weights} 不一致，"
                                   "请核对是否有指标未读到", None, "indicators")


__all__ = ["compose_target", "fund_header", "indicator_header", "norm_value", "read", "sub_header"]
