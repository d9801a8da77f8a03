"""No network, ever: the command line and the window open no network socket.

Three layers:
* in-process, Python level: ``socket.socket`` / ``create_connection`` / name lookups are replaced by
  guards that raise, and an audit hook (``socket.__new__``, ``socket.connect``, ``socket.getaddrinfo``
  ...) catches any module that goes around them (``_socket`` directly, C extensions using CPython's
  socket module).  Only AF_INET/AF_INET6 (and raw packet) sockets are forbidden: Qt and asyncio may use
  local socket pairs for wake-ups, which never leave the machine.
* a full CLI run (demo -> check -> export-pdf) and a GUI session (main window, edit a value, save,
  autosave, print preview / PDF export when present, screenshot) under those guards.
* in a subprocess under ``strace`` (when available): the same commands must not make a single
  ``socket()`` system call of a network family -- this also covers Qt's own C++ code.

"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6} | (
    {socket.AF_PACKET} if hasattr(socket, "AF_PACKET") else set())


class NetworkForbidden(RuntimeError):
    """Raised when code under test tries to use the network."""


class _Guard:
    def __init__(self):
        self.attempts: list[str] = []
        self.in_socketpair = 0

    def forbid(self, what: str):
        self.attempts.append(what)
        raise NetworkForbidden(f"perfdesk tried to use the network: {what}")


_GUARD: _Guard | None = None


def _audit(event: str, args) -> None:
    # Installed once per process (audit hooks cannot be removed); inert unless a guard is active.
    guard = _GUARD
    if guard is None or not event.startswith("socket."):
        return
    if event == "socket.__new__":
        family = args[1]
        if family in NETWORK_FAMILIES and not guard.in_socketpair:
            guard.forbid(f"socket(family={family!r})")
    elif event in ("socket.connect", "socket.sendto", "socket.bind"):
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) in NETWORK_FAMILIES and not guard.in_socketpair:
            guard.forbid(f"{event}({address!r})")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                   "socket.getnameinfo"):
        guard.forbid(f"{event}{args!r}")


sys.addaudithook(_audit)


@contextlib.contextmanager
def network_guard(monkeypatch):
    """Make every network socket raise while active; yields the list of attempts."""
    global _GUARD
    guard = _Guard()
    real_socket = socket.socket
    real_socketpair = socket.socketpair

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            effective = socket.AF_INET if family == -1 and fileno is None else family
            if effective in NETWORK_FAMILIES and not guard.in_socketpair:
                guard.forbid(f"socket.socket({family!r}, {type!r})")
            super().__init__(family, type, proto, fileno)

    def guarded_socketpair(*args, **kwargs):
        # local wake-up pipes (on Windows built from loopback INET sockets) are allowed
        guard.in_socketpair += 1
        try:
            return real_socketpair(*args, **kwargs)
        finally:
            guard.in_socketpair -= 1

    def refuse(name):
        return lambda *a, **k: guard.forbid(f"socket.{name}{a!r}")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "socketpair", guarded_socketpair)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
                 "gethostbyname_ex", "gethostbyaddr", "getfqdn"):
        monkeypatch.setattr(socket, name, refuse(name))
    _GUARD = guard
    try:
        yield guard.attempts
    finally:
        _GUARD = None


@pytest.fixture
def no_network(monkeypatch):
    """The test body runs without network; any attempt fails the test (even if the code swallowed it)."""
    with network_guard(monkeypatch) as attempts:
        yield attempts
    assert attempts == [], f"network use: {attempts}"


@pytest.fixture
def quiet_home(monkeypatch, tmp_path):
    """Keep settings, recovery files and error logs of the run inside tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "home").mkdir()
    return tmp_path


# --- the guard itself must be able to fail -------------------------------------------------------------

def test_guard_catches_every_way_to_a_network_socket():
    real_socket = socket.socket
    mp = pytest.MonkeyPatch()
    with network_guard(mp) as attempts:
        _exercise_guard()
    mp.undo()
    assert len(attempts) == 5, attempts
    assert _GUARD is None and socket.socket is real_socket
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()  # inert again afterwards


def _exercise_guard():
    import _socket

    with pytest.raises(NetworkForbidden):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkForbidden):
        socket.socket()  # default family is AF_INET
    with pytest.raises(NetworkForbidden):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkForbidden):
        socket.getaddrinfo("localhost", 80)
    with pytest.raises(NetworkForbidden):
        _socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)  # around the patched module: audit hook
    # local wake-up pipes stay possible (Qt/asyncio)
    a, b = socket.socketpair()
    a.close()
    b.close()
    if hasattr(socket, "AF_UNIX"):
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()


# --- the command line ----------------------------------------------------------------------------------

