"""Splitting pasted text into table rows and prose paragraphs.

Two table formats occur in text copied from the forms:

(a) one row per line, cells separated by TAB (Excel, WPS tables, seeds 000/003/004);
(b) Word tables flattened one cell per line (seeds 001/002): a cell starts
    with a leading TAB, a line without a leading TAB continues the previous
    cell (“产\\n出\\n指\\n标\\n(50分)”), an empty line ends the row.

Lines outside tables are prose paragraphs. Cells holding only spaces,
U+3000 or U+00A0 are empty; rows holding only “……” placeholders are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PLACEHOLDERS = {"……", "…", "...", "……。"}
_SENTENCE_END = tuple("。；;：:！？!?，,、")


@dataclass
class Item:
    """A table row (``cells``) or a prose paragraph (``text``), with its line number."""

    kind: str                      # "row" | "para" | "placeholder" (a “……” row)
    line: int                      # 1-based line number where it starts
    cells: list[str] = field(default_factory=list)
    text: str = ""
    tabbed: bool = False           # format (a) row
    origin: str = ""               # where in the file, for the report (“表 2 第 3 行”); "" for text lines
    exact: bool = True             # cells stand in their columns (TAB rows, Word, docx, html, pdf grids)
    notes: list[str] = field(default_factory=list)   # how a reader had to repair the row (for the report)

    @property
    def is_row(self) -> bool:
        return self.kind == "row"

    def nonempty(self) -> list[str]:
        return [c for c in self.cells if c]


def clean_cell(lines: list[str]) -> str:
    """One cell's text from its lines: short broken lines are joined without a
    separator (“年初\\n预算数” → “年初预算数”), sentences keep their line breaks."""
    parts = [ln.strip() for ln in lines]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for prev, part in zip(parts, parts[1:]):
        if len(prev) <= 10 and not prev.endswith(_SENTENCE_END):
            out += part
        else:
            out += "\n" + part
    return out


def is_placeholder_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(c in PLACEHOLDERS for c in filled)


def _opens_quote(field_text: str) -> bool:
    return field_text.startswith('"') and field_text.count('"') % 2 == 1


def _excel_quoted(lines: list[str], start: int) -> tuple[str, int] | None:
    """Excel copies a cell holding line breaks as “"line 1\nline 2"”: join such a
    row's lines. Returns (joined line, index after it) or None."""
    line = lines[start]
    if not any(_opens_quote(f) for f in line.split("\t")):
        return None
    joined, end = line, start + 1
    while joined.count('"') % 2 == 1 and end < len(lines) and end - start <= 50:
        joined += "\n" + lines[end]
        end += 1
    if joined.count('"') % 2 == 1 or "\t" not in joined or end == start + 1:
        return None
    return joined, end


def _unquote(field_text: str) -> str:
    """“"a ""b"" c"” → “a "b" c” (Excel's quoting); other cells unchanged."""
    if len(field_text) >= 2 and field_text.startswith('"') and field_text.endswith('"'):
        return field_text[1:-1].replace('""', '"')
    return field_text


def parse_items(text: str) -> list[Item]:
    """Rows and paragraphs of ``text`` in order; “……” rows have kind "placeholder"."""
    items: list[Item] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    row: Item | None = None          # an open format-(b) row
    cell_lines: list[str] | None = None

    def close_cell():
        nonlocal cell_lines
        if row is not None and cell_lines is not None:
            row.cells.append(clean_cell(cell_lines))
        cell_lines = None

    def close_row():
        nonlocal row
        close_cell()
        if row is not None:
            if is_placeholder_row(row.cells):
                row.kind = "placeholder"
            items.append(row)
        row = None

    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        joined = _excel_quoted(lines, index - 1)
        if joined is not None:
            line, index = joined
        if line == "":
            close_row()
            continue
        if line.strip() == "" and "\t" not in line:
            if row is not None and cell_lines is not None:
                continue  # a blank-looking continuation line (“ ”) inside a cell
            continue
        tabs = line.count("\t")
        if tabs == 1 and line.startswith("\t"):
            # format (b): a new cell of the open row
            close_cell()
            if row is None:
                row = Item("row", number)
            cell_lines = [line[1:]]
            continue
        if tabs >= 1:
            # format (a): a whole row on one line
            close_row()
            cells = [clean_cell([_unquote(c)]) for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                kind = "placeholder" if is_placeholder_row(cells) else "row"
                items.append(Item(kind, number, cells=cells, tabbed=True))
            continue
        if row is not None and cell_lines is not None:
            cell_lines.append(line)  # continues the previous cell
            continue
        text_line = line.strip()
        if text_line:
            items.append(Item("para", number, text=text_line))
    close_row()
    return items


def table_rows(text: str) -> list[list[str]]:
    """Split pasted text (either format) into rows of cells.

    Prose lines become one-cell rows; empty rows and “……” placeholder rows
    are dropped; trailing empty cells are removed.
    """
    rows: list[list[str]] = []
    for item in parse_items(text):
        if item.kind == "placeholder":
            continue
        if item.is_row:
            cells = list(item.cells)
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
        elif item.text:
            rows.append([item.text])
    return rows


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff\u201c\u201d\"])\s+(?=[\u4e00-\u9fff(（\u201c\"])")


def tidy_name(text: str) -> str:
    """“服务对象 满意度” → “服务对象满意度”; line breaks inside a name removed (with the
    spaces around them). Linear: no pattern that can backtrack over a long run of spaces."""
    parts = (text or "").split("\n")
    if len(parts) > 1:
        text = parts[0].rstrip() + "".join(p.strip() for p in parts[1:-1]) + parts[-1].lstrip()
    else:
        text = parts[0]
    return _CJK_GAP.sub("", text).strip()


def compact(text: str) -> str:
    """All whitespace removed (for comparing labels)."""
    return "".join((text or "").split())


__all__ = ["Item", "clean_cell", "compact", "is_placeholder_row", "parse_items", "table_rows", "tidy_name"]
