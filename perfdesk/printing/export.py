"""``export_pdf``: the forms and documents a document holds, as one A4 PDF.

Only what exists is printed: the unit form when the document has one, every
project form, and each narrative document (整体绩效评价报告, 预算绩效情况说明,
项目绩效评价报告, 其他文字说明) only when the officer has its text. Forms are
numbered “第 x 页 共 y 页”, documents “— x —”; every page carries the document's
fingerprint, and a 草稿 watermark until the document is final (or when printed
as a draft). The file is written only when the whole PDF is done (temporary file
renamed over the target), so a failure or a cancel never leaves a partial PDF.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.platypus import NextPageTemplate, PageBreak

from perfdesk.model.document import Document, Evaluation, EvaluationKind
from perfdesk.model.layouts import LayoutError, layout_of
from perfdesk.printing.common import (
    DOCUMENT, PORTRAIT, FormsDocTemplate, SectionMark, fingerprint, make_canvas_class,
)
from perfdesk.printing.documents import DOCUMENTS, PrintedDocument, document_kind
from perfdesk.printing.errors import ExportCancelled, FinalRefused, PrintError

FORMS = ("all", "unit", "projects", "report", "explanation", "project-reports", "other-texts")
FORM_LABELS = {
    "unit": "部门整体支出绩效自评表",
    "projects": "项目支出绩效自评表",
    "report": "整体绩效评价报告",
    "explanation": "预算绩效情况说明",
    "project-reports": "项目绩效评价报告",
    "other-texts": "其他文字说明",
    "all": "全部表格和文档",
}

Progress = Callable[[int, int], bool]

# Compressed page streams stay binary (no ASCII85 text encoding): smaller files, less time.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Item:
    """One form or document of a print request."""

    kind: str                                 # "evaluation" | "document"
    evaluation: Evaluation
    document: PrintedDocument | None = None

    def title(self, doc: Document) -> str:
        if self.document is not None:
            return self.document.title_for(doc, self.evaluation)
        try:
            layout = layout_of(self.evaluation.layout, self.evaluation.kind.value)
            base = layout.title
        except LayoutError:
            base = FORM_LABELS["unit" if self.evaluation.kind is EvaluationKind.UNIT else "projects"]
        return f"{base}：{self.evaluation.name}" if self.evaluation.name else base


def evaluation_form(doc: Document, ev: Evaluation, signatories):
    """(orientation, flowables, title) of one evaluation's form, by its layout."""
    try:
        layout = layout_of(ev.layout, ev.kind.value)
        builder = layout.print_builder()
    except LayoutError as exc:
        raise PrintError(str(exc)) from None
    orientation, story = builder(doc, ev, layout, signatories)
    return orientation, story, f"{layout.title}：{ev.name}" if ev.name else layout.title


def unit_form_exists(ev: Evaluation) -> bool:
    """The document holds a unit form: indicators, money, goals or a stated result
    (its narratives alone make documents, not a form)."""
    b = ev.budget
    money = not (b.total.is_empty() and b.basic.is_empty() and b.project.is_empty()) or bool(b.project_lines) \
        or any(not a.is_empty() for a in b.sources.values())
    if bool(ev.indicators) or money or bool(ev.goals.expected.strip() or ev.goals.achieved.strip()) \
            or (ev.execution is not None and (ev.execution.stated_rate is not None
                                              or ev.execution.stated_score is not None)):
        return True
    from perfdesk.printing.documents import REPORT_KEYS, printed_keys

    on_form = printed_keys(None, ev) - set(REPORT_KEYS) - {"explanation", "filled_date"}
    return any(ev.narrative.get(key, "").strip() for key in on_form)  # 主要成效 … typed on a 江苏 form


def _documents(doc: Document, kinds: list[PrintedDocument]) -> list[Item]:
    items = []
    for kind in kinds:
        if kind.scope == "unit":
            evaluations = [doc.unit_evaluation]
        elif kind.scope == "project":
            evaluations = list(doc.projects)
        else:
            evaluations = doc.evaluations()
        items += [Item("document", ev, kind) for ev in evaluations if kind.exists(doc, ev)]
    return items


def plan(doc: Document, form: str = "all", evaluation: Evaluation | None = None) -> list[Item]:
    """What a request prints, in order; a request for something the document does
    not hold is a ``PrintError`` with a Chinese message."""
    if evaluation is not None:
        return [Item("evaluation", evaluation)]
    if form not in FORMS:
        raise PrintError(f"未知的表格类型“{form}”，可选：{'、'.join(FORMS)}")
    items: list[Item] = []
    if form in ("unit", "all") and unit_form_exists(doc.unit_evaluation):
        items.append(Item("evaluation", doc.unit_evaluation))
    if form in ("projects", "all"):
        items += [Item("evaluation", p) for p in doc.projects]
    if form == "all":
        items += _documents(doc, DOCUMENTS)
    elif form not in ("unit", "projects"):
        items += _documents(doc, [document_kind(form)])
    if not items:
        if form == "all":
            raise PrintError("文档中没有可打印的表格或文档（没有自评表，也没有报告或说明的文字）。")
        what = FORM_LABELS[form]
        hint = "" if form in ("unit", "projects") else "（请先在“文字说明”中填写或采用草稿）"
        raise PrintError(f"文档中没有{what}，无法导出{hint}。")
    return items


