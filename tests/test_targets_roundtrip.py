"""Adjusted targets (issue 17 item 3) through the file, the Excel workbook and the printed form: a 目标表's
年初指标值, 调整后指标值 and 调整原因, its 指标性质, 度量单位 and 项目编码 come back as they went in, and
scoring uses the adjusted target wherever the document has been."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from perfdesk.cli import imported_document
from perfdesk.exchange.importing import import_file
from perfdesk.scoring import score_evaluation
from targets_workbook import ADJUST_REASON, write_targets_workbook

FIELDS = ("name", "target", "initial_target", "adjust_reason", "comparison", "unit", "weight", "actual", "method")


def _leaves(ev):
    return [tuple(getattr(n, f) for f in FIELDS) for n in ev.leaves()]


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "目标表.xlsx"
    write_targets_workbook(path, projects=5)
    doc = imported_document(import_file(path).document)
    ev = doc.projects[4]
    first = next(ev.leaves())
    first.actual = "110人"    # meets the adjusted ≥100人, not the initial ≥120人
    return doc


def test_adjusted_targets_survive_the_file(filled, tmp_path):
    from perfdesk.store import open_document, save_document

    path = tmp_path / "文档.pdesk"
    save_document(filled, path)
    back = open_document(path, remember=False)
    for ours, theirs in zip(filled.projects, back.projects):
        assert _leaves(theirs) == _leaves(ours)
        assert theirs.project.code == ours.project.code
    first = next(back.projects[4].leaves())
    assert (first.target, first.initial_target, first.adjust_reason) == ("≥100人", "≥120人", ADJUST_REASON)
    assert score_evaluation(back.projects[4]).of(first).score == 10


def test_adjusted_targets_survive_the_workbook(filled, tmp_path):
    from perfdesk.exchange.xlsx_export import export_xlsx
    from perfdesk.exchange.xlsx_import import import_xlsx

    path = tmp_path / "自评表.xlsx"
    export_xlsx(filled, path)
    back = import_xlsx(path).document
    ev = next(p for p in back.projects if p.name == filled.projects[4].name)
    first = next(ev.leaves())
    assert (first.target, first.initial_target, first.adjust_reason, first.actual) == (
        "≥100人", "≥120人", ADJUST_REASON, "110人")
    assert score_evaluation(ev).of(first).score == 10
    assert [p.project.code for p in back.projects] == [p.project.code for p in filled.projects]


def test_adjusted_targets_are_printed_with_their_initial_value_and_reason(filled, tmp_path):
    from perfdesk.printing import export_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils missing")
    pdf = tmp_path / "自评表.pdf"
    export_pdf(filled, pdf, "projects", evaluation=filled.projects[4], draft=True)
    text = "".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "≥100人" in text and "110人" in text
    assert "年初指标值≥120人" in text and ADJUST_REASON in text
