"""绩效目标表 (performance-target tables) read into evaluations ready for the year end.

A 目标表 — 项目支出绩效目标表 / 绩效目标申报表 / 绩效目标审批表 / 部门整体支出绩效目标表, exported from
the budget system as Excel, circulated as Word or published as a web page — carries what the
自评 starts from: the project's name, 主管部门, 实施单位, 项目资金 (年度资金总额 and its sources),
年度总体目标 and the indicator tree with 指标性质, 指标值, 度量单位, 分值 (or 权重) and 指标值说明 /
评分标准, sometimes 年初指标值 beside 调整后指标值 and 调整原因. It has no 实际完成值 and no 得分.

- ``family``: the form family the layout registry names (``also_reads`` of the 财政部 project
  and unit layouts): ``recognise_project`` / ``recognise_unit`` tell a 目标表 from a 自评表 by its
  headers and title; ``read`` reads its rows (cells in their columns: Excel, Word, HTML, CSV,
  TAB text, and the rows ``text`` rebuilds) into an evaluation with targets filled and
  actuals and scores empty.
- ``text``: the same tables copied as text in the shapes web pages and viewers give (one cell
  per line, ``|`` cells broken over lines, cells separated by spaces or run together),
  rebuilt into rows.
- ``cells``: what a 指标值 cell says — 指标性质, value and 度量单位 — kept as printed.

Pure Python, no Qt.
"""
