"""Narrative drafts: every figure a draft states is the figure the scoring module and the
forms give; nothing is claimed that the scores do not say; empty figures give placeholders."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.demo import demo_document
from perfdesk.drafts import draft, drafts
from perfdesk.drafts.facts import Facts, clean
from perfdesk.drafts.outline import (
    EXPLANATION, PROJECT_SELF_REPORT, UNIT_REPORT, blocks, section_uses, split_title,
)
from perfdesk.exchange.text_import import import_text
from perfdesk.model.amounts import format_wan, wan_to_fen
from perfdesk.model.document import (
    PROJECT_NARRATIVE, UNIT_NARRATIVE, Amounts, Budget, Document, Evaluation, EvaluationKind, ExecutionLine,
    Goals, Indicator, Method, UnitProfile,
)
from perfdesk.samples import synthetic_document
from perfdesk.scoring import (
    execution_rate, format_rate, format_score, score_evaluation,
)

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
CLAIMS_ALL_MET = ("均得满分", "均达到", "全部完成", "均已完成", "均完成", "未发现明显问题")


def seed(prefix: str) -> Document:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed {prefix} missing")
    return import_text(files[0].read_text(encoding="utf-8")).document


def all_drafts(doc: Document):
    for ev in doc.evaluations():
        for key, d in drafts(doc, ev).items():
            yield ev, key, d


def expected(doc: Document, fig):
    """(value, text) a figure must have, computed here from the model and perfdesk.scoring."""
    key = fig.key
    if key.startswith("rule.grade."):
        from perfdesk.scoring.rules import default_rule_set, rule_set_of

        ev = doc.find_evaluation(fig.evaluation) if fig.evaluation is not None else None
        rules = rule_set_of(ev) if ev is not None else default_rule_set()
        bands = rules.unit_grades if ev is doc.unit_evaluation and rules.unit_grades else rules.grades
        floor = dict((g, f) for f, g in bands)[key.rsplit(".", 1)[1]]
        return floor, format_score(floor)
    if key.startswith("rule."):
        return fig.value, fig.text
    ev = doc.find_evaluation(fig.evaluation)
    assert ev is not None, fig
    sc = score_evaluation(ev)
    scores = {"total": sc.total, "weight_total": sc.weight_total, "indicator_weight": sc.indicator_weight,
              "execution.score": sc.execution_score,
              "execution.weight": ev.execution.weight if ev.execution else None}
    if key in scores:
        return scores[key], format_score(scores[key])
    if key == "grade":
        return sc.grade, sc.grade
    if key == "execution_rate":
        return execution_rate(ev), format_rate(execution_rate(ev))
    if key == "year":
        return doc.year, str(doc.year)
    if key == "budget.unspent":
        t = ev.budget.total
        return t.annual_budget - t.spent, format_wan(t.annual_budget - t.spent)
    if key.startswith("budget."):
        *line, column = key.split(".")[1:]
        amounts = ev.budget.sources[line[1]] if line[0] == "sources" else getattr(ev.budget, line[0])
        fen = getattr(amounts, column)
        return fen, format_wan(fen)
    if key == "projects.annual_budget":
        fen = sum(p.budget.total.annual_budget for p in doc.projects)
        return fen, format_wan(fen)
    if key.startswith("indicator."):
        _, uid, what = key.split(".", 2)
        node = ev.find(int(uid))
        s = sc.by_uid[int(uid)]
        if what == "score":
            return s.score, format_score(s.score)
        if what == "weight":
            return s.weight, format_score(s.weight)
        if what == "stated_weight":
            return node.weight, format_score(node.weight)
        if what == "ratio":
            return s.ratio, format_rate(s.ratio)
        if what in ("name", "target", "actual"):
            return getattr(node, what), clean(getattr(node, what))
        if what.startswith("deviation_"):
            assert fig.text in " ".join(node.deviation_note.split())
            return fig.value, fig.text
    if key == "count.projects":
        return len(doc.projects), str(len(doc.projects))
    if key.startswith("count."):
        assert isinstance(fig.value, int) and fig.text == str(fig.value)
        return fig.value, fig.text
    if key.startswith("target_rows.") and key.endswith(".progress"):
        from perfdesk.printing.forms_project import target_progress  # what the 晋中 form prints

        row = ev.target_rows[int(key.split(".")[1])]
        return target_progress(row), format_rate(target_progress(row))
    return fig.value, fig.text  # quotes of the officer's text and rule constants: checked below


DOCS = {
    "seed000": lambda: seed("000"), "seed001": lambda: seed("001"), "seed002": lambda: seed("002"),
    "seed003": lambda: seed("003"), "seed004": lambda: seed("004"), "demo": demo_document,
    "synthetic": lambda: synthetic_document(projects=6, unit_indicators=20, project_indicators=8),
}


@pytest.mark.parametrize("name", DOCS)
def test_every_figure_in_every_draft_is_the_scoring_modules(name):
    doc = DOCS[name]()
    checked = 0
    for ev, key, d in all_drafts(doc):
        for sentence in d.sentences:
            for fig in sentence.figures:
                assert fig.text in sentence.text
                value, text = expected(doc, fig)
                assert fig.value == value, (ev.name, key, fig)
                assert fig.text == text, (ev.name, key, fig)
                checked += 1
            if sentence.heading:
                continue
            # every number a sentence states is one of its figures: strip them, no digit is left
            rest = sentence.text
            for fig in sorted(sentence.figures, key=lambda f: -len(f.text)):
                rest = rest.replace(fig.text, "")
            assert not re.search(r"\d", rest), (ev.name, key, sentence.text)
    assert checked > 20


def test_drafts_cover_every_narrative_section_but_the_imported_report():
    doc = seed("002")
    unit, project = doc.unit_evaluation, doc.projects[0]
    assert set(drafts(doc, unit)) == set(UNIT_NARRATIVE)
    assert set(drafts(doc, project)) == set(PROJECT_NARRATIVE) - {"report"}
    assert draft(doc, project, "report") is None
    for key in PROJECT_SELF_REPORT.keys:
        assert key in PROJECT_NARRATIVE


def _project(actuals: dict[str, str], spent_wan: str = "100", stated_exec_score=None) -> Document:
    """A 财政部 project: three 正向 indicators (产出 2, 满意度 1) with weights 30/50/10, execution 10."""
    doc = Document(year=2023, unit=UnitProfile(name="测试单位"))
    ev = Evaluation(kind=EvaluationKind.PROJECT, name="测试项目", layout="project-mof")
    ev.budget = Budget(total=Amounts(wan_to_fen("100"), wan_to_fen("100"), wan_to_fen(spent_wan)))
    ev.execution = ExecutionLine(weight=Decimal(10), stated_score=stated_exec_score)
    out = ev.add(Indicator(name="产出指标"))
    quantity = out.add(Indicator(name="数量指标"))
    quantity.add(Indicator(name="培训人数", weight=Decimal(30), target="≥100人", actual=actuals["培训人数"],
                           method=Method.HIGHER))
    quantity.add(Indicator(name="覆盖率", weight=Decimal(50), target="≥90%", actual=actuals["覆盖率"],
                           method=Method.HIGHER))
    sat = ev.add(Indicator(name="满意度指标")).add(Indicator(name="服务对象满意度指标"))
    sat.add(Indicator(name="群众满意度", weight=Decimal(10), target="≥95%", actual=actuals["群众满意度"],
                      method=Method.HIGHER, deviation_note="偏差原因：调查样本偏少；改进措施：扩大调查范围"))
    ev.goals = Goals(expected="完成培训任务", achieved="培训任务基本完成")
    doc.projects.append(ev)
    return doc


def _texts(doc):
    return {(ev.name, key): d.text for ev, key, d in all_drafts(doc)}


def test_all_targets_met_only_when_every_score_is_full():
    full = _project({"培训人数": "120人", "覆盖率": "95%", "群众满意度": "96%"})
    texts = _texts(full)
    assert any(c in texts[("测试项目", "summary")] for c in CLAIMS_ALL_MET)  # the claim is made when true
    for actuals in ({"培训人数": "120人", "覆盖率": "95%", "群众满意度": "80%"},   # one indicator short
                    {"培训人数": "50人", "覆盖率": "95%", "群众满意度": "96%"}):
        doc = _project(actuals)
        short = [leaf for leaf in doc.projects[0].leaves()
                 if score_evaluation(doc.projects[0]).of(leaf).score < leaf.weight]
        assert len(short) == 1
        for (ev_name, key), text in _texts(doc).items():
            for claim in CLAIMS_ALL_MET:
                assert claim not in text, (key, claim, text)
        summary = _texts(doc)[("测试项目", "summary")]
        assert f"“{short[0].name}”" in summary and "发现的主要问题" in summary
    # budget not fully spent: the execution line lost points — no “no problems” claim, the shortfall named
    doc = _project({"培训人数": "120人", "覆盖率": "95%", "群众满意度": "96%"}, spent_wan="80")
    texts = _texts(doc)
    assert "各项绩效指标均得满分" not in "".join(texts.values())
    assert "发现的主要问题：预算执行率为80.00%，得8分（分值10分）" in texts[("测试项目", "summary")]
    assert "预算执行率为80.00%，得8分（分值10分），20.00万元未支出" in texts[("测试项目", "self_report_deviation")]


def test_issue_11_execution_over_100_percent_and_an_indicator_at_zero():
    """104.23% spent and one indicator scored 0: the 情况说明 must not say every indicator met its target."""
    doc = _project({"培训人数": "120人", "覆盖率": "95%", "群众满意度": "0%"}, spent_wan="104.23")
    unit_ev = doc.unit_evaluation
    text = draft(doc, unit_ev, "explanation").text
    assert not any(claim in text for claim in CLAIMS_ALL_MET)
    assert "“群众满意度”年度指标值≥95%，实际完成0%，得0分（分值10分）" in text
    fund = draft(doc, doc.projects[0], "fund_usage").text
    assert "预算执行率为104.23%" in fund and "执行数超过全年预算数" in fund


def test_an_impossible_score_is_never_stated_as_a_total_or_grade():
    """Seed 001's second project: “85” in the 10-point execution column. No draft states its total."""
    doc = seed("001")
    pension = next(p for p in doc.projects if "养老" in p.name)
    for key, d in drafts(doc, pension).items():
        keys = {f.key for f in d.figures}
        assert "total" not in keys and "grade" not in keys, (key, d.text)
    summary = draft(doc, pension, "summary").text
    assert "“预算执行率”得分85分，超出其分值10分" in summary
    assert "175" not in summary


