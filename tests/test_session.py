"""The session: one undo step per operation, undo/redo through the stack, the Qt models kept true."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from factories import jinzhong_document
from perfdesk import ops
from perfdesk.model import Indicator
from perfdesk.model.dump import dump, uids
from perfdesk.ui.session import DocumentSession
from test_ops import CASES, leaf


@pytest.fixture
def session(qtbot):
    """qtbot: an exception inside an undo command (called from Qt's C++) fails the test."""
    s = DocumentSession(jinzhong_document())
    yield s
    s.deleteLater()


def model_tree(model, parent=QModelIndex()) -> list:
    """The tree as the Qt model shows it: (name, children) for every row."""
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append((model.data(index), model_tree(model, index)))
    return out


def doc_tree(nodes) -> list:
    return [(n.name, doc_tree(n.children)) for n in nodes]


def models_agree(session: DocumentSession) -> None:
    """Every Qt model shows exactly the document's current structure and values."""
    doc = session.doc
    names = [session.evaluation_list_model().data(session.evaluation_list_model().index(r, 0))
             for r in range(session.evaluation_list_model().rowCount())]
    assert len(names) == len(doc.evaluations())
    assert [ev.uid for ev in session.evaluation_list_model().evaluations()] == [ev.uid for ev in doc.evaluations()]
    for ev in doc.evaluations():
        assert model_tree(session.indicator_model(ev)) == doc_tree(ev.indicators)
        # the value fields of every level-3 indicator as its row shows them (指标性质, 计量单位, 年初 …)
        from perfdesk.ui.indicator_model import COLUMN_FIELDS

        model = session.indicator_model(ev)
        for node in ev.leaves():
            for field in ("comparison", "unit", "initial_target", "adjust_reason", "target"):
                shown = model.index_of(node, COLUMN_FIELDS.index(field)).data(Qt.EditRole)
                assert shown == getattr(node, field), (node.name, field)
    # scores shown are the document's, freshly computed (no stale cache after any change)
    from perfdesk.scoring import format_score, score_evaluation

    shown = [session.evaluation_list_model().data(session.evaluation_list_model().index(r, 1))
             for r in range(len(names))]
    assert shown == [format_score(score_evaluation(ev).total) if ev.is_checked() else ""
                     for ev in doc.evaluations()]
    budget = session.budget_model(doc.unit_evaluation)
    lines = [budget.data(budget.index(r, 0)).strip() for r in range(budget.rowCount())
             if budget.row_info(r)[2] == "line"]
    assert lines == [line.name or "（未命名项目）" for line in doc.unit_evaluation.budget.project_lines]
    for ev in doc.projects:
        if ev.target_rows or ev.layout == "project-jinzhong":
            rows = session.target_rows_model(ev)
            assert rows.rowCount() == len(ev.target_rows)
            assert [rows.data(rows.index(r, 2)) for r in range(rows.rowCount())] == [t.name for t in ev.target_rows]


def _open_models(session):
    for ev in session.doc.evaluations():
        session.indicator_model(ev)
        session.budget_model(ev)
        session.target_rows_model(ev)
    session.evaluation_list_model()


@pytest.mark.parametrize("name,label,make,check", CASES, ids=[c[0] for c in CASES])
def test_every_operation_is_one_undo_step_and_the_models_follow(session, name, label, make, check):
    _open_models(session)
    before, before_uids = dump(session.doc), uids(session.doc)
    operation = make(session.doc)
    session.apply(operation)
    assert check(session.doc)
    stack = session.undo_stack
    assert stack.count() == 1 and stack.undoText() == label
    after = dump(session.doc)
    _open_models(session)  # models for evaluations the operation brought in
    models_agree(session)
    stack.undo()
    assert dump(session.doc) == before and uids(session.doc) == before_uids
    models_agree(session)
    stack.redo()
    assert dump(session.doc) == after
    assert check(session.doc)
    models_agree(session)


def test_an_unchanged_value_adds_no_undo_step(session):
    ev = session.doc.unit_evaluation
    node = leaf(ev, "参保人数")
    assert session.set_indicator_field(ev, node, "actual", "9万人") is False
    assert session.set_evaluation_field(ev, "budget.total.spent", "90") is False
    assert session.set_profile_field("year", "2023") is False
    assert session.undo_stack.count() == 0
    assert session.set_indicator_field(ev, node, "actual", "9.5万人") is True
    assert session.undo_stack.count() == 1


def test_rename_saved_and_modified(session):
    project = session.doc.projects[0]
    assert session.rename_project(project, " 项目乙 ") is True and project.name == "项目乙"
    assert session.rename_project(project, "项目乙") is False
    assert session.is_modified()
    session.mark_saved("/tmp/x.pdesk")
    assert session.path == "/tmp/x.pdesk" and not session.is_modified() and session.undo_stack.isClean()
    session.forced_dirty = True
    assert session.is_modified()
    session.mark_saved("/tmp/y.pdesk")
    assert not session.is_modified() and session.forced_dirty is False


def test_a_refusal_is_reported_and_leaves_no_undo_step(session):
    messages = []
    session.errorReported.connect(messages.append)
    before = dump(session.doc)
    ev = session.doc.unit_evaluation
    assert not session.try_apply(ops.SetIndicatorField(ev.uid, leaf(ev, "参保人数").uid, "weight", "四十"))
    assert messages and "数" in messages[0]
    with pytest.raises(ops.OpError):
        session.apply(ops.outdent(session.doc, ev.uid, ev.indicators[0].uid))
    assert session.undo_stack.count() == 0 and dump(session.doc) == before


def test_scores_and_findings_follow_every_step_undo_included(session):
    ev = session.doc.unit_evaluation
    node = leaf(ev, "参保人数")
    total = session.score(ev).total
    session.set_indicator_field(ev, node, "actual", "10万人")  # 9 → 10 of 10: full marks
    assert session.score(ev).total == total + Decimal(4)
    session.apply(ops.RemoveIndicator(ev.uid, ev.indicators[1].uid))
    assert session.score(ev).total == total + Decimal(4) - Decimal(22)
    assert any(f.code == "weight_total_not_100" for f in session.findings(ev))
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.score(ev).total == total
    assert not any(f.code == "weight_total_not_100" for f in session.findings(ev))


def test_signals_name_what_changed(session):
    seen = {"evaluations": [], "projects": 0, "profile": []}
    session.evaluationChanged.connect(seen["evaluations"].append)
    session.projectsChanged.connect(lambda: seen.__setitem__("projects", seen["projects"] + 1))
    session.profileChanged.connect(seen["profile"].append)
    project = session.doc.projects[0]
    session.set_evaluation_field(project, "goals.expected", "目标")
    assert seen["evaluations"] == [project.uid] and seen["projects"] == 0
    session.apply(ops.MoveProject(project.uid, 1))
    assert seen["projects"] == 1
    session.set_profile_field("phone", "123")
    assert seen["profile"] == ["phone"]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert seen["projects"] == 2 and seen["profile"] == ["phone", "phone"]
    assert [p.name for p in session.doc.projects] == ["项目甲", "入口补"]


def test_undo_and_redo_of_a_pasted_block_of_several_cells(session):
    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    from perfdesk.ui.indicator_model import COL_ACTUAL
    from perfdesk.ui.spreadsheet import apply_cells

    a, b = leaf(ev, "参保人数"), leaf(ev, "发放及时率")
    before = dump(session.doc)
    assert apply_cells(model, [(model.index_of(a, COL_ACTUAL), "10万人"), (model.index_of(b, COL_ACTUAL), "99%")]) == 2
    assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "粘贴"
    session.undo_stack.undo()
    assert dump(session.doc) == before
    # one bad cell: nothing at all is written
    from perfdesk.ui.indicator_model import COL_WEIGHT

    assert apply_cells(model, [(model.index_of(a, COL_ACTUAL), "11万人"), (model.index_of(b, COL_WEIGHT), "二十")]) == 0
    assert dump(session.doc) == before and session.undo_stack.index() == 0


def test_a_node_inserted_in_a_batch_with_its_children_appears_once(session):
    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    group = Indicator("效益指标")
    child = Indicator("社会效益")
    session.apply(ops.batch([ops.InsertIndicator(ev.uid, None, 2, group),
                             ops.InsertIndicator(ev.uid, group.uid, 0, child)]))
    models_agree(session)
    assert model.rowCount(model.index_of(group)) == 1


@pytest.mark.parametrize("off", [False, 0, "0", "", "否", "false", "False"])
def test_a_final_document_accepts_only_taking_the_mark_off(session, off):
    session.apply(ops.SetProfileField("final", True))
    ev = session.doc.unit_evaluation
    before = dump(session.doc)
    for refused in (ops.SetIndicatorField(ev.uid, leaf(ev, "参保人数").uid, "weight", "12"),
                    ops.SetProfileField("name", "别的单位"),
                    ops.SetProfileField("leader", "")):
        with pytest.raises(ops.OpError) as info:
            session.apply(refused)
        assert str(info.value) == "文档已定稿，不能修改。如需修改，请先在单位信息中取消“定稿”。"
    with pytest.raises(ops.OpError):
        session.apply(ops.SetProfileField("final", True))     # marking it again is no way in either
    assert dump(session.doc) == before and session.undo_stack.count() == 1
    session.apply(ops.SetProfileField("final", off))
    assert not session.doc.final
    assert session.try_apply(ops.SetProfileField("name", "别的单位"))
