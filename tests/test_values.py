"""Values as a reader of the report means them: exact decimals, compound numerals, signs
of falls, gaps in percentage points, and values that cannot be stored quarantined alone
(RECORDS.md, "Signs", "Gaps in percentage points"; issue 15, items 6 and 11).

Sentences are written for each rule; none is taken from a report.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import cn2an
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract.jsonl import record_line
from etl.extract.normalise import normalise
from etl.extract.numbers import parse_chinese, parse_number
from etl.extract.pipeline import extract_text
from etl.extract.quantities import find_quantities
from etl.extract.record import Record
from etl.store.db import Database
from etl.store.load import load_paths

PROPERTY = settings(max_examples=200, deadline=None)


def records(text: str) -> list[Record]:
    return extract_text("t.txt", text)[1]


def only(text: str) -> Record:
    recs = records(text)
    assert len(recs) == 1, [r.value_text for r in recs]
    return recs[0]


# ------------------------------------------------------------- the number parser


@PROPERTY
@given(st.integers(0, 10**16 - 1))
def test_chinese_numerals_read_back_as_the_integer(n: int) -> None:
    """Every integer written out in Chinese (一亿二千万零五) reads back exactly."""
    assert parse_chinese(str(cn2an.an2cn(n))) == n


@PROPERTY
@given(st.integers(0, 10**12), st.integers(0, 6))
def test_arabic_numerals_are_exact_decimals(n: int, places: int) -> None:
    whole, frac = divmod(n, 10**places)
    text = f"{whole}.{frac:0{places}d}" if places else str(whole)
    assert parse_number(text) == Decimal(text)
    grouped = f"{whole:,}" + (f".{frac:0{places}d}" if places else "")
    assert parse_number(grouped) == Decimal(text)


@PROPERTY
@given(st.integers(1, 99_999), st.integers(0, 4), st.sampled_from(["万", "亿", "万亿"]))
def test_scaled_amounts_are_exact(n: int, places: int, scale: str) -> None:
    """544.8亿元 is 54480000000, never 54479999999.99999."""
    whole, frac = divmod(n, 10**places)
    written = (f"{whole}.{frac:0{places}d}" if places else str(whole)) + scale + "元"
    factor = {"万": 10**4, "亿": 10**8, "万亿": 10**12}[scale]
    (q,) = find_quantities(normalise(f"完成投资{written}，").text)
    assert q.value == Decimal(written[: -len(scale) - 1]) * factor


@PROPERTY
@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from([("亿", "千万"), ("万", "千")]))
def test_compound_numerals_are_one_figure(high: int, low: int, scales: tuple[str, str]) -> None:
    """1亿8千万元, 3万5千人: a place and its lower place are one figure."""
    big, small = scales
    unit = "元" if big == "亿" else "人"
    factor = {"亿": 10**8, "千万": 10**7, "万": 10**4, "千": 10**3}
    written = f"{high}{big}{low}{small}{unit}"
    found = find_quantities(normalise(f"园区共有{written}，").text)
    assert len(found) == 1
    assert found[0].value == high * factor[big] + low * factor[small]


def test_the_spoken_abbreviation_of_a_lower_place() -> None:
    assert parse_chinese("三万五") == 35_000
    assert parse_chinese("一百五") == 150
    assert parse_chinese("一百零五") == 105
    assert parse_chinese("二〇一〇") == 2010
    assert parse_chinese("三十五点五") == Decimal("35.5")


@pytest.mark.parametrize(
    ("sentence", "written", "value"),
    [
        ("项目总投资一亿二千万元。", "一亿二千万元", 120_000_000),
        ("项目总投资1亿8千万元。", "1亿8千万元", 180_000_000),
        ("项目总投资2亿3000万元。", "2亿3000万元", 230_000_000),
        ("园区吸纳就业3万5千人。", "3万5千人", 35_000),
    ],
)
def test_compound_numerals(sentence: str, written: str, value: int) -> None:
    r = only(sentence)
    assert (r.value_text, r.value) == (written, value)


def test_exact_values_are_written_exactly_to_jsonl() -> None:
    r = only("全区完成工业总产值544.8亿元。")
    assert r.value == Decimal("54480000000")
    assert '"value": 54480000000,' in record_line(r)
    r = only("全区完成工业总产值23.45亿元。")
    assert '"value": 2345000000,' in record_line(r)
    assert json.loads(record_line(r))["value"] == 2345000000


# ---------------------------------------------------------------- scale as a class


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全省形成三个万亿产业。", [("三个", 3, "count")]),
        ("已有12个千亿级产业集群。", [("12个", 12, "count")]),
        ("着力打造四大300亿元产业集群。", []),
        ("到2015年产值达到千亿元。", [("千亿元", 100_000_000_000, "CNY")]),
    ],
)
def test_a_scale_that_classes_an_industry_is_no_amount(
    sentence: str, expected: list[tuple[str, int, str]]
) -> None:
    """万亿产业, 千亿级, 500亿元产业集群 name a class of industry; a bare 千亿元 after a
    verb of reaching is an amount (one thousand 亿)."""
    assert [(r.value_text, r.value, r.unit) for r in records(sentence)] == expected


# ----------------------------------------------------------------------- signs


@pytest.mark.parametrize(
    ("sentence", "written", "value", "measure"),
    [
        ("全市财政收入同比下降5.2%。", "5.2%", Decimal("-5.2"), "growth"),
        ("全区规模以上工业增加值增长-3.5%。", "-3.5%", Decimal("-3.5"), "growth"),
        ("全区私营企业比上年减少3家。", "3家", -3, "change"),
        ("全区企业利润-3.5亿元。", "-3.5亿元", -350_000_000, "level"),
        ("出口额同比回落了2.6%。", "2.6%", Decimal("-2.6"), "growth"),
        ("全区工业增加值同比增长8.5%。", "8.5%", Decimal("8.5"), "growth"),
        # falling to a level is the level, not a fall
        ("全市企业数增加到500家。", "500家", 500, "level"),
    ],
)
def test_falls_are_negative(sentence: str, written: str, value: Decimal, measure: str) -> None:
    r = only(sentence)
    assert (r.value_text, r.value, r.measure) == (written, value, measure)


def test_a_fall_of_a_range_turns_round() -> None:
    r = only("全区能耗同比下降3-5%。")
    assert (r.value_low, r.value_high, r.measure) == (-5, -3, "growth")


def test_a_range_dash_is_no_minus_sign() -> None:
    r = only("全区新增企业3-5家。")
    assert (r.value_low, r.value_high) == (3, 5)


@pytest.mark.parametrize(
    ("sentence", "value", "measure", "metric"),
    [
        # a gap between two subjects takes the measure of the figure compared
        ("全区工业增加值增速比全省高2.8个百分点。", Decimal("2.8"), "growth",
         "industrial_value_added"),
        ("全区工业增加值增速比全国低1.2个百分点。", Decimal("-1.2"), "growth",
         "industrial_value_added"),
        ("全区工业增加值增幅高于全市平均水平3个百分点。", 3, "growth",
         "industrial_value_added"),
        # one over time is a change, with the metric of the part
        ("全区工业增加值占GDP的比重上升0.8个百分点。", Decimal("0.8"), "change",
         "industrial_value_added"),
        ("全区工业增加值占GDP的比重同比提高了1.1个百分点。", Decimal("1.1"), "change",
         "industrial_value_added"),
        ("全区出口增速比上年回落2.1个百分点。", Decimal("-2.1"), "change", "exports"),
    ],
)
def test_gaps_in_percentage_points(sentence: str, value: Decimal, measure: str,
                                   metric: str) -> None:
    r = only(sentence)
    assert (r.unit, r.value, r.measure, r.metric) == ("percentage_point", value, measure, metric)


# ------------------------------------------------------- records that fail alone

_HUGE = "全区完成工业总产值" + "9" * 320 + "亿元。"
_GOOD = "2012年，全区完成工业总产值50亿元，增长12%。"


def test_an_unrepresentable_value_is_quarantined_alone() -> None:
    """320 nines before 亿元 used to fail the whole document with OverflowError."""
    _, recs, rejected = extract_text("t.txt", _GOOD + _HUGE)
    assert [r.value_text for r in recs] == ["50亿元", "12%"]
    assert len(rejected) == 1
    assert "cannot be represented" in rejected[0].reason
    assert rejected[0].raw["value_text"] == "9" * 320 + "亿元"


@pytest.mark.parametrize("year", [1800, 2150])
def test_a_year_out_of_range_is_quarantined(year: int) -> None:
    """1800年 / 2150年 are taken as written and the record quarantined, not made null."""
    _, recs, rejected = extract_text("t.txt", f"{year}年，全区完成工业总产值50亿元。" + _GOOD)
    assert [(r.value_text, r.year) for r in recs] == [("50亿元", 2012), ("12%", 2012)]
    assert len(rejected) == 1
    assert rejected[0].raw["year"] == year
    assert f"year {year} is outside" in rejected[0].reason


@pytest.mark.db
def test_the_loader_stores_exact_values_and_quarantines_the_rest(
    db_url: str, tmp_path: Path
) -> None:
    """Through the loader into PostgreSQL: the good records load with exact NUMERIC values;
    the unrepresentable value and the out-of-range year go to rejected_record with their
    reasons; the document itself loads."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "2012年，全区完成工业总产值544.8亿元，同比下降5.2%。" + _HUGE
        + "2150年，全区完成工业总产值50亿元。",
        encoding="utf-8",
    )
    summary = load_paths([folder], Database(db_url))
    assert summary.status == "succeeded"
    assert (summary.documents_new, summary.documents_failed) == (1, 0)
    assert (summary.records_loaded, summary.records_quarantined) == (2, 2)
    with psycopg.connect(db_url) as conn:
        values = conn.execute(
            "SELECT value_text, value, measure FROM observation ORDER BY seq").fetchall()
        reasons = [json.dumps(r, ensure_ascii=False) for (r,) in conn.execute(
            "SELECT reason FROM rejected_record ORDER BY id")]
        raw_years = [y for (y,) in conn.execute(
            "SELECT raw->>'year' FROM rejected_record ORDER BY id")]
    assert values == [("544.8亿元", Decimal("54480000000"), "level"),
                      ("5.2%", Decimal("-5.2"), "growth")]
    assert "cannot be represented" in reasons[0]
    assert "year 2150 is outside" in reasons[1]
    assert raw_years[1] == "2150"


