"""The .pdesk file: exact round trip, refused files, atomic save, migrations, lock, recovery."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest

from perfdesk.model.document import (
    Amounts,
    Budget,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
)
from perfdesk.store import (
    APPLICATION_ID,
    SCHEMA_DIR,
    SCHEMA_VERSION,
    DocumentCorruptError,
    DocumentFileError,
    DocumentLock,
    DocumentLockedError,
    DocumentNotFoundError,
    DocumentSaveError,
    DocumentTooNewError,
    DocumentUnreadableError,
    NotAPerfdeskFileError,
    discard_recovery,
    list_recoveries,
    open_document,
    recovery_dir,
    save_document,
    write_recovery,
)
from perfdesk.store import atomic, document_file, migrations

CJK = re.compile(r"[\u4e00-\u9fff]")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --- helpers ----------------------------------------------------------------------------------------

def dump(obj):
    """A comparable picture of a model object: every field except uid/parent; Decimals by exact text."""
    if dataclasses.is_dataclass(obj):
        return (type(obj).__name__,
                {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in ("uid", "parent")})
    if isinstance(obj, list):
        return [dump(x) for x in obj]
    if isinstance(obj, dict):
        return [(k, dump(v)) for k, v in obj.items()]  # order matters
    if isinstance(obj, Decimal):
        return ("Decimal", str(obj))
    if isinstance(obj, Enum):
        return (type(obj).__name__, obj.value)
    return (type(obj).__name__, obj)


LONG = "很长的说明文字。" * 20000 + "\r\n末尾\t制表符 😀"


def full_document() -> Document:
    """A document where every field of every model class differs from its default somewhere."""
    unit = Evaluation(
        kind=EvaluationKind.UNIT, name="部门整体", template="unit-mof", layout="unit-mof",
        budget=Budget(
            total=Amounts(661725200, 90347620000, 0),           # 661.7252 万元, 90347.62 万元, 0
            basic=Amounts(None, 1, 2),                            # empty cell next to figures
            project=Amounts(3, None, 4),
            project_lines=[BudgetLine("项目一", Amounts(1, 2, 3)), BudgetLine("", Amounts()),
                           BudgetLine("项目二", Amounts(None, None, 0))],
            sources={"general_budget": Amounts(5, 6, 7), "carried_over": Amounts(),
                     "appropriation": Amounts(0, 0, 0)},
        ),
        execution=ExecutionLine(weight=Decimal("10.0"), stated_rate=Decimal("0.858"), stated_score=Decimal("8.58")),
        execution_rounding="0.1",
        goals=Goals(expected="预期目标", achieved="实际完成情况"),
        narrative={"problems": "存在问题", "achievements": "", "自定义": LONG},
        project=ProjectInfo("主管部门", "001", "实施单位", "经常性项目", "3年", "51000021R000000019951"),
        rule_set="hubei",
        target_rows=[TargetRow("产出指标", "数量指标", "参保人数", "31万人", "31.48万人", Decimal("1.0155")),
                     TargetRow()],
        evaluators=[Evaluator("张三", "科长", "财务股", "0746-1234567"), Evaluator()],
        stated_total=Decimal("96.80"),
        stated_grade="优",
    )
    root = unit.add(Indicator(name="产出指标", weight=Decimal("50"), score_override=Decimal("49.5")))
    mid = root.add(Indicator(name="数量指标"))
    mid.add(Indicator(name="参保人数", weight=Decimal("7.5"), target="≥31万人", actual="31.48万人",
                      method=Method.HIGHER, score_override=Decimal("7.5"), rule_text="正向", deviation_note="无",
                      comparison="≥", unit="万人", initial_target="≥30万人", adjust_reason="年中追加预算"))
    mid.add(Indicator(name="差错率", weight=Decimal("2.95"), target="5", actual="3%", method=Method.AUTO,
                      comparison="≤", unit="%"))
    mid.add(Indicator(name="社会效益", weight=Decimal("0.01"), target="有效", actual="达成预期指标",
                      method=Method.TIERS, tier=Tier.PARTIAL, score_override=Decimal("0.006"), comparison="定性"))
    mid.add(Indicator(name="空", weight=None, score_override=Decimal("0")))
    mid.add(Indicator(name="零", weight=Decimal("0"), score_override=None))
    root.add(Indicator(name="执行率", weight=Decimal("1E+1"), method=Method.EXECUTION_RATE, tier=Tier.ACHIEVED))
    unit.add(Indicator(name="到位率", weight=Decimal("-0"), method=Method.ARRIVAL_RATE, tier=Tier.NOT_ACHIEVED,
                       score_override=Decimal("99999999999.123456789012345")))
    unit.add(Indicator(name=LONG, target=LONG, actual="a\x00b"))

    project = Evaluation(kind=EvaluationKind.PROJECT, name="城乡居民养老保险经办", template="project-jinzhong",
                         layout="project-jinzhong", execution=None, execution_rounding="1")
    project.add(Indicator(name="满意度", weight=Decimal("100"), method=Method.MANUAL, score_override=Decimal("99.99")))
    odd = Evaluation(kind=EvaluationKind.UNIT, name="第二张部门表（项目位置）", stated_grade="",
                     execution=ExecutionLine(weight=None, stated_rate=None, stated_score=None))
    doc = Document(
        unit=UnitProfile("永州市零陵区社会保险服务中心", "123", "人社局", "职能\n多行", "机构", "张建国", "李丽",
                         "王芳", "0746-6666666"),
        year=2022, unit_evaluation=unit, projects=[project, Evaluation(), odd], final=True, rule_set="hubei",
    )
    return doc


def _field_values(obj, seen: dict) -> None:
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name in ("uid", "parent"):
                continue
            value = getattr(obj, f.name)
            default = f.default if f.default is not dataclasses.MISSING else (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
            key = f"{type(obj).__name__}.{f.name}"
            if dump(value) != dump(default):
                seen[key] = True
            else:
                seen.setdefault(key, False)
            _field_values(value, seen)
    elif isinstance(obj, list):
        for x in obj:
            _field_values(x, seen)
    elif isinstance(obj, dict):
        for x in obj.values():
            _field_values(x, seen)


def files_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "单位 2022.pdesk"
    save_document(full_document(), path)
    return path


# --- round trip -----------------------------------------------------------------------------------

# Model fields whose columns the store has not added yet (none since schema version 2). Remove
# each entry when full_document() fills it and the file keeps it.
AWAITING_STORE: set[str] = set()


def test_full_document_sets_every_model_field():
    """Guards the round-trip test: a new model field must be filled in full_document()."""
    seen: dict[str, bool] = {}
    _field_values(full_document(), seen)
    assert seen and all(v for k, v in seen.items() if k not in AWAITING_STORE), [
        k for k, v in seen.items() if not v and k not in AWAITING_STORE]
    classes = {k.split(".")[0] for k in seen}
    assert {"Document", "UnitProfile", "Evaluation", "Budget", "Amounts", "BudgetLine", "ExecutionLine",
            "Goals", "Indicator", "TargetRow", "Evaluator", "ProjectInfo"} <= classes


def test_round_trip_preserves_every_field_exactly(saved):
    original = full_document()
    reopened = open_document(saved)
    assert dump(reopened) == dump(original)
    ev = reopened.unit_evaluation
    assert ev.budget.total == Amounts(661725200, 90347620000, 0)
    assert ev.budget.basic.initial_budget is None and ev.budget.project.spent == 4
    assert list(ev.budget.sources) == ["general_budget", "carried_over", "appropriation"]
    assert ev.budget.sources["carried_over"].is_empty()
    weights = [str(n.weight) for n in ev.walk()]
    assert weights == ["50", "None", "7.5", "2.95", "0.01", "None", "0", "1E+1", "-0", "None"]
    assert str(ev.execution.weight) == "10.0" and str(ev.stated_total) == "96.80"
    assert list(ev.narrative) == ["problems", "achievements", "自定义"] and ev.narrative["自定义"] == LONG
    assert reopened.projects[1].stated_grade is None and reopened.projects[2].stated_grade == ""
    assert reopened.projects[0].execution is None
    assert reopened.projects[2].execution == ExecutionLine(None, None, None)
    assert reopened.projects[2].kind is EvaluationKind.UNIT


def test_round_trip_rebuilds_the_tree(saved):
    ev = open_document(saved).unit_evaluation
    root, mid = ev.indicators[0], ev.indicators[0].children[0]
    assert root.parent is None and mid.parent is root
    assert [n.name for n in mid.children] == ["参保人数", "差错率", "社会效益", "空", "零"]
    assert all(child.parent is mid for child in mid.children)
    assert [n.level for n in ev.walk()] == [1, 2, 3, 3, 3, 3, 3, 2, 1, 1]
    assert len({n.uid for n in ev.walk()}) == 10


def test_synthetic_document_round_trip_and_scores(tmp_path):
    from perfdesk.samples import synthetic_document
    from perfdesk.scoring import score_evaluation

    doc = synthetic_document(projects=12)
    path = tmp_path / "大文档.pdesk"
    save_document(doc, path)
    reopened = open_document(path)
    assert dump(reopened) == dump(doc)
    for a, b in zip(doc.evaluations(), reopened.evaluations()):
        assert score_evaluation(a).total == score_evaluation(b).total


def test_saving_twice_overwrites_and_storage_types(saved):
    doc = open_document(saved)
    doc.unit.name = "改名后的单位"
    save_document(doc, saved)
    assert open_document(saved).unit.name == "改名后的单位"
    conn = sqlite3.connect(saved)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        types = set(conn.execute("SELECT DISTINCT typeof(weight) FROM indicator").fetchall())
        assert types == {("text",), ("null",)}  # never REAL
        assert conn.execute("SELECT weight FROM indicator WHERE name = '参保人数'").fetchone() == ("7.5",)
        money = conn.execute("SELECT typeof(annual_budget), annual_budget FROM budget_amounts "
                             "WHERE part = 'total' AND evaluation_id = 1").fetchone()
        assert money == ("integer", 90347620000)
    finally:
        conn.close()
    assert APPLICATION_ID == int.from_bytes(b"PDSK", "big")


def test_no_side_files_after_save_and_open(tmp_path):
    path = tmp_path / "a.pdesk"
    save_document(full_document(), path)
    save_document(full_document(), path)
    open_document(path)
    assert files_in(tmp_path) == {"a.pdesk"}
    header = path.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # rollback-journal format, never WAL


def test_open_never_writes(saved):
    before = saved.read_bytes()
    stat_before = os.stat(saved)
    os.chmod(saved, 0o444)
    try:
        open_document(saved)
        open_document(str(saved))
    finally:
        os.chmod(saved, 0o644)
    assert saved.read_bytes() == before
    assert os.stat(saved).st_mtime_ns == stat_before.st_mtime_ns
    assert files_in(saved.parent) == {saved.name}


def test_save_keeps_permissions_of_replaced_file(saved):
    os.chmod(saved, 0o640)
    save_document(full_document(), saved)
    assert os.stat(saved).st_mode & 0o777 == 0o640


def test_save_into_missing_folder_or_onto_folder(tmp_path):
    with pytest.raises(DocumentSaveError) as info:
        save_document(full_document(), tmp_path / "没有" / "a.pdesk")
    assert CJK.search(str(info.value))
    (tmp_path / "dir.pdesk").mkdir()
    with pytest.raises(DocumentSaveError):
        save_document(full_document(), tmp_path / "dir.pdesk")


def test_save_refuses_amounts_that_are_not_fen(tmp_path):
    doc = full_document()
    doc.unit_evaluation.budget.total.spent = Decimal("1.5")
    with pytest.raises(DocumentSaveError) as info:
        save_document(doc, tmp_path / "a.pdesk")
    assert "整数分" in str(info.value)
    doc.unit_evaluation.budget.total.spent = 2 ** 70
    with pytest.raises(DocumentSaveError):
        save_document(doc, tmp_path / "a.pdesk")
    assert files_in(tmp_path) == set()


# --- files that are refused -------------------------------------------------------------------------

def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    save_document(full_document(), path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _truncated(path: Path) -> None:
    save_document(full_document(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_at_page(path: Path) -> None:
    save_document(full_document(), path)
    data = path.read_bytes()
    path.write_bytes(data[: 4096 * 3])


def _garbage_page(path: Path) -> None:
    save_document(full_document(), path)
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 3] = bytes((i * 7 + 13) % 256 for i in range(4096))
    path.write_bytes(bytes(data))


def _bad_contents(path: Path) -> None:
    save_document(full_document(), path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicator SET method = 'magic' WHERE name = '参保人数'")
    conn.commit()
    conn.close()


def _parent_cycle(path: Path) -> None:
    save_document(full_document(), path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicator SET parent_id = (SELECT id FROM indicator WHERE name = '参保人数')"
                 " WHERE name = '数量指标'")
    conn.commit()
    conn.close()


def _no_unit(path: Path) -> None:
    save_document(full_document(), path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM document")
    conn.commit()
    conn.close()


BAD_FILES = {
    "foreign_sqlite": (_foreign_sqlite, NotAPerfdeskFileError, "其他程序"),
    "text_file": (lambda p: p.write_text("一级指标\t二级指标\t三级指标\n产出指标\t数量指标\t参保人数\n",
                                         encoding="utf-8"), NotAPerfdeskFileError, "文本文件"),
    "random_bytes": (lambda p: p.write_bytes(bytes((i * 131 + 7) % 256 for i in range(5000))),
                     NotAPerfdeskFileError, "不是 perfdesk 文档"),
    "empty": (lambda p: p.write_bytes(b""), DocumentCorruptError, "空"),
    "truncated_half": (_truncated, DocumentCorruptError, "不完整"),
    "truncated_at_page": (_truncated_at_page, DocumentCorruptError, "不完整"),
    "garbage_page": (_garbage_page, DocumentCorruptError, "损坏"),
    "newer_version": (_newer, DocumentTooNewError, "此文件由更新版本的 perfdesk 创建"),
    "bad_method": (_bad_contents, DocumentCorruptError, "评分方法"),
    "parent_cycle": (_parent_cycle, DocumentCorruptError, "损坏"),
    "no_unit_row": (_no_unit, DocumentCorruptError, "损坏"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_with_chinese_message_and_left_alone(tmp_path, kind):
    make, error, words = BAD_FILES[kind]
    path = tmp_path / "坏.pdesk"
    make(path)
    before = path.read_bytes()
    with pytest.raises(error) as info:
        open_document(path)
    assert isinstance(info.value, DocumentFileError)
    message = str(info.value)
    assert CJK.search(message) and words in message, message
    assert "Traceback" not in message
    assert path.read_bytes() == before
    assert files_in(tmp_path) == {"坏.pdesk"}


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentNotFoundError) as info:
        open_document(tmp_path / "无此文件.pdesk")
    assert "找不到" in str(info.value)
    assert files_in(tmp_path) == set()
    with pytest.raises(DocumentUnreadableError) as info:
        open_document(tmp_path)
    assert "文件夹" in str(info.value)


@pytest.mark.skipif(IS_ROOT or os.name == "nt", reason="root reads any file")
def test_unreadable_file(saved):
    os.chmod(saved, 0)
    try:
        with pytest.raises(DocumentUnreadableError) as info:
            open_document(saved)
    finally:
        os.chmod(saved, 0o644)
    assert "权限" in str(info.value)


def test_too_new_error_carries_versions(tmp_path):
    path = tmp_path / "n.pdesk"
    _newer(path)
    with pytest.raises(DocumentTooNewError) as info:
        open_document(path)
    assert info.value.file_version == SCHEMA_VERSION + 1
    assert info.value.supported_version == SCHEMA_VERSION


# --- atomic save ------------------------------------------------------------------------------------

def _half_write(f, data):
    f.write(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_fsync(fd):
    raise OSError(errno.EIO, "Input/output error")


def _fail_replace(src, dst):
    raise PermissionError(errno.EACCES, "Permission denied")


FAILURES = {
    "write": ("atomic._write_data", _half_write, "磁盘空间不足"),
    "fsync": ("os.fsync", _fail_fsync, "读写错误"),
    "replace": ("os.replace", _fail_replace, "没有访问权限"),
}


@pytest.mark.parametrize("where", list(FAILURES))
def test_failed_save_leaves_previous_file_and_no_temp_file(saved, monkeypatch, where):
    target, replacement, words = FAILURES[where]
    before = saved.read_bytes()
    doc = full_document()
    doc.unit.name = "新名字"
    if target.startswith("os."):
        monkeypatch.setattr(document_file.os, target[3:], replacement)
    else:
        monkeypatch.setattr(atomic, target.split(".")[1], replacement)
    with pytest.raises(DocumentSaveError) as info:
        save_document(doc, saved)
    monkeypatch.undo()
    assert words in str(info.value) and "原文件未被改动" in str(info.value)
    assert saved.read_bytes() == before
    assert files_in(saved.parent) == {saved.name}
    assert open_document(saved).unit.name == "永州市零陵区社会保险服务中心"


def test_interrupted_save_cleans_up(saved, monkeypatch):
    """Even a KeyboardInterrupt mid-write leaves the old file and removes the temp file."""
    before = saved.read_bytes()

    def interrupt(f, data):
        f.write(data[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_write_data", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_document(full_document(), saved)
    assert saved.read_bytes() == before
    assert files_in(saved.parent) == {saved.name}


def test_failed_first_save_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_write_data", _half_write)
    with pytest.raises(DocumentSaveError):
        save_document(full_document(), tmp_path / "新.pdesk")
    assert files_in(tmp_path) == set()


# --- schema versions and migrations -----------------------------------------------------------------

# Rows of a small document for every released schema (add one with every schemas/v<N>.sql).
SAMPLE_ROWS = {
    1: """
        INSERT INTO meta VALUES ('generator', 'perfdesk 0.1.0');
        INSERT INTO document VALUES (1, 2021, 0, '旧版单位', '9', '', '', '', '', '', '', '');
        INSERT INTO evaluation (id, position, kind, name, template, layout, execution_rounding, has_execution,
            execution_weight, execution_stated_rate, execution_stated_score, goals_expected, goals_achieved,
            project_supervisor, project_supervisor_code, project_implementer, project_attribute, project_period,
            stated_total, stated_grade)
            VALUES (1, 0, 'unit', '部门', 'unit-mof', 'unit-mof', '0.01', 1, '10', '0.9', NULL, '目标', '',
                    '', '', '', '', '', '95.5', '优'),
                   (2, 1, 'project', '项目甲', 'project-mof', 'project-mof', '0.01', 0, NULL, NULL, NULL,
                    '', '', '', '', '', '', '', NULL, NULL);
        INSERT INTO budget_amounts (evaluation_id, part, position, key, name, initial_budget, annual_budget, spent)
            VALUES (1, 'total', 0, '', '', 661725200, 1000000, NULL),
                   (1, 'source', 0, 'general_budget', '', 1, 2, 3),
                   (1, 'line', 0, '', '项目甲', 4, 5, 6);
        INSERT INTO indicator (id, evaluation_id, parent_id, position, name, weight, target, actual, method, tier,
            score_override, rule_text, deviation_note)
            VALUES (1, 1, NULL, 0, '产出指标', '90', '', '', 'manual', NULL, NULL, '', ''),
                   (2, 1, 1, 1, '乙', '2.95', '≤5%', '3%', 'lower', NULL, NULL, '', ''),
                   (3, 1, 1, 0, '甲', '87.05', '有效', '达成', 'tiers', 'achieved', '80', '', '');
        INSERT INTO narrative VALUES (1, 'problems', 0, '问题');
        INSERT INTO target_row (evaluation_id, position, level1, level2, name, target, actual, stated_progress)
            VALUES (2, 0, '产出', '数量', '人数', '10人', '9人', '0.9');
        INSERT INTO evaluator (evaluation_id, position, name, title, department, phone)
            VALUES (2, 0, '张三', '', '', '');
    """,
    2: """
        INSERT INTO meta VALUES ('generator', 'perfdesk 0.2.0');
        INSERT INTO document VALUES (1, 2021, 0, '旧版单位', '9', '', '', '', '', '', '', '', 'hubei');
        INSERT INTO evaluation (id, position, kind, name, template, layout, rule_set, execution_rounding,
            has_execution, execution_weight, execution_stated_rate, execution_stated_score, goals_expected,
            goals_achieved, project_supervisor, project_supervisor_code, project_implementer, project_attribute,
            project_period, project_code, stated_total, stated_grade)
            VALUES (1, 0, 'unit', '部门', 'unit-mof', 'unit-mof', 'hubei', '0.01', 1, '10', '0.9', NULL, '目标', '',
                    '', '', '', '', '', '', '95.5', '优'),
                   (2, 1, 'project', '项目甲', 'project-mof', 'project-mof', 'hubei', '0.01', 0, NULL, NULL, NULL,
                    '', '', '', '', '', '', '', '51000021R000000019951', NULL, NULL);
        INSERT INTO budget_amounts (evaluation_id, part, position, key, name, initial_budget, annual_budget, spent)
            VALUES (1, 'total', 0, '', '', 661725200, 1000000, NULL),
                   (1, 'source', 0, 'general_budget', '', 1, 2, 3),
                   (1, 'line', 0, '', '项目甲', 4, 5, 6);
        INSERT INTO indicator (id, evaluation_id, parent_id, position, name, weight, target, comparison, unit,
            initial_target, adjust_reason, actual, method, tier, score_override, rule_text, deviation_note)
            VALUES (1, 1, NULL, 0, '产出指标', '90', '', '', '', '', '', '', 'manual', NULL, NULL, '', ''),
                   (2, 1, 1, 1, '乙', '2.95', '5', '≤', '%', '6', '年中调整', '3%', 'auto', NULL, NULL, '', ''),
                   (3, 1, 1, 0, '甲', '87.05', '有效', '定性', '', '', '', '达成', 'tiers', 'achieved', '80', '', '');
        INSERT INTO narrative VALUES (1, 'problems', 0, '问题');
        INSERT INTO target_row (evaluation_id, position, level1, level2, name, target, actual, stated_progress)
            VALUES (2, 0, '产出', '数量', '人数', '10人', '9人', '0.9');
        INSERT INTO evaluator (evaluation_id, position, name, title, department, phone)
            VALUES (2, 0, '张三', '', '', '');
    """,
}


def schema_files() -> list[Path]:
    return sorted(SCHEMA_DIR.glob("v*.sql"), key=lambda p: int(p.stem[1:]))


def build_file(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((SCHEMA_DIR / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.executescript(SAMPLE_ROWS[version])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_schema_files_are_complete():
    versions = [int(p.stem[1:]) for p in schema_files()]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert set(SAMPLE_ROWS) == set(versions), "add sample rows for every released schema"
    assert set(migrations.MIGRATIONS) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("schema", schema_files(), ids=lambda p: p.stem)
def test_every_released_schema_opens(tmp_path, schema):
    """A file of every released version, built from its frozen DDL, opens (through every migration step)."""
    version = int(schema.stem[1:])
    path = tmp_path / f"{schema.stem}.pdesk"
    build_file(path, version)
    before = path.read_bytes()
    doc = open_document(path)
    assert path.read_bytes() == before  # migrated in memory only
    assert doc.unit.name == "旧版单位" and doc.year == 2021 and not doc.final
    ev = doc.unit_evaluation
    assert ev.budget.total == Amounts(661725200, 1000000, None)
    assert [n.name for n in ev.indicators[0].children] == ["甲", "乙"]  # by position
    assert ev.indicators[0].children[0].tier is Tier.ACHIEVED
    assert ev.execution.stated_rate == Decimal("0.9") and ev.stated_total == Decimal("95.5")
    assert ev.narrative == {"problems": "问题"}
    assert doc.projects[0].target_rows[0].stated_progress == Decimal("0.9")
    assert doc.projects[0].evaluators[0].name == "张三"
    # 指标性质 and 计量单位: from the target text (version 1) or as stored; the target text is kept
    lower = ev.indicators[0].children[1]
    assert (lower.comparison, lower.unit) == ("≤", "%") and lower.target in ("≤5%", "5")
    assert ev.indicators[0].children[0].comparison == "定性"
    # and saving writes the current version
    save_document(doc, path)
    assert int.from_bytes(path.read_bytes()[60:64], "big") == SCHEMA_VERSION


V2_COLUMNS = {"document": {"rule_set"}, "evaluation": {"rule_set", "project_code"},
              "indicator": {"comparison", "unit", "initial_target", "adjust_reason"}}


def write_v1_file(doc: Document, path: Path) -> None:
    """``doc`` as perfdesk wrote it with schema version 1 (its DDL from schemas/v1.sql)."""
    rows = document_file.document_rows(doc)
    conn = sqlite3.connect(path)
    conn.executescript((SCHEMA_DIR / "v1.sql").read_text(encoding="utf-8"))
    for table, table_rows in rows.items():
        for row in table_rows:
            row = {k: v for k, v in row.items() if k not in V2_COLUMNS.get(table, ())}
            names = ", ".join(f'"{k}"' for k in row)
            conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})', list(row.values()))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _version1_documents():
    """Documents as version 1 kept them: targets whole (“≥98%”), no 指标性质 or 计量单位 of their own."""
    from perfdesk.demo import demo_document
    from perfdesk.exchange.text_import import import_text
    from perfdesk.samples import synthetic_document

    seeds = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))
    docs = [synthetic_document(projects=8), demo_document()]
    docs += [import_text(p.read_text(encoding="utf-8")).document for p in seeds]
    for doc in docs:
        doc.rule_set = ""
        for ev in doc.evaluations():
            ev.rule_set, ev.project.code = "", ""
            for node in ev.walk():
                if node.comparison or node.unit:  # a template's split target, written whole as version 1 did
                    from perfdesk.model.values import compose_value

                    node.target = compose_value(node.comparison, node.target, node.unit)
                    node.comparison = node.unit = ""
                node.initial_target = node.adjust_reason = ""
    return docs


def test_a_version_1_file_gets_its_targets_split_and_keeps_every_score(tmp_path):
    """Migration 1 → 2: 指标性质 and 计量单位 read from the old target text (kept as it was): same scores."""
    from perfdesk.model.values import split_target
    from perfdesk.scoring import score_evaluation

    split = 0
    for n, old in enumerate(_version1_documents()):
        path = tmp_path / f"v1-{n}.pdesk"
        write_v1_file(old, path)
        assert int.from_bytes(path.read_bytes()[60:64], "big") == 1
        doc = open_document(path)
        assert doc.rule_set == "" and all(ev.rule_set == "" for ev in doc.evaluations())
        for ev_old, ev_new in zip(old.evaluations(), doc.evaluations()):
            before, after = score_evaluation(ev_old), score_evaluation(ev_new)
            assert (after.total, after.grade) == (before.total, before.grade)
            for a, b in zip(ev_old.walk(), ev_new.walk()):
                assert b.target == a.target and b.initial_target == "" and b.adjust_reason == ""
                assert after.of(b).score == before.of(a).score and after.of(b).computed == before.of(a).computed
                comparison, _value, unit = split_target(a.target)
                assert (b.comparison, b.unit) == (comparison, unit), a.target
                split += bool(comparison or unit)
        reopened = tmp_path / f"v2-{n}.pdesk"
        save_document(doc, reopened)  # written as version 2, the split kept
        assert dump(open_document(reopened)) == dump(doc)
    assert split > 100  # the seeds' “≥98%”, “≤5%”, “31万人” … all split


def test_migration_keeps_long_or_odd_targets_whole(tmp_path):
    doc = Document(unit=UnitProfile("单位"), year=2021)
    ev = doc.unit_evaluation
    ev.add(Indicator("长", weight=Decimal(5), target="≥98%" + "说明" * 2000))
    ev.add(Indicator("单位太长", weight=Decimal(5), target="98" + "个" * 150))
    ev.add(Indicator("定性", weight=Decimal(5), target="健全"))
    path = tmp_path / "odd.pdesk"
    write_v1_file(doc, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicator SET target = X'E581A5E585A8' WHERE name = '定性'")  # a blob: refused later
    conn.commit()
    conn.close()
    with pytest.raises(DocumentCorruptError) as info:
        open_document(path)
    assert "指标值" in str(info.value)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicator SET target = '健全' WHERE name = '定性'")
    conn.commit()
    conn.close()
    long, odd, qualitative = open_document(path).unit_evaluation.indicators
    assert (long.comparison, long.unit) == ("", "") and long.target.startswith("≥98%说明")
    assert (odd.comparison, odd.unit) == ("", "")  # a “unit” of 150 characters is none
    assert (qualitative.comparison, qualitative.unit) == ("定性", "")


BAD_V2_VALUES = [
    ("UPDATE indicator SET comparison = '约等于' WHERE name = '参保人数'", "指标性质"),
    ("UPDATE indicator SET unit = '" + "人" * 101 + "' WHERE name = '参保人数'", "计量单位"),
    ("UPDATE evaluation SET rule_set = '../../etc' WHERE position = 0", "评价规则"),
    ("UPDATE document SET rule_set = X'6875626569'", "评价规则"),  # a blob, not text
    ("UPDATE evaluation SET project_code = X'00' WHERE position = 1", "项目编码"),
    ("UPDATE indicator SET initial_target = X'00' WHERE name = '参保人数'", "年初指标值"),
]


@pytest.mark.parametrize("statement, words", BAD_V2_VALUES)
def test_new_fields_are_checked_when_read(saved, statement, words):
    conn = sqlite3.connect(saved)
    conn.execute(statement)
    conn.commit()
    conn.close()
    with pytest.raises(DocumentCorruptError) as info:
        open_document(saved)
    assert words in str(info.value)


def test_a_rule_set_unknown_here_is_kept_and_an_over_long_unit_is_not_saved(tmp_path):
    doc = full_document()
    doc.rule_set = doc.unit_evaluation.rule_set = "某县-2024_自定"  # a user's own rule set on another PC
    save_document(doc, tmp_path / "a.pdesk")
    assert open_document(tmp_path / "a.pdesk").unit_evaluation.rule_set == "某县-2024_自定"
    leaf = next(n for n in doc.unit_evaluation.walk() if n.name == "参保人数")
    leaf.unit = "人" * 101
    with pytest.raises(DocumentSaveError) as info:
        save_document(doc, tmp_path / "b.pdesk")
    assert "计量单位" in str(info.value) and not (tmp_path / "b.pdesk").exists()


def _structure(conn: sqlite3.Connection) -> dict:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for t in tables:
        out[t] = (
            [tuple(r) for r in conn.execute(f"PRAGMA table_info('{t}')")],
            sorted((r[1], r[2]) for r in conn.execute(f"PRAGMA index_list('{t}')")),
            sorted(tuple(r[2:5]) for r in conn.execute(f"PRAGMA foreign_key_list('{t}')")),
        )
    return out


def test_core_tables_match_the_newest_schema_file(tmp_path):
    """Changing schema.py without a new schemas/v<N>.sql (and a migration) fails here."""
    saved_path = tmp_path / "current.pdesk"
    save_document(Document(), saved_path)
    newest = sqlite3.connect(":memory:")
    newest.executescript(schema_files()[-1].read_text(encoding="utf-8"))
    current = sqlite3.connect(saved_path)
    try:
        assert _structure(current) == _structure(newest)
    finally:
        current.close()
        newest.close()


def test_the_schema_is_spelled_once():
    """Reading and writing use the statements compiled from the Core tables, nothing written by hand."""
    from perfdesk.store import schema
    from perfdesk.store.spec import from_data, schema_spec

    spec = schema_spec()
    assert spec == from_data(schema.compile_spec())
    assert [t.name for t in spec.tables] == [t.name for t in schema.metadata.sorted_tables]
    for table in spec.tables:
        core = schema.metadata.tables[table.name]
        assert table.column_names == tuple(c.name for c in core.c)
        assert table.select.startswith("SELECT") and table.insert.startswith(f"INSERT INTO {core.name}")
    source = "".join(Path(document_file.__file__).read_text(encoding="utf-8").split())
    for word in ("CREATETABLE", "INSERTINTO", "SELECTid", "FROMindicator"):
        assert word not in source


def test_migration_runner_applies_steps_in_order():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    calls = []

    def step(n):
        def run(c):
            calls.append(n)
            c.execute("INSERT INTO t VALUES (?)", (n,))
        return run

    checked = []
    assert document_file.migrate(conn, 1, 4, {1: step(1), 2: step(2), 3: step(3)}, after_step=checked.append) == 4
    assert calls == [1, 2, 3] and checked == [2, 3, 4]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    with pytest.raises(DocumentFileError) as info:
        document_file.migrate(conn, 4, 6, {4: step(4)})
    assert "升级" in str(info.value)
    # step 4 ran and was committed; the missing step 5 stopped the run
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5


def test_failing_migration_step_rolls_back():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")

    def bad(c):
        c.execute("INSERT INTO t VALUES (1)")
        c.execute("SELECT * FROM no_such_table")

    with pytest.raises(DocumentCorruptError):
        document_file.migrate(conn, 1, 2, {1: bad})
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0


@pytest.fixture
def pretend_version_3(monkeypatch, tmp_path):
    """This build pretends to be schema 3 whose tables equal version 2's: v2 files need MIGRATIONS[2]."""
    import shutil

    from perfdesk.store import untrusted

    newest = schema_files()[-1]
    assert newest.stem == f"v{SCHEMA_VERSION}"
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for path in schema_files():
        shutil.copy(path, schemas / path.name)
    shutil.copy(newest, schemas / f"v{SCHEMA_VERSION + 1}.sql")
    monkeypatch.setattr(untrusted, "SCHEMA_DIR", schemas)
    monkeypatch.setattr(document_file, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    untrusted.expected_structure.cache_clear()
    yield SCHEMA_VERSION
    untrusted.expected_structure.cache_clear()


def test_open_migrates_an_older_file_in_memory(tmp_path, monkeypatch, pretend_version_3):
    path = tmp_path / "old.pdesk"
    old = pretend_version_3
    build_file(path, old)
    before = path.read_bytes()

    def upgrade(conn):
        conn.execute("UPDATE document SET unit_name = unit_name || '（已升级）'")

    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, old: upgrade})
    doc = open_document(path)
    assert doc.unit.name == "旧版单位（已升级）"
    assert path.read_bytes() == before
    monkeypatch.setattr(migrations, "MIGRATIONS", {k: v for k, v in migrations.MIGRATIONS.items() if k != old})
    with pytest.raises(DocumentFileError) as info:
        open_document(path)
    assert "升级" in str(info.value)


