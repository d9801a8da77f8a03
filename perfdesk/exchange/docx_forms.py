"""The self-evaluation forms as Word tables with merged cells, one builder per layout.

The layout registry names each form's builder (``docx_form`` in
resources/layouts/*.json); a builder returns the XML of the form's paragraphs
and tables for ``perfdesk.exchange.docx_export``. Columns and merges follow the
printed forms (perfdesk.printing) and so the paper they copy. Scores are
``perfdesk.scoring``'s; a stated value that differs from the computed one is
given in a note under the table, and an impossible score (over its weight) is
marked, never printed as valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfdesk.drafts.facts import Facts
from perfdesk.drafts.facts import target_progress
from perfdesk.drafts.outline import FILLED_DATE_KEY
from perfdesk.exchange.docx_xml import FORM_PAGE, SIZE, Cell, Table, paragraph, rpr, table_gap
from perfdesk.model.amounts import format_wan
from perfdesk.model.document import SOURCE_LABELS, Amounts, Document, Evaluation, Indicator
from perfdesk.model.layouts import Layout
from perfdesk.model.values import compose_value, split_target
from perfdesk.printing.figures import Notes, grade_text, total_is_valid, total_text
from perfdesk.scoring import format_rate, format_score, ratio
from perfdesk.scoring.rules import rule_set_footer

RATE_TOLERANCE = Decimal("0.0005")  # 0.05 percentage points (SPEC §5 execution_rate_mismatch)


def H(text: str) -> Cell:
    return Cell(text, head=True)


def C(text: str | None) -> Cell:
    return Cell(text or "", align="center")


def R(text: str | None) -> Cell:
    return Cell(text or "", align="right")


def wan(fen: int | None, unit: bool = False) -> str:
    text = format_wan(fen)
    return f"{text} 万元" if unit and text else text


@dataclass
class Row:
    l1: Indicator | None
    l2: Indicator | None
    leaf: Indicator | None


def indicator_rows(ev: Evaluation) -> list[Row]:
    """The indicator table's rows: level-1 and level-2 cells merged down their leaves
    (as perfdesk.printing.indicators; empty level-2 groups keep a row of their own)."""
    rows: list[Row] = []
    for l1 in ev.indicators:
        if not l1.children:
            rows.append(Row(l1, None, None) if l1.weight is None and not l1.target else Row(None, None, l1))
            continue
        for child in l1.children:
            if not child.children:
                empty = child.weight is None and not child.target and not child.actual
                rows.append(Row(l1, child, None) if empty else Row(l1, None, child))
                continue
            for leaf in (n for n in child.walk() if not n.children and n is not child):
                rows.append(Row(l1, child, leaf))
    return rows


def runs(values: list, start: int) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] is values[i]:
            j += 1
        if values[i] is not None and j > i:
            out.append((start + i, start + j))
        i = j + 1
    return out


class Scores:
    """Scores of one evaluation as the forms print them, impossible ones marked."""

    def __init__(self, doc: Document, ev: Evaluation):
        self.facts = Facts(doc, ev)
        self.sc = self.facts.sc
        self.ev = ev
        self.invalid = {line.node.uid if line.node is not None else None for line in self.facts.invalid}
        # 总分 and 等级 as the printed form shows them (printing.figures): the stated figure, marked
        # ①… where the computed one differs or is no valid score, the note under the form saying why
        self.marks = Notes()
        self._total: str | None = None
        self._grade: str | None = None

    def leaf(self, node: Indicator) -> str:
        s = self.sc.of(node).score
        text = format_score(s)
        return f"{text}（超出分值）" if node.uid in self.invalid and text else text

    def weight(self, node: Indicator) -> str:
        return format_score(node.weight) if node.weight is not None else ""

    def group(self, node: Indicator | None, with_weight: bool = True, fmt: str = "{name}（{w}分）") -> str:
        """A group's label with the weight the paper states (else the sum of its children)."""
        if node is None:
            return ""
        if not with_weight or (not node.children and node.weight is None):
            return node.name
        w = node.weight if node.weight is not None else self.sc.of(node).weight
        return fmt.format(name=node.name, w=format_score(w))

    def execution(self) -> str:
        text = format_score(self.sc.execution_score)
        return f"{text}（超出分值）" if None in self.invalid and text else text

    @property
    def total_valid(self) -> bool:
        return self.facts.total_is_valid and total_is_valid(self.sc)

    def total(self) -> str:
        """The total as printed; blank on a form with nothing scored or stated (not an invented 0)."""
        if self._total is None:
            if not self.facts.has_scores and self.ev.stated_total is None:
                self._total = ""
            else:
                self._total = total_text(self.ev, self.sc, self.marks)
        return self._total

    def grade(self) -> str:
        if self._grade is None:
            if not self.facts.has_scores and not (self.ev.stated_grade or "").strip():
                self._grade = ""
            else:
                self._grade = grade_text(self.ev, self.sc, self.marks)
        return self._grade

    def notes(self, ev: Evaluation) -> list[str]:
        """Stated values beside computed ones, and impossible scores, as notes under the form."""
        out = []
        line = ev.execution
        rate = self.sc.execution_rate
        if line is not None and line.stated_rate is not None and rate is not None \
                and abs(line.stated_rate - rate) > RATE_TOLERANCE:
            out.append(f"执行率按全年执行数（B）÷全年预算数（A）计算为{format_rate(rate)}，"
                       f"原表填报为{format_rate(line.stated_rate)}。")
        if line is not None and line.stated_score is not None and self.sc.execution_computed is not None \
                and line.stated_score != self.sc.execution_computed:
            out.append(f"预算执行率得分按执行率计算为{format_score(self.sc.execution_computed)}分，"
                       f"表中为填报的{format_score(line.stated_score)}分。")
        for l in self.facts.invalid:
            out.append(f"“{l.name}”的得分{format_score(l.score)}分超出其分值{format_score(l.weight)}分，"
                       "总分和等级待更正后确定。")
        out += [f"{line}。" for line in self.marks.lines()]   # the marks of 总分 and 等级
        if not self.initial_column:
            out += adjusted_notes(ev)
        return out

    initial_column = False  # the form has a 年初指标值 column (then adjusted targets need no note)


