"""Typing of figures (issue 4): metric, measure, time, status and subject, as a user reads
them off the records `extract_text` returns. Every sentence here is written for this file.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import fields, records


def test_level_and_growth_take_the_metric_named_before_them() -> None:
    got = fields("今年上半年，全县完成ＧＤＰ４８．２亿元，同比增１２．５％。", "metric", "measure")
    assert got == [("４８．２亿元", "gdp", "level"), ("１２．５％", "gdp", "growth")]


def test_share_takes_the_metric_of_the_part() -> None:
    got = fields(
        "园区完成工业总产值86亿元，占全县规模以上工业产值的比重达62.3%。",
        "metric", "measure",
    )
    assert got == [
        ("86亿元", "gross_industrial_output", "level"),
        ("62.3%", "gross_industrial_output", "share"),
    ]


def test_fenbie_list_maps_in_order_onto_the_figures_before_it() -> None:
    got = fields(
        "全市园区实现销售收入900亿元，出口交货值120亿元，从业人员15万人，"
        "分别占全市工业的45%、60%和38%。",
        "metric", "measure",
    )
    assert got[3:] == [
        ("45%", "sales_revenue", "share"),
        ("60%", "export_delivery_value", "share"),
        ("38%", "employment", "share"),
    ]


def test_one_share_for_two_named_metrics_is_two_records() -> None:
    got = fields("开发区的地区生产总值和财政收入均占到全县的30%左右。", "metric", "measure")
    assert got == [("30%左右", "gdp", "share"), ("30%左右", "fiscal_revenue", "share")]


def test_count_takes_the_noun_it_counts() -> None:
    got = fields("今年园区新签约项目16个，新增入园企业23家，累计建成标准厂房12万平方米。", "metric")
    assert got == [
        ("16个", "project_count"),
        ("23家", "enterprise_count"),
        ("12万平方米", "floor_area"),
    ]


def test_xinzeng_is_a_change_but_new_jobs_is_a_flow() -> None:
    got = fields("今年新增私营企业85家，新增就业岗位3000余个。", "metric", "measure")
    assert got == [("85家", "enterprise_count", "change"), ("3000余个", "new_jobs", "level")]


def test_industrial_value_added_is_not_a_change() -> None:
    got = fields("全区工业增加值45.6亿元，增长18%。", "metric", "measure")
    assert got == [
        ("45.6亿元", "industrial_value_added", "level"),
        ("18%", "industrial_value_added", "growth"),
    ]


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("2009年，园区完成工业产值56亿元。", 2009, "2009"),
        ("2009年上半年，园区完成工业产值26亿元。", 2009, "2009-H1"),
        ("“十一五”末，园区工业产值达到200亿元。", 2010, "2010"),
        ("“十一五”期间，园区累计完成投资120亿元。", 2010, "2006/2010"),
        ("今年上半年，园区完成工业产值26亿元。", None, None),
        ("20xx年，园区完成工业产值26亿元。", None, None),
    ],
)
def test_time_is_only_what_the_text_makes_certain(text: str, year: Any, period: Any) -> None:
    (rec,) = records(text)
    assert (rec.year, rec.period) == (year, period)


def test_relative_years_resolve_against_the_articles_own_date() -> None:
    text = "今年上半年，园区完成工业产值26亿元；去年全年完成投资30亿元。\n（2011年7月）\n"
    got = fields(text, "year", "period")
    assert got == [("26亿元", 2011, "2011-H1"), ("30亿元", 2010, "2010")]


def test_a_year_carries_over_a_semicolon_but_not_a_full_stop() -> None:
    got = fields(
        "2010年，园区实现营业收入50亿元；入园企业120家。园区就业人数达到1.2万人。", "year"
    )
    assert got == [("50亿元", 2010), ("120家", 2010), ("1.2万人", None)]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("力争到2015年，园区工业总产值达到300亿元。", "target"),
        ("今年计划完成固定资产投资20亿元。", "target"),
        ("预计全年可实现销售收入80亿元。", "estimate"),
        ("园区项目全部建成后，销售收入可达到50亿元。", "estimate"),
        ("园区规划面积12.5平方公里。", "actual"),
        ("该项目计划总投资8亿元，已完成投资3亿元。", "actual"),
        ("去年园区完成工业产值56亿元。", "actual"),
    ],
)
def test_status(text: str, status: str) -> None:
    assert {r.status for r in records(text)} == {status}


def test_a_goal_header_frames_the_sentences_under_it() -> None:
    text = "发展目标：到2015年，引进工业项目80个。工业总产值达到500亿元；从业人员5万人。"
    got = fields(text, "status", "year")
    assert got == [("80个", "target", 2015), ("500亿元", "target", 2015), ("5万人", "target", 2015)]


def test_region_is_the_articles_and_self_words_refer_to_it() -> None:
    text = "湖北省荆州市荆州区工业园区建设情况\n全区完成工业总产值120亿元，同比增长25%。\n"
    assert {r.region for r in records(text)} == {"荆州区"}


def test_a_region_standing_with_its_figure_is_that_figures_region() -> None:
    text = "浙江省块状经济发展情况\n块状经济个数居前的是温州市41个、宁波市39个。\n"
    got = fields(text, "region", "metric")
    assert got == [("41个", "温州市", "park_count"), ("39个", "宁波市", "park_count")]


def test_park_from_the_title_and_generic_mentions_keep_it() -> None:
    text = (
        "鹤山高新技术产业开发区调研报告\n"
        "鹤山高新区规划面积15平方公里。去年园区实现营业收入62亿元。\n"
    )
    parks = {r.park for r in records(text)}
    assert parks == {"鹤山高新技术产业开发区"}


def test_counts_of_parks_carry_only_the_region() -> None:
    text = "江南县工业园区情况\n全县共有省级开发区3个，实现工业总产值150亿元。\n"
    (count, money) = records(text)
    assert (count.metric, count.park, count.cluster) == ("park_count", None, None)
    assert money.metric == "gross_industrial_output"


def test_industry_named_at_the_head_of_a_clause_is_the_cluster() -> None:
    """Records name an industry as the report writes it (RECORDS.md: the report's own
    fullest form); the database files 汽车零部件 under 汽车及零部件 (tests/test_entities.py)."""
    got = fields("纺织服装行业，力争年内实现产值45亿元；汽车零部件产业完成产值30亿元。", "cluster")
    assert got == [("45亿元", "纺织服装"), ("30亿元", "汽车零部件")]


def test_project_size_before_a_company_is_its_total_investment() -> None:
    got = fields("先后引进了投资6000万元的华宇机械有限公司。", "metric", "company")
    assert got == [("6000万元", "project_investment_total", "华宇机械有限公司")]


def test_fenbie_shares_take_the_subject_of_the_figure_they_are_a_share_of() -> None:
    got = fields(
        "园区完成工业产值17亿元，五大产业完成产值22亿元，分别占全区工业总产值的75%和91%。",
        "metric", "park", "cluster",
    )
    assert got[2:] == [
        ("75%", "gross_industrial_output", "园区", None),
        ("91%", "output_value", None, "五大产业"),
    ]
