"""Issue 10, case 5: messages that copied the bad value.

A 10 MB blob in a name gave a 40-million-character message box (58 s, 1.75 GB); error
texts used ``{value!r}``. Messages now name the field and never carry the value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hostile_helpers import ROOT, assert_bounded, assert_refused, tamper, write_document

BIG_VALUES = {
    "blob_10mb": ("UPDATE document SET unit_name = zeroblob(10 * 1024 * 1024)", "单位名称"),
    "text_10m_chars": ("UPDATE document SET unit_name = printf('%.*c', 10000000, 'x')", "单位名称"),
    "text_2m_chars_indicator": ("UPDATE indicator SET name = printf('%.*c', 2000000, 'y')", "指标名称"),
    "blob_in_weight": ("UPDATE indicator SET weight = randomblob(1000000)", "分值"),
}


@pytest.mark.parametrize("case", list(BIG_VALUES))
def test_a_huge_value_gives_a_short_message_naming_the_field(perfdesk, tmp_path, case):
    statement, field = BIG_VALUES[case]
    path = tamper(write_document(tmp_path / "名.pdesk"), statement)
    run = perfdesk("check", path)
    assert_refused(run, field)
    assert "xxxxxxxx" not in run.stderr and "yyyyyyyy" not in run.stderr


def test_the_window_shows_a_short_message_quickly(script, tmp_path):
    path = tamper(write_document(tmp_path / "名.pdesk"), BIG_VALUES["blob_10mb"][0])
    run = script("""
        from perfdesk.ui.app import create_application
        from perfdesk.ui import dialogs
        from perfdesk.ui.document_controller import open_locked
        app = create_application()
        shown = []
        dialogs.error = lambda parent, message, title=None: shown.append(message)
        assert open_locked(sys.argv[1]) is None
        print(json.dumps({"shown": shown}, ensure_ascii=False))
    """, path)
    assert_bounded(run)
    (message,) = run.json()["shown"]
    assert len(message) < 400 and "单位名称" in message


def test_no_error_text_formats_a_value_with_repr():
    """``{value!r}`` in a Chinese message would copy whatever the file held."""
    offenders = []
    files = list((ROOT / "perfdesk" / "store").glob("*.py")) + [ROOT / "perfdesk" / "cli.py",
                                                                 ROOT / "perfdesk" / "exchange" / "xlsx_import.py"]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "!r}" in line and re.search(r"[\u4e00-\u9fff]", line):
                offenders.append(f"{Path(path).name}:{number}: {line.strip()}")
    assert offenders == []
