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

from etl.extract.normalise import normalise
from etl.extract.segment import split_articles
from etl.store.db import Database
from etl.store.load import load_paths
from tests.helpers import fields, records


def _date(text: str) -> tuple[date | None, str | None]:
    article = split_articles(normalise(text).text)[0]
    rule = article.date_evidence.rule if article.date_evidence else None
    return article.stated_date, rule


@pytest.mark.parametrize(("text", "expected"), [
    ("某区工作总结\n2016-03-30\n全区实现产值5亿元。", (date(2016, 3, 30), "date line")),
    ("某区工作总结\n15.06.2019\n全区实现产值5亿元。", (date(2019, 6, 15), "date line")),
    ("某区工作总结\n２０１７年０５月０４日\n全区实现产值5亿元。", (date(2017, 5, 4), "date line")),
    ("某区新闻\n2018-04-02 08:15:30   来源：   阅读：\n全区实现产值5亿元。",
     (date(2018, 4, 2), "date line")),
    ("政府工作报告\n——2016年2月3日在某市八届人大第四次会议上\n各位代表：",
     (date(2016, 2, 3), "occasion line")),
    ("某区资讯 发布日期:2021-09-07\n全区实现产值5亿元。", (date(2021, 9, 7), "page date line")),
    ("某县工作报告\n来源： 某某在线 作者： 2019-04-16 09:20:11\n全县实现产值5亿元。",
     (date(2019, 4, 16), "source line")),
])
def test_a_report_states_its_date_in_many_forms(text: str, expected: tuple) -> None:
    assert _date(text) == expected


def test_the_year_before_the_report_is_its_past_year() -> None:
    """过去的一年 in a speech dated 2015年2月9日 is 2014; 目前 is the year of the date."""
    text = ("政府工作报告\n——2015年2月9日在某市人大会议上\n"
            "过去的一年，全市地区生产总值达到980亿元。\n目前全市共有企业320家。\n")
    assert fields(text, "year") == [("980亿元", 2014), ("320家", 2015)]


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
    text = ("某省数字经济行动方案\n\n按照方案，到2027年，全省要基本形成数字经济和实体经济深度融合、"
            "创新活跃、应用广泛的发展格局，主要体现在以下几个方面：\n"
            "规模持续壮大。数字经济核心产业企业达到4.5万家。\n"
            "创新能力增强。省级以上研发平台达到650个。\n")
    assert fields(text, "year", "status") == [
        ("4.5万家", 2027, "target"), ("650个", 2027, "target")]


def test_a_sections_opening_time_holds_for_its_numbered_items() -> None:
    """整个“十三五”期间… then 1、… 2、…: the items report the plan's period."""
    text = ("第二节现实基础\n“十二五”时期，全省坚持以开发区为主战场推进工业化。\n"
            "1、规模效益明显提升。全省开发区营业收入达到2.4万亿元。\n")
    assert fields(text, "year") == [("2.4万亿元", 2015)]


def test_a_year_in_brackets_stays_in_them() -> None:
    """（其中2019年投入2.4亿元）dates that figure alone, not the ones after the brackets."""
    got = fields("基地已累计完成投资16亿元（其中2019年完成4.2亿元），现有入驻企业85户。", "year")
    assert got == [("16亿元", None), ("4.2亿元", 2019), ("85户", None)]


def test_an_event_date_does_not_frame_the_next_sentence() -> None:
    """2003年6月更名为… dates a renaming; the count after it has no year."""
    got = fields("某园区简介\n\n该园2003年6月更名为滨江工业园。园内共有企业76家。\n", "year")
    assert got == [("76家", None)]


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
    text = ("产业园区发展规划\n\n截至目前，我省共有省级以上园区96家（含景德镇市的陶瓷园区）。\n\n"
            "园区标准厂房面积达3100万平方米。\n")
    assert [r.region for r in records(text)] == ["江西省", "江西省"]


def test_a_place_in_brackets_opens_a_name_not_the_subject() -> None:
    """江苏（盐城）沿海经济区 opens a zone's name; the report is 盐城's."""
    text = ("盐城培育新兴产业\n\n汽车产业主要集中在江苏（盐城）沿海经济区，"
            "2018年完成产值420亿元。\n")
    assert [r.region for r in records(text)] == ["盐城市"]


def test_a_park_is_where_its_section_says_it_lies() -> None:
    """位于本市江宁区境内 gives the park's section its region; the city's government
    acting (南京市政府批准…) does not change it."""
    text = ("开发区名录\n\n南京秦淮科技产业园\n位于本市江宁区境内,规划面积8.2平方公里,"
            "南京市政府批准其扩区。园内累计引进企业57家。\n")
    got = fields(text, "region", "park")
    assert got == [("8.2平方公里", "江宁区", "南京秦淮科技产业园"),
                   ("57家", "江宁区", "南京秦淮科技产业园")]