def target_cell(leaf: Indicator | None) -> str:
    """The 指标值 of a form with one value column: composed with 指标性质 and 计量单位 (“≥98%”)."""
    return compose_value(leaf.comparison, leaf.target, leaf.unit) if leaf is not None else ""


def adjusted_notes(ev: Evaluation) -> list[str]:
    """A note for every target adjusted during the year: the form shows the 调整后指标值."""
    out = []
    for leaf in ev.leaves():
        initial, reason = leaf.initial_target.strip(), leaf.adjust_reason.strip()
        if not (initial or reason):
            continue
        parts = [f"“{leaf.name}”的指标值为调整后指标值"]
        if initial:
            parts.append(f"年初指标值{compose_value(leaf.comparison, initial, leaf.unit)}")
        if reason:
            parts.append(f"调整原因：{reason}")
        out.append("，".join(parts) + "。")
    return out


def layout_print(layout: Layout, key: str, default=None):
    """An option of the layout file's ``print`` block (the paper's title, 附件 marker …)."""
    return dict(getattr(layout, "print_options", None) or ()).get(key, default)


def with_year(text: str, year: int | None) -> str:
    if not text:
        return ""
    if year:
        return text.replace("{year}", str(year))
    for pattern in ("（{year}年度）", "{year}年度", "{year}年", "{year}"):
        text = text.replace(pattern, "")
    return text.strip()


def title(layout: Layout, doc: Document) -> list[str]:
    """附件 marker, title and subtitle as the paper form of the layout prints them."""
    out = []
    attachment = layout_print(layout, "attachment", "")
    if attachment:
        out.append(paragraph(attachment, "PDFormLine", rpr_xml=rpr("黑体", SIZE["三号"])))
    out.append(paragraph(with_year(layout_print(layout, "title", layout.title), doc.year), "PDFormTitle"))
    subtitle = with_year(layout_print(layout, "subtitle", "（{year}年度）"), doc.year)
    if subtitle:
        out.append(paragraph(subtitle, "PDFormLine", "center"))
    return out


def notes_xml(scores: Scores, ev: Evaluation) -> list[str]:
    """Notes under the form; the first stays with the table's last row, the last with the signature
    (short chains: a long block kept together would leave half a page empty)."""
    notes = scores.notes(ev)
    out = [paragraph(f"注：{n}", "PDNote", extra_ppr="<w:keepNext/>" if i in (0, len(notes) - 1) else "")
           for i, n in enumerate(notes)]
    return out + [paragraph(rule_set_footer(ev), "PDNote", extra_ppr="<w:keepNext/>")]  # 评价规则：…


