"""Bringing an imported document into the open one: a plan the officer confirms, then one operation.

``plan_import`` matches every form of the import with the document's (the unit form
with the unit form, projects by code or by name) and proposes for each what an
officer would expect: new projects are added; a form that matches one of ours
replaces it only when ours holds nothing the officer entered; a filled form is
skipped unless the officer chooses otherwise — or, when the import is a 绩效目标表 (a
draft: targets, no results), its targets are taken onto the matching indicators with
更新指标值 (``ops.targets``: the officer's 实际完成值 and scores kept); 单位信息 and the year
are taken only when the document has none (or the officer asks). Prose that comes without its
form (a 情况说明 on its own) fills the sections that are empty in ours, nothing
else. ``plan_operations`` turns the confirmed plan into one batch (one undo step).
Pure Python: no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perfdesk.model.document import Document, Evaluation, EvaluationKind, UnitProfile
from perfdesk.ops import fields
from perfdesk.ops.base import batch
from perfdesk.ops.documents import InsertProject, ReplaceEvaluation, SetProfileField
from perfdesk.ops.evaluations import SetEvaluationField

ADD, REPLACE, SKIP, PROSE, TARGETS = "add", "replace", "skip", "prose", "targets"
ACTION_LABELS = {ADD: "添加为新项目", REPLACE: "替换", SKIP: "跳过", PROSE: "只取文字说明", TARGETS: "更新指标值"}

_CODE = re.compile(r"^\s*([0-9A-Za-z]{8,})\s*[-－—_ ]\s*(.+)$")
_SPACES = re.compile(r"[\s\u3000]+")


def project_key(name: str) -> tuple[str, str]:
    """(code, name) of a project as written: “51000021R000000019951-工资性支出” → (code, 工资性支出)."""
    name = (name or "").strip()
    match = _CODE.match(name)
    code, bare = (match.group(1), match.group(2)) if match else ("", name)
    bare = _SPACES.sub("", bare).replace("（", "(").replace("）", ")")
    return code.upper(), bare


def _same_project(a: Evaluation, b: Evaluation) -> bool:
    code_a, name_a = project_key(a.name)
    code_b, name_b = project_key(b.name)
    code_a = code_a or "".join(getattr(a.project, "code", "").split()).upper()
    code_b = code_b or "".join(getattr(b.project, "code", "").split()).upper()
    if code_a and code_b:
        return code_a == code_b
    return bool(name_a) and name_a == name_b


def has_prose_only(ev: Evaluation) -> bool:
    """An imported unit form that is only text (a 情况说明 or 评价报告 without its table)."""
    return (not ev.indicators and ev.execution is None and ev.budget.total.is_empty()
            and not ev.target_rows and bool(ev.narrative or ev.goals.expected or ev.goals.achieved))


@dataclass
class ImportChoice:
    imported: Evaluation
    target: Evaluation | None  # the form of ours it matches (None: nothing matches)
    action: str                # ADD / REPLACE / SKIP / PROSE
    reason: str                # Chinese: why this is proposed

    def actions(self) -> list[str]:
        """What the officer may choose for this form."""
        targets = [TARGETS] if self.target is not None and is_target_table(self.imported) else []
        if self.imported.kind is EvaluationKind.UNIT:
            options = [*targets, REPLACE, SKIP]
            if self.imported.narrative or self.imported.goals.expected or self.imported.goals.achieved:
                options.insert(len(options) - 1, PROSE)
            return options
        return [*targets, REPLACE, ADD, SKIP] if self.target is not None else [ADD, SKIP]


@dataclass
class ImportPlan:
    choices: list[ImportChoice] = field(default_factory=list)
    unit_name: str = ""         # the import's 单位名称 ("" when it names none)
    profile: UnitProfile | None = None  # the import's 单位信息
    take_profile: bool = False  # take its 单位信息
    year: int = 0               # the import's year (0 when it states none)
    take_year: bool = False
    rule_set: str = ""          # the import's 评价规则 (单位信息), "" when it chose none
    take_rule_set: bool = False  # the document has no choice of its own and that one is known here

    def summary(self) -> dict[str, int]:
        counts = {ADD: 0, REPLACE: 0, SKIP: 0, PROSE: 0, TARGETS: 0}
        for choice in self.choices:
            counts[choice.action] += 1
        return counts


def plan_import(doc: Document, imported: Document) -> ImportPlan:
    plan = ImportPlan(unit_name=imported.unit.name, profile=imported.unit, year=imported.year or 0)
    plan.take_profile = bool(imported.unit.name) and not doc.unit.name
    plan.take_year = bool(imported.year) and not doc.year
    from perfdesk.scoring.rules import is_known

    plan.rule_set = imported.rule_set
    plan.take_rule_set = bool(imported.rule_set) and not doc.rule_set and is_known(imported.rule_set)
    unit = imported.unit_evaluation
    if unit.has_content():
        ours = doc.unit_evaluation
        if has_prose_only(unit):
            plan.choices.append(ImportChoice(unit, ours, PROSE, "只有文字说明：填入本文档中尚空的各节"))
        elif is_target_table(unit) and ours.is_filled():
            plan.choices.append(ImportChoice(unit, ours, TARGETS, _targets_reason(doc, ours, unit, "部门整体表")))
        elif ours.is_filled():
            plan.choices.append(ImportChoice(unit, ours, SKIP, "本文档的部门整体表已填写，默认不替换"))
        else:
            plan.choices.append(ImportChoice(unit, ours, REPLACE, "本文档的部门整体表尚未填写"))
    taken: set[int] = set()
    for project in imported.projects:
        match = next((p for p in doc.projects if p.uid not in taken and _same_project(p, project)), None)
        if match is None:
            plan.choices.append(ImportChoice(project, None, ADD, "本文档中没有同名项目"))
            continue
        taken.add(match.uid)
        if is_target_table(project) and match.is_filled():
            plan.choices.append(ImportChoice(project, match, TARGETS, _targets_reason(
                doc, match, project, f"已有同名项目“{match.name}”")))
        elif match.is_filled():
            plan.choices.append(ImportChoice(project, match, SKIP, f"已有同名项目“{match.name}”且已填写，默认不替换"))
        else:
            plan.choices.append(ImportChoice(project, match, REPLACE, f"已有同名项目“{match.name}”，尚未填写"))
    return plan


def is_target_table(ev: Evaluation) -> bool:
    """An imported form that carries targets and no results (a 绩效目标表, or a 自评表 not yet filled)."""
    from perfdesk.checks.draft import is_draft

    return is_draft(ev) and any(n.target.strip() for n in ev.leaves())


def _targets_reason(doc: Document, ours: Evaluation, theirs: Evaluation, what: str) -> str:
    from perfdesk.checks.draft import is_draft
    from perfdesk.ops.targets import update_targets

    state = "（草稿，尚未填写实际完成值）" if is_draft(ours) else "已填写实际完成值"
    return f"{what}{state}：{update_targets(doc, ours, theirs).summary()}"


def plan_operations(doc: Document, plan: ImportPlan, text: str = "导入"):
    """The confirmed plan as one operation."""
    operations: list = []
    added = 0
    for choice in plan.choices:
        if choice.action == SKIP:
            continue
        if choice.action == PROSE:
            operations.extend(_prose(doc.unit_evaluation, choice.imported))
        elif choice.action == TARGETS and choice.target is not None:
            from perfdesk.ops.targets import update_targets

            operations.extend(update_targets(doc, choice.target, choice.imported).operations)
        elif choice.action == REPLACE and choice.target is not None:
            operations.append(ReplaceEvaluation(choice.target.uid, choice.imported))
        elif choice.action == ADD and choice.imported.kind is EvaluationKind.PROJECT:
            operations.append(InsertProject(len(doc.projects) + added, choice.imported))
            added += 1
    if plan.take_profile and plan.profile is not None:
        operations.extend(SetProfileField(f, getattr(plan.profile, f)) for f in fields.PROFILE_FIELDS
                          if getattr(plan.profile, f))
    if plan.take_year and plan.year:
        operations.append(SetProfileField("year", plan.year))
    if plan.take_rule_set and plan.rule_set:
        from perfdesk.ops.rule_sets import SetRuleSet

        operations.append(SetRuleSet(plan.rule_set))  # last: every form, the added ones too
    return batch(operations, text)


def _prose(ours: Evaluation, theirs: Evaluation) -> list:
    """The imported texts that go into sections of ours that are still empty."""
    operations = []
    for key, text in theirs.narrative.items():
        if text.strip() and not ours.narrative.get(key, "").strip():
            operations.append(SetEvaluationField(ours.uid, f"narrative.{key}", text))
    for part in ("expected", "achieved"):
        text = getattr(theirs.goals, part)
        if text.strip() and not getattr(ours.goals, part).strip():
            operations.append(SetEvaluationField(ours.uid, f"goals.{part}", text))
    return operations
