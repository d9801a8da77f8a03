"""A lock file beside an open document: ``<document>.lock`` (Qt-free).

The lock file is created with O_CREAT|O_EXCL (hidden on Windows) and holds JSON:
the program, host, user, process id and that process's start time, the time the
lock was taken, the boot id (Linux) and a random token. ``status`` judges a lock:

* ``live`` — held by a perfdesk process that is running on this computer (same
  process id *and* same process start time): refused, never taken over;
* ``stale`` — provably left behind: the process is gone, the process id now
  belongs to another process (its start time differs), the lock is older than
  the machine's last boot (a power cut; Windows has no boot id), or the lock file
  is unreadable and old: taken over without asking;
* ``unknown`` — it cannot be checked (another computer, a USB stick carried from
  home; or this system cannot tell a process's start time): refused with
  ``DocumentLockedError.can_take_over`` set, so that the window can ask the
  officer and then take it over with ``force=True``.

A takeover is atomic: the taker first creates ``<document>.lock.takeover``
(O_EXCL — only one taker at a time), checks that the lock is still the one it
judged, then ``os.replace``s its own lock file over it. Two processes taking over
the same stale lock can never both end up holding it.

Where no lock file can be created (read-only USB stick or CD, no permission) the
lock is returned with ``held == False``: locking is advisory and must not stop the
officer from reading a document.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

from perfdesk.store.errors import DocumentLockedError

LOCK_SUFFIX = ".lock"
TAKEOVER_SUFFIX = ".takeover"
_O_BINARY = getattr(os, "O_BINARY", 0)
# A lock file that cannot be parsed is being written right now — or was left half-written.
_UNREADABLE_GRACE_SECONDS = 5.0
# A takeover marker older than this was left by a taker that died in the middle.
_TAKEOVER_GRACE_SECONDS = 10.0
_START_TOLERANCE_SECONDS = 2.0
_BOOT_TOLERANCE_SECONDS = 120.0

LIVE, STALE, UNKNOWN = "live", "stale", "unknown"


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


def _program() -> str:
    return "perfdesk"


# --- processes ------------------------------------------------------------------------------------

def boot_time() -> float | None:
    """When this machine last started (epoch seconds), or None."""
    if os.name == "nt":  # pragma: no cover - Windows
        try:
            import ctypes

            kernel32 = ctypes.WinDLL("kernel32")
            kernel32.GetTickCount64.restype = ctypes.c_ulonglong
            return time.time() - kernel32.GetTickCount64() / 1000.0
        except (OSError, AttributeError):
            return None
    try:
        with open("/proc/stat", encoding="ascii") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def process_start_time(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds), or None when it cannot be told."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return None
    if os.name == "nt":  # pragma: no cover - Windows
        return _process_start_windows(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        fields = data[data.rindex(b")") + 2:].split()
        ticks = int(fields[19])  # field 22 of stat: starttime, in clock ticks since boot
        boot = boot_time()
        if boot is None:
            return None
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _process_start_windows(pid: int) -> float | None:  # pragma: no cover - Windows
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        creation, exit_, kernel, user = (wintypes.FILETIME() for _ in range(4))
        if not kernel32.GetProcessTimes(handle, ctypes.byref(creation), ctypes.byref(exit_),
                                        ctypes.byref(kernel), ctypes.byref(user)):
            return None
        ticks = (creation.dwHighDateTime << 32) | creation.dwLowDateTime  # 100 ns since 1601
        return ticks / 1e7 - 11644473600.0
    finally:
        kernel32.CloseHandle(handle)


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


_OWN_START: float | None = None


def _own_start() -> float | None:
    global _OWN_START
    if _OWN_START is None:
        _OWN_START = process_start_time(os.getpid())
    return _OWN_START


def hide_file(path: str | os.PathLike) -> None:
    """Mark a file hidden on Windows (lock files; a no-op elsewhere, where the leading dot is not used)."""
    if os.name != "nt":
        return
    try:  # pragma: no cover - Windows
        import ctypes

        FILE_ATTRIBUTE_HIDDEN = 0x2
        ctypes.windll.kernel32.SetFileAttributesW(os.fspath(path), FILE_ATTRIBUTE_HIDDEN)
    except (OSError, AttributeError):  # pragma: no cover
        pass


# --- reading and judging locks -------------------------------------------------------------------------

def _read_raw(lock_path) -> bytes | None:
    try:
        with open(lock_path, "rb") as f:
            return f.read(65536)
    except OSError:
        return None


def _parse(raw: bytes | None) -> dict | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def read_lock(lock_path: str | os.PathLike) -> dict | None:
    """The holder recorded in a lock file, or None when it cannot be read or parsed."""
    return _parse(_read_raw(lock_path))


def _same_host(holder: dict) -> bool:
    return str(holder.get("host", "")).casefold() == _host().casefold()


def _epoch(value) -> float | None:
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def status(holder: dict | None, lock_path: Path) -> str:
    """``live``, ``stale`` or ``unknown`` (see the module doc)."""
    if holder is None:
        try:
            age = time.time() - os.stat(lock_path).st_mtime
        except OSError:
            return STALE
        return STALE if age > _UNREADABLE_GRACE_SECONDS else LIVE
    if not _same_host(holder):
        return UNKNOWN
    boot = holder.get("boot_id") or ""
    if boot and _boot_id() and boot != _boot_id():
        return STALE
    booted = boot_time()
    taken = _epoch(holder.get("time"))
    if booted is not None and taken is not None and taken < booted - _BOOT_TOLERANCE_SECONDS:
        return STALE  # taken before the machine last started: left by a power cut or crash
    pid = holder.get("pid")
    if not pid_alive(pid):
        return STALE
    recorded = holder.get("started")
    recorded = float(recorded) if isinstance(recorded, (int, float)) and not isinstance(recorded, bool) else None
    actual = _own_start() if pid == os.getpid() else process_start_time(pid)
    if recorded is not None and actual is not None:
        # the same id but another process: the id was reused after perfdesk ended
        return LIVE if abs(actual - recorded) <= _START_TOLERANCE_SECONDS else STALE
    if pid == os.getpid():
        return LIVE
    return UNKNOWN


def is_stale(holder: dict | None, lock_path: Path) -> bool:
    return status(holder, lock_path) == STALE


def _when(value) -> str:
    try:
        return datetime.fromisoformat(str(value)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, TypeError, OSError, OverflowError):
        return "某时"


def _clean(value, limit: int = 40) -> str:
    """A name from a lock file, safe to show (printable, short)."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return text[:limit]


