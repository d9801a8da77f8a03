"""Item models of the window: qtmodeltester, and exact dataChanged after edits."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from perfdesk.model import Indicator
from perfdesk.templates import list_templates, new_document, new_evaluation
from perfdesk.ui.budget_model import BudgetModel
from perfdesk.ui.findings_model import FindingsModel
from perfdesk.ui.indicator_model import COL_ACTUAL, COL_NAME, COL_SCORE, COL_WEIGHT, IndicatorTreeModel
from perfdesk.ui.session import DocumentSession
from factories import small_document

# qtmodeltester makes thousands of QModelIndex.data() calls: tests/conftest.py pins
# None/True/False against the PySide6 6.12 reference-count defect (perfdesk/ui/qt_workarounds.py).


_KEEP = []


def leaf(ev, name):
    return next(n for n in ev.walk() if n.name == name)


@pytest.fixture
def session(qapp):
    return DocumentSession(small_document())


def test_models_pass_qtmodeltester(qtmodeltester, session):
    for ev in session.doc.evaluations():
        qtmodeltester.check(session.indicator_model(ev), force_py=True)
        qtmodeltester.check(BudgetModel(session, ev), force_py=True)
    qtmodeltester.check(session.evaluation_list_model(), force_py=True)
    qtmodeltester.check(FindingsModel(session), force_py=True)


@pytest.mark.parametrize("template", [t.id for t in list_templates()])
def test_template_trees_pass_qtmodeltester(qtmodeltester, qapp, template):
    kind = next(t.kind for t in list_templates() if t.id == template)
    doc = new_document("unit-mof", 2024, "单位")
    if kind == "unit":
        doc = new_document(template, 2024, "单位")
    else:
        doc.projects.append(new_evaluation(template, "项目"))
    s = DocumentSession(doc)
    _KEEP.append(s)
    for ev in doc.evaluations():
        qtmodeltester.check(s.indicator_model(ev), force_py=True)


def test_structural_edits_keep_model_consistent(qtmodeltester, session):
    from perfdesk import ops
    from perfdesk.model.dump import dump

    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    qtmodeltester.check(model, force_py=True)
    original = dump(session.doc)
    a = leaf(ev, "参保人数")
    qty = a.parent
    session.apply(ops.InsertIndicator(ev.uid, qty.uid, 0, Indicator("新")))
    session.apply(ops.MoveIndicator(ev.uid, a.uid, ev.indicators[0].uid, 0))
    session.apply(ops.MoveIndicator(ev.uid, a.uid, qty.uid, 2))
    session.apply(ops.RemoveIndicator(ev.uid, ev.indicators[1].uid))
    group = Indicator("效益指标")
    group.add(Indicator("社会效益")).add(Indicator("知晓率", weight=Decimal(5)))
    session.apply(ops.batch([ops.InsertIndicator(ev.uid, None, 1, group),
                             ops.MoveIndicator(ev.uid, a.uid, group.children[0].uid, 0)]))
    assert a.parent is group.children[0]
    assert model.rowCount(model.index_of(group.children[0])) == 2  # the mirror followed the batch
    for _ in range(5):
        session.undo_stack.undo()
    assert dump(session.doc) == original
    assert [model.node(model.index(r, 0)).name for r in range(model.rowCount())] == ["产出指标", "满意度指标"]
    for _ in range(5):
        session.undo_stack.redo()
    assert len(ev.indicators) == 2 and group.children[0].children[0] is a


def test_actual_edit_emits_data_changed_for_exactly_the_changed_cells(session):
    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    node = leaf(ev, "参保人数")
    changed = []
    model.dataChanged.connect(lambda tl, br, roles=(): changed.extend(
        (model.node(tl).name, c) for c in range(tl.column(), br.column() + 1)))
    assert model.setData(model.index_of(node, COL_ACTUAL), "10万人")
    cells = set(changed)
    # the edited cell, the row's score, the ancestors' sums; nothing in unrelated rows
    assert ("参保人数", COL_ACTUAL) in cells
    assert ("参保人数", COL_SCORE) in cells
    assert ("数量指标", COL_SCORE) in cells and ("产出指标", COL_SCORE) in cells
    assert not any(name in ("发放及时率", "满意度指标", "服务对象满意度") for name, _ in cells)
    assert model.index_of(node, COL_SCORE).data() == "40"


def test_malformed_weight_is_refused_with_message(session):
    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    messages = []
    session.errorReported.connect(messages.append)
    node = leaf(ev, "参保人数")
    assert not model.setData(model.index_of(node, COL_WEIGHT), "四十")
    assert node.weight == Decimal(40)
    assert messages and "不是有效的数字" in messages[0]
    assert session.undo_stack.count() == 0


def test_group_weight_mismatch_is_shown_and_override_marked(session):
    ev = session.doc.unit_evaluation
    model = session.indicator_model(ev)
    node = leaf(ev, "参保人数")
    model.setData(model.index_of(node, COL_WEIGHT), "30")
    qty = node.parent
    text = model.index_of(qty, COL_WEIGHT).data()
    assert "60" in text and "50" in text
    assert model.index_of(qty, COL_WEIGHT).data(Qt.BackgroundRole) is not None
    sat = leaf(ev, "服务对象满意度")
    assert "✎" in model.index_of(sat, COL_SCORE).data()
    assert "计算" in model.index_of(sat, COL_SCORE).data(Qt.ToolTipRole)
    assert model.index_of(sat, COL_NAME).data() == "服务对象满意度"


def test_edit_in_a_large_document_is_fast(qapp):
    """50 projects: one edit (recompute, findings, dataChanged) stays well under a frame budget."""
    import time

    try:
        from perfdesk.samples import synthetic_document

        doc = synthetic_document()
    except ImportError:
        doc = new_document("unit-jiangsu", 2023, "单位")
        doc.projects.extend(new_evaluation("project-mof", f"项目{i}") for i in range(50))
    s = DocumentSession(doc)
    s.evaluation_list_model()
    models = [(ev, s.indicator_model(ev)) for ev in doc.evaluations()]
    leaves = [(model, leaf) for ev, model in models for leaf in list(ev.leaves())[:2]]
    start = time.perf_counter()
    for i, (model, node) in enumerate(leaves):
        assert model.setData(model.index_of(node, COL_ACTUAL), str(i + 1))
        s.all_findings()
    per_edit = (time.perf_counter() - start) / len(leaves)
    assert per_edit < 0.05, per_edit


def test_target_rows_model(qtmodeltester, qapp):
    from perfdesk.model import TargetRow
    from perfdesk.ui.target_rows_model import TargetRowsModel

    doc = small_document()
    ev = doc.projects[0]
    ev.layout = "project-jinzhong"
    ev.target_rows.append(TargetRow("产出指标", "数量指标", "参保人数", "116.11万人", "108.13万人",
                                    Decimal("0.9313")))
    s = DocumentSession(doc)
    model = TargetRowsModel(s, ev)
    qtmodeltester.check(model)
    assert model.index(0, 5).data() == "93.13%"
    assert model.setData(model.index(0, 6), "90%")
    assert ev.target_rows[0].stated_progress == Decimal("0.9")
    assert model.index(0, 6).data(Qt.BackgroundRole) is not None
    assert any(f.code == "progress_mismatch" for f in s.findings(ev))
    assert not model.setData(model.index(0, 6), "很多")
    s.undo_stack.undo()
    assert ev.target_rows[0].stated_progress == Decimal("0.9313")
