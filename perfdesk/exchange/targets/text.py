"""A 绩效目标表 copied as text, rebuilt into rows the family reads (``family.read``).

Web pages and document viewers give a target table in the shapes of ``readers.stream``: one cell
per line, cells between blank lines, ``|`` cells broken over lines, cells separated by single
spaces, or cells run together. The text is cut into tokens by the same labels
(``readers.stream.tokens_of``: 项目名称, 年度资金总额, 一级指标, 产出指标, 数量指标 …); a target
table — an indicator header naming 指标值 and no 实际完成值 / 得分 column, under a 目标表 title
or label rows — is then rebuilt by the grammar of target tables:

- before the indicator header: the title, label/value pairs (项目名称, 主管部门, 实施单位, 预算部门 …),
  the 资金 rows (label and amount), the 预算执行率 line and the goals (the annual one kept by
  the family);
- the header: its column names, in the order printed (the family reads them by name);
- the records: group labels (一级 / 二级, also a label broken over two cells: “经济效益” / “指标”)
  and for each indicator its name and one cell per column. Cells of a copy that dropped empty
  cells are put back in their columns by type (a sign under 指标性质, a figure under 分值, a
  value under 指标值, text under 指标解释 / 绩效标准), choosing the reading that fits the whole
  group best; a row per line when the cells are separated by spaces; cells run together are
  split where the columns' types say (“享受资助人数达到预计值210010” → 享受资助人数 | 达到预计值 |
  2100 | 10);
- the end: approval rows (审核意见, 填表人 …), notes, the next form's title.

Text outside the forms stays paragraphs. ``target_items`` returns ``None`` when the text holds no
target table, so that the other readers take it. Linear in the size of the text (each group's
reading is bounded).
"""

from __future__ import annotations

import re
from functools import lru_cache

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.readers.stream import (Token, _one_record, _split_labels, glued_records,
                                              names_an_indicator, tokens_of)
from perfdesk.exchange.targets import cells as target_cells
from perfdesk.exchange.targets.family import TITLE_RE, _fund_role, _goal_label, _meta_role, labels, plain
from perfdesk.exchange.text_rows import Item, compact

_SIGN = re.compile(r"^(?:≥|≤|>=|<=|≧|≦|═|[><=＞＜＝])")
_SENTENCE = re.compile(r"[，。；;：:,]")
_POINTS = re.compile(r"^[(（]\s*\d{1,3}(?:\s*[-~—－]\s*\d{1,3})?\s*(?:分)?\s*[)）]\s*分?$")
_SELF_EVAL_ROLES = ("col:actual", "col:score", "col:progress", "col:deviation", "fund:spent")

COLUMN_NAMES = {   # role → the header text written for it (the family reads it by this name)
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "nature": "指标性质", "target": "指标值",
    "adjusted_target": "调整后指标值", "initial_target": "年初指标值", "unit": "度量单位", "weight": "分值",
    "explanation": "指标解释", "rule": "评分标准", "ignored": "备注", "reason": "调整原因",
}
_VALUE_ROLES = ("target", "adjusted_target", "initial_target")
_TEXT_ROLES = ("explanation", "rule", "ignored", "reason", "other")
_SKIP = {"target": -2.0, "adjusted_target": -1.0, "initial_target": -1.0, "nature": -0.3, "unit": -0.3,
         "weight": -0.5}
RECORD_COST = 0.5
_FIGURE_ROLES = {"nature", "target", "unit", "weight"}   # columns a run-together record is cut by


# --- what a cell looks like ------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def value_fit(text: str) -> float:
    """How much ``text`` looks like a 指标值 cell."""
    k = compact(text)
    if not k:
        return -5.0
    if _SIGN.match(k):
        return 3.0
    if re.match(r"^\d", k):
        return 2.5 if len(k) <= 24 else 0.0
    if target_cells.is_unit_only(k):
        return 1.5
    if len(k) <= 8 and not _SENTENCE.search(k):
        return 0.8
    return -1.0 if len(k) > 16 else -0.5


@lru_cache(maxsize=4096)
def name_fit(text: str) -> float:
    """How much ``text`` looks like an indicator's name."""
    k = compact(text)
    if not k or _SIGN.match(k) or re.match(r"^\d", k) or target_cells.is_unit_only(k):
        return -4.0
    return 1.5 if len(k) >= 4 else 0.3


