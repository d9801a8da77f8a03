"""Print layouts of the forms and what each of them has (SPEC §1).

The checks ask a layout whether its form has a column before they report a
missing value in it; printing and Excel export lay the forms out by these ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    id: str
    title: str                 # the form's printed title
    kind: str                  # "unit" or "project"
    has_execution_line: bool   # a 预算执行率 line with 分值 10 above the indicators
    has_deviation_column: bool  # a 偏差原因分析及改进措施 column
    has_rule_column: bool      # a 评价要点及评分规则 column


LAYOUTS: dict[str, Layout] = {
    layout.id: layout
    for layout in (
        Layout("unit-jiangsu", "部门整体支出绩效自评表", "unit", False, False, True),
        Layout("unit-mof", "部门整体支出绩效自评表", "unit", True, True, False),
        Layout("unit-framework", "部门整体支出绩效评价表", "unit", False, False, True),
        Layout("project-mof", "项目支出绩效自评表", "project", True, True, False),
        Layout("project-jinzhong", "财政支出项目绩效自评表", "project", False, False, False),
    )
}


def layout_of(layout_id: str, kind: str) -> Layout:
    """The named layout, or the default one of the evaluation kind."""
    if layout_id in LAYOUTS:
        return LAYOUTS[layout_id]
    return LAYOUTS["unit-mof" if kind == "unit" else "project-mof"]
