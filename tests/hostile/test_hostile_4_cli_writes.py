"""Issue 10, case 4: command-line writes that ignored locks and paths.

``export-xlsx doc.pdesk -o doc.pdesk`` replaced the document with a workbook, ``import-text
a.txt -o a.txt`` replaced the source, ``demo -o open.pdesk`` overwrote a document open in a
running window, and ``export-xlsx`` wrote in place (a full disk left a corrupt file and a
traceback). Now each is refused with exit 2 and a Chinese reason, and nothing is changed.
"""

from __future__ import annotations

import os
import subprocess
import sys

from hostile_helpers import ROOT, assert_bounded, assert_refused, write_document

FORM_TEXT = ("部门整体支出绩效自评表\n单位名称\t测试单位\n一级指标\t二级指标\t三级指标\t指标值\t分值\t实际完成值\t得分\n"
             "产出指标\t数量指标\t参保人数\t≥10万人\t10\t11万人\t10\n")


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_export_onto_its_own_input_is_refused(perfdesk, tmp_path):
    doc = write_document(tmp_path / "doc.pdesk")
    before = doc.read_bytes()
    for command, ext in (("export-xlsx", ""), ("export-pdf", "")):
        run = perfdesk(command, doc, "-o", doc)
        assert_refused(run, "就是输入文件")
        assert doc.read_bytes() == before
    link = tmp_path / "link.xlsx"
    os.link(doc, link)  # the same file under another name
    run = perfdesk("export-xlsx", doc, "-o", link)
    assert_refused(run, "就是输入文件")
    assert doc.read_bytes() == before and _files(tmp_path) == ["doc.pdesk", "link.xlsx"]


def test_import_text_onto_its_own_source_is_refused(perfdesk, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(FORM_TEXT, encoding="utf-8")
    run = perfdesk("import-text", source, "-o", source)
    assert_refused(run, "就是输入文件")
    assert source.read_text(encoding="utf-8") == FORM_TEXT


def test_a_file_of_another_kind_is_never_replaced(perfdesk, tmp_path):
    doc = write_document(tmp_path / "doc.pdesk")
    other_doc = write_document(tmp_path / "另一个文档.xlsx")  # a perfdesk document, misnamed
    notes = tmp_path / "说明.pdesk"
    notes.write_text("这是一份重要的说明，不是文档。\n", encoding="utf-8")
    cases = [
        (("export-xlsx", doc, "-o", other_doc), other_doc, "perfdesk 文档"),
        (("export-pdf", doc, "-o", other_doc), other_doc, "perfdesk 文档"),
        (("demo", "-o", notes), notes, "文本文件"),
    ]
    for args, target, words in cases:
        before = target.read_bytes()
        run = perfdesk(*args)
        assert_refused(run, words, "没有写入")
        assert target.read_bytes() == before
    # the right kind is replaced as asked
    book = tmp_path / "表.xlsx"
    assert perfdesk("export-xlsx", doc, "-o", book).code == 0
    run = perfdesk("export-xlsx", doc, "-o", book)
    assert run.code == 0, run.stderr


def test_a_document_open_in_a_window_is_not_overwritten(perfdesk, tmp_path, hostile_env):
    doc = write_document(tmp_path / "open.pdesk")
    before = doc.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom perfdesk.store import DocumentLock\n"
         "DocumentLock.acquire(sys.argv[1]); print('HELD', flush=True); time.sleep(60)\n", str(doc)],
        cwd=ROOT, env=hostile_env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "HELD"
        run = perfdesk("demo", "-o", doc)
        assert_refused(run, "另一个 perfdesk 窗口", "请先在那个窗口中关闭它")
        assert doc.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    run = perfdesk("demo", "-o", doc)  # the window is gone (its lock is stale): now it may be written
    assert run.code == 0, run.stderr
    assert not (tmp_path / "open.pdesk.lock").exists()


def test_export_on_a_full_disk_keeps_the_previous_file(perfdesk, tmp_path):
    doc = write_document(tmp_path / "doc.pdesk")
    book = tmp_path / "表.xlsx"
    assert perfdesk("export-xlsx", doc, "-o", book).code == 0
    before = book.read_bytes()
    run = perfdesk("export-xlsx", doc, "-o", book, fsize=4096)  # the disk is full after 4 KB
    assert_refused(run, "磁盘空间不足", "原文件未被改动")
    assert book.read_bytes() == before
    assert _files(tmp_path) == ["doc.pdesk", "表.xlsx"]  # no temporary file left behind
    run = perfdesk("export-pdf", doc, "-o", tmp_path / "表.pdf", fsize=4096)
    assert_refused(run, "磁盘空间不足", "没有写入任何文件")
    assert _files(tmp_path) == ["doc.pdesk", "表.xlsx"]
    assert_bounded(run)
