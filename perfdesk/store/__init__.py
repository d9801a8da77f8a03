"""The ``.pdesk`` document file: open (as untrusted input), migrate, atomic save, lock, crash recovery.

A document is one SQLite file (application_id ``b"PDSK"``, user_version = schema
version). The file format is written once, as SQLAlchemy Core tables (``schema``),
compiled into plain statements that are cached (``spec``) so that opening a file at
start-up does not import SQLAlchemy; opening and saving run them on ``sqlite3``.

Public API::

    open_document(path) -> Document                        # bounded, checked, migrated
    save_document(doc, path) -> DiskState                  # atomic
    changed_on_disk(path) -> DiskChange | None             # since this process read/wrote it
    find_leftovers(path) / settle_leftovers(path, use)     # temp files of interrupted saves
    DocumentLock.acquire(path, force=False) -> DocumentLock; lock.release(); lock_status(path)
    recovery_dir() -> Path; write_recovery(doc, original) -> Path
    list_recoveries() -> list[RecoveryInfo]; discard_recovery(path)
    write_bytes_atomically(path, data)                     # exports
    DocumentFileError and subclasses (Chinese messages naming fields, never values)
"""

from perfdesk.store.atomic import Leftover, find_leftovers, settle_leftovers, write_bytes_atomically
from perfdesk.store.disk import DiskChange, DiskState, changed_on_disk, known_state
from perfdesk.store.document_file import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_DIR,
    SCHEMA_VERSION,
    migrate,
    open_document,
    open_document_with_meta,
    save_document,
)
from perfdesk.store.errors import (
    DocumentCorruptError,
    DocumentFileError,
    DocumentLimitError,
    DocumentLockedError,
    DocumentNotFoundError,
    DocumentSaveError,
    DocumentTooNewError,
    DocumentUnreadableError,
    NotAPerfdeskFileError,
    os_reason,
)
from perfdesk.store.lock import DocumentLock, lock_path_for, lock_status
from perfdesk.store.paths import data_dir
from perfdesk.store.recovery import (
    RecoveryInfo,
    discard_recovery,
    list_recoveries,
    recovery_dir,
    write_recovery,
)

__all__ = [
    "APPLICATION_ID", "MIGRATIONS", "SCHEMA_DIR", "SCHEMA_VERSION", "DiskChange", "DiskState",
    "DocumentCorruptError", "DocumentFileError", "DocumentLimitError", "DocumentLock", "DocumentLockedError",
    "DocumentNotFoundError", "DocumentSaveError", "DocumentTooNewError", "DocumentUnreadableError", "Leftover",
    "NotAPerfdeskFileError", "RecoveryInfo", "changed_on_disk", "data_dir", "discard_recovery",
    "find_leftovers", "known_state", "list_recoveries", "lock_path_for", "lock_status", "migrate",
    "open_document", "open_document_with_meta", "os_reason", "recovery_dir", "save_document",
    "settle_leftovers", "write_bytes_atomically", "write_recovery",
]
