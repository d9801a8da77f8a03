"""Excel import of workbooks in the seeds' layouts, and every kind of bad input.

All workbooks are generated here with openpyxl (no binary fixtures).
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfdesk.exchange import xlsx_import
from perfdesk.exchange.text_import import import_text
from perfdesk.exchange.text_rows import parse_items
from perfdesk.exchange.xlsx_export import export_xlsx
from perfdesk.exchange.xlsx_import import XlsxImportError, cell_text, import_xlsx
from perfdesk.model.amounts import wan_to_fen
from perfdesk.model.document import Document, EvaluationKind, Indicator, Method
from perfdesk.scoring import score_evaluation

from test_xlsx_roundtrip import snap

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "seeds"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEEDS = FIXTURES if FIXTURES.is_dir() else SHARED


def seed_text(prefix: str) -> str:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"seed {prefix} missing")
    return files[0].read_text(encoding="utf-8")


# -- workbooks in the seeds' layouts ------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def _cell_value(text: str):
    """A number cell (with a % format for rates) when the number reads back as the same text."""
    if _NUMBER.match(text):
        if text.endswith("%"):
            value = float(Decimal(text[:-1]) / 100)
            decimals = len(text[:-1].partition(".")[2])
            fmt = "0%" if not decimals else "0." + "0" * decimals + "%"
        else:
            value = int(text) if "." not in text else float(text)
            fmt = "General"
        if cell_text(value, fmt) == text:
            return value, fmt
    return text, None


def seed_workbook(text: str, path: Path) -> Path:
    """The seed's forms as Excel would hold them: one row per table row, numbers as
    numbers, vertically merged group cells, title rows merged across the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows: list[list[str] | None] = []
    for item in parse_items(text):
        if item.kind == "placeholder":
            continue
        if item.is_row:
            rows.append(list(item.cells) if not (item.tabbed and len(item.cells) == 1) else [item.cells[0], None])
        else:
            rows.append([item.text] if item.text else [])
    for r, cells in enumerate(rows, start=1):
        if len(cells) == 2 and cells[1] is None:  # a row of one cell spanning the table
            ws.cell(r, 1, cells[0]).data_type = "s"
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
            continue
        for c, text in enumerate(cells, start=1):
            if text:
                value, fmt = _cell_value(text)
                cell = ws.cell(r, c, value)
                if fmt:
                    cell.number_format = fmt
                else:
                    cell.data_type = "s"
    # merge level-1/level-2 (and section label) cells down over the empty cells below them
    for col in (1, 2):
        r = 1
        while r <= len(rows):
            cells = rows[r - 1]
            if len(cells) >= 6 and cells[col - 1]:
                end = r
                while (end < len(rows) and len(rows[end]) == len(cells) and not rows[end][col - 1]
                       and any(rows[end])):
                    end += 1
                if end > r:
                    ws.merge_cells(start_row=r, start_column=col, end_row=end, end_column=col)
                r = end + 1
            else:
                r += 1
    wb.save(path)
    return path


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_workbooks_read_like_the_seed_text(prefix, tmp_path):
    text = seed_text(prefix)
    path = seed_workbook(text, tmp_path / f"seed{prefix}.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.active.merged_cells.ranges, "the generated workbook has merged cells"
    result = import_xlsx(path)
    assert snap(result.document) == snap(import_text(text).document)
    assert any(line.startswith("读取：") for line in result.report)
    assert all("工作表“自评表”" in line for line in result.report if re.search(r"第 \d+ 行", line))


def test_seed_000_figures_from_the_workbook(tmp_path):
    result = import_xlsx(seed_workbook(seed_text("000"), tmp_path / "s.xlsx"))
    ev = result.document.unit_evaluation
    score = score_evaluation(ev)
    assert score.weight_total == 100 and score.total == Decimal("96.8")
    assert ev.stated_total == Decimal("96.8") and score.grade == "优"
    assert [g.name for g in ev.indicators[2].children] == ["职能", "职能"]
    assert ev.budget.total.annual_budget == wan_to_fen("93116.21")


def test_seed_002_figures_from_the_workbook(tmp_path):
    doc = import_xlsx(seed_workbook(seed_text("002"), tmp_path / "s.xlsx")).document
    assert [p.name for p in doc.projects][:1] == ["城乡居保参保乡镇考核"]
    assert len(doc.projects) == 4
    unit = doc.unit_evaluation
    assert unit.budget.total.initial_budget == wan_to_fen("531.19")
    assert unit.execution is not None and unit.execution.stated_rate == Decimal("0.858")
    assert score_evaluation(unit).total == 94


# -- hand-made workbooks: header variants, stacked forms, many sheets ----------------------------

def _project_form(ws, top: int, name: str, *, left: int = 1, target_label: str = "全年指标值",
                  swap: bool = False) -> int:
    """A 财政部-style 项目支出绩效自评表 written at row ``top``; returns the next free row."""
    c0 = left
    r = top

    def put(row, col, value, fmt=None):
        cell = ws.cell(row, c0 + col, value)
        if fmt:
            cell.number_format = fmt
        return cell

    put(r, 0, "项目支出绩效自评表")
    ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + 8)
    put(r + 1, 0, "（2024年度）")
    ws.merge_cells(start_row=r + 1, start_column=c0, end_row=r + 1, end_column=c0 + 8)
    put(r + 2, 0, "项目名称"), put(r + 2, 1, name)
    ws.merge_cells(start_row=r + 2, start_column=c0 + 1, end_row=r + 2, end_column=c0 + 8)
    put(r + 3, 0, "主管部门"), put(r + 3, 1, "某某局"), put(r + 3, 4, "实施单位"), put(r + 3, 5, "某某中心")
    heads = ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    for i, h in enumerate(heads):
        if h:
            put(r + 4, i, h)
    put(r + 5, 1, "年度资金总额"), put(r + 5, 2, 50), put(r + 5, 3, 50), put(r + 5, 4, 45.5, "0.00")
    put(r + 5, 5, 10), put(r + 5, 6, 0.91, "0.00%"), put(r + 5, 7, 9)
    put(r + 6, 1, "其中：本年财政拨款"), put(r + 6, 2, 50), put(r + 6, 3, 50), put(r + 6, 4, 45.5)
    ws.merge_cells(start_row=r + 4, start_column=c0, end_row=r + 6, end_column=c0)
    put(r + 7, 0, "年度总体目标"), put(r + 7, 1, "预期目标"), put(r + 7, 4, "实际完成情况")
    put(r + 8, 1, "完成培训任务"), put(r + 8, 4, "已完成")
    ws.merge_cells(start_row=r + 7, start_column=c0, end_row=r + 8, end_column=c0)
    value_cols = ["实际完成值", target_label] if swap else [target_label, "实际完成值"]
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", *value_cols, "分值", "得分", "偏差原因分析及改进措施"]
    h = r + 9
    for i, label in enumerate(header):
        put(h, i, label)
    data = [
        ("产出指标(50分)", "数量指标", "培训人数", "≥500人", "520人", 30, 30, ""),
        (None, None, "培训场次", "≥10场", "9场", 10, 9, "场地不足"),
        (None, "时效指标", "完成及时率", 1.0, 1.0, 10, 10, ""),
        ("效益指标(30分)", "社会效益指标", "政策知晓率", "≥90%", "95%", 30, 30, ""),
        ("满意度指标(10分)", "服务对象满意度指标", "学员满意度", 0.95, 0.97, 10, 10, ""),
    ]
    for i, (l1, l2, leaf, target, actual, weight, score, note) in enumerate(data, start=1):
        values = [l1, l2, leaf, *((actual, target) if swap else (target, actual)), weight, score, note]
        for j, value in enumerate(values, start=1):
            if value is not None and value != "":
                put(h + i, j, value, "0%" if isinstance(value, float) else None)
    ws.merge_cells(start_row=h, start_column=c0, end_row=h + 5, end_column=c0)
    ws.merge_cells(start_row=h + 1, start_column=c0 + 1, end_row=h + 3, end_column=c0 + 1)
    ws.merge_cells(start_row=h + 1, start_column=c0 + 2, end_row=h + 2, end_column=c0 + 2)
    t = h + 6
    put(t, 0, "总分"), put(t, 6, 100), put(t, 7, 98)
    ws.merge_cells(start_row=t, start_column=c0, end_row=t, end_column=c0 + 5)
    return t + 2


