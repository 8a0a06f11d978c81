"""Subjects, dates and status from the whole report (RECORDS.md, "Subjects and dates from
the whole report"), and the evidence each record carries for them: a test per rule, each on
sentences written for this file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from etl.load import load_paths
from etl.normalise import normalise
from etl.segment import split_articles
from tests.helpers import fields, records


def _date(text: str) -> tuple[date | None, str | None]:
    article = split_articles(normalise(text).text)[0]
    rule = article.date_evidence.rule if article.date_evidence else None
    return article.stated_date, rule


@pytest.mark.parametrize(("text", "expected"), [
    ("某区工作总结\n2016-03-30\n全区实现产值5亿元。", (date(2016, 3, 30), "date line")),
    ("某区工作总结\n15.06.2019\n全区实现产值5亿元。", (date(2019, 6, 15), "date line")),
    ("某区工作总结\n２０１７年０５月０４日\n全区实现产值5亿元。", (date(2017, 5, 4), "date line")),
    ("某区新闻\n2011-03-26 07:57:56   来源：   阅读：\n全区实现产值5亿元。",
     (date(2011, 3, 26), "date line")),
    ("政府工作报告\n——2012年1月11日在某市六届人大第五次会议上\n各位代表：",
     (date(2012, 1, 11), "occasion line")),
    ("某区资讯 发布日期:2021-09-07\n全区实现产值5亿元。", (date(2021, 9, 7), "page date line")),
])
def test_a_report_states_its_date_in_many_forms(text: str, expected: tuple) -> None:
    assert _date(text) == expected


def test_the_year_before_the_report_is_its_past_year() -> None:
    """过去的一年 in a speech dated 2012年1月11日 is 2011; 目前 is the year of the date."""
    text = ("政府工作报告\n——2012年1月11日在某市人大会议上\n"
            "过去的一年，全市地区生产总值达到980亿元。\n目前全市共有企业320家。\n")
    assert fields(text, "year") == [("980亿元", 2011), ("320家", 2012)]


def test_a_title_that_states_a_period_dates_every_figure() -> None:
    """…2013年上半年经济运行情况: 1-6月份 is 2013's, a figure with no time words 2013-H1."""
    text = ("东湖创业园2013年上半年经济运行情况\n\n"
            "1-6月份，园区实现工业总产值31.2亿元。\n\n园区新引进项目12项。\n")
    assert fields(text, "year", "period") == [
        ("31.2亿元", 2013, "2013-01/2013-06"), ("12项", 2013, "2013-H1")]


def test_a_plans_opening_year_in_the_title_dates_the_report() -> None:
    """“十三五”开门红 is 2016, not the plan's span."""
    text = "某省开发区实现“十三五”开门红\n\n全省开发区营业收入达到3.2万亿元，增长11%。\n"
    assert fields(text, "year") == [("3.2万亿元", 2016), ("11%", 2016)]


def test_a_heading_of_review_dates_its_section() -> None:
    """一、去年工作回顾 in a report dated 2015年2月: its section's figures are 2014's."""
    text = ("某开发区工作报告\n\n2015年2月\n\n一、去年工作回顾\n\n"
            "开发区规划面积12平方公里，入驻企业215家。\n")
    assert fields(text, "year") == [("12平方公里", 2014), ("215家", 2014)]


def test_a_goal_the_work_followed_is_no_frame() -> None:
    """紧紧围绕…规划目标，全区完成…: results, of the year named, not the plan's targets."""
    got = fields("2014年，某开发区紧紧围绕“十二五”规划目标，全区完成工业总产值41.5亿元。",
                 "year", "period", "status")
    assert got == [("41.5亿元", 2014, "2014", "actual")]


def test_a_paragraph_ending_in_a_colon_opens_a_list_of_goals() -> None:
    """到2025年…具体表现为以下几方面：the paragraphs after it are goals of 2025."""
    text = ("某省行动计划\n\n到2025年，全省要初步建成先进制造业强省，具体表现为以下几方面：\n"
            "产业能级高。规模以上工业企业突破3万家。\n产业创新强。高新技术企业超过2万家。\n")
    assert fields(text, "year", "status") == [("3万家", 2025, "target"), ("2万家", 2025, "target")]


def test_a_sections_opening_time_holds_for_its_numbered_items() -> None:
    """整个“十三五”期间… then 1、… 2、…: the items report the plan's period."""
    text = ("第一节发展基础\n整个“十三五”期间，我省一直把产业园区当作关键平台。\n"
            "1、园区经济体量显著扩大。全省园区生产总值达到1.5万亿元。\n")
    assert fields(text, "year") == [("1.5万亿元", 2020)]


def test_a_year_in_brackets_stays_in_them() -> None:
    """（其中2011年投入1.87亿元）dates that figure alone, not the ones after the brackets."""
    got = fields("园区已累计投资9.5亿元（其中2011年投入1.87亿元），现有入驻企业303户。", "year")
    assert got == [("9.5亿元", None), ("1.87亿元", 2011), ("303户", None)]


