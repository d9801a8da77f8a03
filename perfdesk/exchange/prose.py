"""Prose around the forms: 预算绩效情况说明, 整体绩效评价报告, 项目绩效评价报告 (seeds 001, 003)."""

from __future__ import annotations

import re

from perfdesk.exchange.text_rows import compact

_SENTENCE_END = tuple("。；;！？!?，,、")



_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）])")
_UNIT_REPORT_KEYS = (
    ("概况", "report_overview"), ("职责", "report_duties"), ("绩效目标", "report_goals"),
    ("思路", "report_method"), ("方法", "report_method"), ("过程", "report_process"),
    ("结论", "report_conclusion"), ("主要绩效", "report_performance"),
    ("存在问题", "report_problems"), ("建议", "report_suggestions"),
)


def join_paragraphs(paras: list[str]) -> str:
    """Paragraphs joined by line breaks; a paragraph cut by a page break is mended."""
    out: list[str] = []
    for p in paras:
        if out and not out[-1].endswith(_SENTENCE_END + ("。", "：", ":", "”", "）", ")")) \
                and not _HEADING_RE.match(p) and len(out[-1]) > 30:
            out[-1] += p
        else:
            out.append(p)
    return "\n".join(out)


def unit_report_sections(paras: list[str]) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    key: str | None = None
    for p in paras:
        if _HEADING_RE.match(p) and len(compact(p)) <= 24:
            found = next((k for word, k in _UNIT_REPORT_KEYS if word in p), None)
            if found is not None:
                key = found
                sections.setdefault(key, [])
                continue
            if re.match(r"^\s*[一二三四五六七八九十]+\s*[、.．]", p):
                key = None  # a chapter heading such as 一、部门基本情况
            continue
        if key is not None:
            sections[key].append(p)
    return {k: join_paragraphs(v) for k, v in sections.items() if v}