def _check_project(ev, name: str) -> None:
    assert ev.kind is EvaluationKind.PROJECT and ev.name == name
    assert ev.project.supervisor == "某某局" and ev.project.implementer == "某某中心"
    assert ev.budget.total.spent == wan_to_fen("45.5") and ev.budget.total.annual_budget == wan_to_fen(50)
    assert ev.execution is not None and ev.execution.stated_rate == Decimal("0.91")
    assert ev.execution.stated_score == 9
    assert [(g.name, g.weight) for g in ev.indicators] == [
        ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    output = ev.indicators[0]
    assert [g.name for g in output.children] == ["数量指标", "时效指标"]
    leaves = list(ev.leaves())
    assert [leaf.name for leaf in leaves] == ["培训人数", "培训场次", "完成及时率", "政策知晓率", "学员满意度"]
    count = leaves[1]
    assert (count.target, count.actual, count.weight, count.score_override) == ("≥10场", "9场", 10, 9)
    assert count.deviation_note == "场地不足" and count.method is Method.HIGHER
    assert leaves[2].target == "100%" and leaves[4].actual == "97%"
    assert ev.stated_total == 98
    assert ev.goals.expected == "完成培训任务" and ev.goals.achieved == "已完成"


def test_header_variants_stacked_forms_and_many_sheets(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "第一批"
    nxt = _project_form(ws, 1, "职业技能培训")
    _project_form(ws, nxt + 3, "创业培训", left=2, target_label="年度指标值", swap=True)  # shifted, swapped
    _project_form(wb.create_sheet("第二批"), 3, "就业见习", target_label="指标值")
    path = tmp_path / "many.xlsx"
    wb.save(path)
    result = import_xlsx(path)
    names = [p.name for p in result.document.projects]
    assert names == ["职业技能培训", "创业培训", "就业见习"]
    for ev, name in zip(result.document.projects, names):
        _check_project(ev, name)
    assert any("“第二批”" in line for line in result.report)


def test_formula_cells_use_their_cached_values(tmp_path):
    wb = openpyxl.Workbook()
    _project_form(wb.active, 1, "职业技能培训")
    wb.active["H16"] = "=G16-1"  # 得分 of 培训场次 as a formula (row 10 is the header)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    with pytest.raises(XlsxImportError, match="公式.*没有保存计算结果"):
        import_xlsx(path)
    # the same workbook as Excel saves it: the formula with its cached value
    cached = tmp_path / "cached.xlsx"
    _rewrite(path, cached, lambda name, data: re.sub(
        rb"<f>G16-1</f><v\s*/?>(</v>)?", b"<f>G16-1</f><v>9</v>", data) if "sheet" in name else data)
    ev = import_xlsx(cached).document.projects[0]
    assert list(ev.leaves())[1].score_override == 9


def _rewrite(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


# -- bad input -----------------------------------------------------------------------------

def _valid(tmp_path) -> Path:
    doc = Document(year=2024)
    doc.unit_evaluation.add(Indicator(name="产出指标")).add(Indicator(name="数量", weight=Decimal(10)))
    path = tmp_path / "ok.xlsx"
    export_xlsx(doc, path)
    return path


def _expect(path, pattern: str) -> str:
    with pytest.raises(XlsxImportError) as info:
        import_xlsx(path)
    message = str(info.value)
    assert re.search(pattern, message), message
    assert re.search(r"[\u4e00-\u9fff]", message) and "Traceback" not in message
    return message


def test_encrypted_workbook(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo / EncryptedPackage streams.
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016)
    data += "EncryptionInfo".encode("utf-16-le") + b"\0" * 200 + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(bytes(data))
    _expect(path, "密码|加密")


def test_old_xls_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000 + "Workbook".encode("utf-16-le"))
    _expect(path, r"\.xls")


@pytest.mark.parametrize("content", [b"", b"hello, world\n", b"\x89PNG\r\n\x1a\n" + b"\0" * 64])
def test_not_a_workbook(tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    _expect(path, "不是 Excel|文件为空")


def test_zip_that_is_no_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _expect(path, "不是 Excel")


def test_missing_file_and_directory(tmp_path):
    _expect(tmp_path / "nope.xlsx", "不存在")
    _expect(tmp_path, "文件夹")


def test_corrupt_zip(tmp_path):
    data = _valid(tmp_path).read_bytes()
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    _expect(truncated, "损坏")
    # an intact zip directory whose sheet data is garbage
    garbled = tmp_path / "garbled.xlsx"
    _rewrite(_valid(tmp_path), garbled,
             lambda name, d: b"<worksheet><sheetData><row" if name.endswith("sheet1.xml") else d)
    _expect(garbled, "损坏|出错")


def test_enormous_file_is_refused_before_loading(tmp_path, monkeypatch):
    path = _valid(tmp_path)
    monkeypatch.setattr(xlsx_import, "MAX_FILE_BYTES", 1000)

    def boom(*args, **kwargs):
        raise AssertionError("the workbook must not be loaded")

    monkeypatch.setattr(xlsx_import, "_load", boom)
    _expect(path, "文件过大")


def test_zip_bomb_is_refused_before_loading(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zipfile.ZipFile(_valid(tmp_path)) as src:
            for info in src.infolist():
                zf.writestr(info.filename, src.read(info.filename))
        zf.writestr("xl/media/padding.bin", b"\0" * 30_000_000)  # 30 MB of zeros, ~30 KB packed
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1_000_000
    monkeypatch.setattr(xlsx_import, "MAX_UNCOMPRESSED_BYTES", 20_000_000)
    _expect(path, "解压后过大")


def test_too_many_rows_columns_and_long_texts(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 61):
        ws.cell(r, 1, f"行{r}")
    ws.cell(1, 30, "x" * 500)
    path = tmp_path / "big.xlsx"
    wb.save(path)
    monkeypatch.setattr(xlsx_import, "MAX_ROWS", 50)
    _expect(path, "行数过多")
    monkeypatch.setattr(xlsx_import, "MAX_ROWS", 20_000)
    monkeypatch.setattr(xlsx_import, "MAX_COLUMNS", 20)
    _expect(path, "列数过多")
    monkeypatch.setattr(xlsx_import, "MAX_COLUMNS", 200)
    monkeypatch.setattr(xlsx_import, "MAX_TEXT", 100)
    _expect(path, "文字过长")
    monkeypatch.setattr(xlsx_import, "MAX_TEXT", 32_767)
    monkeypatch.setattr(xlsx_import, "MAX_CELLS", 50)
    _expect(path, "单元格过多")


def test_sheet_without_a_recognisable_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "电话"])
    ws.append(["张三", "123"])
    ws.append(["这是一段说明文字，没有任何指标表。"])
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    _expect(path, "没有找到可识别的自评表")
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    _expect(empty, "没有任何内容")


def test_perfdesk_workbook_whose_form_sheets_were_deleted(tmp_path):
    path = _valid(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("空白")
    del wb["部门整体"]
    wb.save(path)
    _expect(path, "没有可导入的自评表")


def test_cell_text_as_the_officer_sees_it():
    import datetime

    assert cell_text(0.985, "0.0%") == "98.5%"
    assert cell_text(1, "0%") == "100%"
    assert cell_text(661.7252, "0.00") == "661.7252"
    assert cell_text(3.0, "General") == "3"
    assert cell_text(True) == "是"
    assert cell_text(datetime.datetime(2024, 12, 31)) == "2024-12-31"
    assert cell_text(None) == ""


def test_values_typed_over_an_exported_workbook(tmp_path):
    """Rates typed as text, float noise from formulas, big amounts — read as an officer means them."""
    from test_xlsx_roundtrip import rich_document

    doc = rich_document()
    path = tmp_path / "out.xlsx"
    export_xlsx(doc, path)
    wb = openpyxl.load_workbook(path, data_only=True)  # openpyxl saves no formula values
    ws = wb["老字号传承2023扶持"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "预算资金（万元）")
    ws.cell(head + 1, 7).value = "85.8%"       # 执行率 typed as text
    ws.cell(head + 1, 8).value = 0.1 + 0.2     # 得分 from a formula: 0.30000000000000004
    ws.cell(head + 1, 4).value = 2_500_000.5   # 全年预算数 of 250 亿元
    ws.cell(head + 1, 5).value = "很多"        # an amount that is no number
    wb.save(path)
    result = import_xlsx(path)
    ev = result.document.projects[0]
    assert ev.execution.stated_rate == Decimal("0.858")
    assert ev.execution.stated_score == Decimal("0.3")
    assert ev.budget.total.annual_budget == wan_to_fen("2500000.5")
    assert ev.budget.total.spent is None
    assert any("很多" in line for line in result.report)
