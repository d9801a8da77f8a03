"""Issue 10, case 1: memory and time bombs inside a .pdesk (generated columns, views, recursive CTEs).

Each file is a real perfdesk document changed with SQLite itself, as an attacker would;
opening it (command line and window) must refuse it quickly, within memory, naming why.
"""

from __future__ import annotations

import pytest

from hostile_helpers import assert_bounded, assert_refused, tamper, write_document

UNIT_COLUMNS = ("id, year, final, unit_name, unit_code, unit_supervisor, unit_functions, unit_organisation, "
                "unit_leader, unit_finance_leader, unit_preparer, unit_phone")


def _replace_document_table(path, create: str):
    return tamper(path, f"""
        CREATE TABLE document_old AS SELECT * FROM document;
        DROP TABLE document;
        {create};
        DROP TABLE document_old;
    """)


BOMBS = {
    # an 80 KB file whose document table computes a 1 GB blob (was: 24 GB, OOM killer)
    "generated_zeroblob_extra_column": lambda p: tamper(
        p, "ALTER TABLE document ADD COLUMN bomb BLOB GENERATED ALWAYS AS (zeroblob(999999999)) VIRTUAL"),
    "generated_zeroblob_as_unit_name": lambda p: _replace_document_table(p, """
        CREATE TABLE document (id INTEGER NOT NULL, year INTEGER NOT NULL, final BOOLEAN NOT NULL,
            unit_name TEXT GENERATED ALWAYS AS (zeroblob(999999999)) VIRTUAL,
            unit_code TEXT NOT NULL, unit_supervisor TEXT NOT NULL, unit_functions TEXT NOT NULL,
            unit_organisation TEXT NOT NULL, unit_leader TEXT NOT NULL, unit_finance_leader TEXT NOT NULL,
            unit_preparer TEXT NOT NULL, unit_phone TEXT NOT NULL, PRIMARY KEY (id));
        INSERT INTO document (id, year, final, unit_code, unit_supervisor, unit_functions, unit_organisation,
            unit_leader, unit_finance_leader, unit_preparer, unit_phone)
            VALUES (1, 2024, 0, '', '', '', '', '', '', '', '')"""),
    # a view that formats a 900 MB string (was: 3.5 GB)
    "printf_view": lambda p: tamper(p, f"""
        DROP TABLE document;
        CREATE VIEW document ({UNIT_COLUMNS}) AS SELECT 1, 2024, 0, printf('%.*c', 900000000, 'x'),
            '', '', '', '', '', '', '', '';"""),
    # document replaced by a view over a recursive CTE that never ends (was: hung at 100% CPU)
    "recursive_cte_view": lambda p: tamper(p, f"""
        DROP TABLE document;
        CREATE VIEW document ({UNIT_COLUMNS}) AS
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT 1, 2024, 0, 'x', '', '', '', '', '', '', '', '' FROM c WHERE x < 0;"""),
    # the same tricks in other places SQLite evaluates: a CHECK constraint, a trigger, an expression index
    "check_constraint": lambda p: _replace_document_table(p, """
        CREATE TABLE document (id INTEGER NOT NULL, year INTEGER NOT NULL, final BOOLEAN NOT NULL,
            unit_name TEXT NOT NULL CHECK (length(zeroblob(999999999)) > 0),
            unit_code TEXT NOT NULL, unit_supervisor TEXT NOT NULL, unit_functions TEXT NOT NULL,
            unit_organisation TEXT NOT NULL, unit_leader TEXT NOT NULL, unit_finance_leader TEXT NOT NULL,
            unit_preparer TEXT NOT NULL, unit_phone TEXT NOT NULL, PRIMARY KEY (id))"""),
    "trigger": lambda p: tamper(p, """
        CREATE TRIGGER t AFTER UPDATE ON document BEGIN SELECT zeroblob(999999999); END;"""),
    "expression_index": lambda p: tamper(p, """
        CREATE INDEX ix_bomb ON indicator (length(printf('%.*c', 900000000, name)))"""),
    "extra_table": lambda p: tamper(p, "CREATE TABLE notes (x)"),
}

