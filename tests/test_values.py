"""Values as officers write them (SPEC §4): every example of the seeds."""

from decimal import Decimal as D

import pytest

from perfdesk.model.amounts import format_wan, parse_wan, wan_to_fen
from perfdesk.model.values import (
    ValueKind,
    comparable,
    parse_decimal,
    parse_rate,
    parse_value,
    tier_word,
)


@pytest.mark.parametrize(
    "raw, kind, number, unit, comparator",
    [
        ("≥98%", ValueKind.PERCENT, D("98"), "%", ">="),
        ("≤5%", ValueKind.PERCENT, D("5"), "%", "<="),
        ("100%", ValueKind.PERCENT, D("100"), "%", ""),
        ("0%", ValueKind.PERCENT, D("0"), "%", ""),
        ("31万人", ValueKind.NUMBER, D("31"), "万人", ""),
        ("31.48万人", ValueKind.NUMBER, D("31.48"), "万人", ""),
        ("232人", ValueKind.NUMBER, D("232"), "人", ""),
        ("≤3000000", ValueKind.NUMBER, D("3000000"), "", "<="),
        ("2万元", ValueKind.NUMBER, D("2"), "万元", ""),
        ("0.63万元", ValueKind.NUMBER, D("0.63"), "万元", ""),
        ("2. 47%", ValueKind.PERCENT, D("2.47"), "%", ""),
        ("93116. 21 万元", ValueKind.NUMBER, D("93116.21"), "万元", ""),
        ("入口补每年116.11万人", ValueKind.NUMBER, D("116.11"), "万人", ""),
        ("1", ValueKind.NUMBER, D("1"), "", ""),
        ("90347.62", ValueKind.NUMBER, D("90347.62"), "", ""),
    ],
)
def test_numbers_as_written(raw, kind, number, unit, comparator):
    v = parse_value(raw)
    assert (v.kind, v.number, v.unit, v.comparator) == (kind, number, unit, comparator)


@pytest.mark.parametrize(
    "raw",
    ["健全", "合理", "及时到位", "达成预期指标", "基本理解", "有效提高", "12月底前完成", "≥核定单位数量",
     "正常运转", "积极推动"],
)
def test_qualitative_words_are_not_numbers(raw):
    v = parse_value(raw)
    assert v.kind is ValueKind.QUALITATIVE
    assert v.number is None  # never silently 0


def test_unreadable_text_stays_text():
    v = parse_value("见附件3第2页")
    assert v.kind is ValueKind.TEXT and v.number is None and v.raw == "见附件3第2页"


def test_empty_and_placeholders():
    for raw in ("", "　", "\xa0", "……"):
        assert parse_value(raw).kind is ValueKind.EMPTY


def test_scaled_units_compare_in_base_units():
    a, b = parse_value("31万人"), parse_value("310000人")
    assert comparable(a, b) and a.magnitude == b.magnitude
    assert not comparable(parse_value("98%"), parse_value("31万人"))
    assert not comparable(parse_value("5万元"), parse_value("5人"))


def test_tier_words():
    assert tier_word("达成预期指标") == "achieved"
    assert tier_word("部分达成") == "partial"
    assert tier_word("未达成") == "not_achieved"
    assert tier_word("健全") is None


def test_typed_numbers_are_refused_not_zeroed():
    assert parse_decimal("7.5") == D("7.5")
    assert parse_decimal(" 1. 5 ") == D("1.5")
    assert parse_decimal("") is None
    with pytest.raises(ValueError, match="不是有效的数字"):
        parse_decimal("八十五")
    assert parse_rate("85.8%") == D("0.858")
    for bad in ("1e999", "NaN", "Infinity", "-1e13"):
        with pytest.raises(ValueError):
            parse_decimal(bad)
        with pytest.raises(ValueError):
            parse_wan(bad)
    with pytest.raises(ValueError, match="百分比"):
        parse_rate("约九成")


def test_money_is_exact():
    assert wan_to_fen(D("661.7252")) == 661_725_200
    assert format_wan(parse_wan("661.7252")) == "661.7252"
    assert format_wan(parse_wan("93116. 21 万元")) == "93116.21"
    assert format_wan(parse_wan("90347.62")) == "90347.62"
    assert format_wan(parse_wan("10")) == "10.00"
    total = sum(parse_wan(x) for x in ("471.72", "92644.49"))
    assert total == parse_wan("93116.21")
    with pytest.raises(ValueError):
        parse_wan("一百万")
    with pytest.raises(ValueError, match="万元"):
        parse_wan("5000元")
