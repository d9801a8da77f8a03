"""The tables of a ``.pdesk`` file (SQLAlchemy 2.x declarative), schema version 1.

One row of ``document``; one row of ``evaluation`` per form (``position`` 0 is the
unit evaluation slot, 1… the projects in order); the indicator tree as rows with
``parent_id`` and ``position``; budget figures, narratives, target rows and
evaluators in their own tables.

Money is integer 分 (INTEGER). Weights, scores and rates are stored as the TEXT of
the exact ``Decimal`` (``str(d)``), never REAL: ``Decimal(text)`` gives back the
same value, exponent included. Enums are stored by their ``.value``.

Changing anything here changes the file format: bump ``SCHEMA_VERSION``, add
``schemas/v<N>.sql`` (the DDL as released) and a step in ``MIGRATIONS``; the tests
compare these tables with the newest DDL file.

Importing this module imports SQLAlchemy (slow); only saving needs it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator):
    """An exact ``Decimal`` kept as its text (SQLite's NUMERIC/REAL would turn it into a float)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def _text() -> Mapped[str]:
    return mapped_column(Text, nullable=False, default="")


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Key/value facts about the file: saved_at, generator, recovery.* for working copies."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class DocumentRow(Base):
    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    final: Mapped[bool] = mapped_column(Boolean, nullable=False)
    unit_name: Mapped[str] = _text()
    unit_code: Mapped[str] = _text()
    unit_supervisor: Mapped[str] = _text()
    unit_functions: Mapped[str] = _text()
    unit_organisation: Mapped[str] = _text()
    unit_leader: Mapped[str] = _text()
    unit_finance_leader: Mapped[str] = _text()
    unit_preparer: Mapped[str] = _text()
    unit_phone: Mapped[str] = _text()


class EvaluationRow(Base):
    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("position", name="uq_evaluation_position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # 0: the unit evaluation slot
    kind: Mapped[str] = mapped_column(Text, nullable=False)         # EvaluationKind.value
    name: Mapped[str] = _text()
    template: Mapped[str] = _text()
    layout: Mapped[str] = _text()
    execution_rounding: Mapped[str] = _text()
    has_execution: Mapped[bool] = mapped_column(Boolean, nullable=False)
    execution_weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    execution_stated_rate: Mapped[Decimal | None] = mapped_column(DecimalText)
    execution_stated_score: Mapped[Decimal | None] = mapped_column(DecimalText)
    goals_expected: Mapped[str] = _text()
    goals_achieved: Mapped[str] = _text()
    project_supervisor: Mapped[str] = _text()
    project_supervisor_code: Mapped[str] = _text()
    project_implementer: Mapped[str] = _text()
    project_attribute: Mapped[str] = _text()
    project_period: Mapped[str] = _text()
    stated_total: Mapped[Decimal | None] = mapped_column(DecimalText)
    stated_grade: Mapped[str | None] = mapped_column(Text)


class BudgetAmountsRow(Base):
    """One budget line's three figures in 分.

    ``part`` is ``total``, ``basic``, ``project`` (the three fixed lines), ``line``
    (a named project line, ``name``) or ``source`` (``key`` from SOURCES).
    """

    __tablename__ = "budget_amounts"
    __table_args__ = (Index("ix_budget_amounts_evaluation", "evaluation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), nullable=False)
    part: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = _text()
    name: Mapped[str] = _text()
    initial_budget: Mapped[int | None] = mapped_column(Integer)
    annual_budget: Mapped[int | None] = mapped_column(Integer)
    spent: Mapped[int | None] = mapped_column(Integer)


class IndicatorRow(Base):
    """A node of an indicator tree; rows are written in pre-order (a parent's id is smaller)."""

    __tablename__ = "indicator"
    __table_args__ = (Index("ix_indicator_evaluation", "evaluation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    target: Mapped[str] = _text()
    actual: Mapped[str] = _text()
    method: Mapped[str] = mapped_column(Text, nullable=False)  # Method.value
    tier: Mapped[str | None] = mapped_column(Text)              # Tier.value
    score_override: Mapped[Decimal | None] = mapped_column(DecimalText)
    rule_text: Mapped[str] = _text()
    deviation_note: Mapped[str] = _text()


class NarrativeRow(Base):
    __tablename__ = "narrative"
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = _text()


class TargetRowRow(Base):
    __tablename__ = "target_row"
    __table_args__ = (Index("ix_target_row_evaluation", "evaluation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    level1: Mapped[str] = _text()
    level2: Mapped[str] = _text()
    name: Mapped[str] = _text()
    target: Mapped[str] = _text()
    actual: Mapped[str] = _text()
    stated_progress: Mapped[Decimal | None] = mapped_column(DecimalText)


class EvaluatorRow(Base):
    __tablename__ = "evaluator"
    __table_args__ = (Index("ix_evaluator_evaluation", "evaluation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = _text()
    title: Mapped[str] = _text()
    department: Mapped[str] = _text()
    phone: Mapped[str] = _text()


metadata = Base.metadata
# Insert order (parents before children).
TABLES = [MetaRow, DocumentRow, EvaluationRow, BudgetAmountsRow, IndicatorRow, NarrativeRow,
          TargetRowRow, EvaluatorRow]
