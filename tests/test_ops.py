"""Every operation: applied, checked on the whole document, undone, redone — and refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import jinzhong_document, small_document
from perfdesk import ops
from perfdesk.model import Evaluation, EvaluationKind, Indicator, Method, Tier
from perfdesk.model.dump import dump, uids
from perfdesk.ops import OpError
from perfdesk.scoring import score_evaluation


def unit(doc):
    return doc.unit_evaluation


def leaf(ev, name):
    return next(n for n in ev.walk() if n.name == name)


# Each case: (name, build the operation from the document, check the document after applying it).
# The check states what the operation must have done; the harness checks the rest: the dump
# changed, undo restores the dump and every uid exactly, redo gives the applied dump again.
CASES = [
    ("indicator actual",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "actual", "10万人"),
     lambda d: leaf(unit(d), "参保人数").actual == "10万人"),
    ("indicator weight parsed",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", " 3. 5 "),
     lambda d: leaf(unit(d), "参保人数").weight == Decimal("3.5")),
    ("indicator method by its label",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "反向指标"),
     lambda d: leaf(unit(d), "参保人数").method is Method.LOWER),
    ("indicator tier",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "tier", "达成"),
     lambda d: leaf(unit(d), "服务对象满意度").tier is Tier.ACHIEVED),
    ("indicator score override cleared",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "score", ""),
     lambda d: leaf(unit(d), "服务对象满意度").score_override is None),
    ("group name",
     lambda d: ops.SetIndicatorField(unit(d).uid, unit(d).indicators[0].uid, "name", "产出"),
     lambda d: unit(d).indicators[0].name == "产出"),
    ("budget amount in 万元",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.total.spent", "950"),
     lambda d: unit(d).budget.total.spent == 950_000_000),
    ("a new source of funds is created, and removed again by undo",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.sources.general_budget.annual_budget", "1000"),
     lambda d: unit(d).budget.sources["general_budget"].annual_budget == 1_000_000_000),
    ("project line name",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.lines.0.name", "乙"),
     lambda d: unit(d).budget.project_lines[0].name == "乙"),
    ("stated execution rate",
     lambda d: ops.SetEvaluationField(unit(d).uid, "execution.stated_rate", "85.8%"),
     lambda d: unit(d).execution.stated_rate == Decimal("0.858")),
    ("an execution line is created on a form without one, and removed again by undo",
     lambda d: ops.SetEvaluationField(d.projects[1].uid, "execution.stated_score", "9"),
     lambda d: d.projects[1].execution is not None and d.projects[1].execution.stated_score == 9),
    ("narrative section emptied (the section's place is kept by undo)",
     lambda d: ops.SetEvaluationField(unit(d).uid, "narrative.achievements", ""),
     lambda d: "achievements" not in unit(d).narrative),
    ("narrative section written",
     lambda d: ops.SetEvaluationField(unit(d).uid, "narrative.problems", "问题"),
     lambda d: unit(d).narrative["problems"] == "问题"),
    ("goals",
     lambda d: ops.SetEvaluationField(unit(d).uid, "goals.achieved", "全部完成"),
     lambda d: unit(d).goals.achieved == "全部完成"),
    ("stated total",
     lambda d: ops.SetEvaluationField(unit(d).uid, "stated_total", "95"),
     lambda d: unit(d).stated_total == 95),
    ("stated grade",
     lambda d: ops.SetEvaluationField(unit(d).uid, "stated_grade", ""),
     lambda d: unit(d).stated_grade is None),
    ("project information",
     lambda d: ops.SetEvaluationField(d.projects[0].uid, "project.implementer", "某中心"),
     lambda d: d.projects[0].project.implementer == "某中心"),
    ("target row progress",
     lambda d: ops.SetEvaluationField(d.projects[1].uid, "target_rows.0.stated_progress", "93.5%"),
     lambda d: d.projects[1].target_rows[0].stated_progress == Decimal("0.935")),
    ("rename project",
     lambda d: ops.rename_project(d, d.projects[0].uid, "  项目乙 "),
     lambda d: d.projects[0].name == "项目乙"),
    ("profile year",
     lambda d: ops.SetProfileField("year", "2024年"),
     lambda d: d.year == 2024),
    ("profile name (the one place the unit's name lives)",
     lambda d: ops.SetProfileField("name", "新单位"),
     lambda d: d.unit.name == "新单位" and d.evaluation_name(d.unit_evaluation) == "新单位"),
    ("final mark",
     lambda d: ops.SetProfileField("final", True),
     lambda d: d.final is True),
    ("insert a leaf",
     lambda d: ops.InsertIndicator(unit(d).uid, unit(d).indicators[0].children[0].uid, 1,
                                   Indicator("新指标", weight=Decimal(5))),
     lambda d: [n.name for n in unit(d).indicators[0].children[0].children] == ["参保人数", "新指标", "发放及时率"]),
    ("insert a level-1 group with children",
     lambda d: ops.InsertIndicator(unit(d).uid, None, 2, _group()),
     lambda d: unit(d).indicators[2].name == "效益指标" and unit(d).indicators[2].children[0].children),
    ("remove a group with its children",
     lambda d: ops.RemoveIndicator(unit(d).uid, unit(d).indicators[0].uid),
     lambda d: [n.name for n in unit(d).indicators] == ["满意度指标"]),
    ("move down",
     lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "参保人数").uid, 1),
     lambda d: [n.name for n in unit(d).indicators[0].children[0].children] == ["发放及时率", "参保人数"]),
    ("outdent",
     lambda d: ops.outdent(d, unit(d).uid, leaf(unit(d), "发放及时率").uid),
     lambda d: [n.name for n in unit(d).indicators[0].children] == ["数量指标", "发放及时率"]),
    ("indent",
     lambda d: ops.indent(d, unit(d).uid, unit(d).indicators[1].uid),
     lambda d: [n.name for n in unit(d).indicators] == ["产出指标"]
     and unit(d).indicators[0].children[-1].name == "满意度指标"),
    ("move across groups",
     lambda d: ops.MoveIndicator(unit(d).uid, leaf(unit(d), "服务对象满意度").uid,
                                 unit(d).indicators[0].children[0].uid, 0),
     lambda d: unit(d).indicators[0].children[0].children[0].name == "服务对象满意度"
     and unit(d).indicators[1].children == []),
    ("add a budget line",
     lambda d: ops.InsertRow(unit(d).uid, "budget.lines", 1),
     lambda d: len(unit(d).budget.project_lines) == 2 and unit(d).budget.project_lines[1].name == ""),
    ("remove a budget line",
     lambda d: ops.RemoveRow(unit(d).uid, "budget.lines", 0),
     lambda d: unit(d).budget.project_lines == []),
    ("add a target row",
     lambda d: ops.InsertRow(d.projects[1].uid, "target_rows", 0),
     lambda d: len(d.projects[1].target_rows) == 3 and d.projects[1].target_rows[0].name == ""),
    ("remove a target row",
     lambda d: ops.RemoveRow(d.projects[1].uid, "target_rows", 1),
     lambda d: [r.name for r in d.projects[1].target_rows] == ["参保人数"]),
    ("add a project",
     lambda d: ops.InsertProject(1, Evaluation(kind=EvaluationKind.PROJECT, name="项目丙")),
     lambda d: [p.name for p in d.projects] == ["项目甲", "项目丙", "入口补"]),
    ("duplicate a project (fresh uids, a deep copy)",
     lambda d: ops.duplicate_project(d, d.projects[0].uid),
     lambda d: [p.name for p in d.projects] == ["项目甲", "项目甲（副本）", "入口补"]
     and d.projects[1].uid != d.projects[0].uid
     and {n.uid for n in d.projects[1].walk()}.isdisjoint({n.uid for n in d.projects[0].walk()})),
    ("remove a project",
     lambda d: ops.RemoveProject(d.projects[0].uid),
     lambda d: [p.name for p in d.projects] == ["入口补"]),
    ("move a project",
     lambda d: ops.MoveProject(d.projects[0].uid, 1),
     lambda d: [p.name for p in d.projects] == ["入口补", "项目甲"]),
    ("replace the unit form",
     lambda d: ops.ReplaceEvaluation(unit(d).uid, Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")),
     lambda d: unit(d).layout == "unit-jiangsu" and not unit(d).indicators),
    ("a batch of several kinds, as one step",
     lambda d: ops.batch([ops.SetProfileField("year", 2030), ops.RemoveProject(d.projects[0].uid),
                          ops.InsertIndicator(unit(d).uid, None, 0, Indicator("决策", weight=Decimal(10)))]),
     lambda d: d.year == 2030 and len(d.projects) == 1 and unit(d).indicators[0].name == "决策"),
    ("import: the unit form, 单位信息, year and projects come in as one step",
     lambda d: ops.import_document(d, _imported()),
     lambda d: d.unit.name == "外来单位" and d.year == 2019 and unit(d).layout == "unit-jiangsu"
     and [p.name for p in d.projects] == ["项目甲", "入口补", "外来项目"]),
    ("新建下一年度's clearing, applied to the document",
     lambda d: ops.next_year_operations(d),
     lambda d: d.year == 2024 and all(not n.actual for ev in d.evaluations() for n in ev.walk())
     and all(not r.actual and r.stated_progress is None for r in d.projects[1].target_rows)),
]


def _group() -> Indicator:
    group = Indicator("效益指标", weight=Decimal(10))
    group.add(Indicator("社会效益", weight=Decimal(10))).add(
        Indicator("群众知晓率", weight=Decimal(10), target="≥90%", method=Method.HIGHER))
    return group


def _imported():
    from perfdesk.model import Document, UnitProfile

    doc = Document(unit=UnitProfile(name="外来单位"), year=2019)
    doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    doc.unit_evaluation.add(Indicator("决策", weight=Decimal(6)))
    doc.projects.append(Evaluation(kind=EvaluationKind.PROJECT, name="外来项目"))
    return doc


@pytest.mark.parametrize("name,make,check", CASES, ids=[c[0] for c in CASES])
def test_apply_undo_redo_on_the_whole_document(name, make, check):
    doc = jinzhong_document()
    before, before_uids = dump(doc), uids(doc)
    operation = make(doc)
    label = operation.label(doc)
    assert label and any("\u4e00" <= ch <= "\u9fff" for ch in label)
    changes, inverse = operation.apply(doc)
    assert not changes.empty
    assert check(doc), "the operation did not do what it says"
    after, after_uids = dump(doc), uids(doc)
    assert after != before
    _, again = inverse.apply(doc)                      # undo
    assert dump(doc) == before and uids(doc) == before_uids
    again.apply(doc)                                   # redo
    assert dump(doc) == after and uids(doc) == after_uids
    assert check(doc)


UNCHANGED = [
    lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "actual", "9万人"),
    lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "40"),
    lambda d: ops.SetEvaluationField(unit(d).uid, "budget.total.spent", "90"),
    lambda d: ops.SetEvaluationField(unit(d).uid, "narrative.problems", ""),
    lambda d: ops.SetEvaluationField(d.projects[0].uid, "budget.sources.other_funds.spent", ""),
    lambda d: ops.SetProfileField("year", 2023),
    lambda d: ops.MoveProject(d.projects[0].uid, 0),
    lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[0].uid, None, 0),
]


@pytest.mark.parametrize("make", UNCHANGED)
def test_an_unchanged_value_is_no_change(make):
    doc = jinzhong_document()
    before = dump(doc)
    changes, _inverse = make(doc).apply(doc)
    assert changes.empty
    assert dump(doc) == before  # not even an empty source of funds created


REFUSED = [
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "十分"), "分值|数"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "-2"), "负数"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "score", "abc"), "."),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "随便"), "评分方法"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "tier", "达成"), "定性"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, 10 ** 9, "actual", "1"), "找不到"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "budget.total.spent", "九百"), "."),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "stated_grade", "甲"), "优 / 良 / 中 / 差"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "execution_rounding", "abc"), "取整"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "budget.lines.7.spent", "1"), "这一栏"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "goals.__class__", "x"), "这一栏"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "name", "改名"), "单位信息"),
    (lambda d: ops.rename_project(d, d.projects[0].uid, "  "), "不能为空"),
    (lambda d: ops.SetProfileField("year", "明年"), "年度"),
    (lambda d: ops.InsertIndicator(unit(d).uid, leaf(unit(d), "参保人数").uid, 0, Indicator("太深")), "三级"),
    (lambda d: ops.InsertIndicator(unit(d).uid, unit(d).indicators[0].children[0].uid, 0, _group()), "三级"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 9, Indicator("远")), "位置"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 0, unit(d).indicators[1]), "已在表中"),
    (lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[0].uid, unit(d).indicators[0].children[0].uid, 0),
     "自己的下级"),
    (lambda d: ops.indent(d, unit(d).uid, leaf(unit(d), "发放及时率").uid), "三级"),
    (lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "参保人数").uid, -1), "第一项"),
    (lambda d: ops.outdent(d, unit(d).uid, unit(d).indicators[0].uid), "一级"),
    (lambda d: ops.InsertRow(d.projects[0].uid, "budget.lines", 0), "部门整体"),
    (lambda d: ops.RemoveRow(unit(d).uid, "budget.lines", 5), "选中"),
    (lambda d: ops.InsertProject(0, Evaluation(kind=EvaluationKind.UNIT)), "项目支出"),
    (lambda d: ops.InsertProject(0, d.projects[0]), "已在文档中"),
    (lambda d: ops.RemoveProject(unit(d).uid), "不能删除"),
    (lambda d: ops.MoveProject(d.projects[0].uid, 5), "位置"),
    (lambda d: ops.ReplaceEvaluation(unit(d).uid, Evaluation(kind=EvaluationKind.PROJECT)), "替换"),
]


@pytest.mark.parametrize("make,message", REFUSED)
def test_a_refused_operation_changes_nothing_and_says_why_in_chinese(make, message):
    import re

    doc = jinzhong_document()
    before, before_uids = dump(doc), uids(doc)
    with pytest.raises(OpError) as info:
        make(doc).apply(doc)
    assert re.search(message, str(info.value)) and any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    assert dump(doc) == before and uids(doc) == before_uids


def test_a_batch_is_applied_whole_or_not_at_all():
    doc = jinzhong_document()
    before, before_uids = dump(doc), uids(doc)
    good = [ops.SetProfileField("year", 2030),
            ops.InsertIndicator(unit(doc).uid, None, 0, Indicator("决策", weight=Decimal(10))),
            ops.RemoveProject(doc.projects[0].uid)]
    bad = ops.SetIndicatorField(unit(doc).uid, leaf(unit(doc), "参保人数").uid, "weight", "十分")
    with pytest.raises(OpError):
        ops.batch([*good, bad]).apply(doc)
    assert dump(doc) == before and uids(doc) == before_uids


def test_structural_changes_are_described_in_order_for_the_views():
    doc = small_document()
    ev = unit(doc)
    group = _group()
    changes, inverse = ops.batch([ops.InsertIndicator(ev.uid, None, 1, group),
                                  ops.MoveIndicator(ev.uid, ev.indicators[0].uid, None, 2)]).apply(doc)
    assert [(e.kind, e.parent, e.index) for e in changes.tree] == [("insert", None, 1), ("move", None, 2)]
    assert changes.tree[0].shape[0] == (group.uid, (group.children[0].uid,))
    assert changes.tree[1].old_index == 0
    undo_changes, _ = inverse.apply(doc)
    assert [e.kind for e in undo_changes.tree] == ["move", "remove"]


def test_next_year_clears_and_keeps():
    doc = small_document()
    new = ops.next_year(doc)
    assert new.year == 2024 and doc.year == 2023
    ev = new.unit_evaluation
    leaves = list(ev.leaves())
    assert [n.target for n in leaves] == ["≥10万人", "100%", "健全"]
    assert [n.weight for n in leaves] == [Decimal(40), Decimal(20), Decimal(30)]
    assert [n.method for n in leaves] == [Method.HIGHER, Method.HIGHER, Method.TIERS]
    assert all(n.actual == "" and n.score_override is None and n.tier is None and n.deviation_note == ""
               for n in leaves)
    assert [n.name for n in ev.walk()] == [n.name for n in doc.unit_evaluation.walk()]
    assert ev.indicators[0].weight == Decimal(60)
    assert ev.narrative == {} and ev.goals.achieved == "" and ev.goals.expected == "目标1"
    assert ev.stated_total is None and ev.stated_grade is None
    assert ev.execution.stated_rate is None and ev.execution.stated_score is None
    assert ev.execution.weight == Decimal(10)
    assert ev.budget.total.spent is None and ev.budget.total.annual_budget == 1_000_000_00
    assert ev.budget.project_lines[0].amounts.spent is None
    assert new.unit.leader == "张三" and len(new.projects) == 1
    assert new.projects[0].indicators[0].children[0].children[0].actual == ""
    assert doc.unit_evaluation.stated_total == Decimal(90)  # the original is untouched
    assert next(doc.unit_evaluation.leaves()).actual == "9万人"
    assert {n.uid for n in ev.walk()}.isdisjoint({n.uid for n in doc.unit_evaluation.walk()})
    assert score_evaluation(ev).total == 0


def test_next_year_clears_target_rows_and_keeps_their_targets():
    new = ops.next_year(jinzhong_document())
    rows = new.projects[1].target_rows
    assert [(r.name, r.target, r.actual, r.stated_progress) for r in rows] == [
        ("参保人数", "116.11万人", "", None), ("满意度", "≥90%", "", None)]
