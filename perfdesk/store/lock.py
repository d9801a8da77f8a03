"""A lock file beside an open document: ``<document>.lock`` (Qt-free).

The lock file is created with O_CREAT|O_EXCL and holds JSON: host, pid, user, time
(plus a random token and, on Linux, the boot id). A second ``acquire`` — from this
process or another — is refused with ``DocumentLockedError`` while the holder is
alive. A stale lock (same host, holder process gone or machine rebooted) is taken
over. A lock held on another computer cannot be checked and is respected unless
``force=True``: the message tells the officer how to clear it.

Where no lock file can be created (read-only USB stick or CD, no permission) the
lock is returned with ``held == False``: locking is advisory and must not stop the
officer from reading a document.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import secrets
import time
from datetime import datetime
from pathlib import Path

from perfdesk.store.errors import DocumentLockedError

LOCK_SUFFIX = ".lock"
_O_BINARY = getattr(os, "O_BINARY", 0)
# A lock file that cannot be parsed is being written right now — or was left half-written.
_UNREADABLE_GRACE_SECONDS = 5.0


def lock_path_for(path: str | os.PathLike) -> Path:
    return Path(os.fspath(path) + LOCK_SUFFIX)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return ""


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        return ""


def _host() -> str:
    return platform.node() or ""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (errs towards 'alive')."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - Windows
    # os.kill(pid, 0) would terminate the process on Windows.
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: exists, not ours
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_lock(lock_path: str | os.PathLike) -> dict | None:
    """The holder recorded in a lock file, or None when it cannot be read or parsed."""
    try:
        with open(lock_path, "rb") as f:
            data = json.loads(f.read(65536).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _same_host(holder: dict) -> bool:
    return str(holder.get("host", "")).casefold() == _host().casefold()


def is_stale(holder: dict | None, lock_path: Path) -> bool:
    if holder is None:
        try:
            age = time.time() - os.stat(lock_path).st_mtime
        except OSError:
            return True
        return age > _UNREADABLE_GRACE_SECONDS
    if not _same_host(holder):
        return False
    boot = holder.get("boot_id") or ""
    if boot and _boot_id() and boot != _boot_id():
        return True
    pid = holder.get("pid")
    if pid == os.getpid():
        return False
    return not pid_alive(pid)


def _when(holder: dict) -> str:
    try:
        return datetime.fromisoformat(str(holder.get("time"))).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, TypeError, OSError):
        return "某时"


def locked_message(holder: dict | None, lock_path: Path) -> str:
    if holder is None:
        return (f"这个文档正被占用（另一个程序刚刚打开了它）。请稍后再试；如果确定没有人在使用，"
                f"可删除文档旁的“{lock_path.name}”后重试。")
    user = holder.get("user") or "其他用户"
    host = holder.get("host") or "未知计算机"
    when = _when(holder)
    if _same_host(holder) and holder.get("pid") == os.getpid():
        return f"这个文档已在本程序中打开（{when} 起），同一文档不能同时打开两次。"
    if _same_host(holder):
        return (f"这个文档正被 {user} 在本机的另一个 perfdesk 窗口（进程 {holder.get('pid')}）中打开"
                f"（{when} 起），同一文档不能同时编辑。请先在那个窗口中关闭它。")
    return (f"这个文档正被 {user} 在计算机“{host}”上打开（{when} 起），同一文档不能同时编辑。"
            f"如果那台计算机上的程序已经关闭或曾意外退出，可删除文档旁的“{lock_path.name}”后重试。")


class DocumentLock:
    """A held (or, on read-only media, merely attempted) lock on one document."""

    def __init__(self, path: Path, lock_path: Path, info: dict, held: bool):
        self.path = path
        self.lock_path = lock_path
        self.info = info
        self.held = held

    def __repr__(self) -> str:
        return f"DocumentLock({str(self.path)!r}, held={self.held})"

    @classmethod
    def acquire(cls, path: str | os.PathLike, force: bool = False) -> "DocumentLock":
        """Lock ``path``; raises ``DocumentLockedError`` if someone else holds it.

        ``force=True`` takes over any existing lock (after the officer confirmed
        that the holder is gone, e.g. a lock left on a USB stick by a crash elsewhere).
        """
        doc_path = Path(os.fspath(path))
        lock_path = lock_path_for(doc_path)
        info = {
            "app": "perfdesk", "host": _host(), "pid": os.getpid(), "user": _user(),
            "time": datetime.now().astimezone().isoformat(timespec="seconds"),
            "token": secrets.token_hex(8), "boot_id": _boot_id(),
        }
        payload = json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8")
        for _attempt in range(5):
            try:
                fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o644)
            except FileExistsError:
                holder = read_lock(lock_path)
                if not (force or is_stale(holder, lock_path)):
                    raise DocumentLockedError(locked_message(holder, lock_path), doc_path, holder) from None
                if holder is not None and read_lock(lock_path) != holder:
                    continue  # changed under us: look again
                try:
                    os.unlink(lock_path)
                except FileNotFoundError:
                    pass
                except OSError:
                    return cls(doc_path, lock_path, info, held=False)
                continue
            except OSError:
                # Read-only medium, no permission, missing folder: open without a lock.
                return cls(doc_path, lock_path, info, held=False)
            try:
                os.write(fd, payload)
            except OSError:
                os.close(fd)
                try:
                    os.unlink(lock_path)
                except OSError:
                    pass
                return cls(doc_path, lock_path, info, held=False)
            os.close(fd)
            return cls(doc_path, lock_path, info, held=True)
        holder = read_lock(lock_path)
        raise DocumentLockedError(locked_message(holder, lock_path), doc_path, holder)

    def release(self) -> None:
        """Remove the lock file if it is still ours (idempotent)."""
        if not self.held:
            return
        self.held = False
        holder = read_lock(self.lock_path)
        if holder is not None and holder.get("token") != self.info["token"]:
            return  # taken over by someone else (force): theirs now
        try:
            os.unlink(self.lock_path)
        except OSError:
            pass

    def __enter__(self) -> "DocumentLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()