def test_a_part_named_after_qizhong_does_not_outlast_its_sentence() -> None:
    """其中…南昌高新区的收入…。税收总额…: the province's zones again."""
    text = ("发展成效\n\n全省开发区实现营业收入3.1万亿元。其中南昌高新区营业收入突破3000亿元。"
            "全省开发区税收总额达1200亿元。\n")
    got = fields(text, "park")
    assert got == [("3.1万亿元", "开发区"), ("突破3000亿元", "南昌高新区"), ("1200亿元", "开发区")]


def test_an_example_of_those_counted_is_not_the_subject() -> None:
    """…的园区有武汉经开区等6家；上缴税金…: the parks as a whole, not the example."""
    text = ("发展成效\n\n全省园区营业收入超过500亿元的园区有武汉经开区等6家；"
            "上缴税金860亿元。\n")
    assert fields(text, "park")[-1] == ("860亿元", "园区")


def test_a_region_is_written_as_the_report_writes_it() -> None:
    """胶南 (today part of 黄岛区) in a report that writes 胶南市: 胶南市."""
    text = ("开发区名录\n\n山东省胶南经济开发区\n其面积11.5平方公里。原名胶南市工业园。\n")
    assert fields(text, "region")[0] == ("11.5平方公里", "胶南市")


def test_the_whole_park_word_is_the_park_of_the_title() -> None:
    text = "宁夏银川经济技术开发区简介\n\n全园规划面积32平方公里，整个园区已累计投资11亿元。\n"
    assert [r.park for r in records(text)] == ["宁夏银川经济技术开发区"] * 2


def test_every_record_says_where_its_fields_came_from() -> None:
    text = ("襄阳新闻\n2019-08-12 09:30:00 来源：\n"
            "目前襄阳市东津新区已开工项目60余项，预计今年投资可达120亿元。\n")
    first, second = records(text)
    assert first.evidence is not None and second.evidence is not None
    region = first.evidence["region"]
    assert region["rule"] == "sentence" and text[region["start"]:region["end"]] == "襄阳市"
    assert first.evidence["park"]["text"] == "襄阳市东津新区"
    year = second.evidence["year"]
    assert (year["text"], year["date"]["rule"]) == ("今年", "date line")
    assert second.evidence["status"] == {  # the nearest status word before the figure
        "rule": "status word", "start": text.index("可达"), "end": text.index("可达") + 2,
        "text": "可达"}


@pytest.mark.db
def test_a_loaded_record_carries_its_evidence(db_url: str, tmp_path: Path) -> None:
    report = tmp_path / "evidence.txt"
    report.write_text("某开发区简介\n\n2020年，某开发区实现工业总产值31.2亿元。\n",
                      encoding="utf-8")
    load_paths([report], Database(db_url))
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT evidence FROM observation").fetchall()
    assert rows and all(r[0] is not None for r in rows)
    evidence = rows[0][0] if isinstance(rows[0][0], dict) else json.loads(rows[0][0])
    assert evidence["year"]["rule"] == "sentence" and evidence["year"]["text"] == "2020年"
    assert evidence["status"] == {"rule": "default"}


def test_a_national_total_is_chinas_whatever_parks_a_list_names_after_it() -> None:
    text = ("国家级开发区发展报告\n\n2021年，全国230家国家级经开区实现地区生产总值13.1万亿元，"
            "其中广州开发区、天津经济技术开发区位居前列。\n")
    assert {r.region for r in records(text)} == {"中国"}


def test_a_phrase_containing_a_park_word_is_no_park_name() -> None:
    """比照国家级开发区政策 names a policy, not a park."""
    text = "园区概况\n\n该县产业园比照国家级开发区政策执行，园区新增企业12家。\n"
    assert "比照" not in (fields(text, "park")[0][1] or "")


def test_firms_about_to_move_in_are_an_estimate() -> None:
    got = fields("园区现有企业26家已投产，9家企业即将入园。", "status")
    assert got == [("26家", "actual"), ("9家", "estimate")]


def test_a_place_under_its_old_name_is_the_same_place() -> None:
    """胶南市 (today's 胶南 short name) in the section of a 胶南 zone keeps the zone."""
    text = ("开发区名录\n\n山东省胶南经济开发区\n其面积11.5平方公里。2001年3月18日,胶南市规模最大的"
            "外资项目——投资3000万美元的青岛华宇纺织有限公司在该区落户。\n")
    assert fields(text, "park")[-1] == ("3000万美元", "胶南经济开发区")


def test_the_cluster_just_named_is_what_gai_jiqun_points_back_to() -> None:
    text = ("产业集群布局\n\n位居第一的是汽车产业集群，集中分布在城东工业园。"
            "该集群2019年完成产值260亿元。\n")
    assert fields(text, "cluster") == [("260亿元", "汽车产业")]