def test_cli_demo_check_export_open_no_socket(no_network, quiet_home, capsys):
    from perfdesk.cli import main

    tmp = quiet_home
    doc = tmp / "demo.pdesk"
    assert main(["demo", "-o", str(doc)]) == 0, capsys.readouterr().err
    assert doc.stat().st_size > 0
    capsys.readouterr()

    assert main(["check", str(doc), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["evaluations"] and all("findings" in ev for ev in report["evaluations"])

    pdf = tmp / "demo.pdf"
    assert main(["export-pdf", str(doc), "-o", str(pdf)]) == 0, capsys.readouterr().err
    assert pdf.read_bytes()[:4] == b"%PDF"
    xlsx = tmp / "demo.xlsx"
    assert main(["export-xlsx", str(doc), "-o", str(xlsx)]) == 0, capsys.readouterr().err
    assert xlsx.stat().st_size > 0
    assert no_network == []


# --- the window ----------------------------------------------------------------------------------------

def test_gui_session_edit_save_opens_no_socket(qtbot, qapp, no_network, quiet_home, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from perfdesk.store import open_document
    from perfdesk.ui import app as ui_app
    from perfdesk.ui import dialogs
    from perfdesk.ui.indicator_model import COL_ACTUAL
    from perfdesk.ui.main_window import MainWindow

    tmp = quiet_home
    QCoreApplication.setOrganizationName("perfdesk-tests")
    QCoreApplication.setApplicationName("perfdesk-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp / "settings"))
    messages = []
    for kind in ("error", "warning", "information"):
        monkeypatch.setattr(dialogs, kind, lambda parent, message, title=None, k=kind: messages.append((k, message)))
    target = tmp / "edited.pdesk"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a, **k: str(target))

    window = MainWindow(ui_app.default_document(), None)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)

        # edit a value as the officer does (through the indicator model of the unit's form)
        ev = window.session.doc.unit_evaluation
        model = window.current_editor().indicators.model
        position, leaf = next((i, n) for i, n in enumerate(ev.walk()) if not n.children)
        assert model.setData(model.index_of(leaf, COL_ACTUAL), "12345")
        assert leaf.actual == "12345"
        assert window.isWindowModified()

        window.controller.autosave()  # the recovery copy
        assert window.controller.save_as()
        assert not window.isWindowModified(), messages
        reopened = open_document(str(target))
        assert list(reopened.unit_evaluation.walk())[position].actual == "12345"

        try:
            from perfdesk.ui import print_preview
        except ImportError:
            print_preview = None
        if print_preview is not None:
            shown = []

            def fake_exec(dialog):
                dialog.show()
                QApplication.processEvents()
                shown.append(dialog)
                dialog.close()
                return 0

            monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", fake_exec)
            window.controller.print_preview()
            assert shown
            pdf = tmp / "edited.pdf"
            monkeypatch.setattr(dialogs, "save_file_name", lambda *a, **k: str(pdf))
            window.controller.export_pdf()
            qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 0, timeout=30000)

        shot = ui_app.take_screenshot(window, tmp / "window.png")
        assert shot.stat().st_size > 0
        assert [m for m in messages if m[0] == "error"] == []
    finally:
        window.session.forced_dirty = False
        window.session.undo_stack.setClean()
        window.shutdown()
        window.close()
    assert no_network == []


# --- the whole program, C++ included: no network system call -------------------------------------------

def _strace_works() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("strace") is None:
        return False
    try:
        return subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "true"],
                              capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _strace_works(), reason="needs strace on Linux")
def test_program_makes_no_network_system_call(tmp_path):
    """strace records every socket() call of the real program, Qt's C++ code included."""
    doc = tmp_path / "x.pdesk"
    commands = [["demo", "-o", str(doc)], ["check", str(doc), "--json"],
                ["export-pdf", str(doc), "-o", str(tmp_path / "x.pdf")],
                ["--screenshot", str(tmp_path / "x.png"), str(doc)]]
    env = dict(os.environ, HOME=str(tmp_path), PERFDESK_DATA_DIR=str(tmp_path / "data"),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for args in commands:
        log = tmp_path / "strace.log"
        proc = subprocess.run(["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(log),
                               sys.executable, "-m", "perfdesk", *args],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        assert proc.returncode == 0, proc.stderr
        calls = log.read_text(errors="replace")
        network = [line for line in calls.splitlines()
                   if "AF_INET" in line or "AF_PACKET" in line or "AF_NETLINK" in line]
        assert network == [], f"perfdesk {args[0]} made network system calls:\n" + "\n".join(network)
    # the runs did their work (so no socket is not the same as nothing done)
    if commands[-1][0] == "--screenshot":
        assert (tmp_path / "x.png").stat().st_size > 0
    if doc in [Path(c[-1]) for c in commands if c[0] == "demo"]:
        assert doc.stat().st_size > 0