def column_fit(role: str, text: str) -> float:
    k = compact(text)
    if role in _VALUE_ROLES:
        return value_fit(text)
    if role == "weight":
        return 2.0 if re.fullmatch(r"(?:[1-9]\d?|100|0)(?:\.\d{1,2})?分?", k) else -5.0
    if role == "nature":
        ok = vocab.sign_of(k) or k in ("定性", "定量", "定性指标", "定量指标", "正向", "反向", "正向指标", "反向指标")
        return 3.0 if ok else -5.0
    if role == "unit":
        return 2.0 if target_cells.is_unit_only(k) else -4.0
    if role == "ignored":
        return 0.0   # 备注 is mostly empty
    return -1.0 if value_fit(text) >= 2.5 else (0.6 if len(k) <= 40 else 0.2)


def _skip(role: str) -> float:
    return _SKIP.get(role, -0.2)


# --- records -----------------------------------------------------------------------------------------

def records_of_cells(texts: list[str], roles: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Indicator records from a group's cells (one token per cell, empty cells dropped): each a name and
    at most one cell per column, in the reading that fits best (a small dynamic programme: a record
    spans at most ``len(roles) + 1`` cells, so the work is linear in the number of cells)."""
    n, m = len(texts), len(roles)
    neg = float("-inf")
    best = [neg] * (n + 1)
    best[n] = 0.0
    choice: list[tuple[int, dict[str, str]] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        head = name_fit(texts[i]) - RECORD_COST
        for k in range(0, min(m, n - i - 1) + 1):
            if best[i + 1 + k] == neg:
                continue
            scored = _assign(texts[i + 1:i + 1 + k], roles)
            if scored is None:
                continue
            score = head + scored[0] + best[i + 1 + k]
            if score > best[i]:
                best[i], choice[i] = score, (k, scored[1])
    out = []
    i = 0
    while i < n and choice[i] is not None:
        k, values = choice[i]
        out.append((texts[i], values))
        i += 1 + k
    return out


def record_of_words(words: list[str], roles: list[str]) -> tuple[str, dict[str, str]] | None:
    """One record from the words of a line (cells separated by spaces): the name is the words before
    the cells that fit the columns."""
    best, best_score = None, float("-inf")
    for j in range(1, len(words) + 1):
        rest = words[j:]
        if len(rest) > len(roles):
            continue
        scored = _assign(rest, roles)
        if scored is None:
            continue
        score, values = scored
        score += name_fit(" ".join(words[:j]))
        if score > best_score:
            best, best_score = (" ".join(words[:j]), values), score
    return best


def _assign(words: list[str], roles: list[str]) -> tuple[float, dict[str, str]] | None:
    """Every word to one column, in order (columns may be skipped): the best assignment."""
    n, m = len(words), len(roles)
    neg = float("-inf")
    g = [[neg] * (m + 1) for _ in range(n + 1)]
    g[n][m] = 0.0
    for c in range(m - 1, -1, -1):
        g[n][c] = g[n][c + 1] + _skip(roles[c])
    for j in range(n - 1, -1, -1):
        for c in range(m - 1, -1, -1):
            g[j][c] = max(g[j][c + 1] + _skip(roles[c]), column_fit(roles[c], words[j]) + g[j + 1][c + 1])
    if g[0][0] == neg:
        return None
    values, j, c = {}, 0, 0
    while c < m and j <= n:
        if j < n and g[j][c] == column_fit(roles[c], words[j]) + g[j + 1][c + 1]:
            values[roles[c]] = words[j]
            j += 1
        c += 1
    return g[0][0], values


_UNITS = ("平方米", "立方米", "公里", "公斤", "万元", "万人", "人次", "元/亩", "元/人", "万亩", "km", "亩", "元", "人", "户", "个",
          "次", "天", "米", "吨", "件", "家", "项", "台", "篇", "份", "所", "名", "年", "月", "日", "条", "辆", "套", "场", "座",
          "处", "间", "册", "本", "头", "只", "倍", "万", "小时", "周")
_VALUE_GLUED = (r"(?:≥|≤|>=|<=|≧|≦|[><=＞＜＝])?\s*\d+(?:\.\d+)?\s*(?:%|％|‰|"
                + "|".join(map(re.escape, _UNITS)) + r")?(?:以上|以下|以内)?")
_LEAD_WORDS = re.compile(r"(达到|反映|全面|建立|按时|确保|不低于|不超过|不少于)")


def record_of_glued(text: str, roles: list[str]) -> tuple[str, dict[str, str]] | None:
    """A record whose cells are run together: the figures at its end split by the columns' order
    (a weight after the value), an explanation column split off the name at its lead word."""
    k = compact(text)
    if len(k) > 400:
        return None   # no record is that long: text run together beyond reading
    weight_after = "weight" in roles and "target" in roles and roles.index("weight") > roles.index("target")
    pattern = r"^(?P<body>.*?)(?P<value>" + _VALUE_GLUED + r")?"
    pattern += r"(?P<weight>[1-9]\d?|100)$" if weight_after else r"$"
    m = re.match(pattern, k)
    if m is None:
        return None
    body, value, weight = m.group("body"), m.group("value") or "", (m.group("weight") if weight_after else "")
    values: dict[str, str] = {}
    explanation_first = "explanation" in roles and "target" in roles and roles.index("explanation") < roles.index(
        "target")
    name = body
    if explanation_first:
        lead = next((x for x in _LEAD_WORDS.finditer(body) if x.start() >= 2), None)
        if lead is not None:
            name, values["explanation"] = body[:lead.start()], body[lead.start():]
    if value:
        values["target"] = value
    elif "explanation" in values:
        values["target"] = values.pop("explanation")   # “规章制度建立与否”: the words are the (qualitative) target
    if weight:
        values["weight"] = weight
    return (name, values) if name else None


# --- the token stream ---------------------------------------------------------------------------------

def _is_col(token: Token) -> bool:
    return token.kind == "label" and any(r.startswith("col:") for r in token.role.split("|"))


def _col_role(token: Token) -> str:
    k = vocab.key(token.text)
    return labels()["columns"].get(k) or token.get("col:")


def _is_group(token: Token) -> bool:
    return token.kind == "label" and (token.has("group1") or token.has("group2"))


def _self_evaluation(tokens: list[Token]) -> bool:
    """A 自评表: a column of 实际完成值 / 得分 / 偏差原因 beside other column names (a word such as “得分”
    inside a 评分标准 text is no column), or a 全年执行数 column of funds."""
    for i, t in enumerate(tokens):
        if t.kind != "label":
            continue
        if t.has("fund:spent"):
            return True
        if any(t.has(r) for r in _SELF_EVAL_ROLES):
            neighbours = tokens[max(0, i - 1):i] + tokens[i + 1:i + 2]
            if any(_is_col(n) for n in neighbours):
                return True
    return False


def _headers(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) of each indicator header: a run of column labels naming a target and a name."""
    out = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_col(tokens[i]):
            i += 1
            continue
        j = i
        while j < n and (_is_col(tokens[j]) or (tokens[j].kind == "text" and vocab.key(tokens[j].text) in
                                                 labels()["columns"])):
            j += 1
        roles = {_col_role(t) for t in tokens[i:j]}
        if j - i >= 2 and roles & {"target", "adjusted_target", "initial_target"} and roles & {"name", "level1",
                                                                                               "level2"}:
            out.append((i, j))
        i = j
    return out


def _title_at(token: Token) -> bool:
    k = compact(token.text)
    return token.kind == "text" and len(k) <= 80 and bool(TITLE_RE.search(k)) and not k.endswith((".docx", ".xlsx",
                                                                                                   ".doc", ".xls"))


def _is_end(token: Token) -> bool:
    if token.kind == "label":
        return token.has("end") or token.has("meta:contact") or token.has("meta:date") or token.has(
            "meta:project_name")
    k = plain(token.text)
    return any(w in k for w in labels()["end"]) or k.startswith(("注:", "说明:")) or _title_at(token)


def _glued(lines: list[str], a: Token, b: Token) -> bool:
    """Whether two tokens stand side by side without a space in the text (one cell). Only the
    neighbourhood of ``a`` is searched (bounded work per pair, whatever the line's length)."""
    if a.line != b.line or not 0 < a.line <= len(lines):
        return False
    line = lines[a.line - 1]
    pair = a.text.strip() + b.text.strip()
    if len(line) <= 4000:
        return pair in line
    return False   # a line of a whole page run together: its tokens are no cells to join


def _group_led_rows(tokens: list[Token]) -> list[Token]:
    """A row that starts with its group label and holds sentences (“社会效益指标 指标1:改善…水平。助力…创建。
    显著改善”) is kept whole by the tokenizer as prose around the form; inside a target table it is a
    row: the label is split off. Only a label followed by a space, and only after the indicator header."""
    out: list[Token] = []
    seen_header = False
    for token in tokens:
        if _is_col(token):
            seen_header = True
        text = token.text.strip()
        labels_found: list[Token] = []
        while seen_header and token.kind == "text" and len(labels_found) < 2 and "。" in text:
            head, space, rest = text.partition(" ")
            parts = _split_labels(head, token.line) if space and rest.strip() else []
            if not (len(parts) == 1 and parts[0].kind == "label" and (parts[0].has("group1") or parts[0].has("group2"))):
                break
            labels_found.append(parts[0])
            text = rest.strip()
        if labels_found:
            out.extend(labels_found)
            out.append(Token(text, "text", line=token.line))
            continue
        out.append(token)
    return out


def target_items(lines: list[str], pipes: bool) -> list[Item] | None:
    """The rows of every 目标表 in the text (see module doc), or None when it holds none."""
    tokens, spaced = tokens_of(lines, pipes)
    tokens = _group_led_rows(tokens)
    if not tokens or _self_evaluation(tokens):
        return None
    headers = _headers(tokens)
    if not headers:
        return _cut_form(tokens, lines, spaced)
    items: list[Item] = []
    position = 0
    built = 0
    for h_start, h_end in headers:
        if h_start < position:
            continue
        start = _form_start(tokens, position, h_start)
        if start is None:
            continue
        for token in tokens[position:start]:
            items.append(Item("para", token.line, text=token.text))
        form_rows, end = _form(tokens, start, h_start, h_end, lines, spaced)
        items.extend(form_rows)
        built += 1
        position = end
    if not built:
        return None
    for token in tokens[position:]:
        items.append(Item("para", token.line, text=token.text))
    return items


_TITLE_CUT = re.compile(r"[。；;，,:：!！?？]")


def _title_tail(text: str) -> tuple[str, str] | None:
    """A title at the end of a long paragraph (a notice run together with the table it annexes:
    “…进行安排,附件2中央财政强制免疫补助资金绩效目标表(2025年度)” + 项目名称 …): (before, title).
    The title starts after the last punctuation before it, without its “附件2”."""
    k = text.rstrip()
    match = None
    for match in TITLE_RE.finditer(k):
        pass
    if match is None or len(k) - match.end() > 16:
        return None
    start = max((m.end() for m in _TITLE_CUT.finditer(k, 0, match.start())), default=0)
    start = max(start, match.start() - 40)
    title = re.sub(r"^附件\s*\d{0,2}\s*[:：]?", "", k[start:]).strip()
    return (k[:start].strip(), title) if title else None


def _cut_form(tokens: list[Token], lines: list[str], spaced: bool) -> list[Item] | None:
    """A 目标表 the copy ends before its indicator header (``family.cut_before_indicators``): a title,
    then the 项目名称 label and a 资金 label, and no column label at all. Its rows are read as the part
    before a header; the text before the title stays paragraphs. None when the text holds no such form."""
    if any(_is_col(t) for t in tokens):
        return None
    for k, token in enumerate(tokens):
        if token.kind != "text":
            continue
        if _title_at(token):
            before, title = "", token.text.strip()
        else:
            tail = _title_tail(token.text) if len(compact(token.text)) > 80 else None
            if tail is None:
                continue
            before, title = tail
        rest = tokens[k + 1:]
        named = any(t.has("meta:project_name") or (t.kind == "text" and _meta_role(t.text) == "project_name")
                    for t in rest[:12])
        funded = any(t.has("row:total") or t.has("fund:") or (t.kind == "text" and (
            _fund_role(t.text) == "total" or _year_fund_columns(t.text))) for t in rest)
        if not (named and funded):
            continue
        items = [Item("para", t.line, text=t.text) for t in tokens[:k]]
        if before:
            items.append(Item("para", token.line, text=before))
        items.append(_row([title], token.line))
        items.extend(_before_header(tokens[k + 1:], lines, spaced))
        return items
    return None


def _form_start(tokens: list[Token], lo: int, header: int) -> int | None:
    """Where the form before ``header`` starts: its title (the last one before the header: a page
    title or an 附件 line may name it first), else its first label row."""
    for k in range(header - 1, lo - 1, -1):
        if _title_at(tokens[k]):
            return k
    return next((k for k in range(lo, header) if tokens[k].kind == "label"
                 and (tokens[k].has("meta:") or tokens[k].has("row:"))), None)


def _raw(token: Token, lines: list[str]) -> str:
    """A token's text as the line has it (the tokenizer drops a “1、” that looks like a page mark)."""
    if not 0 < token.line <= len(lines):
        return token.text.strip()
    text = token.text.strip()
    for part in lines[token.line - 1].split("|"):
        part = " ".join(part.split())
        if part.endswith(text) and len(part) - len(text) <= 3:
            return part
    return text


def _row(cells: list[str], line: int) -> Item:
    return Item("row", line, cells=cells, exact=True)


def _form(tokens, start, h_start, h_end, lines, spaced) -> tuple[list[Item], int]:
    rows: list[Item] = []
    rows.extend(_before_header(tokens[start:h_start], lines, spaced))
    roles = [_col_role(t) or "other" for t in tokens[h_start:h_end]]
    names = [t.text.strip() for t in tokens[h_start:h_end]]
    k = h_end
    # column names the label list does not carry, printed after the known ones (备注, 绩效标准 …)
    while k < len(tokens) and tokens[k].kind == "text" and len(compact(tokens[k].text)) <= 8 \
            and not re.search(r"\d", tokens[k].text) and k + 1 < len(tokens) and (
            _is_group(tokens[k + 1]) or _is_col(tokens[k + 1]) or tokens[k + 1].kind == "text"
            and len(compact(tokens[k].text)) <= 4) and not _is_end(tokens[k]):
        roles.append(_col_role(tokens[k]) or "ignored")
        names.append(tokens[k].text.strip())
        k += 1
    value_roles, value_names = [], []
    for role, name in zip(roles, names):
        if role in ("level1", "level2", "name"):
            continue
        value_roles.append(role)
        value_names.append(name if role in ("target", "initial_target", "adjusted_target", "other")
                           else COLUMN_NAMES.get(role, name))
    run_together = _run_together(tokens[h_start:h_end], lines)
    rows.append(_row(["一级指标", "二级指标", "三级指标", *value_names], tokens[h_start].line))
    end = _records(tokens, k, value_roles, lines, spaced, run_together, rows)
    return rows, end


def _run_together(header: list[Token], lines: list[str]) -> bool:
    glued = sum(1 for a, b in zip(header, header[1:]) if _glued(lines, a, b))
    return glued >= 2


def _merge_glued(tokens: list[Token], lines: list[str]) -> list[Token]:
    """A fund or column label glued to the word after it is part of a longer label (“财政资金” +
    “预算分类”, “财政资金” + “科目代码”): one text token."""
    out: list[Token] = []
    for token in tokens:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "text" and len(compact(prev.text)) <= 4 and token.kind == "label"
                and token.has("meta:") and _glued(lines, prev, token)):
            out[-1] = Token(prev.text + token.text, "text", line=token.line)   # “市级” + “主管部门”
            continue
        if (prev is not None and prev.kind == "label" and not prev.has("meta:") and not prev.has("goals:")
                and token.kind == "text" and token.text[:1] and "\u4e00" <= token.text[:1] <= "\u9fff"
                and _glued(lines, prev, token)):
            out[-1] = Token(prev.text + token.text, "text", line=token.line)
            continue
        out.append(token)
    return out


