"""Printing: every form as an A4 PDF through ReportLab (no Qt here)."""

from perfdesk.printing.errors import ExportCancelled, PrintError
from perfdesk.printing.explanation import project_summary
from perfdesk.printing.export import (
    FORM_LABELS, FORMS, build_pdf, export_pdf, export_pdf_per_form,
)
from perfdesk.printing.common import fingerprint

__all__ = [
    "ExportCancelled", "FORMS", "FORM_LABELS", "PrintError", "build_pdf", "export_pdf",
    "export_pdf_per_form", "fingerprint", "project_summary",
]
