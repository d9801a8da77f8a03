"""Every operation: applied, checked on the whole document, undone, redone — and refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import jinzhong_document, small_document
from perfdesk import ops
from perfdesk.model import Evaluation, EvaluationKind, Indicator, Method, Tier
from perfdesk.model.dump import dump, uids
from perfdesk.ops import OpError
from perfdesk.ops.rule_sets import SetRuleSet
from perfdesk.scoring import score_evaluation


def unit(doc):
    return doc.unit_evaluation


def leaf(ev, name):
    return next(n for n in ev.walk() if n.name == name)


# Each case: (name, build the operation from the document, check the document after applying it).
# The check states what the operation must have done; the harness checks the rest: the dump
# changed, undo restores the dump and every uid exactly, redo gives the applied dump again.
CASES = [
    ("indicator actual", "修改“参保人数”的实际完成值",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "actual", "10万人"),
     lambda d: leaf(unit(d), "参保人数").actual == "10万人"),
    ("indicator weight parsed", "修改“参保人数”的分值",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", " 3. 5 "),
     lambda d: leaf(unit(d), "参保人数").weight == Decimal("3.5")),
    ("indicator method by its label", "修改“参保人数”的评分方法",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "反向指标"),
     lambda d: leaf(unit(d), "参保人数").method is Method.LOWER),
    ("indicator tier", "修改“服务对象满意度”的评价档次",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "tier", "达成"),
     lambda d: leaf(unit(d), "服务对象满意度").tier is Tier.ACHIEVED),
    ("indicator score override cleared", "修改“服务对象满意度”的得分",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "score", ""),
     lambda d: leaf(unit(d), "服务对象满意度").score_override is None),
    ("indicator 指标性质 typed as >=", "修改“参保人数”的指标性质",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "comparison", " >= "),
     lambda d: leaf(unit(d), "参保人数").comparison == "≥"),
    ("indicator 指标性质 定性", "修改“服务对象满意度”的指标性质",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "comparison", "定性"),
     lambda d: leaf(unit(d), "服务对象满意度").comparison == "定性"),
    ("indicator 计量单位", "修改“参保人数”的计量单位",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "unit", " 万人 "),
     lambda d: leaf(unit(d), "参保人数").unit == "万人"),
    ("indicator 年初指标值 (the target adjusted)", "修改“参保人数”的年初指标值",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "initial_target", "≥12万人"),
     lambda d: leaf(unit(d), "参保人数").initial_target == "≥12万人"
     and leaf(unit(d), "参保人数").target == "≥10万人"),
    ("indicator 调整原因", "修改“参保人数”的调整原因",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "adjust_reason", "年中政策调整"),
     lambda d: leaf(unit(d), "参保人数").adjust_reason == "年中政策调整"),
    ("indicator method 按指标性质", "修改“参保人数”的评分方法",
     lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "按指标性质"),
     lambda d: leaf(unit(d), "参保人数").method is Method.AUTO),
    ("group name", "修改“产出指标”的指标名称",
     lambda d: ops.SetIndicatorField(unit(d).uid, unit(d).indicators[0].uid, "name", "产出"),
     lambda d: unit(d).indicators[0].name == "产出"),
    ("budget amount in 万元", "修改资金总额全年执行数",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.total.spent", "950"),
     lambda d: unit(d).budget.total.spent == 950_000_000),
    ("a new source of funds is created, and removed again by undo", "修改一般公共预算全年预算数",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.sources.general_budget.annual_budget", "1000"),
     lambda d: unit(d).budget.sources["general_budget"].annual_budget == 1_000_000_000),
    ("project line name", "修改项目行名称",
     lambda d: ops.SetEvaluationField(unit(d).uid, "budget.lines.0.name", "乙"),
     lambda d: unit(d).budget.project_lines[0].name == "乙"),
    ("stated execution rate", "修改填报执行率",
     lambda d: ops.SetEvaluationField(unit(d).uid, "execution.stated_rate", "85.8%"),
     lambda d: unit(d).execution.stated_rate == Decimal("0.858")),
    ("an execution line is created on a form without one, and removed again by undo", "修改填报执行率得分",
     lambda d: ops.SetEvaluationField(d.projects[1].uid, "execution.stated_score", "9"),
     lambda d: d.projects[1].execution is not None and d.projects[1].execution.stated_score == 9),
    ("narrative section emptied (the section's place is kept by undo)", "修改主要成效",
     lambda d: ops.SetEvaluationField(unit(d).uid, "narrative.achievements", ""),
     lambda d: "achievements" not in unit(d).narrative),
    ("narrative section written", "修改存在问题",
     lambda d: ops.SetEvaluationField(unit(d).uid, "narrative.problems", "问题"),
     lambda d: unit(d).narrative["problems"] == "问题"),
    ("goals", "修改实际完成情况",
     lambda d: ops.SetEvaluationField(unit(d).uid, "goals.achieved", "全部完成"),
     lambda d: unit(d).goals.achieved == "全部完成"),
    ("stated total", "修改填报总分",
     lambda d: ops.SetEvaluationField(unit(d).uid, "stated_total", "95"),
     lambda d: unit(d).stated_total == 95),
    ("stated grade", "修改填报等级",
     lambda d: ops.SetEvaluationField(unit(d).uid, "stated_grade", ""),
     lambda d: unit(d).stated_grade is None),
    ("project information", "修改实施单位",
     lambda d: ops.SetEvaluationField(d.projects[0].uid, "project.implementer", "某中心"),
     lambda d: d.projects[0].project.implementer == "某中心"),
    ("target row progress", "修改绩效目标实现情况",
     lambda d: ops.SetEvaluationField(d.projects[1].uid, "target_rows.0.stated_progress", "93.5%"),
     lambda d: d.projects[1].target_rows[0].stated_progress == Decimal("0.935")),
    ("project code (项目编码)", "修改项目编码",
     lambda d: ops.SetEvaluationField(d.projects[0].uid, "project.code", " 51000021R000000019951 "),
     lambda d: d.projects[0].project.code == "51000021R000000019951"),
    ("评价规则 of the whole document", "评价规则改为“湖北省”",
     lambda d: SetRuleSet("hubei"),
     lambda d: d.rule_set == "hubei" and all(ev.rule_set == "hubei" for ev in d.evaluations())
     and score_evaluation(unit(d)).rules.id == "hubei"),
    ("rename project", "修改项目名称",
     lambda d: ops.rename_project(d.projects[0].uid, "  项目乙 "),
     lambda d: d.projects[0].name == "项目乙"),
    ("profile year", "修改年度",
     lambda d: ops.SetProfileField("year", "2024年"),
     lambda d: d.year == 2024),
    ("profile name (the one place the unit's name lives)", "修改单位名称",
     lambda d: ops.SetProfileField("name", "新单位"),
     lambda d: d.unit.name == "新单位" and d.evaluation_name(d.unit_evaluation) == "新单位"),
    ("final mark", "修改定稿标记",
     lambda d: ops.SetProfileField("final", True),
     lambda d: d.final is True),
    ("insert a leaf", "插入指标“新指标”",
     lambda d: ops.InsertIndicator(unit(d).uid, unit(d).indicators[0].children[0].uid, 1,
                                   Indicator("新指标", weight=Decimal(5))),
     lambda d: [n.name for n in unit(d).indicators[0].children[0].children] == ["参保人数", "新指标", "发放及时率"]),
    ("insert a level-1 group with children", "插入指标“效益指标”",
     lambda d: ops.InsertIndicator(unit(d).uid, None, 2, _group()),
     lambda d: unit(d).indicators[2].name == "效益指标" and unit(d).indicators[2].children[0].children),
    ("remove a group with its children", "删除指标“产出指标”",
     lambda d: ops.RemoveIndicator(unit(d).uid, unit(d).indicators[0].uid),
     lambda d: [n.name for n in unit(d).indicators] == ["满意度指标"]),
    ("move down", "下移指标",
     lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "参保人数").uid, 1),
     lambda d: [n.name for n in unit(d).indicators[0].children[0].children] == ["发放及时率", "参保人数"]),
    ("move a level-1 group up", "上移指标",
     lambda d: ops.move_up_down(d, unit(d).uid, unit(d).indicators[1].uid, -1),
     lambda d: [n.name for n in unit(d).indicators] == ["满意度指标", "产出指标"]),
    ("move the second leaf up", "上移指标",
     lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "发放及时率").uid, -1),
     lambda d: [n.name for n in unit(d).indicators[0].children[0].children] == ["发放及时率", "参保人数"]),
    ("outdent a level-2 group to level 1", "指标升级",
     lambda d: ops.outdent(d, unit(d).uid, unit(d).indicators[0].children[0].uid),
     lambda d: [n.name for n in unit(d).indicators] == ["产出指标", "数量指标", "满意度指标"]),
    ("outdent", "指标升级",
     lambda d: ops.outdent(d, unit(d).uid, leaf(unit(d), "发放及时率").uid),
     lambda d: [n.name for n in unit(d).indicators[0].children] == ["数量指标", "发放及时率"]),
    ("indent", "指标降级",
     lambda d: ops.indent(d, unit(d).uid, unit(d).indicators[1].uid),
     lambda d: [n.name for n in unit(d).indicators] == ["产出指标"]
     and unit(d).indicators[0].children[-1].name == "满意度指标"),
    ("move across groups", "移动指标“服务对象满意度”",
     lambda d: ops.MoveIndicator(unit(d).uid, leaf(unit(d), "服务对象满意度").uid,
                                 unit(d).indicators[0].children[0].uid, 0),
     lambda d: unit(d).indicators[0].children[0].children[0].name == "服务对象满意度"
     and unit(d).indicators[1].children == []),
    ("add a budget line", "添加项目行",
     lambda d: ops.InsertRow(unit(d).uid, "budget.lines", 1),
     lambda d: len(unit(d).budget.project_lines) == 2 and unit(d).budget.project_lines[1].name == ""),
    ("remove a budget line", "删除项目行",
     lambda d: ops.RemoveRow(unit(d).uid, "budget.lines", 0),
     lambda d: unit(d).budget.project_lines == []),
    ("add a target row", "添加目标行",
     lambda d: ops.InsertRow(d.projects[1].uid, "target_rows", 0),
     lambda d: len(d.projects[1].target_rows) == 3 and d.projects[1].target_rows[0].name == ""),
    ("remove a target row", "删除目标行",
     lambda d: ops.RemoveRow(d.projects[1].uid, "target_rows", 1),
     lambda d: [r.name for r in d.projects[1].target_rows] == ["参保人数"]),
    ("add a project", "添加项目“项目丙”",
     lambda d: ops.InsertProject(1, Evaluation(kind=EvaluationKind.PROJECT, name="项目丙")),
     lambda d: [p.name for p in d.projects] == ["项目甲", "项目丙", "入口补"]),
    ("duplicate a project (fresh uids, a deep copy)", "复制项目“项目甲”",
     lambda d: ops.duplicate_project(d, d.projects[0].uid),
     lambda d: [p.name for p in d.projects] == ["项目甲", "项目甲（副本）", "入口补"]
     and d.projects[1].uid != d.projects[0].uid
     and {n.uid for n in d.projects[1].walk()}.isdisjoint({n.uid for n in d.projects[0].walk()})),
    ("remove a project", "删除项目“项目甲”",
     lambda d: ops.RemoveProject(d.projects[0].uid),
     lambda d: [p.name for p in d.projects] == ["入口补"]),
    ("move a project", "移动项目“项目甲”",
     lambda d: ops.MoveProject(d.projects[0].uid, 1),
     lambda d: [p.name for p in d.projects] == ["入口补", "项目甲"]),
    ("replace the unit form", "替换表格",
     lambda d: ops.ReplaceEvaluation(unit(d).uid, Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")),
     lambda d: unit(d).layout == "unit-jiangsu" and not unit(d).indicators),
    ("a batch of several kinds, as one step", "3 项修改",
     lambda d: ops.batch([ops.SetProfileField("year", 2030), ops.RemoveProject(d.projects[0].uid),
                          ops.InsertIndicator(unit(d).uid, None, 0, Indicator("决策", weight=Decimal(10)))]),
     lambda d: d.year == 2030 and len(d.projects) == 1 and unit(d).indicators[0].name == "决策"),
    ("import: the unit form, 单位信息, year and projects come in as one step (all chosen)", "导入",
     lambda d: _import_everything(d),
     lambda d: d.unit.name == "外来单位" and d.year == 2019 and unit(d).layout == "unit-jiangsu"
     and [p.name for p in d.projects] == ["项目甲", "入口补", "外来项目"]),
    ("targets of one indicator (a 目标表's 指标值, 指标性质, 度量单位, 分值, 年初指标值 and 调整原因)",
     "修改“参保人数”的指标值、指标性质、度量单位、分值、年初指标值、调整原因",
     lambda d: ops.SetTargetFields(unit(d).uid, leaf(unit(d), "参保人数").uid, (
         ("target", "≥12万人"), ("comparison", "≥"), ("unit", "万人"), ("weight", Decimal(35)),
         ("initial_target", "≥10万人"), ("adjust_reason", "追加任务"))),
     lambda d: (leaf(unit(d), "参保人数").target, leaf(unit(d), "参保人数").initial_target,
                leaf(unit(d), "参保人数").weight, leaf(unit(d), "参保人数").actual)
     == ("≥12万人", "≥10万人", 35, "9万人")),
    ("更新指标值: an imported 目标表's targets onto the filled unit form, results kept", "更新指标值",
     lambda d: ops.update_targets_operation(d, unit(d), _targets_of(unit(d))),
     lambda d: leaf(unit(d), "参保人数").target == "≥12万人" and leaf(unit(d), "参保人数").actual == "9万人"
     and leaf(unit(d), "参保人数").deviation_note == "人口外流"
     and [n.name for n in unit(d).indicators[0].children[0].children] == ["参保人数", "发放及时率", "新增人数"]
     and [n.name for n in unit(d).indicators] == ["产出指标", "满意度指标", "效益指标"]
     and unit(d).indicators[2].children[0].children[0].target == "≥90%"
     and leaf(unit(d), "服务对象满意度").tier is Tier.PARTIAL and unit(d).goals.expected == "新目标"),
    ("import of a 目标表 over filled forms: 更新指标值 proposed, one step", "导入",
     lambda d: ops.plan_operations(d, ops.plan_import(d, _target_document(d))),
     lambda d: d.projects[0].indicators[0].children[0].children[0].target == "≥120人"
     and d.projects[0].indicators[0].children[0].children[0].actual == "50人"),
    ("新建下一年度's clearing, applied to the document", "新建下一年度",
     lambda d: ops.next_year_operations(d),
     lambda d: d.year == 2024 and all(not n.actual for ev in d.evaluations() for n in ev.walk())
     and all(not r.actual and r.stated_progress is None for r in d.projects[1].target_rows)),
]


def _group() -> Indicator:
    group = Indicator("效益指标", weight=Decimal(10))
    group.add(Indicator("社会效益", weight=Decimal(10))).add(
        Indicator("群众知晓率", weight=Decimal(10), target="≥90%", method=Method.HIGHER))
    return group


def _import_everything(doc):
    plan = ops.plan_import(doc, _imported())
    plan.take_profile = plan.take_year = True
    for choice in plan.choices:
        if choice.imported.kind is EvaluationKind.UNIT:
            choice.action = "replace"
    return ops.plan_operations(doc, plan)


def _imported():
    from perfdesk.model import Document, UnitProfile

    doc = Document(unit=UnitProfile(name="外来单位"), year=2019)
    doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    doc.unit_evaluation.add(Indicator("决策", weight=Decimal(6)))
    doc.projects.append(Evaluation(kind=EvaluationKind.PROJECT, name="外来项目"))
    return doc


def _targets_of(ours):
    """A 目标表 read for the unit form: new target for 参保人数, 发放及时率 not in it, two new indicators."""
    theirs = Evaluation(kind=EvaluationKind.UNIT, layout="unit-mof")
    qty = theirs.add(Indicator("产出指标", weight=Decimal(60))).add(Indicator("数量指标"))
    qty.add(Indicator("参保人数", weight=Decimal(35), target="≥12万人", comparison="≥", unit="万人",
                      initial_target="≥10万人", adjust_reason="追加任务", method=Method.AUTO))
    qty.add(Indicator("新增人数", weight=Decimal(5), target="≥1万人", comparison="≥", unit="万人", method=Method.AUTO))
    theirs.add(Indicator("满意度指标")).add(Indicator("服务对象满意度", weight=Decimal(30), target="健全",
                                                      comparison="定性", method=Method.AUTO))
    theirs.add(Indicator("效益指标")).add(Indicator("社会效益")).add(
        Indicator("群众知晓率", target="≥90%", comparison="≥", unit="%", method=Method.AUTO))
    theirs.goals.expected = "新目标"
    return theirs


def _target_document(ours):
    from perfdesk.model import Document

    doc = Document()
    project = Evaluation(kind=EvaluationKind.PROJECT, name="项目甲", layout="project-mof")
    project.add(Indicator("产出指标")).add(Indicator("数量")).add(
        Indicator("人数", weight=Decimal(90), target="≥120人", comparison="≥", unit="人", method=Method.AUTO))
    doc.projects.append(project)
    return doc


def all_uids_distinct(doc) -> bool:
    every = [ev.uid for ev in doc.evaluations()] + [n.uid for ev in doc.evaluations() for n in ev.walk()]
    return all(isinstance(u, int) for u in every) and len(set(every)) == len(every)


@pytest.mark.parametrize("name,label,make,check", CASES, ids=[c[0] for c in CASES])
def test_apply_undo_redo_on_the_whole_document(name, label, make, check):
    doc = jinzhong_document()
    before, before_uids = dump(doc), uids(doc)
    operation = make(doc)
    assert operation.label(doc) == label  # the undo step's name in 编辑 → 撤销
    changes, inverse = operation.apply(doc)
    assert not changes.empty
    assert check(doc), "the operation did not do what it says"
    assert all_uids_distinct(doc)
    after, after_uids = dump(doc), uids(doc)
    assert after != before
    _, again = inverse.apply(doc)                      # undo
    assert dump(doc) == before and uids(doc) == before_uids
    assert again.label(doc) == label                   # redo keeps the step's name
    again.apply(doc)                                   # redo
    assert dump(doc) == after and uids(doc) == after_uids
    assert check(doc)


UNCHANGED = [
    lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "comparison", ""),
    lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "unit", "  "),
    lambda d: SetRuleSet(""),
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
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "十分"),
     "“十分”不是有效的数字"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "-2"),
     "分值不能为负数：-2"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "score", "abc"),
     "“abc”不是有效的数字"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "随便"),
     "未知的评分方法“随便”"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "tier", "很好"),
     "未知的评价档次“很好”（应为 达成 / 部分达成 / 未达成）"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "tier", "达成"),
     "只有定性指标（定性三档）可以选择评价档次"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, unit(d).indicators[0].uid, "tier", "达成"),
     "只有定性指标（定性三档）可以选择评价档次"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "comparison", "约等于"),
     "未知的指标性质“约等于”（应为 =、≥、≤、>、< 或 定性）"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "unit", "人" * 101),
     "计量单位不能超过 100 个字"),
    (lambda d: SetRuleSet("atlantis"), "找不到评价规则“atlantis”"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "colour", "红"),
     "指标没有“colour”这一栏"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, 10 ** 9, "actual", "1"), "找不到要修改的指标（可能已被删除）"),
    (lambda d: ops.SetIndicatorField(10 ** 9, 1, "actual", "1"), "找不到要修改的表格（可能已被删除）"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "budget.total.spent", "九百"), "“九百”不是有效的金额（万元）"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "stated_grade", "甲"), "绩效等级应为 优 / 良 / 中 / 差，而不是“甲”"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "execution_rounding", "abc"),
     "预算执行率得分的取整方式应为 1、0.1 或 0.01"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "budget.lines.7.spent", "1"), "表格没有“budget.lines.7.spent”这一栏"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "goals.__class__", "x"), "表格没有“goals.__class__”这一栏"),
    (lambda d: ops.SetEvaluationField(unit(d).uid, "name", "改名"), "单位名称在单位信息中修改"),
    (lambda d: ops.rename_project(d.projects[0].uid, "  "), "项目名称不能为空"),
    (lambda d: ops.SetProfileField("year", "明年"), "“明年”不是有效的年度"),
    (lambda d: ops.SetProfileField("colour", "红"), "单位信息没有“colour”这一栏"),
    (lambda d: ops.InsertIndicator(unit(d).uid, leaf(unit(d), "参保人数").uid, 0, Indicator("太深")),
     "指标最多三级，不能再插入下级指标"),
    (lambda d: ops.InsertIndicator(unit(d).uid, unit(d).indicators[0].children[0].uid, 0, _group()),
     "该分组插入此处会超过三级指标"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 3, Indicator("远")), "插入位置无效"),
    (lambda d: ops.InsertIndicator(unit(d).uid, unit(d).indicators[1].uid, 2, Indicator("远")), "插入位置无效"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, -1, Indicator("前")), "插入位置无效"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 0, unit(d).indicators[1]), "该指标已在表中，不能重复插入"),
    (lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[0].uid, unit(d).indicators[0].children[0].uid, 0),
     "不能把指标移动到它自己的下级"),
    (lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[0].uid, None, 2), "移动位置无效"),
    (lambda d: ops.MoveIndicator(unit(d).uid, leaf(unit(d), "参保人数").uid, unit(d).indicators[1].children[0].uid, 2),
     "移动位置无效"),
    (lambda d: ops.MoveIndicator(unit(d).uid, leaf(unit(d), "参保人数").uid, None, -1), "移动位置无效"),
    (lambda d: ops.indent(d, unit(d).uid, leaf(unit(d), "发放及时率").uid), "指标最多三级，不能再降级"),
    (lambda d: ops.indent(d, unit(d).uid, leaf(unit(d), "参保人数").uid), "第一项没有可归入的上一项，不能降级"),
    (lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "参保人数").uid, -1), "已经是第一项"),
    (lambda d: ops.move_up_down(d, unit(d).uid, leaf(unit(d), "发放及时率").uid, 1), "已经是最后一项"),
    (lambda d: ops.outdent(d, unit(d).uid, unit(d).indicators[0].uid), "一级指标不能再升级"),
    (lambda d: ops.InsertRow(d.projects[0].uid, "budget.lines", 0), "只有部门整体表有项目支出明细"),
    (lambda d: ops.InsertRow(unit(d).uid, "budget.lines", 2), "插入位置无效"),
    (lambda d: ops.InsertRow(unit(d).uid, "budget.lines", 0, unit(d).budget.project_lines[0]), "该行已在表中"),
    (lambda d: ops.InsertRow(unit(d).uid, "evaluators", 0), "表格没有“evaluators”"),
    (lambda d: ops.RemoveRow(unit(d).uid, "budget.lines", 1), "请先选中要删除的行"),
    (lambda d: ops.RemoveRow(unit(d).uid, "evaluators", 0), "表格没有“evaluators”"),
    (lambda d: ops.InsertProject(0, Evaluation(kind=EvaluationKind.UNIT)), "只能添加项目支出绩效自评表"),
    (lambda d: ops.InsertProject(0, d.projects[0]), "该项目已在文档中"),
    (lambda d: ops.InsertProject(3, Evaluation(kind=EvaluationKind.PROJECT)), "插入位置无效"),
    (lambda d: ops.RemoveProject(unit(d).uid), "部门整体表不能删除"),
    (lambda d: ops.MoveProject(unit(d).uid, 0), "部门整体表不能移动"),
    (lambda d: ops.MoveProject(d.projects[0].uid, 2), "无法移动到该位置"),
    (lambda d: ops.duplicate_project(d, unit(d).uid), "部门整体表不能复制为项目"),
    (lambda d: ops.ReplaceEvaluation(unit(d).uid, Evaluation(kind=EvaluationKind.PROJECT)),
     "部门整体表只能由部门整体表替换，项目表只能由项目表替换"),
    (lambda d: ops.ReplaceEvaluation(unit(d).uid, d.projects[0]),
     "部门整体表只能由部门整体表替换，项目表只能由项目表替换"),
    (lambda d: ops.ReplaceEvaluation(d.projects[0].uid, d.projects[1]), "该表格已在文档中"),
]


@pytest.mark.parametrize("make,message", REFUSED)
def test_a_refused_operation_changes_nothing_and_says_why_in_chinese(make, message):
    doc = jinzhong_document()
    before, before_uids = dump(doc), uids(doc)
    with pytest.raises(OpError) as info:
        make(doc).apply(doc)
    assert str(info.value) == message
    assert dump(doc) == before and uids(doc) == before_uids


ACCEPTED = [
    # the edges of what is allowed
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", "0"),
     lambda d: leaf(unit(d), "参保人数").weight == 0),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "weight", Decimal("0.5")),
     lambda d: leaf(unit(d), "参保人数").weight == Decimal("0.5")),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "参保人数").uid, "method", "lower"),
     lambda d: leaf(unit(d), "参保人数").method is Method.LOWER),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "服务对象满意度").uid, "tier", "not_achieved"),
     lambda d: leaf(unit(d), "服务对象满意度").tier is Tier.NOT_ACHIEVED),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 2, Indicator("末尾")),
     lambda d: unit(d).indicators[2].name == "末尾"),
    # a tier on 按指标性质 whose 指标性质 is 定性 (the method follows it)
    (lambda d: ops.SetIndicatorField(unit(d).uid, _auto(d, "定性").uid, "tier", "部分达成"),
     lambda d: unit(d).indicators[-1].tier is Tier.PARTIAL),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "发放及时率").uid, "comparison", "大于等于"),
     lambda d: leaf(unit(d), "发放及时率").comparison == "≥"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, leaf(unit(d), "发放及时率").uid, "unit", "人" * 100),
     lambda d: len(leaf(unit(d), "发放及时率").unit) == 100),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 0, Indicator("开头")),
     lambda d: unit(d).indicators[0].name == "开头"),
    (lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[0].uid, None, 1),
     lambda d: [n.name for n in unit(d).indicators] == ["满意度指标", "产出指标"]),
    (lambda d: ops.MoveIndicator(unit(d).uid, unit(d).indicators[1].uid, None, 0),
     lambda d: [n.name for n in unit(d).indicators] == ["满意度指标", "产出指标"]),
    (lambda d: ops.MoveIndicator(unit(d).uid, leaf(unit(d), "参保人数").uid, unit(d).indicators[1].uid, 1),
     lambda d: [n.name for n in unit(d).indicators[1].children] == ["服务对象满意度", "参保人数"]),
    (lambda d: ops.InsertRow(unit(d).uid, "budget.lines", 0),
     lambda d: unit(d).budget.project_lines[0].name == "" and unit(d).budget.project_lines[1].name == "甲"),
    (lambda d: ops.InsertProject(2, Evaluation(kind=EvaluationKind.PROJECT, name="末")),
     lambda d: d.projects[2].name == "末"),
    (lambda d: ops.MoveProject(d.projects[1].uid, 0),
     lambda d: [p.name for p in d.projects] == ["入口补", "项目甲"]),
    (lambda d: ops.ReplaceEvaluation(d.projects[0].uid, Evaluation(kind=EvaluationKind.PROJECT, name="新")),
     lambda d: [p.name for p in d.projects] == ["新", "入口补"]),
]


@pytest.mark.parametrize("make,check", ACCEPTED)
def test_the_edges_of_what_an_operation_accepts(make, check):
    doc = jinzhong_document()
    before = dump(doc)
    changes = ops.apply(doc, make(doc))
    assert not changes.empty and check(doc) and dump(doc) != before


UNNAMED_LABELS = [
    (lambda d: ops.SetIndicatorField(unit(d).uid, _unnamed(d).uid, "weight", "5"), "修改“（未命名）”的分值"),
    (lambda d: ops.RemoveIndicator(unit(d).uid, _unnamed(d).uid), "删除指标“（未命名）”"),
    (lambda d: ops.MoveIndicator(unit(d).uid, _unnamed(d).uid, None, 0), "移动指标“（未命名）”"),
    (lambda d: ops.InsertIndicator(unit(d).uid, None, 0, Indicator("")), "插入指标“（未命名）”"),
    (lambda d: ops.InsertProject(0, Evaluation(kind=EvaluationKind.PROJECT)), "添加项目“（未命名）”"),
    (lambda d: ops.RemoveProject(_unnamed_project(d).uid), "删除项目“（未命名）”"),
    (lambda d: ops.MoveProject(_unnamed_project(d).uid, 0), "移动项目“（未命名）”"),
    (lambda d: ops.duplicate_project(d, _unnamed_project(d).uid), "复制项目“（未命名）”"),
    (lambda d: ops.SetProfileField("leader", "王五"), "修改单位负责人"),
    (lambda d: ops.SetIndicatorField(unit(d).uid, _unnamed(d).uid, "deviation_note", "原因"),
     "修改“（未命名）”的偏差原因分析及改进措施"),
]


def _auto(doc, comparison):
    node = Indicator("按性质", weight=Decimal(5), target="好", method=Method.AUTO, comparison=comparison)
    unit(doc).add(node)
    return node


def _unnamed(doc):
    node = Indicator("", weight=Decimal(1))
    unit(doc).add(node)
    return node


def _unnamed_project(doc):
    ev = Evaluation(kind=EvaluationKind.PROJECT)
    doc.projects.append(ev)
    return ev


@pytest.mark.parametrize("make,label", UNNAMED_LABELS)
def test_undo_steps_name_what_they_change_even_when_it_has_no_name(make, label):
    doc = jinzhong_document()
    operation = make(doc)
    assert operation.label(doc) == label
    _changes, inverse = operation.apply(doc)
    assert inverse.apply(doc)[1].label(doc) == label  # the redo step keeps the name


def test_changes_name_the_evaluations_to_rescore():
    doc = jinzhong_document()
    u, p = unit(doc).uid, doc.projects[1].uid
    assert ops.apply(doc, ops.InsertRow(p, "target_rows", 0)).evaluations == {p}
    assert ops.apply(doc, ops.RemoveRow(u, "budget.lines", 0)).evaluations == {u}
    assert ops.apply(doc, ops.InsertIndicator(u, None, 0, Indicator("新"))).evaluations == {u}
    assert ops.apply(doc, ops.MoveIndicator(u, unit(doc).indicators[0].uid, None, 1)).evaluations == {u}
    assert ops.apply(doc, ops.RemoveIndicator(u, unit(doc).indicators[1].uid)).evaluations == {u}
    assert ops.apply(doc, ops.SetProfileField("year", 2025)).evaluations == {u}
    moved = ops.apply(doc, ops.MoveProject(doc.projects[0].uid, 1))
    assert [(e.kind, e.row, e.old_row, e.evaluation.name) for e in moved.lists] == [("move", 2, 1, "项目甲")]
    rows = ops.apply(doc, ops.RemoveRow(p, "target_rows", 1)).rows
    assert [(r.kind, r.evaluation, r.table, r.index) for r in rows] == [("remove", p, "target_rows", 1)]
    rows = ops.apply(doc, ops.InsertRow(u, "budget.lines", 0)).rows
    assert [(r.kind, r.evaluation, r.table, r.index) for r in rows] == [("insert", u, "budget.lines", 0)]


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
    # issue 11 item 6: last year's money is not carried over unmarked — the rows stay, the figures go
    assert ev.budget.total.is_empty() and ev.budget.basic.is_empty() and ev.budget.project.is_empty()
    assert [line.name for line in ev.budget.project_lines] == ["甲"]
    assert ev.budget.project_lines[0].amounts.is_empty()
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


def test_a_project_added_or_imported_is_scored_by_the_documents_rule_set():
    """adopt_rule_set in the operations that add forms: every form of the document keeps its 评价规则."""
    doc = jinzhong_document()
    ops.apply(doc, SetRuleSet("hubei"))
    added = Evaluation(kind=EvaluationKind.PROJECT, name="新项目")
    changes, inverse = ops.InsertProject(0, added).apply(doc)
    assert added.rule_set == "hubei" and added.uid in changes.evaluations
    assert score_evaluation(added).rules.id == "hubei"
    inverse.apply(doc)
    assert added not in doc.projects and doc.rule_set == "hubei"
    replacement = Evaluation(kind=EvaluationKind.UNIT, layout="unit-jiangsu")
    ops.apply(doc, ops.ReplaceEvaluation(unit(doc).uid, replacement))
    assert unit(doc) is replacement and replacement.rule_set == "hubei"
    operation = ops.import_document(doc, _imported())
    assert operation.label(doc) == "导入"       # the undo step's name
    ops.apply(doc, operation)
    assert [p.rule_set for p in doc.projects] == ["hubei"] * len(doc.projects)
    # without a choice of the document's, a form keeps its own (its template's) rule set
    plain = jinzhong_document()
    own = Evaluation(kind=EvaluationKind.PROJECT, name="四川项目", rule_set="")
    ops.apply(plain, ops.InsertProject(0, own))
    assert own.rule_set == ""


def test_tier_follows_the_method_that_counts():
    doc = jinzhong_document()
    node = Indicator("按性质", weight=Decimal(5), target="好", method=Method.AUTO, comparison="≥")
    unit(doc).add(node)
    with pytest.raises(OpError, match="只有定性指标"):
        ops.SetIndicatorField(unit(doc).uid, node.uid, "tier", "达成").apply(doc)
    ops.apply(doc, ops.SetIndicatorField(unit(doc).uid, node.uid, "comparison", "定性"))
    ops.apply(doc, ops.SetIndicatorField(unit(doc).uid, node.uid, "tier", "达成"))
    assert node.tier is Tier.ACHIEVED
    assert score_evaluation(unit(doc)).of(node).score == Decimal(5)


def test_an_import_brings_its_rule_set_only_into_a_document_without_one():
    imported = _imported()
    imported.rule_set = "jiangxi"
    for ev in imported.evaluations():
        ev.rule_set = "jiangxi"
    doc = jinzhong_document()
    ops.apply(doc, ops.import_document(doc, imported))
    assert doc.rule_set == "jiangxi" and {ev.rule_set for ev in doc.evaluations()} == {"jiangxi"}
    ours = jinzhong_document()
    ops.apply(ours, SetRuleSet("hubei"))
    ops.apply(ours, ops.import_document(ours, _imported_with("jiangxi")))
    assert ours.rule_set == "hubei" and {ev.rule_set for ev in ours.evaluations()} == {"hubei"}
    elsewhere = jinzhong_document()
    ops.apply(elsewhere, ops.import_document(elsewhere, _imported_with("别处的规则")))
    assert elsewhere.rule_set == ""  # unknown here: not chosen for the document (the forms say so)


def _imported_with(rule_set):
    imported = _imported()
    imported.rule_set = rule_set
    for ev in imported.evaluations():
        ev.rule_set = rule_set
    return imported


def test_next_year_starts_from_the_adjusted_target_without_last_years_adjustment():
    doc = small_document()
    node = next(doc.unit_evaluation.leaves())
    node.comparison, node.unit = "≥", "万人"
    node.initial_target, node.adjust_reason = "≥12万人", "年中政策调整"
    new_leaf = next(ops.next_year(doc).unit_evaluation.leaves())
    assert (new_leaf.target, new_leaf.comparison, new_leaf.unit) == ("≥10万人", "≥", "万人")
    assert new_leaf.initial_target == "" and new_leaf.adjust_reason == ""
    assert node.initial_target == "≥12万人"  # last year's document keeps it


def test_a_text_far_too_long_is_refused_without_being_quoted():
    """Issue 10 item 6: a 20-million-character name hung the window."""
    doc = jinzhong_document()
    before = dump(doc)
    huge = "名" * 2_000_000
    for operation in (ops.SetProfileField("name", huge), ops.rename_project(doc.projects[0].uid, huge),
                      ops.SetIndicatorField(unit(doc).uid, leaf(unit(doc), "参保人数").uid, "name", huge)):
        with pytest.raises(OpError) as info:
            operation.apply(doc)
        assert "文字过长" in str(info.value) and len(str(info.value)) < 100
    assert dump(doc) == before
    # a long narrative is fine
    assert not ops.apply(doc, ops.SetEvaluationField(unit(doc).uid, "narrative.problems", "问" * 100_000)).empty


def test_a_name_may_hold_a_thousand_characters_and_no_more():
    doc = jinzhong_document()
    target = leaf(unit(doc), "参保人数")
    ops.apply(doc, ops.SetIndicatorField(unit(doc).uid, target.uid, "name", "名" * 1000))
    assert target.name == "名" * 1000
    with pytest.raises(OpError) as info:
        ops.SetIndicatorField(unit(doc).uid, target.uid, "name", "名" * 1001).apply(doc)
    assert str(info.value) == "文字过长（1001 个字符，此处最多 1000 个），没有写入"
    assert target.name == "名" * 1000
