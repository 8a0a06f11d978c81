"""Constructions of report language that decide a record's measure, subject or year, each
pinned on sentences written for this file (RECORDS.md: 新增; Groups as subjects; Region,
macro-regions; Year).
"""

from __future__ import annotations

import pytest

from tests.helpers import fields


@pytest.mark.parametrize("text", [
    "2020年，某区新开工项目4个。",
    "2020年，某区新签约的重大项目有38个。",
    "2020年，某区新引进内外资企业37家。",
    "2020年，某区新供地项目3个。",
])
def test_a_count_of_what_is_new_in_the_period_is_a_change(text: str) -> None:
    # RECORDS.md: 新增 — the count added in the period → change; 新开工/新签约/新引进 say so too
    assert [m for _, m in fields(text, "measure")] == ["change"]


def test_a_count_of_a_stock_stays_a_level() -> None:
    # 累计 counts what there is, not what the year added
    assert fields("2020年，某区累计引进项目120个。", "measure") == [("120个", "level")]


def test_a_generic_park_word_in_a_topic_frame_is_no_subject() -> None:
    # 在项目和园区方面: what the sentence is about, not whose figures follow
    assert fields("2017年，在项目和园区方面，全区新开工项目有72个。", "park") == [
        ("72个", None)]
    # …while a park word that is the clause's subject stays its subject
    assert fields("2017年，园区新开工项目4个。", "park") == [("4个", "园区")]


def test_a_from_to_change_no_time_word_dates_has_no_year() -> None:
    text = ("2021年全区完成产值50亿元。经济结构持续改善，三次产业比例从5.1:72.7:22.2变为"
            "3.3:41.6:55.1，第三产业比重上升了近33个百分点。进出口总额从不足900亿元增加到"
            "2600亿元；整车出口超2.7万辆。")
    years = dict(fields(text, "year"))
    assert years["50亿元"] == 2021
    # the two ends of the change are of two unnamed times, and the year carried ends there
    assert {years[v] for v in ("5.1", "55.1", "近33个百分点", "不足900亿元", "2600亿元",
                               "超2.7万辆")} == {None}


def test_a_from_to_change_with_its_years_keeps_them() -> None:
    text = "上交税金从2015年的1054.8亿元增至2020年的1734.1亿元。"
    assert fields(text, "year") == [("1054.8亿元", 2015), ("1734.1亿元", 2020)]


def test_a_preposition_of_source_does_not_open_a_park_name() -> None:
    # 据…介绍: the park is 某琴新区, not 据某琴新区
    assert fields("据某琴新区管委会介绍，2021年新区累计注册企业1168家。", "park") == [
        ("1168家", "某琴新区")]


def test_macro_regions_listed_before_fenbie_are_each_a_subject() -> None:
    # RECORDS.md: macro-regions as written; 分别 gives each its figure
    text = "2018年初，中部和西部在国家级产业园区中所占比例均达到新高，分别是30%和21%。"
    assert fields(text, "region") == [("30%", "中部地区"), ("21%", "西部地区")]


def test_a_direction_after_a_noun_is_a_part_of_it_not_a_macro_region() -> None:
    # 园区东部: the park's east side
    assert fields("园区东部新建厂房5万平方米。", "region") == [("5万平方米", None)]


def test_a_figure_of_a_year_after_the_report_with_no_status_word_is_a_plan() -> None:
    # a report dated 2011: 预计 frames its own clause; 2015年 is still to come, so a target
    text = ("某市工作报告\n2011-03-26\n该集群2010年完成产值390亿元，预计2011年可实现500亿元，"
            "2015年产值达到千亿元。")
    assert fields(text, "status") == [
        ("390亿元", "actual"), ("500亿元", "estimate"), ("千亿元", "target")]


def test_the_parts_a_park_is_divided_into_are_parks_of_their_own_clauses() -> None:
    # 分为南园、西园两块: each part is named where the park divides; it is the subject of
    # its own clause only, and the park as a whole stays in force after it
    text = ("某某工业园区规划面积58.9平方公里，分为南园、西园两块（其中南园36.8平方公里，"
            "西园22.1平方公里）。园区已累计投资9.5亿元。")
    assert fields(text, "park") == [
        ("58.9平方公里", "某某工业园区"), ("36.8平方公里", "南园"), ("22.1平方公里", "西园"),
        ("9.5亿元", "某某工业园区")]