def _before_header(tokens: list[Token], lines: list[str], spaced: bool) -> list[Item]:
    rows: list[Item] = []
    tokens = _merge_glued(tokens, lines)
    i, n = 0, len(tokens)
    title_seen = False

    def texts_after(k: int, line: int) -> tuple[list[str], int]:
        out = []
        while k < n and tokens[k].kind == "text" and (not spaced or tokens[k].line == line):
            t = tokens[k].text.strip()
            if t not in (":", "：", "(", ")", "（", "）", "其中:", "其中：", "其中"):
                out.append(t)
            k += 1
        return out, k

    year_columns: list[str] | None = None   # a funds table with a 上年度 column: its amount columns
    while i < n:
        token = tokens[i]
        text = token.text.strip()
        if token.kind == "text" and year_columns != ["done"] and 0 < token.line <= len(lines):
            line = lines[token.line - 1]   # the whole line: a spaced copy has a token per word
            columns = _year_fund_columns(line)
            if columns and year_columns is None:
                year_columns = columns
            elif year_columns:
                total = _year_fund_total(line, year_columns)
                if total is not None:
                    rows.append(_row(["本年度申请金额", total], token.line))
                    year_columns = ["done"]
                    while i < n and tokens[i].line == token.line:
                        i += 1
                    continue
        if token.kind == "text":
            inline = _inline_meta(text)
            if inline is not None:
                rows.append(_row(list(inline), token.line))
                i += 1
                continue
            if _title_at(token):
                if not title_seen:
                    rows.append(_row([text], token.line))
                    title_seen = True
                i += 1
                continue
            following, after = texts_after(i + 1, token.line)
            if (_meta_role(text) or _fund_role(text)) and following:
                rows.append(_row([text, following[0]], token.line))
                i = i + 1 + next(k for k in range(after - i - 1) if tokens[i + 1 + k].text.strip() == following[0]) + 1
                continue
            if _goal_text_label(text) and not spaced:
                following, after = texts_after(i + 1, token.line)
            if _goal_text_label(text):
                if spaced:   # the goal text is on the next line(s) in a spaced copy
                    following = [t.text.strip() for t in tokens[i + 1:i + 4] if t.kind == "text"]
                long = [t for t in following if len(compact(t)) >= 6]
                if long:
                    i = next(k for k in range(i + 1, n) if tokens[k].text.strip() == long[0]) + 1
                    goal = long[0]
                    if (i >= n or _is_col(tokens[i])) and re.search(r"(?:年度)?绩效指标$", goal):
                        goal = re.sub(r"(?:年度)?绩效指标$", "", goal)   # the table's label run into the goal
                    rows.append(_row([_goal_row_label(text), goal], token.line))
                    continue
            rows.append(_row([text], token.line))
            i += 1
            continue
        # a label
        if token.has("goals:"):
            labels = []
            while i < n and tokens[i].kind == "label" and tokens[i].has("goals:"):
                labels.append(tokens[i].text.strip())
                i += 1
            following, after = texts_after(i, tokens[i].line if i < n else 0)
            if spaced and not following:
                following = [t.text.strip() for t in tokens[i:i + 3] if t.kind == "text"]
                after = i + len(following)
            if following:
                label = "年度总体目标" if any("年度" in x for x in labels) or not any(
                    w in "".join(labels) for w in ("长期", "中期", "实施期")) else labels[0]
                longest = max(following, key=len)
                text_token = next(t for t in tokens[i:] if t.text.strip() == longest)
                goal = _raw(text_token, lines)
                lead = " ".join(following[:following.index(longest)])   # the words before it (spaced copy)
                long_term = _LONG_GOAL.match((lead + " " + goal).strip())
                if long_term:   # “情况 长期绩效目标 落实…”: the long-term goal's own label inside the text
                    label, goal = long_term.group(1), long_term.group(2).strip()
                nxt = tokens.index(text_token) + 1
                if (nxt >= n or _is_col(tokens[nxt])) and re.search(r"(?:年度)?绩效指标$", goal):
                    # “…顺利实施绩效指标一级指标…”: the label of the table that follows (these tokens end before it)
                    goal = re.sub(r"(?:年度)?绩效指标$", "", goal)
                rows.append(_row([label, goal], token.line))
                i = after
            continue
        if token.has("fund:rate"):
            cells = [text]
            i += 1
            while i < n and (tokens[i].kind == "text" or tokens[i].has("fund:weight")):
                cells.append(tokens[i].text.strip())
                i += 1
            rows.append(_row(cells, token.line))
            continue
        if token.has("meta:") or token.has("row:") or token.has("fund:"):
            following, after = texts_after(i + 1, token.line)
            rows.append(_row([text, *following[:1]], token.line))
            i += 1
            while i < after and tokens[i].text.strip() in (":", "：", "(", ")", "（", "）"):
                i += 1
            if following and i < after:
                i += 1
            continue
        i += 1   # block labels (项目资金, 资金情况, 绩效指标): headings of what follows
    return rows


