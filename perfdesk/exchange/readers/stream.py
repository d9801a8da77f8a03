"""Cells as a stream, rebuilt into rows by the names of the form's labels and columns.

Copies of web pages and PDF viewers often lose the rows of a table: one cell per line,
cells between blank lines, ``|`` cells broken over lines at random, cells separated by
single spaces, or cells run together without any separator (“项目名称演出设备更新专项经费
主管部门新洲区楚剧团…”). Such text is read as a stream of tokens:

1. **labels** are found by name (resources/synonyms/columns.json — 项目名称, 主管部门, 全年预算数,
   年度资金总额, 一级指标, 产出指标 …), also when spaced out (“产 出 指 标”, “年度 指标值”) or
   glued to their neighbours; a following “(50分)” stays with its label;
2. the text between labels is one token per line or cell — or, when the file separates its
   cells by single spaces, one token per word;
3. the tokens are put back into rows by a small grammar: a label and its value; a funds
   header and its rows (figures assigned to columns by type and by the form's arithmetic,
   ``generic._fund_fit``); the 年度总体目标; the indicator header (one or two rows of names,
   put in the order of a 财政部 form) and its records — group labels, a name, then a value
   for each column in the header's order (a number under 分值/得分, a sign under 指标性质, a
   unit under 度量单位 …), figures run together split where the columns and the arithmetic
   say (``split_values``); 总分/合计; 评价结论 / 存在问题 / 改进措施.

The rebuilt rows hold every cell in its column and go to the form families like any other
rows. Linear in the size of the text; text beyond ``MAX_STREAM_CHARS`` is left as
paragraphs (reported as text that belongs to no form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.readers.align import cell_type
from perfdesk.exchange.text_rows import Item, tidy_name

MAX_STREAM_CHARS = 300_000
MAX_TOKENS = 50_000
_CJK = "\u4e00-\u9fff"
_POINTS = re.compile(r"\s*[(（]\s*\d{1,3}(?:\.\d+)?\s*分?\s*[)）]")
_LONE_POINTS = re.compile(r"[(（]\s*\d{1,3}(?:\.\d+)?\s*分?\s*[)）]|\d{1,3}(?:\.\d+)?\s*分\s*[)）]")
_SPACED_CHARS = re.compile(rf"([{_CJK}](?: [{_CJK}]){{2,}})")
_PAGE_MARK = re.compile(r"^\d{1,2}、(?=\S)")   # “2、” page markers of document-sharing sites
_TOTALS = {"总分", "合计", "得分合计", "总计", "综合得分", "自评得分", "自评总分", "合计得分"}
_END_WORDS = ("注:", "注：", "备注", "填表说明", "说明:", "说明：")
_STATUS_WORDS = ("完成", "未完成", "部分完成", "基本完成", "已完成", "达成", "未达成", "部分达成", "是", "否")
_REASON_WORDS = ("原因", "无", "未", "暂无", "措施", "。", "，", ",", "；", ";")


@dataclass
class Token:
    text: str
    kind: str          # "label" | "text"
    role: str = ""     # for labels, "|"-separated: "meta:project_name", "fund:spent", "row:total",
    #                    "col:weight", "group1", "group2", "goals:expected", "total", "end", "narr:problems", "block"
    line: int = 0
    note: str = ""     # how the token was repaired (OCR), for the report

    def has(self, prefix: str) -> bool:
        return self.kind == "label" and any(r.startswith(prefix) for r in self.role.split("|"))

    def get(self, prefix: str) -> str:
        return next((r[len(prefix):] for r in self.role.split("|") if r.startswith(prefix)), "")


# --- labels ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _label_trie() -> dict:
    """A trie of every label name (normalised), whitespace-insensitive matching."""
    names: dict[str, str] = {}

    def add(name: str, role: str):
        k = vocab.key(name)
        if len(k) < 2:
            return
        roles = names.get(k, "")
        if role not in roles.split("|"):
            names[k] = f"{roles}|{role}" if roles else role

    syn = vocab.synonyms()
    for role, entry in syn["meta"].items():
        for name in entry["names"]:
            if role in ("stated_total", "grade"):
                add(name, "total" if role == "stated_total" else "meta:grade")
            elif len(vocab.key(name)) >= 3 or name in ("部门",):
                add(name, f"meta:{role}")
    for role, entry in syn["fund_columns"].items():
        for name in entry["names"]:
            add(name, f"fund:{role}")
    for role, entry in syn["fund_rows"].items():
        for name in entry["names"]:
            if len(vocab.key(name)) >= 4:
                add(name, f"row:{role}")
    for role, entry in syn["columns"].items():
        for name in entry["names"]:
            if len(vocab.key(name)) >= 2 and (role != "ignored" or len(vocab.key(name)) >= 4):
                add(name, f"col:{role}")
    for role, entry in syn["blocks"].items():
        for name in entry["names"]:
            if role == "end":
                if len(vocab.key(name)) >= 4:
                    add(name, "end")
            elif role.startswith("narrative_"):
                add(name, "narr:" + role[len("narrative_"):])
            elif role.startswith("goals"):
                add(name, "goals:" + (role.split("_")[1] if "_" in role else "block"))
    for level in ("level1", "level2"):
        for name in syn["groups"][level]["names"]:
            if name.endswith("指标") or len(name) >= 4:
                add(name, "group" + level[-1])
    for name in ("总分", "得分合计", "自评总分", "自评得分", "综合得分"):
        add(name, "total")
    for name in ("项目资金", "预算执行情况", "资金情况", "资金投入情况", "预算资金", "年度绩效目标", "绩效指标",
                 "年度绩效指标完成情况", "绩效目标完成情况"):
        add(name, "block")
    # many names are written with 指标 dropped or added; both are found by the longest match
    trie: dict = {}
    for name, role in names.items():
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node["\0"] = (name, role)
    return trie


@lru_cache(maxsize=1)
def _scrambled_names() -> dict[tuple[int, str], tuple[str, str]]:
    """(length, sorted characters) -> (name, role) of the group and column names of four or more
    characters that no other name shares its characters with."""
    out: dict[tuple[int, str], tuple[str, str]] = {}
    seen: set[tuple[int, str]] = set()

    def walk(node, prefix):
        for ch, child in node.items():
            if ch == "\0":
                name, role = child
                if len(name) >= 4 and any(r.startswith(("group", "col:")) for r in role.split("|")) \
                        and all("\u4e00" <= c <= "\u9fff" for c in name):
                    k = (len(name), "".join(sorted(name)))
                    if k in seen:
                        out.pop(k, None)
                    else:
                        out[k] = (name, role)
                    seen.add(k)
            else:
                walk(child, prefix + ch)

    walk(_label_trie(), "")
    return out


def _scrambled_label(text: str, start: int) -> tuple[int, str, str] | None:
    """A group or column name whose characters OCR put out of order (“出标产指” for 产出指标,
    “益标效指” for 效益指标, “性标定指” for 定性指标 — vertical cells read across): the same
    characters, each once, in another order. (end, name, role) or None."""
    table = _scrambled_names()
    for size in (6, 5, 4):
        piece = text[start:start + size]
        if len(piece) < size or not all("\u4e00" <= c <= "\u9fff" for c in piece):
            continue
        found = table.get((size, "".join(sorted(piece))))
        if found is None or found[0] == piece:
            continue
        if any(_match_label(text, j) is not None for j in range(start + 1, start + size)):
            continue   # “…指标一级指标…”: a real name starts inside, the characters are in their order
        return start + size, found[0], found[1]
    return None


def _match_label(text: str, start: int) -> tuple[int, str, str] | None:
    """(end, name, role) of the longest label at ``start`` (spaces inside a label allowed)."""
    trie = _label_trie()
    node = trie
    best = None
    i = start
    n = len(text)
    steps = 0
    while i < n and steps < 40:
        ch = text[i]
        if ch in " \u3000\xa0\t" and i > start:
            i += 1
            continue
        ch = ch.translate(_HALF)
        node = node.get(ch)
        if node is None:
            break
        i += 1
        steps += 1
        if "\0" in node:
            best = (i, *node["\0"])
    return best


_HALF = str.maketrans({"（": "(", "）": ")", "：": ":"})


_LETTERS = re.compile(r"[(（]\s*[A-E](?:\s*[/÷]\s*[A-E])?(?:\s*[×x*]\s*100\s*%)?\s*[)）]")
_LETTER_NOTE = re.compile(r"\s*[(（]\s*[A-E]\s*(?:[/÷]\s*[A-E]\s*)?(?:[×x*]\s*100\s*%\s*)?[)）1l]")
_NUMBERED_BEFORE = re.compile(r"指标\s*\d{1,2}\s*[:：]\s*$")
_PLACEHOLDER_IN = re.compile(r"指标\s*\d{1,2}\s*[:：]")
_NOTE_START = re.compile(r"(?:备注|注|说明)\s*[:：]\s*1\s*[、.．]")


def _split_labels(line: str, number: int) -> list[Token]:
    """A line cut into label tokens and the text between them; “注:1、…” (the printed notes
    under a form) is an end label with its text."""
    note = _NOTE_START.search(line)
    if note is not None:
        head = _split_labels(line[:note.start()], number) if note.start() else []
        return head + [Token("注", "label", "end", number), Token(line[note.start():], "text", line=number)]
    out: list[Token] = []
    text_start = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if not ("\u4e00" <= ch <= "\u9fff"):
            i += 1
            continue
        found = _match_label(line, i)
        scrambled = None
        if found is None:
            scrambled = _scrambled_label(line, i)
            if scrambled is None:
                i += 1
                continue
            found = scrambled
        end, name, role = found
        before = line[text_start:i]
        if before.count("(") + before.count("（") > before.count(")") + before.count("）"):
            i += 1   # “结余率(计算方法为:结余数/预算数)”: a name inside an open bracket is a note, no label
            continue
        if line[end:end + 1] == "表" and all(r.startswith(("col:", "total")) for r in role.split("|")):
            i += 1   # “…绩效评价得分表”: a column name ending a title is no column
            continue
        # a meta label as its own cell: a line's first word (“部门 金寨县…”), or the first label after a
        # form's title run together with it (“…自评表(2023年度)部门金寨县…”); asked of meta labels only
        own_cell = "meta:" in role and (
            (i <= 4 and not line[:i].strip() and line[end:end + 1] in (" ", "\u3000", "\xa0", "\t"))
            or bool(_TITLE_END.search(line[max(0, i - 40):i])))
        if len(name) < 3 and "meta:" in role and not line[end:end + 1] in (":", "：") and line[end:].strip() \
                and not role.startswith(("col:", "fund:")) and not own_cell:
            i += 1   # “部门” inside “1、部门预算项目”: a short label only stands alone (a line's first
            #          cell, “部门 金寨县…” in a space-separated copy) or before a colon
            continue
        if role.startswith("group") and _NUMBERED_BEFORE.search(line[max(text_start, i - 8):i]):
            i += 1   # “指标5:服务对象满意度”: a numbered indicator's name, though it is also a group's
            continue
        glued_left = i > text_start and ("\u4e00" <= line[i - 1] <= "\u9fff" or line[i - 1] in ")）")
        weak = all(r.startswith(("goals:", "narr:", "block", "group")) for r in role.split("|"))
        if weak and glued_left and "block" in role and line[end:].lstrip(" \u3000\xa0")[:1] in ("(", "（"):
            weak = False   # “…发展股项目资金(万元)”, “…局机关项目资金 (万元)”: a block label before its unit
        if weak and glued_left and len(name) < 5 and (not _POINTS.match(line, end) or "group" not in role) \
                and not (role.startswith("group") and name.endswith("指标")):
            i += 1   # “完成情况” inside “重点改革(重点工作)完成情况”
            continue
        after_group = i == text_start and out and out[-1].has("group1") and role.startswith("group2")
        after_record = i > 0 and (line[i - 1].isdigit() or line[i - 1] in "%％") and role.startswith("group2") \
            and len(name) >= 4
        if role.startswith("group") and not name.endswith("指标") and not _POINTS.match(line, end) \
                and line[end:].strip() and not line[end:end + 1].isspace() and not (after_group or after_record):
            # “预算执行” inside “预算执行进度监控”: a group name not ending in 指标 needs its points —
            # unless it follows its level-1 label (“效益指标经济效益…”) or the last figure of a record
            # (“…6.47亿元10可持续性…”), where a name starts
            i += 1
            continue
        # a label glued inside a longer word is no label unless it is long (“…县级储备粮负责人及电话…”),
        # or a total before its figures (“…无总分10096优”: the text before is a cell run together with
        # it), or the first label after a title run together with it (own_cell)
        total_before_figures = role == "total" and line[end:end + 1].isdigit()
        if not own_cell and i > text_start and len(name) < 4 and "\u4e00" <= line[i - 1] <= "\u9fff" and "col:" not in role \
                and not total_before_figures:
            i += 1
            continue
        if i > text_start and "col:" in role and len(name) < 3 and ("\u4e00" <= line[i - 1] <= "\u9fff"
                                                                  or line[i - 1].isdigit()):
            i += 1   # “…普通省道二级公路…”, “指标3一级种薯…”: a short column name inside a word (header names come in runs)
            continue
        if i > text_start and all(r.startswith("row:") for r in role.split("|")) and len(name) <= 4 \
                and "\u4e00" <= line[i - 1] <= "\u9fff" and not (out and out[-1].kind == "label" and text_start == i):
            i += 1   # “…收入补助地方资金(普通省道…)”: a funds row name inside a project's name
            continue
        between = line[text_start:i].strip()
        if i > text_start and len(between) == 1 and "\u4e00" <= between <= "\u9fff" and out \
                and out[-1].has("col:") and "col:" in role:
            out[-1].text += between   # “全年完成值” “值” “得分系数”: a stray character of the name before
        elif i > text_start:
            out.append(Token(line[text_start:i], "text", line=number))
        m = _POINTS.match(line, end)
        if m:
            end = m.end()
        m = _LETTER_NOTE.match(line, end) if ("fund:" in role or "col:" in role) else None
        if m:
            end = m.end()   # “执行率(B/A1”: the column's letters, a “)” read as “1” by OCR
        if "meta:" in role and line[end:end + 1] in (":", "："):
            end += 1   # “项目名称:新型…”: the colon closes the label, it is no part of the value
        if role == "group2" and line[end:end + 1] == "等" and "\u4e00" <= line[end + 1:end + 2] <= "\u9fff":
            end += 1   # “服务对象满意度指标等学生满意度…”: the form's label is “…指标等”
        if scrambled is not None:
            out.append(Token(name, "label", role, number, note=f"“{line[i:end]}”是字序错乱的“{name}”（识别错误），按“{name}”读取"))
        else:
            out.append(Token(line[i:end], "label", role, number))
        i = text_start = end
    if text_start < n:
        rest = line[text_start:]
        glued = re.match(r"[\u4e00-\u9fff](?=\s|$)", rest)
        if glued and out and out[-1].kind == "label" and (out[-1].has("group") or out[-1].has("col:")):
            out[-1].text += glued.group()   # “服务对象满意度指标等”: a word glued to its label
            rest = rest[1:]
        if rest.strip():
            out.append(Token(rest, "text", line=number))
    return out


# --- tokens -----------------------------------------------------------------------------------

_SPACED_POINTS = re.compile(r"([(（]\s*\d{1,3}(?:\.\d+)?)\s+(分\s*[)）])")


def _spaced_out(m: re.Match) -> str:
    """“产 出 指 标” → “产出指标”: characters spaced out one by one are a word — when the run stands
    apart (no character glued to either end) or makes a label (“效 益 指 标生态…” in a run-together
    copy); “事项 无 总分” keeps its spaces (the “项 无 总” inside it is three cells' edges)."""
    joined = m.group(1).replace(" ", "")
    text, start, end = m.string, m.start(1), m.end(1)
    apart = not (start and "\u4e00" <= text[start - 1] <= "\u9fff") and not (
        end < len(text) and "\u4e00" <= text[end] <= "\u9fff")
    return joined if apart or _whole_label(joined) else m.group(1)


def _clean(text: str) -> str:
    text = _SPACED_CHARS.sub(_spaced_out, text)
    return " ".join(text.split())


def _join_pages(lines: list[str]) -> list[str]:
    """Document-sharing sites print a document as long lines numbered “1、…”, “2、…” — one per page,
    cut anywhere, even inside a number: the pages are joined back into one text."""
    marked = [i for i, ln in enumerate(lines) if len(ln) > 60 and re.match(r"^\d{1,2}、", ln)]
    if len(marked) < 2:
        return lines
    first, last = marked[0], marked[-1]
    body = "".join(_PAGE_MARK.sub("", lines[i].strip(), count=1) if i in marked else lines[i].strip()
                   for i in range(first, last + 1))
    return lines[:first] + [body] + [""] * (last - first) + lines[last + 1:]


def tokens_of(lines: list[str], pipes: bool) -> tuple[list[Token], bool]:
    """The tokens of the text and whether its cells are separated by single spaces."""
    if not pipes:
        lines = _join_pages(lines)
    cells: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        parts = line.split("|") if pipes else [line]
        for part in parts:
            part = part.strip()
            if len(part) > 60:
                part = _PAGE_MARK.sub("", part)
            part = _clean(part)
            if part:
                cells.append((part, number))
    spaced = not pipes and _space_separated([c for c, _ in cells])
    if not spaced:
        cells = _join_broken_labels(cells)
    tokens: list[Token] = []
    for cell, number in cells:
        if len(cell) == 1 and "\u4e00" <= cell <= "\u9fff" and tokens and tokens[-1].kind == "label":
            tokens[-1].text += cell   # “服务对象满意度指标” + “等”
            continue
        if _LONE_POINTS.fullmatch(cell) and tokens and tokens[-1].kind == "label" and tokens[-1].has("group") \
                and not _POINTS.search(tokens[-1].text):
            tokens[-1].text += cell if cell.startswith(("(", "（")) else "(" + cell   # “产出指标” / “(50)”
            continue
        if cell.count("。") >= 2 and len(cell) < 400:   # sentences, not cells: prose around the form
            tokens.append(Token(cell, "text", line=number))
            continue
        for token in _split_labels(cell, number):
            if token.kind == "label":
                tokens.append(token)
                continue
            text = token.text.strip()
            if not text:
                continue
            if spaced:
                text = _SPACED_POINTS.sub(r"\1\2", text)   # “相关性(5 分)”: the points are one word with their label
                tokens.extend(Token(w, "text", line=number) for w in text.split(" ") if w)
            else:
                tokens.append(Token(text, "text", line=number))
        if len(tokens) > MAX_TOKENS:
            break
    return tokens, spaced


_INLINE_AMOUNT = re.compile(r"(?:其中\s*[:：]\s*)?[^:：\d\s]{2,20}\s*[:：]\s*\d[\d.,]*(?:\s*万?元)?")
_INLINE_IN = re.compile(r"(?:其中\s*[:：]\s*)?([^:：\d]{2,20}?)\s*[:：]\s*(\d+(?:\.\d+)?)")
_GLUED_FUND_LABEL = re.compile(rf"([{_CJK}][{_CJK}:：]{{1,11}}?)(?=\d)")
_TITLE_END = re.compile(r"(?:自评表|评价表|评分表|目标表)(?:[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）])?$")
_FRAGMENT = re.compile(rf"[{_CJK}()（）]{{1,8}}")


def _whole_label(text: str) -> bool:
    found = _match_label(text, 0) if text and "\u4e00" <= text[0] <= "\u9fff" else None
    return found is not None and found[0] == len(text)


def _join_broken_labels(cells: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Column and row names a copied cell wrapped over lines (“年度” / “指标值”, “偏差原因” / “分析及” /
    “改进措施”, “数量” / “指标”): consecutive short pieces that together are exactly one name, while a
    piece alone is none, are one cell again."""
    out: list[tuple[str, int]] = []
    i = 0
    n = len(cells)
    while i < n:
        joined = None
        for k in (3, 2):
            pieces = [c for c, _ in cells[i:i + k]]
            if len(pieces) < k or not all(_FRAGMENT.fullmatch(p) for p in pieces):
                continue
            text = "".join(pieces)
            if _whole_label(text) and not all(_whole_label(p) for p in pieces):
                joined = (text, k)
                break
        if joined is not None:
            out.append((joined[0], cells[i][1]))
            i += joined[1]
        else:
            out.append(cells[i])
            i += 1
    return out


def _space_separated(cells: list[str]) -> bool:
    """Cells separated by single spaces: many lines of several short words, values among them."""
    lines = [c for c in cells if " " in c]
    if len(lines) < 3 or len(lines) * 5 < len(cells):
        return False   # a few spaced lines (a page's breadcrumbs, a title) do not make a spaced table
    words = [w for c in lines for w in c.split(" ")]
    short = sum(1 for w in words if len(w) <= 12)
    valued = sum(1 for w in words if cell_type(w) in ("number", "percent", "value", "sign"))
    return short >= len(words) * 0.75 and valued >= len(words) * 0.15


# --- values run together --------------------------------------------------------------------------

_ATOM = re.compile(
    r"(?P<sign>≥|≤|>=|<=|≧|≦|═|[><=＞＜＝])"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<pct>[%％])"
    rf"|(?P<word>[{_CJK}A-Za-z/²³·()（）、,，\-—:：★※*\"“”]+)"
    r"|(?P<other>.)", re.S)

_UNIT_WORDS = ("亿元", "万元", "元", "万人", "人次", "人", "户", "个", "次", "天", "亩", "米", "吨", "件", "家", "项", "台",
               "篇", "份", "所", "名", "年", "月", "日", "公里", "平方米", "立方米", "起", "条", "辆", "套", "场",
               "期", "批", "座", "处", "间", "册", "本", "头", "只", "厘米", "倍", "万", "小时", "分钟", "周", "TB")


_UNITS_RE = "|".join(sorted(map(re.escape, (
    "亿元", "万元", "元", "万人", "人次", "人", "户", "个", "次", "天", "亩", "米", "吨", "件", "家", "项", "台", "篇", "份", "所",
    "名", "年", "月", "日", "公里", "平方米", "立方米", "起", "条", "辆", "套", "场", "期", "批", "座", "处", "间", "册",
    "本", "头", "只", "厘米", "倍", "万", "小时", "分钟", "周", "TB", "GB", "km", "m²", "㎡")), key=len, reverse=True))
_SIGN_RE = r"(?:≥|≤|>=|<=|≧|≦|═|[><=＞＜＝])"
_COMPOUND_UNIT = re.compile(rf"(?:{_UNITS_RE})(?:[/*·](?:{_UNITS_RE}|[{_CJK}]))+")   # 元/人, 万元/年, 次/人·年
_PIECES = {
    "weight": re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?%?"),
    "score": re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?"),
    "nature": re.compile(_SIGN_RE + "|定性(?:指标)?|定量(?:指标)?"),
    "ignored": re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?%?|是|否|完成|未完成"),
    "unit": re.compile(f"(?:{_UNITS_RE}|%|百分比)"),
    # a compound unit too: “530元/人*月”, “5300元/户”, “2次/年”; a date: “2023年12月”, “2023年12月底前”
    "number_value": re.compile(_SIGN_RE + rf"?\s*(?:(?:19|20)\d{{2}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:底前|以前|之前|前|底)?"
                               rf"|(?:0|[1-9]\d*)(?:\.\d+)?(?:%|(?:{_UNITS_RE})(?:[/*·](?:{_UNITS_RE}|[{_CJK}]))*)?)"),
    "word_value": re.compile(rf"[{_CJK}]{{1,12}}"),
}
MAX_STATES = 20_000
RECORD_COST = 3.0   # what a record must earn to exist: a cut into two records needs two good readings


def split_values(text: str, roles: list[str]) -> dict[str, str] | None:
    """Values run together (“10≥266米≥266米10”) split into ``roles`` (target, actual, weight, score …).

    Every way of cutting the text into one piece per role (optional roles may be absent; a
    piece must look like its column: a number for 分值/得分, a sign for 指标性质, a unit for
    度量单位, a value for 指标值/实际完成值) is weighed by the arithmetic of the form (a score
    not above its weight, target and actual in the same unit, a usual weight); the best one
    wins. Bounded: ``MAX_STATES`` partial readings at most.
    """
    text = text.strip()
    if not text or len(text) > 60:
        return None
    wanted = [r for r in roles if r in ("target", "actual", "weight", "score", "nature", "unit", "adjusted_target",
                                        "progress", "deviation", "ignored")]
    # columns read but not kept (得分系数, 是否核心指标): each its own optional piece
    wanted = [f"ignored{k}" if r == "ignored" else r for k, r in enumerate(wanted)]
    if wanted and all(r.startswith("ignored") for r in wanted):
        return None
    best: list = [None]
    states = [0]

    def pieces(role: str, i: int):
        if role in ("weight", "score", "nature", "unit") or role.startswith("ignored"):
            pattern = _PIECES["ignored" if role.startswith("ignored") else role]
            out = []
            for end in range(i + 1, min(len(text), i + 16) + 1):
                if pattern.fullmatch(text, i, end):
                    out.append(end)
            return out
        if role == "deviation":   # a reason runs to the end, and does not end in a figure (the next record)
            return [len(text)] if ((len(text) - i >= 2 or text[i:] == "无") and "\u4e00" <= text[i] <= "\u9fff"
                                   and not re.search(r"[\d%]", text[i:])) else []
        out = []
        for end in range(i + 1, min(len(text), i + 16) + 1):
            if _PIECES["number_value"].fullmatch(text, i, end) or _PIECES["word_value"].fullmatch(text, i, end):
                out.append(end)
        return out

    def search(i: int, k: int, acc: dict, fit: float):
        states[0] += 1
        if states[0] > MAX_STATES:
            return
        if k == len(wanted):
            if i == len(text):
                total = fit + _arith(acc)
                if best[0] is None or total > best[0][0]:
                    best[0] = (total, dict(acc))
            return
        role = wanted[k]
        if role in ("nature", "unit", "adjusted_target", "progress", "deviation") or role.startswith("ignored"):
            search(i, k + 1, acc, fit)
        elif role in ("actual", "score") and i == len(text):
            search(i, k + 1, acc, fit - 1.5)   # a value left empty (a cut text, an unscored form)
        for end in pieces(role, i):
            piece = text[i:end]
            if end < len(text) and piece[-1].isdigit() and (text[end].isdigit() or text[end] == "."):
                if role not in ("weight", "score", "target", "actual"):
                    continue
            acc[role] = piece
            search(end, k + 1, acc, fit + _piece_fit(role, piece, text, end))
            del acc[role]

    search(0, 0, {}, 0.0)
    if best[0] is None:
        return None
    values = best[0][1]
    values["_fit"] = best[0][0]
    return values


def _piece_fit(role: str, piece: str, text: str, end: int) -> float:
    fit = 0.2 if role.startswith("ignored") else 1.0   # a column not kept explains little
    if role == "adjusted_target":
        fit = -1.5   # 调整指标值 is empty in most rows: filled only when the figures need it
    if role in ("target", "actual"):
        if _PIECES["word_value"].fullmatch(piece):
            fit = 0.5
            if piece in _UNIT_WORDS or (len(piece) == 1 and piece not in "高好优良是否有无"):
                fit -= 2   # a unit or a lone character is no value
            if end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and not text.startswith(piece, end):
                fit -= 1   # a word cut inside a longer word (not a word written twice: target and actual)
        elif not piece[-1].isdigit():
            fit = 1.5      # with its unit or %
    if end < len(text) and piece[-1].isdigit() and text[end].isdigit():
        # a cut between two digits: usual between 分值 and 得分 (“2020”), rare inside values
        fit -= 0.3 if role in ("weight", "score") else 1.2
    return fit


def _digit_cuts(digits: str):
    """(head, tail) ways to read a run of digits as one number or as two run together."""
    yield digits, ""
    if "." in digits or len(digits) > 8:
        return
    for cut in range(1, len(digits)):
        head, tail = digits[:cut], digits[cut:]
        if (len(head) > 1 and head[0] == "0") or (len(tail) > 1 and tail[0] == "0"):
            continue
        yield head, tail


def _unit_prefixes(word: str):
    return [u for u in _UNIT_WORDS if word == u]


def _halves(word: str) -> tuple[str, str] | None:
    """“显著提升显著提升” → (“显著提升”, “显著提升”): a qualitative target repeated as its actual."""
    n = len(word)
    if n >= 4 and n % 2 == 0 and word[: n // 2] == word[n // 2:]:
        return word[: n // 2], word[n // 2:]
    return None


def _num(text: str):
    try:
        return Decimal(re.sub(r"[^\d.]", "", text) or "x")
    except InvalidOperation:
        return None


def _arith(acc: dict) -> float:
    """Plausibility of a reading by the form's arithmetic."""
    score = 0.0
    weight, points = _num(acc.get("weight", "")), _num(acc.get("score", ""))
    if weight is not None:
        score += 1 if weight in (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50) else (-2 if weight > 100 else 0)
    if weight is not None and points is not None:
        score += 1.5 if points <= weight else -3
    if points is not None and (points > 100 or (weight is None and points > 50)):
        score -= 2   # no indicator scores above 100, and one without its weight rarely above 50
    target, actual = acc.get("target", ""), acc.get("actual", "")
    if acc.get("unit") and target[-1:].isdigit() is False and re.search(r"\d", target):
        score -= 1   # “300人” + “次” where the form has a 度量单位 column: the unit is “人次”, the target 300
    t_num, a_num = _num(target), _num(actual)
    if t_num and a_num and t_num > 0 and a_num > 0 and max(t_num, a_num) / min(t_num, a_num) > 20:
        score -= 1   # a target and its actual are of one magnitude (“1 | 144241” is “11442 | 4164” cut wrong)
    if weight is None and points and t_num and a_num and t_num > 0:
        # a form without a 分值 column that scores by ratio (得分 = 实际/目标 × 分值): the implied weight
        # is a usual one (7.3 = 4164 / 11442 × 20), which tells “11442 | 4164 | 7.3” from “1144 | 2416 | 47.3”
        implied = points * t_num / a_num
        if any(abs(implied - w) <= w * Decimal("0.03") for w in (5, 10, 15, 20, 25, 30)):
            score += 1
    if target and actual:
        unit_t, unit_a = re.sub(r"[\d.≥≤><=]", "", target), re.sub(r"[\d.≥≤><=]", "", actual)
        if unit_t == unit_a:
            score += 1
        elif ("%" in unit_t) != ("%" in unit_a) and any(ch.isdigit() for ch in target) \
                and any(ch.isdigit() for ch in actual):
            score -= 2
        if re.sub(rf"^{_SIGN_RE}", "", target) == actual:
            score += 1   # “≥1500人 | 1500人” as much as “1500人 | 1500人”: the sign is the target's
    return score


# --- rows from tokens ---------------------------------------------------------------------------

_CANONICAL = ("level1", "level2", "name", "explanation", "rule", "weight_first", "nature", "target", "unit",
              "adjusted_target", "actual", "progress", "weight", "score", "deviation")


def _header_order(roles: list[str]) -> list[str]:
    """Column roles of a stream header in the order of a form: groups and name first; the
    target's parts (指标性质, 指标值, 度量单位) where 年度指标值 was; the rest as written.

    A header of two rows arrives as one run of names: the second row starts at the first name
    that repeats one of the first row (“自评得分 … 单项指标得分”) or at a part of the target
    (指标性质, 度量单位). Its names divide a cell of the first row: the target's parts go where
    the target is, the others (“单项指标得分 | 权重占比 | 单项指标折算得分” under 自评得分) take the
    place of the first-row name they repeat. Columns read but not kept (单项指标完成情况, 权重占比 …)
    stay in their place as ``ignored`` so that their cells are passed over, except those left of the
    indicator names (序号)."""
    split = len(roles)
    for k, role in enumerate(roles):
        if (role in ("nature", "unit") and "target" in roles[:k]) or (role != "ignored" and role in roles[:k]):
            split = k
            break
    upper, lower = roles[:split], roles[split:]
    names_at = min((roles.index(r) for r in ("level1", "level2", "name") if r in roles), default=0)
    head = [r for r in ("level1", "level2", "name") if r in roles]
    rest: list[str] = []
    for k, role in enumerate(upper):
        if role in head or (role != "ignored" and role in rest) or (role == "ignored" and k < names_at):
            continue
        rest.append(role)
    parts_low = [r for r in lower if r in ("nature", "target", "unit")]
    others = [r for r in lower if r not in ("nature", "target", "unit") and r not in head]
    if others:
        parent = next((r for r in others if r != "ignored" and r in rest), None)
        group: list[str] = []
        for role in others:
            if role == "ignored" or role not in group:
                group.append(role)
        if parent is not None:
            at = rest.index(parent)
            rest[at:at + 1] = group
        else:
            rest += [r for r in group if r == "ignored" or r not in rest]
    if parts_low:
        # 年度指标值 over 指标性质 | 指标值 | 度量单位: the target's parts stand together
        present = set(rest) | set(parts_low)
        parts = [r for r in ("nature", "target", "unit") if r in present]
        first = min((rest.index(r) for r in parts if r in rest), default=len(rest))
        rest = [r for r in rest if r not in parts]
        first = min(first, len(rest))
        rest[first:first] = parts
    return head + rest


class _Builder:
    def __init__(self, tokens: list[Token], spaced: bool):
        self.tokens = tokens
        self.spaced = spaced
        self.items: list[Item] = []
        self.header: list[str] | None = None
        self.header_item: Item | None = None
        self.score_column: Token | None = None   # a 自评得分 label heading a right-hand column of scores
        self.score_stated = False
        self.fund: list[str] | None = None
        self.fund_total: dict | None = None
        self.done = False     # the form's 总分 row was read: what follows is notes, until a new form
        self.records: list[Item] = []
        self.i = 0
        self.noted = 0     # tokens up to here have had their repair notes passed on
        self.headerless_checked = False
        self.implied = False   # the header was implied (a form's tail): records are read by their shape
        self.last_line = ""    # the text's last line when the text does not end with a line break (a cut copy)

    def emit(self, cells: list[str], line: int):
        item = Item("row", line, cells=cells, exact=True)
        upto = min(len(self.tokens), self.i + 1)
        item.notes = [t.note for t in self.tokens[self.noted:upto] if t.note]
        self.noted = max(self.noted, upto)
        self.items.append(item)

    def para(self, text: str, line: int):
        self.items.append(Item("para", line, text=text))

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def run(self) -> list[Item]:
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            start = self.i
            if self.done and not (token.has("meta:project_name") or token.has("meta:unit_name")):
                self.para(token.text, token.line)
                self.i += 1
                continue
            if self.done:   # the next form begins
                self.done, self.header, self.fund = False, None, None
            if token.kind == "label":
                self._label(token)
            else:
                self._text(token)
            if self.i == start:
                self.i += 1
        self._drop_cut_record()
        return self.items

    def _drop_cut_record(self):
        """A text that ends inside its last record (a page cut off): that record's last cells are
        missing, so it is left out as text, not read as an indicator without its score."""
        if not self.items or self.header is None or self.done:
            return
        last = self.items[-1]
        if not self.records or last is not self.records[-1]:
            return
        cells = dict(zip(self.header, last.cells[1:]))
        wanted = "score" if "score" in self.header else ("actual" if "actual" in self.header else None)
        column = 1 + self.header.index(wanted) if wanted else 0
        filled_before = any(len(it.cells) > column and it.cells[column] for it in self.records[:-1])
        # the text ends inside its last record when nothing closes the table (总分, 合计, a narrative
        # block, the notes): its last cells — or the last digits of its last figure (“12” cut to “1”) —
        # may be missing, so it is no indicator that can be trusted
        open_table = not self.implied and self.header_item is not None
        at = max((k for k, c in enumerate(last.cells) if c.strip()), default=0)
        last_role = self.header[at - 1] if 0 < at <= len(self.header) else ""
        # a cut in a figure or value makes the record untrustworthy; one in its reason or 评价标准 text
        # leaves its figures whole (corpus hunan-datonghu-project-2021-a ends inside a 评价标准)
        cut_inside = open_table and bool(self.last_line) and last_role in _CUT_ROLES and \
            compact_end(self.last_line).rstrip(".．").endswith(compact_end(last.cells[at]))   # “…5.” cut inside 5.5
        if wanted and not cells.get(wanted) and filled_before:
            self.items[-1] = Item("para", last.line, text="（文本在此中断）" + " ".join(c for c in last.cells if c))
        elif cut_inside:
            # a copy may simply end there (no line break after the last row is common on the clipboard):
            # the row is kept, and the report says its last figure may be cut
            name_at = 1 + self.header.index("name") if "name" in self.header else 0
            name = tidy_name(last.cells[name_at]) if 0 < name_at < len(last.cells) else ""
            last.notes.append(f"文本在“{name[:20] or '最后一行'}”"
                              f"的“{last.cells[at].strip()}”处结束，没有总分或合计：这一栏可能被截断，请核对")

    # label-led rows
    def _label(self, token: Token):
        if token.has("group1") and self.header is None and self.fund is None and not self.headerless_checked:
            self.headerless_checked = True
            if self._no_header_ahead():
                # the tail of a form whose header is on a page before: its rows read as [groups] name
                # target 权重 — the columns a form fills at target time (指标值 with its comparison, 权重)
                self.header = ["level1", "level2", "name", "target", "weight"]
                self.emit(["", "一级指标", "二级指标", "三级指标", "指标值", "分值"], token.line)
                self.items[-1].notes.append("表头不在本段文字中（续表）：按“一级/二级/三级指标、指标值、分值”读取各行，请核对")
                self.header_item = self.items[-1]
                self.implied = True
        if token.has("col:") or token.has("block"):
            if self._column_run(self.i) >= 3 or (token.has("block") and self._column_run(self.i + 1) >= 3):
                self._indicator_header()
                return
        if token.has("fund:") or token.has("block"):
            if self._fund_run(self.i) >= 2 or (token.has("block") and self._fund_run(self.i + 1) >= 2):
                self._fund_header()
                return
        if token.has("fund:") and self.fund is not None and self.header is None:
            if self._fund_pairs():
                return
        if token.has("fund:") and self.header is None and self._inline_fund_pairs():
            return
        if token.has("goals:"):
            self._goals()
            return
        if token.has("meta:"):
            value = self.peek(1)
            if value is not None and value.kind == "text" and value.text.strip() in (":", "："):
                self.i += 1   # “项目名称: 19名…”: the colon stood apart
                value = self.peek(1)
            if value is not None and value.kind == "text" and vocab.column_role(value.text) is not None:
                value = None   # “项目名称 备注”: the header of a list of projects, no value
            if value is not None and value.kind == "text" and not (self.fund and self.header is None and
                                                                    cell_type(value.text) in ("number", "percent")):
                self.emit([token.text, value.text], token.line)
                self.i += 2
            else:
                self.emit([token.text], token.line)
                self.i += 1
            return
        if token.has("row:") and self.fund is not None and self.header is None:
            self._fund_row()
            return
        if token.has("total"):
            if self._total_in_a_sentence():
                return
            self._total()
            return
        if token.has("narr:"):
            value = self.peek(1)
            if value is not None and value.kind == "text":
                self.emit([token.text, value.text], token.line)
                self.i += 2
                return
        if token.has("end") and self.header is not None:
            self.para(token.text, token.line)
            self.i += 1
            while self.i < len(self.tokens) and self.tokens[self.i].kind == "text":
                self.para(self.tokens[self.i].text, self.tokens[self.i].line)
                self.i += 1
            if token.text == "注":
                self.done = True   # “注:1、…”: the printed notes under the form, to the next form
            return
        if (token.has("group1") or token.has("group2")) and self.header is not None:
            self._record()
            return
        if token.has("block") and self.header is not None:
            self.i += 1   # “绩效指标” again on a new page
            return
        self.emit([token.text], token.line)
        self.i += 1

    def _text(self, token: Token):
        if self.header is not None:
            self._record()
            return
        if self.score_column is not None and self.fund is None and not self.score_stated \
                and re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", token.text.strip()) and _num(token.text) <= 100:
            # the first figure of the right-hand 自评得分 column is the form's own total
            self.emit([self.score_column.text, token.text.strip()], token.line)
            self.score_stated = True
            self.i += 1
            return
        if self.fund is not None and cell_type(token.text) in ("number", "percent", "value", "dash"):
            self.i += 1
            return
        if self.fund is not None and self._short_fund_label(token):
            return
        if self.fund is not None and _INLINE_AMOUNT.fullmatch(token.text.strip()):
            self.emit([token.text.strip()], token.line)   # “其中：基本支出：470.19”: a label and its amount in
            self.i += 1                                    # one cell (财政部 部门整体 form), read by the family
            return
        inline = [m for m in _INLINE_IN.finditer(token.text)
                  if any(w in m.group(1) for w in vocab.INLINE_AMOUNT_NAMES)] if self.fund is not None else []
        if len(inline) >= 2:   # the same cells run together: “…其中：一般公共预算：207.45其中：基本支出：165.96…”
            for m in inline:
                self.emit([f"{m.group(1).strip()}：{m.group(2)}"], token.line)
            self.i += 1
            return
        self.para(token.text, token.line)
        self.i += 1

    def _short_fund_label(self, token: Token) -> bool:
        """A funds row whose label is a short name (总额, 合计, 其他) standing as a whole cell under the
        funds header and followed by its figures (四川 510000_0013zp: “总额 | 0.00 | 3.36 | …” copied one
        cell per line). Such names are too short to be found inside running text, so they are taken
        as labels only here, where the cell holds nothing else."""
        role = vocab.fund_row(token.text.strip(" :："))
        after = self.peek(1)
        if role is not None and after is not None and after.kind == "text" \
                and cell_type(after.text.strip()) in ("number", "percent", "dash"):
            self.tokens[self.i] = Token(token.text, "label", f"row:{role}", token.line, token.note)
            self._fund_row()
            return True
        # “总额0.003.363.36100.00%1010”: the label run together with its row's figures
        glued = _GLUED_FUND_LABEL.match(token.text)
        role = vocab.fund_row(glued.group(1).strip(" :：")) if glued else None
        if role is None:
            return False
        self.tokens[self.i:self.i + 1] = [
            Token(glued.group(1), "label", f"row:{role}", token.line, token.note),
            Token(token.text[glued.end(1):], "text", line=token.line)]
        self._fund_row()
        return True

    def _no_header_ahead(self) -> bool:
        """No indicator header anywhere in the text, and the text after this group label holds
        targets with their comparison followed by a figure (“足额保障率=100% 22.5”)."""
        if any(self._column_run(j) >= 3 for j in range(len(self.tokens)) if self.tokens[j].has("col:")):
            return False
        texts = " ".join(t.text for t in self.tokens[self.i:self.i + 40] if t.kind == "text")
        return len(_SHAPED_VALUE.findall(texts)) >= 2

    def _column_run(self, j: int) -> int:
        count = 0
        while j < len(self.tokens) and (self.tokens[j].has("col:") or self.tokens[j].has("block")
                                         or _is_note(self.tokens[j])):
            if self.tokens[j].has("col:"):
                count += 1
            j += 1
        return count

    def _fund_run(self, j: int) -> int:
        count = 0
        while j < len(self.tokens) and (self.tokens[j].has("fund:") or _is_note(self.tokens[j])):
            count += self.tokens[j].has("fund:")
            j += 1
        return count

    def _indicator_header(self):
        line = self.tokens[self.i].line
        roles = []
        block = []
        while self.i < len(self.tokens):
            t = self.tokens[self.i]
            if t.has("col:"):
                roles.append(t.get("col:"))
            elif t.has("block"):
                block.append(t.text)
            elif _is_note(t):
                block.append(t.text)
            else:
                break
            self.i += 1
        order = _header_order(roles)
        names = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "nature": "指标性质",
                 "target": "指标值", "unit": "度量单位", "actual": "实际完成值", "weight": "分值", "score": "得分",
                 "deviation": "偏差原因分析及改进措施", "rule": "评分标准", "explanation": "指标解释",
                 "adjusted_target": "调整后指标值", "progress": "完成进度", "ignored": "单项指标完成情况"}
        self.header = order
        self.fund = None
        first = " ".join(block)
        self.emit([first] + [names[r] for r in order], line)
        self.header_item = self.items[-1]

    def _fund_header(self):
        line = self.tokens[self.i].line
        block = []
        roles = []
        while self.i < len(self.tokens):
            t = self.tokens[self.i]
            after = self.peek(1)
            if t.has("fund:") and roles and after is not None and after.kind == "text" \
                    and cell_type(after.text) in ("number", "percent"):
                break   # “预算数 6.84 到位数 6.84 …”: the first of the label/value pairs, no column name
            lettered = vocab.fund_column(t.text + after.text) if roles and after is not None and \
                _LETTERS.fullmatch(after.text.strip()) and not t.has("fund:") else None
            if lettered:   # “预算执行” / “(E/C×100%)”: a column's name and its letters on the next line
                roles.append((lettered, t.text + after.text))
                self.i += 1
            elif t.has("fund:"):
                roles.append((t.get("fund:"), t.text))
            elif t.has("block") and not roles:
                block.append(t.text)
            elif _is_note(t):
                block.append(t.text)
            else:
                break
            self.i += 1
        self.fund = [r for r, _ in roles]
        self.emit([" ".join(block)] + [text for _, text in roles], line)

    def _fund_row(self):
        from perfdesk.exchange.families.generic import _fund_fit

        label = self.tokens[self.i]
        self.i += 1
        values: list[str] = []
        glued: str | None = None
        while self.i < len(self.tokens):
            t = self.tokens[self.i]
            nxt = self.peek(1)
            if values and t.kind == "text" and vocab.key(t.text) == "其中" and nxt is not None \
                    and nxt.kind == "label" and vocab.key(nxt.text) == vocab.key(label.text):
                self.i += 1   # the “其中:” before a repeated label
                continue
            if t.kind == "label" and values and vocab.key(t.text) == vocab.key(label.text) \
                    and self._repeats_label_pairs():
                self.i += 1   # “其中:财政资金 6.84 其中:财政资金 6.84 …”: one row, its label before each column's figure
                continue
            if t.kind == "label":
                break
            text = re.sub(r"(\d)\.\s+(\d)", r"\1.\2", t.text.strip(" :："))   # “93116. 21 万元” (a PDF's spacing)
            if not values and (not text or (_NOTE.fullmatch(text) and "分" not in text)):
                self.i += 1   # “年度资金总额” “:” or “(万元):”: the colon or the unit stood apart
                continue
            kind = cell_type(text)
            if kind in ("number", "percent", "dash") or (kind == "value" and re.match(r"^[\d.]+\s*万?元?$", text)):
                values.append(text)
                self.i += 1
                continue
            parts = text.split()
            if len(parts) > 1 and all(cell_type(p) in ("number", "percent", "dash") for p in parts):
                values.extend(parts)   # “808.1 692.98 86%”: the figures of a row separated by single spaces
                self.i += 1
                continue
            m = re.match(r"^(?:[\d.%\s]|万元|万)+", text)
            if m and not values and re.search(r"\d", m.group()):
                glued = re.sub(r"\s|万元|万", "", m.group())
                marked = [p for p in re.split(r"\s+|万元|万", m.group()) if p]
                if "万" in m.group() and all(cell_type(p) in ("number", "percent") for p in marked):
                    values, glued = marked, None   # “3359.62万3359.62万100%”: each amount ends in its 万
                rest = text[m.end():]
                if re.search(r"[\u4e00-\u9fff]", rest):
                    # “…197.08—95.00%—按收入性质分：…”: what follows the figures is read on its own
                    self.tokens[self.i] = Token(rest.lstrip("—-/ "), "text", line=t.line)
                else:
                    self.i += 1
            break
        roles = [r for r in self.fund if r != "reason"]
        if glued is None and len(values) == 1 and not self.spaced and re.fullmatch(r"[\d.%]{4,}", values[0]):
            glued = values[0]   # one number where the row has several columns: figures run together?
        if glued is not None:
            total = self.fund_total if label.has("row:") and not label.get("row:") == "total" else None
            readings = [glued.rstrip(".")]
            if re.search(r"[\d%]\d\.$", glued):
                readings.append(glued[:-2])   # “…10101.预算执行率=…”: the “1.” may number the note that follows
            assign = max((split_fund_values(r, roles, total) for r in readings), key=_fund_fit)
        else:
            assign = _best_assignment(values[: len(roles)], roles, _fund_fit)
        if label.get("row:") == "total":
            self.fund_total = assign
        self.emit([label.text] + [assign.get(r, "") for r in self.fund], label.line)

    def _repeats_label_pairs(self) -> bool:
        """Whether the funds total was written as label/value pairs (then a source row repeats its
        label before each figure too)."""
        return bool(self.items) and self.items[-1].cells[:1] == ["资金总额"] or any(
            it.cells[:1] == ["资金总额"] for it in self.items[-6:] if it.is_row)

    def _fund_pairs(self) -> bool:
        """“预算数 6.84 到位数 6.84 执行数 6.84 100.00”: the total row written as label/value pairs."""
        j, pairs = self.i, {}
        while j + 1 < len(self.tokens) and self.tokens[j].has("fund:") and \
                cell_type(self.tokens[j + 1].text) in ("number", "percent"):
            pairs[self.tokens[j].get("fund:")] = self.tokens[j + 1].text
            j += 2
        if len(pairs) < 2:
            return False
        if j < len(self.tokens) and cell_type(self.tokens[j].text) in ("number", "percent") and "rate" in self.fund \
                and "rate" not in pairs:
            value = self.tokens[j].text
            pairs["rate"] = value if value.endswith("%") else value + "%"
            j += 1
        line = self.tokens[self.i].line
        self.i = j
        self.emit(["资金总额"] + [pairs.get(r, "") for r in self.fund], line)
        return True

    _INLINE_AMOUNT = re.compile(r"^\s*(?:[(（][^()（）]{0,8}[)）])?\s*(?:[^\d:：]{0,6}[:：])?\s*"
                                r"(\d+(?:\.\d+)?)\s*(万元|元)?")

    def _inline_fund_pairs(self) -> bool:
        """The funds written as sentences, each column's figure after its name (四川 专项资金
        自评表: “年度金额(提前下达):208万元 资金使用情况(万元)合计:109.8万元”): at least two
        fund columns, each followed by one amount, make the funds header and its total row."""
        j, pairs, rest = self.i, {}, ""
        while j + 1 < len(self.tokens) and self.tokens[j].has("fund:"):
            colon = self.tokens[j + 1].kind == "text" and self.tokens[j + 1].text.strip() in (":", "：")
            if colon and j + 2 < len(self.tokens):
                del self.tokens[j + 1]   # “预算数” “:” “2.38”: the colon stood apart
            value = self.tokens[j + 1]
            m = self._INLINE_AMOUNT.match(value.text) if value.kind == "text" else None
            role = next((r for r in self.tokens[j].role.split("|") if r.startswith("fund:")), "")[5:]
            if m is None or role not in ("initial_budget", "annual_budget", "spent", "arrived") or role in pairs:
                break
            amount = m.group(1)
            if m.group(2) == "元" and not self.spaced:
                amount += "元"
            pairs[role] = (self.tokens[j].text, amount)
            rest = value.text[m.end():].strip()
            j += 2
        if len(pairs) < 2 or not ({"annual_budget", "initial_budget"} & set(pairs)):
            return False
        line = self.tokens[self.i].line
        roles = list(pairs)
        self.fund = roles
        self.emit(["资金情况"] + [pairs[r][0] for r in roles], line)
        self.emit(["年度资金总额"] + [pairs[r][1] for r in roles], line)
        self.fund_total = {r: pairs[r][1] for r in roles}
        self.i = j
        if rest:
            self.para(rest, line)
        return True

    def _goals(self):
        line = self.tokens[self.i].line
        names = []
        while self.i < len(self.tokens) and self.tokens[self.i].has("goals:"):
            if self.tokens[self.i].get("goals:") != "block":
                names.append(self.tokens[self.i].text)
            self.i += 1
        if len(names) < 2:
            if names:
                self.emit(names, line)
            return
        self.emit(names, line)
        texts = []
        while self.i < len(self.tokens) and len(texts) < 2 and self.tokens[self.i].kind == "text":
            texts.append(self.tokens[self.i].text)
            self.i += 1
        if texts:
            self.emit(texts, line)

    _SENTENCE_POINTS = re.compile(r"^分\s*[,，。;；、]\s*\S")

    def _total_in_a_sentence(self) -> bool:
        """“…开展绩效自评,自评得分 90 分,存在的问题:…”: a total named in a sentence of the report
        around the form, not the form's total — the label, its figure and the rest go as text."""
        value, rest = self.peek(1), self.peek(2)
        if value is None or rest is None or value.kind != "text" or rest.kind != "text":
            return False
        if cell_type(value.text) != "number" or not self._SENTENCE_POINTS.match(rest.text.strip()):
            return False
        label = self.tokens[self.i]
        self.para(f"{label.text}{value.text}{rest.text}", label.line)
        self.i += 3
        return True

    def _total(self):
        label = self.tokens[self.i]
        self.i += 1
        values = []
        while self.i < len(self.tokens) and self.tokens[self.i].kind == "text" and len(values) < 3:
            t = self.tokens[self.i].text.strip().rstrip("。.,，;；")
            if (cell_type(t) in ("number", "percent") or t in ("优", "良", "中", "差")) and not (
                    not values and not self.spaced and re.fullmatch(r"\d{4,6}(?:\.\d+)?", t)):
                values.append(t)
                self.i += 1
                continue
            lead = re.match(r"\d+(?:\.\d+)?", t)
            if lead and not values:
                number = lead.group()
                glued = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)(\d{2,3}(?:\.\d+)?)", number)
                if glued and self.header and "weight" in self.header and float(glued.group(1)) <= 100 \
                        and float(glued.group(2)) <= 100:
                    values += [glued.group(1), glued.group(2)]
                else:
                    values.append(number)
                self.i += 1
            break
        if self.header is not None:
            self.done = True
        if not values:
            if self.header is None and self.fund is None:
                # “自评得分” at the top of a 区域绩效目标自评表: its figure and the figures of the
                # blocks stand in a right-hand column of their own (read below)
                self.score_column = label
            return
        if self.header is None:
            self.emit([label.text] + values, label.line)
            return
        cells = [label.text] + [""] * len(self.header)
        if len(values) >= 2 and "weight" in self.header and "score" in self.header:
            cells[1 + self.header.index("weight")] = values[0]
            cells[1 + self.header.index("score")] = values[1]
            for extra in values[2:]:
                cells.append(extra)
        elif "score" in self.header and vocab.key(label.text) not in ("合计", "总计"):
            cells[1 + self.header.index("score")] = values[0]
        elif "weight" in self.header:
            cells[1 + self.header.index("weight")] = values[0]
        else:
            cells = [label.text] + values
        self.emit(cells, label.line)

    _SHAPED_RECORD = re.compile(r"\s*(?P<name>[^=≥≤\s\d][^=≥≤]*?)\s*(?P<target>[=≥≤]\s*\d+(?:\.\d+)?\s*"
                                r"[%\u4e00-\u9fff/]*)\s+(?P<weight>\d{1,3}(?:\.\d+)?)(?=\s|$)")

    def _shaped_records(self) -> bool:
        """Under an implied header: the records “name comparison+value 权重” of one text, in order
        (“足额保障率=100% 22.5 科目调整次数≤10次 22.5”); what follows the last one stays text."""
        token = self.peek()
        if token is None or token.kind != "text":
            return False
        text, pos, found = token.text, 0, []
        for m in self._SHAPED_RECORD.finditer(text):
            if text[pos:m.start()].strip():
                break
            found.append(m)
            pos = m.end()
        if not found:
            return False
        for n, m in enumerate(found):
            cells = {r: "" for r in self.header}
            if n == 0:
                cells.update(self.pending_groups)
            cells["name"], cells["target"], cells["weight"] = m.group("name").strip(), m.group("target"), m.group("weight")
            self._emit_record(cells, token.line)
        self.pending_groups = {}
        self.i += 1
        rest = text[pos:].strip()
        if rest:
            self.para(rest, token.line)
        return True

    # one indicator record: [groups] name values…
    def _record(self):
        if self.implied:
            self.pending_groups = {}
            while self.peek() is not None and (self.peek().has("group1") or self.peek().has("group2")):
                self.pending_groups["level1" if self.peek().has("group1") else "level2"] = self.peek().text
                self.i += 1
            if self._shaped_records():
                return
            if self.pending_groups:
                self._emit_record({**{r: "" for r in self.header}, **self.pending_groups}, self.tokens[self.i - 1].line)
            token = self.peek()
            if token is not None and token.kind == "text":
                self.para(token.text, token.line)
                self.i += 1
            return
        header = self.header
        line = self.tokens[self.i].line
        cells = {r: "" for r in header}
        while self.i < len(self.tokens):
            t = self.tokens[self.i]
            if t.has("group1") or t.has("group2"):
                level = "level1" if t.has("group1") else "level2"
                if level not in cells:
                    level = "level2" if "level2" in cells else "level1"
                after = self.peek(1)
                at = header.index(level) if level in header else -1
                if level == "level2" and "name" in cells and names_an_indicator(t, after) and (
                        cells.get("level2") or (0 <= at < len(header) - 1 and header[at + 1] == "name")):
                    # “服务对象满意度指标 | 服务对象满意度 | 100% …”: a level-3 name that is also a group's
                    # name — after its own level-2 label, or followed by its values — is the indicator
                    if cell_type(after.text) not in ("number", "percent", "value", "sign"):
                        # “服务对象满意度” | “≥95%90%1010”: its values run together, read with the name
                        self.tokens[self.i:self.i + 2] = [Token(t.text + after.text, "text", line=t.line, note=t.note)]
                    else:
                        self.tokens[self.i] = Token(t.text, "text", line=t.line, note=t.note)
                    break
                cells[level] = t.text
                self.i += 1
                continue
            break
        token = self.peek()
        if token is not None and token.kind == "text" and not self.spaced and _PLACEHOLDER_IN.search(token.text):
            cleaned = _PLACEHOLDER_IN.sub("", token.text).strip()
            if cleaned:
                token = Token(cleaned, "text", line=token.line)
                self.tokens[self.i] = token
            else:
                self.para(token.text, token.line)   # “指标1:指标2:”: placeholder rows, no indicator
                self.i += 1
                token = self.peek()
        if token is None or token.kind == "label":
            if any(cells.values()):
                self._emit_record(cells, line)
            return
        value_roles = [r for r in header if r not in ("level1", "level2", "name")]
        after = self.peek(1)
        if (not self.spaced and token.kind == "text" and after is not None and (after.has("group1") or after.has("group2"))
                and not any(ch.isdigit() for ch in token.text) and len(token.text) <= 8):
            self.para(token.text, token.line)   # a garbled group label (“出标产指”) before a group: no indicator
            self.i += 1
            return
        if not any(cells.values()) and not self.records and self.score_column is not None \
                and re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", token.text.strip()):
            self.para(f"{self.score_column.text}（本部分）：{token.text}", token.line)   # the block's score
            self.i += 1
            return
        if not any(cells.values()) and self.records and cell_type(token.text) in ("number", "percent", "value"):
            previous = dict(zip(header, self.records[-1].cells[1:]))
            empty = [r for r in ("actual", "score") if r in header and not previous.get(r)]
            if empty:   # a value that a page break moved away from its row
                self.records[-1].cells[1 + header.index(empty[0])] = token.text
                self.i += 1
                return
        if "name" in header:
            if self.spaced or cell_type(token.text) == "text" or not any(ch.isdigit() for ch in token.text):
                # a name (in a run-together copy it may carry its values, or several records) — unless
                # its values follow as cells of their own (“…一户年最高5300元” | 10 | <=5300元/户 …)
                nxt = self.peek(1)
                apart = nxt is not None and nxt.kind == "text" and \
                    cell_type(nxt.text) in ("number", "percent", "value", "sign")
                many = None if self.spaced or apart else self._glued_records(token.text, value_roles)
                if many is not None:
                    for n, (name, values) in enumerate(many):
                        record = dict(cells) if n == 0 else {r: "" for r in header}
                        record["name"] = name
                        record.update(values)
                        self._emit_record(record, line)
                    self.i += 1
                    return
                split = None if self.spaced or apart else self._glued(token.text, value_roles)
                if split is not None:
                    name, values = split
                    cells["name"] = name
                    cells.update(values)
                    self.i += 1
                    self._emit_record(cells, line)
                    return
                cells["name"] = token.text
                self.i += 1
            else:
                cells["name"] = token.text
                self.i += 1
        explained = self._explanation(header)
        if explained:
            cells["explanation"] = explained
        for role in value_roles:
            t = self.peek()
            if t is None or t.kind == "label":
                break
            kind = cell_type(t.text)
            if role == "ignored":   # a column read but not kept (单项指标完成情况, 权重占比, 折算得分)
                if kind in ("number", "percent") or t.text in _STATUS_WORDS:
                    self.i += 1
                continue
            if role == "explanation" and explained:
                continue
            if role == "nature":
                if kind == "sign" or vocab.key(t.text) == "定性":
                    cells[role] = t.text
                    self.i += 1
                continue
            if role == "unit":
                if kind == "unit" or t.text in _UNIT_WORDS or vocab.is_percent_unit(t.text) or _COMPOUND_UNIT.fullmatch(t.text):
                    cells[role] = t.text
                    self.i += 1
                continue
            if role in ("weight", "score"):
                if kind == "number" or (kind == "percent" and role == "weight"):
                    cells[role] = t.text
                    self.i += 1
                continue
            if role in ("deviation", "rule", "explanation"):
                after, after2 = self.peek(1), self.peek(2)

                def valued(tok):
                    return tok is not None and tok.kind == "text" and \
                        cell_type(tok.text) in ("number", "percent", "value", "sign")
                if role == "deviation" and kind == "text" and valued(after):
                    continue   # a text followed by figures is the next row's name, not this row's reason
                if role == "deviation" and kind == "text" and self._row_follows(t, header):
                    cells[role] = t.text   # “资金到位较晚 | 减轻群众负担 | 健全 | 健全 | 10 | 9”: the texts after
                    self.i += 1            # it are exactly the next row's name and word values
                    continue
                if role == "deviation" and kind == "text" and (after is None or after.kind == "label"):
                    cells[role] = t.text   # a text before a label (the next group, 总分) or the end: a
                    self.i += 1            # name would be followed by its values — it is this row's reason
                    continue
                before_name = role == "deviation" and kind == "text" and after is not None \
                    and after.kind == "text" and cell_type(after.text) == "text" and valued(after2)
                if kind == "text" and (any(w in t.text for w in _REASON_WORDS) or len(t.text) > 15
                                       or role != "deviation" or before_name) and role != "name":
                    cells[role] = t.text
                    self.i += 1
                continue
            if role in ("target", "actual", "adjusted_target", "progress"):
                if kind in ("number", "percent", "value", "dash", "unit") or (kind == "text" and len(t.text) <= 20):
                    half = _halves(t.text) if role == "target" and "actual" in value_roles else None
                    if half is not None or (len(t.text) == 2 and t.text[0] == t.text[1] and t.text[0] in "高好优良"):
                        cells["target"], cells["actual"] = half or (t.text[0], t.text[1])   # “高高”: target and actual
                        self.i += 1
                        continue
                    cells[role] = t.text
                    self.i += 1
                continue
        self._score_column_cell(cells)
        self._emit_record(cells, line)

    def _row_follows(self, token: Token, header: list[str]) -> bool:
        """Whether the text tokens after ``token`` up to the next figure are exactly a record's name
        and the word-valued columns before its 分值/得分 — then ``token`` ends the row before."""
        numeric = [k for k, r in enumerate(header) if r in ("weight", "score")]
        if "name" not in header or not numeric:
            return False
        start = header.index("name")
        words = 1 + sum(1 for r in header[start + 1:min(numeric)] if r in ("target", "actual", "nature", "unit"))
        run, j = 0, self.i + 1
        while j < len(self.tokens) and self.tokens[j].kind == "text" and \
                cell_type(self.tokens[j].text) in ("text", "value", "sign", "unit"):
            run += 1
            j += 1
        return run == words and j < len(self.tokens) and self.tokens[j].kind == "text" and \
            cell_type(self.tokens[j].text) == "number"

    def _score_column_cell(self, cells: dict):
        """A figure after a record's values where the header names no 分值/得分, in a form whose
        right-hand column is headed 自评得分: that row's score (a column added to the header)."""
        t, after = self.peek(), self.peek(1)
        if self.score_column is None or self.header_item is None or "score" in self.header or "weight" in self.header:
            return
        if t is None or t.kind != "text" or not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", t.text.strip()):
            return
        if after is not None and after.kind == "text" and cell_type(after.text) in ("number", "percent"):
            return
        self.header.append("score")
        self.header_item.cells.append("得分")
        cells["score"] = t.text.strip()
        self.i += 1

    def _explanation(self, header: list[str]) -> str:
        """A sentence between the name and the 指标性质 of a row (河北 预算项目绩效自评表 print
        each indicator's explanation there, under no column of its own): taken out of the row
        so the values keep their columns; kept as the 指标解释 (a column added to the header when
        the form names none)."""
        t, after = self.peek(), self.peek(1)
        if "nature" not in header or t is None or after is None or t.kind != "text" or after.kind != "text":
            return ""
        if cell_type(t.text) != "text" or len(t.text) < 6 or any(ch.isdigit() for ch in t.text[:4]):
            return ""
        if not (cell_type(after.text) == "sign" or vocab.key(after.text) == "定性"):
            return ""
        self.i += 1
        if "explanation" not in header and self.header_item is not None:
            header.append("explanation")   # the column the form prints without naming it
            self.header_item.cells.append("指标解释")
        return t.text

    def _glued(self, text: str, roles: list[str]):
        """A name with its values run together: (name, values) or None."""
        found = _one_record(text, roles)
        return None if found is None else (found[1], found[2])

    def _glued_records(self, text: str, roles: list[str]):
        return glued_records(text, roles)

    def _emit_record(self, cells: dict, line: int):
        row = [""] + [cells.get(r, "") for r in self.header]
        self.emit(row, line)
        self.records.append(self.items[-1])