def filled_date(ev: Evaluation | None) -> str:
    """The 填报日期 stated on an imported form, else room to write it by hand."""
    stated = (ev.narrative.get(FILLED_DATE_KEY, "") if ev is not None else "").strip()
    return stated or "　　　年　　月　　日"


def signature(doc: Document, signatories: dict | None, width: float, ev: Evaluation | None = None) -> str:
    sig = signatories or {}
    unit = doc.unit

    def who(key: str) -> str:
        return (sig.get(key) or getattr(unit, key, "")) or ""

    t = Table([width * 0.36, width * 0.26, width * 0.38], borders=False, keep_rows=True, small=False, keep_last=2)
    t.add([f"单位负责人（签章）：{who('leader')}", f"财务负责人：{who('finance_leader')}", f"填表人：{who('preparer')}"])
    t.add([f"联系电话：{who('phone')}", "", f"填报日期：{filled_date(ev)}"])
    t.span(0, 1, 1, 1)
    return paragraph("", "PDSignLine") + t.xml()


def _widths(fractions: list[float]) -> list[float]:
    width = FORM_PAGE.text_width
    return [width * f for f in fractions]


# ---------------------------------------------------------------- layout A (江苏)

JIANGSU_FRACTIONS = [0.085, 0.105, 0.175, 0.105, 0.065, 0.225, 0.12, 0.12]
JIANGSU_NO_RULES = [0.09, 0.115, 0.27, 0.125, 0.07, 0.08, 0.13, 0.12]


def jiangsu_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories=None) -> list[str]:
    has_rules = any(leaf.rule_text.strip() for leaf in ev.leaves())
    widths = _widths(JIANGSU_FRACTIONS if has_rules else JIANGSU_NO_RULES)
    scores = Scores(doc, ev)
    unit, b = doc.unit, ev.budget
    out = title(layout, doc)

    t = Table(widths)
    for label, text in (("单位名称", ev.name or unit.name), ("主要职能", unit.functions),
                        ("机构设置及人员配置", unit.organisation)):
        r = t.add([H(label), "", text, "", "", "", "", ""])
        t.span(0, r, 1, r)
        t.span(2, r, 7, r)
    first = t.add([H("预算安排及支出情况"), H("项目"), "", "", H("全年预算数"), "", H("实际支出数"), ""])
    lines = [("资金总额", b.total), ("基本支出", b.basic), ("项目支出", b.project)]
    for i, line in enumerate(b.project_lines, start=1):
        lines.append((f"{'其中：' if i == 1 else ''}项目 {i}：{line.name}", line.amounts))
    for label, amounts in lines:
        t.add(["", label, "", "", R(wan(amounts.annual_budget, True)), "", R(wan(amounts.spent, True)), ""])
    last = len(t.rows) - 1
    for r in range(first, last + 1):
        t.span(1, r, 3, r)
        t.span(4, r, 5, r)
        t.span(6, r, 7, r)
    t.merge_down(0, first, last)
    out.append(t.xml())
    out.append(table_gap())

    t = Table(widths, header_rows=1, keep_last=1)
    t.add([H(x) for x in ("一级指标", "二级指标", "三级指标", "全年指标值", "分值", "评价要点及评分规则",
                          "实际完成值", "得分")])
    irows = indicator_rows(ev)
    for row in irows:
        leaf = row.leaf
        t.add([C(scores.group(row.l1, fmt="{name}({w})")), C(scores.group(row.l2, fmt="{name}({w})")),
               leaf.name if leaf else "", C(target_cell(leaf)), R(scores.weight(leaf) if leaf else ""),
               leaf.rule_text if leaf else "", C(leaf.actual if leaf else ""), R(scores.leaf(leaf) if leaf else "")])
    for a, z in runs([r.l1 for r in irows], 1):
        t.merge_down(0, a, z)
    for a, z in runs([r.l2 for r in irows], 1):
        t.merge_down(1, a, z)
    r = t.add([H("合计"), "", "", "", R(format_score(scores.sc.weight_total)), "", "", R(scores.total())])
    t.span(0, r, 3, r)
    t.span(5, r, 6, r)
    r = t.add([H("绩效等级"), "", C(scores.grade()), "", "", "", "", ""])
    t.span(0, r, 1, r)
    t.span(2, r, 7, r)
    for key, label in (("achievements", "主要成效"), ("problems", "存在问题"), ("remedies", "整改举措")):
        r = t.add([H(label), "", ev.narrative.get(key, ""), "", "", "", "", ""])
        t.span(0, r, 1, r)
        t.span(2, r, 7, r)
    out.append(t.xml())
    out += notes_xml(scores, ev)
    out.append(signature(doc, signatories, FORM_PAGE.text_width, ev))
    return out


