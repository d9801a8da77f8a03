"""Writing a file atomically, and the temporary files an interrupted write leaves behind.

Every file perfdesk writes (documents, recovery copies, exported PDFs and
workbooks) is written to a temporary file in the target's folder, flushed and
fsynced, given the replaced file's permissions (or the normal ones: 0666 less
the umask), and ``os.replace``d onto the target; then the folder is fsynced.
Whatever fails, the previous file is untouched and the temporary file removed.

Only a process killed mid-write (power cut, kill -9) leaves its temporary file:
``.<name>.<8 hex>.tmp`` beside the target, ``<name>`` shortened so that the
temporary name fits in 255 bytes (a 246-byte document name can still be saved).
``find_leftovers``/``settle_leftovers`` find them again when the document is next
opened: a complete one that is newer than the document (the save that was cut
short — on FAT32 a power cut between delete and rename can leave only it) is
offered; the rest are deleted.
"""

from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_O_BINARY = getattr(os, "O_BINARY", 0)
_WRITE_CHUNK = 1 << 20
NAME_MAX = 255  # bytes on Linux, UTF-16 units on Windows (never more than the UTF-8 bytes)
TEMP_SUFFIX = ".tmp"
_TOKEN_HEX = 8


def _fit(name: str, room: int) -> str:
    """``name`` cut (at a character) to at most ``room`` bytes in the file-system encoding."""
    if len(os.fsencode(name)) <= room:
        return name
    while name and len(os.fsencode(name)) > room:
        name = name[:-1]
    return name


def temp_prefix(target: Path) -> str:
    room = NAME_MAX - len(".") - len(".") - _TOKEN_HEX - len(TEMP_SUFFIX)
    return f".{_fit(target.name, room)}."


def temp_path(target: Path) -> Path:
    return target.with_name(f"{temp_prefix(target)}{os.urandom(_TOKEN_HEX // 2).hex()}{TEMP_SUFFIX}")


def _write_data(f, data: bytes) -> None:
    """Write the bytes in chunks (a test replaces this to fail half-way)."""
    view = memoryview(data)
    for start in range(0, len(view), _WRITE_CHUNK):
        f.write(view[start:start + _WRITE_CHUNK])


def write_atomically(target: str | os.PathLike, fill: Callable[[Path, int], None]) -> None:
    """Create a temporary file beside ``target``, let ``fill(tmp_path, fd)`` write and close it, then replace.

    ``fill`` owns ``fd`` (it must close it) and must leave the data durable (fsync).
    """
    target = Path(os.fspath(target))
    tmp = temp_path(target)
    replaced = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        fill(tmp, fd)
        _copy_mode(target, tmp)
        _replace(tmp, target)
        replaced = True
    finally:
        if not replaced:
            for leftover in (tmp, Path(str(tmp) + "-journal")):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
    fsync_directory(target.parent)


def write_bytes_atomically(target: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` as the whole new content of ``target`` (see module doc)."""

    def fill(_tmp: Path, fd: int) -> None:
        with open(fd, "wb", closefd=True) as f:
            _write_data(f, data)
            f.flush()
            os.fsync(f.fileno())

    write_atomically(target, fill)


def _replace(tmp: Path, target: Path) -> None:
    """``os.replace``; on Windows retried briefly while a scanner or indexer holds the target open."""
    attempts = 10 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _copy_mode(target: Path, tmp: Path) -> None:
    """Keep the permissions of the file being replaced (FAT/NTFS may refuse: then keep defaults)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def fsync_directory(directory: Path) -> None:
    """Make a rename durable where the system allows it (not on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- leftovers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Leftover:
    """A temporary file of a document left by an interrupted save."""

    path: Path
    mtime: float        # when it was last written (epoch seconds)
    complete: bool      # a whole, checked perfdesk document
    newer: bool         # written after the document (or the document is missing)


def _leftover_paths(target: Path) -> list[Path]:
    prefix = temp_prefix(target)
    pattern = re.compile(re.escape(prefix) + r"[0-9a-f]{%d}" % _TOKEN_HEX + re.escape(TEMP_SUFFIX) + r"(-journal)?$")
    try:
        names = os.listdir(target.parent if str(target.parent) else ".")
    except OSError:
        return []
    return [target.with_name(n) for n in names if n.startswith(prefix) and pattern.match(n)]


def has_leftovers(target: str | os.PathLike) -> bool:
    """Whether interrupted saves left temporary files of ``target`` (cheap: names only)."""
    return bool(_leftover_paths(Path(os.fspath(target))))


def find_leftovers(target: str | os.PathLike, check: Callable[[Path], bool] | None = None) -> list[Leftover]:
    """The temporary files of ``target`` left by interrupted saves, newest first.

    ``check(path)`` says whether one is a complete document (default: it opens as one).
    Call this only while holding the document's lock: then no save is running.
    """
    target = Path(os.fspath(target))
    try:
        target_mtime = os.stat(target).st_mtime
    except OSError:
        target_mtime = None
    if check is None:
        check = _opens
    found = []
    for path in _leftover_paths(target):
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            continue
        journal = path.name.endswith("-journal")
        newer = target_mtime is None or mtime > target_mtime
        complete = (not journal) and newer and check(path)
        found.append(Leftover(path, mtime, complete, newer))
    found.sort(key=lambda leftover: leftover.mtime, reverse=True)
    return found


def _opens(path: Path) -> bool:
    from perfdesk.store.document_file import open_document
    from perfdesk.store.errors import DocumentFileError

    try:
        open_document(path, remember=False)
    except (DocumentFileError, OSError):
        return False
    return True


def settle_leftovers(target: str | os.PathLike, use: Callable[[Leftover], bool] | None = None,
                     check: Callable[[Path], bool] | None = None) -> Leftover | None:
    """Deal with the leftovers of ``target`` (hold its lock): returns the one put in place, if any.

    The newest complete leftover newer than the document is offered to ``use``; when
    it says yes, the interrupted save is completed (it replaces the document). All
    other leftovers are deleted.
    """
    target = Path(os.fspath(target))
    leftovers = find_leftovers(target, check)
    chosen = next((lo for lo in leftovers if lo.complete), None)
    if chosen is not None and not (use is not None and use(chosen)):
        chosen = None
    if chosen is not None:
        _replace(chosen.path, target)
        fsync_directory(target.parent)
    for leftover in leftovers:
        if leftover is chosen:
            continue
        try:
            os.unlink(leftover.path)
        except OSError:
            pass
    return chosen


def remove_stale_temps(folder: Path, older_than_seconds: float) -> int:
    """Delete ``.*.tmp`` files in a folder of perfdesk's own (the recovery folder) older than that."""
    removed = 0
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(".") and (name.endswith(TEMP_SUFFIX) or name.endswith(TEMP_SUFFIX + "-journal"))):
            continue
        path = folder / name
        try:
            if now - os.stat(path).st_mtime > older_than_seconds:
                os.unlink(path)
                removed += 1
        except OSError:
            pass
    return removed