# ------------------------------------------------------- figures cut by a line break


def _extract_source(text: str) -> list[tuple[str, object, str]]:
    _, recs, _ = extract_text("t.txt", text)
    for r in recs:
        assert text[r.start : r.end] == r.value_text
    return [(r.value_text, r.value, r.unit) for r in recs]


def test_a_unit_on_the_next_line_still_counts() -> None:
    """PDF text: 1.07亿⏎美元 is USD 107000000 and is written 1.07亿 (RECORDS.md)."""
    assert _extract_source("全区完成出口总额1.07亿\n美元，同比增长12%。\n")[0] == (
        "1.07亿", 107_000_000, "USD")


def test_a_figure_joined_across_a_wrapped_line_stops_at_the_break() -> None:
    text = ("2012年，园区紧紧围绕建设现代产业基地的目标，全年完成进出口总额5.6亿\n"
            "美元，同比增长百分之十二，外资企业达到35家。\n")
    assert _extract_source(text)[0] == ("5.6亿", 560_000_000, "USD")


def test_a_new_line_opening_on_a_word_is_no_unit() -> None:
    """…总额1000万⏎人口…: 人口 begins a new line, it is not 人."""
    assert _extract_source("全区完成出口总额1000万\n人口总数稳定增长。\n") == [
        ("1000万", 10_000_000, "CNY")]


