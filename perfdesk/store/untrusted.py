"""Opening a ``.pdesk`` file as untrusted input: bounded SQLite, checked structure.

A ``.pdesk`` is a SQLite database, and SQLite runs whatever its schema declares —
generated columns, views, CHECK constraints — when it is read. A file from a USB
stick or an e-mail must not be able to take all memory or run forever, so:

* the file's size is capped before it is read (``MAX_FILE_BYTES``);
* the in-memory database is opened with SQLite limits (``setlimit``: no value
  longer than ``MAX_VALUE_BYTES``, short SQL, shallow expressions, no ATTACH) and
  a progress handler that stops any statement once the open has taken longer
  than its time budget (``time_budget``);
* before any row is read (and before ``quick_check``), the file's structure is
  compared with the expected one — every expected object a plain table with
  exactly the expected columns, types, keys and indexes; no views, no triggers,
  no generated or hidden columns, no defaults, no CHECK constraints, nothing
  extra — so no expression from the file is ever evaluated;
* each table's row count is capped (``max_rows`` of the schema) before reading.

The expected structure of the current version comes from the compiled schema
(``spec``); that of an older version from its frozen DDL in ``schemas/v<N>.sql``.
"""

from __future__ import annotations

import re
import sqlite3
import time
from functools import lru_cache
from pathlib import Path

from perfdesk.store.errors import DocumentCorruptError, DocumentLimitError

MAX_FILE_BYTES = 32 * 1024 * 1024       # a document of 50 projects is ~0.5 MB
MAX_VALUE_BYTES = 8 * 1024 * 1024       # one value (a text of 1 000 000 characters is ≤ 4 MB)
BASE_SECONDS = 3.0                      # time budget of one open …
SECONDS_PER_MB = 0.25                   # … plus this per MB of file
PROGRESS_STEPS = 20_000                 # SQLite VM steps between two looks at the clock

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

# SQLite limits (the ids are fixed by SQLite's C API; Python ≥ 3.11 names them in sqlite3).
_LIMITS = {
    "SQLITE_LIMIT_LENGTH": (0, MAX_VALUE_BYTES),
    "SQLITE_LIMIT_SQL_LENGTH": (1, 100_000),
    "SQLITE_LIMIT_COLUMN": (2, 200),
    "SQLITE_LIMIT_EXPR_DEPTH": (3, 100),
    "SQLITE_LIMIT_COMPOUND_SELECT": (4, 10),
    "SQLITE_LIMIT_VDBE_OP": (5, 100_000),
    "SQLITE_LIMIT_FUNCTION_ARG": (6, 8),
    "SQLITE_LIMIT_ATTACHED": (7, 0),
    "SQLITE_LIMIT_LIKE_PATTERN_LENGTH": (8, 100),
    "SQLITE_LIMIT_VARIABLE_NUMBER": (9, 1000),
    "SQLITE_LIMIT_TRIGGER_DEPTH": (10, 1),
}

# Words that never occur in a table perfdesk writes (identifiers and literals are removed first).
_FORBIDDEN = re.compile(r"\b(CHECK|GENERATED|AS|DEFAULT|COLLATE|VIRTUAL|STORED)\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|`[^`]*`|\[[^\]]*\]")
_ALLOWED_EXTRA = re.compile(r"^sqlite_stat\d$")


