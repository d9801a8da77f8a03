"""财政部 project forms generated from a seed, for reading back in every text shape.

Each form is what an officer's 项目支出绩效自评表 holds — a name, the funds row with its rate and
execution score, the 年度总体目标, an indicator tree of real indicator names (产出/效益/满意度 with
their usual level-2 groups) whose weights add up to 90, targets with and without signs and units
(人次, 元/人, %, dates, words), actuals, scores and a reason where points were lost — and its rows
are written as a web copy gives them: a label merged over several rows printed once, empty cells
dropped (``web_rows``). ``render`` writes those rows in one of the plain-text shapes.

Three layouts (``LAYOUTS``), each as published: the 财政部 form (财预〔2021〕101号 附件: 年度指标值 with
its sign, 实际完成值, 分值, 得分); the 四川 部门预算项目支出绩效自评表 (预算执行情况(10分) with 年初预算 /
调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分, 绩效指标(90分) with 指标性质 | 指标值 | 度量单位 |
完成值 | 权重 | 得分 | 未完成原因分析, ending in 合计 and 评价结论 — as the corpus forms sichuan-daying-*);
and the 安徽 绩效目标自评表 (资金情况 全年预算数(A) / 全年执行数(B) / 分值 / 执行率(B/A) / 得分, 分值 BEFORE
年度指标值, group points in the 一级 labels — as anhui-suixi/anhui-xiaoxian); and the 财政部 部门整体支出
绩效自评表 (部门(单位)名称, 预算资金 with 年度资金总额 / 其中:当年财政拨款, as anhui-jinzhai-unit and seed 002).
The 云南 form with two header rows (绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 over 一级 | 二级 | 三级 |
指标性质 | 指标值 | 度量单位) and its amounts in 元 (项目资金 (元), as yunnan-yongde) is the fifth.
Some forms number their indicators “指标1:” as printed templates do (the prefix is no part of the name).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

NAMES = {
    ("产出指标", "数量指标"): ["培训人数", "发放补助人数", "新建道路里程", "改造农村户厕数量", "资助学生人次", "采购设备数量",
                          "举办宣传活动场次", "救助困难群众人数"],
    ("产出指标", "质量指标"): ["培训合格率", "验收合格率", "资金发放准确率", "设备完好率", "档案规范率"],
    ("产出指标", "时效指标"): ["资金发放及时率", "项目完工时限", "补助按时拨付率"],
    ("产出指标", "成本指标"): ["人均补助标准", "项目成本控制率", "生均补助标准"],
    ("效益指标", "社会效益指标"): ["群众知晓率", "受益人口数量", "政策覆盖率", "困难群众生活改善"],
    ("效益指标", "经济效益指标"): ["带动农户增收", "减轻群众负担"],
    ("效益指标", "可持续影响指标"): ["长效管理机制健全性", "持续发挥作用年限"],
    ("满意度指标", "服务对象满意度指标"): ["服务对象满意度", "受益群众满意度", "学生家长满意度"],
}
UNITS = ["人", "人次", "公里", "户", "台", "场", "个", "万元", "元/人"]
REASONS = ["受疫情影响，部分活动未开展", "资金到位较晚"]
SHAPES = ("pipe-rows", "pipe-cells", "cell-per-line", "blank-lines", "single-spaces", "run-together")
LAYOUTS = ("mof", "sichuan", "anhui", "unit-mof", "two-headers")


@dataclass
class Row:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    reason: str = ""


@dataclass
class Form:
    name: str
    unit: str
    year: int
    budget: Decimal
    spent: Decimal
    rate: str
    execution_score: Decimal
    rows: list[Row] = field(default_factory=list)
    layout: str = "mof"
    numbered: bool = False   # names printed as “指标1:培训人数”


def _values(rng: random.Random, name: str) -> tuple[str, str]:
    if name.endswith(("率", "满意度")):
        target = rng.choice([90, 95, 98, 100])
        actual = rng.choice([target, 100, target - rng.randint(1, 5)]) if target < 100 else rng.choice([100, 98])
        return f"{rng.choice(['≥', '=', ''])}{target}%", f"{actual}%"
    if name.endswith("时限"):
        return "2023年12月", rng.choice(["2023年10月", "2023年12月"])
    if name.endswith(("健全性", "改善", "负担")):
        word = rng.choice(["健全", "有效", "明显", "逐步改善"])
        return word, word
    unit = rng.choice(UNITS)
    target = rng.choice([5, 12, 100, 120, 300, 1500, 2089])
    return f"{rng.choice(['≥', '', '≤'])}{target}{unit}", f"{target + rng.choice([0, 0, 3, -2, 20])}{unit}"


def generate(seed: int, reasons: bool = True, layout: str = "mof") -> Form:
    rng = random.Random(seed)
    chosen = []
    for group, names in NAMES.items():
        if group[0] == "满意度指标" or rng.random() < 0.7:
            chosen += [(group, n) for n in rng.sample(names, rng.randint(1, min(2, len(names))))]
    weights = [90 // len(chosen)] * len(chosen)
    weights[-1] += 90 - sum(weights)
    budget = Decimal(rng.choice(["30", "100", "207.45", "3359.62", "808.1"]))
    spent = (budget * Decimal(rng.choice(["1", "0.95", "0.8575"]))).quantize(Decimal("0.01"))
    form = Form(name=rng.choice(["职业技能培训项目", "城乡医疗救助补助资金", "农村公路养护项目", "学生营养改善计划"]) + str(seed),
                unit=rng.choice(["某某县人力资源和社会保障局", "某某镇人民政府", "某某县教育体育局"]),
                year=rng.choice([2021, 2022, 2023]), budget=budget, spent=spent,
                rate=f"{spent / budget * 100:.2f}%", execution_score=(10 * spent / budget).quantize(Decimal("0.01")),
                layout=layout, numbered=rng.random() < 0.3)
    for ((level1, level2), name), weight in zip(chosen, weights):
        target, actual = _values(rng, name)
        score = Decimal(weight) if rng.random() < 0.7 else Decimal(weight) - Decimal(rng.choice(["1", "2", "0.5"]))
        reason = rng.choice(REASONS + [""]) if reasons and score < weight else ""
        form.rows.append(Row(level1, level2, name, target, actual, Decimal(weight), score, reason))
    return form


def _figure(value: Decimal) -> str:
    return format(value.normalize(), "f")


_SIGNED = re.compile(r"^(?P<sign>[≥≤=]?)(?P<value>\d+(?:\.\d+)?)(?P<unit>.*)$")


def _nature(target: str) -> tuple[str, str, str]:
    """指标性质, 指标值, 度量单位 of a target, as the 四川 form splits it."""
    if "年" in target:   # a date
        return "=", target, ""
    m = _SIGNED.match(target)
    if m is None:   # a word
        return "定性", target, ""
    return m.group("sign") or "=", m.group("value"), m.group("unit")


def _printed(form: Form, row: Row) -> str:
    return f"指标{form.rows.index(row) + 1}:{row.name}" if form.numbered else row.name


def web_rows(form: Form) -> list[list[str]]:
    if form.layout == "unit-mof":
        return _unit_rows(form)
    if form.layout == "two-headers":
        return _two_header_rows(form)
    if form.layout == "sichuan":
        return _sichuan_rows(form)
    if form.layout == "anhui":
        return _anhui_rows(form)
    rows = [[f"项目支出绩效自评表({form.year}年度)"], ["项目名称", form.name],
            ["主管部门", form.unit, "实施单位", form.unit],
            ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", _figure(form.budget), _figure(form.budget), _figure(form.spent), "10", form.rate,
             _figure(form.execution_score)],
            ["其中:当年财政拨款", _figure(form.budget), _figure(form.budget), _figure(form.spent), "—", form.rate, "—"],
            ["年度总体目标", "预期目标", "实际完成情况"], ["完成年度各项工作任务", "已完成"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]]
    last = ("", "")
    for row in form.rows:
        cells = []
        if row.level1 != last[0]:
            cells.append(row.level1)
        if (row.level1, row.level2) != last:
            cells.append(row.level2)
        last = (row.level1, row.level2)
        cells += [_printed(form, row), row.target, row.actual, _figure(row.weight), _figure(row.score)] + \
            ([row.reason] if row.reason else [])
        rows.append(cells)
    total = sum((r.score for r in form.rows), form.execution_score)
    rows.append(["总分", "100", _figure(total)])
    return rows


def _group_cells(row: Row, last: tuple[str, str], points: dict[str, Decimal] | None = None) -> list[str]:
    cells = []
    if row.level1 != last[0]:
        cells.append(row.level1 + (f"({_figure(points[row.level1])}分)" if points else ""))
    if (row.level1, row.level2) != last:
        cells.append(row.level2)
    return cells


def _sichuan_rows(form: Form) -> list[list[str]]:
    rows = [[f"部门预算项目支出绩效自评表({form.year}年度)"], ["项目名称", form.name],
            ["主管部门", form.unit, "实施单位", form.unit],
            ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
            ["总额", _figure(form.budget), _figure(form.budget), _figure(form.spent), form.rate, "10",
             _figure(form.execution_score)],
            ["其中:财政资金", _figure(form.budget), _figure(form.budget), _figure(form.spent), form.rate, "/", "/"],
            ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
             "未完成原因分析"]]
    last = ("", "")
    for row in form.rows:
        cells = _group_cells(row, last)
        last = (row.level1, row.level2)
        sign, value, unit = _nature(row.target)
        cells += [_printed(form, row), sign, value] + ([unit] if unit else []) + [row.actual, _figure(row.weight), _figure(row.score)]
        rows.append(cells + ([row.reason] if row.reason else []))
    total = sum((r.score for r in form.rows), form.execution_score)
    rows += [["合计", "100", _figure(total)], ["评价结论", "完成了年度绩效目标"], ["存在问题", "无"], ["改进措施", "无"]]
    return rows


def _anhui_rows(form: Form) -> list[list[str]]:
    rows = [[f"绩效目标自评表 ({form.year}年度)"], ["项目名称", form.name], ["主管部门", form.unit],
            ["资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
            ["年度资金总额:", _figure(form.budget), _figure(form.spent), "10", form.rate, _figure(form.execution_score)],
            ["其中:本年财政拨款", _figure(form.budget), _figure(form.spent), "10", form.rate, _figure(form.execution_score)],
            ["年度总体目标", "年初设定目标", "年度总体目标完成情况综述"], ["完成年度各项工作任务", "已完成"],
            ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"]]
    points: dict[str, Decimal] = {}
    for row in form.rows:
        points[row.level1] = points.get(row.level1, Decimal(0)) + row.weight
    last = ("", "")
    for row in form.rows:
        cells = _group_cells(row, last, points)
        last = (row.level1, row.level2)
        cells += [_printed(form, row), _figure(row.weight), row.target, row.actual, _figure(row.score)]
        rows.append(cells + ([row.reason] if row.reason else []))
    total = sum((r.score for r in form.rows), form.execution_score)
    rows.append(["总分", "100", _figure(total)])
    return rows


def _yuan(amount: Decimal) -> str:
    return f"{amount * 10000:.2f}"


def _two_header_rows(form: Form) -> list[list[str]]:
    rows = [[f"{form.year}年度项目支出绩效自评表"],
            ["项目名称", form.name, "主管部门", form.unit, "实施单位", form.unit],
            ["项目资金 (元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", _yuan(form.budget), _yuan(form.budget), _yuan(form.spent), "10", form.rate,
             _figure(form.execution_score)],
            ["其中:当年财政拨款", _yuan(form.budget), _yuan(form.budget), _yuan(form.spent), "—", form.rate, "—"],
            ["年度总体目标", "预期目标", "实际完成情况"], ["完成年度各项工作任务", "已完成"],
            ["绩效指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"]]
    last = ("", "")
    for row in form.rows:
        cells = _group_cells(row, last)
        last = (row.level1, row.level2)
        sign, value, unit = _nature(row.target)
        cells += [_printed(form, row), sign, value] + ([unit] if unit else []) + \
            [row.actual, _figure(row.weight), _figure(row.score)]
        rows.append(cells + ([row.reason] if row.reason else []))
    total = sum((r.score for r in form.rows), form.execution_score)
    rows.append(["总分", "100", _figure(total)])
    return rows


def basic_of(form: Form) -> Decimal:
    """The 部门整体 form's 基本支出 (年初): four fifths of the budget, the rest 项目支出."""
    return (form.budget * 8 / 10).quantize(Decimal("0.01"))