_LONG_GOAL = re.compile(r"^\S{0,6}\s*((?:长期|中期|实施期)(?:绩效)?目标)\s*[:：]?\s*(\S.*)$")
_YEAR_COLUMNS = re.compile(r"(?:上年度|本年度|以前年度)\S*?(?:资金|金额|预算|数)")
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")


def _inline_meta(text: str) -> tuple[str, str] | None:
    """“填报单位:湘阴县教育局” as one cell of a spaced copy: a form label, a colon and its value."""
    head, colon, tail = text.replace("：", ":").partition(":")
    if not colon or not tail.strip() or len(compact(text)) > 60 or " " in tail.strip():
        return None
    role = _meta_role(head)
    return (head.strip(), tail.strip()) if role in ("unit_name", "project_name", "implementer", "supervisor") else None


def _year_fund_columns(text: str) -> list[str] | None:
    """The amount columns of a funds table that prints last year's amount beside this year's
    (项目资金申请(万元) | 项 目 | 上年度安排资金 | 本年度申请资金, 湖南 项目支出预算绩效目标申报表),
    in order; None for any other text."""
    names = _YEAR_COLUMNS.findall(compact(text))
    if len(names) >= 2 and any(x.startswith("本年度") for x in names) and any(x.startswith(("上年度", "以前年度"))
                                                                           for x in names):
        return names
    return None


