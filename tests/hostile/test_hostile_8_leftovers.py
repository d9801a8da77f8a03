"""Issue 10, case 8: temporary files of interrupted saves.

They piled up beside the document (44 after 250 kills, each a full copy, visible on
Windows), and on FAT32 a power cut between delete and rename left only the temporary file,
which opening never offered. Now opening (with the lock held) deletes them, and offers a
complete one that is newer than the document — or the only one left — to finish that save.
"""

from __future__ import annotations

import os
import sys
import time

from hostile_helpers import ROOT, assert_bounded, run_child, small_document, write_document

OPEN_IN_WINDOW = """
    from perfdesk.ui.app import create_application, create_main_window
    from perfdesk.ui import dialogs, recovery_dialog, settings
    app = create_application()
    asked = []
    def ask_choice(parent, title, message, choices, default, escape):
        asked.append(message)
        return sys.argv[2]
    recovery_dialog.ask_choice = ask_choice
    dialogs.error = lambda parent, message, title=None: asked.append("ERROR " + message)
    settings.add_recent_file(sys.argv[1])
    w = create_main_window(None, check_recovery=False)
    out = {"path": w.session.path, "unit": w.session.doc.unit.name, "asked": asked,
           "files": sorted(os.listdir(os.path.dirname(sys.argv[1])))}
    w.shutdown()
    print(json.dumps(out, ensure_ascii=False))
"""


def _temp_name(doc, token):
    return f".{doc.name}.{token}.tmp"


def test_kill_9_during_save_never_damages_and_leaves_nothing(hostile_env, tmp_path):
    """The short version of benchmarks/bench_kill_save.py (which runs 100+ iterations)."""
    run = run_child([sys.executable, str(ROOT / "benchmarks" / "bench_kill_save.py"), "--iterations", "12",
                     "--seed", str(int(time.time()) % 1000), "--json"], hostile_env, timeout=120)
    assert run.code == 0, run.stdout + run.stderr
    result = run.json()
    assert result["ok"] and result["damaged"] == 0 and result["leftovers_after_reopen"] == 0
    assert result["files_in_folder"] == ["被打断的文档.pdesk"]
    assert result["kills_leaving_temp_files"] > 0  # the kills did land in the middle of saves
    assert result["max_reopen_seconds"] < 5
    assert run.peak_mb < 500


def test_temporary_files_that_piled_up_are_removed_on_open(script, tmp_path):
    doc = write_document(tmp_path / "文档.pdesk")
    os.utime(doc, (time.time() + 5, time.time() + 5))  # every leftover is older than the document
    for i in range(44):
        (tmp_path / _temp_name(doc, f"{i:08x}")).write_bytes(doc.read_bytes()[: 4096 * (i % 5)])
    (tmp_path / (_temp_name(doc, "0000beef") + "-journal")).write_bytes(b"x")
    other = tmp_path / ".另一个.pdesk.12345678.tmp"        # another document's: not ours to delete
    other.write_bytes(b"x")
    (tmp_path / "笔记.txt").write_text("保留", encoding="utf-8")
    run = script(OPEN_IN_WINDOW, doc, "discard")
    assert_bounded(run)
    verdict = run.json()
    assert verdict["path"] == str(doc) and verdict["unit"] == "测试单位" and verdict["asked"] == []
    assert verdict["files"] == sorted([".另一个.pdesk.12345678.tmp", "文档.pdesk", "文档.pdesk.lock", "笔记.txt"])
    assert sorted(os.listdir(tmp_path)) == sorted([other.name, "文档.pdesk", "笔记.txt"])


def test_fat32_power_cut_leaves_only_the_temporary_file_and_opening_offers_it(script, tmp_path):
    newer = small_document()
    newer.unit.name = "断电前保存的内容"
    doc = tmp_path / "U盘上的文档.pdesk"
    write_document(tmp_path / _temp_name(doc, "a1b2c3d4"), newer)  # the save was cut between delete and rename
    assert not doc.exists()
    run = script(OPEN_IN_WINDOW, doc, "use")
    assert_bounded(run)
    verdict = run.json()
    assert verdict["path"] == str(doc) and verdict["unit"] == "断电前保存的内容"
    (question,) = verdict["asked"]
    assert "未完成保存的内容：写于" in question and "已不在磁盘上" in question
    assert verdict["files"] == ["U盘上的文档.pdesk", "U盘上的文档.pdesk.lock"]


def test_a_newer_complete_temporary_file_is_offered_with_both_times(script, tmp_path):
    doc = write_document(tmp_path / "文档.pdesk")
    newer = small_document()
    newer.unit.name = "未完成的那次保存"
    temp = write_document(tmp_path / _temp_name(doc, "0badf00d"), newer)
    os.utime(temp, (time.time() + 60, time.time() + 60))
    run = script(OPEN_IN_WINDOW, doc, "discard")
    verdict = run.json()
    (question,) = verdict["asked"]
    assert "未完成保存的内容：写于" in question and "文档：保存于" in question
    assert verdict["unit"] == "测试单位" and not temp.exists()  # declined: the document as it was
    temp = write_document(tmp_path / _temp_name(doc, "0badf00e"), newer)
    os.utime(temp, (time.time() + 60, time.time() + 60))
    run = script(OPEN_IN_WINDOW, doc, "use")
    assert_bounded(run)
    verdict = run.json()
    assert verdict["unit"] == "未完成的那次保存" and not temp.exists()


def test_old_temporary_files_of_autosaves_are_removed(script, tmp_path, hostile_env):
    from pathlib import Path

    folder = Path(hostile_env["PERFDESK_DATA_DIR"]) / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ".doc-0123456789abcdef.pdesk.00000000.tmp"
    fresh = folder / ".doc-0123456789abcdef.pdesk.11111111.tmp"  # another perfdesk autosaving right now
    old.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"x")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    run = script("""
        from perfdesk.store import list_recoveries
        print(json.dumps({"copies": len(list_recoveries())}))
    """)
    assert_bounded(run)
    assert not old.exists() and fresh.exists()
    fresh.unlink()