def build_pdf(doc: Document, form: str = "all", evaluation: Evaluation | None = None, *,
              signatories: dict | None = None, progress: Progress | None = None,
              draft: bool = False) -> tuple[bytes, int]:
    """The PDF bytes and page count (nothing written).

    ``draft`` prints with the 草稿 watermark even when the document is final. A
    final document with an impossible figure (a score over its weight, a total
    over 100) is refused unless printed as a draft.
    """
    if not isinstance(doc, Document):
        raise PrintError("没有可打印的文档。")
    items = plan(doc, form, evaluation)
    if doc.final and not draft:
        from perfdesk.printing.preflight import preflight

        impossible = preflight(doc, form, evaluation).impossible
        if impossible:
            first = impossible[0]
            raise FinalRefused(f"文档已定稿，但有不可能的得分（{first.where}：{first.message}），不能按定稿打印。"
                             "请改正后再打印，或作为草稿打印。")
    return build_items(doc, items, signatories=signatories, progress=progress, draft=draft)


def build_items(doc: Document, items: list[Item], *, signatories: dict | None = None,
                progress: Progress | None = None, draft: bool = False) -> tuple[bytes, int]:
    """The PDF of the given forms and documents, in order."""
    from perfdesk.printing.fonts import summary

    fonts_used = summary()
    total = len(items)

    def report(done: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise ExportCancelled()

    report(0)
    story: list = []
    first_kind = None
    titles = []
    for index, item in enumerate(items):
        if item.kind == "evaluation":
            orientation, flow, title = evaluation_form(doc, item.evaluation, signatories)
            page_kind = orientation
        else:
            flow, title = item.document.build(doc, item.evaluation, signatories), item.title(doc)
            page_kind = DOCUMENT
        titles.append(title)
        if first_kind is None:
            first_kind = page_kind
        else:
            story += [NextPageTemplate(page_kind), PageBreak()]
        story.append(SectionMark(index, title, page_kind))
        story += flow

    def on_section(key: int) -> None:
        report(key)

    unit = doc.unit.name or doc.unit_evaluation.name
    footer = f"{unit} {doc.year}年度" if doc.year else unit
    watermark = draft or not doc.final
    canvas_class = make_canvas_class(footer, fingerprint(doc), watermark, on_section)
    buffer = io.BytesIO()
    template = FormsDocTemplate(
        buffer, first_kind or PORTRAIT, watermark=watermark,
        title=" / ".join(titles)[:200], author=unit, creator="perfdesk", subject="绩效自评",
        keywords=f"打印字体：{fonts_used}",
    )
    try:
        template.build(story, canvasmaker=canvas_class)
    except PrintError:  # ExportCancelled included
        raise
    except Exception as exc:  # a layout failure must be a clear message, not a traceback
        raise PrintError(f"生成PDF失败：{exc}") from exc
    report(total)
    return buffer.getvalue(), template.canv.pd_page_count


def write_atomically(data: bytes, path) -> None:
    target = Path(path)
    try:
        folder = target.parent if str(target.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=".perfdesk-", suffix=".pdf", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise PrintError(f"无法写入PDF文件“{target}”：{exc.strerror or exc}") from None


def export_pdf(doc: Document, path, form: str = "all", evaluation: Evaluation | None = None, *,
               signatories: dict | None = None, progress: Progress | None = None, draft: bool = False) -> int:
    """Write the requested forms as one PDF; returns the number of pages."""
    data, count = build_pdf(doc, form, evaluation, signatories=signatories, progress=progress, draft=draft)
    write_atomically(data, path)
    return count


def export_pdf_per_form(doc: Document, folder, *, signatories: dict | None = None,
                        progress: Progress | None = None, draft: bool = False) -> list[Path]:
    """One PDF per form and document into ``folder``."""
    folder = Path(folder)
    items = plan(doc, "all")
    written: list[Path] = []
    used: set[str] = set()
    for index, item in enumerate(items):
        if progress is not None and progress(index, len(items)) is False:
            raise ExportCancelled()
        ev = item.evaluation
        if item.kind == "evaluation":
            base = ev.name or ("部门整体" if ev.kind is EvaluationKind.UNIT else "项目")
            label = ("部门整体支出绩效自评表-" if ev.kind is EvaluationKind.UNIT else "项目支出绩效自评表-") + base
        else:
            label = item.title(doc).replace("：", "-")
        name = "".join("_" if ch in '\\/:*?"<>|\n\r\t' else ch for ch in label)[:80]
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name}-{n}", n + 1
        used.add(candidate)
        path = folder / f"{candidate}.pdf"
        data, _ = build_items(doc, [item], signatories=signatories, draft=draft)
        write_atomically(data, path)
        written.append(path)
    if progress is not None:
        progress(len(items), len(items))
    return written


__all__ = ["FORMS", "FORM_LABELS", "Item", "build_items", "build_pdf", "export_pdf", "export_pdf_per_form", "plan",
           "unit_form_exists"]