def test_a_migration_that_does_not_produce_the_next_version_is_refused(tmp_path, monkeypatch, pretend_version_3):
    path = tmp_path / "old.pdesk"
    old = pretend_version_3
    build_file(path, old)

    def wrong(conn):
        conn.execute("ALTER TABLE document ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, old: wrong})
    with pytest.raises(DocumentCorruptError) as info:
        open_document(path)
    assert "单位信息" in str(info.value)


# --- lock ---------------------------------------------------------------------------------------------

def test_lock_acquire_refuse_release(saved):
    lock = DocumentLock.acquire(saved)
    lock_file = Path(str(saved) + ".lock")
    assert lock.held and lock_file.exists()
    info = json.loads(lock_file.read_text(encoding="utf-8"))
    assert info["pid"] == os.getpid() and info["host"] and "user" in info and info["time"]
    with pytest.raises(DocumentLockedError) as err:
        DocumentLock.acquire(saved)
    assert CJK.search(str(err.value)) and "打开" in str(err.value)
    assert err.value.holder["pid"] == os.getpid()
    lock.release()
    assert not lock_file.exists()
    lock.release()  # idempotent
    with DocumentLock.acquire(saved) as again:
        assert again.held
    assert not lock_file.exists()


def test_lock_refused_in_another_process(saved):
    lock = DocumentLock.acquire(saved)
    code = ("import sys\nfrom perfdesk.store import DocumentLock, DocumentLockedError\n"
            "try:\n    DocumentLock.acquire(sys.argv[1])\nexcept DocumentLockedError as e:\n    print('LOCKED', e)\n")
    try:
        out = subprocess.run([sys.executable, "-c", code, str(saved)], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[1], timeout=60)
    finally:
        lock.release()
    assert "LOCKED" in out.stdout and "另一个 perfdesk 窗口" in out.stdout, out.stderr


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_lock_is_taken_over(saved):
    from perfdesk.store.lock import _host

    lock_file = Path(str(saved) + ".lock")
    lock_file.write_text(json.dumps({"host": _host(), "pid": _dead_pid(), "user": "旧进程",
                                     "time": "2022-01-01T08:00:00+08:00", "token": "old"}), encoding="utf-8")
    lock = DocumentLock.acquire(saved)
    assert lock.held
    assert json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()
    assert not lock_file.exists()


def test_lock_from_another_computer_is_respected_unless_forced(saved):
    lock_file = Path(str(saved) + ".lock")
    lock_file.write_text(json.dumps({"host": "财务室电脑-01", "pid": 4242, "user": "李会计",
                                     "time": "2022-03-01T09:30:00+08:00", "token": "theirs"}), encoding="utf-8")
    with pytest.raises(DocumentLockedError) as err:
        DocumentLock.acquire(saved)
    message = str(err.value)
    assert "李会计" in message and "财务室电脑-01" in message and ".lock" in message
    forced = DocumentLock.acquire(saved, force=True)
    assert forced.held and json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == os.getpid()
    forced.release()


def test_release_leaves_a_lock_that_was_taken_over(saved):
    first = DocumentLock.acquire(saved)
    lock_file = Path(str(saved) + ".lock")
    # taken over from another computer (after its officer confirmed)
    lock_file.write_text(json.dumps({"host": "另一台电脑", "pid": 1, "token": "theirs"}), encoding="utf-8")
    first.release()
    assert lock_file.exists() and json.loads(lock_file.read_text(encoding="utf-8"))["token"] == "theirs"


def test_a_live_perfdesk_on_this_computer_is_never_displaced(saved):
    first = DocumentLock.acquire(saved)
    with pytest.raises(DocumentLockedError) as err:
        DocumentLock.acquire(saved, force=True)
    assert not err.value.can_take_over
    first.release()


def test_unparseable_lock_fresh_refused_old_taken_over(saved):
    lock_file = Path(str(saved) + ".lock")
    lock_file.write_bytes(b"")
    with pytest.raises(DocumentLockedError):
        DocumentLock.acquire(saved)
    old = time.time() - 120
    os.utime(lock_file, (old, old))
    lock = DocumentLock.acquire(saved)
    assert lock.held
    lock.release()


@pytest.mark.skipif(IS_ROOT or os.name == "nt", reason="root writes anywhere")
def test_read_only_folder_opens_without_lock(saved):
    os.chmod(saved.parent, 0o555)
    try:
        lock = DocumentLock.acquire(saved)
        assert not lock.held
        assert open_document(saved).year == 2022
        lock.release()
    finally:
        os.chmod(saved.parent, 0o755)


# --- recovery -----------------------------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_recovery_dir_locations(data_dir, monkeypatch, tmp_path):
    assert recovery_dir() == data_dir / "recovery"
    monkeypatch.delenv("PERFDESK_DATA_DIR")
    if sys.platform != "win32":
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert recovery_dir() == tmp_path / "xdg" / "perfdesk" / "recovery"
        monkeypatch.delenv("XDG_DATA_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert recovery_dir() == tmp_path / "home" / ".local" / "share" / "perfdesk" / "recovery"


def test_recovery_write_list_open_discard(data_dir, tmp_path):
    assert list_recoveries() == []
    doc = full_document()
    original = tmp_path / "文档.pdesk"
    path = write_recovery(doc, original)
    assert path.parent == recovery_dir() and path.exists()
    infos = list_recoveries()
    assert len(infos) == 1
    info = infos[0]
    assert info.path == path and info.original_path == original
    assert info.unit_name == "永州市零陵区社会保险服务中心" and info.year == 2022
    assert info.saved_at.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - info.saved_at).total_seconds()) < 60
    assert dump(open_document(info.path)) == dump(doc)

    doc.unit.name = "第二次备份"
    assert write_recovery(doc, original) == path  # the same document overwrites its copy
    untitled = Document(year=2023)
    other = write_recovery(untitled, None)
    assert other != path and write_recovery(untitled, None) == other
    infos = {i.path: i for i in list_recoveries()}
    assert set(infos) == {path, other}
    assert infos[path].unit_name == "第二次备份" and infos[other].original_path is None
    assert files_in(recovery_dir()) == {path.name, other.name}  # no temp files

    discard_recovery(path)
    discard_recovery(path)  # already gone: fine
    assert [i.path for i in list_recoveries()] == [other]
    discard_recovery(other)
    assert list_recoveries() == []