# ---------------------------------------------------------------- layout B and 财政部 project form

MOF_FRACTIONS = [0.07, 0.09, 0.09, 0.15, 0.095, 0.095, 0.055, 0.10, 0.255]


def _execution_cells(ev: Evaluation, scores: Scores) -> list[Cell]:
    line = ev.execution
    if line is None:
        return [Cell(), Cell(), Cell()]
    return [R(format_score(line.weight)), R(format_rate(scores.sc.execution_rate)), R(scores.execution())]


def _goals(t: Table, ev: Evaluation, label: str = "年度总体目标") -> None:
    r = t.add([H(label), H("预期目标"), "", "", "", H("实际完成情况"), "", "", ""])
    t.add(["", ev.goals.expected, "", "", "", ev.goals.achieved, "", "", ""])
    t.merge_down(0, r, r + 1)
    for row in (r, r + 1):
        t.span(1, row, 4, row)
        t.span(5, row, 8, row)


def _mof_indicators(t: Table, ev: Evaluation, scores: Scores) -> None:
    head = t.add([H("绩效指标"), *[H(x) for x in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                              "分值", "得分", "偏差原因分析及改进措施")]])
    irows = indicator_rows(ev)
    start = len(t.rows)
    for row in irows:
        leaf = row.leaf
        t.add(["", C(scores.group(row.l1)), C(scores.group(row.l2, with_weight=False)), leaf.name if leaf else "",
               C(target_cell(leaf)), C(leaf.actual if leaf else ""),
               R(scores.weight(leaf) if leaf else ""), R(scores.leaf(leaf) if leaf else ""),
               leaf.deviation_note if leaf else ""])
    for a, z in runs([r.l1 for r in irows], start):
        t.merge_down(1, a, z)
    for a, z in runs([r.l2 for r in irows], start):
        t.merge_down(2, a, z)
    t.merge_down(0, head, len(t.rows) - 1)


def _mof_total(t: Table, scores: Scores, grade: bool = True) -> None:
    r = t.add([H("总分"), "", "", "", "", "", R(format_score(scores.sc.weight_total)), R(scores.total()),
               C(f"绩效等级：{scores.grade()}" if grade else "")])
    t.span(0, r, 5, r)


def amounts_summary(amounts: Amounts | None) -> str:
    if amounts is None or amounts.is_empty():
        return ""
    items = [(label, getattr(amounts, key)) for label, key in
             (("年初预算数", "initial_budget"), ("全年预算数", "annual_budget"), ("全年执行数", "spent"))
             if getattr(amounts, key) is not None]
    if len({v for _, v in items}) == 1:
        return wan(items[0][1], True)
    return "，".join(f"{label}{wan(v, True)}" for label, v in items)


