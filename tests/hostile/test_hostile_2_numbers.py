"""Issue 10, case 2: unchecked numbers and enums (NaN, Infinity, 1E+999999999, 'abc', sNaN, 10^30).

Refused on read with a Chinese message naming the field and never the value; refused
on save the same way (perfdesk never writes a file it would refuse); a bad start-up
file does not stay in 最近文件; an Excel file that says the same imports without them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hostile_helpers import assert_bounded, assert_refused, small_document, tamper, write_document

HERE = Path(__file__).resolve().parent

BAD_VALUES = {
    "weight_nan": ("UPDATE indicator SET weight = 'NaN' WHERE name = '参保人数'", "“分值”", "NaN"),
    "weight_infinity": ("UPDATE indicator SET weight = 'Infinity' WHERE name = '参保人数'", "“分值”", "Infinity"),
    "weight_huge_exponent": ("UPDATE indicator SET weight = '1E+999999999'", "“分值”", "999999999"),
    "weight_as_blob": ("UPDATE indicator SET weight = X'372E35'", "“分值”", "7.5"),
    "rounding_abc": ("UPDATE evaluation SET execution_rounding = 'abc'", "“执行率得分的保留位数”", "abc"),
    "stated_total_snan": ("UPDATE evaluation SET stated_total = 'sNaN'", "“填报的总分”", "sNaN"),
    "year_10_30": ("UPDATE document SET year = 1e30", "“年度”", "1e+30"),
    "method_unknown": ("UPDATE indicator SET method = 'magic'", "“评分方法”", "magic"),
    "tier_unknown": ("UPDATE indicator SET tier = 'legendary'", "“评价档次”", "legendary"),
    "amount_text": ("UPDATE budget_amounts SET spent = '一百万' WHERE part = 'total'", "“全年执行数”", "一百万"),
    "amount_beyond_int64": ("UPDATE budget_amounts SET spent = 1e19 WHERE part = 'total'", "“全年执行数”", "1e+19"),
    "final_flag": ("UPDATE document SET final = 7", "“定稿标记”", "7"),
    "kind_unknown": ("UPDATE evaluation SET kind = 'secret' WHERE position = 1", "“表格类型”", "secret"),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_bad_number_or_enum_is_refused_naming_the_field(perfdesk, tmp_path, case):
    statement, field, value = BAD_VALUES[case]
    path = tamper(write_document(tmp_path / "数.pdesk"), statement)
    run = perfdesk("check", path)
    assert_refused(run, field)
    assert "内容已损坏或无效" in run.stderr
    assert value not in run.stderr.replace(str(path), "")  # the field is named, the value never copied


def test_saving_refuses_what_opening_would_refuse(script, tmp_path):
    """NaN weights or a year of 10^30 in memory (from any importer) never reach the disk."""
    path = write_document(tmp_path / "好.pdesk")
    run = script("""
        from decimal import Decimal
        from pathlib import Path
        sys.path.insert(0, sys.argv[2])
        from hostile_helpers import small_document
        from perfdesk.store import DocumentSaveError, save_document
        path = Path(sys.argv[1])
        before = path.read_bytes()
        out = {}
        for name, change in [
                ("nan", lambda d: setattr(next(d.unit_evaluation.leaves()), "weight", Decimal("NaN"))),
                ("year", lambda d: setattr(d, "year", 10 ** 30)),
                ("rounding", lambda d: setattr(d.unit_evaluation, "execution_rounding", "abc")),
                ("float_inf", lambda d: setattr(d.unit_evaluation, "stated_total", float("inf")))]:
            doc = small_document()
            change(doc)
            try:
                save_document(doc, path)
                out[name] = "saved"
            except DocumentSaveError as exc:
                out[name] = str(exc)
        out["unchanged"] = path.read_bytes() == before
        print(json.dumps(out, ensure_ascii=False))
    """, path, HERE)
    assert_bounded(run)
    verdict = run.json()
    assert "“分值”" in verdict["nan"] and "NaN" not in verdict["nan"]
    assert "“年度”" in verdict["year"] and "OverflowError" not in verdict["year"]
    assert "“执行率得分的保留位数”" in verdict["rounding"] and "abc" not in verdict["rounding"]
    assert "“填报的总分”" in verdict["float_inf"]
    assert all("原文件未被改动" in verdict[k] for k in ("nan", "year", "rounding", "float_inf"))
    assert verdict["unchanged"]


def test_a_bad_start_up_file_falls_back_and_leaves_recent_files(script, tmp_path):
    """The bad file was the last one opened: the window starts on the start document with the message,
    and the file is taken off 最近文件, so the next plain start is clean."""
    path = tamper(write_document(tmp_path / "坏.pdesk"), "UPDATE indicator SET weight = 'NaN'")
    run = script("""
        from perfdesk.ui.app import create_application, create_main_window
        from perfdesk.ui import dialogs, settings
        app = create_application()
        shown = []
        dialogs.error = lambda parent, message, title=None: shown.append(message)
        settings.add_recent_file(sys.argv[1])
        first = create_main_window(None)
        out = {"first_path": first.session.path, "unit": first.session.doc.unit.name, "shown": shown[:],
               "recent": settings.recent_files()}
        first.shutdown()
        shown.clear()
        second = create_main_window(None)
        out["second_shown"] = shown[:]
        second.shutdown()
        # opening it from the menu does not add it either
        third = create_main_window(None)
        third.controller.open_path(sys.argv[1])
        out["recent_after_open"] = settings.recent_files()
        third.shutdown()
        print(json.dumps(out, ensure_ascii=False))
    """, path)
    assert_bounded(run)
    verdict = run.json()
    assert verdict["first_path"] is None and verdict["unit"]  # the start (demo) document
    assert len(verdict["shown"]) == 1 and "“分值”" in verdict["shown"][0]
    assert verdict["recent"] == [] and verdict["second_shown"] == []
    assert verdict["recent_after_open"] == []


def test_excel_meta_sheet_with_bad_values_imports_without_them(perfdesk, tmp_path):
    """A workbook whose hidden perfdesk sheet says year 10^30 and rounding 'abc', with a NaN weight cell:
    imported (exit 0) with those left empty and reported; the document written opens."""
    import openpyxl

    from perfdesk.exchange.xlsx_common import META_SHEET
    from perfdesk.exchange.xlsx_export import export_xlsx

    book = tmp_path / "表.xlsx"
    export_xlsx(small_document(), book)
    wb = openpyxl.load_workbook(book, data_only=True)  # openpyxl would save our SUMs without their values
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "year":
            row[1].value = 1e30
        elif row[0].value and row[0].value not in ("format", "final", "sheet") and len(row) > 5:
            row[5].value = "abc"   # execution_rounding
            row[4].value = "unit-atlantis"  # layout
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == 10:
                    cell.value = "NaN"
    wb.save(book)
    out = tmp_path / "导入.pdesk"
    run = perfdesk("import-xlsx", book, "-o", out)
    assert_bounded(run)
    assert run.code == 0, run.stderr
    assert "年度" in run.stdout and "保留位数" in run.stdout and "表样" in run.stdout
    check = perfdesk("check", out, "--json")
    assert check.code == 0, check.stderr
    assert json.loads(check.stdout)["year"] == 0
