"""What a document file on disk was when this process last read or wrote it.

``open_document`` and ``save_document`` remember, per path, the state of the file
they read or wrote (a digest of its bytes, its size and modification time).
Before saving over a document, ``changed_on_disk(path)`` tells whether the file
has been changed since — by another computer through a USB stick, a sync tool or
another program — so that the officer is warned instead of silently overwriting
newer work. Recovery copies record the same state as the base they were made
from (``perfdesk.store.recovery``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class DiskState:
    digest: str     # of the whole file
    size: int
    mtime: float    # modification time, epoch seconds

    def when(self) -> str:
        return format_time(self.mtime)


def format_time(epoch: float) -> str:
    try:
        return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return "未知时间"


def _key(path) -> str:
    return os.path.normcase(os.path.abspath(os.fspath(path)))


def read_state(path) -> DiskState | None:
    """The current state of the file (None when it does not exist or cannot be read)."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            h = hashlib.blake2b(digest_size=16)
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return DiskState(h.hexdigest(), st.st_size, st.st_mtime)


_known: dict[str, DiskState] = {}


def remember(path, state: DiskState | None) -> None:
    if state is None:
        _known.pop(_key(path), None)
    else:
        _known[_key(path)] = state


def known_state(path) -> DiskState | None:
    """The state of the file when this process last read or wrote it."""
    return _known.get(_key(path))


@dataclass(frozen=True)
class DiskChange:
    """The file on disk differs from the one this process read or wrote."""

    path: str
    known: DiskState
    current: DiskState

    def message(self) -> str:
        return (f"磁盘上的这个文件在您打开之后已被改动（可能是在另一台电脑上编辑后复制过来，"
                f"或被其他程序修改）。\n\n您打开或上次保存的版本：{self.known.when()}\n"
                f"磁盘上现在的版本：{self.current.when()}\n\n直接保存会覆盖磁盘上较新的内容。")


def changed_on_disk(path) -> DiskChange | None:
    """How the file differs from what this process last read or wrote (None: unchanged, or never read)."""
    known = known_state(path)
    if known is None:
        return None
    current = read_state(path)
    if current is None or current.digest == known.digest:
        return None  # gone (saving creates it again), or the same bytes (perhaps touched)
    return DiskChange(os.fspath(path), known, current)