def mof_unit_form(doc: Document, ev: Evaluation, layout: Layout, signatories=None) -> list[str]:
    widths = _widths(MOF_FRACTIONS)
    scores = Scores(doc, ev)
    b = ev.budget
    out = title(layout, doc)
    t = Table(widths)
    r = t.add([H("预算单位名称"), "", ev.name or doc.unit.name, "", "", "", "", "", ""])
    t.span(0, r, 1, r)
    t.span(2, r, 8, r)
    first = t.add([H("年度预算申请（万元）"), "", "", H("年初预算数"), H("全年预算数"), H("全年执行数"), H("分值"),
                   H("执行率"), H("得分")])
    tot = b.total
    t.add(["", "年度资金总额", "", R(wan(tot.initial_budget)), R(wan(tot.annual_budget)), R(wan(tot.spent)),
           *_execution_cells(ev, scores)])
    t.add(["", "按收入性质分：", "", "", "", "按支出性质分：", "", "", ""])
    left = []
    for key in ("appropriation", "general_budget", "government_funds", "non_tax_revenue",
                "superior_funds", "carried_over", "other_funds"):
        amounts = b.sources.get(key)
        always = key in ("general_budget", "government_funds", "non_tax_revenue", "other_funds")
        if always or (amounts is not None and not amounts.is_empty()):
            left.append(f"{'其中：' if not left else ''}{SOURCE_LABELS[key]}：{amounts_summary(amounts)}")
    right = [f"其中：基本支出：{amounts_summary(b.basic)}", f"项目支出：{amounts_summary(b.project)}"]
    for i in range(max(len(left), len(right))):
        t.add(["", left[i] if i < len(left) else "", "", "", "", right[i] if i < len(right) else "", "", "", ""])
    last = len(t.rows) - 1
    t.span(1, first, 2, first)
    t.span(1, first + 1, 2, first + 1)
    for row in range(first + 2, last + 1):
        t.span(1, row, 4, row)
        t.span(5, row, 8, row)
    t.merge_down(0, first, last)
    _goals(t, ev)
    out.append(t.xml())
    out.append(table_gap())
    t = Table(widths, header_rows=1, keep_last=1)
    _mof_indicators(t, ev, scores)
    _mof_total(t, scores, layout_print(layout, "grade", True))
    out.append(t.xml())
    out += notes_xml(scores, ev)
    out.append(signature(doc, signatories, FORM_PAGE.text_width, ev))
    return out


def mof_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories=None) -> list[str]:
    widths = _widths(MOF_FRACTIONS)
    scores = Scores(doc, ev)
    b, info = ev.budget, ev.project
    out = title(layout, doc)
    t = Table(widths)
    r = t.add([H("项目名称"), "", ev.name, "", "", "", "", "", ""])
    t.span(0, r, 1, r)
    t.span(2, r, 8, r)
    r = t.add([H("主管部门"), "", info.supervisor or doc.unit.supervisor, "", "", H("实施单位"), "",
               info.implementer or doc.unit.name, ""])
    t.span(0, r, 1, r)
    t.span(2, r, 4, r)
    t.span(5, r, 6, r)
    t.span(7, r, 8, r)
    first = t.add([H("项目资金（万元）"), "", "", H("年初预算数"), H("全年预算数（A）"), H("全年执行数（B）"),
                   H("分值"), H("执行率（B/A）"), H("得分")])
    tot = b.total
    t.add(["", "年度资金总额", "", R(wan(tot.initial_budget)), R(wan(tot.annual_budget)), R(wan(tot.spent)),
           *_execution_cells(ev, scores)])
    for key, label in (("appropriation", "其中：本年财政拨款"), ("carried_over", "上年结转资金"),
                       ("other_funds", "其他资金")):
        a = b.sources.get(key)
        t.add(["", label, "", R(wan(a.initial_budget) if a else ""), R(wan(a.annual_budget) if a else ""),
               R(wan(a.spent) if a else ""), "", "", ""])
    last = len(t.rows) - 1
    for row in range(first, last + 1):
        t.span(1, row, 2, row)
    t.merge_down(0, first, last)
    _goals(t, ev)
    out.append(t.xml())
    out.append(table_gap())
    t = Table(widths, header_rows=1, keep_last=1)
    _mof_indicators(t, ev, scores)
    _mof_total(t, scores, layout_print(layout, "grade", True))
    out.append(t.xml())
    out += notes_xml(scores, ev)
    out.append(signature(doc, signatories, FORM_PAGE.text_width, ev))
    return out


# ---------------------------------------------------------------- 晋中

JINZHONG_FRACTIONS = [0.15, 0.16, 0.24, 0.16, 0.16, 0.13]