def time_budget(size: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MB * size / (1024 * 1024)


class Bounded:
    """An in-memory SQLite connection with limits and a deadline; ``expired`` tells why a statement stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self.conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if hasattr(self.conn, "setlimit"):  # Python ≥ 3.11
            for name, (number, value) in _LIMITS.items():
                self.conn.setlimit(getattr(sqlite3, name, number), value)
        self.conn.set_progress_handler(self._tick, PROGRESS_STEPS)
        self.conn.execute("PRAGMA trusted_schema = OFF")

    def _tick(self) -> int:
        if time.monotonic() > self.deadline:
            self.expired = True
            return 1  # interrupt the statement
        return 0

    def too_slow(self, path=None) -> DocumentLimitError:
        return DocumentLimitError(
            f"读取超过 {self.seconds:.0f} 秒仍未完成，已停止：文件的结构异常复杂，可能已损坏，"
            "或是被刻意构造的文件。", path)

    def close(self) -> None:
        self.conn.close()


# --- structure ----------------------------------------------------------------------------------

def structure(conn: sqlite3.Connection, names: set[str] | None = None) -> dict:
    """A comparable picture of a database's schema.

    ``names``: the expected tables — only those are inspected with PRAGMAs (an
    object the file adds is reported by name, never looked into).
    """
    objects = sorted((str(t), str(n), str(tbl)) for t, n, tbl in
                     conn.execute("SELECT type, name, tbl_name FROM sqlite_master"))
    sql_of = {(str(t), str(n)): s for t, n, s in conn.execute("SELECT type, name, sql FROM sqlite_master")}
    objects = [o for o in objects if not (o[0] == "table" and _ALLOWED_EXTRA.match(o[1]))]
    out: dict = {"objects": objects, "tables": {}}
    wanted = {o[1] for o in objects if o[0] == "table"} if names is None else names
    for kind, name, _tbl in objects:
        if kind != "table" or name not in wanted:
            continue
        sql = sql_of.get(("table", name)) or ""
        body = _QUOTED.sub(" ", sql)
        quoted = '"' + name.replace('"', '""') + '"'
        columns = [(r[1], str(r[2] or "").upper(), r[3], r[4], r[5], r[6])
                   for r in conn.execute(f"PRAGMA table_xinfo({quoted})")]
        keys = sorted(tuple(r[2:]) for r in conn.execute(f"PRAGMA foreign_key_list({quoted})"))
        indexes = []
        for _seq, ix_name, unique, origin, partial in conn.execute(f"PRAGMA index_list({quoted})"):
            ix_quoted = '"' + str(ix_name).replace('"', '""') + '"'
            cols = [tuple(r) for r in conn.execute(f"PRAGMA index_xinfo({ix_quoted})")]
            ix_sql = sql_of.get(("index", ix_name))
            plain = ix_sql is None or bool(re.match(r"\s*CREATE\s+(UNIQUE\s+)?INDEX\b", ix_sql, re.I))
            indexes.append((ix_name, unique, origin, partial, plain, tuple(cols)))
        out["tables"][name] = {
            "plain": bool(re.match(r"\s*CREATE\s+TABLE\b", sql, re.I)) and not _FORBIDDEN.search(body),
            "columns": columns, "keys": keys, "indexes": sorted(indexes),
        }
    return out


def _from_ddl(statements: list[str]) -> dict:
    conn = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            conn.execute(statement)
        return structure(conn)
    finally:
        conn.close()


@lru_cache(maxsize=8)
def expected_structure(version: int, current: int) -> dict:
    """The structure of a perfdesk file of ``version`` (``current``: from the compiled schema)."""
    if version == current:
        from perfdesk.store.spec import schema_spec

        return _from_ddl(schema_spec().ddl())
    ddl = (SCHEMA_DIR / f"v{version}.sql").read_text(encoding="utf-8")
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(ddl)
        return structure(conn)
    finally:
        conn.close()


def table_labels() -> dict[str, str]:
    from perfdesk.store.spec import schema_spec

    return {t.name: t.label for t in schema_spec().tables}


def check_structure(conn: sqlite3.Connection, version: int, current: int, path=None) -> None:
    """Raise ``DocumentCorruptError`` unless the database has exactly the expected structure."""
    expected = expected_structure(version, current)
    names = set(expected["tables"])
    found = structure(conn, names)
    if found == expected:
        return
    labels = table_labels()
    detail = "含有 perfdesk 不会写入的对象"
    kinds = {o[0] for o in found["objects"]} - {o[0] for o in expected["objects"]}
    if "view" in kinds or "trigger" in kinds:
        detail = "含有视图或触发器（perfdesk 的文档中没有这些）"
    else:
        for name in sorted(names):
            mine, theirs = expected["tables"][name], found["tables"].get(name)
            label = labels.get(name, name)
            if theirs is None:
                detail = f"缺少“{label}”表，或它不是普通的表"
                break
            if not theirs["plain"] or theirs["columns"] != mine["columns"]:
                detail = f"“{label}”表的列与 perfdesk 文档不同（多出、缺少，或带有计算列、默认值、约束）"
                break
            if theirs != mine:
                detail = f"“{label}”表的键或索引与 perfdesk 文档不同"
                break
    raise DocumentCorruptError(
        f"文件结构不符：{detail}。这不是由 perfdesk 保存的文档，或已被其他程序改动；"
        "为安全起见，没有读取其中的任何内容，无法打开。", path)


def check_row_counts(conn: sqlite3.Connection, path=None) -> None:
    """Refuse a file with more rows than any document can have, before reading them."""
    from perfdesk.store.spec import schema_spec

    for table in schema_spec().tables:
        (count,) = conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()
        if count > table.max_rows:
            raise DocumentLimitError(
                f"文件中的“{table.label}”超过上限（最多 {table.max_rows} 条），超出 perfdesk 文档的范围，"
                "无法打开。", path)


def bounded(seconds: float) -> Bounded:
    return Bounded(seconds)


def too_big_where(conn: sqlite3.Connection, table) -> str:
    """Which field of ``table`` (a TableSpec) holds a value over the length limit: “单位信息的“单位名称””."""
    for column in table.columns:
        try:
            for _ in conn.execute(f'SELECT "{column.name}" FROM "{table.name}"'):
                pass
        except sqlite3.DataError:
            return f"{table.label}的“{column.label}”"
        except sqlite3.Error as exc:
            if "too big" in str(exc).lower():
                return f"{table.label}的“{column.label}”"
    return f"“{table.label}”"


def corrupt_from(exc: sqlite3.DatabaseError, bound: Bounded, path=None, where: str = ""):
    """The error to raise for a SQLite error while reading: too slow, or damaged."""
    if bound.expired:
        return bound.too_slow(path)
    if "too big" in str(exc).lower():
        where = where or "文件中"
        return DocumentLimitError(f"{where}有超长的数据（单个值超过 {MAX_VALUE_BYTES // 1024 // 1024} MB），"
                                  "超出 perfdesk 文档的范围，无法打开。", path)
    return DocumentCorruptError(f"文件已损坏或不完整（{_reason(exc)}），无法打开。"
                                "请改用之前的副本或自动备份。", path)


_SQLITE_REASONS = (
    ("malformed", "数据库结构已损坏"),
    ("not a database", "不是有效的数据库"),
    ("encrypted", "不是有效的数据库"),
    ("disk i/o", "读写错误"),
    ("no such table", "缺少必需的表"),
    ("no such column", "缺少必需的列"),
    ("interrupted", "读取被中止"),
)


def _reason(exc: Exception) -> str:
    """SQLite's message in Chinese, without anything the file could have put into it."""
    text = str(exc).lower()
    for needle, reason in _SQLITE_REASONS:
        if needle in text:
            return reason
    return "数据库错误"
