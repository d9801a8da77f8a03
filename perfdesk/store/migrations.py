"""Numbered steps that upgrade an opened file from schema version N to N + 1.

``MIGRATIONS[n]`` takes an open, checked, in-memory connection holding a version-n
file and changes it into a version-(n + 1) file (``ALTER TABLE``, ``UPDATE`` …);
the runner sets ``user_version``, commits each step on its own, and the opener
checks the result against ``schemas/v<n+1>.sql`` (and, at the end, against the
current tables of ``schema``). The file on disk is never changed: opening works
on a copy in memory, and the next save writes the current version.

Adding a version: change ``schema``, bump ``SCHEMA_VERSION``, freeze its DDL as
``schemas/v<N>.sql``, add ``MIGRATIONS[N - 1]`` here and sample rows for the old
version in ``tests/test_store.py`` (``SAMPLE_ROWS``): the tests build a file of every
released version from its DDL and open it.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from perfdesk.store.errors import DocumentCorruptError, DocumentFileError

Step = Callable[[sqlite3.Connection], None]

# Schema version 1 is the first released format: no steps yet.
MIGRATIONS: dict[int, Step] = {}


def migrate(conn: sqlite3.Connection, version: int, target: int, migrations: dict[int, Step] | None = None,
            path: str | None = None, after_step: Callable[[int], None] | None = None) -> int:
    """Upgrade ``conn`` step by step from ``version`` to ``target``; ``after_step(v)`` checks version v."""
    migrations = MIGRATIONS if migrations is None else migrations
    while version < target:
        step = migrations.get(version)
        if step is None:
            raise DocumentFileError(
                f"本程序无法把文件格式从版本 {version} 升级到版本 {version + 1}，无法打开。", path)
        try:
            conn.execute("BEGIN")
            step(conn)
            conn.execute(f"PRAGMA user_version = {int(version) + 1}")
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise DocumentCorruptError(
                f"把文件格式从版本 {version} 升级到版本 {version + 1} 时出错，无法打开。", path) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        version += 1
        if after_step is not None:
            after_step(version)
    return version
