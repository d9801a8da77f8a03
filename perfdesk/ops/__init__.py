"""Every change to a document is an operation of this package (Qt-free).

An operation validates first (``OpError``, a Chinese message, nothing changed),
then changes the document and returns what changed (``Changes``) and its inverse.
The window's undo stack, the importers, 新建下一年度, paste and the command line all
change documents through these operations; nothing else assigns document fields
after a document exists.
"""

from perfdesk.ops.base import Batch, OpError, Operation, batch
from perfdesk.ops.changes import Changes, ListEdit, RowEdit, TreeEdit
from perfdesk.ops.documents import (
    InsertProject,
    MoveProject,
    RemoveProject,
    ReplaceEvaluation,
    SetProfileField,
    clone_evaluation,
    copy_document,
    duplicate_project,
    next_year,
    next_year_operations,
)
from perfdesk.ops.evaluations import (
    InsertRow,
    RemoveRow,
    SetEvaluationField,
    evaluation_field_label,
    rename_project,
)
from perfdesk.ops.importing import ImportChoice, ImportPlan, plan_import, plan_operations
from perfdesk.ops.targets import SetTargetFields, update_targets, update_targets_operation
from perfdesk.ops.indicators import (
    InsertIndicator,
    MoveIndicator,
    RemoveIndicator,
    SetIndicatorField,
    depth,
    indent,
    move_up_down,
    outdent,
    position,
    siblings,
)


def import_document(doc, imported, text: str = "导入"):
    """The import as one operation, with the choices proposed by ``plan_import`` (no preview)."""
    return plan_operations(doc, plan_import(doc, imported), text)


def apply(doc, operation) -> Changes:
    """Apply an operation without keeping its inverse (command line, importers, copies): what changed."""
    return operation.apply(doc)[0]


__all__ = [
    "Batch", "Changes", "InsertIndicator", "InsertProject", "InsertRow", "ListEdit", "MoveIndicator",
    "MoveProject", "OpError", "Operation", "RemoveIndicator", "RemoveProject", "RemoveRow",
    "ReplaceEvaluation", "RowEdit", "SetEvaluationField", "SetIndicatorField", "SetProfileField",
    "TreeEdit", "apply", "batch", "clone_evaluation", "copy_document", "depth",
    "duplicate_project", "evaluation_field_label", "import_document", "ImportChoice", "ImportPlan", "plan_import", "plan_operations", "indent", "move_up_down", "next_year",
    "next_year_operations", "outdent", "position", "rename_project", "siblings", "SetTargetFields",
    "update_targets", "update_targets_operation",
]