def _unit_rows(form: Form) -> list[list[str]]:
    rows = [["部门整体支出绩效自评表"], [f"({form.year}年度)"], ["部门(单位)名称", form.unit],
            ["预算资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", _figure(form.budget), _figure(form.budget), _figure(form.spent), "10", form.rate,
             _figure(form.execution_score)],
            ["其中:当年财政拨款", _figure(form.budget), _figure(form.budget), _figure(form.spent), "—", form.rate, "—"],
            # the 财政部 部门整体 form's breakdown of the budget, label:amount inside its cells (seed 002)
            ["按收入性质分：", "按支出性质分："],
            [f"其中：一般公共预算：{_figure(form.budget)}", f"其中：基本支出：{_figure(basic_of(form))}"],
            ["政府性基金拨款：", f"项目支出：{_figure(form.budget - basic_of(form))}"], ["纳入专户管理的非税收入拨款："],
            ["年度总体目标", "预期目标", "实际完成情况"], ["完成年度各项工作任务", "已完成"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]]
    last = ("", "")
    for row in form.rows:
        cells = _group_cells(row, last)
        last = (row.level1, row.level2)
        cells += [_printed(form, row), row.target, row.actual, _figure(row.weight), _figure(row.score)]
        rows.append(cells + ([row.reason] if row.reason else []))
    total = sum((r.score for r in form.rows), form.execution_score)
    rows.append(["总分", "100", _figure(total)])
    return rows


