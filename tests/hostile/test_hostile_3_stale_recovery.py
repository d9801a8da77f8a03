"""Issue 10, case 3: a stale recovery copy must not go over newer work.

Crash at the office (autosave copy left, the process killed), edit the same file at home
and save, back at the office: perfdesk says the file on disk is newer, shows both times
and offers to open the file, recover the copy separately, or discard it. And a save over
a file that changed on disk since it was opened asks first.
"""

from __future__ import annotations

import signal

import pytest

from hostile_helpers import assert_bounded, write_document

OFFICE_CRASH = """
    from perfdesk.ui.app import create_application
    from perfdesk.ui.main_window import MainWindow
    app = create_application()
    w = MainWindow(None, None)
    assert w.controller.open_path(sys.argv[1])
    w.session.set_profile_field("name", "办公室的修改")
    assert w.controller.autosave()
    print("AUTOSAVED", flush=True)
    os.kill(os.getpid(), 9)  # the power goes
"""

HOME_EDIT = """
    from perfdesk.store import open_document, save_document
    doc = open_document(sys.argv[1])
    doc.unit.name = "家里的修改"
    time.sleep(1.1)  # a later modification time, whatever the file system's resolution
    save_document(doc, sys.argv[1])
    print(json.dumps({"saved": True}))
"""

BACK_AT_OFFICE = """
    from perfdesk.ui.app import create_application, create_main_window
    from perfdesk.ui import dialogs, recovery_dialog, settings
    from perfdesk.store import list_recoveries, open_document
    app = create_application()
    asked = []
    def ask_choice(parent, title, message, choices, default, escape):
        asked.append({"title": title, "message": message, "choices": [k for k, _ in choices]})
        return sys.argv[2]
    recovery_dialog.ask_choice = ask_choice
    dialogs.ask_yes_no = lambda *a, **k: asked.append({"yes_no": a[1]}) or True
    settings.add_recent_file(sys.argv[1])
    w = create_main_window(None)
    out = {"asked": asked, "path": w.session.path, "modified": w.isWindowModified() or w.session.is_modified(),
           "unit": w.session.doc.unit.name, "recoveries": len(list_recoveries()),
           "on_disk": open_document(sys.argv[1], remember=False).unit.name}
    if sys.argv[2] == "open_file":  # editing the newer file must not overwrite the copy set aside
        w.session.set_profile_field("name", "家里的修改，又改了一次")
        w.controller.autosave()
        out["recoveries_after_autosave"] = len(list_recoveries(include_in_use=True))
        out["copies"] = sorted(i.unit_name for i in list_recoveries(include_in_use=True))
    if sys.argv[2] == "separate":
        dialogs.save_file_name = lambda *a, **k: sys.argv[3]
        out["saved_copy"] = w.controller.save()
        out["copy_unit"] = open_document(sys.argv[3], remember=False).unit.name
        out["on_disk_after"] = open_document(sys.argv[1], remember=False).unit.name
        out["recoveries_after"] = len(list_recoveries())
    w.shutdown()
    print(json.dumps(out, ensure_ascii=False))
"""


def _crash_then_edit_at_home(script, path):
    crash = script(OFFICE_CRASH, path)
    assert crash.code == -signal.SIGKILL and "AUTOSAVED" in crash.stdout, crash.stderr
    assert_bounded(crash)
    home = script(HOME_EDIT, path)
    assert home.code == 0, home.stderr
    assert_bounded(home)


@pytest.mark.parametrize("choice", ["open_file", "separate", "discard"])
def test_recovery_of_an_older_base_never_goes_over_newer_work(script, tmp_path, hostile_env, choice):
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(hostile_env["PERFDESK_DATA_DIR"]) / "recovery", ignore_errors=True)
    path = write_document(tmp_path / "单位.pdesk")
    _crash_then_edit_at_home(script, path)
    run = script(BACK_AT_OFFICE, path, choice, tmp_path / "恢复的副本.pdesk")
    assert_bounded(run)
    assert run.code == 0, run.stderr
    verdict = run.json()
    (question,) = verdict["asked"]
    assert question["choices"] == ["open_file", "separate", "discard"]
    message = question["message"]
    assert "磁盘上的文件：保存于" in message and "所依据的版本：保存于" in message and "自动备份于" in message
    times = [line.split("于 ")[-1] for line in message.splitlines() if "于 " in line]
    assert len(set(times)) >= 2  # the disk file's time and the copy's base time differ
    assert verdict["on_disk"] == "家里的修改"  # the home work is never overwritten
    if choice == "open_file":
        assert verdict["path"] == str(path) and verdict["unit"] == "家里的修改" and not verdict["modified"]
        assert verdict["recoveries"] == 1  # the copy is kept for later
        assert verdict["recoveries_after_autosave"] == 2
        assert verdict["copies"] == ["办公室的修改", "家里的修改，又改了一次"]
    elif choice == "separate":
        assert verdict["path"] is None and verdict["modified"] and verdict["unit"] == "办公室的修改"
        assert verdict["saved_copy"] and verdict["copy_unit"] == "办公室的修改"
        assert verdict["on_disk_after"] == "家里的修改" and verdict["recoveries_after"] == 0
    else:
        assert verdict["recoveries"] == 0 and verdict["unit"] == "家里的修改"


SAVE_OVER_CHANGE = """
    from perfdesk.ui.app import create_application
    from perfdesk.ui import dialogs, recovery_dialog
    from perfdesk.ui.main_window import MainWindow
    from perfdesk.store import open_document
    from perfdesk.store.document_file import save_database
    app = create_application()
    w = MainWindow(None, None)
    assert w.controller.open_path(sys.argv[1])
    # meanwhile another computer saves the same file (through a shared folder or a USB stick)
    other = open_document(sys.argv[1], remember=False)
    other.unit.name = "另一台电脑的修改"
    time.sleep(1.1)
    save_database(other, sys.argv[1], remember=False)
    w.session.set_profile_field("name", "本机的修改")
    asked = []
    answers = iter(sys.argv[3:])
    def ask_choice(parent, title, message, choices, default, escape):
        asked.append(message)
        return next(answers)
    recovery_dialog.ask_choice = ask_choice
    dialogs.save_file_name = lambda *a, **k: sys.argv[2]
    results = [w.controller.save() for _ in range(len(sys.argv) - 3)]
    out = {"results": results, "asked": asked,
           "on_disk": open_document(sys.argv[1], remember=False).unit.name,
           "path": w.session.path}
    w.shutdown()
    print(json.dumps(out, ensure_ascii=False))
"""


def test_saving_over_a_file_changed_on_disk_asks_first(script, tmp_path):
    path = write_document(tmp_path / "共享.pdesk")
    elsewhere = tmp_path / "另存.pdesk"
    run = script(SAVE_OVER_CHANGE, path, elsewhere, "cancel", "save_as")
    assert_bounded(run)
    verdict = run.json()
    assert verdict["results"] == [False, True]
    assert len(verdict["asked"]) == 2 and "磁盘上现在的版本" in verdict["asked"][0]
    assert verdict["on_disk"] == "另一台电脑的修改"  # cancel and save-as never touch it
    assert verdict["path"] == str(elsewhere)
    run = script(SAVE_OVER_CHANGE, path, elsewhere, "overwrite", "overwrite")
    verdict = run.json()
    assert verdict["results"] == [True, True]
    assert len(verdict["asked"]) == 1  # after overwriting, the file is ours again: no second question
    assert verdict["on_disk"] == "本机的修改"
