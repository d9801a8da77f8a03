"""Working copies for crash recovery (autosave), in the per-user data folder.

A recovery file is an ordinary ``.pdesk`` file written atomically; its ``meta``
table also records the original document's path (empty for a document never
saved) and when the copy was written. Repeated autosaves of the same document
overwrite the same recovery file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from perfdesk.model.document import Document
from perfdesk.store.document_file import file_meta, load_database, save_database
from perfdesk.store.errors import DocumentFileError
from perfdesk.store.lock import _boot_id, _host, pid_alive

RECOVERY_SUFFIX = ".pdesk"
META_ORIGINAL = "recovery.original_path"
META_SAVED_AT = "recovery.saved_at"
META_HOST, META_PID, META_BOOT = "recovery.host", "recovery.pid", "recovery.boot_id"

# Per-document names for documents that have no path yet.
_untitled: "weakref.WeakKeyDictionary[Document, str]" = weakref.WeakKeyDictionary()


def data_dir() -> Path:
    """perfdesk's per-user data folder (PERFDESK_DATA_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("PERFDESK_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover - Windows
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return Path(base) / "perfdesk"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "perfdesk"


def recovery_dir() -> Path:
    """Where working copies go: %LOCALAPPDATA%/perfdesk/recovery or ~/.local/share/perfdesk/recovery."""
    return data_dir() / "recovery"


@dataclass(frozen=True)
class RecoveryInfo:
    path: Path                  # the recovery file
    original_path: Path | None  # the document it is a copy of (None: never saved)
    saved_at: datetime          # when the copy was written (local time, aware)
    unit_name: str              # 单位名称 in the copy
    year: int = 0
    in_use: bool = False        # written by another perfdesk that is still running on this computer


def _name_for(doc: Document, original: str | None) -> str:
    if original:
        key = os.path.normcase(os.path.abspath(original))
        return "doc-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16] + RECOVERY_SUFFIX
    token = _untitled.get(doc)
    if token is None:
        token = _untitled[doc] = f"{os.getpid()}-{secrets.token_hex(4)}"
    return f"new-{token}{RECOVERY_SUFFIX}"


def write_recovery(doc: Document, original_path: str | os.PathLike | None) -> Path:
    """Write a working copy of ``doc`` (atomically) and return its path."""
    original = os.path.abspath(os.fspath(original_path)) if original_path else None
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _name_for(doc, original)
    meta = {META_ORIGINAL: original or "",
            META_SAVED_AT: datetime.now(timezone.utc).isoformat(timespec="seconds"),
            META_HOST: _host(), META_PID: str(os.getpid()), META_BOOT: _boot_id()}
    save_database(doc, path, extra_meta=meta)
    return path


def read_recovery_info(path: str | os.PathLike) -> RecoveryInfo:
    """What a recovery file holds; raises DocumentFileError if it cannot be read."""
    conn = load_database(path)
    try:
        meta = file_meta(conn)
        row = conn.execute("SELECT unit_name, year FROM document").fetchone()
    finally:
        conn.close()
    try:
        saved = datetime.fromisoformat(meta[META_SAVED_AT]).astimezone()
    except (KeyError, ValueError):
        saved = datetime.fromtimestamp(os.stat(path).st_mtime).astimezone()
    original = meta.get(META_ORIGINAL) or ""
    return RecoveryInfo(Path(path), Path(original) if original else None, saved,
                        str(row[0]) if row else "", int(row[1]) if row and isinstance(row[1], int) else 0,
                        _writer_running(meta))


def _writer_running(meta: dict[str, str]) -> bool:
    """Whether another process that is still running wrote this copy (its autosave, not a crash)."""
    try:
        pid = int(meta.get(META_PID, ""))
    except ValueError:
        return False
    if pid == os.getpid() or meta.get(META_HOST, "").casefold() != _host().casefold():
        return False
    boot = meta.get(META_BOOT, "")
    if boot and _boot_id() and boot != _boot_id():
        return False
    return pid_alive(pid)


def list_recoveries(include_in_use: bool = False) -> list[RecoveryInfo]:
    """The readable working copies left by a crash, newest first.

    Unreadable files are skipped, and so are the copies a perfdesk still running on this
    computer keeps writing (``include_in_use=True`` lists them too): a second instance
    must not offer — or discard — the first one's autosave.
    """
    folder = recovery_dir()
    try:
        candidates = [p for p in folder.iterdir() if p.suffix == RECOVERY_SUFFIX and p.is_file()
                      and not p.name.startswith(".")]
    except OSError:
        return []
    infos = []
    for path in candidates:
        try:
            info = read_recovery_info(path)
        except (DocumentFileError, OSError):
            continue
        if include_in_use or not info.in_use:
            infos.append(info)
    infos.sort(key=lambda info: info.saved_at, reverse=True)
    return infos


def discard_recovery(path: str | os.PathLike) -> None:
    """Delete a working copy. Only files in the recovery folder are ever deleted."""
    p = Path(os.fspath(path))
    try:
        inside = p.resolve().parent == recovery_dir().resolve()
    except OSError:
        inside = False
    if not inside or p.suffix != RECOVERY_SUFFIX:
        raise ValueError(f"“{p}”不是自动备份文件，不会删除")
    try:
        p.unlink()
    except FileNotFoundError:
        pass
