"""Open and save ``.pdesk`` documents (one SQLite file per document).

Opening treats the file as untrusted (``untrusted``): its size is capped, its bytes
are read once into an in-memory SQLite database with limits and a time budget,
so it never changes the file on disk (no journal, no lock, nothing written on a
read-only USB stick). The 100-byte header, the structure (plain tables with
exactly the expected columns), ``PRAGMA quick_check``, ``application_id`` and
``user_version`` are checked before a single row is read; older files are
migrated in memory (``migrations``); row counts are capped; then every value is
checked by its column's rule (``columns``) and the document is built.

Saving builds the complete new file in memory with the compiled statements of the
schema (``spec``), checks every value by the same rules, and writes it atomically
(``atomic``): the previous file survives any failure.

Both remember the state of the file they read or wrote (``disk``), so that a save
can tell whether the file was changed on disk in between.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict, namedtuple
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from perfdesk.model.document import (
    SOURCE_LABELS,
    Amounts,
    BudgetLine,
    Document,
    Evaluation,
    Evaluator,
    ExecutionLine,
    Goals,
    Indicator,
    ProjectInfo,
    TargetRow,
    UnitProfile,
)
from perfdesk.store import atomic, disk
from perfdesk.store import migrations as _migrations
from perfdesk.store.columns import FieldError, column_rule
from perfdesk.store.errors import (
    DocumentCorruptError,
    DocumentFileError,
    DocumentLimitError,
    DocumentNotFoundError,
    DocumentSaveError,
    DocumentTooNewError,
    DocumentUnreadableError,
    NotAPerfdeskFileError,
    os_reason,
)
from perfdesk.store.untrusted import (
    MAX_FILE_BYTES,
    SCHEMA_DIR,
    Bounded,
    check_row_counts,
    check_structure,
    corrupt_from,
    time_budget,
    too_big_where,
)

SCHEMA_VERSION = 2
APPLICATION_ID = int.from_bytes(b"PDSK", "big")  # 0x5044534B = 1346655051
MIGRATIONS = _migrations.MIGRATIONS  # the numbered steps (perfdesk.store.migrations)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
MAX_INDICATOR_DEPTH = 10  # forms have three levels; deeper trees are refused (and never recurse far)

# Python ≥ 3.11 can (de)serialize a database to bytes; 3.10 goes through the backup API.
HAVE_SERIALIZE = hasattr(sqlite3.Connection, "serialize") and hasattr(sqlite3.Connection, "deserialize")

UNIT_SLOT = 0  # evaluation.position of the unit evaluation

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_DIR", "SCHEMA_VERSION", "migrate", "open_document",
           "open_document_with_meta", "save_document", "save_database", "check_header"]


# --- opening ----------------------------------------------------------------------------------------

def open_document(path: str | os.PathLike, remember: bool = True) -> Document:
    """Read a ``.pdesk`` file. Raises a ``DocumentFileError`` subclass with a Chinese message.

    ``remember``: record the file's state for ``disk.changed_on_disk`` (the window's documents).
    """
    return open_document_with_meta(path, remember)[0]


def open_document_with_meta(path: str | os.PathLike, remember: bool = False) -> tuple[Document, dict[str, str]]:
    """The document and the ``meta`` table of the file (saved_at, generator, recovery.*)."""
    p = os.fspath(path)
    data, user_version, size, state = _read_file(p)
    bound = Bounded(time_budget(size))
    try:
        _load(bound, p, data, user_version)
        del data
        doc, meta = _read_checked(bound, p)
    finally:
        bound.close()
    if remember:
        disk.remember(p, state if state is not None else disk.read_state(p))
    return doc, meta


def _read_file(p: str) -> tuple[bytes | None, int, int, disk.DiskState | None]:
    """(the file's bytes — None without deserialize —, its user_version, its size, its state).

    The header is checked and the size capped before the rest is read: a large
    foreign file is not loaded.
    """
    try:
        with open(p, "rb") as f:
            st = os.fstat(f.fileno())
            size = st.st_size
            header = f.read(HEADER_SIZE)
            user_version = check_header(header, max(size, len(header)), p)
            if size > MAX_FILE_BYTES:
                raise DocumentLimitError(
                    f"文件过大（{size / 1024 / 1024:.1f} MB），超过 perfdesk 文档的上限 "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB，无法打开。", p)
            data = None
            if HAVE_SERIALIZE:
                data = header + f.read(MAX_FILE_BYTES + 1 - len(header))
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
    state = None
    if data is not None:
        if len(data) > MAX_FILE_BYTES:
            raise DocumentLimitError(f"文件过大，超过 perfdesk 文档的上限 {MAX_FILE_BYTES // 1024 // 1024} MB，"
                                     "无法打开。", p)
        if len(data) != size:
            user_version = check_header(header, len(data), p)  # changed while being read
        state = disk.DiskState(disk.digest_of(data), len(data), st.st_mtime)
    return data, user_version, size, state


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


def _corrupt(path, detail: str) -> DocumentCorruptError:
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


def _load(bound: Bounded, p: str, data: bytes | None, user_version: int) -> None:
    """Fill ``bound.conn`` with the checked file, migrated to the current schema version."""
    conn = bound.conn
    try:
        if data is not None:
            if data[18:20] != b"\x01\x01":  # WAL header: read it as a rollback-journal file
                data = data[:18] + b"\x01\x01" + data[20:]
            conn.deserialize(data)
        else:  # Python 3.10
            _backup_read_only(p, conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID or version != user_version:
            raise _corrupt(p, "文件头与数据库不一致")
        # The structure first: nothing the file declares is evaluated before it is known to be ours.
        check_structure(conn, version, SCHEMA_VERSION, p)
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise DocumentCorruptError("文件已损坏（完整性检查未通过），无法打开。请改用之前的副本或自动备份。", p)
        if version < SCHEMA_VERSION:
            migrate(conn, version, path=p,
                    after_step=lambda v: check_structure(conn, v, SCHEMA_VERSION, p))
        check_row_counts(conn, p)
    except sqlite3.DatabaseError as exc:
        raise corrupt_from(exc, bound, p) from exc


def migrate(conn: sqlite3.Connection, version: int, target: int | None = None, migrations=None,
            path: str | None = None, after_step=None) -> int:
    """Upgrade ``conn`` step by step from ``version`` to ``target`` (default SCHEMA_VERSION)."""
    target = SCHEMA_VERSION if target is None else target
    return _migrations.migrate(conn, version, target, migrations, path, after_step)


# --- reading rows -----------------------------------------------------------------------------------

_readers: dict[str, tuple] = {}


def _reader(table):
    """(row type, column rules) of one table of the spec (cached per process)."""
    cached = _readers.get(table.name)
    if cached is None or cached[0] is not table:
        row_type = namedtuple(f"{table.name}_row", table.column_names, rename=True)
        rules = tuple(column_rule(c.kind, c.nullable, table.label, c.label) for c in table.columns)
        cached = _readers[table.name] = (table, row_type, rules)
    return cached[1], cached[2]


def _rows(conn: sqlite3.Connection, table) -> list:
    """Every row of ``table``, each value checked by its column's rule (column by column)."""
    row_type, rules = _reader(table)
    raw = conn.execute(table.select).fetchall()
    if not raw:
        return []
    columns = [check(list(values)) for check, values in zip(rules, zip(*raw))]
    return list(map(row_type._make, zip(*columns)))


def _read_checked(bound: Bounded, path) -> tuple[Document, dict[str, str]]:
    from perfdesk.store.spec import schema_spec

    spec = schema_spec()
    table = None
    try:
        rows = {}
        for table in spec.tables:
            rows[table.name] = _rows(bound.conn, table)
        return build_document(rows), {r.key: r.value for r in rows["meta"]}
    except sqlite3.DatabaseError as exc:
        where = too_big_where(bound.conn, table) if "too big" in str(exc).lower() and table else ""
        raise corrupt_from(exc, bound, path, where) from exc
    except (FieldError, _Invalid) as exc:
        raise DocumentCorruptError(f"文件内容已损坏或无效（{exc}），无法打开。请改用之前的副本或自动备份。", path) from exc


class _Invalid(ValueError):
    """The rows are fine one by one but do not make a document (message without values)."""


def build_document(rows: dict[str, list]) -> Document:
    """The Document from checked rows of every table (see ``schema``)."""
    documents = rows["document"]
    if len(documents) != 1:
        raise _Invalid(f"应有 1 条单位记录，实际有 {len(documents)} 条")
    d = documents[0]
    doc = Document(
        unit=UnitProfile(d.unit_name, d.unit_code, d.unit_supervisor, d.unit_functions, d.unit_organisation,
                         d.unit_leader, d.unit_finance_leader, d.unit_preparer, d.unit_phone),
        year=d.year, final=d.final, rule_set=d.rule_set)

    evaluations: dict[int, Evaluation] = {}
    slots: dict[int, Evaluation] = {}
    for r in rows["evaluation"]:
        if r.position in slots or r.id in evaluations:
            raise _Invalid("自评表的顺序或编号重复")
        ev = Evaluation(
            kind=r.kind, name=r.name, template=r.template, layout=r.layout, rule_set=r.rule_set,
            execution_rounding=r.execution_rounding,
            execution=(ExecutionLine(r.execution_weight, r.execution_stated_rate, r.execution_stated_score)
                       if r.has_execution else None),
            goals=Goals(r.goals_expected, r.goals_achieved),
            project=ProjectInfo(r.project_supervisor, r.project_supervisor_code, r.project_implementer,
                                r.project_attribute, r.project_period, r.project_code),
            stated_total=r.stated_total, stated_grade=r.stated_grade,
        )
        evaluations[r.id] = slots[r.position] = ev
    if UNIT_SLOT not in slots:
        raise _Invalid("缺少部门整体表")
    doc.unit_evaluation = slots.pop(UNIT_SLOT)
    doc.projects = [slots[p] for p in sorted(slots)]

    def owner(eid: int, what: str) -> Evaluation:
        ev = evaluations.get(eid)
        if ev is None:
            raise _Invalid(f"{what}属于不存在的自评表")
        return ev

    for r in sorted(rows["budget_amounts"], key=lambda r: (r.evaluation_id, r.part, r.position, r.id)):
        budget = owner(r.evaluation_id, "预算资金").budget
        amounts = Amounts(r.initial_budget, r.annual_budget, r.spent)
        if r.part == "line":
            budget.project_lines.append(BudgetLine(r.name, amounts))
        elif r.part == "source":
            if r.key not in SOURCE_LABELS:
                raise _Invalid("预算资金的“资金来源”不是可识别的取值")
            budget.sources[r.key] = amounts
        else:
            setattr(budget, r.part, amounts)

    _build_indicators(rows["indicator"], evaluations)

    for r in sorted(rows["narrative"], key=lambda r: (r.evaluation_id, r.position, r.key)):
        owner(r.evaluation_id, "文字说明").narrative[r.key] = r.text
    for r in sorted(rows["target_row"], key=lambda r: (r.evaluation_id, r.position, r.id)):
        owner(r.evaluation_id, "绩效目标实现情况").target_rows.append(
            TargetRow(r.level1, r.level2, r.name, r.target, r.actual, r.stated_progress))
    for r in sorted(rows["evaluator"], key=lambda r: (r.evaluation_id, r.position, r.id)):
        owner(r.evaluation_id, "评价人员").evaluators.append(Evaluator(r.name, r.title, r.department, r.phone))
    return doc


def _build_indicators(rows: list, evaluations: dict[int, Evaluation]) -> None:
    nodes: dict[int, tuple[int, Indicator]] = {}
    siblings: dict[tuple[int, int | None], list[tuple[int, int, Indicator]]] = defaultdict(list)
    for r in rows:
        if r.evaluation_id not in evaluations:
            raise _Invalid("指标属于不存在的自评表")
        if r.id in nodes:
            raise _Invalid("指标编号重复")
        node = Indicator(
            name=r.name, weight=r.weight, target=r.target, actual=r.actual, method=r.method, tier=r.tier,
            score_override=r.score_override, rule_text=r.rule_text, deviation_note=r.deviation_note,
            comparison=r.comparison, unit=r.unit, initial_target=r.initial_target, adjust_reason=r.adjust_reason,
        )
        nodes[r.id] = (r.evaluation_id, node)
        siblings[(r.evaluation_id, r.parent_id)].append((r.position, r.id, node))
    children_of: dict[int, list[Indicator]] = {}
    for (eid, parent_id), group in siblings.items():
        group.sort(key=lambda item: (item[0], item[1]))
        children = [node for _, _, node in group]
        if parent_id is None:
            evaluations[eid].indicators = children
            continue
        if parent_id not in nodes or nodes[parent_id][0] != eid:
            raise _Invalid("指标的上级指标不存在")
        parent = nodes[parent_id][1]
        parent.children = children
        children_of[id(parent)] = children
        for child in children:
            child.parent = parent
    # Every node must hang under a root (nodes in a parent cycle are never reached), no deeper
    # than MAX_INDICATOR_DEPTH. Walked without recursion.
    reached = 0
    for ev in evaluations.values():
        level = [(node, 1) for node in ev.indicators]
        while level:
            node, depth = level.pop()
            reached += 1
            if depth > MAX_INDICATOR_DEPTH:
                raise _Invalid(f"指标层级超过 {MAX_INDICATOR_DEPTH} 级")
            level.extend((child, depth + 1) for child in node.children)
            if reached > len(nodes):
                raise _Invalid("指标层级关系无效")
    if reached != len(nodes):
        raise _Invalid("指标层级关系无效")


# --- saving -----------------------------------------------------------------------------------------

def save_document(doc: Document, path: str | os.PathLike) -> disk.DiskState | None:
    """Write ``doc`` to ``path`` atomically (the old file survives any failure); returns the new file's state."""
    return save_database(doc, path)


def save_database(doc: Document, path: str | os.PathLike, extra_meta: dict[str, str] | None = None,
                  remember: bool = True) -> disk.DiskState | None:
    target = Path(os.path.abspath(os.fspath(path)))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    existed = target.exists()
    unchanged = "原文件未被改动。" if existed else "文件没有保存。"
    if target.is_dir():
        raise DocumentSaveError("目标是一个文件夹。", target)
    if not target.parent.is_dir():
        raise DocumentSaveError("文件夹不存在（U 盘是否已拔出？）。", target)
    try:
        rows = document_rows(doc, extra_meta)
        check_rows(rows)
    except DocumentFileError:
        raise
    except FieldError as exc:
        raise DocumentSaveError(f"文档数据无效：{exc}。{unchanged}", target) from exc
    except (ValueError, TypeError, AttributeError, InvalidOperation) as exc:
        raise DocumentSaveError(f"文档数据无效（{type(exc).__name__}）。{unchanged}", target) from exc
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        _fill(conn, rows)
        if HAVE_SERIALIZE:
            data = conn.serialize()
            atomic.write_bytes_atomically(target, data)
            state = disk.DiskState(disk.digest_of(data), len(data), _mtime(target))
        else:  # Python 3.10
            atomic.write_atomically(target, lambda tmp, fd: _backup_into(conn, tmp, fd))
            state = disk.read_state(target)
    except OSError as exc:
        raise DocumentSaveError(f"{os_reason(exc)}。{unchanged}", target) from exc
    except sqlite3.Error as exc:
        raise DocumentSaveError(f"数据库错误。{unchanged}", target) from exc
    finally:
        conn.close()
    if remember:
        disk.remember(target, state)
        if os.fspath(path) != str(target):
            disk.remember(path, state)
    return state


def _mtime(path: Path) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _backup_into(conn: sqlite3.Connection, tmp: Path, fd: int) -> None:
    os.close(fd)
    dest = sqlite3.connect(tmp)
    try:
        dest.execute("PRAGMA trusted_schema = OFF")
        dest.execute("PRAGMA journal_mode = DELETE")
        conn.backup(dest)
    finally:
        dest.close()
    fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fill(conn: sqlite3.Connection, rows: dict[str, list[dict]]) -> None:
    from perfdesk.store.spec import schema_spec

    spec = schema_spec()
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("BEGIN")
    for statement in spec.ddl():
        conn.execute(statement)
    for table in spec.tables:
        table_rows = rows.get(table.name)
        if table_rows:
            conn.executemany(table.insert, table_rows)
    conn.execute("COMMIT")


def check_rows(rows: dict[str, list[dict]]) -> None:
    """Every row has exactly its table's columns, every value keeps its column's rule, counts within caps."""
    from perfdesk.store.spec import schema_spec

    spec = schema_spec()
    if set(rows) != {t.name for t in spec.tables}:
        raise DocumentSaveError("程序内部错误：文件格式与程序不一致，没有保存。")
    for table in spec.tables:
        table_rows = rows[table.name]
        if len(table_rows) > table.max_rows:
            raise DocumentSaveError(f"文档超出 perfdesk 文档的上限：“{table.label}”最多 {table.max_rows} 条，"
                                    f"现有 {len(table_rows)} 条。没有保存。")
        if not table_rows:
            continue
        names = table.column_names
        if set(table_rows[0]) != set(names) or any(len(r) != len(names) for r in table_rows):
            raise DocumentSaveError("程序内部错误：文件格式与程序不一致，没有保存。")
        _, rules = _reader(table)
        for name, check in zip(names, rules):
            check([row[name] for row in table_rows])


def _amount(value, table: str, field: str) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == int(value):
            return int(value)
        raise FieldError(table, field, "不是整数分")
    return value


def _text(value) -> str:
    return "" if value is None else str(value)


def _dec(value) -> str | None:
    """The stored text of a weight, score or rate (checked by the column's rule afterwards)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return str(value)


def _value(enum_value) -> str:
    return getattr(enum_value, "value", enum_value)


_AMOUNT_LABELS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "spent": "全年执行数"}


def document_rows(doc: Document, extra_meta: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """The rows of every table for ``doc``: plain dicts keyed by column, values as stored."""
    from perfdesk import __version__

    meta = {"generator": f"perfdesk {__version__}",
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    meta.update(extra_meta or {})
    u = doc.unit
    year = doc.year or 0
    out: dict[str, list[dict]] = {
        "meta": [{"key": k, "value": str(v)} for k, v in meta.items()],
        "document": [{
            "id": 1, "year": year if type(year) is int else int(year), "final": bool(doc.final),
            "unit_name": _text(u.name), "unit_code": _text(u.code), "unit_supervisor": _text(u.supervisor),
            "unit_functions": _text(u.functions), "unit_organisation": _text(u.organisation),
            "unit_leader": _text(u.leader), "unit_finance_leader": _text(u.finance_leader),
            "unit_preparer": _text(u.preparer), "unit_phone": _text(u.phone),
            "rule_set": _text(doc.rule_set),
        }],
        "evaluation": [], "budget_amounts": [], "indicator": [], "narrative": [],
        "target_row": [], "evaluator": [],
    }
    evaluations, amounts, indicators = out["evaluation"], out["budget_amounts"], out["indicator"]
    next_indicator = 1
    ids = {"budget_amounts": 0, "target_row": 0, "evaluator": 0}

    def next_id(table: str) -> int:
        ids[table] += 1
        return ids[table]

    for position, ev in enumerate(doc.evaluations()):
        eid = position + 1
        line = ev.execution
        p = ev.project
        evaluations.append({
            "id": eid, "position": position, "kind": _value(ev.kind),
            "name": _text(ev.name), "template": _text(ev.template), "layout": _text(ev.layout),
            "rule_set": _text(ev.rule_set),
            "execution_rounding": _text(ev.execution_rounding), "has_execution": line is not None,
            "execution_weight": _dec(line.weight) if line else None,
            "execution_stated_rate": _dec(line.stated_rate) if line else None,
            "execution_stated_score": _dec(line.stated_score) if line else None,
            "goals_expected": _text(ev.goals.expected), "goals_achieved": _text(ev.goals.achieved),
            "project_supervisor": _text(p.supervisor), "project_supervisor_code": _text(p.supervisor_code),
            "project_implementer": _text(p.implementer), "project_attribute": _text(p.attribute),
            "project_period": _text(p.period), "project_code": _text(p.code),
            "stated_total": _dec(ev.stated_total),
            "stated_grade": None if ev.stated_grade is None else str(ev.stated_grade),
        })
        b = ev.budget

        def add_amounts(part, pos, a: Amounts, key="", name=""):
            row = {"id": next_id("budget_amounts"), "evaluation_id": eid, "part": part, "position": pos,
                   "key": key, "name": name}
            for column, label in _AMOUNT_LABELS.items():
                row[column] = _amount(getattr(a, column), "预算资金", label)
            amounts.append(row)

        add_amounts("total", 0, b.total)
        add_amounts("basic", 0, b.basic)
        add_amounts("project", 0, b.project)
        for i, bl in enumerate(b.project_lines):
            add_amounts("line", i, bl.amounts, name=_text(bl.name))
        for i, (key, a) in enumerate(b.sources.items()):
            add_amounts("source", i, a, key=_text(key))

        stack: list[tuple[int | None, int, int, Indicator]] = [
            (None, i, 1, node) for i, node in reversed(list(enumerate(ev.indicators)))]
        while stack:  # pre-order: a parent's id is smaller than its children's
            parent_id, pos, depth, node = stack.pop()
            if depth > MAX_INDICATOR_DEPTH:
                raise FieldError("指标", "层级", f"超过 {MAX_INDICATOR_DEPTH} 级的上限")
            iid = next_indicator
            next_indicator += 1
            indicators.append({
                "id": iid, "evaluation_id": eid, "parent_id": parent_id, "position": pos,
                "name": _text(node.name), "weight": _dec(node.weight), "target": _text(node.target),
                "comparison": _text(node.comparison), "unit": _text(node.unit),
                "initial_target": _text(node.initial_target), "adjust_reason": _text(node.adjust_reason),
                "actual": _text(node.actual), "method": _value(node.method),
                "tier": None if node.tier is None else _value(node.tier),
                "score_override": _dec(node.score_override), "rule_text": _text(node.rule_text),
                "deviation_note": _text(node.deviation_note),
            })
            stack.extend((iid, i, depth + 1, child) for i, child in reversed(list(enumerate(node.children))))

        out["narrative"].extend(
            {"evaluation_id": eid, "key": _text(k), "position": i, "text": _text(v)}
            for i, (k, v) in enumerate(ev.narrative.items()))
        out["target_row"].extend(
            {"id": next_id("target_row"), "evaluation_id": eid, "position": i, "level1": _text(r.level1),
             "level2": _text(r.level2), "name": _text(r.name), "target": _text(r.target),
             "actual": _text(r.actual), "stated_progress": _dec(r.stated_progress)}
            for i, r in enumerate(ev.target_rows))
        out["evaluator"].extend(
            {"id": next_id("evaluator"), "evaluation_id": eid, "position": i, "name": _text(e.name),
             "title": _text(e.title),
             "department": _text(e.department), "phone": _text(e.phone)}
            for i, e in enumerate(ev.evaluators))
    return out
