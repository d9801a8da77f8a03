"""Issue 10, case 9: the smaller findings.

export-pdf write errors, a 246-byte file name, UTF-16 text, a 990-level tree, --screenshot
on a bad file, “保存失败：保存失败”, English fragments, terminal escapes in ``check``, ``| head``,
“原文件未被改动” for a file that never existed, exported files' permissions, hidden locks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys

import pytest

from hostile_helpers import (
    CJK, ROOT, assert_bounded, assert_refused, small_document, tamper, write_document,
)

SEED = ROOT / "tests" / "fixtures" / "seeds" / "000_3f5f5b66f30c04ff.txt"
ENGLISH = re.compile(r"\b(usage|error|required|arguments?|invalid|choose|directory|Errno|Traceback|No such)\b",
                     re.IGNORECASE)


def test_export_pdf_write_errors_exit_2_with_the_reason(perfdesk, tmp_path):
    doc = write_document(tmp_path / "a.pdesk")
    run = perfdesk("export-pdf", doc, "-o", tmp_path / "没有这个文件夹" / "a.pdf")
    assert_refused(run, "文件夹不存在")
    run = perfdesk("export-pdf", doc, "-o", tmp_path)
    assert_refused(run, "这是一个文件夹")
    run = perfdesk("export-pdf", doc, "-o", tmp_path / "a.pdf", fsize=20_000)
    assert_refused(run, "磁盘空间不足")
    assert sorted(os.listdir(tmp_path)) == ["a.pdesk"]


@pytest.mark.parametrize("name_bytes", [246, 255])
def test_a_long_file_name_can_be_saved_again(script, tmp_path, name_bytes):
    name = "绩" * ((name_bytes - len(".pdesk")) // 3) + ".pdesk"
    assert len(os.fsencode(name)) == name_bytes
    run = script("""
        sys.path.insert(0, sys.argv[2])
        from hostile_helpers import small_document
        from perfdesk.store import DocumentLock, open_document, save_document
        path = sys.argv[1]
        doc = small_document()
        save_document(doc, path)
        lock = DocumentLock.acquire(path)
        doc = open_document(path)
        doc.unit.name = "第二次保存"
        save_document(doc, path)
        lock.release()
        print(json.dumps({"name": open_document(path).unit.name, "files": os.listdir(os.path.dirname(path))},
                         ensure_ascii=False))
    """, tmp_path / name, ROOT / "tests" / "hostile")
    assert_bounded(run)
    assert run.code == 0, run.stderr
    verdict = run.json()
    assert verdict["name"] == "第二次保存" and verdict["files"] == [name]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_text_is_read(perfdesk, tmp_path, encoding):
    """Excel's “Unicode 文本” is UTF-16 with a byte-order mark."""
    source = tmp_path / "Unicode文本.txt"
    text = SEED.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff" + text).encode(encoding)
    source.write_bytes(data)
    out = tmp_path / "o.pdesk"
    run = perfdesk("import-text", source, "-o", out)
    assert_bounded(run)
    assert run.code == 0, run.stderr
    check = perfdesk("check", out, "--json")
    assert json.loads(check.stdout)["unit"] == "如皋市被征地农民基本生活保障资金管理中心"


def test_a_990_level_tree_is_refused_not_a_recursion_error(perfdesk, script, tmp_path):
    path = tamper(write_document(tmp_path / "深.pdesk"), """
        WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 1089)
        INSERT INTO indicator (id, evaluation_id, parent_id, position, name, weight, target, comparison, unit,
                               initial_target, adjust_reason, actual, method, tier, score_override, rule_text,
                               deviation_note)
        SELECT i, 1, CASE WHEN i = 100 THEN NULL ELSE i - 1 END, 0, '层' || i, NULL, '', '', '', '', '', '',
               'manual', NULL, NULL, '', '' FROM n;""")
    run = perfdesk("check", path)
    assert_refused(run, "指标层级超过 10 级", forbidden=("Recursion",))
    run = script("""
        from perfdesk.model.document import Indicator
        from perfdesk.store import DocumentSaveError, save_document
        sys.path.insert(0, sys.argv[2])
        from hostile_helpers import small_document
        doc = small_document()
        node = doc.unit_evaluation.indicators[0]
        for i in range(990):
            node = node.add(Indicator(name=f"层{i}"))
        try:
            save_document(doc, sys.argv[1])
            print(json.dumps({"saved": True}))
        except DocumentSaveError as exc:
            print(json.dumps({"message": str(exc)}, ensure_ascii=False))
    """, tmp_path / "新.pdesk", ROOT / "tests" / "hostile")
    assert_bounded(run)
    assert "层级" in run.json()["message"] and not (tmp_path / "新.pdesk").exists()


def test_screenshot_of_a_bad_file_exits_instead_of_waiting_for_a_click(perfdesk, tmp_path):
    bad = tamper(write_document(tmp_path / "坏.pdesk"), "UPDATE indicator SET weight = 'NaN'")
    out = tmp_path / "shot.png"
    run = perfdesk("--screenshot", out, bad, timeout=20)
    assert_refused(run, "“分值”")
    assert not out.exists()
    run = perfdesk("--screenshot", tmp_path / "没有" / "shot.png", timeout=20)
    assert run.code in (0, 2) and not run.killed and "Traceback" not in run.stderr


