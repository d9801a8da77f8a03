"""The corpus of real published forms (tests/fixtures/real) is complete and consistent.

This test only checks the fixture files themselves: every text has a hand-written
expectation file that follows the schema documented in tests/fixtures/real/README.md,
the hand-made arithmetic in those files is self-consistent, the corpus keeps its
spread over provinces, kinds and textual shapes, and no fixture comes from a place
reserved for the acceptance check. Reading the forms is tested elsewhere.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

REAL = Path(__file__).parent / "fixtures" / "real"
TARGETS = REAL / "targets"

KINDS = {"project", "unit", "project-target", "unit-target"}
TARGET_KINDS = {"project-target", "unit-target"}
SHAPES = {"run-together", "space-separated", "pipe-rows", "pipe-cell-per-line", "cell-per-line", "pdf-scrambled"}
CELL_PER_LINE_SHAPES = {"cell-per-line", "pipe-cell-per-line"}
COMPARISONS = {"≥", "≤", "=", ">", "<", "定性", ""}
ERROR_CODES = {
    "weight_sum_mismatch", "weight_total_not_100", "score_over_weight", "score_negative",
    "score_mismatch", "total_mismatch", "execution_rate_mismatch", "budget_identity",
    "deviation_note_missing", "actual_missing", "tier_out_of_band", "grade_mismatch", "value_unreadable",
}
PROVINCES = {
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
}
BUDGET_KEYS = {"initial_budget", "annual_budget", "spent", "stated_rate", "execution_weight", "execution_score", "amount_unit"}
SAMPLE_KEYS = {"level1", "level2", "name", "comparison", "target", "unit", "weight"}
SCORED_SAMPLE_KEYS = SAMPLE_KEYS | {"actual", "score"}
# Forms from these places are reserved for the acceptance check (GUIDE.md, issues 13 and 17).
RESERVED = ("天长", "青神", "普陀", "廊坊", "古城区", "丽江", "棠溪", "绥阳", "太白镇", "寿县",
            "宁德", "乌海", "青山区", "井研", "马踏")

MIN_FORMS = 26
MIN_PROVINCES = 9
MIN_TARGETS = 8
MIN_TARGET_PROVINCES = 4
MIN_CELL_PER_LINE = 4


def _texts():
    return sorted(REAL.glob("*.txt")) + sorted(TARGETS.glob("*.txt"))


def _expectations():
    return sorted(REAL.glob("*.expect.json")) + sorted(TARGETS.glob("*.expect.json"))


def _load(path):
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _dec(value, *, percent=False):
    """A decimal string as the expectation files write them; '%' and spaces allowed for rates."""
    assert isinstance(value, str), f"{value!r} is not a string"
    text = value.replace(" ", "")
    if percent and text.endswith("%"):
        text = text[:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        pytest.fail(f"{value!r} is not a decimal number")


def _is_weight(value):
    text = value.replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


EXPECTATIONS = {p.name[: -len(".expect.json")]: p for p in _expectations()}


def test_every_text_has_an_expectation_and_back():
    texts = {p.name[: -len(".txt")]: p for p in _texts()}
    assert texts, "no fixtures found"
    assert sorted(texts) == sorted(EXPECTATIONS)
    for slug, path in texts.items():
        assert EXPECTATIONS[slug].parent == path.parent, slug


def test_texts_are_utf8_and_not_empty():
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        assert len(text.strip()) > 100, path.name
        assert "\ufffd" not in text, f"{path.name} has a replacement character"


@pytest.mark.parametrize("slug", sorted(EXPECTATIONS))
def test_expectation_follows_schema(slug):
    path = EXPECTATIONS[slug]
    exp = _load(path)
    in_targets = path.parent == TARGETS

    src = exp["source"]
    assert re.match(r"^https?://", src["url"]), src["url"]
    assert src["title"] and src["publisher"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", src["retrieved"])

    assert exp["province"] is None or exp["province"] in PROVINCES
    assert isinstance(exp["place"], str) and exp["place"]
    assert exp["kind"] in KINDS
    assert (exp["kind"] in TARGET_KINDS) == in_targets, "targets live in targets/, forms beside this README"
    assert isinstance(exp["family"], str) and exp["family"]
    assert exp["shape"] in SHAPES
    assert isinstance(exp["truncated"], bool)
    if in_targets:
        assert isinstance(exp["adjusted"], bool)
    for key in ("unit", "name"):
        assert exp[key] is None or (isinstance(exp[key], str) and exp[key])
    assert exp["year"] is None or (isinstance(exp["year"], int) and 2010 <= exp["year"] <= 2030)
    if exp["year"] is not None:
        assert str(exp["year"]) in slug
    else:
        assert "-nd-" in slug

    budget = exp["budget"]
    assert set(budget) == BUDGET_KEYS
    assert budget["amount_unit"] in {"万元", "元"}
    for key in BUDGET_KEYS - {"amount_unit"}:
        if budget[key] is not None:
            _dec(budget[key], percent=key == "stated_rate")

    assert isinstance(exp["indicators"], int) and exp["indicators"] >= 0
    samples = exp["indicator_samples"]
    assert len(samples) <= 5
    if not exp["truncated"] or exp["indicators"]:
        # a complete form, or a cut one that shows indicators, has at least one written out
        assert exp["indicators"] >= 1 and len(samples) >= 1
    assert len(samples) <= exp["indicators"]
    wanted = SAMPLE_KEYS if in_targets else SCORED_SAMPLE_KEYS
    for sample in samples:
        assert wanted <= set(sample), sample
        assert sample["comparison"] in COMPARISONS, sample
        assert isinstance(sample["name"], str)
        assert sample["weight"] == "" or _is_weight(sample["weight"]), sample
        if not in_targets:
            assert sample["score"] == "" or _is_weight(sample["score"]), sample
            if not exp["scored"]:
                assert sample["score"] == "", "an unscored form has no scores"

    for key in ("weight_total", "stated_total", "computed_total"):
        if exp[key] is not None:
            _dec(exp[key])
    assert isinstance(exp["scored"], bool)
    assert isinstance(exp["form_errors"], list)
    assert set(exp["form_errors"]) <= ERROR_CODES, exp["form_errors"]
    assert set(exp.get("form_warnings", [])) <= ERROR_CODES, exp.get("form_warnings")
    if "grade" in exp:
        assert exp["grade"] in {"优", "良", "中", "差"}
    assert isinstance(exp["notes"], str) and len(exp["notes"]) > 40


@pytest.mark.parametrize("slug", sorted(EXPECTATIONS))
def test_expectation_arithmetic_is_consistent(slug):
    exp = _load(EXPECTATIONS[slug])
    if not exp["scored"]:
        assert exp["computed_total"] is None, "no total is invented for an unscored form"
    if exp["truncated"]:
        assert exp["computed_total"] is None and exp["weight_total"] is None
        assert "visible" in exp and exp["visible"].get("missing")
    errors = set(exp["form_errors"])
    if "weight_total_not_100" in errors:
        assert exp["weight_total"] is not None and _dec(exp["weight_total"]) != 100
    elif exp["weight_total"] is not None and exp["kind"] not in TARGET_KINDS and exp["scored"]:
        assert _dec(exp["weight_total"]) == 100
    if "total_mismatch" in errors:
        assert exp["stated_total"] is not None
        # a form that prints the execution line's 分值 but not its 得分: SPEC scores that line anyway
        # (weight × min(rate, 1)), so the printed scores may add up to a 总分 that still misses it
        unscored_execution = (exp["budget"]["execution_weight"] is not None
                              and exp["budget"]["execution_score"] is None)
        if exp["computed_total"] is not None and not unscored_execution:
            assert _dec(exp["computed_total"]) != _dec(exp["stated_total"])
    elif exp["stated_total"] is not None and exp["computed_total"] is not None:
        assert _dec(exp["computed_total"]) == _dec(exp["stated_total"])


def _with(predicate) -> list[str]:
    return sorted(slug for slug, path in EXPECTATIONS.items() if predicate(_load(path)))


def _sampled_sum(exp, key: str) -> Decimal:
    return sum((_dec(s[key], percent=True) for s in exp["indicator_samples"] if s.get(key, "") != ""), Decimal(0))


def _execution(exp, key: str) -> Decimal:
    value = exp["budget"][key]
    return _dec(value) if value is not None else Decimal(0)


# forms whose every indicator is written out: the sampled scores ARE the form's scores
FULLY_SAMPLED = _with(lambda e: e["computed_total"] is not None and len(e["indicator_samples"]) == e["indicators"])
# forms with a hand-added total: whatever is sampled can never exceed it
WITH_COMPUTED_TOTAL = _with(lambda e: e["computed_total"] is not None)
WITH_WEIGHT_TOTAL = _with(lambda e: e["weight_total"] is not None and e["kind"] not in TARGET_KINDS)


@pytest.mark.parametrize("slug", FULLY_SAMPLED)
def test_computed_total_matches_samples_when_all_are_sampled(slug):
    exp = _load(EXPECTATIONS[slug])
    assert _execution(exp, "execution_score") + _sampled_sum(exp, "score") == _dec(exp["computed_total"])


@pytest.mark.parametrize("slug", WITH_COMPUTED_TOTAL)
def test_sampled_scores_fit_the_computed_total(slug):
    exp = _load(EXPECTATIONS[slug])
    assert _execution(exp, "execution_score") + _sampled_sum(exp, "score") <= _dec(exp["computed_total"])


@pytest.mark.parametrize("slug", WITH_WEIGHT_TOTAL)
def test_sampled_weights_fit_the_weight_total(slug):
    exp = _load(EXPECTATIONS[slug])
    assert _execution(exp, "execution_weight") + _sampled_sum(exp, "weight") <= _dec(exp["weight_total"])


def test_the_sum_checks_cover_the_corpus():
    """The parametrised sum checks run on real fixtures (no skipped cases hide an empty list)."""
    assert FULLY_SAMPLED and WITH_COMPUTED_TOTAL and WITH_WEIGHT_TOTAL
    assert set(FULLY_SAMPLED) <= set(WITH_COMPUTED_TOTAL)


def test_corpus_spread():
    exps = [_load(p) for p in _expectations()]
    targets = [e for e in exps if e["kind"] in TARGET_KINDS]
    forms = [e for e in exps if e["kind"] not in TARGET_KINDS]
    provinces = {e["province"] for e in forms if e["province"]}
    target_provinces = {e["province"] for e in targets if e["province"]}
    assert len(forms) >= MIN_FORMS
    assert len(provinces) >= MIN_PROVINCES, sorted(provinces)
    assert len(targets) >= MIN_TARGETS
    assert len(target_provinces) >= MIN_TARGET_PROVINCES, sorted(target_provinces)
    assert sum(e["shape"] in CELL_PER_LINE_SHAPES for e in exps) >= MIN_CELL_PER_LINE
    assert any(e["kind"] == "unit" for e in forms)
    assert any(not e["scored"] for e in forms), "an unscored form"
    assert any(e["form_errors"] for e in forms), "forms with real errors"
    assert any(e["budget"]["amount_unit"] == "元" for e in forms), "a form with amounts in 元"
    assert any(e["family"] == "two-header-rows" for e in forms), "a form with two header rows"


def test_no_fixture_comes_from_a_reserved_place():
    files = list(_texts()) + list(_expectations()) + [REAL / "MANIFEST.md", REAL / "README.md"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in RESERVED:
            assert name not in text, f"{path.name} mentions the reserved place {name}"
