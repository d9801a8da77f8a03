"""Issue 10, case 6: slow patterns in the readers, and long text.

Merged ranges and shared strings (Excel import, store area) are capped and linear; the PDF
long-text layout was made linear in the printing area. The text importer's regexes (晋中
reader, group labels) were rewritten in the importer area: their cases are built here
(they were xfail until the importer's rewrite made them linear).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_helpers import (
    ROOT, SHEET_OPEN, assert_bounded, assert_refused, inline_row, raw_xlsx, small_document, write_document,
)

SEED_JINZHONG = ROOT / "tests" / "fixtures" / "seeds" / "004_47a905f118a897a3.txt"


def _jinzhong_with_spaces(spaces: int = 3000) -> str:
    text = SEED_JINZHONG.read_text(encoding="utf-8")
    return text.replace("主管部门及代码\t\t077", "主管部门及代码\t\t晋" + " " * spaces + "中")


def test_jinzhong_text_with_3000_spaces_in_one_cell(perfdesk, tmp_path):
    source = tmp_path / "晋中.txt"
    source.write_text(_jinzhong_with_spaces(), encoding="utf-8")
    assert source.stat().st_size > 10_000
    run = perfdesk("import-text", source, "-o", tmp_path / "o.pdesk", timeout=8)
    assert_bounded(run)
    assert run.code == 0


def test_jinzhong_workbook_with_spaces_in_one_cell(perfdesk, tmp_path):
    rows = [line.split("\t") for line in _jinzhong_with_spaces().splitlines()]
    xml = SHEET_OPEN + "".join(inline_row(r, *(c.replace("&", "&amp;").replace("<", "&lt;") for c in cells))
                               for r, cells in enumerate(rows, 1)) + "</sheetData></worksheet>"
    book = raw_xlsx(tmp_path / "晋中.xlsx", xml)
    run = perfdesk("import-xlsx", book, "-o", tmp_path / "o.pdesk", timeout=8)
    assert_bounded(run)
    assert run.code == 0


def test_text_group_label_of_100_kb(perfdesk, tmp_path):
    text = SEED_JINZHONG.read_text(encoding="utf-8")
    label = "产出指标" + " " * 100_000 + "x"
    source = tmp_path / "组.txt"
    source.write_text(text.replace("产出指标", label), encoding="utf-8")
    assert source.stat().st_size > 100_000
    run = perfdesk("import-text", source, "-o", tmp_path / "o.pdesk", timeout=8)
    assert_bounded(run)


def test_workbook_group_label_is_read_in_linear_time(perfdesk, tmp_path):
    """perfdesk's own workbooks name groups “决策(6)”; a 32 000-character label used to take ~15 s."""
    from perfdesk.exchange.xlsx_export import export_xlsx

    doc = small_document()
    doc.unit_evaluation.indicators[0].name = "(" + " " * 32_000
    book = tmp_path / "组.xlsx"
    export_xlsx(doc, book)
    run = perfdesk("import-xlsx", book, "-o", tmp_path / "o.pdesk")
    assert_bounded(run)
    assert run.code == 0, run.stderr


def test_twenty_thousand_tall_merged_ranges(perfdesk, tmp_path):
    """A 7 KB workbook with 20 000 merged ranges each a million rows tall (was: 42 s)."""
    merges = "".join(f'<mergeCell ref="A{i}:C{i + 1_000_000}"/>' for i in range(1, 20_001))
    xml = (SHEET_OPEN + "".join(inline_row(r, "说明", "文字") for r in range(1, 50))
           + f'</sheetData><mergeCells count="20000">{merges}</mergeCells></worksheet>')
    book = raw_xlsx(tmp_path / "合并.xlsx", xml)
    assert book.stat().st_size < 200_000
    run = perfdesk("import-xlsx", book, "-o", tmp_path / "o.pdesk")
    assert_refused(run, "没有找到可识别的自评表")
    more = "".join(f'<mergeCell ref="A{i}:C{i + 1_000_000}"/>' for i in range(1, 30_001))
    book = raw_xlsx(tmp_path / "更多合并.xlsx", xml.replace(merges, more))
    run = perfdesk("import-xlsx", book, "-o", tmp_path / "o.pdesk")
    assert_refused(run, "合并单元格过多")
    assert not (tmp_path / "o.pdesk").exists()


SHARED_BOMBS = {
    # 2 000 000 tiny strings in a few hundred KB (was: 62 s and 1.7 GB)
    "many_strings": lambda: "<si><t>a</t></si>" * 2_000_000,
    # one entry of 40 MB
    "one_huge_string": lambda: "<si><t>" + "x" * 40_000_000 + "</t></si>",
    # 150 000 entries of many rich-text runs each
    "rich_runs": lambda: ("<si>" + "<r><t>a</t></r>" * 100 + "</si>") * 15_000,
}


@pytest.mark.parametrize("bomb", list(SHARED_BOMBS))
def test_shared_strings_bomb(perfdesk, tmp_path, bomb):
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main" count="1" uniqueCount="1">' + SHARED_BOMBS[bomb]() + "</sst>")
    xml = SHEET_OPEN + '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    book = raw_xlsx(tmp_path / "文字.xlsx", xml, shared)
    assert book.stat().st_size < 600_000
    run = perfdesk("import-xlsx", book, "-o", tmp_path / "o.pdesk")
    assert_refused(run)
    assert not (tmp_path / "o.pdesk").exists()


def test_pdf_of_a_400k_character_narrative(perfdesk, tmp_path):
    """Was 37 s (layout time grew quadratically with one long text); fixed in the printing area."""
    doc = small_document()
    doc.unit_evaluation.narrative["problems"] = "存在的问题说明。" * 50_000
    path = write_document(tmp_path / "长.pdesk", doc)
    run = perfdesk("export-pdf", path, "-o", tmp_path / "长.pdf", timeout=10)
    assert_bounded(run)
    assert run.code == 0


def test_a_20_million_character_name_never_reaches_the_window(perfdesk, script, tmp_path):
    """From a file it is refused at open (the typing route is the window's: lead's area)."""
    from hostile_helpers import tamper

    path = tamper(write_document(tmp_path / "长名.pdesk"),
                  "UPDATE document SET unit_name = printf('%.*c', 20000000, 'x')")
    assert path.stat().st_size > 20_000_000
    run = perfdesk("check", path)
    assert_refused(run, "单位名称")
    run = script("""
        from perfdesk.ui.app import create_application, create_main_window
        from perfdesk.ui import dialogs
        app = create_application()
        shown = []
        dialogs.error = lambda parent, message, title=None: shown.append(message)
        w = create_main_window(sys.argv[1], check_recovery=False)
        print(json.dumps({"path": w.session.path, "shown": shown}, ensure_ascii=False))
        w.shutdown()
    """, path)
    assert_bounded(run)
    verdict = run.json()
    assert verdict["path"] is None and len(verdict["shown"]) == 1 and len(verdict["shown"][0]) < 400
    assert Path(path).exists()