def names_an_indicator(token: Token, after: Token | None) -> bool:
    """A group's name that does not end in 指标 or its points (服务对象满意度, 社会效益) followed by a
    sign or a figure is an indicator's name with its values: a group label is followed by a name
    or another label, never by a value (used by the 自评表 and the 绩效目标表 readers)."""
    if after is None or after.kind != "text" or re.search(r"指标$|分\)?$", token.text.strip()):
        return False
    return cell_type(after.text) in ("number", "percent", "value", "sign") \
        or re.match(rf"{_SIGN_RE}|\d", after.text.strip()) is not None


def glued_records(text: str, roles: list[str], _in_chunks: bool = False, cost: float = RECORD_COST):
    """Several records run together (“回收率≥90%98.70%20%20资金足额拨付率100%100%10%10”):
    cut where a figure is followed by the start of a name, choosing the cuts whose records
    read best; None when one record reads as well."""
    if roles and roles[-1] == "ignored" and not _in_chunks:
        # rows ending in 是否核心指标: every 是/否 after a figure ends a row — cut there first
        chunks = [c for c in re.split(r"(?<=\d[是否])(?=[\u4e00-\u9fff“\"])", text) if c]
        if len(chunks) > 1:
            out = []
            for chunk in chunks:
                many = glued_records(chunk, roles, _in_chunks=True, cost=cost)
                if many is not None:
                    out.extend(many)
                    continue
                one = _one_record(chunk, roles, cost)
                out.append((one[1], one[2]) if one is not None else (chunk, {}))
            return out
    # after a figure, and after a figure's unit; a cut before what reads as a unit is kept too when
    # the unit starts a name (“…1010家长满意度…”): the readings decide
    unit_after = [m.end() for m in re.finditer(r"[\d%](?=[\u4e00-\u9fff])", text)
                  if re.match(f"(?:{_UNITS_RE}|百分比)", text[m.end():])]
    cuts = [m.end() for m in re.finditer(r"[\d%](?=[\u4e00-\u9fff★☆※“])", text) if m.end() not in unit_after]
    cuts += [m.end() for m in re.finditer(rf"\d(?:{_UNITS_RE})(?=[\u4e00-\u9fff★☆※“])", text)]
    cuts += [m.end() for m in re.finditer(rf"\d{_COMPOUND_UNIT.pattern}(?=[\u4e00-\u9fff])", text)]   # “…≥300元/人政策…”
    cuts += [c for c in unit_after if re.match(r"[\u4e00-\u9fff]{2,}[≥≤≧≦═><=＞＜＝]|[\u4e00-\u9fff]{5,}\d", text[c:])]
    cuts += [m.end() for m in re.finditer(r"[\d%]无(?=[\u4e00-\u9fff★☆※“])", text)]   # “…2020无其中…”: the reason 无
    if roles and roles[-1] == "ignored":   # rows ending in 是否核心指标: a cut after 是/否 before a name
        cuts += [m.end() for m in re.finditer(r"\d[是否](?=[\u4e00-\u9fff“\"])", text)]
    cuts = sorted(set(cuts))[:40]
    if not cuts:
        return None
    points = [0] + cuts + [len(text)]
    best: list[tuple[float, list] | None] = [None] * len(points)
    best[0] = (0.0, [])
    for j in range(1, len(points)):
        for i in range(max(0, j - 8), j):
            if best[i] is None:
                continue
            record = _one_record(text[points[i]:points[j]], roles, cost)
            if record is None:
                continue
            total = best[i][0] + record[0]
            if best[j] is None or total > best[j][0]:
                best[j] = (total, best[i][1] + [(record[1], record[2])])
    end = best[-1]
    if end is None or len(end[1]) < 2:
        return None
    single = _one_record(text, roles, cost)
    if single is not None and single[0] >= end[0]:
        return None
    return end[1]


