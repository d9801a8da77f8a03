"""The narrative documents and the sections they are made of.

Four documents are written from narrative sections (the forms print some
sections too — which ones is each layout's ``narrative`` list):

- 整体绩效评价报告 (unit, seed 003): 一、部门基本情况 (（一）部门概况 …) … 五、有关建议;
- 预算绩效情况说明 (unit, seed 001): one text, “explanation”;
- 项目支出绩效自评报告 (each project): 一、项目基本情况 … 六、自评结果应用, in the
  structure of the 财政 circulars (财预〔2020〕10号 and the provinces' 自评报告 outlines);
- 项目绩效评价报告 (a project's imported report, “report”): one text.

A document exists only when the officer has text for at least one of its
sections (imported, typed, or a draft they accepted): nothing here invents a
document. Headings are numbered over the sections that have text, so a report
with four of its sections filled in reads 一、二、三、四 without gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfdesk.model.document import Document, Evaluation, EvaluationKind

CHINESE_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


@dataclass(frozen=True)
class Section:
    key: str       # narrative key
    heading: str   # printed under its part as “（一）heading”; "" when the part is the section


@dataclass(frozen=True)
class Part:
    heading: str | None          # printed as “一、heading”; None for a document of one text
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class NarrativeDocument:
    id: str
    title: str                   # generic title (“整体绩效评价报告”)
    kind: EvaluationKind
    parts: tuple[Part, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for part in self.parts for s in part.sections)

    def exists(self, ev: Evaluation) -> bool:
        return ev.kind is self.kind and any((ev.narrative.get(k) or "").strip() for k in self.keys)

    def full_title(self, doc: Document, ev: Evaluation) -> str:
        year = f"{doc.year}年度" if doc.year else ""
        if self.id == "unit_report":
            return f"{doc.unit.name or ev.name}{year}{self.title}"
        if self.id == "explanation":
            return f"关于{year}{self.title}"
        if self.id == "project_self_report":
            return f"{ev.name}项目{year}支出绩效自评报告" if ev.name else f"{year}{self.title}"
        return f"{ev.name}{self.title}" if ev.name else self.title

    def heading_of(self, key: str) -> str:
        """Where a section sits in the document, for the window: “三、主要绩效”, “二、（三）绩效评价结论”."""
        for i, part in enumerate(self.parts):
            for j, s in enumerate(part.sections):
                if s.key != key:
                    continue
                if part.heading is None:
                    return ""
                head = f"{CHINESE_NUMBERS[i]}、{part.heading}"
                return f"{head}（{CHINESE_NUMBERS[j]}）{s.heading}" if s.heading else head
        return ""


def _one(key: str) -> tuple[Section, ...]:
    return (Section(key, ""),)


UNIT_REPORT = NarrativeDocument("unit_report", "整体绩效评价报告", EvaluationKind.UNIT, (
    Part("部门基本情况", (Section("report_overview", "部门概况"), Section("report_duties", "职责任务"),
                        Section("report_goals", "绩效目标"))),
    Part("评价工作情况", (Section("report_method", "评价思路方法"), Section("report_process", "评价工作过程"),
                        Section("report_conclusion", "绩效评价结论"))),
    Part("主要绩效", _one("report_performance")),
    Part("存在问题", _one("report_problems")),
    Part("有关建议", _one("report_suggestions")),
))
EXPLANATION = NarrativeDocument("explanation", "预算绩效情况说明", EvaluationKind.UNIT, (
    Part(None, _one("explanation")),
))
PROJECT_SELF_REPORT = NarrativeDocument("project_self_report", "项目支出绩效自评报告", EvaluationKind.PROJECT, (
    Part("项目基本情况", _one("self_report_basics")),
    Part("绩效自评工作开展情况", _one("self_report_work")),
    Part("绩效目标实现情况", _one("self_report_results")),
    Part("偏差原因分析", _one("self_report_deviation")),
    Part("存在的问题及改进措施", _one("self_report_problems")),
    Part("自评结果应用", _one("self_report_use")),
))
PROJECT_REPORT = NarrativeDocument("project_report", "项目绩效评价报告", EvaluationKind.PROJECT, (
    Part(None, _one("report")),
))
DOCUMENTS = (UNIT_REPORT, EXPLANATION, PROJECT_SELF_REPORT, PROJECT_REPORT)


@dataclass(frozen=True)
class Block:
    """One piece of a document as laid out: a heading (level 1 “一、…”, 2 “（一）…”) or a section's text."""

    level: int      # 1, 2 for headings; 0 for text
    text: str
    key: str = ""   # the narrative key of a text block