def jinzhong_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories=None) -> list[str]:
    widths = _widths(JINZHONG_FRACTIONS)
    scores = Scores(doc, ev)
    b, info, unit = ev.budget, ev.project, doc.unit
    sig = signatories or {}
    out = title(layout, doc)
    out.append(paragraph(f"填报单位（公章）：{unit.name}", "PDFormLine"))
    t = Table(widths)

    def text_row(label: str, text: str) -> None:
        r = t.add([H(label), text, "", "", "", ""])
        t.span(1, r, 5, r)

    text_row("项目名称", ev.name)
    supervisor = " ".join(x for x in (info.supervisor or unit.supervisor, info.supervisor_code) if x)
    for a, b_ in ((("主管部门及代码", supervisor), ("实施单位", info.implementer or unit.name)),
                  (("项目属性", info.attribute), ("项目期", info.period))):
        r = t.add([H(a[0]), a[1], "", H(b_[0]), b_[1], ""])
        t.span(1, r, 2, r)
        t.span(4, r, 5, r)

    def src(key: str, attr: str) -> str:
        a = b.sources.get(key)
        return wan(getattr(a, attr)) if a is not None else ""

    money = [
        ("预算资金", "市级预算资金", src("appropriation", "initial_budget") or wan(b.total.initial_budget)),
        ("预算资金", "其他", src("other_funds", "initial_budget")),
        ("预算下达资金", "", wan(b.total.annual_budget)),
        ("实际支出资金", "市级预算资金", src("appropriation", "spent") or wan(b.total.spent)),
        ("实际支出资金", "上年结转资金", src("carried_over", "spent")),
        ("实际支出资金", "上级财政资金", src("superior_funds", "spent")),
        ("实际支出资金", "其他", src("other_funds", "spent")),
    ]
    first = len(t.rows)
    for group, label, amount in money:
        r = t.add(["", C(group), C(label), "", R(amount), ""])
        if label:
            t.span(2, r, 3, r)
        else:
            t.span(1, r, 3, r)
        t.span(4, r, 5, r)
    t.rows[first][0] = H("项目资金情况（万元）")
    t.merge_down(0, first, len(t.rows) - 1)
    i = 0
    while i < len(money):
        j = i
        while j + 1 < len(money) and money[j + 1][0] == money[i][0] and money[j + 1][1]:
            j += 1
        if money[i][1] and j > i:
            t.merge_down(1, first + i, first + j)
        i = j + 1
    for key, label in (("overview", "项目概况"), ("fund_usage", "项目资金使用情况"),
                       ("organisation", "项目组织实施情况")):
        text_row(label, ev.narrative.get(key, ""))
    out.append(t.xml())
    out.append(table_gap())

    t = Table(widths, header_rows=1)
    t.add([H("绩效目标实现情况"), H("绩效指标（二级）"), H("绩效指标（三级）"), H("目标值"), H("实际完成指标值"),
           H("完成进度")])
    for row in ev.target_rows:
        t.add([C(row.level1), C(row.level2), row.name, C(row.target), C(row.actual),
               R(format_rate(target_progress(row)))])
    for col, keyf in ((0, lambda tr: tr.level1 or None), (1, lambda tr: (tr.level1, tr.level2) if tr.level2 else None)):
        values = [keyf(tr) for tr in ev.target_rows]
        i = 0
        while i < len(values):
            j = i
            while j + 1 < len(values) and values[j + 1] == values[i]:
                j += 1
            if values[i] is not None and j > i:
                t.merge_down(col, 1 + i, 1 + j)
            i = j + 1
    out.append(t.xml())
    out.append(table_gap())

    t = Table(widths)
    for key, label in (("performance", "项目绩效情况"), ("other_issues", "其他需说明的问题")):
        text_row(label, ev.narrative.get(key, ""))
    out.append(t.xml())
    out.append(table_gap())

    t = Table(widths, header_rows=1)
    t.add([H("评分表"), H("二级指标"), H("三级指标"), "", H("指标分值"), H("评价得分")])
    t.span(2, 0, 3, 0)
    sc = scores.sc
    scored = scores.facts.has_scores

    def two(v, score: bool = False) -> str:  # 晋中 forms: 19.80; sums blank while nothing is scored
        return "" if v is None or (score and not scored) else f"{v.quantize(Decimal('0.01'))}"
    for l1 in ev.indicators:
        r = t.add(["", f"{l1.name}：", "", "", R(two(sc.of(l1).weight)), R(two(sc.of(l1).score, True))])
        t.span(1, r, 3, r)
        for l2 in l1.children:
            leaves = [n for n in l2.walk() if not n.children] if l2.children else [l2]
            start = len(t.rows)
            for leaf in leaves:
                mark = "（超出分值）" if leaf.uid in scores.invalid else ""
                r = t.add(["", C(l2.name if leaf is not l2 else ""), leaf.name, "", R(two(sc.of(leaf).weight)),
                           R(two(sc.of(leaf).score) + mark)])
                t.span(2, r, 3, r)
            if len(t.rows) - 1 > start:
                t.merge_down(1, start, len(t.rows) - 1)
    total = two(sc.total, True)
    r = t.add(["", "综合得分：", "", "", R(two(sc.weight_total)),
               R(total + ("" if scores.total_valid or not total else "（有误）"))])
    t.span(1, r, 3, r)
    t.merge_down(0, 1, r)
    r = t.add([H("评价结果等次"), C(scores.grade()), "", "", "", ""])
    t.span(1, r, 5, r)
    first = t.add([H("评价人员"), H("姓名"), H("职称/职务"), H("科室"), "", H("联系电话")])
    t.span(3, first, 4, first)
    for person in ev.evaluators or [None]:
        r = t.add(["", C(person.name if person else ""), C(person.title if person else ""),
                   C(person.department if person else ""), "", C(person.phone if person else "")])
        t.span(3, r, 4, r)
    t.merge_down(0, first, len(t.rows) - 1)
    leader = sig.get("leader") or unit.leader
    preparer = sig.get("preparer") or unit.preparer
    phone = sig.get("phone") or unit.phone
    r = t.add([f"负责人：{leader}", "", f"经办人：{preparer}", f"联系电话：{phone}", f"填报日期：{filled_date(ev)}", ""])
    t.span(0, r, 1, r)
    t.span(4, r, 5, r)
    r = t.add(["单位负责人（签章）：", "", "", "", "年　　月　　日", ""])
    t.span(0, r, 3, r)
    t.span(4, r, 5, r)
    out.append(t.xml())
    out += notes_xml(scores, ev)
    return out


