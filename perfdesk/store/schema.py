"""The tables of a ``.pdesk`` file — the only place the file format is written.

SQLAlchemy Core tables, schema version ``SCHEMA_VERSION`` (in ``document_file``).
One row of ``document``; one row of ``evaluation`` per form (``position`` 0 is the
unit evaluation slot, 1… the projects in order); the indicator tree as rows with
``parent_id`` and ``position``; budget figures, narratives, target rows and
evaluators in their own tables; ``meta`` holds key/value facts about the file.

Money is integer 分 (INTEGER). Weights, scores and rates are stored as the TEXT of
the exact ``Decimal`` (``str(d)``), never REAL: ``Decimal(text)`` gives back the
same value, exponent included. Enums are stored by their ``.value``.

Every column carries ``info``: its Chinese ``label`` (error messages name the field,
never its value) and its ``kind`` — how a value is checked when read and before it
is written (``perfdesk.store.columns``). Every table carries its Chinese label and
``max_rows``, the most rows a file may hold (read before anything else).

``compile_spec()`` turns these tables into plain data — the CREATE statements, the
SELECT and INSERT statements compiled by SQLAlchemy's SQLite dialect, the columns
with their kinds — which ``perfdesk.store.spec`` caches so that opening a file at
start-up does not import SQLAlchemy.

Changing anything here changes the file format: bump ``SCHEMA_VERSION``, add
``schemas/v<N>.sql`` (the DDL as released: the frozen record of what version-N
files look like) and a numbered step in ``migrations``; the tests compare these
tables with the newest DDL file and open a file of every older version.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, Table, Text, UniqueConstraint

metadata = MetaData()


def _column(name: str, type_, label: str, kind: str, *args, nullable: bool = False, **kwargs) -> Column:
    return Column(name, type_, *args, nullable=nullable, info={"label": label, "kind": kind}, **kwargs)


def _text(name: str, label: str, nullable: bool = False) -> Column:
    return _column(name, Text, label, "text", nullable=nullable)


def _decimal(name: str, label: str) -> Column:
    return _column(name, Text, label, "decimal", nullable=True)


def _amount(name: str, label: str) -> Column:
    return _column(name, Integer, label, "amount", nullable=True)


def _id() -> Column:
    return _column("id", Integer, "编号", "id", primary_key=True)


def _evaluation_id(**kwargs) -> Column:
    return _column("evaluation_id", Integer, "所属自评表", "id", ForeignKey("evaluation.id"), **kwargs)


def _position() -> Column:
    return _column("position", Integer, "顺序", "position")


def _info(label: str, max_rows: int) -> dict:
    return {"label": label, "max_rows": max_rows}


meta = Table(
    "meta", metadata,
    _column("key", Text, "名称", "text", primary_key=True),
    _text("value", "值"),
    info=_info("文件信息", 100),
)

document = Table(
    "document", metadata,
    _id(),
    _column("year", Integer, "年度", "year"),
    _column("final", Boolean, "定稿标记", "bool"),
    _text("unit_name", "单位名称"),
    _text("unit_code", "单位代码"),
    _text("unit_supervisor", "主管部门"),
    _text("unit_functions", "主要职能"),
    _text("unit_organisation", "机构设置及人员配置"),
    _text("unit_leader", "单位负责人"),
    _text("unit_finance_leader", "财务负责人"),
    _text("unit_preparer", "填表人"),
    _text("unit_phone", "联系电话"),
    _column("rule_set", Text, "评价规则", "rule_set"),                # v2: 单位信息 → 评价规则
    info=_info("单位信息", 1),
)

evaluation = Table(
    "evaluation", metadata,
    _id(),
    _position(),                                                  # 0: the unit evaluation slot
    _column("kind", Text, "表格类型", "enum:kind"),
    _text("name", "名称"),
    _text("template", "模板"),
    _column("layout", Text, "表样", "layout"),
    _column("rule_set", Text, "评价规则", "rule_set"),                # v2
    _column("execution_rounding", Text, "执行率得分的保留位数", "enum:rounding"),
    _column("has_execution", Boolean, "预算执行率行", "bool"),
    _decimal("execution_weight", "预算执行率分值"),
    _decimal("execution_stated_rate", "填报的执行率"),
    _decimal("execution_stated_score", "填报的执行率得分"),
    _text("goals_expected", "预期目标"),
    _text("goals_achieved", "目标实际完成情况"),
    _text("project_supervisor", "项目主管部门"),
    _text("project_supervisor_code", "主管部门代码"),
    _text("project_implementer", "实施单位"),
    _text("project_attribute", "项目属性"),
    _text("project_period", "项目期"),
    _text("project_code", "项目编码"),                                # v2
    _decimal("stated_total", "填报的总分"),
    _text("stated_grade", "填报的绩效等级", nullable=True),
    UniqueConstraint("position", name="uq_evaluation_position"),
    info=_info("自评表", 2_000),
)

budget_amounts = Table(
    # ``part``: total, basic, project (the three fixed lines), line (a named project
    # line, ``name``) or source (``key`` from SOURCES).
    "budget_amounts", metadata,
    _id(),
    _evaluation_id(),
    _column("part", Text, "预算栏目", "enum:budget_part"),
    _position(),
    _text("key", "资金来源"),
    _text("name", "项目名称"),
    _amount("initial_budget", "年初预算数"),
    _amount("annual_budget", "全年预算数"),
    _amount("spent", "全年执行数"),
    Index("ix_budget_amounts_evaluation", "evaluation_id"),
    info=_info("预算资金", 50_000),
)

indicator = Table(
    # A node of an indicator tree; rows are written in pre-order (a parent's id is smaller).
    "indicator", metadata,
    _id(),
    _evaluation_id(),
    _column("parent_id", Integer, "上级指标", "id", ForeignKey("indicator.id"), nullable=True),
    _position(),
    _text("name", "指标名称"),
    _decimal("weight", "分值"),
    _text("target", "指标值"),
    _column("comparison", Text, "指标性质", "enum:comparison"),       # v2
    _column("unit", Text, "计量单位", "unit"),                        # v2
    _text("initial_target", "年初指标值"),                            # v2: "" = not adjusted
    _text("adjust_reason", "调整原因"),                               # v2
    _text("actual", "实际完成值"),
    _column("method", Text, "评分方法", "enum:method"),
    _column("tier", Text, "评价档次", "enum:tier", nullable=True),
    _decimal("score_override", "填报的得分"),
    _text("rule_text", "评价要点及评分规则"),
    _text("deviation_note", "偏差原因分析及改进措施"),
    Index("ix_indicator_evaluation", "evaluation_id"),
    info=_info("指标", 50_000),
)

narrative = Table(
    "narrative", metadata,
    _evaluation_id(primary_key=True),
    _column("key", Text, "栏目", "text", primary_key=True),
    _position(),
    _text("text", "内容"),
    info=_info("文字说明", 30_000),
)

target_row = Table(
    "target_row", metadata,
    _id(),
    _evaluation_id(),
    _position(),
    _text("level1", "一级指标"),
    _text("level2", "二级指标"),
    _text("name", "三级指标"),
    _text("target", "年度指标值"),
    _text("actual", "实际完成值"),
    _decimal("stated_progress", "完成进度"),
    Index("ix_target_row_evaluation", "evaluation_id"),
    info=_info("绩效目标实现情况", 50_000),
)

evaluator = Table(
    "evaluator", metadata,
    _id(),
    _evaluation_id(),
    _position(),
    _text("name", "姓名"),
    _text("title", "职务"),
    _text("department", "单位"),
    _text("phone", "联系电话"),
    Index("ix_evaluator_evaluation", "evaluation_id"),
    info=_info("评价人员", 10_000),
)


def compile_spec() -> dict:
    """The tables as plain data (JSON-able): see ``perfdesk.store.spec.SchemaSpec``."""
    from sqlalchemy import insert, select
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from perfdesk.store.document_file import SCHEMA_VERSION

    dialect = sqlite.dialect(paramstyle="named")
    tables = []
    for table in metadata.sorted_tables:  # parents before children: the insert order
        tables.append({
            "name": table.name,
            "label": table.info["label"],
            "max_rows": table.info["max_rows"],
            "create": str(CreateTable(table).compile(dialect=dialect)).strip(),
            "indexes": [str(CreateIndex(index).compile(dialect=dialect)).strip()
                        for index in sorted(table.indexes, key=lambda ix: ix.name)],
            "select": str(select(*table.c).compile(dialect=dialect)),
            "insert": str(insert(table).compile(dialect=dialect)),
            "columns": [{"name": c.name, "label": c.info["label"], "kind": c.info["kind"],
                         "nullable": bool(c.nullable)} for c in table.c],
        })
    return {"version": SCHEMA_VERSION, "tables": tables}
