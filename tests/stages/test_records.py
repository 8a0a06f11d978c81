"""The records stage: one raw record per figure and metric, its span mapped back to the
source as written (full-width and all), its value signed and in the canonical unit, and the
evidence for its region, park, year and status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.stages.conftest import upto


def _records(text: str) -> list[dict[str, Any]]:
    return upto(text, "records").raw_records()


def test_the_span_and_value_text_are_the_source_as_written() -> None:
    # ＧＤＰ２３．５亿元: start/end index the source; value_text keeps the full-width digits
    source = "全区完成ＧＤＰ２３．５亿元，同比增１５％。"
    recs = _records(source)
    assert [(r["value_text"], source[r["start"] : r["end"]]) for r in recs] == [
        ("２３．５亿元", "２３．５亿元"), ("１５％", "１５％")]
    assert [(r["value"], r["unit"]) for r in recs] == [
        (Decimal("2350000000"), "CNY"), (Decimal("15"), "percent")]


def test_the_quote_is_the_figures_clause_verbatim() -> None:
    # the clause around the value, from the source: full-width letters and all
    recs = _records("今年，全区完成ＧＤＰ２３．５亿元，同比下降５．２％。")
    assert [r["quote"] for r in recs] == ["全区完成ＧＤＰ２３．５亿元", "同比下降５．２％"]


def test_a_fall_is_negative() -> None:
    # 同比下降５．２％ → growth −5.2; 减少３家 → change −3
    recs = _records("园区工业增加值２１０亿元，同比下降５．２％，规模以上企业减少３家。")
    assert [(r["value_text"], r["measure"], r["value"]) for r in recs] == [
        ("２１０亿元", "level", Decimal("21000000000")), ("５．２％", "growth", Decimal("-5.2")),
        ("３家", "change", Decimal("-3"))]


def test_a_falling_range_turns_round() -> None:
    # 下降３％～５％: −5 … −3, value null, qualifier range
    [rec] = _records("园区出口同比下降３％～５％。")
    assert (rec["value"], rec["value_low"], rec["value_high"], rec["qualifier"]) == (
        None, Decimal("-5"), Decimal("-3"), "range")


def test_one_figure_of_two_metrics_is_two_records_on_one_span() -> None:
    # ＧＤＰ和财政收入…均达到１２％左右: a share of each, the same span, approx
    recs = _records("全区ＧＤＰ和财政收入占全市的比重均达到１２％左右。")
    assert [(r["metric"], r["measure"], r["qualifier"]) for r in recs] == [
        ("gdp", "share", "approx"), ("fiscal_revenue", "share", "approx")]
    assert len({(r["start"], r["end"], r["value_text"]) for r in recs}) == 1


def test_a_figure_cut_by_a_line_break_is_written_up_to_the_break() -> None:
    # 1.07亿⏎美元 (PDF text): value_text stops at the break, the unit still counts
    source = "园区利用外资1.07亿\n美元，新增企业８家。"
    recs = _records(source)
    assert (recs[0]["value_text"], recs[0]["unit"], recs[0]["value"]) == (
        "1.07亿", "USD", Decimal("107000000"))
    assert source[recs[0]["start"] : recs[0]["end"]] == "1.07亿"


def test_evidence_for_region_and_year_points_into_the_source() -> None:
    # region from the title 清河区; 今年 from the sentence, dated by the full-width date line
    source = "清河区工作报告\n２０１３年２月２０日\n今年，全区完成ＧＤＰ２３．５亿元。\n"
    [rec] = _records(source)
    assert (rec["region"], rec["year"], rec["period_text"]) == ("清河区", 2013, "今年")
    ev = rec["evidence"]
    assert ev["region"]["rule"] == "title"
    assert source[ev["region"]["start"] : ev["region"]["end"]] == ev["region"]["text"] == "清河区"
    assert (ev["year"]["rule"], ev["year"]["text"]) == ("sentence", "今年")
    assert (ev["year"]["date"]["rule"], ev["year"]["date"]["text"]) == (
        "date line", "２０１３年２月２０日")


def test_evidence_for_status_is_the_word_that_decided_it() -> None:
    # 预计: an estimate by its status word; a figure with no word is a result by default
    recs = _records("预计全年园区利润３亿元。园区新增企业８家。")
    assert [(r["status"], r["evidence"]["status"]) for r in recs] == [
        ("estimate", {"rule": "status word", "start": 0, "end": 2, "text": "预计"}),
        ("actual", {"rule": "default"})]
    assert "park" in recs[0]["evidence"] and "year" not in recs[0]["evidence"]


def test_every_record_carries_the_contract_fields() -> None:
    # RECORDS.md's fields, and the evidence, on each raw record; the doc is the file's name
    fields = {"doc", "start", "end", "quote", "value_text", "value", "value_low", "value_high",
              "qualifier", "unit", "metric", "metric_text", "measure", "year", "period",
              "period_text", "status", "region", "park", "cluster", "company", "evidence"}
    for rec in _records("2012年，清河工业园区新增企业８家，完成投资３亿元。"):
        assert set(rec) == fields
        assert rec["doc"] == "t.txt"


def test_a_national_totals_evidence_is_the_word_that_stands_for_the_country() -> None:
    # 我省… 全国219家国家级经开区: the region 中国 was read off 全国, not off 我省
    text = "我省开发区实现营业收入5860亿元。全国219家国家级经开区实现地区生产总值2.1万亿元。"
    records = upto(text, "records").raw_records()
    national = [r for r in records if r["region"] == "中国"]
    assert national and all(r["evidence"]["region"]["text"] == "全国" for r in national)
