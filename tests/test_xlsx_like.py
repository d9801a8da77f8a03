"""export-xlsx --like TARGETS.xlsx (issue 17 item 5): the 自评 in the column order of a 绩效目标表."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfdesk.exchange.xlsx_like import LikeError, export_like, role_of
from perfdesk.model.document import Document, Evaluation, EvaluationKind, Indicator, Method, UnitProfile
from perfdesk.scoring import score_evaluation

TARGETS = Path(__file__).resolve().parent / "fixtures" / "real" / "targets"


def project(name: str, leaves) -> Evaluation:
    """``leaves``: (level1, level2, name, target, actual, weight, method, deviation)."""
    ev = Evaluation(kind=EvaluationKind.PROJECT, name=name, layout="project-mof")
    groups: dict[tuple, Indicator] = {}
    for l1, l2, name_, target, actual, weight, method, note in leaves:
        g1 = groups.get((l1,)) or groups.setdefault((l1,), ev.add(Indicator(l1)))
        g2 = groups.get((l1, l2)) or groups.setdefault((l1, l2), g1.add(Indicator(l2)))
        g2.add(Indicator(name_, weight=None if weight is None else Decimal(weight), target=target,
                         actual=actual, method=method, deviation_note=note, rule_text=f"{name_}评分"))
    return ev


def document() -> Document:
    a = project("雾炮车降尘抑尘服务", [
        ("产出指标", "数量指标", "配备车辆数", "≥10辆", "10辆", 30, Method.HIGHER, ""),
        ("产出指标", "质量指标", "空气质量优良率", "≥98%", "95%", 30, Method.HIGHER, "沙尘天气"),
        ("产出指标", "成本指标", "服务费用", "≤250万元", "248万元", 20, Method.LOWER, ""),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "优良", "", 10, Method.MANUAL, ""),
    ])
    a.add(Indicator("效益指标")).add(Indicator("社会效益指标"))  # an empty group: no row
    b = project("农村文化建设配套补助经费", [
        ("产出指标", "数量指标", "送戏进万村", "≥70村", "70村", 50, Method.HIGHER, ""),
        ("效益指标", "社会效益指标", "群众受益面", "≥90%", "92%", 40, Method.HIGHER, ""),
    ])
    return Document(year=2024, unit=UnitProfile(name="某局"), projects=[a, b])


def _row(ws, r: int, cells: dict[int, object]) -> None:
    for c, value in cells.items():
        ws.cell(r, c, value)


def integrated_targets(path: Path) -> Path:
    """Two project sheets of a budget system's export, each with its own column order."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "农村文化建设配套补助经费"
    _row(ws, 1, {1: "项目支出绩效目标表"})
    _row(ws, 2, {1: "项目名称", 3: "农村文化建设配套补助经费"})
    _row(ws, 3, {1: "年度资金总额", 3: 5})
    _row(ws, 5, {1: "绩效指标", 2: "一级指标", 3: "二级指标", 4: "三级指标", 5: "指标性质", 6: "指标值",
                 7: "度量单位", 8: "分值", 9: "指标值说明"})
    _row(ws, 6, {2: "产出指标", 3: "数量指标", 4: "送戏进万村", 5: "≥", 6: 70, 7: "村", 8: 50})
    ws.merge_cells("A5:A8")
    ws2 = wb.create_sheet("雾炮车")
    _row(ws2, 1, {1: "2024年项目支出绩效目标申报表"})
    _row(ws2, 2, {1: "项目支出名称", 2: "雾炮车降尘抑尘服务", 3: "预算部门", 4: "湘潭市环境卫生管理处"})
    _row(ws2, 4, {1: "本年度\n绩效指标", 2: "三级指标", 3: "一级指标", 4: "二级指标", 5: "指标值及单位",
                  6: "绩效标准", 7: "权重（%）"})
    wb.save(path)
    return path


