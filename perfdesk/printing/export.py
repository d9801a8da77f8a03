"""``export_pdf``: the forms of a document as one A4 PDF.

Pages are numbered per form (“第 x 页 共 y 页”), every page carries the
document's fingerprint, and a 草稿 watermark until the document is final.
The file is written only when the whole PDF is done (temporary file renamed
over the target), so a failure or a cancel never leaves a partial PDF.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from reportlab.platypus import NextPageTemplate, PageBreak

from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.model.layouts import LayoutError, layout_of
from perfdesk.printing.common import FormsDocTemplate, SectionMark, fingerprint, make_canvas_class
from perfdesk.printing.errors import ExportCancelled, PrintError
from perfdesk.printing.explanation import explanation
from perfdesk.printing.report import unit_report

FORMS = ("unit", "projects", "report", "explanation", "all")
FORM_LABELS = {
    "unit": "部门整体支出绩效自评表",
    "projects": "项目支出绩效自评表",
    "report": "整体绩效评价报告",
    "explanation": "预算绩效情况说明",
    "all": "全部表格",
}

Progress = Callable[[int, int], bool]


def evaluation_form(doc: Document, ev: Evaluation, signatories):
    """(orientation, flowables, title) of one evaluation's form, by its layout."""
    try:
        layout = layout_of(ev.layout, ev.kind.value)
        builder = layout.print_builder()
    except LayoutError as exc:
        raise PrintError(str(exc)) from None
    orientation, story = builder(doc, ev, layout, signatories)
    return orientation, story, f"{layout.title}：{ev.name}" if ev.name else layout.title


def _unit_is_empty(ev: Evaluation) -> bool:
    return not ev.indicators and ev.budget.total.is_empty() and not any(ev.narrative.values())


def plan(doc: Document, form: str = "all", evaluation: Evaluation | None = None) -> list[tuple[str, object]]:
    """What a request prints: a list of (kind, evaluation or None)."""
    if evaluation is not None:
        return [("evaluation", evaluation)]
    if form not in FORMS:
        raise PrintError(f"未知的表格类型“{form}”，可选：unit、projects、report、explanation、all")
    items: list[tuple[str, object]] = []
    if form in ("unit", "all"):
        if form == "unit" or not _unit_is_empty(doc.unit_evaluation):
            items.append(("evaluation", doc.unit_evaluation))
    if form in ("projects", "all"):
        items += [("evaluation", p) for p in doc.projects]
        if form == "projects" and not doc.projects:
            raise PrintError("文档中没有项目支出绩效自评表，无法导出。")
    if form in ("report", "all"):
        items.append(("report", None))
    if form in ("explanation", "all"):
        items.append(("explanation", None))
    return items


def build_pdf(doc: Document, form: str = "all", evaluation: Evaluation | None = None, *,
              signatories: dict | None = None, progress: Progress | None = None) -> tuple[bytes, int]:
    """The PDF bytes and page count (nothing written)."""
    if not isinstance(doc, Document):
        raise PrintError("没有可打印的文档。")
    items = plan(doc, form, evaluation)
    total = len(items)

    def report(done: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise ExportCancelled()

    report(0)
    story: list = []
    first_orientation = None
    titles = []
    for index, (kind, ev) in enumerate(items):
        if kind == "evaluation":
            orientation, flow, title = evaluation_form(doc, ev, signatories)
        elif kind == "report":
            (orientation, flow), title = unit_report(doc, signatories), "整体绩效评价报告"
        else:
            (orientation, flow), title = explanation(doc, signatories), "预算绩效情况说明"
        titles.append(title)
        if first_orientation is None:
            first_orientation = orientation
        else:
            story += [NextPageTemplate(orientation), PageBreak()]
        story.append(SectionMark(index, title))
        story += flow

    # Progress while laying out: a form is done when the next one starts.
    def on_section(key: int) -> None:
        report(key)

    unit = doc.unit.name or doc.unit_evaluation.name
    footer = f"{unit} {doc.year}年度" if doc.year else unit
    canvas_class = make_canvas_class(footer, fingerprint(doc), not doc.final, on_section)
    buffer = io.BytesIO()
    template = FormsDocTemplate(
        buffer, first_orientation or "portrait", watermark=not doc.final,
        title=" / ".join(titles)[:200], author=unit, creator="perfdesk", subject="绩效自评",
    )
    try:
        template.build(story, canvasmaker=canvas_class)
    except PrintError:  # ExportCancelled included
        raise
    except Exception as exc:  # a layout failure must be a clear message, not a traceback
        raise PrintError(f"生成PDF失败：{exc}") from exc
    report(total)
    return buffer.getvalue(), template.canv.pd_page_count


def export_pdf(doc: Document, path, form: str = "all", evaluation: Evaluation | None = None, *,
               signatories: dict | None = None, progress: Progress | None = None) -> int:
    """Write the requested forms as one PDF; returns the number of pages."""
    data, count = build_pdf(doc, form, evaluation, signatories=signatories, progress=progress)
    from perfdesk.store import os_reason, write_bytes_atomically

    target = Path(path)
    try:
        # beside the target, then put in place; normal permissions (0666 less the umask)
        write_bytes_atomically(target, data)
    except OSError as exc:
        raise PrintError(f"无法写入PDF文件“{target}”：{os_reason(exc)}") from None
    return count


def export_pdf_per_form(doc: Document, folder, *, signatories: dict | None = None,
                        progress: Progress | None = None) -> list[Path]:
    """One PDF per form (unit form, each project, report, explanation) into ``folder``."""
    folder = Path(folder)
    items = plan(doc, "all")
    written: list[Path] = []
    used: set[str] = set()
    for index, (kind, ev) in enumerate(items):
        if progress is not None and progress(index, len(items)) is False:
            raise ExportCancelled()
        if kind == "evaluation":
            base = ev.name or ("部门整体" if ev.kind is EvaluationKind.UNIT else "项目")
            label = ("部门整体支出绩效自评表-" if ev.kind is EvaluationKind.UNIT else "项目支出绩效自评表-") + base
        else:
            label = FORM_LABELS[kind]
        name = "".join("_" if ch in '\\/:*?"<>|\n\r\t' else ch for ch in label)[:80]
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name}-{n}", n + 1
        used.add(candidate)
        path = folder / f"{candidate}.pdf"
        if kind == "evaluation":
            export_pdf(doc, path, evaluation=ev, signatories=signatories)
        else:
            export_pdf(doc, path, form=kind, signatories=signatories)
        written.append(path)
    if progress is not None:
        progress(len(items), len(items))
    return written


__all__ = ["FORMS", "FORM_LABELS", "build_pdf", "export_pdf", "export_pdf_per_form", "plan"]
