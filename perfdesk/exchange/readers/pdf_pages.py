"""The characters and ruling lines of each PDF page, for ``readers.pdf``.

Two engines give the same thing — per page its size, its characters (text, x0, x1, top,
bottom; top-left origin as pdfplumber has them) and the edges of its ruling lines and
rectangles (pdfplumber's edge dicts):

- PDFium (``pypdfium2``, the PDF engine pdfplumber itself depends on), about ten times
  faster than parsing content streams in Python: a 40-page form file in a fraction of
  a second;
- pdfplumber (pdfminer.six) when PDFium is not available or fails on a file.

Tables are then found from the edges by pdfplumber's own table finder (``TableFinder``,
lines strategy), so both engines cut cells the same way.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass, field

THIN = 2.0          # a path thinner than this (points) is a ruling line
MAX_SEGMENTS = 2000  # path segments looked at per path object


@dataclass
class PageContent:
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


class _EdgePage:
    """What pdfplumber's TableFinder needs of a page for the lines strategy."""

    def __init__(self, content: PageContent):
        self.edges = content.edges
        self.bbox = (0, 0, content.width, content.height)

    def extract_words(self, **kwargs):  # pragma: no cover - only for the text strategy
        return []


def find_tables(content: PageContent):
    """pdfplumber ``Table``s (with ``.rows`` and ``.bbox``) found from the page's edges."""
    if len(content.edges) < 4:
        return []
    from pdfplumber.table import TableFinder

    return TableFinder(_EdgePage(content), {}).tables


def _edge(x0, top, x1, bottom, kind="line") -> dict:
    horizontal = (bottom - top) <= (x1 - x0)
    if horizontal:
        y = (top + bottom) / 2
        top = bottom = y
    else:
        x = (x0 + x1) / 2
        x0 = x1 = x
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": "h" if horizontal else "v", "object_type": kind}


def _rect_edges(x0, top, x1, bottom) -> list[dict]:
    return [_edge(x0, top, x1, top, "rect_edge"), _edge(x0, bottom, x1, bottom, "rect_edge"),
            _edge(x0, top, x0, bottom, "rect_edge"), _edge(x1, top, x1, bottom, "rect_edge")]


def _pdfium_pages(path):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            width, height = page.get_size()
            content = PageContent(width, height)
            text_page = page.get_textpage()
            count = text_page.count_chars()
            text = text_page.get_text_range(0, count) if count else ""
            direct = len(text) == count
            for i in range(count):
                ch = text[i] if direct else text_page.get_text_range(i, 1)
                if not ch or ch.isspace() or ord(ch) < 32:
                    continue
                left, bottom, right, top = text_page.get_charbox(i, loose=True)
                if right <= left and top <= bottom:
                    continue
                content.chars.append({"text": ch, "x0": left, "x1": right, "top": height - top,
                                      "bottom": height - bottom})
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
                content.edges.extend(_path_edges(obj, raw, height))
            text_page.close()
            page.close()
            yield content
    finally:
        pdf.close()


def _path_edges(obj, raw, height) -> list[dict]:
    left, bottom, right, top = obj.get_bounds()
    w, h = right - left, top - bottom
    if w < THIN or h < THIN:  # a line (or a thin filled rectangle drawn as a line)
        if max(w, h) < 1:
            return []
        return [_edge(left, height - top, right, height - bottom)]
    count = raw.FPDFPath_CountSegments(obj.raw)
    if count <= 0 or count > MAX_SEGMENTS:
        return _rect_edges(left, height - top, right, height - bottom) if 0 < count <= 6 else []
    matrix = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    edges = []
    start = None
    for i in range(count):
        segment = raw.FPDFPath_GetPathSegment(obj.raw, i)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        px, py = matrix.on_point(x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            points = [(px, py)]
            start = (px, py)
        elif kind == raw.FPDF_SEGMENT_LINETO and points:
            ax, ay = points[-1]
            if abs(ax - px) < 0.5 or abs(ay - py) < 0.5:  # axis-aligned segments only
                edges.append(_edge(min(ax, px), height - max(ay, py), max(ax, px), height - min(ay, py)))
            points.append((px, py))
        else:
            points = []
            continue
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and points:
            ax, ay = points[-1]
            if abs(ax - start[0]) < 0.5 or abs(ay - start[1]) < 0.5:
                edges.append(_edge(min(ax, start[0]), height - max(ay, start[1]),
                                   max(ax, start[0]), height - min(ay, start[1])))
    return [e for e in edges if e["width"] >= 1 or e["height"] >= 1]


def _plumber_pages(path):
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            content = PageContent(float(page.width), float(page.height))
            content.chars = [{"text": ch["text"], "x0": ch["x0"], "x1": ch["x1"], "top": ch["top"],
                              "bottom": ch["bottom"]} for ch in page.chars if ch.get("text", "").strip()]
            content.edges = list(page.edges)
            page.close()
            yield content


def page_count(path) -> int:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - fall back to pdfplumber
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            return len(pdf.pages)


def pages(path):
    """``PageContent`` of every page, from PDFium or else pdfplumber (``PERFDESK_PDF_ENGINE``
    set to ``pdfplumber`` forces the latter)."""
    if os.environ.get("PERFDESK_PDF_ENGINE", "") != "pdfplumber":
        try:
            import pypdfium2  # noqa: F401
        except ImportError:
            pass
        else:
            try:
                return list(_pdfium_pages(path))
            except Exception:  # noqa: BLE001 - a file PDFium refuses may still open in pdfplumber
                pass
    return list(_plumber_pages(path))


__all__ = ["PageContent", "find_tables", "page_count", "pages"]
