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


# --- signed and directional values, ranges, 百分比 (SPEC §4; issue 11 item 1) -------------------------

@pytest.mark.parametrize(
    "raw, kind, number, unit, direction",
    [
        ("-5%", ValueKind.PERCENT, D("-5"), "%", ""),
        ("－5%", ValueKind.PERCENT, D("-5"), "%", ""),       # full-width minus
        ("−2.5%", ValueKind.PERCENT, D("-2.5"), "%", ""),    # typographic minus
        ("下降5%", ValueKind.PERCENT, D("-5"), "%", "-"),
        ("同比下降2.5%", ValueKind.PERCENT, D("-2.5"), "%", "-"),
        ("降低3%", ValueKind.PERCENT, D("-3"), "%", "-"),
        ("减少3个", ValueKind.NUMBER, D("-3"), "个", "-"),
        ("增长10%", ValueKind.PERCENT, D("10"), "%", "+"),
        ("增加2万人", ValueKind.NUMBER, D("2"), "万人", "+"),
        ("+3%", ValueKind.PERCENT, D("3"), "%", ""),
        ("≥100百分比", ValueKind.PERCENT, D("100"), "%", ""),
        ("5个百分点", ValueKind.PERCENT, D("5"), "%", ""),
    ],
)
def test_signed_and_directional_values_are_numbers(raw, kind, number, unit, direction):
    v = parse_value(raw)
    assert (v.kind, v.number, v.unit, v.direction) == (kind, number, unit, direction)


def test_direction_words_imply_a_comparison():
    assert parse_value("下降5%").implied_comparator == "<="
    assert parse_value("增长10%").implied_comparator == ">="
    assert parse_value("≥5%").implied_comparator == ">="
    assert parse_value("5%").implied_comparator == ""


@pytest.mark.parametrize(
    "raw, low, high, unit",
    [
        ("90%-95%", D("90"), D("95"), "%"),
        ("90-95%", D("90"), D("95"), "%"),
        ("95%～100%", D("95"), D("100"), "%"),
        ("3至5个", D("3"), D("5"), "个"),
        ("2-2.5万人", D("2"), D("2.5"), "万人"),
    ],
)
def test_ranges(raw, low, high, unit):
    v = parse_value(raw)
    assert v.is_range and (v.number, v.upper, v.unit) == (low, high, unit)


@pytest.mark.parametrize("raw", ["2020-01-01", "1-3月", "12月底前完成"])
def test_dates_are_not_ranges_or_negatives(raw):
    v = parse_value(raw)
    assert v.kind is ValueKind.QUALITATIVE and v.number is None


@pytest.mark.parametrize("raw", ["提高", "有效提高", "零增长"])
def test_direction_words_without_a_number_stay_words(raw):
    assert parse_value(raw).number is None


def test_bound_words_are_comparisons():
    assert (parse_value("31万人次以上").comparator, parse_value("31万人次以上").unit) == (">=", "万人次")
    assert (parse_value("5%以内").comparator, parse_value("5%以内").number) == ("<=", D("5"))


def test_a_minus_sign_alone_is_empty_not_zero():
    for raw in ("-", "－", "−", "—"):
        assert parse_value(raw).kind is ValueKind.EMPTY


# --- 指标性质 / 计量单位 and the migration helper --------------------------------------------------------

from perfdesk.model.values import compose_value, parse_comparison, read_value, split_target  # noqa: E402

# The store engineer's table: old target text → (指标性质, 指标值, 计量单位).
SPLIT_EXAMPLES = [
    ("≥98%", ("≥", "98", "%")),
    ("≤5%", ("≤", "5", "%")),
    (">=90%", ("≥", "90", "%")),
    ("大于等于90%", ("≥", "90", "%")),
    ("＞0", (">", "0", "")),
    ("100%", ("", "100", "%")),
    ("0%", ("", "0", "%")),
    ("31万人", ("", "31", "万人")),
    ("31.48万人", ("", "31.48", "万人")),
    ("232人", ("", "232", "人")),
    ("≤3000000", ("≤", "3000000", "")),
    ("2万元", ("", "2", "万元")),
    ("0.63万元", ("", "0.63", "万元")),
    ("=0起", ("=", "0", "起")),
    ("＝0", ("=", "0", "")),
    ("0起", ("", "0", "起")),
    ("≥100百分比", ("≥", "100", "百分比")),
    ("2. 47%", ("", "2.47", "%")),
    ("下降5%", ("", "下降5", "%")),
    ("-5%", ("", "-5", "%")),
    ("90%-95%", ("", "90-95", "%")),
    ("31万人次以上", ("≥", "31", "万人次")),
    ("5%以内", ("≤", "5", "%")),
    ("入口补每年116.11万人", ("", "入口补每年116.11", "万人")),
    ("1", ("", "1", "")),
    ("健全", ("定性", "健全", "")),
    ("达成预期指标", ("定性", "达成预期指标", "")),
    ("12月底前完成", ("定性", "12月底前完成", "")),
    ("≥核定单位数量", ("≥", "核定单位数量", "")),
    ("见附件3第2页", ("", "见附件3第2页", "")),
    ("", ("", "", "")),
]


