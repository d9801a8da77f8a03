"""Open and save ``.pdesk`` documents (one SQLite file per document).

Opening reads the file's bytes once and works on an in-memory copy, so it never
changes the file on disk (no journal, no lock, nothing written on a read-only USB
stick); it checks the header, ``application_id``, ``user_version`` and
``PRAGMA quick_check`` before reading a single row, and migrates older files in
memory. Reading uses the ``sqlite3`` module directly so that opening a file at
start-up does not pay for importing SQLAlchemy.

Saving builds the complete new file in memory with the SQLAlchemy tables of
``schema`` (bulk inserts), writes it to a temporary file in the target's folder,
flushes and fsyncs it, closes it and ``os.replace``s it onto the target, then
fsyncs the folder. Whatever fails, the previous file stays as it was and the
temporary file is removed.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import time
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from perfdesk.model.document import (
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    EvaluationKind,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    Method,
    ProjectInfo,
    TargetRow,
    Tier,
    UnitProfile,
)
from perfdesk.model.layouts import is_known as is_known_layout
from perfdesk.store.errors import (
    DocumentCorruptError,
    DocumentFileError,
    DocumentNotFoundError,
    DocumentSaveError,
    DocumentTooNewError,
    DocumentUnreadableError,
    NotAPerfdeskFileError,
    os_reason,
)

SCHEMA_VERSION = 1
APPLICATION_ID = int.from_bytes(b"PDSK", "big")  # 0x5044534B = 1346655051

# MIGRATIONS[n] upgrades an open connection from schema n to n + 1 (in memory; the
# runner sets user_version). Add one with every new schemas/v<n+1>.sql.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1

# Python ≥ 3.11 can (de)serialize a database to bytes; 3.10 goes through the backup API.
HAVE_SERIALIZE = hasattr(sqlite3.Connection, "serialize") and hasattr(sqlite3.Connection, "deserialize")

_O_BINARY = getattr(os, "O_BINARY", 0)
_WRITE_CHUNK = 1 << 20

UNIT_SLOT = 0  # evaluation.position of the unit evaluation


# --- opening ----------------------------------------------------------------------------------------

def open_document(path: str | os.PathLike) -> Document:
    """Read a ``.pdesk`` file. Raises a ``DocumentFileError`` subclass with a Chinese message."""
    conn = load_database(path)
    try:
        return read_document(conn, path)
    finally:
        conn.close()


def load_database(path: str | os.PathLike) -> sqlite3.Connection:
    """A checked in-memory copy of the file at the current schema version."""
    p = os.fspath(path)
    data, user_version = _read_file(p)
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        try:
            if HAVE_SERIALIZE:
                if data[18:20] != b"\x01\x01":  # WAL header: read it as a rollback-journal file
                    data = data[:18] + b"\x01\x01" + data[20:]
                conn.deserialize(data)
            else:  # Python 3.10
                _backup_read_only(p, conn)
            conn.execute("PRAGMA trusted_schema = OFF")
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                detail = "；".join(" ".join(str(r[0]).split()) for r in rows[:3])
                raise DocumentCorruptError(f"文件已损坏（完整性检查未通过：{detail}），无法打开。"
                                           "请改用之前的副本或自动备份。", p)
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _corrupt(p, exc) from exc
        if app_id != APPLICATION_ID or version != user_version:
            raise _corrupt(p, "文件头与数据库不一致")
        migrate(conn, version, path=p)
        return conn
    except BaseException:
        conn.close()
        raise


def _read_file(p: str) -> tuple[bytes, int]:
    """(the file's bytes — only its header without deserialize —, its user_version).

    The header is checked before the rest is read: a large foreign file is not loaded.
    """
    try:
        with open(p, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            header = f.read(HEADER_SIZE)
            user_version = check_header(header, max(size, len(header)), p)
            data = header + f.read() if HAVE_SERIALIZE else header
    except DocumentFileError:
        raise
    except FileNotFoundError as exc:
        raise DocumentNotFoundError("找不到文件（可能已被移动、改名或删除）", p) from exc
    except IsADirectoryError as exc:
        raise DocumentUnreadableError("这是一个文件夹，不是 perfdesk 文档", p) from exc
    except PermissionError as exc:
        if os.path.isdir(p):
            raise DocumentUnreadableError("这是一个文件夹，不是 perfdesk 文档", p) from exc
        raise DocumentUnreadableError("没有读取这个文件的权限", p) from exc
    except OSError as exc:
        raise DocumentUnreadableError(f"无法读取文件：{os_reason(exc)}", p) from exc
    if HAVE_SERIALIZE and len(data) != size:
        user_version = check_header(header, len(data), p)  # changed while being read
    return data, user_version


def check_header(header: bytes, size: int, path: str | None = None) -> int:
    """Check the 100-byte SQLite header; return the file's ``user_version``."""
    if size == 0:
        raise DocumentCorruptError("文件是空的（0 字节），可能在复制或保存时被中断，无法打开。", path)
    if not header.startswith(SQLITE_MAGIC):
        if _looks_like_text(header):
            raise NotAPerfdeskFileError("这是一个文本文件，不是 perfdesk 文档（.pdesk）。"
                                        "表格文本请用“导入”功能读入。", path)
        raise NotAPerfdeskFileError("这不是 perfdesk 文档（.pdesk），文件内容是其他格式。", path)
    if len(header) < HEADER_SIZE:
        raise _corrupt(path, f"文件只有 {size} 字节，不完整")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise NotAPerfdeskFileError("这是其他程序的 SQLite 数据库，不是 perfdesk 文档（.pdesk）。", path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise _corrupt(path, "文件头无效")
    if size % page_size:
        raise _corrupt(path, f"文件长度 {size} 字节不是完整的页，文件不完整")
    change_counter, pages, valid_for = (int.from_bytes(header[i:i + 4], "big") for i in (24, 28, 92))
    if pages and change_counter == valid_for and size < pages * page_size:
        raise _corrupt(path, f"文件应有 {pages * page_size} 字节，实际只有 {size} 字节，"
                             "可能在复制或保存时被中断")
    version = int.from_bytes(header[60:64], "big", signed=True)
    if version > SCHEMA_VERSION:
        raise DocumentTooNewError(
            f"此文件由更新版本的 perfdesk 创建（文件格式版本 {version}，本程序只支持到版本 "
            f"{SCHEMA_VERSION}），请升级 perfdesk 后再打开。为保护文件，本程序不会读取或修改它。",
            path, version, SCHEMA_VERSION)
    if version < 1:
        raise _corrupt(path, f"文件格式版本 {version} 无效")
    return version


def _looks_like_text(header: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = header.decode(encoding)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample
            try:
                text = header[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t\ufeff" for ch in text)
    return False


def _corrupt(path, detail) -> DocumentCorruptError:
    if isinstance(detail, sqlite3.DatabaseError):
        detail = f"数据库错误：{detail}"
    return DocumentCorruptError(f"文件已损坏或不完整（{detail}），无法打开。请改用之前的副本或自动备份。", path)


def _backup_read_only(p: str, conn: sqlite3.Connection) -> None:
    """Python 3.10: copy the file into ``conn`` through a read-only connection."""
    uri = Path(p).resolve().as_uri() + "?mode=ro"
    src = sqlite3.connect(uri, uri=True)
    try:
        src.execute("PRAGMA trusted_schema = OFF")
        src.backup(conn)
    finally:
        src.close()


def migrate(conn: sqlite3.Connection, version: int, target: int | None = None,
            migrations: dict[int, Callable[[sqlite3.Connection], None]] | None = None,
            path: str | None = None) -> int:
    """Upgrade ``conn`` step by step from ``version`` to ``target`` (default SCHEMA_VERSION)."""
    target = SCHEMA_VERSION if target is None else target
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
                f"把文件格式从版本 {version} 升级到版本 {version + 1} 时出错（{exc}），无法打开。", path) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        version += 1
    return version


def _str(value) -> str:
    if type(value) is not str:
        raise ValueError(f"文字字段的值无效：{value!r}")
    return value


def _int(value) -> int | None:
    if value is not None and type(value) is not int:
        raise ValueError(f"金额的值无效：{value!r}")
    return value


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    if type(value) is not str:
        raise ValueError(f"数值字段的值无效：{value!r}")
    return Decimal(value)


_METHODS = {m.value: m for m in Method}
_TIERS = {t.value: t for t in Tier}
_KINDS = {k.value: k for k in EvaluationKind}


def _enum(table: dict, value, what: str):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ValueError(f"未知的{what}“{value}”") from None


def read_document(conn: sqlite3.Connection, path=None) -> Document:
    """Build the Document from a checked connection at the current schema version."""
    try:
        return _read(conn)
    except DocumentFileError:
        raise
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path, exc) from exc
    except (ValueError, TypeError, KeyError, InvalidOperation, RecursionError) as exc:
        raise _corrupt(path, f"文件内容无效：{exc}") from exc


def _read(conn: sqlite3.Connection) -> Document:
    rows = conn.execute(
        "SELECT year, final, unit_name, unit_code, unit_supervisor, unit_functions, unit_organisation,"
        " unit_leader, unit_finance_leader, unit_preparer, unit_phone FROM document").fetchall()
    if len(rows) != 1:
        raise ValueError(f"应有 1 条单位记录，实际有 {len(rows)} 条")
    (year, final, *unit) = rows[0]
    if type(year) is not int or final not in (0, 1):
        raise ValueError("年度或定稿标记无效")
    doc = Document(unit=UnitProfile(*map(_str, unit)), year=year, final=bool(final))

    evaluations: dict[int, Evaluation] = {}
    slots: dict[int, Evaluation] = {}
    for row in conn.execute(
            "SELECT id, position, kind, name, template, layout, execution_rounding, has_execution,"
            " execution_weight, execution_stated_rate, execution_stated_score, goals_expected,"
            " goals_achieved, project_supervisor, project_supervisor_code, project_implementer,"
            " project_attribute, project_period, stated_total, stated_grade FROM evaluation"):
        (eid, position, kind, name, template, layout, rounding, has_execution, ex_weight, ex_rate,
         ex_score, expected, achieved, *project, stated_total, stated_grade) = row
        if type(position) is not int or position in slots:
            raise ValueError("表格顺序无效")
        if layout and not is_known_layout(_str(layout)):
            raise ValueError(f"表格使用了本程序不认识的表样“{_str(layout)[:40]}”")
        ev = Evaluation(
            kind=_enum(_KINDS, kind, "表格类型"), name=_str(name), template=_str(template),
            layout=_str(layout), execution_rounding=_str(rounding),
            execution=ExecutionLine(_dec(ex_weight), _dec(ex_rate), _dec(ex_score)) if has_execution else None,
            goals=Goals(_str(expected), _str(achieved)),
            project=ProjectInfo(*map(_str, project)),
            stated_total=_dec(stated_total),
            stated_grade=None if stated_grade is None else _str(stated_grade),
        )
        evaluations[eid] = slots[position] = ev
    if UNIT_SLOT not in slots:
        raise ValueError("缺少部门整体表")
    doc.unit_evaluation = slots.pop(UNIT_SLOT)
    doc.projects = [slots[p] for p in sorted(slots)]

    for eid, part, key, name, initial, annual, spent in conn.execute(
            "SELECT evaluation_id, part, key, name, initial_budget, annual_budget, spent"
            " FROM budget_amounts ORDER BY evaluation_id, part, position, id"):
        budget = evaluations[eid].budget
        amounts = Amounts(_int(initial), _int(annual), _int(spent))
        if part == "line":
            budget.project_lines.append(BudgetLine(_str(name), amounts))
        elif part == "source":
            budget.sources[_str(key)] = amounts
        elif part in ("total", "basic", "project"):
            setattr(budget, part, amounts)
        else:
            raise ValueError(f"未知的预算栏目“{part}”")

    _read_indicators(conn, evaluations)

    for eid, key, text in conn.execute(
            "SELECT evaluation_id, key, text FROM narrative ORDER BY evaluation_id, position, key"):
        evaluations[eid].narrative[_str(key)] = _str(text)
    for eid, level1, level2, name, target, actual, progress in conn.execute(
            "SELECT evaluation_id, level1, level2, name, target, actual, stated_progress"
            " FROM target_row ORDER BY evaluation_id, position, id"):
        evaluations[eid].target_rows.append(
            TargetRow(_str(level1), _str(level2), _str(name), _str(target), _str(actual), _dec(progress)))
    for eid, *fields in conn.execute(
            "SELECT evaluation_id, name, title, department, phone FROM evaluator"
            " ORDER BY evaluation_id, position, id"):
        evaluations[eid].evaluators.append(Evaluator(*map(_str, fields)))
    return doc


def _read_indicators(conn: sqlite3.Connection, evaluations: dict[int, Evaluation]) -> None:
    nodes: dict[int, tuple[int, Indicator]] = {}
    siblings: dict[tuple[int, int | None], list[tuple[int, int, Indicator]]] = defaultdict(list)
    for (iid, eid, parent_id, position, name, weight, target, actual, method, tier, override,
         rule_text, deviation_note) in conn.execute(
            "SELECT id, evaluation_id, parent_id, position, name, weight, target, actual, method, tier,"
            " score_override, rule_text, deviation_note FROM indicator"):
        if eid not in evaluations:
            raise ValueError("指标属于不存在的表格")
        node = Indicator(
            name=_str(name), weight=_dec(weight), target=_str(target), actual=_str(actual),
            method=_enum(_METHODS, method, "评分方法"),
            tier=None if tier is None else _enum(_TIERS, tier, "定性档次"),
            score_override=_dec(override), rule_text=_str(rule_text), deviation_note=_str(deviation_note),
        )
        nodes[iid] = (eid, node)
        siblings[(eid, parent_id)].append((position, iid, node))
    reached = 0
    for (eid, parent_id), group in siblings.items():
        group.sort(key=lambda item: (item[0], item[1]))
        children = [node for _, _, node in group]
        if parent_id is None:
            evaluations[eid].indicators = children
            reached += len(children)
            continue
        if parent_id not in nodes or nodes[parent_id][0] != eid:
            raise ValueError("指标的上级指标不存在")
        parent = nodes[parent_id][1]
        parent.children = children
        for child in children:
            child.parent = parent
    # Every node must hang under a root: nodes in a parent cycle are never reached.
    counted = sum(1 for ev in evaluations.values() for _ in ev.walk())
    if counted != len(nodes):
        raise ValueError("指标层级关系无效")


# --- saving -----------------------------------------------------------------------------------------

def save_document(doc: Document, path: str | os.PathLike) -> None:
    """Write ``doc`` to ``path`` atomically (the old file survives any failure)."""
    save_database(doc, path)


def save_database(doc: Document, path: str | os.PathLike, extra_meta: dict[str, str] | None = None) -> None:
    target = Path(os.path.abspath(os.fspath(path)))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise DocumentSaveError("无法保存：目标是一个文件夹。", target)
    if not target.parent.is_dir():
        raise DocumentSaveError("无法保存：文件夹不存在。", target)
    try:
        rows = document_rows(doc, extra_meta)
    except DocumentFileError:
        raise
    except (ValueError, TypeError, AttributeError, InvalidOperation) as exc:
        raise DocumentSaveError(f"无法保存：文档数据无效（{exc}）。原文件未被改动。", target) from exc
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError as exc:  # pragma: no cover - SQLAlchemy is a dependency
        raise DocumentSaveError("无法保存：缺少 SQLAlchemy 组件。", target) from exc
    try:
        with _engine().connect() as conn:
            _fill(conn, rows)
            raw = conn.connection.driver_connection
            _write_atomically(raw, target)
    except DocumentFileError:
        raise
    except OSError as exc:
        raise DocumentSaveError(f"保存失败：{os_reason(exc)}。原文件未被改动。", target) from exc
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise DocumentSaveError(f"保存失败（数据库错误：{exc}）。原文件未被改动。", target) from exc


_ENGINE = None


def _engine():
    """A SQLAlchemy engine whose every connection is a fresh, empty in-memory database."""
    global _ENGINE
    if _ENGINE is None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.pool import NullPool

        engine = create_engine(
            "sqlite://", poolclass=NullPool,
            creator=lambda: sqlite3.connect(":memory:", check_same_thread=False))

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA trusted_schema = OFF")
            dbapi_conn.execute("PRAGMA journal_mode = DELETE")

        _ENGINE = engine
    return _ENGINE


def _fill(conn, rows: dict[str, list[dict]]) -> None:
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from perfdesk.store import schema

    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    schema.metadata.create_all(conn)
    with Session(bind=conn) as session:
        for table in schema.TABLES:
            table_rows = rows.get(table.__tablename__)
            if table_rows:
                # render_nulls: every row binds every column, so a table is one executemany
                # (otherwise rows are batched by which of their values are None).
                session.execute(insert(table).execution_options(render_nulls=True), table_rows)
        session.commit()
    conn.commit()


def _check_amount(value, where: str) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        if isinstance(value, (int, Decimal)) and value == int(value):
            value = int(value)
        else:
            raise DocumentSaveError(f"无法保存：{where}的金额 {value!r} 不是整数分。")
    if not INT64_MIN <= value <= INT64_MAX:
        raise DocumentSaveError(f"无法保存：{where}的金额超出可保存的范围。")
    return value


def _text(value) -> str:
    return "" if value is None else str(value)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def document_rows(doc: Document, extra_meta: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """The rows of every table for ``doc`` (plain dicts for bulk inserts)."""
    from perfdesk import __version__

    meta = {"generator": f"perfdesk {__version__}",
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    meta.update(extra_meta or {})
    u = doc.unit
    out: dict[str, list[dict]] = {
        "meta": [{"key": k, "value": str(v)} for k, v in meta.items()],
        "document": [{
            "id": 1, "year": int(doc.year or 0), "final": bool(doc.final),
            "unit_name": _text(u.name), "unit_code": _text(u.code), "unit_supervisor": _text(u.supervisor),
            "unit_functions": _text(u.functions), "unit_organisation": _text(u.organisation),
            "unit_leader": _text(u.leader), "unit_finance_leader": _text(u.finance_leader),
            "unit_preparer": _text(u.preparer), "unit_phone": _text(u.phone),
        }],
        "evaluation": [], "budget_amounts": [], "indicator": [], "narrative": [],
        "target_row": [], "evaluator": [],
    }
    evaluations, amounts, indicators = out["evaluation"], out["budget_amounts"], out["indicator"]
    next_indicator = 1
    for position, ev in enumerate(doc.evaluations()):
        eid = position + 1
        line = ev.execution
        p = ev.project
        evaluations.append({
            "id": eid, "position": position, "kind": EvaluationKind(ev.kind).value,
            "name": _text(ev.name), "template": _text(ev.template), "layout": _text(ev.layout),
            "execution_rounding": _text(ev.execution_rounding), "has_execution": line is not None,
            "execution_weight": _decimal(line.weight) if line else None,
            "execution_stated_rate": _decimal(line.stated_rate) if line else None,
            "execution_stated_score": _decimal(line.stated_score) if line else None,
            "goals_expected": _text(ev.goals.expected), "goals_achieved": _text(ev.goals.achieved),
            "project_supervisor": _text(p.supervisor), "project_supervisor_code": _text(p.supervisor_code),
            "project_implementer": _text(p.implementer), "project_attribute": _text(p.attribute),
            "project_period": _text(p.period),
            "stated_total": _decimal(ev.stated_total),
            "stated_grade": None if ev.stated_grade is None else str(ev.stated_grade),
        })
        where = f"“{ev.name or '部门整体'}”"
        b = ev.budget

        def add_amounts(part, pos, a: Amounts, key="", name=""):
            amounts.append({
                "evaluation_id": eid, "part": part, "position": pos, "key": key, "name": name,
                "initial_budget": _check_amount(a.initial_budget, where),
                "annual_budget": _check_amount(a.annual_budget, where),
                "spent": _check_amount(a.spent, where),
            })

        add_amounts("total", 0, b.total)
        add_amounts("basic", 0, b.basic)
        add_amounts("project", 0, b.project)
        for i, bl in enumerate(b.project_lines):
            add_amounts("line", i, bl.amounts, name=_text(bl.name))
        for i, (key, a) in enumerate(b.sources.items()):
            add_amounts("source", i, a, key=_text(key))

        stack: list[tuple[int | None, int, Indicator]] = [
            (None, i, node) for i, node in reversed(list(enumerate(ev.indicators)))]
        while stack:  # pre-order: a parent's id is smaller than its children's
            parent_id, pos, node = stack.pop()
            iid = next_indicator
            next_indicator += 1
            indicators.append({
                "id": iid, "evaluation_id": eid, "parent_id": parent_id, "position": pos,
                "name": _text(node.name), "weight": _decimal(node.weight), "target": _text(node.target),
                "actual": _text(node.actual), "method": Method(node.method).value,
                "tier": None if node.tier is None else Tier(node.tier).value,
                "score_override": _decimal(node.score_override), "rule_text": _text(node.rule_text),
                "deviation_note": _text(node.deviation_note),
            })
            stack.extend((iid, i, child) for i, child in reversed(list(enumerate(node.children))))

        out["narrative"].extend(
            {"evaluation_id": eid, "key": _text(k), "position": i, "text": _text(v)}
            for i, (k, v) in enumerate(ev.narrative.items()))
        out["target_row"].extend(
            {"evaluation_id": eid, "position": i, "level1": _text(r.level1), "level2": _text(r.level2),
             "name": _text(r.name), "target": _text(r.target), "actual": _text(r.actual),
             "stated_progress": _decimal(r.stated_progress)}
            for i, r in enumerate(ev.target_rows))
        out["evaluator"].extend(
            {"evaluation_id": eid, "position": i, "name": _text(e.name), "title": _text(e.title),
             "department": _text(e.department), "phone": _text(e.phone)}
            for i, e in enumerate(ev.evaluators))
    return out


def _write_data(f, data: bytes) -> None:
    """Write the file image (in chunks; a test replaces this to fail half-way)."""
    view = memoryview(data)
    for start in range(0, len(view), _WRITE_CHUNK):
        f.write(view[start:start + _WRITE_CHUNK])


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def _write_atomically(raw: sqlite3.Connection, target: Path) -> None:
    tmp = _temp_path(target)
    replaced = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        if HAVE_SERIALIZE:
            with open(fd, "wb", closefd=True) as f:
                _write_data(f, raw.serialize())
                f.flush()
                os.fsync(f.fileno())
        else:  # Python 3.10
            os.close(fd)
            dest = sqlite3.connect(tmp)
            try:
                dest.execute("PRAGMA trusted_schema = OFF")
                dest.execute("PRAGMA journal_mode = DELETE")
                raw.backup(dest)
            finally:
                dest.close()
            fd = os.open(tmp, os.O_RDWR | _O_BINARY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _copy_mode(target, tmp)
        _replace(tmp, target)
        replaced = True
    finally:
        if not replaced:
            for leftover in (tmp, Path(str(tmp) + "-journal")):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
    fsync_directory(target.parent)


def _replace(tmp: Path, target: Path) -> None:
    """``os.replace``; on Windows retried briefly while a scanner or indexer holds the target open."""
    attempts = 10 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _copy_mode(target: Path, tmp: Path) -> None:
    """Keep the permissions of the file being replaced (FAT/NTFS may refuse: then keep defaults)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def fsync_directory(directory: Path) -> None:
    """Make a rename durable where the system allows it (not on Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The ``meta`` table of a loaded database."""
    return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}
