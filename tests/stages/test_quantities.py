"""The quantities stage: every amount, count, share and growth the grammar reads, in the
canonical unit, each given to the sentence it stands in."""

from __future__ import annotations

from decimal import Decimal

from etl.extract.doc import Doc
from tests.stages.conftest import sentences, upto


def _read(doc: Doc) -> list[tuple[str, Decimal | None, str, str]]:
    assert doc.quantities is not None
    return [(doc.text[q.start : q.end], q.value, q.unit, q.qualifier) for q in doc.quantities]


def test_each_quantity_lands_in_the_sentence_it_stands_in() -> None:
    # three sentences (；, 。 and 。): two quantities, none, one
    doc = upto("全区实现产值约５亿元，引进项目３０多个；园区环境优美。新增企业12家。", "quantities")
    got = [(s.text, [doc.text[q.start : q.end] for q in s.quantities]) for s in sentences(doc)]
    assert got == [("全区实现产值约5亿元，引进项目30多个；", ["约5亿元", "30多个"]),
                   ("园区环境优美。", []), ("新增企业12家。", ["12家"])]


def test_a_quantity_on_a_furniture_line_is_read_but_lands_in_no_sentence() -> None:
    # 转载请…8家: the grammar reads it, but no sentence (so no figure) holds it
    doc = upto("全区实现产值5亿元。\n转载请注明出处，本文介绍园区新增企业8家的情况，欢迎阅读。\n",
               "quantities")
    assert [t for t, *_ in _read(doc)] == ["5亿元", "8家"]
    held = [doc.text[q.start : q.end] for s in sentences(doc) for q in s.quantities]
    assert held == ["5亿元"]


def test_amounts_are_in_the_canonical_unit_with_their_scale_words() -> None:
    # 亿元, 万亿 with no 元, a compound numeral, 亿美元
    doc = upto("完成投资1亿8千万元，实现2.81万亿，利用外资1.07亿美元。", "quantities")
    assert _read(doc) == [
        ("1亿8千万元", Decimal("180000000"), "CNY", "exact"),
        ("2.81万亿", Decimal("2810000000000"), "CNY", "exact"),
        ("1.07亿美元", Decimal("107000000"), "USD", "exact"),
    ]


def test_a_range_has_no_value_but_both_bounds() -> None:
    # ３００～１０００亿元: value null, low and high set, qualifier range
    doc = upto("项目总投资３００～１０００亿元。", "quantities")
    assert doc.quantities is not None
    [q] = doc.quantities
    assert (q.value, q.low, q.high, q.qualifier) == (
        None, Decimal("30000000000"), Decimal("100000000000"), "range")


def test_qualifiers_before_and_after_the_number() -> None:
    # 约 approx, 多 more than, 不足 less than, 上万 more than ten thousand
    doc = upto("产值约5亿元，企业30多家，面积不足2平方公里，从业人员上万人。", "quantities")
    assert [(t, v, q) for t, v, _, q in _read(doc)] == [
        ("约5亿元", Decimal("500000000"), "approx"), ("30多家", Decimal("30"), "more_than"),
        ("不足2平方公里", Decimal("2"), "less_than"), ("上万人", Decimal("10000"), "more_than"),
    ]


def test_one_area_in_several_units_is_several_quantities() -> None:
    # 56.51平方公里(8.48万亩): km2 and mu, each read
    doc = upto("南山开发区规划面积56.51平方公里(8.48万亩)，建成区1067公顷。", "quantities")
    assert [(t, v, u) for t, v, u, _ in _read(doc)] == [
        ("56.51平方公里", Decimal("56.51"), "km2"), ("8.48万亩", Decimal("84800"), "mu"),
        ("1067公顷", Decimal("1067"), "ha")]


def test_percent_points_multiples_and_fractions() -> None:
    # 个百分点, 翻两番 (300%), 增长了3.4倍 (340%), 百分之十二, 三分之一
    doc = upto("提高1.5个百分点，翻了两番，增长了3.4倍，增长百分之十二，占三分之一。",
               "quantities")
    assert [(t, u) for t, _, u, _ in _read(doc)] == [
        ("1.5个百分点", "percentage_point"), ("两番", "percent"), ("3.4倍", "percent"),
        ("百分之十二", "percent"), ("三分之一", "percent")]
    assert [v for _, v, _, _ in _read(doc)][1:4] == [Decimal(300), Decimal(340), Decimal(12)]


def test_a_minus_sign_after_a_word_is_negative_but_a_month_span_is_no_figure() -> None:
    # 增长-3.5%: negative; 1-5月份 is a span of months, not a quantity
    doc = upto("1-5月份，园区利润增长-3.5%。", "quantities")
    assert _read(doc) == [("-3.5%", Decimal("-3.5"), "percent", "exact")]


def test_a_year_is_not_read_as_a_quantity() -> None:
    # 2012年 has no unit of measure: the grammar does not read it
    doc = upto("2012年，园区新增企业8家。", "quantities")
    assert [t for t, *_ in _read(doc)] == ["8家"]
    assert doc.layers[-1] == "quantities"
    assert all(s.figures is None for s in sentences(doc))  # figures are the next stage's