def test_a_failed_save_says_so_once(script, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = write_document(folder / "a.pdesk")
    run = script("""
        import shutil
        from perfdesk.ui.app import create_application
        from perfdesk.ui import dialogs
        from perfdesk.ui.main_window import MainWindow
        app = create_application()
        shown = []
        dialogs.error = lambda parent, message, title=None: shown.append(message)
        w = MainWindow(None, None)
        assert w.controller.open_path(sys.argv[1])
        w.session.set_profile_field("name", "改了")
        w.controller.release_lock()
        shutil.rmtree(os.path.dirname(sys.argv[1]))  # the USB stick is pulled
        saved = w.controller.save()
        print(json.dumps({"saved": saved, "shown": shown}, ensure_ascii=False))
        w.session.forced_dirty = False
        w.session.undo_stack.setClean()
        w.shutdown()
    """, path)
    assert_bounded(run)
    verdict = run.json()
    (message,) = verdict["shown"]
    assert not verdict["saved"] and message.count("保存失败") == 1 and "文件夹不存在" in message


def test_no_english_fragments(perfdesk, tmp_path):
    doc = write_document(tmp_path / "a.pdesk")
    cases = [
        (("export-pdf",), "缺少必需的参数"),
        (("check",), "缺少必需的参数"),
        (("export-pdf", doc, "-o", tmp_path / "x.pdf", "--form", "everything"), "无效"),
        (("export-xlsx", doc, "-o", tmp_path), "这是一个文件夹"),
        (("import-text", tmp_path, "-o", tmp_path / "o.pdesk"), "文件夹"),
        (("check", tmp_path), "文件夹"),
        (("--frobnicate",), "无法识别的参数"),
        (("check", doc, "--jsn"), "无法识别的参数"),
    ]
    for args, words in cases:
        run = perfdesk(*args)
        assert_refused(run, words)
        assert not ENGLISH.search(run.stderr), (args, run.stderr)
    run = perfdesk("-h")
    assert run.code == 0 and "用法" in run.stdout and "显示本帮助并退出" in run.stdout
    assert not re.search(r"\b(usage|options|show this help)\b", run.stdout), run.stdout


def test_terminal_escapes_in_names_never_reach_the_terminal(perfdesk, tmp_path):
    doc = small_document()
    doc.unit.name = "单位\x1b]0;被改的窗口标题\x07\x1b[2J\x1b[31m红"
    doc.unit_evaluation.indicators[0].children[0].name = "指标\x9b31m\u202e反向"
    path = write_document(tmp_path / "a.pdesk", doc)
    run = perfdesk("check", path)
    assert_bounded(run)
    assert run.code == 0
    for ch in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert ch not in run.stdout
    assert "单位?]0;被改的窗口标题" in run.stdout
    run = perfdesk("check", path, "--json")
    assert not any(ch in run.stdout for ch in ("\x1b", "\x07", "\x9b", "\u202e"))
    assert json.loads(run.stdout)["unit"] == doc.unit.name  # exact in JSON, escaped as \\uXXXX


def test_reading_only_the_first_line_is_not_an_internal_error(tmp_path, hostile_env):
    from perfdesk.samples import synthetic_document

    doc = synthetic_document(projects=100)
    for ev in doc.evaluations():
        for leaf in ev.leaves():
            leaf.actual = ""  # a finding per indicator: far more output than a pipe holds
    path = write_document(tmp_path / "大.pdesk", doc)
    proc = subprocess.Popen([sys.executable, "-m", "perfdesk", "check", str(path)], cwd=ROOT, env=hostile_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=30)
    assert CJK.search(first.decode("utf-8"))
    assert code == 141 and err == "", err


def test_a_failed_first_save_does_not_claim_an_original(perfdesk, tmp_path):
    out = tmp_path / "新文档.pdesk"
    run = perfdesk("demo", "-o", out, fsize=8192)
    assert_refused(run, "文件没有保存", forbidden=("原文件未被改动",))
    assert not out.exists() and os.listdir(tmp_path) == []
    assert perfdesk("demo", "-o", out).code == 0
    run = perfdesk("demo", "-o", out, fsize=8192)
    assert_refused(run, "原文件未被改动")


def test_exported_files_get_the_normal_permissions(perfdesk, tmp_path):
    doc = write_document(tmp_path / "a.pdesk")
    umask = os.umask(0)
    os.umask(umask)
    for command, name in (("export-pdf", "a.pdf"), ("export-xlsx", "a.xlsx"), ("demo", "b.pdesk")):
        args = (command, "-o", tmp_path / name) if command == "demo" else (command, doc, "-o", tmp_path / name)
        run = perfdesk(*args)
        assert run.code == 0, run.stderr
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~umask, name


def test_the_window_exports_pdf_with_normal_permissions(tmp_path):
    from perfdesk.printing import export_pdf

    umask = os.umask(0)
    os.umask(umask)
    export_pdf(small_document(), tmp_path / "窗口.pdf")
    assert stat.S_IMODE(os.stat(tmp_path / "窗口.pdf").st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "nt", reason="the hidden attribute exists on Windows only")
def test_lock_file_is_hidden_on_windows(tmp_path):  # pragma: no cover - Windows
    import ctypes

    from perfdesk.store import DocumentLock

    doc = write_document(tmp_path / "a.pdesk")
    lock = DocumentLock.acquire(doc)
    attributes = ctypes.windll.kernel32.GetFileAttributesW(str(lock.lock_path))
    lock.release()
    assert attributes & 0x2


def test_lock_hiding_is_a_no_op_elsewhere(tmp_path, monkeypatch):
    from perfdesk.store import lock as lock_module

    calls = []
    monkeypatch.setattr(lock_module, "hide_file", lambda path: calls.append(os.fspath(path)))
    doc = write_document(tmp_path / "a.pdesk")
    held = lock_module.DocumentLock.acquire(doc)
    held.release()
    assert calls == [str(doc) + ".lock"]
    signal  # noqa: B018