@pytest.mark.parametrize("old, parts", SPLIT_EXAMPLES)
def test_split_target_for_migration(old, parts):
    assert split_target(old) == parts


@pytest.mark.parametrize("old, parts", SPLIT_EXAMPLES)
def test_split_target_loses_nothing(old, parts):
    """The parts read back as the old text did: same number, unit, comparison and range."""
    before, after = parse_value(old), read_value(parts[1], parts[2], parts[0])
    assert (after.kind, after.number, after.upper, after.base_unit, after.comparator) == (
        before.kind, before.number, before.upper, before.base_unit, before.comparator)
    assert parse_value(compose_value(*parts)).number == before.number


def test_read_value_uses_the_unit_and_comparison_fields():
    v = read_value("98", "%", "≥")
    assert (v.kind, v.number, v.comparator) == (ValueKind.PERCENT, D("98"), ">=")
    v = read_value("31.48", "万人", "")
    assert v.magnitude == D("314800")
    assert read_value("95%", "%", "").number == D("95")          # a unit typed twice is one unit
    assert read_value("≤5%", "", "≥").comparator == "<="          # what the cell says wins
    assert read_value("", "%", "≥").kind is ValueKind.EMPTY


def test_compose_value_for_single_cell_forms():
    assert compose_value("≥", "98", "%") == "≥98%"
    assert compose_value("定性", "健全", "") == "健全"
    assert compose_value("", "31.48", "万人") == "31.48万人"
    assert compose_value("≥", "≥98%", "%") == "≥98%"  # an old whole text is not doubled


@pytest.mark.parametrize("typed, stored", [(">=", "≥"), ("≥", "≥"), ("大于等于", "≥"), ("不超过", "≤"),
                                           ("＝", "="), ("<", "<"), ("定性", "定性"), ("定性指标", "定性"),
                                           ("", ""), (" ≤ ", "≤")])
def test_parse_comparison(typed, stored):
    assert parse_comparison(typed) == stored


def test_unknown_comparison_is_refused_in_chinese():
    with pytest.raises(ValueError, match="未知的指标性质“约等于”"):
        parse_comparison("约等于")


def test_migrate_target_for_the_store():
    from perfdesk.model.document import Indicator
    from perfdesk.model.values import migrate_target

    ind = Indicator(target="≥98%")
    assert migrate_target(ind) and (ind.comparison, ind.target, ind.unit) == ("≥", "≥98%", "%")
    assert not migrate_target(ind)  # done once
    bare = Indicator(target="≥98%")
    assert migrate_target(bare, keep_text=False) and (bare.comparison, bare.target, bare.unit) == ("≥", "98", "%")
    a, b = read_value(bare.target, bare.unit, bare.comparison), read_value(ind.target, ind.unit, ind.comparison)
    assert (a.kind, a.number, a.unit, a.comparator) == (b.kind, b.number, b.unit, b.comparator)
    words = Indicator(target="健全")
    assert migrate_target(words) and words.comparison == "定性" and words.target == "健全"
    plain = Indicator(target="见附件")
    assert not migrate_target(plain) and plain.comparison == ""


@pytest.mark.parametrize("typed, wan", [
    ("１２３．４", "123.4"),          # full-width, as an input method in full-width mode types it
    ("－５", "-5"),
    ("1,075,000.00", "1075000"),
    ("１，２００", "1200"),
    ("12，345.6 万元", "12345.6"),
])
def test_amounts_typed_full_width_or_with_thousands_separators_are_read(typed, wan):
    assert parse_wan(typed) == wan_to_fen(D(wan))


@pytest.mark.parametrize("typed", ["12,3.4", "1.234,5", "1,2345", "7,5"])
def test_a_comma_that_is_no_thousands_separator_is_refused_not_read_as_another_figure(typed):
    with pytest.raises(ValueError) as info:
        parse_wan(typed)
    assert str(info.value) == f"“{typed}”中的逗号不是千位分隔符（应每三位一个，如 1,200.50），不是有效的金额（万元）"


def test_a_decimal_comma_in_a_score_is_refused_and_full_width_digits_are_read():
    """“7,5” read as 75 is the “85 where 7.5 was meant” of the paper forms."""
    with pytest.raises(ValueError, match="逗号不是千位分隔符"):
        parse_decimal("7,5")
    assert parse_decimal("７．５") == D("7.5")
    assert parse_decimal("1,000") == D(1000)