def _year_fund_total(text: str, columns: list[str]) -> str | None:
    """This year's amount on the 合计 row under such columns (“合 计 213.4 259” → “259”)."""
    k = compact(text)
    if not k.startswith(("合计", "总计")):
        return None
    figures = _NUMBER.findall(text.replace(" ", " "))
    if len(figures) != len(columns):
        return None
    return figures[next(i for i, c in enumerate(columns) if c.startswith("本年度"))]


def _goal_text_label(text: str) -> bool:
    """A goals label the label list does not carry (“实施期绩效目标”, “年度主要目标” / “和成果”), or the
    first characters of a merged one that survived a copy (“年度” for 年度总体目标)."""
    k = compact(text)
    if _goal_label(k):
        return True
    if k in ("年度", "总", "总体", "年度目标"):
        return True
    return len(k) <= 12 and "目标" in k and not TITLE_RE.search(k)


def _goal_row_label(text: str) -> str:
    k = compact(text)
    if any(w in k for w in ("长期", "实施期", "中期")):
        return k
    return "年度总体目标"


def _records(tokens, k, roles, lines, spaced, run_together, rows: list[Item]) -> int:
    """The indicator records from ``k`` to the end of the table; returns where the table ends."""
    n = len(tokens)
    l1 = l2 = ""
    group: list[Token] = []
    last_label = ""   # "l1" / "l2": the last token set a group (a second level-1 label then names the level 2)

    def flush():
        nonlocal group
        if group:
            _emit(group, l1, l2, roles, lines, spaced, run_together, rows)
        group = []

    while k < n:
        token = tokens[k]
        if _is_end(token) and not (token.kind == "text" and group and not _title_at(token)
                                   and not any(w in plain(token.text) for w in labels()["end"])
                                   and not compact(token.text).startswith(("注", "说明"))):
            break
        if token.kind == "label" and token.has("total"):
            flush()
            following = tokens[k + 1].text.strip() if k + 1 < n and tokens[k + 1].kind == "text" else ""
            rows.append(_row([token.text.strip(), following], token.line))
            k += 2 if following else 1
            continue
        # a second header (年度绩效指标 after 长期绩效指标): the block's name row, then its header
        if _is_col(token) and k + 1 < n and _is_col(tokens[k + 1]):
            j = k
            while j < n and (_is_col(tokens[j]) or tokens[j].kind == "text" and compact(tokens[j].text) in ("备注",)):
                j += 1
            flush()
            block = next((t.text for t in reversed(tokens[max(0, k - 3):k]) if t.kind == "text"
                          and "指标" in t.text), "年度绩效指标")
            rows.append(_row([compact(block)[-6:] if "绩效指标" in block else "年度绩效指标"], token.line))
            rows.append(_row(["一级指标", "二级指标", "三级指标", *[COLUMN_NAMES.get(r, r) for r in roles]],
                             token.line))
            l1 = l2 = ""
            k = j
            continue
        named = _is_group(token) and _names_an_indicator(token, tokens[k + 1] if k + 1 < n else None)
        if named:
            token = Token(token.text, "text", line=token.line)   # “服务对象满意度” | “≥90%”: a name, not a group
        if _is_group(token) or (token.kind == "text" and run_together and not named and vocab.group_level(token.text)
                                and len(compact(token.text)) <= 8):
            label = token.text.strip()
            # a group label glued to the text before it is the end of a name (“…文化需求的可持续影响”),
            # or of a longer group label (“社会公众或” + “服务对象满意度指标”)
            if group and not run_together and _glued(lines, group[-1], token):
                prefix = compact(group[-1].text)
                if len(prefix) <= 6:
                    group.pop()
                    label = prefix + label
                else:
                    group[-1] = Token(group[-1].text + token.text, "text", line=token.line)
                    k += 1
                    continue
            # points printed after the label (“成本指标” / “(0-20)分”) and a label broken in two (“经济效益” / “指标”)
            while k + 1 < n and tokens[k + 1].kind == "text" and (
                    _POINTS.match(compact(tokens[k + 1].text)) or compact(tokens[k + 1].text) == "指标"):
                label += compact(tokens[k + 1].text)
                k += 1
            flush()
            level = 1 if token.has("group1") or vocab.group_level(label) == 1 else 2
            if level == 2 and re.search(r"分\)?$", compact(label)) and k + 1 < n and _is_group(tokens[k + 1]):
                level = 1   # a group with its points above another group (“成本指标(0-20)分” / “经济成本指标”)
            if level == 1 and last_label == "l1":
                l2, last_label = label, "l2"    # “满意度指标” / “满意度指标”: the second names the level-2 group
            elif level == 1:
                l1, l2, last_label = label, "", "l1"
            else:
                l2, last_label = label, "l2"
                parent = _parent_of(label)
                if parent and l1 in _STANDARD_LEVEL1 and parent != l1:
                    l1 = parent   # a 满意度 group printed without its level-1 label
            k += 1
            continue
        last_label = ""
        if token.kind == "label":
            token = Token(token.text, "text", line=token.line)   # a label word inside a name (“财政资金补助”)
        if group and _glued(lines, group[-1], token):
            group[-1] = Token(group[-1].text + token.text, "text", line=token.line)
        else:
            group.append(token)
        k += 1
    flush()
    if k >= n and rows and rows[-1].cells[:3] != ["一级指标", "二级指标", "三级指标"] \
            and not any(c.strip() for c in rows[-1].cells[3:]):
        rows.pop()   # the text ends inside the table: its last record was cut before its values
    return k