def test_a_source_line_closing_the_last_paragraph_keeps_its_figures() -> None:
    """…同比增长12%。（来源：某某日报）: the paragraph's figures are read; only the source
    after its last full stop is page furniture."""
    text = ("某某开发区2012年工作总结\n2012年，园区完成工业总产值50亿元。\n"
            "全年实现财政收入12亿元，同比增长12%。（来源：某某日报）")
    assert [v for v, _, _ in _extract_source(text)] == ["50亿元", "12亿元", "12%"]
    furniture = "某某开发区2012年工作总结\n浏览次数：4897 发布时间：2012年3月 共8亿元\n"
    assert _extract_source(furniture) == []


def test_compound_numeral_with_a_zero_and_per_mille() -> None:
    assert only("项目总投资1亿零500万元。").value == 105_000_000
    r = only("全区登记失业率控制在千分之三。")
    assert (r.value_text, r.value, r.unit) == ("千分之三", Decimal("0.3"), "percent")


def test_one_area_restated_in_other_units_keeps_its_qualifier() -> None:
    got = [(q.unit, q.qualifier) for q in
           find_quantities(normalise("园区约10.67平方公里(1067公顷、16005亩)，").text)]
    assert got == [("km2", "approx"), ("ha", "approx"), ("mu", "approx")]