def test_an_event_date_does_not_frame_the_next_sentence() -> None:
    """1998年9月改用现名。 dates a renaming; the count after it has no year."""
    got = fields("该区1998年9月改用现名。全区内外资企业合计121家。", "year")
    assert got == [("121家", None)]


def test_a_forecast_covers_its_sentence_through_the_list_it_opens() -> None:
    """预计…；…。: every part up to the full stop is an estimate."""
    got = fields("预计全年实现工业总产值95亿元；完成固定资产投资40亿元。实现税收5亿元。",
                 "status")
    assert got == [("95亿元", "estimate"), ("40亿元", "estimate"), ("5亿元", "actual")]


def test_expected_targets_introduce_goals() -> None:
    got = fields("主要预期目标：地区生产总值增长8%左右。", "status")
    assert got == [("8%左右", "target")]


def test_first_person_province_lifts_the_reports_region() -> None:
    """我省 in a report that names only a city of the province: the province."""
    text = ("我省园区发展概况\n\n截至目前，我省园区总数为143家（洪江市计算在内）。\n\n"
            "园区标准厂房达5700万平方米。\n")
    assert [r.region for r in records(text)] == ["湖南省", "湖南省"]


def test_a_place_in_brackets_opens_a_name_not_the_subject() -> None:
    """辽宁（营口）沿海产业基地 is a park's name; the report is 营口's."""
    text = ("“十二五”营口打造产业集群\n\n钢铁产业集群主要布局在辽宁（营口）沿海产业基地，"
            "2010年完成产值390亿元。\n")
    assert [r.region for r in records(text)] == ["营口市"]


def test_a_park_is_where_its_section_says_it_lies() -> None:
    """地处本市城阳区境内 gives the park's section its region."""
    text = ("开发区名录\n\n青岛环海经济技术开发区\n地处本市城阳区境内,总规划面积6.69平方公里,"
            "青岛市政府将其确定为率先启动的区域。区内累计落户企业34家。\n")
    got = fields(text, "region", "park")
    assert got == [("6.69平方公里", "城阳区", "青岛环海经济技术开发区"),
                   ("34家", "城阳区", "青岛环海经济技术开发区")]


def test_a_part_named_after_qizhong_does_not_outlast_its_sentence() -> None:
    """其中…合肥经开区的收入…。税收总额…: the province's zones again."""
    text = ("某省开发区发展\n\n全省开发区营业收入达到5.56万亿元。其中合肥经开区的收入突破6000亿元。"
            "税收总额达2187.6亿元。\n")
    got = fields(text, "park")
    assert got == [("5.56万亿元", "开发区"), ("6000亿元", "合肥经开区"), ("2187.6亿元", "开发区")]


def test_an_example_of_those_counted_is_not_the_subject() -> None:
    """…的园区有长沙经开区等14家；上交税金…: the parks as a whole, not the example."""
    text = "全省园区技工贸收入突破1000亿元的园区有长沙经开区等14家；上交税金1734.1亿元。"
    assert fields(text, "park")[-1] == ("1734.1亿元", "园区")


def test_a_region_is_written_as_the_report_writes_it() -> None:
    """即墨 (today 即墨区) in a report that writes 即墨市: 即墨市."""
    text = ("开发区名录\n\n山东省即墨经济开发区\n其面积13.2平方公里。最初名为即墨市工业开发区。\n")
    assert fields(text, "region")[0] == ("13.2平方公里", "即墨市")


def test_the_whole_park_word_is_the_park_of_the_title() -> None:
    text = "甘肃酒泉工业园区简介\n\n全园规划面积58.9平方公里，整个园区已累计投资9.5亿元。\n"
    assert [r.park for r in records(text)] == ["甘肃酒泉工业园区", "甘肃酒泉工业园区"]


def test_every_record_says_where_its_fields_came_from() -> None:
    text = ("营口新闻\n2011-03-26 07:57:56 来源：\n"
            "目前营口市北海新区已开工项目100余项，预计今年产值可达300亿元。\n")
    first, second = records(text)
    source = normalise(text).text  # no characters dropped in this text
    assert first.evidence is not None and second.evidence is not None
    region = first.evidence["region"]
    assert region["rule"] == "sentence" and source[region["start"]:region["end"]] == "营口"
    assert first.evidence["park"]["text"] == "营口市北海新区"
    year = second.evidence["year"]
    assert (year["text"], year["date"]["rule"]) == ("今年", "date line")
    assert second.evidence["status"] == {
        "rule": "status word", "start": text.index("预计"), "end": text.index("预计") + 2,
        "text": "预计"}


@pytest.mark.db
def test_a_loaded_record_carries_its_evidence(db_url: str, tmp_path: Path) -> None:
    report = tmp_path / "evidence.txt"
    report.write_text("某开发区简介\n\n2020年，某开发区实现工业总产值31.2亿元。\n", encoding="utf-8")
    load_paths([report], db_url)
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT evidence FROM observation").fetchall()
    assert rows and all(r[0] is not None for r in rows)
    evidence = rows[0][0] if isinstance(rows[0][0], dict) else json.loads(rows[0][0])
    assert evidence["year"]["rule"] == "sentence" and evidence["year"]["text"] == "2020年"
    assert evidence["status"] == {"rule": "default"}