def read(path: Path, title: str):
    ws = openpyxl.load_workbook(path)[title]
    header = next(r for r in range(1, ws.max_row + 1) if any(
        ws.cell(r, c).value in ("一级指标", "一级") for c in range(1, ws.max_column + 1)))
    rows = {}
    for r in range(header + 1, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
        if any(v is not None for v in values):
            rows[r] = values
    return ws, header, rows


def test_columns_follow_each_projects_own_template(tmp_path):
    doc = document()
    like = integrated_targets(tmp_path / "目标表.xlsx")
    out = tmp_path / "自评.xlsx"
    report = export_like(doc, like, out)
    assert any("农村文化建设配套补助经费" in line and "第 5 行" in line for line in report)

    # 一体化 order: 指标性质 | 指标值 | 度量单位 split out of “≥70村”; 分值 in its place
    ws, header, rows = read(out, "农村文化建设配套补助经费")
    assert [ws.cell(header, c).value for c in range(1, 13)] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值", "指标值说明",
        "实际完成值", "得分", "偏差原因分析及改进措施"]
    first = rows[header + 1]
    assert first[:11] == [None, "产出指标", "数量指标", "送戏进万村", "≥", 70, "村", 50, "送戏进万村评分",
                          "70村", 50]
    second = rows[header + 2]
    assert second[1:8] == ["效益指标", "社会效益指标", "群众受益面", "≥", 90, "%", 40]
    assert second[10] == 40  # 92% of ≥90%: full marks
    # 湖南 order (三级 first, 指标值及单位 in one cell, 权重(%)); 绩效标准 left blank
    ws, header, rows = read(out, "雾炮车降尘抑尘服务")
    assert [ws.cell(header, c).value for c in range(1, 11)] == [
        "本年度\n绩效指标", "三级指标", "一级指标", "二级指标", "指标值及单位", "绩效标准", "权重（%）",
        "实际完成值", "得分", "偏差原因分析及改进措施"]
    values = list(rows.values())
    assert len(values) == 4  # the empty 社会效益指标 group is no indicator row
    assert values[1][:10] == [None, "空气质量优良率", "产出指标", "质量指标", "≥98%", None, 30, "95%",
                              pytest.approx(29.08, abs=0.01), "沙尘天气"]
    assert values[3][1] == "市民满意度" and values[3][8] is None  # manual, not scored: left blank
    sc = score_evaluation(doc.projects[0])
    leaf = next(doc.projects[0].leaves())
    assert values[0][8] == float(sc.of(leaf).score)


def test_a_two_row_header_and_project_blocks_in_one_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    r = 1
    for name in ("雾炮车降尘抑尘服务", "农村文化建设配套补助经费"):
        _row(ws, r, {1: "项目名称", 2: name})
        _row(ws, r + 1, {1: "一级指标", 2: "二级指标", 3: "三级指标", 4: "指标值", 6: "分值", 7: "调整原因"})
        _row(ws, r + 2, {4: "年初指标值", 5: "调整后指标值"})
        _row(ws, r + 3, {1: "产出指标", 2: "数量指标", 3: "x", 4: "1", 5: "2", 6: 10})
        r += 6
    like = tmp_path / "long.xlsx"
    wb.save(like)
    out = tmp_path / "out.xlsx"
    report = export_like(document(), like, out)
    assert "第 3 行" in report[0] and "第 9 行" in report[1]  # each project its own block
    ws = openpyxl.load_workbook(out)["农村文化建设配套补助经费"]
    assert [ws.cell(4, c).value for c in range(1, 10)] == [
        "一级指标", "二级指标", "三级指标", "指标值", None, "分值", "调整原因", "实际完成值", "得分"]
    assert [ws.cell(5, c).value for c in range(1, 8)] == [None, None, None, "年初指标值", "调整后指标值", None, None]
    assert [ws.cell(6, c).value for c in range(1, 9)] == [
        "产出指标", "数量指标", "送戏进万村", "≥70村", "≥70村", 50, None, "70村"]
    assert ws.print_title_rows.replace("$", "") == "4:5"


def test_synonyms():
    assert role_of(" 三级指标 ") == role_of("指标名称") == "name"
    assert role_of("权重(%)") == role_of("分值") == "weight"
    assert role_of("指标值及单位") == role_of("调整后指标值") == "target"
    assert role_of("年初指标值") == "initial_target"
    assert role_of("度量单位") == role_of("计量单位") == "unit"
    assert role_of("指标性质") == "nature"
    assert role_of("评分标准") == role_of("指标值说明") == "rule"
    assert role_of("备注") is None and role_of("绩效标准") is None


def test_bad_templates_give_a_chinese_message_and_write_nothing(tmp_path):
    out = tmp_path / "out.xlsx"
    not_xlsx = tmp_path / "目标表.xlsx"
    not_xlsx.write_text("这不是工作簿")
    with pytest.raises(LikeError, match="无法读取目标表"):
        export_like(document(), not_xlsx, out)
    empty = tmp_path / "空.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(empty)
    with pytest.raises(LikeError, match="没有找到指标表的表头"):
        export_like(document(), empty, out)
    assert not out.exists()


