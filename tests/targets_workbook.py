"""A synthetic 绩效目标表 workbook, as the budget systems export them (issue 17's 50-project test).

``write_targets_workbook(path, projects=50, layout="sheets")`` writes one 项目支出绩效目标表 per
sheet (``layout="sheets"``) or every project in one long sheet, block after block, each starting
at its 项目名称 row (``layout="block"``). Each table has the 一体化 export's parts: title, 年度,
项目名称 (a 项目编码 before the name in every third project), 主管部门及代码, 实施单位, 项目资金 with
年度资金总额 and 财政拨款 / 上年结转 / 其他资金, 年度总体目标, and an indicator table 一级指标 / 二级指标 /
三级指标 / 指标性质 / 年初指标值 / 调整后指标值 / 度量单位 / 分值 / 调整原因 / 指标值说明 with merged group
cells (the value in the top-left cell only, as Excel copies them). Ten indicators per project
(产出 50 = 数量 10+10, 质量 10+10, 时效 5, 成本 5; 效益 30; 满意度 10; 分值 90 beside the 预算执行率
line's 10); every fifth project has one adjusted target (年初 ≥120 → 调整后 ≥100, with its reason).

The returned ``ProjectSpec`` list is what a correct import must give, and the actual values that
meet every target (``meeting``) — entering them scores 90 of 90 — used by the window test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

TOPICS = ("农村饮水安全巩固提升", "城乡居民医疗救助", "高标准农田建设", "义务教育薄弱学校改造", "公共文化服务体系建设",
          "农村公路养护", "困难群众临时救助", "森林防火能力提升", "社区卫生服务运行", "就业技能培训补贴")

# (level1, level2, name, 指标性质, 指标值, 度量单位, 分值, 说明, the actual that meets it)
INDICATORS = (
    ("产出指标", "数量指标", "服务对象人数", "≥", "120", "人", Decimal(10), "按台账统计", "125"),
    ("产出指标", "数量指标", "开展活动次数", "≥", "12", "次", Decimal(10), "全年累计", "12"),
    ("产出指标", "质量指标", "验收合格率", "≥", "95", "%", Decimal(10), "验收报告", "98"),
    ("产出指标", "质量指标", "资金使用合规率", "=", "100", "%", Decimal(10), "审计结论", "100"),
    ("产出指标", "时效指标", "按期完成率", "≥", "90", "%", Decimal(5), "按计划节点", "100"),
    ("产出指标", "成本指标", "人均补助标准", "≤", "500", "元/人", Decimal(5), "不超过标准", "480"),
    ("效益指标", "社会效益指标", "群众知晓率", "≥", "85", "%", Decimal(10), "问卷调查", "90"),
    ("效益指标", "社会效益指标", "服务能力提升情况", "定性", "明显提升", "", Decimal(10), "定性评价", "明显提升"),
    ("效益指标", "可持续影响指标", "长效管护机制", "定性", "健全", "", Decimal(10), "制度文件", "健全"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "90", "%", Decimal(10), "满意度调查", "95"),
)
HEADER = ("绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "年初指标值", "调整后指标值", "度量单位", "分值",
          "调整原因", "指标值说明")
ADJUST_REASON = "因资金调减，服务对象人数相应调整"


@dataclass
class ProjectSpec:
    name: str
    code: str
    supervisor: str
    implementer: str
    total_wan: Decimal
    sources_wan: dict[str, Decimal]
    goal: str
    indicators: list[tuple] = field(default_factory=list)   # rows of INDICATORS as written
    adjusted: bool = False

    def meeting(self) -> dict[str, str]:
        """name → an actual value that meets the target (with its unit, as an officer types it)."""
        return {row[2]: row[8] + row[5] for row in self.indicators}


def project_specs(projects: int) -> list[ProjectSpec]:
    specs = []
    for i in range(1, projects + 1):
        topic = TOPICS[(i - 1) % len(TOPICS)]
        name = f"{topic}项目{i:02d}"
        code = f"510000{24}R{i:012d}" if i % 3 == 0 else ""
        total = Decimal(100 + i * 7) + Decimal("0.50")
        carried = Decimal(i % 4 * 5)
        sources = {"appropriation": total - carried, "carried_over": carried, "other_funds": Decimal(0)}
        spec = ProjectSpec(
            name=name, code=code, supervisor=f"[{300 + i % 7}]某某县{('农业农村局', '民政局', '教育局')[i % 3]}",
            implementer=f"某某县{topic}服务中心", total_wan=total, sources_wan=sources,
            goal=f"完成{topic}年度任务，服务对象不少于120人，群众满意度达到90%以上。", adjusted=i % 5 == 0)
        spec.indicators = list(INDICATORS)
        specs.append(spec)
    return specs


def _rows(spec: ProjectSpec, year: int) -> list[list]:
    label = f"{spec.code}-{spec.name}" if spec.code else spec.name
    rows: list[list] = [
        ["项目支出绩效目标表"], [f"（{year}年度）"],
        ["项目名称", label],
        ["主管部门及代码", spec.supervisor, "", "", "实施单位", spec.implementer],
        ["项目资金（万元）", "年度资金总额", float(spec.total_wan)],
        ["", "其中：财政拨款", float(spec.sources_wan["appropriation"])],
        ["", "上年结转", float(spec.sources_wan["carried_over"])],
        ["", "其他资金", float(spec.sources_wan["other_funds"])],
        ["年度总体目标", spec.goal],
        list(HEADER),
    ]
    last1 = last2 = None
    for n, (l1, l2, name, nature, value, unit, weight, note, _actual) in enumerate(spec.indicators):
        initial, adjusted, reason = value, "", ""
        if spec.adjusted and n == 0:
            initial, adjusted, reason = "120", "100", ADJUST_REASON
        rows.append(["", l1 if l1 != last1 else "", l2 if l2 != last2 else "", name, nature, initial, adjusted,
                     unit, float(weight), reason, note])
        last1, last2 = l1, l2
    return rows


def write_targets_workbook(path, projects: int = 50, layout: str = "sheets", year: int = 2024) -> list[ProjectSpec]:
    from openpyxl import Workbook

    specs = project_specs(projects)
    wb = Workbook()
    ws = wb.active
    if layout == "sheets":
        for n, spec in enumerate(specs):
            if n:
                ws = wb.create_sheet()
            ws.title = f"项目{n + 1:02d}"
            for row in _rows(spec, year):
                ws.append(row)
            _merge(ws, 1)
    else:
        ws.title = "绩效目标表"
        start = 1
        for n, spec in enumerate(specs):
            rows = _rows(spec, year)
            if n:
                rows = rows[2:]   # one title for the sheet; each block starts at its 项目名称
                ws.append([])
                start += 1
            for row in rows:
                ws.append(row)
            if not n:
                _merge(ws, start)
            start += len(rows)
    wb.save(path)
    return specs


def _merge(ws, first_row: int) -> None:
    ws.merge_cells(start_row=first_row, start_column=1, end_row=first_row, end_column=len(HEADER))


def adjusted_name() -> str:
    return INDICATORS[0][2]


__all__ = ["ADJUST_REASON", "INDICATORS", "ProjectSpec", "project_specs", "write_targets_workbook"]
