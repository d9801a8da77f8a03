"""Switching a document's 评价规则 rescores it live in the window (pytest-qt).

The window's own 单位信息 → 评价规则 combo is the lead's; this applies the same
Qt-free operation (``perfdesk.ops.rule_sets.SetRuleSet``) through the session's one
path of every change (``session.apply``), as that combo will, and looks at the
cells, the status line and the 审核 list; undo puts everything back.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from perfdesk import templates
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import Amounts, Tier
from perfdesk.ops import OpError
from perfdesk.ops.rule_sets import SetRuleSet
from perfdesk.ui import dialogs
from perfdesk.ui.indicator_model import COL_SCORE


@pytest.fixture
def window(qtbot, qapp, monkeypatch, tmp_path):
    from perfdesk.ui.main_window import MainWindow

    monkeypatch.setenv("PERFDESK_DATA_DIR", str(tmp_path / "data"))
    QCoreApplication.setOrganizationName("perfdesk-tests")
    QCoreApplication.setApplicationName("perfdesk-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    for kind in ("error", "warning", "information"):
        monkeypatch.setattr(dialogs, kind, lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: False)
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a, **k: "discard")
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a, **k: "")
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a, **k: "")

    doc = templates.new_document("unit-mof", 2024, "某单位")
    ev = doc.unit_evaluation
    ev.budget.total = Amounts(parse_wan("100"), parse_wan("100"), parse_wan("90"))
    social = next(n for n in ev.leaves() if n.name == "（社会效益指标）")
    social.tier, social.actual = Tier.NOT_ACHIEVED, "未达成"
    w = MainWindow(doc, None, None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w, social
    w.shutdown()


def test_switching_to_hubei_rescores_the_window_live(window, qtbot):
    w, social = window
    session = w.session
    model = w.current_editor().indicators.model
    cell = model.index_of(social, COL_SCORE)
    assert cell.data() == "8.85"  # 财政部: 未达成 just under 60% of 15
    assert "等级" in w.status_current.text()
    before = w.status_current.text()
    codes = {f.code for f in session.findings(session.doc.unit_evaluation)}
    assert "execution_weight_mismatch" not in codes

    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        session.apply(SetRuleSet("hubei"))
    assert cell.data() == "7.35"  # 湖北: 未达成 just under 50% of 15
    after = w.status_current.text()
    assert after != before and "提示" in after
    codes = {f.code for f in session.findings(session.doc.unit_evaluation)}
    assert "execution_weight_mismatch" in codes  # 湖北 puts 20 points on the execution line
    assert any(f.code == "execution_weight_mismatch" for f in w.findings_model._findings)
    assert session.score(session.doc.unit_evaluation).rules.id == "hubei"

    w.actions_by_name["undo"].trigger()
    assert cell.data() == "8.85"
    assert w.status_current.text() == before
    assert session.doc.rule_set == ""
    w.actions_by_name["redo"].trigger()
    assert cell.data() == "7.35"


def test_an_unknown_rule_set_is_refused_and_changes_nothing(window):
    w, social = window
    with pytest.raises(OpError, match="找不到评价规则“atlantis”"):
        w.session.apply(SetRuleSet("atlantis"))
    assert w.session.doc.rule_set == "" and w.session.undo_stack.count() == 0