def test_money_in_a_currency_without_a_unit_code_is_not_taken_for_yuan() -> None:
    """5亿港元 is no CNY figure (units.csv has CNY and USD only): no record beats a wrong one."""
    assert records("该公司在园区投资5亿港元。") == []
    assert [r.unit for r in records("该公司在园区投资5亿元。")] == ["CNY"]


def test_a_ratio_of_parts_is_one_share_per_part() -> None:
    """三次产业结构为5.1:72.7:22.2 (RECORDS.md): three shares; a clock (10:30:00) adds up to
    no hundred and is none."""
    got = [(r.value_text, r.value, r.unit, r.measure)
           for r in records("会议于10:30:00开始，园区三次产业结构为5.1:72.7:22.2。")]
    assert got == [("5.1", Decimal("5.1"), "percent", "share"),
                   ("72.7", Decimal("72.7"), "percent", "share"),
                   ("22.2", Decimal("22.2"), "percent", "share")]


def test_a_line_ending_on_a_comma_goes_on_in_the_next() -> None:
    """PDF text: …的比重为71.9%，⏎比上年提高2.3个百分点 is one sentence."""
    text = ("二、工业\n全区规模以上工业总产值完成1526.8亿元，同比增长10.6%，其中高新技术产业产值"
            "1098.3亿元，占规上工业总产值的比重为71.9%，\n比上年提高2.3个百分点。\n")
    got = [(r.value_text, r.metric, r.measure) for r in records(text)]
    assert got[-1] == ("2.3个百分点", "output_value", "change")


def test_tenths_and_multiples_after_a_verb_of_growth() -> None:
    """增长两成 is 20 percent; 增长近三倍 about 300."""
    r = only("全区工业增加值同比增长两成。")
    assert (r.value_text, r.value, r.measure) == ("两成", 20, "growth")
    r = only("全区企业数量增长近三倍。")
    assert (r.value_text, r.value, r.qualifier, r.measure) == ("近三倍", 300, "approx", "growth")


def test_a_comparative_right_before_a_figure_qualifies_it() -> None:
    """比重高于60% is more than 60, 约有1010个 about 1010; the span is the figure alone."""
    r = only("高新技术产值占规模以上工业总产值的比重高于60%。")
    assert (r.value_text, r.qualifier) == ("60%", "more_than")
    r = only("世界各种类型的科技园区约有1010个。")
    assert (r.value_text, r.qualifier) == ("1010个", "approx")
    r = only("工业总值年均增幅高于全市规模工业增幅3个百分点。")
    assert (r.value_text, r.qualifier) == ("3个百分点", "exact")