def test_empty_document_gives_placeholders_not_numbers():
    doc = Document()
    doc.projects.append(Evaluation(kind=EvaluationKind.PROJECT))
    for ev, key, d in all_drafts(doc):
        assert d.paragraphs, key
        stated = [f for f in d.figures if f.kind not in ("rule", "count")]
        assert not stated, (key, stated)  # no amount, rate, score or grade: there are none
        counts = [f for f in d.figures if f.kind == "count"]
        assert all(f.key.startswith("count.projects") and f.value == 1 for f in counts), (key, counts)
    fund = draft(doc, doc.projects[0], "fund_usage")
    assert fund.is_placeholder and "全年预算数和全年执行数尚未填写" in fund.text
    assert draft(doc, doc.projects[0], "self_report_results").is_placeholder
    assert "尚未评分" in draft(doc, doc.unit_evaluation, "report_conclusion").text


def test_weights_that_do_not_total_100_are_pointed_out():
    doc = seed("001")
    laozihao = next(p for p in doc.projects if p.name == "老字号")
    text = draft(doc, laozihao, "performance").text
    assert "自评得分为90分，绩效等级为“优”" in text
    assert "各项分值合计为90分，不是100分" in text


def test_the_officers_summary_is_quoted_and_its_wrong_figures_flagged():
    doc = seed("001")
    text = draft(doc, doc.unit_evaluation, "explanation").text
    own = " ".join(doc.projects[0].narrative["summary"].split())
    assert own.split("：", 1)[1] in text  # the officer's words, not rewritten
    assert "综述写的得分100分与自评表的90分不一致" in text
    assert "综述写的执行率100%与自评表的97.31%不一致" in text


