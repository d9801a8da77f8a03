"""The 财政部 forms (财预〔2020〕10号 附件1): 项目支出绩效自评表 (seeds 001, 002 附件2) and the
same columns used for 部门整体 (002 附件1): 项目名称/单位名称, 主管部门, 实施单位, 项目资金 with
年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 by source, 年度总体目标, the indicator
table with 偏差原因分析及改进措施, 总分."""

from __future__ import annotations

from perfdesk.exchange.families import generic
from perfdesk.exchange.families.base import FormReader, FormResult, cells_and_firsts
from perfdesk.exchange.families.signatures import signature

PROJECT_NAME_LABELS = ("项目名称", "项目支出名称")


def _mof_like(every: set[str]) -> bool:
    return any("年初预算数" in c or "全年预算数" in c for c in every) or any(
        c.endswith("单位名称") or c in PROJECT_NAME_LABELS for c in every)


def _is_project_form(every: set[str]) -> bool:
    return any(c in PROJECT_NAME_LABELS for c in every)


def recognise_project(rows: list[list[str]]) -> float:
    _, every = cells_and_firsts(rows)
    return 0.5 if _mof_like(every) and (_is_project_form(every) or signature(rows).kind == "project") else 0.0


def recognise_unit(rows: list[list[str]]) -> float:
    _, every = cells_and_firsts(rows)
    return 0.5 if _mof_like(every) and not _is_project_form(every) and signature(rows).kind != "project" else 0.0


def read(rows: list[list[str]], reader: FormReader) -> FormResult:
    """The 财政部 forms are read by their column names (``generic``), as the layout's kind."""
    from perfdesk.model.document import EvaluationKind

    return generic.read(rows, reader, EvaluationKind(reader.layout.kind))
