"""Chinese line breaking and the text flowable every form and document prints with.

One rule, used by every cell, paragraph, title and heading:

- no line begins with closing punctuation (，。、；：？！）》」』】〕〉”’％ …) and
  none ends with opening punctuation (（《「『【〔〈“‘) or a comparison sign;
- a number stays whole with its sign, decimals, percent sign and unit
  (``≤300000``, ``116.11万人``, ``2536万元``, ``3075652``, ``2021-07-05``,
  ``781 元/月``); a Latin word stays whole unless it is wider than the line;
- ``——`` and ``……`` are never split;
- spaces are kept as typed (full-width spaces too, so “年　　月　　日” keeps its
  room to write), except where a line breaks.

``TextFlow`` lays out text with this rule in linear time: lines are computed
once per width, a split hands the remaining lines to the next page without
breaking the text again (a 400,000-character narrative lays out in about a
second, where ReportLab's Paragraph re-broke the rest of the text at every
page). Characters missing from a face are printed with the fallback face.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from perfdesk.printing.fonts import SONG, fallback_font, register_fonts

OPENING = "（([［【〔〈《「『“‘｛{〖"
CLOSING = "，。、；：？！）)]］】〕〉》」』”’｝}〗％%‰·,.;:?!①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
SIGNS = "≥≤≧≦><=＞＜＝≈≠±~～"  # never at the end of a line
NO_END = OPENING + SIGNS

_UNITS = ("万人次|万人|人次|万户|万元|亿元|千元|元|人|户|个|项|次|件|家|所|天|日|月|年|小时|分钟|分|周岁|岁|名|台|"
          "套|册|份|本|期|批|场|公里|千米|平方米|米|亩|吨|斤|倍|条|座|辆|间|张|篇|部|起|例|页|号|点|度")
NUMBER = (rf"(?:[{SIGNS}+\-－]{{1,2}} ?)?\d+(?:(?:[.．] ?|[,:/\-])\d+)*(?: ?[%％‰])?"
          rf"(?: ?(?:{_UNITS})(?:/(?:{_UNITS}))*)?")
_TOKEN = re.compile(
    rf"(?P<num>{NUMBER})"
    r"|(?P<latin>[A-Za-z][A-Za-z0-9_'’./\-]*)"
    r"|(?P<dash>——+|……+|—|…)"
    r"|(?P<space>[ \t\u3000\u00a0]+)"
    r"|(?P<char>.)",
    re.S,
)


def clusters(text: str) -> list[str]:
    """The text cut into pieces that never break inside (see the module rule)."""
    if len(text) <= 200:
        return list(_short_clusters(text))
    return _clusters(text)


@lru_cache(maxsize=32768)
def _short_clusters(text: str) -> tuple[str, ...]:
    return tuple(_clusters(text))


def _clusters(text: str) -> list[str]:
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        piece = m.group()
        if out:
            prev = out[-1].rstrip()
            if piece[0] in CLOSING:
                if not prev and len(out) > 1:
                    space = out.pop()  # “ ）”: the space goes with the piece before
                    out[-1] += space
                out[-1] += piece
                continue
            if prev and prev[-1] in NO_END:
                out[-1] += piece
                continue
        out.append(piece)
    return out


# ---------------------------------------------------------------- measuring

_width_cache: dict[tuple[str, float, float], dict[str, float]] = {}
_coverage: dict[str, object] = {}


def _font(name: str):
    register_fonts()
    return pdfmetrics.getFont(name)


def _has_glyph(font, ch: str) -> bool:
    face = getattr(font, "face", None)
    return face is None or ord(ch) in face.charToGlyph or ch in "\n"


def char_widths(font_name: str, size: float, tracking: float, text: str) -> dict[str, float]:
    """char → advance (with tracking) for ``font_name`` at ``size``; characters the
    face lacks are measured in the fallback face."""
    key = (font_name, size, tracking)
    table = _width_cache.get(key)
    if table is None:
        table = _width_cache[key] = {}
    missing = set(text).difference(table)
    if missing:
        font = _font(font_name)
        fb = None
        for ch in missing:
            if _has_glyph(font, ch):
                w = font.stringWidth(ch, size)
            else:
                fb = fb or fallback_font()
                w = fb.stringWidth(ch, size)
            table[ch] = w + tracking
    return table


@dataclass(frozen=True)
class TextStyle:
    font: str = SONG
    size: float = 9.0
    leading: float = 12.0
    align: str = "left"         # left | center | right | justify
    first_indent: float = 0.0   # points, first line of each paragraph
    left_indent: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    tracking: float = 0.0       # added after every character (fits the 28-character grid)
    color: tuple = (0, 0, 0)

    def but(self, **changes) -> "TextStyle":
        return replace(self, **changes)


def natural_width(text: str, style: TextStyle) -> float:
    """The width of the longest hard line of ``text`` set on one line."""
    widths = char_widths(style.font, style.size, style.tracking, text)
    best = 0.0
    for part in (text or "").split("\n"):
        best = max(best, sum(map(widths.__getitem__, part)))
    return best + style.left_indent + style.right_indent


def min_width(text: str, style: TextStyle) -> float:
    """The widest piece of ``text`` that cannot be broken."""
    widths = char_widths(style.font, style.size, style.tracking, text)
    best = 0.0
    for piece in clusters(text or ""):
        if not piece.isspace():
            best = max(best, sum(map(widths.__getitem__, piece.rstrip())))
    return best + style.left_indent + style.right_indent


# ---------------------------------------------------------------- breaking

@dataclass
class Line:
    start: int     # character offsets in the text
    end: int       # exclusive, trailing spaces excluded
    width: float   # natural width of text[start:end]
    last: bool     # last line of a paragraph (not justified)
    first: bool    # first line of a paragraph (indented)


def break_lines(text: str, style: TextStyle, width: float, widths: dict[str, float] | None = None) -> list[Line]:
    """The lines of ``text`` (paragraphs at ``\\n``) in ``width`` points, by the rule above."""
    if widths is None:
        widths = char_widths(style.font, style.size, style.tracking, text)
    full = width - style.left_indent - style.right_indent
    if "\n" not in text:  # most cells: one short line
        total = sum(map(widths.__getitem__, text))
        if total <= full - style.first_indent + 0.01:
            end = len(text.rstrip())
            return [Line(0, end, total - sum(map(widths.__getitem__, text[end:])), True, True)]
    lines: list[Line] = []
    offset = 0
    for para in text.split("\n"):
        pieces = clusters(para)
        pw = [sum(map(widths.__getitem__, p)) for p in pieces]
        i, n, pos, first = 0, len(pieces), offset, True
        if n == 0:
            lines.append(Line(offset, offset, 0.0, True, True))
        while i < n:
            avail = full - (style.first_indent if first else 0.0)
            if not first:
                while i < n and pieces[i].isspace():
                    pos += len(pieces[i])
                    i += 1
                if i >= n:
                    break
            start, w, ink_end, ink_w = pos, 0.0, pos, 0.0
            while i < n:
                p, cw = pieces[i], pw[i]
                if p.isspace():
                    w += cw
                    pos += len(p)
                    i += 1
                    continue
                if w + cw > avail + 0.01 and ink_end > start:
                    break
                if cw > avail + 0.01 and ink_end == start:
                    # a piece wider than the whole line: break it by characters
                    head, used = _forced_head(p, widths, avail)
                    if len(head) < len(p):
                        pieces[i:i + 1] = [head, p[len(head):]]
                        pw[i:i + 1] = [used, cw - used]
                        n += 1
                        p, cw = head, used
                w += cw
                pos += len(p)
                i += 1
                ink_end, ink_w = pos - (len(p) - len(p.rstrip())), w - _trail(p, widths)
            lines.append(Line(start, ink_end, ink_w, False, first))
            first = False
        if lines and lines[-1].start >= offset:
            lines[-1].last = True
        offset += len(para) + 1
    return lines


def _forced_head(piece: str, widths: dict[str, float], avail: float) -> tuple[str, float]:
    """The longest start of an over-wide piece that fits, preferring a cut that
    leaves no closing mark at the start of the next line and no opening mark at the end."""
    cut, used = 0, 0.0
    for ch in piece:
        if used + widths[ch] > avail + 0.01 and cut:
            break
        cut += 1
        used += widths[ch]
    best = cut
    while best > 1 and (piece[best] in CLOSING or piece[best - 1] in NO_END):
        best -= 1
    if best > 1 or not (piece[best] in CLOSING or piece[best - 1] in NO_END):
        cut = best
    return piece[:cut], sum(map(widths.__getitem__, piece[:cut]))


def _trail(piece: str, widths: dict[str, float]) -> float:
    stripped = piece.rstrip()
    return sum(map(widths.__getitem__, piece[len(stripped):])) if len(stripped) < len(piece) else 0.0


# ---------------------------------------------------------------- the flowable

class TextFlow(Flowable):
    """A paragraph (or a cell's text, line breaks kept) set by ``break_lines``.

    ``font_runs`` — optional (end offset, font name) pairs giving a different
    face to parts of the text (a heading run-in in 黑体); otherwise the style's.
    """

    def __init__(self, text: str, style: TextStyle, font_runs: tuple = (), *, _lines=None, _width=None,
                 _cont: bool = False) -> None:
        super().__init__()
        text = text or ""
        if _lines is None and "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.style = style
        self.font_runs = tuple(font_runs)
        self._lines = _lines
        self._for_width = _width
        self._cont = _cont  # a continuation: the first line is not a paragraph start
        self._frozen = _lines is not None
        self.width = 0.0
        self.height = 0.0

    # ReportLab asks for these
    def getSpaceBefore(self):  # noqa: N802
        return 0.0 if self._cont else self.style.space_before

    def getSpaceAfter(self):  # noqa: N802
        return self.style.space_after

    def _layout(self, width: float) -> list[Line]:
        if self._frozen and self._lines is not None and self._for_width <= width + 0.01:
            return self._lines  # a part of a split: its lines stay as they were cut
        if self._lines is None or self._for_width is None or abs(self._for_width - width) > 0.01:
            if self.font_runs:
                self._lines = _break_runs(self.text, self.style, self.font_runs, width)
            else:
                self._lines = break_lines(self.text, self.style, width)
            if self._cont and self._lines:
                self._lines[0].first = False
            self._for_width = width
        return self._lines

    def wrap(self, availWidth, availHeight):  # noqa: N802
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def minWidth(self):  # noqa: N802
        return min_width(self.text, self.style)

    keep_whole = False  # a label: never cut across pages (it moves to the part that has room)

    def split(self, availWidth, availHeight):  # noqa: N802
        if self.keep_whole:
            w, h = self.wrap(availWidth, availHeight)
            return [self, TextFlow("", self.style)] if h <= availHeight + 0.01 else []
        # A table splitting a row passes the column width with its padding: keep the
        # lines of the narrower width this text was wrapped for.
        if self._lines is not None and self._for_width is not None and self._for_width <= availWidth + 0.01:
            lines, availWidth = self._lines, self._for_width
        else:
            lines = self._layout(availWidth)
        fit = int((availHeight + 0.01) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit <= 0:
            return []
        head = TextFlow(self.text, self.style, self.font_runs, _lines=lines[:fit], _width=availWidth,
                        _cont=self._cont)
        head.style = replace(self.style, space_after=0.0)
        tail = TextFlow(self.text, self.style, self.font_runs, _lines=lines[fit:], _width=availWidth,
                        _cont=True)
        return [head, tail]

    def draw(self) -> None:
        draw_lines(self.canv, self.text, self.style, self._lines or [], self.width, 0.0, self.height,
                   self.font_runs)


def _font_at(runs: tuple, default: str):
    """A function offset → font name for (end, font) runs."""
    def at(i: int) -> str:
        for end, name in runs:
            if i < end:
                return name
        return default
    return at


def _break_runs(text: str, style: TextStyle, runs: tuple, width: float) -> list[Line]:
    """Break text whose runs have different faces, measuring each character in the
    widest of them (a line never overflows)."""
    tables = [char_widths(name, style.size, style.tracking, text) for _, name in runs]
    tables.append(char_widths(style.font, style.size, style.tracking, text))
    merged = {ch: max(t[ch] for t in tables) for ch in set(text)}
    return break_lines(text, style, width, merged)


@lru_cache(maxsize=65536)
def _covered_cached(font_name: str, text: str) -> bool:
    return _covered_now(pdfmetrics.getFont(font_name), text)


def _covered(font, text: str) -> bool:
    if len(text) < 2000:
        return _covered_cached(font.fontName, text)
    return _covered_now(font, text)


def _covered_now(font, text: str) -> bool:
    face = getattr(font, "face", None)
    if face is None:
        return True
    cmap = face.charToGlyph
    return all(ord(ch) in cmap for ch in set(text) if ch != "\n")


class TextBatch:
    """One PDF text object for many cells (a table's text drawn in one go)."""

    def __init__(self, canv) -> None:
        self.canv = canv
        self.t = canv.beginText()
        self.font: tuple | None = None
        self.cs = 0.0
        self.color: tuple | None = None

    def set(self, font: str, size: float, leading: float, color: tuple) -> None:
        if color != self.color:
            self.t.setFillColorRGB(*color)
            self.color = color
        if (font, size) != self.font:
            self.t.setFont(font, size, leading)
            self.font = (font, size)

    def flush(self) -> None:
        self.canv.drawText(self.t)


def draw_lines(canv, text: str, style: TextStyle, lines: list[Line], width: float, x0: float,
               top: float, font_runs: tuple = (), batch: TextBatch | None = None) -> None:
    """Draw ``lines`` of ``text``; ``top`` is the y of the first line's top edge."""
    if not lines:
        return
    size, leading = style.size, style.leading
    main = _font(style.font)
    simple = not font_runs and _covered(main, text if len(text) < 2000 else text[lines[0].start:lines[-1].end])
    at = _font_at(font_runs, style.font)
    own = batch is None
    if own:
        batch = TextBatch(canv)
    t = batch.t
    batch.set(style.font, size, leading, style.color)
    y = top - (leading - size) / 2 - 0.88 * size
    inner = width - style.left_indent - style.right_indent
    fb_name = None
    for line in lines:
        s = text[line.start:line.end]
        indent = style.first_indent if line.first else 0.0
        avail = inner - indent
        x = x0 + style.left_indent + indent
        cs = style.tracking
        if style.align == "center":
            x += (avail - line.width) / 2
        elif style.align == "right":
            x += avail - line.width
        elif style.align == "justify" and not line.last and len(s) > 1:
            slack = avail - line.width
            if 0 < slack < 3 * size:
                cs += slack / (len(s) - 1)
        y_line = y
        y -= leading
        if not s:
            continue
        t.setTextOrigin(x, y_line)
        if cs != batch.cs:
            t.setCharSpace(cs)
            batch.cs = cs
        if simple:
            t.textOut(s)
            continue
        # runs of one face: the style's, a run's, or the fallback for a missing glyph
        run_start, run_font = 0, None
        for k, ch in enumerate(s):
            name = at(line.start + k)
            if not _has_glyph(main if name == style.font else _font(name), ch):
                if fb_name is None:
                    fb_name = fallback_font().fontName
                name = fb_name
            if name != run_font:
                if run_font is not None and k > run_start:
                    t.textOut(s[run_start:k])
                batch.set(name, size, leading, style.color)
                run_font, run_start = name, k
        t.textOut(s[run_start:])
        batch.set(style.font, size, leading, style.color)
    if own:
        batch.flush()


def simple_lines(text: str, style: TextStyle, width: float) -> list[Line]:
    return break_lines(text, style, width)


__all__ = [
    "CLOSING", "Line", "NO_END", "NUMBER", "OPENING", "TextFlow", "TextStyle", "break_lines", "char_widths",
    "TextBatch", "clusters", "draw_lines", "min_width", "natural_width",
]
