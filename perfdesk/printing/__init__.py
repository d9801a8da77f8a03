"""Printing: every form and narrative document as an A4 PDF through ReportLab (no Qt here)."""

from perfdesk.printing.errors import ExportCancelled, FinalRefused, PrintError
from perfdesk.printing.explanation import project_summary
from perfdesk.printing.export import (
    FORM_LABELS, FORMS, build_pdf, export_pdf, export_pdf_per_form, plan,
)
from perfdesk.printing.common import fingerprint
from perfdesk.printing.preflight import Preflight, preflight

__all__ = [
    "ExportCancelled", "FORMS", "FinalRefused", "FORM_LABELS", "PrintError", "Preflight", "build_pdf", "export_pdf",
    "export_pdf_per_form", "fingerprint", "plan", "preflight", "project_summary",
]