def blocks(outline: NarrativeDocument, ev: Evaluation) -> list[Block]:
    """The headings and texts of the sections that have text, numbered without gaps."""
    out: list[Block] = []
    n1 = 0
    for part in outline.parts:
        present = [s for s in part.sections if (ev.narrative.get(s.key) or "").strip()]
        if not present:
            continue
        if part.heading is not None:
            out.append(Block(1, f"{CHINESE_NUMBERS[n1]}、{part.heading}"))
            n1 += 1
        for n2, s in enumerate(present):
            if s.heading:
                out.append(Block(2, f"（{CHINESE_NUMBERS[n2]}）{s.heading}"))
            out.append(Block(0, ev.narrative[s.key], s.key))
    return out


def split_title(text: str, *titles: str) -> tuple[str | None, str]:
    """An imported document's own title line (“关于2023年度预算绩效情况说明”) and the rest.

    The first non-empty line is taken as the title when it is short, has no
    sentence punctuation and names the document (ends with 报告 / 说明 or is one of ``titles``).
    """
    lines = text.strip().splitlines()
    if not lines:
        return None, ""
    first = lines[0].strip()
    looks = (len(first) <= 60 and not any(p in first for p in "。；，：")
             and (first.endswith(("报告", "说明", "综述")) or first in titles))
    if looks:
        return first, "\n".join(lines[1:]).strip()
    return None, text.strip()


def documents_of(kind: EvaluationKind) -> list[NarrativeDocument]:
    return [d for d in DOCUMENTS if d.kind is kind]


FILLED_DATE_KEY = "filled_date"  # 填报日期 written on an imported form (kept with the narrative)
OTHER_TEXTS = "其他文字说明"


def printed_elsewhere(ev: Evaluation) -> set[str]:
    """Narrative keys that the evaluation's form or one of the narrative documents prints."""
    from perfdesk.model.layouts import LayoutError, layout_of

    keys = {FILLED_DATE_KEY}
    try:
        keys |= set(layout_of(ev.layout, ev.kind.value).narrative)
    except LayoutError:
        pass
    for outline in documents_of(ev.kind):
        keys |= set(outline.keys)
    return keys


def other_texts(doc: Document, ev: Evaluation) -> list[tuple[str, str, str]]:
    """(key, title, text) of the officer's texts that no form or document prints — printed as
    “其他文字说明” so nothing typed is left unprintable; a 自评综述 already quoted in the unit's
    预算绩效情况说明 is not repeated."""
    from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE

    titles = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
    printed = printed_elsewhere(ev)
    quoted = "".join(doc.unit_evaluation.narrative.get("explanation", "").split())
    out = []
    for key in [k for k in titles if k in ev.narrative] + [k for k in ev.narrative if k not in titles]:
        text = ev.narrative.get(key) or ""
        flat = "".join(text.split())
        if key in printed or not flat or flat in quoted:
            continue
        out.append((key, titles.get(key, key), text))
    return out


def section_uses(ev: Evaluation, key: str) -> list[str]:
    """The printed documents and forms that print this section of this evaluation, in words."""
    from perfdesk.model.layouts import LayoutError, layout_of

    uses = []
    try:
        layout = layout_of(ev.layout, ev.kind.value)
        if key in layout.narrative:
            uses.append(f"{layout.title}（{layout.label}）")
    except LayoutError:
        pass
    for outline in documents_of(ev.kind):
        if key in outline.keys:
            where = outline.heading_of(key)
            uses.append(f"{outline.title} {where}" if where else outline.title)
    if key == "summary" and ev.kind is EvaluationKind.PROJECT:
        uses.append("预算绩效情况说明（2）本项目的自评综述（经部门整体“预算绩效情况说明”的草稿引用）")
    if not uses or key == "summary":
        uses.append(f"{OTHER_TEXTS}（不属于任何表格或报告的文字单独打印）"
                    + ("，已写入情况说明的不重复" if key == "summary" else ""))
    return uses


__all__ = [
    "Block", "DOCUMENTS", "EXPLANATION", "NarrativeDocument", "PROJECT_REPORT", "PROJECT_SELF_REPORT", "Part",
    "FILLED_DATE_KEY", "OTHER_TEXTS", "Section", "UNIT_REPORT", "blocks", "documents_of", "other_texts",
    "printed_elsewhere", "section_uses", "split_title",
]
