"""The Qt-free document model of perfdesk."""

from perfdesk.model.amounts import fen_to_wan, format_wan, parse_wan, wan_to_fen
from perfdesk.model.document import (
    PROJECT_NARRATIVE,
    SOURCE_LABELS,
    SOURCES,
    UNIT_NARRATIVE,
    Amounts,
    Budget,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
)
from perfdesk.model.layouts import LAYOUTS, Layout, layout_of
from perfdesk.model.values import Value, ValueKind, parse_decimal, parse_rate, parse_value

__all__ = [
    "Amounts", "Budget", "BudgetLine", "Document", "Evaluation", "EvaluationKind",
    "Evaluator", "ExecutionLine", "Goals", "Indicator", "LAYOUTS", "Layout", "Method",
    "PROJECT_NARRATIVE", "ProjectInfo", "SOURCES", "SOURCE_LABELS", "TargetRow", "Tier",
    "UNIT_NARRATIVE", "UnitProfile", "Value", "ValueKind", "fen_to_wan", "format_wan",
    "layout_of", "parse_decimal", "parse_rate", "parse_value", "parse_wan", "wan_to_fen",
]