def test_a_review_opening_its_section_dates_the_paragraphs_after_it() -> None:
    """过去的一年，… under a heading, in a page dated on its source line: the section's
    paragraphs (全年…) are the year before the page's date."""
    text = ("某区政府工作报告\n来源： 某某网 作者： 2019-04-16 10:02:33\n砥砺前行，开创新局面\n"
            "过去的一年，我们攻坚克难，全区各项任务顺利完成。\n"
            "一年来，全年地区生产总值为430亿元，比上年增长6.8%。\n")
    assert fields(text, "year") == [("430亿元", 2018), ("6.8%", 2018)]


def test_a_district_speaking_of_itself_is_the_district_its_city_names() -> None:
    """我区 in a report whose page and zones name the city: the one district of that city
    the report names (by its short name) is its region."""
    text = ("无锡频道\n政府工作报告\n过去的一年，建设“实力惠山”，我区经济稳步增长。"
            "全区地区生产总值为880亿元。无锡经济开发区发展良好，无锡市委给予肯定。\n")
    assert [r.region for r in records(text)] == ["惠山区"]


def test_a_title_about_the_country_outweighs_the_dateline_city() -> None:
    """A title that names the country and no place of it is a national report: figures
    the text gives without a place are the country's, not the dateline city's."""
    text = ("研究称中国高新区营业收入超40万亿元\n\n"
            "上海5月8日 (李明)某研究院日前发布报告。\n\n"
            "全国高新区营业收入达到41.3万亿元，增长9.2%。\n\n各高新区新增企业1200家。\n")
    assert [r.region for r in records(text)] == ["中国"] * 4


def test_quannian_takes_the_year_the_last_paragraph_reported_on() -> None:
    """全年 in a paragraph that states no year of its own: the year the paragraph before
    reported on (2019年度全省…), not none — and a goal year does not count."""
    text = ("某省开发区考评结果发布\n\n"
            "据介绍，2019年度全省开发区各项指标稳中有进。\n\n"
            "出口方面，开发区全年出口额为310.5亿元，比上年增长4.4%。\n")
    assert fields(text, "year") == [("310.5亿元", 2019), ("4.4%", 2019)]
    goal = ("某省开发区规划\n\n到2025年，全省开发区发展水平显著提升。\n\n"
            "开发区全年出口额为310.5亿元。\n")
    assert fields(goal, "year") == [("310.5亿元", None)]


def test_a_report_about_one_park_is_about_the_place_its_name_opens_with() -> None:
    """A title naming one park (湖北孝感高新技术产业开发区): its city is the report's region,
    though a district of the city is named as often, by parks of its own."""
    text = ("湖北孝感高新技术产业开发区概况\n"
            "2010年，开发区规划面积达到60平方公里，为加快孝南生物产业园建设，"
            "孝南农业园、孝南食品产业园也一并纳入。\n")
    assert [r.region for r in records(text)] == ["孝感市"]


def test_a_dateline_city_is_no_subject_of_the_sentence_it_opens() -> None:
    """广州6月3日 (记者) opening a national story: the figures after it are the country's
    (the title's), not the city the story was filed from."""
    text = ("报告称中国经开区进出口总额超9万亿元\n"
            "广州6月3日 (张华)某研究院日前发布报告。截至2022年底，国家级经开区进出口总额达到"
            "9.6万亿元。\n")
    assert [r.region for r in records(text)] == ["中国", "中国"]


def test_a_comparison_with_the_year_before_puts_the_last_year_in_force() -> None:
    """较上年增长… in a paragraph with no year of its own presupposes one: the year the
    paragraph before reported on, for that figure and the ones after it."""
    text = ("某省园区考评结果发布\n\n"
            "据介绍，2019年度全省园区各项指标稳中有进。\n\n"
            "出口方面，园区出口额为310.5亿元，较上年增长4.4%，在全省占61.2%。\n\n"
            "投资方面，园区新设企业85家。\n")
    assert fields(text, "year") == [
        ("310.5亿元", 2019), ("4.4%", 2019), ("61.2%", 2019), ("85家", None)]


def test_a_pair_of_parks_set_off_by_dashes_names_the_group_word() -> None:
    """两类园区——A和B——的…: the pair the dashes set off is the subject, named as written."""
    text = ("某省园区发展报告\n\n截至2020年底，两类园区——省级经济开发区和省级高新技术产业开发区"
            "——的营业收入合计达到3.4万亿元。\n")
    assert fields(text, "park") == [("3.4万亿元", "省级经济开发区和省级高新技术产业开发区")]


def test_the_year_before_is_the_one_before_the_year_in_force_in_an_undated_report() -> None:
    """2015年，…（上年为3210万元）in a report with no date of its own: 上年 is 2014."""
    text = ("某开发区概况\n\n2015年，开发区财政收入5.6亿元（上年为3210万元）。\n")
    assert fields(text, "year") == [("5.6亿元", 2015), ("3210万元", 2014)]
