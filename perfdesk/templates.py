"""Templates (indicator frameworks) shipped as data in resources/templates/ (SPEC §2).

A template is a JSON file: its level-1/level-2 groups with default weights,
typical level-3 indicators with default targets (with 指标性质 ``comparison``
and 计量单位 ``unit``), methods and rule texts, the execution line's weight and
rounding rule, the print layout, the rule set (评价规则, resources/rules) that
scores its forms and, for a unit template, the project template that goes with
it. A province's variant is a new file (or two: a template and a rule set), not
new code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from perfdesk.model.document import (
    Document,
    Evaluation,
    EvaluationKind,
    ExecutionLine,
    Indicator,
    Method,
    UnitProfile,
)
from perfdesk.model.layouts import LayoutError, get_layout, project_layout_for
from perfdesk.model.values import parse_comparison
from perfdesk.resources import resource


class TemplateError(Exception):
    """A template file is missing or malformed (Chinese message)."""


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    kind: str  # "unit" | "project"
    layout: str
    description: str
    execution_weight: Decimal | None
    execution_rounding: str
    indicators: tuple  # the raw JSON trees
    rule_set: str = ""          # 评价规则 id ('' → 财政部)
    project_template: str = ""  # unit templates: the project template that goes with it ('' → by layout)
    source: str = ""            # the circular or published form the framework follows

    def build_indicators(self) -> list[Indicator]:
        """Fresh indicator trees (new uids) from the template."""
        return [_build(node) for node in self.indicators]


def _build(node: dict) -> Indicator:
    weight = node.get("weight")
    indicator = Indicator(
        name=node["name"],
        weight=None if weight is None else Decimal(str(weight)),
        target=node.get("target", ""),
        method=Method(node.get("method", "manual")),
        rule_text=node.get("rule_text", ""),
        comparison=parse_comparison(node.get("comparison", "")),
        unit=node.get("unit", ""),
    )
    for child in node.get("children", ()):
        indicator.add(_build(child))
    return indicator


@lru_cache(maxsize=None)
def _load_all() -> dict[str, Template]:
    templates: dict[str, Template] = {}
    folder = resource("templates")
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weight = data.get("execution_weight")
            template = Template(
                id=data["id"], name=data["name"], kind=data["kind"], layout=data["layout"],
                description=data.get("description", ""),
                execution_weight=None if weight is None else Decimal(str(weight)),
                execution_rounding=str(data.get("execution_rounding", "0.01")),
                indicators=tuple(data.get("indicators", ())),
                rule_set=str(data.get("rule_set") or ""),
                project_template=str(data.get("project_template") or ""),
                source=str(data.get("source") or ""),
            )
            template.build_indicators()  # validate methods and weights now
            layout = get_layout(template.layout)
        except LayoutError as exc:
            raise TemplateError(f"模板文件 {path.name}：{exc}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise TemplateError(f"模板文件 {path.name} 格式错误：{exc}") from exc
        if layout.kind != template.kind:
            raise TemplateError(f"模板文件 {path.name}：表样“{layout.id}”不是{template.kind}类表样")
        if template.rule_set:
            from perfdesk.scoring.rules import RuleSetError, is_known

            try:
                known = is_known(template.rule_set)
            except RuleSetError as exc:
                raise TemplateError(f"模板文件 {path.name}：{exc}") from exc
            if not known:
                raise TemplateError(f"模板文件 {path.name}：字段“rule_set”引用的评价规则“{template.rule_set}”不存在")
        templates[template.id] = template
    for template in templates.values():
        partner = templates.get(template.project_template) if template.project_template else None
        if template.project_template and (partner is None or partner.kind != "project"
                                          or template.kind != "unit"):
            raise TemplateError(f"模板“{template.id}”的配套项目模板“{template.project_template}”无效")
    return templates


def list_templates(kind: str | None = None) -> list[Template]:
    return [t for t in _load_all().values() if kind is None or t.kind == kind]


def load_template(template_id: str) -> Template:
    try:
        return _load_all()[template_id]
    except KeyError:
        raise TemplateError(f"找不到模板“{template_id}”") from None


def new_evaluation(template_id: str, name: str = "") -> Evaluation:
    template = load_template(template_id)
    ev = Evaluation(
        kind=EvaluationKind(template.kind),
        name=name,
        template=template.id,
        layout=template.layout,
        execution=None if template.execution_weight is None else ExecutionLine(weight=template.execution_weight),
        execution_rounding=template.execution_rounding,
    )
    for root in template.build_indicators():
        ev.add(root)
    return ev


def default_project_template(unit_template_id: str) -> str:
    """The project template that goes with a unit template: its own ``project_template``,
    else its layout's paired project layout's template."""
    unit = _load_all().get(unit_template_id)
    if unit is not None and unit.project_template:
        return unit.project_template
    return project_layout_for(unit.layout if unit is not None else "").template


def template_rule_set(template_id: str) -> str:
    """The rule set a template names ('' when it names none or is unknown)."""
    template = _load_all().get(template_id)
    return template.rule_set if template is not None else ""


def default_unit_template() -> str:
    """The template of a new document when the officer has not chosen one."""
    from perfdesk.model.layouts import DEFAULTS

    return get_layout(DEFAULTS["unit"]).template


def new_document(unit_template_id: str, year: int, unit_name: str = "") -> Document:
    template = load_template(unit_template_id)
    if template.kind != "unit":
        raise TemplateError(f"“{template.name}”不是部门整体模板")
    doc = Document(unit=UnitProfile(name=unit_name), year=year)
    doc.unit_evaluation = new_evaluation(unit_template_id, name=unit_name)
    return doc


def describe_template(template_id: str) -> str:
    """“名称：说明（依据：…）” for the new-document dialog and the help."""
    t = load_template(template_id)
    text = f"{t.name}：{t.description}" if t.description else t.name
    return f"{text}（依据：{t.source}）" if t.source else text


def template_groups(template_id: str) -> list[Indicator]:
    """Fresh copies of the template's level-1 trees (for 'insert group from template')."""
    return load_template(template_id).build_indicators()
