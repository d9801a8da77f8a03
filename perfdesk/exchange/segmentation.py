"""Cutting a stream of rows and paragraphs into forms and prose sections.

The input is what a reader made of a file or of pasted text: ``text_rows.Item``s in
order — table rows (cells) and paragraphs. A form starts at its title (…自评表,
…评价表) or at the first table row after prose; it ends at its last row (总分, 整改举措,
单位负责人…) or at the next title. A form split over several tables (a Word table
continued on the next page, a PDF page break) stays one form; several forms in one
file are cut at their titles. Prose sections start at 情况说明 / 评价报告 titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perfdesk.exchange.text_rows import Item, compact, tidy_name

_SENTENCE_END = tuple("。；;！？!?，,、")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
FORM_TITLE_RE = re.compile(r"(自评表|自我评价表|自评价表|评价表|评分表|计分表|得分表|绩效目标自评|绩效自评)$")
# 绩效目标表 and its kin (issue 17): a title may end in a note (“绩效目标申报表(基础设施建设类)”)
TARGET_TITLE_RE = re.compile(r"(绩效目标(?:申报|审批|批复|审核|调整)?表|目标申报表|目标审批表|绩效评价指标表)"
                             r"(?:[(（][^()（）]{1,16}[)）])?$")
_TITLE_YEAR_RE = re.compile(r"[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$")


def year_of(text: str) -> int | None:
    """The first year written as “2023年” in ``text`` (brackets ignored)."""
    m = _YEAR_RE.search(compact(text).replace("（", "").replace("(", ""))
    return int(m.group(1)) if m else None


@dataclass
class Segment:
    kind: str                 # "form" | "explanation" | "report"
    title: str = ""
    line: int = 0
    items: list[Item] = field(default_factory=list)
    year: int | None = None
    placeholders: int = 0   # “……” rows dropped
    where: str = ""         # where it starts, for the report (“表 2”, “第 3 页”); else its line
    titled: bool = False    # its first row is its title (a 目标表's title tells its kind)
    named: str = ""         # the name its 项目名称 row gives
    heading: str = ""       # a title right above its own (a page's heading: “…项目2021年预算绩效自评”)

    def rows(self) -> list[list[str]]:
        return [it.cells for it in self.items if it.is_row]

    @property
    def exact(self) -> bool:
        """Whether the rows hold every cell in its column (not a web copy that dropped some)."""
        return all(it.exact for it in self.items if it.is_row)

    def paragraphs(self) -> list[str]:
        return [it.text for it in self.items if not it.is_row]


def _title_kind(text: str) -> str | None:
    t = compact(text)
    if not t or len(t) > 60 or t.endswith(_SENTENCE_END + ("。",)):
        return None
    if re.fullmatch(r"附件\d*[:：]?", t):
        return "noise"
    if re.fullmatch(r"[（(]?\d{4}年度?[）)]?", t):
        return "year"
    bare = _TITLE_YEAR_RE.sub("", t)  # “…自评表(2023年度)”
    if FORM_TITLE_RE.search(bare) and bare != "评分表":  # 晋中's 评分表 is a row inside the form
        return "form"
    if TARGET_TITLE_RE.search(bare):
        return "target"
    if t.endswith("情况说明") and len(t) > len("情况说明"):
        # a bare “情况说明” is a column's name (资金管理情况 | 情况说明 | …) copied one cell per line
        return "explanation"
    if t.endswith(("评价报告", "自评报告")) and not t.startswith("《"):
        return "report"
    return None


def _names_project(cells: list[str]) -> str:
    """The name a 项目名称 row gives (its first cell the label, the name after it), else ""."""
    from perfdesk.exchange.vocabulary import meta_label

    filled = [c for c in cells if c and c.strip()]
    if len(filled) >= 2 and len(filled[0]) <= 16 and meta_label(filled[0]) == "project_name":
        return compact(filled[1])
    return ""


def _cover_row(cells: list[str]) -> bool:
    """A label and its value (单位名称, 评价方式, 联系人 …): a line of a report's cover."""
    from perfdesk.exchange.vocabulary import meta_label

    filled = [c for c in cells if c and c.strip()]
    # the unit, its contact, how it was evaluated — a 项目名称 row is a form's first row, never a cover's
    return len(filled) == 2 and len(compact(filled[0])) <= 16 and (
        meta_label(filled[0]) in ("unit_name", "contact") or compact(filled[0]).rstrip(":：") in ("评价方式", "评价机构"))