def locked_message(holder: dict | None, lock_path: Path, state: str | None = None) -> str:
    if holder is None:
        return (f"这个文档正被占用（另一个程序刚刚打开了它）。请稍后再试；如果确定没有人在使用，"
                f"可删除文档旁的“{lock_path.name}”后重试。")
    user = _clean(holder.get("user")) or "其他用户"
    host = _clean(holder.get("host")) or "未知计算机"
    program = _clean(holder.get("app")) or "perfdesk"
    when = _when(holder.get("time"))
    pid = holder.get("pid") if isinstance(holder.get("pid"), int) else "?"
    state = state or status(holder, lock_path)
    if _same_host(holder) and holder.get("pid") == os.getpid() and state == LIVE:
        return f"这个文档已在本程序中打开（{when} 起），同一文档不能同时打开两次。"
    if _same_host(holder) and state == LIVE:
        return (f"这个文档正被 {user} 在本机的另一个 {program} 窗口（进程 {pid}）中打开"
                f"（{when} 起），同一文档不能同时编辑。请先在那个窗口中关闭它。")
    if _same_host(holder):
        return (f"这个文档的锁文件记录它正被 {user} 在本机的 {program}（进程 {pid}，{when} 起）打开，"
                "但无法确认那个程序是否还在运行。如果确定没有其他 perfdesk 窗口打开了它，可以接管。")
    return (f"这个文档正被 {user} 在计算机“{host}”上的 {program} 打开（{when} 起），同一文档不能同时编辑。"
            f"如果那台计算机上的程序已经关闭或曾意外退出，可以接管（或删除文档旁的“{lock_path.name}”后重试）。")


