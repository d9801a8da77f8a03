"""The ``.pdesk`` document file: open, migrate, atomic save, lock, crash recovery.

A document is one SQLite file (application_id ``b"PDSK"``, user_version =
schema version). The tables are SQLAlchemy declarative models (``schema``), used
for saving; opening reads with ``sqlite3`` so that it does not import SQLAlchemy.

Public API::

    open_document(path) -> Document
    save_document(doc, path) -> None                       # atomic
    DocumentLock.acquire(path, force=False) -> DocumentLock; lock.release()
    recovery_dir() -> Path; write_recovery(doc, original) -> Path
    list_recoveries() -> list[RecoveryInfo]; discard_recovery(path)
    DocumentFileError and subclasses (Chinese messages)
"""

from perfdesk.store.document_file import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_DIR,
    SCHEMA_VERSION,
    migrate,
    open_document,
    save_document,
)
from perfdesk.store.errors import (
    DocumentCorruptError,
    DocumentFileError,
    DocumentLockedError,
    DocumentNotFoundError,
    DocumentSaveError,
    DocumentTooNewError,
    DocumentUnreadableError,
    NotAPerfdeskFileError,
)
from perfdesk.store.lock import DocumentLock, lock_path_for
from perfdesk.store.recovery import (
    RecoveryInfo,
    data_dir,
    discard_recovery,
    list_recoveries,
    recovery_dir,
    write_recovery,
)

__all__ = [
    "APPLICATION_ID", "MIGRATIONS", "SCHEMA_DIR", "SCHEMA_VERSION", "DocumentCorruptError",
    "DocumentFileError", "DocumentLock", "DocumentLockedError", "DocumentNotFoundError",
    "DocumentSaveError", "DocumentTooNewError", "DocumentUnreadableError", "NotAPerfdeskFileError",
    "RecoveryInfo", "data_dir", "discard_recovery", "list_recoveries", "lock_path_for", "migrate",
    "open_document", "recovery_dir", "save_document", "write_recovery",
]
