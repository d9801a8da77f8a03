"""项目支出绩效自评报告: exists once the officer has its text (typed or an accepted draft), then
printed (PDF) and exported (Word) under the circulars' outline, numbered over the filled sections."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from perfdesk.demo import demo_document
from perfdesk.drafts import draft
from perfdesk.exchange.docx_export import DocxError, build_docx
from perfdesk.printing import export_pdf
from perfdesk.printing.errors import PrintError
from perfdesk.printing.export import plan


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def test_no_self_report_until_the_officer_has_its_text(tmp_path):
    doc = demo_document()
    with pytest.raises(PrintError, match="文档中没有项目支出绩效自评报告"):
        export_pdf(doc, tmp_path / "x.pdf", form="self-reports")
    with pytest.raises(DocxError, match="文档中没有项目支出绩效自评报告"):
        build_docx(doc, "self-reports")


def test_an_accepted_self_report_prints_under_its_outline(tmp_path):
    doc = demo_document()
    ev = doc.projects[1]
    for key in ("self_report_basics", "self_report_results", "self_report_use"):
        ev.narrative[key] = draft(doc, ev, key).accept_text()
    items = [(i.kind, i.document.key if i.document else "", i.evaluation.name) for i in plan(doc)]
    assert ("document", "self-reports", ev.name) in items
    assert not any(key == "other-texts" for _, key, _ in items)  # not printed twice as 其他文字说明
    path = tmp_path / "self.pdf"
    export_pdf(doc, path, form="self-reports")
    with pdfplumber.open(path) as pdf:
        # without the 草稿 watermark's large characters and the footers under the 版心
        text = flat("".join(page.filter(lambda o: o.get("object_type") != "char" or (
            o.get("size", 0) < 40 and o["bottom"] < page.height - 30 * 72 / 25.4)).extract_text() or ""
            for page in pdf.pages))
    assert flat(f"{ev.name}项目") in text and "支出绩效自评报告" in text
    # three filled sections: 一、二、三 without gaps, in the circular's order
    assert text.index("一、项目基本情况") < text.index("二、绩效目标实现情况") < text.index("三、自评结果应用")
    assert flat("预算执行率为29.50%，得3分（分值10分）") in text
    for line in ev.narrative["self_report_use"].splitlines():
        assert flat(line) in text