def _end_of_form(cells: list[str]) -> bool:
    first = compact(next((c for c in cells if c.strip()), "")).rstrip(":：")
    return first in ("总分", "整改举措") or first.startswith("单位负责人")


def segment(items: list[Item]) -> tuple[list[Segment], list[Item]]:
    """Forms and prose sections in order, plus paragraphs that belong to none."""
    segments: list[Segment] = []
    loose: list[Item] = []
    form: Segment | None = None
    prose: Segment | None = None
    last_para: tuple[list[Item], Item] | None = None
    pending_year: int | None = None
    for item in items:
        if item.kind == "placeholder":
            if form is not None:
                form.placeholders += 1
            continue
        single = item.text if not item.is_row else (item.cells[0] if len(item.nonempty()) == 1
                                                   and item.cells[0] else "")
        kind = _title_kind(single) if single else None
        if kind == "noise":
            continue
        if kind == "year":
            target = form or prose
            if target is not None and target.year is None:
                target.year = year_of(single)
            elif target is None:
                pending_year = year_of(single)   # “(2021年度)” under a title not read as one: the next form's
            continue
        if kind in ("form", "target", "explanation", "report"):
            title = tidy_name(single)
            if (last_para is not None and last_para[0] and last_para[0][-1] is last_para[1]
                    and len(compact(last_para[1].text)) <= 30
                    and not last_para[1].text.endswith(_SENTENCE_END + ("。",))):
                last_para[0].pop()
                title = tidy_name(last_para[1].text) + title
            seg = Segment("form" if kind == "target" else kind, title, item.line, year=year_of(title),
                          where=item.origin)
            if kind == "form" and form is not None and not form.items and not form.titled:
                seg.heading = form.title   # two titles, nothing between: the first heads the page
            if kind == "target":  # the title tells a 目标表 (部门整体 or project) from a 自评表: kept as a row
                seg.items.append(Item("row", item.line, cells=[title], origin=item.origin))
                seg.titled = True
            segments.append(seg)
            if seg.kind == "form":
                form = seg
            else:
                form, prose = None, seg
            last_para = None
            continue
        if (form is not None and not item.is_row and len(compact(item.text)) > 40
                and not any(it.is_row for it in form.items[1 if form.titled else 0:])):
            form = None  # the “title” was a mention in the prose (“详见附件：…自评表”)
        if form is not None and item.is_row and _names_project(item.cells):
            if form.named and form.named != _names_project(item.cells):
                # another 项目名称 in one form: the next project's block (one long sheet of 目标表)
                form = Segment("form", "", item.line, where=item.origin)
                segments.append(form)
            form.named = _names_project(item.cells)
        if form is not None:
            form.items.append(item)
            if item.is_row and _end_of_form(item.cells):
                form = None
            last_para = None
            continue
        if item.is_row and prose is not None and prose.kind == "report" and _cover_row(item.cells):
            prose.items.append(item)   # “部门(单位)名称: …” under a report's title: its cover, no form
            continue
        if item.is_row:
            form = Segment("form", "", item.line, [item], where=item.origin, year=pending_year,
                           named=_names_project(item.cells))
            segments.append(form)
            pending_year = None
            last_para = None
            continue
        target_list = prose.items if prose is not None else loose
        target_list.append(item)
        last_para = (target_list, item)
    # a 目标表 title with nothing under it was a mention (“附件：…绩效目标表”) or a heading repeated
    segments = [s for s in segments if not (s.titled and not any(it.is_row for it in s.items[1:]))]
    return segments, loose




__all__ = ["FORM_TITLE_RE", "Segment", "segment", "year_of"]
