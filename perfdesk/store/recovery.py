"""Working copies for crash recovery (autosave), in the per-user data folder.

A recovery file is an ordinary ``.pdesk`` file written atomically; its ``meta``
table also records the original document's path (empty for a document never
saved), when the copy was written, which process wrote it, and the state of the
original file the edits started from (``recovery.base_*``: the digest and
modification time of the file as this process last read or wrote it). When the
original on disk is no longer that file — saved again at home and carried back
on a USB stick — ``RecoveryInfo.original_changed`` says so, and the window offers
to open the newer file, recover the copy as a separate document, or discard it,
instead of silently putting the old copy over newer work.

Repeated autosaves of the same document overwrite the same recovery file.
"""

from __future__ import annotations

import hashlib
import os
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from perfdesk.model.document import Document
from perfdesk.store import disk
from perfdesk.store.atomic import remove_stale_temps
from perfdesk.store.document_file import open_document_with_meta, save_database
from perfdesk.store.errors import DocumentFileError
from perfdesk.store.lock import _boot_id, _host, pid_alive
from perfdesk.store.paths import data_dir

RECOVERY_SUFFIX = ".pdesk"
META_ORIGINAL = "recovery.original_path"
META_SAVED_AT = "recovery.saved_at"
META_HOST, META_PID, META_BOOT = "recovery.host", "recovery.pid", "recovery.boot_id"
META_BASE_DIGEST, META_BASE_MTIME = "recovery.base_digest", "recovery.base_mtime"
_TEMP_AGE_SECONDS = 600  # a temporary file in the recovery folder older than this is a crash's leftover

__all__ = ["RecoveryInfo", "data_dir", "discard_recovery", "keep_recovery", "list_recoveries",
           "read_recovery_info", "recovery_dir", "write_recovery"]

# Per-document names for documents that have no path yet.
_untitled: "weakref.WeakKeyDictionary[Document, str]" = weakref.WeakKeyDictionary()


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
    base_digest: str = ""       # the original file the edits started from ("" unknown / never saved)
    base_mtime: float | None = None

    @property
    def base_time(self) -> str:
        return disk.format_time(self.base_mtime) if self.base_mtime is not None else "未知"

    def original_state(self) -> disk.DiskState | None:
        """The original file as it is on disk now (None: no original, or it is gone)."""
        return disk.read_state(self.original_path) if self.original_path else None

    def original_changed(self) -> bool:
        """Whether the original on disk is not the file this copy's edits started from."""
        if not self.original_path or not self.base_digest:
            return False
        current = self.original_state()
        return current is not None and current.digest != self.base_digest


def _name_for(doc: Document, original: str | None) -> str:
    if original:
        key = os.path.normcase(os.path.abspath(original))
        return "doc-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16] + RECOVERY_SUFFIX
    token = _untitled.get(doc)
    if token is None:
        token = _untitled[doc] = f"{os.getpid()}-{os.urandom(4).hex()}"
    return f"new-{token}{RECOVERY_SUFFIX}"


def write_recovery(doc: Document, original_path: str | os.PathLike | None,
                   base: disk.DiskState | None = None) -> Path:
    """Write a working copy of ``doc`` (atomically) and return its path.

    ``base``: the state of the original the edits started from (default: the state this
    process last read or wrote at ``original_path``).
    """
    original = os.path.abspath(os.fspath(original_path)) if original_path else None
    if base is None and original:
        base = disk.known_state(original)
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _name_for(doc, original)
    meta = {META_ORIGINAL: original or "",
            META_SAVED_AT: datetime.now(timezone.utc).isoformat(timespec="seconds"),
            META_HOST: _host(), META_PID: str(os.getpid()), META_BOOT: _boot_id(),
            META_BASE_DIGEST: base.digest if base else "",
            META_BASE_MTIME: repr(base.mtime) if base else ""}
    save_database(doc, path, extra_meta=meta, remember=False)
    return path


def read_recovery_info(path: str | os.PathLike) -> RecoveryInfo:
    """What a recovery file holds; raises DocumentFileError if it cannot be read."""
    doc, meta = open_document_with_meta(path)
    try:
        saved = datetime.fromisoformat(meta[META_SAVED_AT]).astimezone()
    except (KeyError, ValueError, OverflowError, OSError):
        saved = datetime.fromtimestamp(os.stat(path).st_mtime).astimezone()
    original = meta.get(META_ORIGINAL) or ""
    try:
        base_mtime = float(meta.get(META_BASE_MTIME, ""))
    except ValueError:
        base_mtime = None
    return RecoveryInfo(Path(path), Path(original) if original else None, saved, doc.unit.name, doc.year,
                        _writer_running(meta), meta.get(META_BASE_DIGEST, ""), base_mtime)


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
    must not offer — or discard — the first one's autosave. Temporary files of autosaves
    cut short by a crash are deleted.
    """
    folder = recovery_dir()
    remove_stale_temps(folder, _TEMP_AGE_SECONDS)
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


def keep_recovery(path: str | os.PathLike) -> Path:
    """Set a working copy aside under a name no autosave uses (it stays on offer at the next start).

    The officer chose to open the newer file on disk instead; the next autosave of that
    document must not overwrite the copy that holds the other computer's edits.
    """
    p = Path(os.fspath(path))
    if p.name.startswith("kept-"):
        return p
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    kept = p.with_name(f"kept-{stamp}-{os.urandom(2).hex()}-{p.name}")
    os.replace(p, kept)
    return kept


def discard_recovery(path: str | os.PathLike) -> None:
    """Delete a working copy. Only files in the recovery folder are ever deleted."""
    p = Path(os.fspath(path))
    try:
        inside = p.resolve().parent == recovery_dir().resolve()
    except OSError:
        inside = False
    if not inside or p.suffix != RECOVERY_SUFFIX:
        raise ValueError("这不是自动备份文件，不会删除")
    try:
        p.unlink()
    except FileNotFoundError:
        pass