def render(rows: list[list[str]], shape: str) -> str:
    if shape == "pipe-rows":
        return "".join("| " + " | ".join(r) + " |\n" for r in rows)
    if shape == "pipe-cells":   # a web table saved one cell a line, “|” after each, empty cells as bare bars
        return "".join("".join(c + " |\n" for c in r) + "|\n||||\n" for r in rows)
    if shape == "cell-per-line":
        return "".join(c + "\n" for r in rows for c in r)
    if shape == "blank-lines":
        return "\n\n".join(c for r in rows for c in r) + "\n"
    if shape == "single-spaces":
        return "".join(" ".join(r) + "\n" for r in rows)
    body = "".join(c for r in rows for c in r)   # a document site's pages of an uploaded .docx
    return "《自评表.docx》由会员分享,可在线阅读\n" + "".join(
        f"{n}、{body[k:k + 900]}\n" for n, k in enumerate(range(0, len(body), 900), 1))


# --- 绩效目标表 ------------------------------------------------------------------------------------

TARGET_LAYOUTS = ("target-mof", "target-weights", "target-sichuan")


def target_rows(form: Form, layout: str) -> list[list[str]]:
    """The form's targets as a 绩效目标表 (no actual values, no scores): the 财政部 项目支出绩效目标表
    (财预〔2020〕10号 附件 layout: 项目资金 with 年度资金总额 / 其中:财政拨款, 年度目标, 一级 | 二级 | 三级 |
    指标值), the same with a 分值 column (湖南, 安徽 tables: targets/hunan-*, anhui-huaibei), and the 四川
    table with 指标性质 | 指标值 | 度量单位 | 权重."""
    rows = [[f"{form.year}年度项目支出绩效目标表"], ["项目名称", form.name], ["主管部门", form.unit, "实施单位", form.unit],
            ["项目资金(万元)", "年度资金总额", _figure(form.budget)], ["其中:财政拨款", _figure(form.budget)],
            ["其他资金", "—"], ["年度目标", "完成年度各项工作任务，保障项目顺利实施"]]
    if layout == "target-sichuan":
        rows.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"])
    elif layout == "target-weights":
        rows.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "分值"])
    else:
        rows.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    last = ("", "")
    for row in form.rows:
        cells = _group_cells(row, last)
        last = (row.level1, row.level2)
        if layout == "target-sichuan":
            sign, value, unit = _nature(row.target)
            cells += [row.name, sign, value] + ([unit] if unit else []) + [_figure(row.weight)]
        elif layout == "target-weights":
            cells += [row.name, row.target, _figure(row.weight)]
        else:
            cells += [row.name, row.target]
        rows.append(cells)
    return rows