def _one_record(text: str, roles: list[str], cost: float = RECORD_COST):
    """(fit, name, values) of the best reading of ``text`` as a name followed by its values."""
    text = text.rstrip("…. ")
    if not any(ch.isdigit() for ch in text) and not _halves_tail(text):
        return None
    candidates = [m.start() for m in re.finditer(rf"(?:{_SIGN_RE}|\d)", text)]   # ≧ ═ ＞ as well as ≥ =
    if "unit" in roles:   # “…控制率%定量指标100%…”, “…次数次26次…”: the 计量单位 column before the figures
        candidates += [m.start() for m in re.finditer(rf"(?:%|{_UNITS_RE})(?=\d|定[性量])", text) if m.start() > 0]
    if "nature" in roles:   # “管理制度健全性定性指标高高…”: the 指标性质 after the name
        candidates += [m.start() for m in re.finditer(r"定[性量]", text) if m.start() > 0]
    for p in range(1, len(text)):   # “…质量等合格合格2020”: a qualitative value written twice, then figures
        for size in range(1, 9):
            end = p + 2 * size
            if end > len(text):
                break
            if text[p:p + size] == text[p + size:end] and (end == len(text) or text[end].isdigit()) \
                    and "\u4e00" <= text[p] <= "\u9fff":
                candidates.append(p)
    candidates = sorted(set(candidates))
    best = None
    for at in candidates[:30]:
        if at == 0 or not text[:at].strip():
            continue
        if text[at - 1].isdigit() or text[at - 1] == ".":
            continue
        # “其中桃树种植面积1.5亩1.5亩”: a breakdown row under an indicator has its target and actual
        # but no 分值 or 得分 of its own
        breakdown = text.startswith("其中")
        values = split_values(text[at:], [r for r in roles if r not in ("weight", "score")] if breakdown else roles)
        if values is None:
            continue
        fit = values.pop("_fit") - cost - at * 0.001
        if re.search(rf"(?:\d|%|{_SIGN_RE})$", text[:at].rstrip()):
            fit -= 2   # a name does not end in a figure or a sign (“人均补助标准9≤” | “0台”): they are its values
        if best is None or fit > best[0]:
            best = (fit, text[:at].strip(), values)
    tail = _halves_tail(text)
    if tail is not None and "target" in roles and "actual" in roles:
        name, value = tail
        fit = 3.0 - cost
        if best is None or fit > best[0]:
            best = (fit, name, {"target": value, "actual": value})
    return best


