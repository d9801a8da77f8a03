"""Labels and helpers shared by the Excel export and import.

A workbook written by perfdesk carries a very hidden sheet ``META_SHEET``
that names the format and, per form sheet, what the paper form does not
show (template, print layout, rounding rule). Everything an officer can
see and edit — indicators, values, scores, budget, texts — is read back
from the visible form itself.
"""

from __future__ import annotations

from decimal import Decimal

from perfdesk.model.document import (
    METHOD_LABELS,
    PROJECT_NARRATIVE,
    SOURCE_LABELS,
    TIER_LABELS,
    UNIT_NARRATIVE,
)

META_SHEET = "perfdesk"
FORMAT_NAME = "perfdesk-xlsx"
FORMAT_VERSION = 1

# Section marker rows (column A) of a perfdesk sheet.
BUDGET_HEADER = "预算资金（万元）"
GOALS_LABEL = "年度总体目标"
GOALS_EXPECTED = "预期目标"
GOALS_ACHIEVED = "实际完成情况"
TARGETS_SECTION = "绩效目标实现情况"
EVALUATORS_SECTION = "评价人员"
NARRATIVE_SECTION = "文字说明"
TOTAL_LABEL = "总分"
GRADE_LABEL = "绩效等级"

BUDGET_ROWS = (("total", "资金总额"), ("basic", "基本支出"), ("project", "项目支出"))
PROJECT_LINE_LABEL = "项目明细"
SOURCE_LABEL = "资金来源"
SOURCE_KEYS = {label: key for key, label in SOURCE_LABELS.items()}

UNIT_FIELDS = (
    ("name", "单位名称"), ("code", "单位代码"), ("supervisor", "主管部门"),
    ("functions", "主要职能"), ("organisation", "机构设置及人员配置"),
)
UNIT_SIGN_FIELDS = (
    ("leader", "单位负责人"), ("finance_leader", "财务负责人"),
    ("preparer", "填表人"), ("phone", "联系电话"),
)
PROJECT_NAME_LABEL = "项目名称"
PROJECT_FIELDS = (
    ("supervisor", "主管部门"), ("supervisor_code", "主管部门代码"), ("implementer", "实施单位"),
    ("attribute", "项目属性"), ("period", "项目期"), ("code", "项目编码"),
)
EVALUATOR_COLUMNS = (("name", "姓名"), ("title", "职务/职称"), ("department", "单位/部门"), ("phone", "联系电话"))

# Cells of the form the program filled with computed values (得分, 执行率, 总分, 等级)
# are listed in this column of their row as “得分=9.73；执行率=0.9731”. On import a
# listed cell that still holds that value (or still holds the program's formula,
# “得分=公式”) counts as not filled in, so the score stays computed; a changed
# cell is read as the officer's stated value.
AUTO_LABEL = "自动填入（改动后视为填报值）"
AUTO_FORMULA = "公式"
AUTO_SEPARATOR = "；"


def auto_marker(items) -> str:
    """``[("得分", "9.73"), ...]`` as the text of the 自动填入 column."""
    return AUTO_SEPARATOR.join(f"{label}={value}" for label, value in items)


def parse_auto_marker(text) -> dict[str, str]:
    """The 自动填入 text of a row back as ``{label: value}`` (nothing for any other text)."""
    out: dict[str, str] = {}
    if not isinstance(text, str):
        return out
    for part in text.split(AUTO_SEPARATOR):
        label, sep, value = part.partition("=")
        if sep and label.strip():
            out[label.strip()] = value.strip()
    return out


# Indicator table: role -> header label. Extra columns stand outside the print area.
COLUMN_LABELS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "指标值",
    "actual": "实际完成值", "weight": "分值", "score": "得分",
    "rule": "评价要点及评分规则", "deviation": "偏差原因分析及改进措施",
    # 指标性质 / 计量单位 (the 四川 form's columns, or whenever an indicator has them) and an
    # adjusted target's 年初指标值 / 调整原因 (whenever one was adjusted)
    "comparison": "指标性质", "unit": "计量单位", "initial_target": "年初指标值", "adjust_reason": "调整原因",
}
EXTRA_LABELS = {
    "depth": "级次", "method": "评分方法", "tier": "档次", "computed": "计算得分（仅供参考，导入时忽略）",
    "auto": AUTO_LABEL,
}
TARGET_COLUMNS = (("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"),
                  ("target", "目标值"), ("actual", "实际完成指标值"), ("stated_progress", "完成进度"))

METHOD_BY_LABEL = {label: method for method, label in METHOD_LABELS.items()}
TIER_BY_LABEL = {label: tier for tier, label in TIER_LABELS.items()}
NARRATIVE_LABELS = {**PROJECT_NARRATIVE, **UNIT_NARRATIVE}
NARRATIVE_KEYS = {label: key for key, label in NARRATIVE_LABELS.items()}

FORBIDDEN_SHEET_CHARS = set('[]:*?/\\')
MAX_SHEET_NAME = 31


def number_cell_value(value: Decimal | None):
    """A Decimal as an int/float for a numeric cell, or as text when a float would lose digits."""
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    f = float(value)
    if Decimal(format(f, ".15g")) == value:  # the importer reads 15 significant digits
        return f
    return format(value, "f")
