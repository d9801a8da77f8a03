"""Provincial variants of the 财政部 forms, read by their column names (``generic``).

- 四川 部门预算项目支出绩效自评表 (报表编号 510000_0013zp, SPEC §8): 预算执行情况(10分) with
  年初预算 / 调整后预算数 / 预算执行数 / 预算执行率 / 权重 / 得分 / 原因, 财政资金 / 财政专户管理资金 /
  单位资金 / 其他资金; 绩效指标(90分) with 指标性质 / 指标值 / 度量单位 / 完成值 / 权重 / 得分 /
  未完成原因分析; 评价结论 / 存在问题 / 改进措施.
- 湖北-style 项目自评表 (预算执行情况(20分) 预算数(A) / 执行数(B) / 执行率(B/A) / 得分(20分*执行率),
  年度绩效目标(80分) 年初目标值(A) / 实际完成值(B) / 得分; weights only in the group labels).
- forms with two header rows (绩效指标 | 年度指标值 | 实际完成值 over 指标性质 | 指标值 | 度量单位).
- 评分表-style 部门整体 forms (序号 / 一级 / 二级 / 三级 / 指标分值 / 指标解释 / 评分标准 / 自评得分, or
  weights inside the labels “相关性(5分)”).
- any other table with an indicator header (一级/二级/三级指标 and 指标值/分值/得分 …): read by its
  names as a 财政部-style form of its kind, with a low confidence so that a known family wins.
"""

from __future__ import annotations

from perfdesk.exchange.families import generic
from perfdesk.exchange.families.base import FormReader, FormResult
from perfdesk.exchange.families.signatures import signature
from perfdesk.model.document import EvaluationKind


def _read(rows: list[list[str]], reader: FormReader) -> FormResult:
    return generic.read(rows, reader, EvaluationKind(reader.layout.kind))


def recognise_sichuan(rows: list[list[str]]) -> float:
    sig = signature(rows)
    if sig.kind == "unit":
        return 0.0
    if {"nature", "unit", "weight"} <= sig.columns or sig.has("预算执行情况(10分)", "绩效指标(90分)"):
        return 0.7
    return 0.0


def recognise_hubei(rows: list[list[str]]) -> float:
    sig = signature(rows)
    if sig.kind == "unit":
        return 0.0
    if sig.has("得分(20分*执行率)", "(20分*执行率)") or (sig.has("年度绩效目标") and sig.has("年初目标值(A)")):
        return 0.7
    return 0.0


def recognise_two_header_rows(rows: list[list[str]]) -> float:
    for i, cells in enumerate(rows[:-1]):
        if generic.indicator_header(cells) and generic.sub_header(rows[i + 1], {}):
            return 0.65 if signature(rows).kind != "unit" else 0.0
    return 0.0


def recognise_scoresheet(rows: list[list[str]]) -> float:
    sig = signature(rows)
    if sig.kind == "project" or sig.funds:
        return 0.0
    if {"level1", "level2", "name", "score"} <= sig.columns and (
            "rule" in sig.columns or "weight" in sig.columns or sig.has("(5分)", "(3分)", "(2分)", "(10分)")):
        return 0.6
    return 0.0


def recognise_other_project(rows: list[list[str]]) -> float:
    sig = signature(rows)
    if sig.columns and sig.kind != "unit":
        return 0.2
    return 0.0


def recognise_other_unit(rows: list[list[str]]) -> float:
    sig = signature(rows)
    if sig.columns and sig.kind == "unit":
        return 0.2
    return 0.0


read_sichuan = read_hubei = read_two_header_rows = read_scoresheet = read_other = _read