def test_deviation_notes_split_into_reasons_and_measures():
    doc = _project({"培训人数": "120人", "覆盖率": "95%", "群众满意度": "80%"})
    ev = doc.projects[0]
    deviation = draft(doc, ev, "self_report_deviation").text
    assert "偏差原因：调查样本偏少" in deviation
    problems = draft(doc, ev, "self_report_problems").text
    assert "扩大调查范围" in problems


def test_self_report_results_state_every_indicator_under_its_group():
    doc = _project({"培训人数": "120人", "覆盖率": "81%", "群众满意度": "96%"})
    text = draft(doc, doc.projects[0], "self_report_results").text
    assert "（一）产出指标完成情况" in text and "（二）满意度指标完成情况" in text
    assert "“覆盖率”年度指标值≥90%，实际完成81%，得45分（分值50分）" in text
    assert "产出指标分值80分，得分75分" in text


def test_outline_numbers_present_sections_without_gaps_and_splits_titles():
    ev = Evaluation(kind=EvaluationKind.UNIT)
    ev.narrative = {"report_duties": "职责。", "report_problems": "问题。", "report_conclusion": "结论。"}
    got = [(b.level, b.text) for b in blocks(UNIT_REPORT, ev)]
    assert got == [(1, "一、部门基本情况"), (2, "（一）职责任务"), (0, "职责。"),
                   (1, "二、评价工作情况"), (2, "（一）绩效评价结论"), (0, "结论。"),
                   (1, "三、存在问题"), (0, "问题。")]
    assert not EXPLANATION.exists(Evaluation(kind=EvaluationKind.UNIT))
    title, body = split_title("关于2023年度预算绩效情况说明\n（1）预算绩效管理工作开展情况\n正文。")
    assert title == "关于2023年度预算绩效情况说明" and body.startswith("（1）")
    assert split_title("根据要求，本部门组织开展了自评。")[0] is None


