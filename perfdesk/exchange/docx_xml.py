"""WordprocessingML pieces for the .docx export: styles, fonts, paragraphs, tables, sections.

The body is written as XML text and parsed once per document part, which is
what keeps a 50-project export to a second or two (python-docx's cell objects
are far too slow for thousands of merged cells); python-docx provides the
package, the footer parts and the settings.

Type follows GB/T 9704-2012 (党政机关公文格式): A4, 版心 156 mm × 225 mm
(天头 37 mm, 订口 28 mm), body in 3号 仿宋_GB2312 on 22 lines of 28 characters
(exact line pitch 28.95 pt), title in 2号 小标宋, 一、 in 黑体, （一） in 楷体,
page numbers “— 1 —” in 4号 宋体 below the 版心, odd pages at the right and even
pages at the left, one character in from the edge. Fonts are named as Word and
WPS know them (w:rFonts w:eastAsia) so the PC's own 宋体 / 仿宋 / 黑体 / 小标宋
are used; the font table gives each its usual other names (仿宋 for
仿宋_GB2312 …) and GB 2312 charset so a PC without one substitutes a face of
the same family.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

TWIPS_PER_MM = 1440 / 25.4

# Chinese type sizes in points (号).
SIZE = {"二号": 22, "小二": 18, "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)


@dataclass(frozen=True)
class Fonts:
    """The faces named in the document (east-asian names as Word and WPS list them)."""

    title: str = "方正小标宋简体"  # 2号 小标宋 (GB/T 9704 7.3.3); 黑体 where the office uses it
    body: str = "仿宋_GB2312"      # 3号 仿宋
    h1: str = "黑体"
    h2: str = "楷体_GB2312"
    table: str = "宋体"
    table_head: str = "黑体"
    latin: str = "Times New Roman"  # digits and Latin letters in official documents

    @classmethod
    def official(cls) -> "Fonts":
        """The family names printing uses for the same roles (perfdesk.printing.fonts.OFFICIAL_FAMILIES)."""
        from perfdesk.printing.fonts import OFFICIAL_FAMILIES as f

        return cls(title=f["xbs"], body=f["fang"], h1=f["hei"], h2=f["kai"], table=f["song"], table_head=f["hei"])


# Other names a PC may know a face by, and its family for substitution (font table).
FONT_TABLE = {
    "方正小标宋简体": ("方正小标宋_GBK,小标宋,FZXiaoBiaoSong-B05S", "roman"),
    "仿宋_GB2312": ("仿宋,FangSong_GB2312,FangSong", "modern"),
    "楷体_GB2312": ("楷体,KaiTi_GB2312,KaiTi", "modern"),
    "黑体": ("SimHei", "modern"),
    "宋体": ("SimSun", "auto"),
}


@dataclass(frozen=True)
class Page:
    """Page geometry in millimetres (A4 portrait)."""

    width: float = 210
    height: float = 297
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26
    footer: float = 24  # page number's baseline about 7 mm below the 版心
    grid: bool = True   # the 22-line grid of official documents (forms: none)

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right


# Official documents: GB/T 9704 版心 156 × 225 mm. Forms: the same binding margin, more room for the table.
DOCUMENT_PAGE = Page()
FORM_PAGE = Page(top=20, bottom=18, left=28, right=20, footer=10, grid=False)

LINE_PITCH = 579  # twips: 225 mm ÷ 22 lines = 28.95 pt
INDENT_2 = 640    # two 3号 characters (2 × 16 pt)


def rpr(font: str, size: float, latin: str | None = None, bold: bool = False) -> str:
    latin = latin or font
    return (f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}"/>'
            f'{"<w:b/><w:bCs/>" if bold else ""}<w:sz w:val="{round(size * 2)}"/>'
            f'<w:szCs w:val="{round(size * 2)}"/></w:rPr>')


def styles_xml(fonts: Fonts) -> list[str]:
    """Paragraph styles, named in Chinese so the officer finds them in WPS / Word."""
    body = SIZE["三号"]
    exact = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'

    def style(sid: str, name: str, ppr: str, run: str, next_id: str | None = None) -> str:
        nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
        return (f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
                f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/>{nxt}<w:qFormat/>'
                f'<w:pPr>{ppr}</w:pPr>{run}</w:style>')

    # exact line pitch in cells: the same rows whatever the face's own line gap (宋体 or a substitute)
    cell_spacing = '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="270" w:lineRule="exact"/>'
    small_spacing = '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="230" w:lineRule="exact"/>'
    return [
        style("PDTitle", "公文标题", f'<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="{LINE_PITCH}" '
              f'w:line="700" w:lineRule="exact"/><w:jc w:val="center"/>',
              rpr(fonts.title, SIZE["二号"], fonts.latin), "PDBody"),
        style("PDBody", "公文正文", f'{exact}<w:ind w:firstLine="{INDENT_2}"/><w:jc w:val="both"/>',
              rpr(fonts.body, body, fonts.latin)),
        style("PDH1", "一级标题", f'<w:keepNext/>{exact}<w:ind w:firstLine="{INDENT_2}"/><w:jc w:val="both"/>'
              '<w:outlineLvl w:val="0"/>', rpr(fonts.h1, body, fonts.latin), "PDBody"),
        style("PDH2", "二级标题", f'<w:keepNext/>{exact}<w:ind w:firstLine="{INDENT_2}"/><w:jc w:val="both"/>'
              '<w:outlineLvl w:val="1"/>', rpr(fonts.h2, body, fonts.latin), "PDBody"),
        style("PDH3", "三级标题", f'<w:keepNext/>{exact}<w:ind w:firstLine="{INDENT_2}"/><w:jc w:val="both"/>'
              '<w:outlineLvl w:val="2"/>', rpr(fonts.body, body, fonts.latin, bold=True), "PDBody"),
        style("PDSign", "落款", f'{exact}<w:ind w:right="{2 * INDENT_2}"/><w:jc w:val="right"/>',
              rpr(fonts.body, body, fonts.latin)),
        style("PDFormTitle", "表格标题", '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="120" w:line="560" '
              'w:lineRule="exact"/><w:jc w:val="center"/>', rpr(fonts.title, SIZE["二号"], fonts.latin)),
        style("PDFormLine", "表格说明", '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="80" w:line="300" '
              'w:lineRule="atLeast"/>', rpr(fonts.table, SIZE["小四"], fonts.latin)),
        style("PDCell", "表格文字", cell_spacing, rpr(fonts.table, SIZE["五号"], fonts.latin)),
        style("PDCellSmall", "表格文字（小五）", small_spacing,
              rpr(fonts.table, SIZE["小五"], fonts.latin)),
        style("PDCellHead", "表格表头", cell_spacing + '<w:jc w:val="center"/>',
              rpr(fonts.table_head, SIZE["五号"], fonts.latin)),
        style("PDCellHeadSmall", "表格表头（小五）", small_spacing + '<w:jc w:val="center"/>',
              rpr(fonts.table_head, SIZE["小五"], fonts.latin)),
        style("PDNote", "表注", '<w:snapToGrid w:val="0"/><w:spacing w:before="60" w:after="0" '
              'w:line="240" w:lineRule="auto"/>',
              rpr(fonts.table, SIZE["小五"], fonts.latin)),
        style("PDSignLine", "签章栏", '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="120" w:after="0" '
              'w:line="360" w:lineRule="atLeast"/>',
              rpr(fonts.table, SIZE["五号"], fonts.latin)),
        style("PDPageNumber", "页码", '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0"/>',
              rpr(fonts.table, SIZE["四号"], fonts.latin)),
    ]


def font_table_xml() -> list[str]:
    out = []
    for name, (alt, family) in FONT_TABLE.items():
        out.append(f'<w:font xmlns:w="{W_NS}" w:name="{name}"><w:altName w:val="{alt}"/>'
                   f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    return out


# ---------------------------------------------------------------- paragraphs

def text_runs(text: str, rpr_xml: str = "") -> str:
    """Runs for a text; tabs kept, other control characters dropped (invalid in XML)."""
    if "\n" in text:  # a line break inside one paragraph (a title on two lines)
        return f"<w:r>{rpr_xml}<w:br/></w:r>".join(text_runs(line, rpr_xml) for line in text.split("\n"))
    parts = []
    for i, chunk in enumerate(text.split("\t")):
        if i:
            parts.append(f"<w:r>{rpr_xml}<w:tab/></w:r>")
        chunk = _clean(chunk)
        if chunk:
            parts.append(f'<w:r>{rpr_xml}<w:t xml:space="preserve">{escape(chunk)}</w:t></w:r>')
    return "".join(parts)


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch >= " " or ch == "\t")


def paragraph(text: str, style: str, align: str | None = None, extra_ppr: str = "",
              rpr_xml: str = "") -> str:
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}{jc}</w:pPr>{text_runs(text, rpr_xml)}</w:p>'


def table_gap() -> str:
    """A paragraph 1 pt high between two tables of one form: without it Word and LibreOffice
    join adjacent tables into one (and give all of it the last one's borders)."""
    return ('<w:p><w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" '
            'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def section_break(page: Page, footers: str) -> str:
    """A paragraph ending a section (the next starts on a new page) with the given geometry."""
    return f'<w:p><w:pPr>{sect_pr(page, footers)}</w:pPr></w:p>'


def sect_pr(page: Page, footers: str) -> str:
    grid = f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/>' if page.grid else ""
    return (f'<w:sectPr>{footers}<w:type w:val="nextPage"/>'
            f'<w:pgSz w:w="{mm(page.width)}" w:h="{mm(page.height)}"/>'
            f'<w:pgMar w:top="{mm(page.top)}" w:right="{mm(page.right)}" w:bottom="{mm(page.bottom)}" '
            f'w:left="{mm(page.left)}" w:header="{mm(15)}" w:footer="{mm(page.footer)}" w:gutter="0"/>'
            f'<w:pgNumType w:fmt="decimal"/>{grid}</w:sectPr>')


# ---------------------------------------------------------------- tables

@dataclass
class Cell:
    text: str = ""
    head: bool = False
    align: str | None = None  # "left", "center", "right", "both"


def as_cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    return Cell("" if value is None else str(value))


@dataclass
class Table:
    """A grid of cells with rectangular merges (as ReportLab's SPAN), written as a Word table.

    ``widths`` in millimetres; ``spans`` are ((col0, row0), (col1, row1)) rectangles;
    the first ``header_rows`` rows repeat on every page.
    """

    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    header_rows: int = 0
    small: bool = True       # 小五 (9 pt, as the printed forms); 五号 for sparse tables
    borders: bool = True
    keep_rows: bool = False  # rows never break across pages
    keep_last: int = 0       # the last rows stay with what follows (the signature block)

    def add(self, cells) -> int:
        row = [as_cell(c) for c in cells]
        if len(row) != len(self.widths):
            raise ValueError(f"row of {len(row)} cells in a table of {len(self.widths)} columns")
        self.rows.append(row)
        return len(self.rows) - 1

    def span(self, c0: int, r0: int, c1: int, r1: int) -> None:
        if (c0, r0) != (c1, r1):
            self.spans.append(((c0, r0), (c1, r1)))

    def merge_down(self, col: int, r0: int, r1: int) -> None:
        self.span(col, r0, col, r1)

    def texts(self) -> list[str]:
        """Every non-empty cell text (top-left cells of merges only)."""
        covered = self._covered()
        return [cell.text for r, row in enumerate(self.rows) for c, cell in enumerate(row)
                if cell.text.strip() and (r, c) not in covered]

    def _covered(self) -> set[tuple[int, int]]:
        covered = set()
        for (c0, r0), (c1, r1) in self.spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        covered.add((r, c))
        return covered

    def xml(self) -> str:
        edges, acc = [0], 0.0
        for w in self.widths:  # rounded at the column edges: the columns add up to the table exactly
            acc += w
            edges.append(mm(acc))
        widths = [b - a for a, b in zip(edges, edges[1:])]
        total = edges[-1]
        starts: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for (c0, r0), (c1, r1) in self.spans:
            for r in range(r0, r1 + 1):
                starts[(r, c0)] = (c0, r0, c1, r1)
        border = ('<w:tblBorders>' + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + '</w:tblBorders>'
            if self.borders else '<w:tblBorders>' + "".join(
                f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + '</w:tblBorders>')
        out = [f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>{border}'
               f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="28" w:type="dxa"/>'
               f'<w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
               f'<w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        out.append("</w:tblGrid>")
        body_style = "PDCellSmall" if self.small else "PDCell"
        head_style = "PDCellHeadSmall" if self.small else "PDCellHead"
        for r, row in enumerate(self.rows):
            tr_pr = ""
            if r < self.header_rows:
                tr_pr += "<w:tblHeader/>"
            if self.keep_rows or r < self.header_rows:
                tr_pr += "<w:cantSplit/>"
            out.append(f"<w:tr>{'<w:trPr>' + tr_pr + '</w:trPr>' if tr_pr else ''}")
            c = 0
            while c < len(row):
                rect = starts.get((r, c))
                span, vmerge, text_cell = 1, "", row[c]
                if rect is not None:
                    c0, r0, c1, r1 = rect
                    span = c1 - c0 + 1
                    if r1 > r0:
                        vmerge = '<w:vMerge w:val="restart"/>' if r == r0 else "<w:vMerge/>"
                    if r != r0:
                        text_cell = Cell("")
                width = sum(widths[c:c + span])
                cell_pr = (f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                           f'{f"<w:gridSpan w:val={chr(34)}{span}{chr(34)}/>" if span > 1 else ""}{vmerge}'
                           f'<w:vAlign w:val="center"/></w:tcPr>')
                style = head_style if text_cell.head else body_style
                align = text_cell.align
                lines = text_cell.text.replace("\r\n", "\n").replace("\r", "\n").split("\n") or [""]
                keep = "<w:keepNext/>" if r >= len(self.rows) - self.keep_last else ""
                paras = "".join(paragraph(line, style, align, keep) for line in lines)
                out.append(f"<w:tc>{cell_pr}{paras}</w:tc>")
                c += span
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


__all__ = [
    "Cell", "DOCUMENT_PAGE", "table_gap", "FONT_TABLE", "FORM_PAGE", "Fonts", "INDENT_2", "LINE_PITCH", "Page", "R_NS",
    "SIZE", "Table", "W_NS", "font_table_xml", "mm", "page_break", "paragraph", "rpr", "sect_pr",
    "section_break", "styles_xml", "text_runs",
]