# ---------------------------------------------------------------- 四川 (报表编号 510000_0013zp)

# label, row label, 年初预算, 调整后预算数, 预算执行数, 预算执行率, 权重, 得分, 原因 (as printed)
SICHUAN_TOP = [0.1, 0.16, 0.1, 0.11, 0.1, 0.09, 0.06, 0.06, 0.22]
# 绩效指标 label, 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析
SICHUAN_INDICATORS = [0.06, 0.065, 0.075, 0.15, 0.05, 0.08, 0.06, 0.085, 0.05, 0.06, 0.265]
# … with 年初指标值 beside the 调整后指标值 (a layout with ``columns.initial_target``)
SICHUAN_ADJUSTED = [0.06, 0.065, 0.075, 0.13, 0.05, 0.075, 0.075, 0.055, 0.08, 0.05, 0.06, 0.225]
SICHUAN_TEXTS = (("conclusion", "评价结论"), ("problems", "存在问题"), ("improvements", "改进措施"))


def _in_unit(text: str, unit: str) -> str:
    """A value without its unit when the 度量单位 column gives it (and no comparison of its own)."""
    text = text.strip()
    comparison, value, own_unit = split_target(text)
    return value if unit and own_unit == unit and not comparison else text


def sichuan_values(leaf: Indicator) -> tuple[str, str, str, str, str]:
    """(指标性质, 年初指标值, 指标值, 度量单位, 完成值) of the 四川 form — the fields, else split from the
    target text (as perfdesk.printing.forms_sichuan prints them)."""
    comparison, value, unit = split_target(leaf.target)
    comparison, unit = leaf.comparison or comparison, leaf.unit or unit
    return comparison, _in_unit(leaf.initial_target, unit), value, unit, _in_unit(leaf.actual, unit)