def test_section_uses_name_the_printed_documents():
    doc = seed("000")
    uses = section_uses(doc.unit_evaluation, "achievements")
    assert any("部门整体支出绩效自评表" in u for u in uses)
    assert section_uses(doc.unit_evaluation, "report_performance") == ["整体绩效评价报告 三、主要绩效"]
    project = Evaluation(kind=EvaluationKind.PROJECT, layout="project-jinzhong")
    assert any("财政支出项目绩效自评表" in u for u in section_uses(project, "overview"))
    assert section_uses(project, "self_report_use") == ["项目支出绩效自评报告 六、自评结果应用"]



def test_drafts_of_the_real_published_forms_state_only_the_scoring_modules_figures():
    """Every form of tests/fixtures/real that the importer reads: same checks as the seeds."""
    from perfdesk.exchange.text_import import TextImportError

    real = Path(__file__).resolve().parent / "fixtures" / "real"
    read = 0
    for path in sorted(real.glob("*.txt")):
        try:
            doc = import_text(path.read_text(encoding="utf-8")).document
        except TextImportError:
            continue  # not (yet) readable: the importer's tests say which
        read += 1
        for ev, key, d in all_drafts(doc):
            for sentence in d.sentences:
                for fig in sentence.figures:
                    value, text = expected(doc, fig)
                    assert (fig.value, fig.text) == (value, text), (path.name, key, fig)
            texts = d.text
            if any(score_evaluation(ev).of(leaf).score is not None and leaf.weight is not None
                   and score_evaluation(ev).of(leaf).score < leaf.weight for leaf in ev.leaves()):
                assert not any(claim in texts for claim in ("各项绩效指标均得满分", "均达到年度指标值")), (path.name, key)
    if not read:
        pytest.skip("no real published form is readable by the importer yet")