def test_cli_export_like(tmp_path, capsys):
    from perfdesk.cli import main
    from perfdesk.store import save_document

    pdesk = tmp_path / "doc.pdesk"
    save_document(document(), pdesk)
    like = integrated_targets(tmp_path / "t.xlsx")
    out = tmp_path / "out.xlsx"
    assert main(["export-xlsx", str(pdesk), "--like", str(like), "-o", str(out)]) == 0
    assert "已导出" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames == ["雾炮车降尘抑尘服务", "农村文化建设配套补助经费"]
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x")
    assert main(["export-xlsx", str(pdesk), "--like", str(bad), "-o", str(tmp_path / "never.xlsx")]) != 0
    assert "无法读取目标表" in capsys.readouterr().err
    assert not (tmp_path / "never.xlsx").exists()


# -- the real published 目标表 ------------------------------------------------------------------

_HEADER_START = re.compile(r"^(一级指标|一级)\s*\|?$")


def header_cells(text: str, shape: str) -> list[str] | None:
    """The indicator-table header of a fixture text as the cells of one row (test setup:
    the texts are copies of web tables, one cell per line or space-separated)."""
    lines = [line.strip() for line in text.splitlines()]
    if shape == "space-separated":
        line = next((l for l in lines if re.search(r"(^|\s)一级指标\s+二级指标", l)), None)
        return line.split() if line else None
    if shape not in ("cell-per-line", "pipe-cell-per-line"):
        return None  # run-together text: no cell boundaries to rebuild
    cells = [l.rstrip("|").strip() for l in lines if l and l.rstrip("|").strip()]
    start = next((i for i, c in enumerate(cells) if _HEADER_START.match(c) or c in ("一级指标", "一级")), None)
    if start is None:
        return None
    end = next(i for i in range(start, len(cells)) if cells[i] == "产出指标")
    return cells[start - 1:end]  # from the 绩效指标 label cell to the first data cell


def real_targets():
    for path in sorted(TARGETS.glob("*.txt")):
        expect = json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))
        cells = header_cells(path.read_text(encoding="utf-8"), expect["shape"])
        if cells and expect["indicator_samples"]:
            yield path.stem, expect, cells


def test_real_targets_cover_enough_provinces():
    found = list(real_targets())
    assert len(found) >= 5
    assert len({expect["province"] for _, expect, _ in found}) >= 3


@pytest.mark.parametrize("slug,expect,cells", list(real_targets()), ids=lambda v: v if isinstance(v, str) else "")
def test_real_targets_headers_are_followed(slug, expect, cells, tmp_path):
    like = tmp_path / "目标表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, expect["source"]["title"])
    ws.cell(2, 1, "项目名称")
    ws.cell(2, 2, expect["name"] or "")
    for c, text in enumerate(cells, start=1):
        ws.cell(4, c, text)
    wb.save(like)

    samples = expect["indicator_samples"]
    ev = project(expect["name"] or "项目", [
        (s["level1"], s["level2"], s["name"], s["target"], s["target"], None, Method.HIGHER, "") for s in samples])
    doc = Document(year=expect["year"] or 2024, projects=[ev])
    out = tmp_path / "out.xlsx"
    export_like(doc, like, out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [ws.cell(4, c).value or "" for c in range(1, len(cells) + 1)] == cells  # same header, same columns
    added = [ws.cell(4, c).value for c in range(len(cells) + 1, ws.max_column + 1)]
    assert added[:2] == ["实际完成值", "得分"]
    col = {role: next(c for c, t in enumerate(cells, start=1) if role_of(t) == role)
           for role in ("level1", "level2", "name", "target") if any(role_of(t) == role for t in cells)}
    assert {"level1", "level2", "target"} <= set(col)
    for r, sample in enumerate(samples, start=5):
        def at(c):
            return ws.cell(r, c).value or ""

        assert at(col["level1"]) == sample["level1"]
        assert at(col["level2"]) == sample["level2"]
        if "name" in col:
            assert at(col["name"]) == sample["name"]
        assert at(col["target"]) == sample["target"]  # no 指标性质/度量单位 column: as written
        assert at(len(cells) + 1) == sample["target"]  # 实际完成值