def sichuan_project_form(doc: Document, ev: Evaluation, layout: Layout, signatories=None) -> list[str]:
    scores = Scores(doc, ev)
    initial_column = layout.has_initial_target_column
    scores.initial_column = initial_column
    sc, b, info, line = scores.sc, ev.budget, ev.project, ev.execution
    out = title(layout, doc)
    t = Table(_widths(SICHUAN_TOP))
    r = t.add([H("项目名称"), ev.name, "", "", "", "", "", "", ""])
    t.span(1, r, 8, r)
    r = t.add([H("主管部门"), info.supervisor or doc.unit.supervisor, "", "", H("实施单位"),
               info.implementer or doc.unit.name, "", "", ""])
    t.span(1, r, 3, r)
    t.span(5, r, 8, r)
    r = t.add([H("项目基本情况"), "1.项目年度目标完成情况", H("项目年度目标"), "", "", "", H("年度目标完成情况"), "", ""])
    t.add(["", "", ev.goals.expected, "", "", "", ev.goals.achieved, "", ""])
    t.add(["", "2.项目实施内容及过程概述", ev.narrative.get("overview", ""), "", "", "", "", "", ""])
    for c0, c1 in ((2, 5), (6, 8)):
        t.span(c0, r, c1, r)
        t.span(c0, r + 1, c1, r + 1)
    t.span(1, r, 1, r + 1)
    t.span(2, r + 2, 8, r + 2)
    t.merge_down(0, r, r + 2)
    weight = line.weight if line is not None else None
    first = t.add([H(f"预算执行情况（{format_score(weight)}分）" if weight is not None else "预算执行情况"),
                   H("年度预算数（万元）"), H("年初预算"), H("调整后预算数"), H("预算执行数"), H("预算执行率"),
                   H("权重"), H("得分"), H("原因")])
    tot = b.total
    t.add(["", "总额", R(wan(tot.initial_budget)), R(wan(tot.annual_budget)), R(wan(tot.spent)),
           R(format_rate(sc.execution_rate)), R(format_score(weight)), R(scores.execution()),
           ev.narrative.get("execution_reason", "")])
    for i, key in enumerate(layout.funding_rows):
        a = b.sources.get(key)
        t.add(["", ("其中：" if i == 0 else "") + SOURCE_LABELS[key], R(wan(a.initial_budget) if a else ""),
               R(wan(a.annual_budget) if a else ""), R(wan(a.spent) if a else ""),
               R(format_rate(ratio(a.spent, a.annual_budget)) if a else ""), C("/"), C("/"), ""])
    last = len(t.rows) - 1
    t.merge_down(0, first, last)
    t.merge_down(8, first + 1, last)
    out.append(t.xml())
    out.append(table_gap())

    widths = _widths(SICHUAN_ADJUSTED if initial_column else SICHUAN_INDICATORS)
    n = len(widths)
    t = Table(widths, header_rows=1, keep_last=1 + len(SICHUAN_TEXTS))
    values_head = ("年初指标值", "调整后指标值") if initial_column else ("指标值",)
    head = t.add([H(f"绩效指标（{format_score(sc.indicator_weight)}分）"), *[H(x) for x in (
        "一级指标", "二级指标", "三级指标", "指标性质", *values_head, "度量单位", "完成值", "权重", "得分",
        "未完成原因分析")]])
    irows = indicator_rows(ev)
    start = len(t.rows)
    for row in irows:
        leaf = row.leaf
        if leaf is None:
            cells = [""] * (n - 3)
        else:
            comparison, initial, value, unit, actual = sichuan_values(leaf)
            values = [C(initial), C(value)] if initial_column else [C(value)]
            cells = [leaf.name, C(comparison), *values, C(unit), C(actual), R(scores.weight(leaf)),
                     R(scores.leaf(leaf)), leaf.deviation_note]
        t.add(["", C(scores.group(row.l1, fmt="{name}\n（{w}分）")), C(scores.group(row.l2, with_weight=False)),
               *cells])
    for a, z in runs([r.l1 for r in irows], start):
        t.merge_down(1, a, z)
    for a, z in runs([r.l2 for r in irows], start):
        t.merge_down(2, a, z)
    t.merge_down(0, head, len(t.rows) - 1)
    r = t.add([H("合计")] + [""] * (n - 4) + [R(format_score(sc.weight_total)), R(scores.total()),
                                              C(f"绩效等级：{scores.grade()}")])
    t.span(0, r, n - 4, r)
    for key, label in SICHUAN_TEXTS:
        r = t.add([H(label), "", "", ev.narrative.get(key, "")] + [""] * (n - 4))
        t.span(0, r, 2, r)
        t.span(3, r, n - 1, r)
    out.append(t.xml())
    out += notes_xml(scores, ev)
    out.append(signature(doc, signatories, FORM_PAGE.text_width, ev))
    return out


__all__ = ["adjusted_notes", "jiangsu_unit_form", "jinzhong_project_form", "mof_project_form", "mof_unit_form",
           "sichuan_project_form", "sichuan_values", "target_cell"]