def _names_an_indicator(token: Token, after: Token | None) -> bool:
    """A level-2 group's name followed by its target (“服务对象满意度” | “≥90%”) is an indicator's name."""
    return token.has("group2") and not token.has("group1") and names_an_indicator(token, after)


_STANDARD_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
_PARENTS = (("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"), ("经济效益", "效益指标"),
            ("社会效益", "效益指标"), ("生态效益", "效益指标"), ("可持续", "效益指标"), ("满意度", "满意度指标"))


def _parent_of(label: str) -> str:
    """The 财政部 level-1 group a level-2 group belongs to (财预〔2020〕10号 附件1)."""
    k = compact(label)
    return next((parent for word, parent in _PARENTS if word in k), "")


def _emit(group: list[Token], l1: str, l2: str, roles: list[str], lines, spaced, run_together,
          rows: list[Item]) -> None:
    if run_together:
        records = []
        for token in group:
            text = token.text
            head_l1, head_l2, text = _peel_groups(text)
            if head_l1 or head_l2:
                l1, l2 = head_l1 or l1, head_l2 or l2
            figures = set(roles) <= _FIGURE_ROLES
            many = glued_records(compact(text), roles, cost=RECORD_COST) if figures else None
            if many:   # several records run together (“设备完好率100%档案规范率95%”): cut as a 自评表's are
                records.extend(((name, values), token.line, l1, l2) for name, values in many)
                continue
            one = _one_record(compact(text), roles, RECORD_COST) if figures else None
            if one is not None and re.search(r"\d{4}年", one[2].get("target", "")):
                records.append(((one[1], one[2]), token.line, l1, l2))   # a date (“2023年12月”) is one value
                continue
            record = record_of_glued(text, roles)
            if record is not None:
                records.append((record, token.line, l1, l2))
        for (name, values), line, g1, g2 in records:
            rows.append(_row([g1, g2, name, *[values.get(r, "") for r in roles]], line))
        return
    if spaced:
        by_line: dict[int, list[str]] = {}
        for token in group:
            by_line.setdefault(token.line, []).append(token.text.strip())
        for line, words in by_line.items():
            record = record_of_words(words, roles)
            if record is not None:
                name, values = record
                rows.append(_row([l1, l2, name, *[values.get(r, "") for r in roles]], line))
        return
    texts = [t.text.strip() for t in group]
    line_of = {t.text.strip(): t.line for t in reversed(group)}
    for name, values in records_of_cells(texts, roles):
        if not any(values.get(r) for r in _VALUE_ROLES) and " " in name.strip():
            # a row per line whose cells are separated by one space (“指标1:安置小区物业费 8个”) in a copy
            # that is not spaced throughout: the words after the name are its cells
            record = record_of_words(name.split(), roles)
            if record is not None and any(record[1].get(r) for r in _VALUE_ROLES):
                line = line_of.get(name, group[0].line)
                name, values = record
                rows.append(_row([l1, l2, name, *[values.get(r, "") for r in roles]], line))
                continue
        rows.append(_row([l1, l2, name, *[values.get(r, "") for r in roles]], line_of.get(name, group[0].line)))


_GROUP_PREFIX = re.compile(r"^(.{2,16}?指标\)?)(?=.)")


def _peel_groups(text: str) -> tuple[str, str, str]:
    """Group names run together in front of a record (“项目年度绩效目标(定量指标)制度指标规章制度…”)."""
    k = compact(text)
    found: list[str] = []
    while len(found) < 2:
        m = _GROUP_PREFIX.match(k)
        # a known group's name — unless a value follows it: “服务对象满意度100%” is an indicator and its target
        known = next((name for name, _role in vocab.all_names("groups") if k.startswith(name) and len(k) > len(name)
                      and not _SIGN.match(k[len(name):]) and not k[len(name)].isdigit()), None)
        if known is not None and (m is None or len(known) >= len(m.group(1))):
            found.append(known)
            k = k[len(known):]
            continue
        if m is None or len(k) - len(m.group(1)) < 2:
            break
        found.append(m.group(1))
        k = k[m.end():]
    if len(found) == 2:
        return found[0], found[1], k
    if len(found) == 1:
        return ("", found[0], k) if vocab.group_level(found[0]) != 1 else (found[0], "", k)
    return "", "", k


__all__ = ["record_of_glued", "record_of_words", "records_of_cells", "target_items"]
