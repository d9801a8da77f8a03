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
from types import SimpleNamespace
from typing import Callable

from perfdesk.store.errors import DocumentCorruptError, DocumentFileError

Step = Callable[[sqlite3.Connection], None]

# A target longer than this is no “≥98%”: it is kept whole, 指标性质 and 计量单位 left empty.
MAX_SPLIT_TARGET_CHARS = 1000


def frozen_tables(version: int) -> dict[str, tuple[str, list[str], list[str]]]:
    """{table: (CREATE statement, CREATE INDEX statements, column names)} of ``schemas/v<version>.sql``."""
    from perfdesk.store import untrusted

    ddl = (untrusted.SCHEMA_DIR / f"v{version}.sql").read_text(encoding="utf-8")
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.executescript(ddl)
        out = {}
        for name, create in scratch.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            indexes = [sql for (sql,) in scratch.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
                "ORDER BY name", (name,))]
            columns = [row[1] for row in scratch.execute(f'PRAGMA table_info("{name}")')]
            out[name] = (create, indexes, columns)
        return out
    finally:
        scratch.close()


def rebuild_table(conn: sqlite3.Connection, table: str, create: str, indexes: list[str], columns: list[str],
                  added: dict[str, str]) -> None:
    """Give ``table`` the columns of ``create``: the old rows copied, ``added`` columns filled with their SQL
    values. SQLite cannot add a NOT NULL column without a DEFAULT (which a perfdesk file never has), so the
    table is built anew, as SQLite's documentation describes; references from other tables keep its name.
    """
    old = f"{table}__old"
    conn.execute("PRAGMA legacy_alter_table = ON")  # other tables' REFERENCES keep pointing at ``table``
    try:
        conn.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    finally:
        conn.execute("PRAGMA legacy_alter_table = OFF")
    conn.execute(create)
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(added.get(c, f'"{c}"') for c in columns)
    conn.execute(f'INSERT INTO "{table}" ({names}) SELECT {values} FROM "{old}"')
    conn.execute(f'DROP TABLE "{old}"')
    for statement in indexes:
        conn.execute(statement)


def split_targets(conn: sqlite3.Connection) -> int:
    """Fill 指标性质 and 计量单位 of every indicator from its target text, as ``values.migrate_target``
    does (the target text is kept whole, so every score stays the same). Returns how many were filled."""
    from perfdesk.model.values import MAX_UNIT_CHARS, migrate_target

    rows = conn.execute(
        "SELECT id, target FROM indicator WHERE typeof(target) = 'text' AND comparison = '' AND unit = '' "
        "AND length(target) BETWEEN 1 AND ?", (MAX_SPLIT_TARGET_CHARS,)).fetchall()
    updates = []
    for iid, target in rows:
        probe = SimpleNamespace(target=target, comparison="", unit="")
        if migrate_target(probe, keep_text=True) and len(probe.unit) <= MAX_UNIT_CHARS:
            updates.append((probe.comparison, probe.unit, iid))
    conn.executemany("UPDATE indicator SET comparison = ?, unit = ? WHERE id = ?", updates)
    return len(updates)


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 (issue 14): the document's and each form's 评价规则, 项目编码, and an indicator's
    指标性质, 计量单位, 年初指标值 and 调整原因 — the first two read from the target text."""
    tables = frozen_tables(2)
    for table, added in (
        ("document", {"rule_set": "''"}),
        ("evaluation", {"rule_set": "''", "project_code": "''"}),
        ("indicator", {"comparison": "''", "unit": "''", "initial_target": "''", "adjust_reason": "''"}),
    ):
        create, indexes, columns = tables[table]
        rebuild_table(conn, table, create, indexes, columns, added)
    split_targets(conn)


# MIGRATIONS[n] upgrades a version-n file to version n + 1.
MIGRATIONS: dict[int, Step] = {1: _v1_to_v2}


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
