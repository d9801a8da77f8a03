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

RECOVERY_SUFFIX = ".pdesk"
META_ORIGINAL = "recovery.original_path"
META_SAVED_AT = "recovery.saved_at"

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
            META_SAVED_AT: datetime.now(timezone.utc).isoformat(timespec="seconds")}
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
                        str(row[0]) if row else "", int(row[1]) if row and isinstance(row[1], int) else 0)


def list_recoveries() -> list[RecoveryInfo]:
    """The readable working copies, newest first (unreadable files are skipped)."""
    folder = recovery_dir()
    try:
        candidates = [p for p in folder.iterdir() if p.suffix == RECOVERY_SUFFIX and p.is_file()
                      and not p.name.startswith(".")]
    except OSError:
        return []
    infos = []
    for path in candidates:
        try:
            infos.append(read_recovery_info(path))
        except (DocumentFileError, OSError):
            continue
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
