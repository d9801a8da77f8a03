"""Reading the corpus of real published forms (tests/fixtures/real, issue 13).

Each self-evaluation form (``*.txt`` beside its ``*.expect.json``; the target tables under
``targets/`` belong to issue 17) is imported with ``perfdesk.exchange.text_import`` and
compared with its hand-written expectations: kind, name, year, number of level-3
indicators, budget figures, the weight total, the stated total (none invented: a 合计 of
weights is no 总分), the sum of the stated scores, and — for forms the page store did not
cut — the set of error findings, which must be exactly the real errors of the form (a
misreading that makes ``check`` blame the form is a failure).

A form is *read right* when every comparison holds. The README states the figure
(``N of M``); every form not read right is listed in ``KNOWN_FAILURES`` with its reason and
runs as an xfail (strict: a form that starts reading right must leave the list).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.checks import ERROR, check_evaluation
from perfdesk.exchange.text_import import TextImportError, import_text
from perfdesk.model.amounts import wan_to_fen
from perfdesk.scoring import score_evaluation

REAL = Path(__file__).parent / "fixtures" / "real"

# slug -> why it is not read right (each one a test marked xfail with this reason)
KNOWN_FAILURES: dict[str, str] = {
    "hubei-guangshui-project-2021-a":
        "text extracted from a PDF in scrambled order (values before their labels, columns interleaved); "
        "the rows exist only in the PDF's positions (readers.pdf reads the PDF itself)",
    "ningxia-yinchuan-project-2021-a":
        "OCR text with garbled labels ('实施第位', '项Fl资金(万兀)', '年初预匏数', '考值参分') and a 评分表 "
        "layout whose 决策/管理 lines carry their scores between the columns; no indicator header is found. Even "
        "with those labels put right by hand the funds' row name stands before its header, '指标值(八)' breaks the "
        "header and the 决策 rows run a text value ('目标明确、内容细化、目标量化') into their 分值 and 得分",
    "shanxi-jishan-project-2020-b":
        "text extracted from a PDF in scrambled order (column by column); only the PDF's positions give the rows",
    "shanxi-jishan-project-2021-a":
        "text extracted from a PDF in scrambled order (column by column); only the PDF's positions give the rows",
    "hainan-wenchang-project-2017-a":
        "a 财政支出绩效评价报告 (财预〔2011〕285号 template) run together with a document site's page markers "
        "('1、' '2、' splitting words): its 项目绩效目标表 has grading-band columns (绩效标准 优 | 良 | 中 | 差) "
        "that no reader splits out of the run-together text, so the five targets run into the table's 项目名称 "
        "('2017年度…项目项目指标类型绩效指标…'), which also wins over the cover's name. The budget (计划投资额 / "
        "实际到位资金 / 实际使用情况 pairs) is read",
    "hubei-guangshui-project-2019-a":
        "the same 广水 PDF text layer as hubei-guangshui-project-2021-a: columns interleaved line by line "
        "(values split from their units and names over several lines); only the PDF's positions give the rows",
    "hubei-xiaogan-project-nd-a":
        "a mirror that deleted every digit: the level-3 names of a group run together with nothing between "
        "them ('国家奖学金人数国家励志奖学金人数国家助学金人数应征入伍人数'); no figure, sign or separator tells "
        "where one name ends, so 3 of the 10 rows are read",
    "jiangsu-suzhou-project-2021-a":
        "PDF text layer with all indicator values first ('target weight actual score' row after row) and the "
        "names afterwards, broken over lines and mixed with the group labels; the budget block's labels and "
        "values interleave. Only the PDF's positions give the rows",
    "ningxia-yuanzhou-project-2022-a":
        "OCR text run together: the 分值 glued before the target ('指标1免费发放原原种8550万粒550万粒8' = 8 | "
        "550万粒 | 550万粒 | 8), OCR signs ('290$290%', '工5%', '880%^80%8'), '项目' of the name glued to "
        "'实施单位', and the funds' figures on lines of their own after '其中中央补助自治区补助' (year and "
        "'项目总得分99分' are read)",
    "unknown-unknown-project-nd-a":
        "a 评分表 whose text puts each group's points before its label and the opening bracket at the end of "
        "the previous line ('(\\n10 分)项目管理(7分)资金管理'), with page numbers ('14', '15') on lines of their "
        "own and no header row",
    "unknown-district-project-2020-b":
        "text extracted from a PDF in scrambled order (labels after their values); only the PDF's positions "
        "give the rows",
}


def _slugs() -> list[str]:
    return sorted(p.name[: -len(".expect.json")] for p in REAL.glob("*.expect.json"))


def _dec(text: str | None) -> Decimal | None:
    if text is None:
        return None
    t = text.replace(" ", "").rstrip("%")
    return Decimal(t)


def _name_key(text: str | None) -> str:
    return "".join((text or "").split()).replace("（", "(").replace("）", ")")


def _main_form(doc, kind: str):
    if kind == "project":
        return doc.projects[0] if doc.projects else None
    ev = doc.unit_evaluation
    # a 部门整体 text whose visible part is its cover (a 自评报告 cut before its tables) is read when the
    # document names the unit and holds no project form instead
    return ev if (ev.indicators or not ev.budget.total.is_empty() or (doc.unit.name and not doc.projects)) else None


def problems_of(slug: str, text: str | None = None) -> list[str]:
    """What differs between the import of one corpus form (or of ``text``, the same form in another
    shape) and its expectations ([] = read right)."""
    exp = json.loads((REAL / f"{slug}.expect.json").read_text(encoding="utf-8"))
    if text is None:
        text = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
    try:
        result = import_text(text)
    except TextImportError as exc:
        return [f"not imported: {exc}"]
    doc = result.document
    ev = _main_form(doc, exp["kind"])
    if ev is None:
        return [f"no {exp['kind']} form read"]
    out: list[str] = []
    name = ev.name if exp["kind"] == "project" else (doc.unit.name or ev.name)
    if exp["name"] is not None and _name_key(name) != _name_key(exp["name"]):
        out.append(f"name {name!r} != {exp['name']!r}")
    if exp["year"] is not None and doc.year != exp["year"]:
        out.append(f"year {doc.year} != {exp['year']}")
    # the indicators are the leaves of the deepest level (a childless group above them is no indicator)
    depth = max((n.level for n in ev.walk() if not n.children), default=0)
    leaves = [n for n in ev.walk() if not n.children and n.level == depth]
    if len(leaves) != exp["indicators"]:
        out.append(f"indicators {len(leaves)} != {exp['indicators']}")
    budget = exp["budget"]
    factor = Decimal(1) / Decimal(10000) if budget["amount_unit"] == "元" else Decimal(1)
    for column in ("annual_budget", "spent"):
        want = _dec(budget[column])
        got = getattr(ev.budget.total, column)
        if want is not None and got != wan_to_fen(want * factor):
            out.append(f"budget {column} {got} != {want}")
    score = score_evaluation(ev)
    if exp["weight_total"] is not None and score.weight_total != _dec(exp["weight_total"]):
        out.append(f"weight total {score.weight_total} != {exp['weight_total']}")
    stated = _dec(exp["stated_total"])
    if (ev.stated_total is None) != (stated is None) or (stated is not None and ev.stated_total != stated):
        out.append(f"stated total {ev.stated_total} != {exp['stated_total']}")
    if exp["computed_total"] is not None:
        total = sum((n.score_override or 0 for n in ev.walk() if not n.children), Decimal(0))
        if ev.execution is not None and ev.execution.stated_score is not None:
            total += ev.execution.stated_score
        if total != _dec(exp["computed_total"]):
            out.append(f"sum of stated scores {total} != {exp['computed_total']}")
    if not exp["scored"] and any(n.score_override is not None for n in ev.walk()):
        out.append("scores invented on an unscored form")
    if not exp["truncated"]:
        errors = {f.code for f in check_evaluation(ev, score) if f.severity == ERROR}
        if errors != set(exp["form_errors"]):
            out.append(f"errors {sorted(errors)} != {sorted(exp['form_errors'])}")
    return out


def corpus_figure() -> tuple[int, int, dict[str, list[str]]]:
    """(read right, forms, problems by slug)."""
    problems = {slug: problems_of(slug) for slug in _slugs()}
    return sum(1 for p in problems.values() if not p), len(problems), problems


@pytest.mark.parametrize("slug", [
    pytest.param(slug, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[slug], strict=True))
    if slug in KNOWN_FAILURES else slug
    for slug in _slugs()
])
def test_real_form_is_read_right(slug):
    assert problems_of(slug) == []


def test_readme_states_the_corpus_figure():
    right, total, _ = corpus_figure()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"{right} of {total} real forms read right" in readme


def test_every_known_failure_is_a_corpus_form():
    assert set(KNOWN_FAILURES) <= set(_slugs())


if __name__ == "__main__":  # python tests/test_import_real.py: the figure and every problem
    right, total, problems = corpus_figure()
    for slug, found in problems.items():
        print(("OK   " if not found else "FAIL ") + slug)
        for line in found:
            print("       " + line)
    print(f"{right} of {total} real forms read right")
