"""Assembling the forms and prose found in a file into one ``Document``, with its report.

Input: the ``text_rows.Item``s a reader made of the file (rows and paragraphs). They are
cut into forms and prose (``segmentation``); each form goes to the family that
recognises it best (``families.recognise``, through the layout registry) and is read;
then the unit form, the project forms, the 情况说明 and the reports are put together:
the unit profile, the year, 自评综述 matched to their projects by name. Every stated
score, total and grade is kept as stated: the checks show where the originals are wrong.
Either the whole import succeeds or ``TextImportError`` (Chinese message) is raised.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfdesk.exchange.families import recognise
from perfdesk.exchange.families.generic import guess_kind
from perfdesk.exchange.families.base import FormReader, FormResult
from perfdesk.exchange.import_report import FormReport, ImportReport
from perfdesk.exchange.prose import join_paragraphs, unit_report_sections
from perfdesk.exchange.segmentation import Segment, segment
from perfdesk.exchange.text_rows import Item, compact, tidy_name
from perfdesk.model.document import Document, Evaluation, EvaluationKind, Method, UnitProfile
from perfdesk.model.import_notes import ImportNote, add_import_note
from perfdesk.templates import load_template


class TextImportError(Exception):
    """Nothing recognisable in the text, or a form that cannot be read (Chinese message)."""


@dataclass
class ImportResult:
    document: Document
    report: list[str] = field(default_factory=list)   # the report's lines, in Chinese
    summary: ImportReport | None = None               # the report as data


METHOD_COUNT_LABELS = {
    Method.HIGHER: "正向", Method.LOWER: "反向", Method.TIERS: "定性三档",
    Method.EXECUTION_RATE: "预算执行率", Method.ARRIVAL_RATE: "资金到位率", Method.MANUAL: "手工评分",
}
NO_FORM_MESSAGE = (
    "没有找到可识别的绩效自评表或评价报告（需要如“一级指标/二级指标/三级指标/分值/得分”的表格，"
    "或“项目支出绩效自评表”“部门整体支出绩效自评表”等标题）")


def _leaf_count(ev: Evaluation) -> int:
    return sum(1 for n in ev.walk() if n.level == 3 or (not n.children and n.weight is not None
                                                         and n.parent is not None))


def _describe_methods(ev: Evaluation) -> str:
    counts: dict[Method, int] = {}
    for node in ev.walk():
        if not node.children and (node.weight is not None or node.target or node.actual):
            counts[node.method] = counts.get(node.method, 0) + 1
    return "、".join(f"{METHOD_COUNT_LABELS.get(m, m.label)} {n} 项" for m, n in counts.items())


def _budget_lines(ev: Evaluation) -> int:
    b = ev.budget
    amounts = [b.total, b.basic, b.project, *b.sources.values(), *(line.amounts for line in b.project_lines)]
    return sum(1 for a in amounts if not a.is_empty())


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, compact(a), compact(b)).ratio()


def _match_project(projects: list[Evaluation], text: str) -> Evaluation | None:
    best, score = None, 0.0
    for ev in projects:
        if ev.name and ev.name in text:
            return ev
        s = _similar(ev.name, text)
        if s > score:
            best, score = ev, s
    return best if score >= 0.6 else None


def _details(ev: Evaluation) -> list[str]:
    from perfdesk.model.amounts import format_wan
    from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE
    from perfdesk.scoring import format_rate

    lines = []
    t = ev.budget.total
    figures = [f"{label} {format_wan(v)}" for label, v in (
        ("年初预算数", t.initial_budget), ("全年预算数", t.annual_budget), ("全年执行数", t.spent))
        if v is not None]
    if figures:
        extra = f"；项目支出明细 {len(ev.budget.project_lines)} 行" if ev.budget.project_lines else ""
        lines.append(f"资金（万元）：{'，'.join(figures)}{extra}")
    if ev.execution is not None:
        rate = format_rate(ev.execution.stated_rate)
        lines.append(f"预算执行率一栏：分值 {ev.execution.weight}，填报执行率 {rate or '（空）'}，"
                     f"填报得分 {'（空）' if ev.execution.stated_score is None else ev.execution.stated_score}")
    if ev.goals.expected or ev.goals.achieved:
        read = [label for label, text in (("预期目标", ev.goals.expected), ("实际完成情况", ev.goals.achieved)) if text]
        lines.append(f"年度总体目标：{'、'.join(read)}已读取")
    if ev.target_rows:
        lines.append(f"绩效目标实现情况：{len(ev.target_rows)} 行")
    if ev.evaluators:
        lines.append(f"评价人员：{'、'.join(e.name for e in ev.evaluators)}")
    titles = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
    if ev.narrative:
        lines.append("文字部分：" + "、".join(titles.get(k, k) for k in ev.narrative))
    if ev.stated_grade:
        lines.append(f"填报等级“{ev.stated_grade}”已按原表保留")
    return lines


def _weight_total(ev: Evaluation) -> Decimal:
    total = sum((n.weight or 0) for n in ev.walk() if not n.children)
    return Decimal(total) + (ev.execution.weight if ev.execution is not None else 0)


def _unit_template_for(projects: list[FormResult], has_unit_report: bool) -> str:
    """The unit form of a document imported without one.

    Projects of one layout get the unit form that layout pairs with; a 整体绩效评价报告
    without any form goes with the unit form that has 评价要点及评分规则 and that the
    import reads (its report sections are that form's); else the default unit form.
    """
    from perfdesk.model.layouts import DEFAULTS, get_layout, layouts

    project_layouts = {p.evaluation.layout for p in projects}
    if len(project_layouts) == 1:
        (only,) = project_layouts
        units = [u for u in layouts("unit") if u.pairs_with == only]
        preferred = [u for u in units if u.id == DEFAULTS["unit"]]
        if units:
            return (preferred or units)[0].template
    if has_unit_report and not projects:
        readable = [u for u in layouts("unit") if u.has_rule_column and u.recogniser]
        if readable:
            return readable[0].template
    return get_layout(DEFAULTS["unit"]).template


def describe_forms(doc: Document, report: ImportReport, family: str) -> None:
    """Form entries for a document read by another importer (the lines already tell of them)."""
    for ev in doc.evaluations():
        if ev.kind is EvaluationKind.UNIT and not ev.indicators and ev.budget.total.is_empty():
            continue
        report.add_form(FormReport(
            kind=ev.kind.value, name=ev.name or (doc.unit.name if ev.kind is EvaluationKind.UNIT else ""),
            family=family, layout=ev.layout, groups=len(ev.indicators), indicators=_leaf_count(ev),
            budget_lines=_budget_lines(ev), methods=_describe_methods(ev),
            stated_total=None if ev.stated_total is None else str(ev.stated_total)), listed=False)


_TEXT_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


def _year_from_the_forms_text(seg: Segment, result: FormResult, reader: FormReader):
    """A form that prints no year anywhere but whose own texts (年度目标 and what was achieved) speak
    of one year only (“中心2021年较好地完成了履职任务”): that year, reported for the officer to check."""
    ev = result.evaluation
    texts = seg.paragraphs() + [ev.goals.expected or "", ev.goals.achieved or ""]
    years = {int(m.group(1)) for text in texts for m in _TEXT_YEAR_RE.finditer(compact(text))}
    if len(years) == 1:
        result.year = years.pop()
        reader.guess(f"表中没有年度：表内文字只提到 {result.year} 年，取作年度，请核对")


_FORM_TAIL_RE = re.compile(r"(?:项目支出|支出)?(?:预算)?绩效(?:目标)?(?:自评|自我评价|评价|评分|计分)(?:指标)?(?:表|报告)?$")
_TITLE_YEAR_RE = re.compile(r"(?:19|20)\d{2}\s*年度?")
_NOT_A_NAME_RE = re.compile(r"自评|评价|评分|\.(?:pdf|docx?|xlsx?|wps|et)", re.IGNORECASE)
_ORGANISATION_RE = re.compile(r"(?:局|中心|院|校|委|办|所|站|队|馆|厅|政府|街道|乡|镇|县|区|市|单位|部门|公司|会)$")


def name_from_title(title: str) -> str:
    """The project a form's title names, when its table names none: “彭水自治县2024年度<name>绩效自评表”
    → the words between the year and the form's words; “<name>2021年预算绩效自评” → the words before
    the year. "" when the title names only the form (“2020年项目支出绩效自评指标计分表”)."""
    t = compact(title or "").strip("*＊")
    bare = _FORM_TAIL_RE.sub("", t)
    if bare == t:
        return ""
    year = _TITLE_YEAR_RE.search(bare)
    if year is None:
        return ""
    after, before = bare[year.end():].strip("*＊"), bare[:year.start()].strip("*＊")
    name = after or before
    if len(name) < 4 or _ORGANISATION_RE.search(name) or _NOT_A_NAME_RE.search(name):
        return ""   # “…指挥中心2018年度项目支出绩效自评表”: the unit's name, not the project's
    return name


def _read_form(seg: Segment, report: ImportReport, origin: str):
    rows = seg.rows()
    if seg.title and rows and "整体" in seg.title and not any("整体" in c for r in rows[:5] for c in r):
        # the title is the only place the form says it is a 部门整体 form (“部门整体绩效自评表” over
        # rows of 指标名称 / 计量单位 …): it stands at the top of the form, so it is read with it
        rows = [[seg.title]] + rows
    elif seg.title and rows and guess_kind([[seg.title]]) is EvaluationKind.PROJECT and guess_kind(rows) is None:
        rows = [[seg.title]] + rows   # likewise a 项目支出 title over a table that names no project
    family = recognise(rows)
    where = seg.where or f"第 {seg.line} 行起"
    label = f"{where}的“{seg.title or '表格'}”"
    if family is None:
        if rows:
            report.skip(f"{label}不是可识别的自评表（{len(rows)} 行）")
        return None
    from perfdesk.model.layouts import get_layout

    notes: list[str] = []
    reader = FormReader(notes, get_layout(family.layout), family.label)
    reader.exact = seg.exact
    for item in seg.items:
        for note in item.notes:
            reader.guess(note)
    result = family.read()(rows, reader)
    ev = result.evaluation
    if result.year is None and not seg.year:
        _year_from_the_forms_text(seg, result, reader)
    if ev.kind is EvaluationKind.PROJECT and not ev.name:
        for title in (seg.title, seg.heading):
            name = name_from_title(title)
            if name:
                ev.name = name
                reader.guess(f"表中没有项目名称：取标题“{title}”中的“{name}”，请核对")
                break
    if not ev.indicators and ev.budget.total.is_empty() and not result.unit_name and not ev.name:
        report.skip(f"{label}中没有找到指标、预算或名称", notes)
        return None
    kind = ev.kind.value
    form = FormReport(
        kind=kind, name=result.unit_name if ev.kind is EvaluationKind.UNIT else ev.name,
        family=result.family or family.label, layout=ev.layout, where=where,
        groups=len(ev.indicators), indicators=_leaf_count(ev), budget_lines=_budget_lines(ev),
        methods=_describe_methods(ev),
        stated_total=None if ev.stated_total is None else str(ev.stated_total),
        unscored=result.unscored, details=_details(ev), notes=notes,
        skipped=list(reader.skipped), guessed=list(reader.guessed),
    )
    if seg.placeholders:
        form.skipped.append(f"{seg.placeholders} 行“……”占位行")
    if ev.stated_total is not None:
        form.details.append(f"填报总分 {ev.stated_total} 已按原表保留（审核时与各项得分合计比对）")
    if any(n.weight is not None for n in ev.walk()):
        weight = _weight_total(ev)
        if weight < 100:
            form.notes.append(f"注意：指标分值合计仅 {weight}（含预算执行率一栏），不足 100，原表不完整或分值未填全")
    for u in reader.uncertain:
        where_cell = "" if u.indicator is None else f"“{u.indicator.name or '（未命名）'}”："
        form.uncertain.append(f"{where_cell}{u.message}")
        add_import_note(ev, ImportNote(u.message, u.indicator, u.field))
    report.add_form(form)
    return result


def assemble(items: list[Item], report: ImportReport | None = None) -> ImportResult:
    """Import every form and prose section found in ``items`` into one document."""
    report = report if report is not None else ImportReport()
    segments, loose = segment(items)
    units: list[FormResult] = []
    projects: list[FormResult] = []
    years: list[int] = []
    unit_reports: list[Segment] = []
    project_reports: list[Segment] = []
    explanations: list[Segment] = []
    for seg in segments:
        if seg.year:
            years.append(seg.year)
        if seg.kind == "explanation":
            explanations.append(seg)
            continue
        if seg.kind == "report":
            (unit_reports if ("整体" in seg.title or "部门" in seg.title) else project_reports).append(seg)
            continue
        result = _read_form(seg, report, "")
        if result is None:
            continue
        if result.year and not seg.year:
            years.append(result.year)
        (units if result.evaluation.kind is EvaluationKind.UNIT else projects).append(result)

    if not units and not projects and not unit_reports and not project_reports and not explanations:
        raise TextImportError(NO_FORM_MESSAGE)

    doc = Document()
    for extra in units[1:]:
        report.skip(f"第二份部门整体自评表“{extra.unit_name}”（一个文档只有一份部门整体评价）")
    project_evs = [p.evaluation for p in projects]
    if units:
        unit = units[0]
        doc.unit_evaluation = unit.evaluation
    else:
        template = _unit_template_for(projects, bool(unit_reports))
        doc.unit_evaluation = Evaluation(kind=EvaluationKind.UNIT, template=template,
                                         layout=load_template(template).layout,
                                         execution_rounding=load_template(template).execution_rounding)
        unit = None
    doc.projects = project_evs
    ue = doc.unit_evaluation
    _profile(doc, unit, projects, unit_reports, report)
    if not ue.name:
        ue.name = doc.unit.name

    if years:
        doc.year = years[0]
        if len(set(years)) > 1:
            report.note(f"文中出现多个年度（{'、'.join(map(str, sorted(set(years))))}），文档年度取 {doc.year}")
    else:
        report.note("未找到年度，请在单位信息中填写")

    _prose(ue, project_evs, explanations, unit_reports, project_reports, report)
    text_paras = [it.text for it in loose if len(compact(it.text)) > 1]
    if text_paras:
        report.skip(f"{len(text_paras)} 段无法归属的文字（如“{text_paras[0][:20]}”）")
    return ImportResult(doc, report.lines(), report)


def _named_unit(seg: Segment) -> str:
    """The unit a report's cover names (“部门(单位)名称: …”), before the words of its title."""
    from perfdesk.exchange.vocabulary import meta_label

    for cells in seg.rows():
        filled = [c for c in cells if c.strip()]
        if len(filled) >= 2 and meta_label(filled[0]) == "unit_name":
            return tidy_name(filled[1])
    return ""


def _profile(doc: Document, unit: FormResult | None, projects: list[FormResult],
             unit_reports: list[Segment], report: ImportReport) -> None:
    profile = UnitProfile()
    if unit is not None:
        profile.name = unit.unit_name
        profile.functions, profile.organisation = unit.functions, unit.organisation
        profile.supervisor = unit.supervisor if unit.supervisor != unit.unit_name else ""
    if not profile.name and unit_reports:
        profile.name = _named_unit(unit_reports[0])
    if not profile.name and unit_reports:
        m = re.match(r"^(.*?)(?:(?:19|20)\d{2}\s*年度?)", compact(unit_reports[0].title))
        if m and m.group(1):
            profile.name = m.group(1)
    supervisors = [p.evaluation.project.supervisor for p in projects if p.evaluation.project.supervisor]
    implementers = [p.evaluation.project.implementer for p in projects if p.evaluation.project.implementer]
    if not profile.name and (implementers or supervisors):
        profile.name = (implementers or supervisors)[0]
        report.note(f"文中没有部门整体自评表，单位名称取自项目的实施单位/主管部门：“{profile.name}”")
    if supervisors and supervisors[0] != profile.name and not profile.supervisor:
        profile.supervisor = supervisors[0]
    for p in [unit, *projects]:
        if p is not None and p.contacts:
            profile.leader = profile.leader or p.contacts.get("leader", "")
            profile.finance_leader = profile.finance_leader or p.contacts.get("finance_leader", "")
            profile.preparer = profile.preparer or p.contacts.get("preparer", "")
            profile.phone = profile.phone or p.contacts.get("phone", "")
            if p.contacts.get("date"):  # the 填报日期 written on the form, printed as written
                p.evaluation.narrative.setdefault("filled_date", p.contacts["date"])
    doc.unit = profile


def _prose(ue: Evaluation, project_evs: list[Evaluation], explanations: list[Segment],
           unit_reports: list[Segment], project_reports: list[Segment], report: ImportReport) -> None:
    # 预算绩效情况说明 with its 自评综述
    for seg in explanations:
        paras = seg.paragraphs()
        body = "\n".join([seg.title, *paras]) if seg.title else "\n".join(paras)
        previous = ue.narrative.get("explanation")
        ue.narrative["explanation"] = f"{previous}\n{body}" if previous else body
        report.add_prose(f"读取：“{seg.title}”（{len(paras)} 段）→ 部门整体的预算绩效情况说明")
        for p in paras:
            m = re.match(r"^(.+?)项目?绩效自评综述\s*[:：]", p)
            if not m:
                continue
            target = _match_project(project_evs, m.group(1))
            if target is not None:
                target.narrative["summary"] = p
                report.add_sub(f"“{m.group(1)}”的自评综述 → 项目“{target.name}”")
            else:
                report.add_sub(f"“{m.group(1)}”的自评综述没有对应的项目自评表，只保留在情况说明中")
    # 整体绩效评价报告
    for seg in unit_reports:
        paras = seg.paragraphs()
        sections = unit_report_sections(paras)
        ue.narrative.update(sections)
        full = "\n".join(paras)
        report.add_prose(f"读取：“{seg.title}”（{len(paras)} 段）→ 部门整体的评价报告（{len(sections)} 节）")
        m = re.search(r"得分为?[ \t]*(\d{1,3}(?:\.\d{1,2})?)[ \t]*分[\s，,]{0,4}(?:等级|等次)为?[ \t]*([优良中差])", full)
        if m and ue.stated_total is None:
            ue.stated_total = Decimal(m.group(1))
            ue.stated_grade = m.group(2)
            report.add_sub(f"报告中的评价结论：得分 {m.group(1)}，等级“{m.group(2)}” → 部门整体的填报总分与等级")
    # 项目绩效评价报告
    for seg in project_reports:
        body = join_paragraphs(seg.paragraphs())
        text_all = f"{seg.title}\n{body}"
        name_part = re.sub(r"(项目支出|项目)?绩效评价报告$", "", compact(seg.title))
        target = _match_project(project_evs, name_part)
        if target is not None:
            target.narrative["report"] = text_all
            report.add_prose(f"读取：“{seg.title}”→ 项目“{target.name}”的项目绩效评价报告（按名称匹配）")
        else:
            previous = ue.narrative.get("explanation")
            ue.narrative["explanation"] = f"{previous}\n{text_all}" if previous else text_all
            report.add_prose(f"读取：“{seg.title}”没有对应的项目自评表，放入部门整体的预算绩效情况说明")


__all__ = ["ImportResult", "TextImportError", "assemble"]