WORDS = {
    "printf_view": "视图", "recursive_cte_view": "视图", "trigger": "触发器",
    "generated_zeroblob_extra_column": "单位信息", "generated_zeroblob_as_unit_name": "单位信息",
    "check_constraint": "单位信息", "expression_index": "指标", "extra_table": "文件结构不符",
}


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_bomb_is_refused_by_the_command_line(perfdesk, tmp_path, bomb):
    path = write_document(tmp_path / "炸弹.pdesk")
    BOMBS[bomb](path)
    before = path.read_bytes()
    run = perfdesk("check", path, "--json")
    assert_refused(run, "文件结构不符", WORDS[bomb])
    assert run.stdout == ""
    assert path.read_bytes() == before


@pytest.mark.parametrize("bomb", ["generated_zeroblob_extra_column", "printf_view", "recursive_cte_view"])
def test_bomb_is_refused_by_the_window(script, tmp_path, bomb):
    """The window's open path (lock, leftovers, read) refuses it with a message, and does not hang."""
    path = write_document(tmp_path / "炸弹.pdesk")
    BOMBS[bomb](path)
    run = script("""
        from perfdesk.ui.app import create_application
        from perfdesk.ui import dialogs
        from perfdesk.ui.document_controller import open_locked
        app = create_application()
        shown = []
        dialogs.error = lambda parent, message, title=None: shown.append(message)
        result = open_locked(sys.argv[1])
        print(json.dumps({"result": result is None, "shown": shown}, ensure_ascii=False))
    """, path)
    assert_bounded(run)
    assert run.code == 0, run.stderr
    verdict = run.json()
    assert verdict["result"] and len(verdict["shown"]) == 1
    assert "文件结构不符" in verdict["shown"][0] and len(verdict["shown"][0]) < 500


def test_sqlite_limits_and_time_budget_stop_any_statement(script):
    """Whatever a file could make SQLite compute is stopped: values longer than 8 MB, statements past the budget.

    (One SQL function call cannot be interrupted — printf('%.*c', 900000000, 'x') runs ~4 s
    before giving NULL — which is why nothing from the file is evaluated before its
    structure is checked; these limits are the second line.)
    """
    run = script("""
        from perfdesk.store.untrusted import Bounded
        import sqlite3
        out = {}
        bound = Bounded(1.0)
        try:
            bound.conn.execute("SELECT zeroblob(999999999)").fetchall()
        except sqlite3.DataError as exc:
            out["blob"] = "too big" in str(exc)
        except sqlite3.Error as exc:
            out["blob"] = "too big" in str(exc)
        try:  # SQLite gives NULL (or an error) instead of a string over the limit, without the memory
            out["printf"] = bound.conn.execute("SELECT printf('%.*c', 50000000, 'x')").fetchone()[0] is None
        except sqlite3.Error as exc:
            out["printf"] = "too big" in str(exc)
        bound = Bounded(1.0)
        start = time.monotonic()
        try:
            bound.conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                               "SELECT count(*) FROM c").fetchall()
        except sqlite3.OperationalError:
            out["stopped_after"] = time.monotonic() - start
        out["expired"] = bound.expired
        out["message"] = str(bound.too_slow())
        print(json.dumps(out, ensure_ascii=False))
    """)
    assert_bounded(run)
    verdict = run.json()
    assert verdict["blob"] and verdict["printf"]
    assert verdict["expired"] and 0.5 < verdict["stopped_after"] < 2.5
    assert "秒" in verdict["message"]


def test_oversized_file_is_refused_without_reading_it(perfdesk, tmp_path):
    path = write_document(tmp_path / "大.pdesk")
    with open(path, "r+b") as f:
        f.truncate(40 * 1024 * 1024)  # whole pages: looks like a 40 MB document
    small = perfdesk("check", write_document(tmp_path / "小.pdesk"))  # the program's own footprint
    run = perfdesk("check", path)
    assert_refused(run, "文件过大", "32 MB")
    assert run.peak_mb < small.peak_mb + 20, (run.peak_mb, small.peak_mb)  # the 40 MB were never loaded


def test_more_rows_than_any_document_has_are_refused_before_reading(perfdesk, tmp_path):
    path = write_document(tmp_path / "多.pdesk")
    tamper(path, """
        WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 60100)
        INSERT INTO indicator (id, evaluation_id, parent_id, position, name, weight, target, comparison, unit,
                               initial_target, adjust_reason, actual, method, tier, score_override, rule_text,
                               deviation_note)
        SELECT i, 1, NULL, i, '', NULL, '', '', '', '', '', '', 'manual', NULL, NULL, '', '' FROM n;""")
    run = perfdesk("check", path)
    assert_refused(run, "“指标”超过上限", "50000")