def lock_status(path: str | os.PathLike) -> tuple[str | None, dict | None]:
    """(status or None when there is no lock file, holder) — for callers that only look (the CLI)."""
    lock_path = lock_path_for(path)
    raw = _read_raw(lock_path)
    if raw is None and not lock_path.exists():
        return None, None
    holder = _parse(raw)
    return status(holder, lock_path), holder


def _locked_error(doc_path: Path, lock_path: Path, holder: dict | None, state: str) -> DocumentLockedError:
    exc = DocumentLockedError(locked_message(holder, lock_path, state), doc_path, holder)
    exc.status = state
    exc.can_take_over = state == UNKNOWN
    return exc


class DocumentLock:
    """A held (or, on read-only media, merely attempted) lock on one document."""

    def __init__(self, path: Path, lock_path: Path, info: dict, held: bool):
        self.path = path
        self.lock_path = lock_path
        self.info = info
        self.held = held

    def __repr__(self) -> str:
        return f"DocumentLock({str(self.path)!r}, held={self.held})"

    @staticmethod
    def _info() -> dict:
        return {
            "app": _program(), "host": _host(), "pid": os.getpid(), "started": _own_start(),
            "user": _user(), "time": datetime.now().astimezone().isoformat(timespec="seconds"),
            "token": os.urandom(8).hex(), "boot_id": _boot_id(),
            "program": os.path.basename(sys.argv[0] or "") if sys.argv else "",
        }

    @classmethod
    def acquire(cls, path: str | os.PathLike, force: bool = False) -> "DocumentLock":
        """Lock ``path``; raises ``DocumentLockedError`` if someone else holds it.

        A stale lock is taken over. ``force=True`` takes over a lock whose holder
        cannot be checked (``can_take_over``), after the officer confirmed that it is
        gone; a live perfdesk on this computer is never displaced.
        """
        doc_path = Path(os.fspath(path))
        lock_path = lock_path_for(doc_path)
        info = cls._info()
        payload = json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8")
        for _attempt in range(20):
            try:
                fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o644)
            except FileExistsError:
                raw = _read_raw(lock_path)
                if raw is None:
                    continue  # released in the meantime: try again
                holder = _parse(raw)
                state = status(holder, lock_path)
                if not (state == STALE or (force and state == UNKNOWN)):
                    raise _locked_error(doc_path, lock_path, holder, state) from None
                outcome = _take_over(lock_path, raw, payload)
                if outcome == "taken":
                    return cls(doc_path, lock_path, info, held=True)
                if outcome == "unwritable":
                    return cls(doc_path, lock_path, info, held=False)
                time.sleep(0.02)
                continue  # someone else is taking over, or the lock changed: look again
            except OSError:
                # Read-only medium, no permission, missing folder, name too long: open without a lock.
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
            hide_file(lock_path)
            return cls(doc_path, lock_path, info, held=True)
        holder = read_lock(lock_path)
        raise _locked_error(doc_path, lock_path, holder, status(holder, lock_path))

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


def _take_over(lock_path: Path, judged: bytes, payload: bytes) -> str:
    """Replace the lock file we judged by ours, atomically: 'taken', 'busy' or 'unwritable'."""
    marker = Path(str(lock_path) + TAKEOVER_SUFFIX)
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o644)
    except FileExistsError:
        try:
            if time.time() - os.stat(marker).st_mtime > _TAKEOVER_GRACE_SECONDS:
                os.unlink(marker)  # left by a taker that died half-way
        except OSError:
            pass
        return "busy"
    except OSError:
        return "unwritable"
    os.close(fd)
    tmp = Path(f"{lock_path}.{os.urandom(4).hex()}.tmp")
    try:
        if _read_raw(lock_path) != judged:
            return "busy"  # released, or taken over by another process meanwhile: judge again
        try:
            with open(tmp, "wb") as f:
                f.write(payload)
            hide_file(tmp)
            os.replace(tmp, lock_path)
        except OSError:
            return "unwritable"
        return "taken"
    finally:
        for leftover in (tmp, marker):
            try:
                os.unlink(leftover)
            except OSError:
                pass