_NOTE = re.compile(r"(?:\s*[(（]\s*(?:万?元|\d{1,3}(?:\.\d+)?\s*分?|[A-E](?:\s*[/÷]\s*[A-E])?(?:\s*[×x*]\s*100\s*%)?)"
                   r"\s*[)）]\s*)+")


def _is_note(token: Token) -> bool:
    """“(万元)”, “(元)”, “(20分)”, “(万元) (20 分)”: notes beside a block label."""
    return token.kind == "text" and bool(_NOTE.fullmatch(token.text))


def _halves_tail(text: str) -> tuple[str, str] | None:
    """“保证财政建设补助专款专用专款专用专款专用” → (“保证财政建设补助专款专用”, “专款专用”): a name whose
    qualitative target and actual (the same words) follow it."""
    n = len(text)
    for size in range(min(12, n // 3), 0, -1):
        a, b = text[n - 2 * size:n - size], text[n - size:]
        if a == b and n - 2 * size > 1 and not any(ch.isdigit() for ch in b) and (size > 1 or b in "高好优良是否有无"):
            return text[: n - 2 * size], b
    return None


def split_fund_values(text: str, roles: list[str], total: dict | None) -> dict[str, str]:
    """A fund row's figures run together (“202010100.00%10”) cut and assigned to the columns
    (年初/全年预算数, 执行数, 分值, 执行率, 得分) so that they fit the columns and the arithmetic:
    执行率 = 执行数 ÷ 预算数, 得分 ≤ 分值, a source not above the total. Bounded search."""
    from itertools import combinations

    from perfdesk.exchange.families.generic import _fund_fit

    pieces = _number_readings(text, max_parts=len(roles))
    best, best_score = {}, None
    for values in pieces:
        if len(values) > len(roles):
            continue
        for chosen in combinations(range(len(roles)), len(values)):
            assign = {roles[k]: values[n] for n, k in enumerate(chosen)}
            if any("%" in v and r != "rate" for r, v in assign.items()):
                continue
            if "rate" in assign and "%" not in assign["rate"] and not (
                    assign["rate"] == "1" or re.fullmatch(r"0?\.\d{1,4}", assign["rate"])):
                continue   # a rate without its % sign is a ratio: 1 (= 100%) or 0.xx
            score = _fund_fit(assign) + 0.3 * len(values) - 1.0 * (len(values) - 1)
            score -= 0.5 * sum(1 for v in values if re.search(r"\.\d{3,}", v))  # amounts have two decimals, mostly
            if total:
                score -= 1.5 * sum(1 for r in ("weight", "score") if r in assign)  # a source row rarely repeats them
                for column in ("initial_budget", "annual_budget", "spent"):
                    a, b = _num(assign.get(column, "")), _num(total.get(column, ""))
                    if a is not None and b is not None:
                        score += 1 if a <= b else -3
            if best_score is None or score > best_score:
                best, best_score = assign, score
    return best


def _piece_rank(piece: str) -> int:
    decimals = len(piece.rstrip("%").partition(".")[2])
    return {2: 0, 0: 1, 1: 2}.get(decimals, 3)


def _number_readings(text: str, limit: int = 400, max_parts: int = 40) -> list[list[str]]:
    """Ways to read digits run together as numbers (each with at most two decimals, no leading
    zero but “0.xx”, a rate keeping its %)."""
    out: list[list[str]] = []
    text = text[:64]   # a row of amounts in 元 with two decimals runs past 40 characters

    def walk(i: int, acc: list[str]):
        if len(out) >= limit:
            return
        if i == len(text):
            out.append(list(acc))
            return
        if len(acc) >= max_parts:
            return   # more numbers than the row has columns
        ends = []
        for end in range(i + 1, min(len(text), i + 12) + 1):
            piece = text[i:end]
            if not re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d{1,4})?%?", piece):
                continue
            if end < len(text) and text[end] in ".%" and "%" not in piece:
                continue  # a number does not end just before its own point or percent sign
            ends.append(end)
        # the usual pieces first (two decimals as amounts and rates are written, then whole numbers),
        # so that the bounded search meets the likely readings before its limit
        ends.sort(key=lambda end: _piece_rank(text[i:end]))
        for end in ends:
            acc.append(text[i:end])
            walk(end, acc)
            acc.pop()

    walk(0, [])
    return out


def _split_amounts(text: str, fund: list[str] | None) -> list[str]:
    """“194.9194.9100%” → [“194.9”, “194.9”, “100%”]: amounts run together, cut so that each has at most
    two decimals and a rate ends with %."""
    out = []
    for m in re.finditer(r"\d+(?:\.\d{1,2})?%?|%", text.replace(" ", "")):
        out.append(m.group())
    return out


def _best_assignment(values: list[str], roles: list[str], fit) -> dict[str, str]:
    from itertools import combinations

    if not values:
        return {}
    if len(values) >= len(roles):
        return dict(zip(roles, values))
    best, best_score = None, None
    for chosen in combinations(range(len(roles)), len(values)):
        assign = {roles[k]: values[n] for n, k in enumerate(chosen)}
        score = fit(assign)
        if best_score is None or score > best_score:
            best, best_score = assign, score
    return best or {}


# --- entry points ------------------------------------------------------------------------------

_CUT_ROLES = ("weight", "score", "actual", "target", "nature", "unit", "name")


def compact_end(text: str) -> str:
    return re.sub(r"[\s|]+", "", text)


def _stream(lines: list[str], pipes: bool) -> list[Item]:
    budget = MAX_STREAM_CHARS
    head: list[str] = []
    tail: list[str] = []
    for line in lines:
        if budget > 0:
            head.append(line[:budget])
            budget -= len(line)
        else:
            tail.append(line)
    tokens, spaced = tokens_of(head, pipes)
    builder = _Builder(tokens, spaced)
    if head and head[-1].strip() and not tail:
        builder.last_line = head[-1]   # no line break at the end: the page store or the copy cut the text here
    items = builder.run()
    for number, line in enumerate(tail, start=len(head) + 1):
        if line.strip():
            items.append(Item("para", number, text=line.strip()[:200]))
    return items


def pipe_stream_items(lines: list[str]) -> list[Item]:
    """``|`` cells broken over lines at random (see module doc)."""
    return _stream(lines, pipes=True)


def plain_stream_items(lines: list[str]) -> list[Item] | None:
    """Lines without TABs or bars: cells one per line, between blank lines, spaced or run
    together; None when the text has no label of a form at all (then it is prose)."""
    sample = "".join(lines[:400])[:50_000]
    hits = 0
    i = 0
    while i < len(sample) and hits < 3:
        found = _match_label(sample, i) if "\u4e00" <= sample[i] <= "\u9fff" else None
        if found is not None and any(r.startswith(("col:", "fund:", "meta:")) for r in found[2].split("|")):
            hits += 1
            i = found[0]
        else:
            i += 1
    if hits < 3 and not _headerless_table(sample):
        return None
    return _stream(lines, pipes=False)


# a target with its comparison, then a figure of its own: “足额保障率=100% 22.5”
_SHAPED_VALUE = re.compile(r"[=≥≤]\s*\d+(?:\.\d+)?\s*[%\u4e00-\u9fff/]*\s+\d{1,2}(?:\.\d+)?(?!\d)")


def _headerless_table(sample: str) -> bool:
    """Rows of an indicator table whose header is on a page before (the tail of a form): group
    labels (产出指标, 数量指标 …) and targets with their comparison (“=100%”, “≤10次”)."""
    groups = 0
    i = 0
    while i < len(sample) and groups < 2:
        found = _match_label(sample, i) if "\u4e00" <= sample[i] <= "\u9fff" else None
        if found is not None and any(r.startswith("group") for r in found[2].split("|")):
            groups += 1
            i = found[0]
        else:
            i += 1
    return groups >= 2 and len(_SHAPED_VALUE.findall(sample)) >= 2


__all__ = ["pipe_stream_items", "plain_stream_items", "split_values", "tokens_of"]