def test_recovery_skips_broken_files_and_refuses_foreign_paths(data_dir, saved):
    write_recovery(Document(year=2024), None)
    (recovery_dir() / "broken.pdesk").write_bytes(b"not a database")
    (recovery_dir() / "notes.txt").write_text("x", encoding="utf-8")
    assert [i.year for i in list_recoveries()] == [2024]
    with pytest.raises(ValueError):
        discard_recovery(saved)  # a real document is never deleted by discard
    assert saved.exists()


def _set_meta(path: Path, key: str, value: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


def test_recovery_of_a_running_instance_is_not_offered(data_dir):
    path = write_recovery(Document(year=2025), None)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _set_meta(path, "recovery.pid", str(running.pid))
        assert list_recoveries() == []
        assert [i.in_use for i in list_recoveries(include_in_use=True)] == [True]
    finally:
        running.kill()
        running.wait()
    assert [i.year for i in list_recoveries()] == [2025]  # its writer is gone: a crash leftover
    _set_meta(path, "recovery.pid", str(_dead_pid()))
    assert [i.in_use for i in list_recoveries()] == [False]


@pytest.fixture
def without_serialize(monkeypatch):
    """Python 3.10 has no Connection.serialize/deserialize: the backup-API paths."""
    monkeypatch.setattr(document_file, "HAVE_SERIALIZE", False)


def test_backup_api_paths_round_trip(tmp_path, without_serialize):
    path = tmp_path / "py310.pdesk"
    save_document(full_document(), path)
    save_document(full_document(), path)
    before = path.read_bytes()
    assert dump(open_document(path)) == dump(full_document())
    assert path.read_bytes() == before
    assert files_in(tmp_path) == {"py310.pdesk"}


@pytest.mark.parametrize("kind", ["foreign_sqlite", "truncated_half", "garbage_page", "newer_version"])
def test_backup_api_paths_refuse_bad_files(tmp_path, without_serialize, kind):
    make, error, words = BAD_FILES[kind]
    path = tmp_path / "坏.pdesk"
    make(path)
    before = path.read_bytes()
    with pytest.raises(error):
        open_document(path)
    assert path.read_bytes() == before and files_in(tmp_path) == {"坏.pdesk"}


def test_backup_api_failed_save_cleans_up(saved, without_serialize, monkeypatch):
    before = saved.read_bytes()
    monkeypatch.setattr(document_file.os, "fsync", _fail_fsync)
    with pytest.raises(DocumentSaveError):
        save_document(full_document(), saved)
    monkeypatch.undo()
    assert saved.read_bytes() == before and files_in(saved.parent) == {saved.name}


def test_large_foreign_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "视频.pdesk"
    with open(path, "wb") as f:
        f.write(b"\x00\x00\x00\x18ftypmp42")
        f.truncate(50 * 1024 * 1024)
    reads = []
    real_open = open

    class Spy:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def fileno(self):
            return self.f.fileno()

        def read(self, n=-1):
            data = self.f.read(n)
            reads.append(len(data))
            return data

    monkeypatch.setattr(document_file, "open", lambda p, mode="r", *a, **k: Spy(real_open(p, mode, *a, **k)),
                        raising=False)
    with pytest.raises(NotAPerfdeskFileError):
        open_document(path)
    assert sum(reads) <= 100


def test_opening_and_saving_do_not_import_sqlalchemy_once_the_format_is_cached(saved, tmp_path):
    """Start-up opens the last file: that must not pay for importing SQLAlchemy (~0.25–1 s).

    The first run compiles the Core tables (importing SQLAlchemy) into the cache folder;
    every later run reads the compiled statements from there.
    """
    code = ("import sys\nfrom perfdesk.store import open_document, save_document\n"
            "from perfdesk.store import spec\n"
            "doc = open_document(sys.argv[1]); save_document(doc, sys.argv[1])\n"
            "print(doc.year, 'sqlalchemy' in sys.modules, spec.compiled_in_process)\n")
    env = dict(os.environ, PERFDESK_DATA_DIR=str(tmp_path / "fresh-data"))
    runs = [subprocess.run([sys.executable, "-c", code, str(saved)], capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[1], timeout=60, env=env) for _ in range(2)]
    assert runs[0].stdout.split() == ["2022", "True", "True"], runs[0].stderr
    assert runs[1].stdout.split() == ["2022", "False", "False"], runs[1].stderr
    cached = list((tmp_path / "fresh-data" / "cache").glob("file-format-*.json"))
    assert len(cached) == 1


def test_a_damaged_or_stale_format_cache_is_rebuilt(tmp_path, monkeypatch, saved):
    from perfdesk.store import spec

    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "d"))
    spec.reset_for_tests()
    try:
        first = spec.schema_spec()
        assert spec.compiled_in_process
        (cached,) = (tmp_path / "d" / "cache").glob("file-format-*.json")
        for damage in (b"", b"{not json", json.dumps({"key": "other", "spec": {}}).encode(),
                       cached.read_bytes()[: len(cached.read_bytes()) // 2]):
            good = cached.read_bytes()
            cached.write_bytes(damage)
            spec.reset_for_tests()
            assert spec.schema_spec() == first and spec.compiled_in_process
            assert cached.read_bytes() == good
            assert open_document(saved).year == 2022
        spec.reset_for_tests()
        assert spec.schema_spec() == first and not spec.compiled_in_process
        # a different schema.py (any edit of the tables) has a different key
        monkeypatch.setattr(spec.Path, "read_bytes", lambda self: b"# edited\n")
        assert spec.schema_key() != cached.stem[len(spec.CACHE_PREFIX):]
    finally:
        spec.reset_for_tests()


def test_lock_on_read_only_medium_is_not_held(saved, monkeypatch):
    """A read-only USB stick or CD (EROFS even for root): the document opens without a lock."""
    from perfdesk.store import lock as lock_module

    def refuse(path, flags, mode=0o777):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(lock_module.os, "open", refuse)
    lock = DocumentLock.acquire(saved)
    monkeypatch.undo()
    assert not lock.held and not Path(str(saved) + ".lock").exists()
    lock.release()
    assert open_document(saved).year == 2022


def test_permission_denied_on_open_is_reported(saved, monkeypatch):
    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(document_file, "open", refuse, raising=False)
    with pytest.raises(DocumentUnreadableError) as info:
        open_document(saved)
    assert "权限" in str(info.value)
