"""The file format as plain data, compiled from the SQLAlchemy Core tables and cached.

``schema`` (SQLAlchemy Core) is the only place the format is written. Opening a
document happens at start-up (aim: window shown within 1.5 s), and importing SQLAlchemy
is the most expensive thing opening could do: ``import sqlalchemy`` measured 0.19–0.28 s
on the 2-core development machine (0.23–0.24 s inside the running window; 0.5–0.56 s
when that machine was loaded), i.e. +50 % on a 0.45 s start-up, and more on an old
office PC — while the compile itself takes ~5 ms. Importing ``sqlalchemy.sql`` alone
is not possible (the package imports its engine first). So the tables are compiled
once — CREATE, SELECT and INSERT
statements by SQLAlchemy's SQLite dialect, and each column's name, kind and label —
into a ``SchemaSpec`` that is kept in the per-user cache folder, keyed by a hash of
``schema.py`` itself (plus perfdesk's version and SCHEMA_VERSION). Any edit of the
tables changes the key; a cache that is missing, unreadable, malformed or keyed
differently is simply rebuilt (which imports SQLAlchemy once). Like a ``.pyc``
file, the cache is derived and never edited.

Opening and saving both run the compiled statements on ``sqlite3`` directly.
A stale or damaged cache cannot lose data silently: the reader asks for columns
by name and the writer checks that each row has exactly the spec's columns.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from perfdesk.store.columns import is_known_kind

CACHE_PREFIX = "file-format-"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    label: str       # Chinese, for messages
    kind: str        # see perfdesk.store.columns
    nullable: bool


@dataclass(frozen=True)
class TableSpec:
    name: str
    label: str
    max_rows: int
    create: str
    indexes: tuple[str, ...]
    select: str
    insert: str
    columns: tuple[ColumnSpec, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class SchemaSpec:
    version: int
    tables: tuple[TableSpec, ...]   # parents before children

    def table(self, name: str) -> TableSpec:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def ddl(self) -> list[str]:
        return [t.create for t in self.tables] + [ix for t in self.tables for ix in t.indexes]


def from_data(data) -> SchemaSpec:
    """Build (and check the shape of) a spec from ``schema.compile_spec()``'s data."""
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise ValueError("spec")
    tables = []
    for t in data.get("tables") or []:
        columns = tuple(ColumnSpec(str(c["name"]), str(c["label"]), str(c["kind"]), bool(c["nullable"]))
                        for c in t["columns"])
        if not columns or not all(is_known_kind(c.kind) for c in columns):
            raise ValueError("spec column")
        for key in ("name", "label", "create", "select", "insert"):
            if not isinstance(t.get(key), str) or not t[key]:
                raise ValueError(f"spec {key}")
        if not isinstance(t.get("max_rows"), int) or not all(isinstance(i, str) for i in t.get("indexes", ())):
            raise ValueError("spec table")
        tables.append(TableSpec(t["name"], t["label"], t["max_rows"], t["create"], tuple(t["indexes"]),
                                t["select"], t["insert"], columns))
    if not tables:
        raise ValueError("spec tables")
    return SchemaSpec(data["version"], tuple(tables))


def schema_key() -> str:
    """What the compiled spec depends on: the text of schema.py (or, frozen, the program build)."""
    from perfdesk import __version__
    from perfdesk.store.document_file import SCHEMA_VERSION

    h = hashlib.blake2b(digest_size=12)
    source = Path(__file__).with_name("schema.py")
    try:
        h.update(source.read_bytes())
    except OSError:  # a frozen build ships no sources: key on the program file instead
        try:
            st = os.stat(sys.executable)
            h.update(f"frozen:{sys.executable}:{st.st_size}:{st.st_mtime_ns}".encode("utf-8", "replace"))
        except OSError:
            h.update(b"frozen:" + os.urandom(8))  # never reuse a cache we cannot key
    h.update(f"|{__version__}|{SCHEMA_VERSION}|{sys.version_info[0]}.{sys.version_info[1]}".encode())
    return h.hexdigest()


_SPEC: SchemaSpec | None = None
compiled_in_process = False  # whether this process had to import SQLAlchemy to compile (tests, benchmarks)


def schema_spec() -> SchemaSpec:
    """The compiled file format (from memory, the cache folder, or compiled now)."""
    global _SPEC, compiled_in_process
    if _SPEC is not None:
        return _SPEC
    key = schema_key()
    from perfdesk.store.paths import cache_dir

    path = cache_dir() / f"{CACHE_PREFIX}{key}.json"
    spec = _load_cache(path, key)
    if spec is None:
        from perfdesk.store.schema import compile_spec

        data = compile_spec()
        spec = from_data(data)
        compiled_in_process = True
        _write_cache(path, key, data)
    _SPEC = spec
    return spec


def _load_cache(path: Path, key: str) -> SchemaSpec | None:
    try:
        with open(path, "rb") as f:
            raw = f.read(1 << 20)
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return from_data(data.get("spec"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(path: Path, key: str, data: dict) -> None:
    """Best effort: a read-only or full data folder only costs the compile at the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{CACHE_PREFIX}*.json"):
            if old != path:
                try:
                    old.unlink()
                except OSError:
                    pass
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        tmp.write_text(json.dumps({"key": key, "spec": data}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass


def reset_for_tests() -> None:
    """Forget the in-memory spec (tests of the cache)."""
    global _SPEC, compiled_in_process
    _SPEC = None
    compiled_in_process = False
