"""The link_time stage: the year or period of each figure (Figure.time), its status
(actual / target / estimate) and the frame that set it; the article's own date
(DocArticle.today) that 今年 and 过去的一年 count from."""

from __future__ import annotations

from datetime import date

from etl.extract.doc import Doc
from tests.stages.conftest import by_text, upto


def _times(doc: Doc) -> list[tuple[str, int | None, str | None, str | None]]:
    """(figure, year, period, status) in order."""
    return [(w, f.time.year if f.time else None, f.time.period if f.time else None, f.status)
            for w, f in by_text(doc)]


def test_a_year_in_the_sentence_dates_its_figures_and_holds_for_全年() -> None:
    # 2012年，…60亿元，比2007年增长一倍: 2007 is a comparison, not the year of the figure;
    # 全年 in the next sentence is the year in force
    doc = upto("2012年，全区实现地区生产总值60亿元，比2007年增长一倍。全年新增企业30家。",
               "link_time")
    assert _times(doc) == [("60亿元", 2012, "2012", "actual"), ("一倍", 2012, "2012", "actual"),
                           ("30家", 2012, "2012", "actual")]


def test_the_titles_period_dates_every_figure_and_months_narrow_it() -> None:
    # …2012年上半年经济运行情况: a figure with no time words is 2012-H1; 1-5月份 is
    # 2012-01/2012-05; today is read off the title
    doc = upto("清河区2012年上半年经济运行情况\n全区实现地区生产总值60亿元。\n"
               "1-5月份，园区完成投资8亿元。\n", "link_time")
    assert _times(doc) == [("60亿元", 2012, "2012-H1", "actual"),
                           ("8亿元", 2012, "2012-01/2012-05", "actual")]
    art = doc.article_list()[0]
    assert art.today == date(2012, 1, 1) and art.date_from_title
    first = next(f for _, f in by_text(doc)).time
    assert first is not None and first.rule == "title"


def test_this_year_counts_from_the_date_line() -> None:
    # a date line 2013年2月20日: 今年 is 2013, 上半年 2013-H1, both resolved against it
    doc = upto("南山区工作报告\n2013年2月20日\n今年，全区实现税收6亿元。\n"
               "上半年，园区完成投资12亿元。\n", "link_time")
    assert doc.article_list()[0].today == date(2013, 2, 20)
    assert _times(doc) == [("6亿元", 2013, "2013", "actual"),
                           ("12亿元", 2013, "2013-H1", "actual")]
    assert all(f.time is not None and f.time.dated for _, f in by_text(doc))


def test_the_past_year_of_a_dated_speech_is_the_year_before() -> None:
    # ——2015年2月9日在…会议上: 过去的一年 is 2014
    doc = upto("南山区政府工作报告\n——2015年2月9日在南山区人大会议上\n"
               "过去的一年，全区实现地区生产总值98亿元。\n", "link_time")
    assert _times(doc) == [("98亿元", 2014, "2014", "actual")]


def test_this_year_without_a_date_keeps_only_its_words() -> None:
    # 今年 in an undated text, 20xx年: year and period null, the words kept
    cases = (("今年，全区实现税收6亿元。", "今年"), ("20xx年，园区实现销售收入7亿元。", "20xx年"))
    for text, words in cases:
        [(_, fig)] = list(by_text(upto(text, "link_time")))
        assert fig.time is not None
        assert (fig.time.year, fig.time.period, fig.time.period_text) == (None, None, words)


def test_a_five_year_plan_is_its_span_and_its_end_is_its_last_year() -> None:
    # “十一五”期间 → 2006/2010, year 2010; “十一五”末 → 2010
    doc = upto("“十一五”期间，全区累计完成固定资产投资300亿元。“十一五”末，全区GDP达到150亿元。",
               "link_time")
    assert _times(doc) == [("300亿元", 2010, "2006/2010", "actual"),
                           ("150亿元", 2010, "2010", "actual")]


def test_goal_words_and_goal_years_make_targets() -> None:
    # 到2015年…力争: a target of 2015; 力争…，争取…: targets with their frame
    doc = upto("到2015年，全区工业总产值力争达到500亿元。", "link_time")
    assert _times(doc) == [("500亿元", 2015, "2015", "target")]
    doc = upto("力争全年新增企业50家，争取实现产值10亿元。", "link_time")
    assert [(w, f.status, f.frame) for w, f in by_text(doc)] == [
        ("50家", "target", "target"), ("10亿元", "target", "target")]
    # a heading of goals, 二、2014年工作目标, over a paragraph with no goal word of its own
    doc = upto("南山区工作报告\n二、2014年工作目标\n全区地区生产总值增长10%，新增企业50家。\n",
               "link_time")
    assert _times(doc) == [("10%", 2014, "2014", "target"), ("50家", 2014, "2014", "target")]


def test_an_estimate_covers_its_sentence_through_its_semicolons_and_stops_there() -> None:
    # 预计…，…；财政收入9亿元。 all estimates; the next sentence is a result
    doc = upto("预计全年全区实现地区生产总值88亿元，增长10%；财政收入9亿元。园区新增企业5家。",
               "link_time")
    assert [(w, f.status) for w, f in by_text(doc)] == [
        ("88亿元", "estimate"), ("10%", "estimate"), ("9亿元", "estimate"), ("5家", "actual")]


def test_a_quarter_is_its_months_not_the_whole_year() -> None:
    # 今年一季度 with the report's date: the year is certain, the period is January–March
    doc = upto("南山区工作报告\n2013年2月20日\n今年一季度，全区实现税收6亿元。\n", "link_time")
    assert _times(doc) == [("6亿元", 2013, "2013-01/2013-03", "actual")]


def test_the_date_line_under_the_title_is_no_period_of_the_figures() -> None:
    # …2012年工作总结 ⏎ 2013年2月20日 ⏎ 园区新增企业8家。: not a figure of February 2013
    at_foot = upto("南山区2012年工作总结\n园区新增企业8家。\n2013年2月20日\n", "link_time")
    under_title = upto("南山区2012年工作总结\n2013年2月20日\n园区新增企业8家。\n", "link_time")
    # where the date line stands does not change what the figure is of
    assert _times(under_title) == _times(at_foot)
    assert _times(under_title)[0][2] != "2013-02"


def test_到_up_to_now_or_closing_a_span_of_years_sets_no_deadline() -> None:
    # 到目前为止: up to now, a result; 在2012到2017年间: a span in the past, not 到2017年
    doc = upto("到目前为止，已开发面积为1260亩。两类园区在2012到2017年间的GDP平均增速达13.43%。",
               "link_time")
    assert [(w, s) for w, _, _, s in _times(doc)] == [("1260亩", "actual"), ("13.43%", "actual")]


def test_a_clause_of_its_own_that_only_says_据初步测算_makes_what_follows_an_estimate() -> None:
    # …达到614亿元，据初步测算，全市…在2050亿元左右: the first is a result, the second a
    # forecast, and its evidence is the word
    text = "园区营业收入达到614亿元，据初步测算，全市服务业营业收入在2050亿元左右。"
    assert [(w, s) for w, _, _, s in _times(upto(text, "link_time"))] == [
        ("614亿元", "actual"), ("2050亿元左右", "estimate")]
    records = upto(text, "records").raw_records()
    assert records[1]["evidence"]["status"]["text"] == "初步测算"


def test_a_figure_the_clause_names_a_goal_is_a_target() -> None:
    # 围绕…增长10%—12%等主要发展目标: 目标 after the figure names it a goal; 实现了增长8%的目标
    # says the goal was met
    text = "围绕2009年生产总值增长10%等主要发展目标，全区实现了增长8%的目标。"
    assert [(w, s) for w, _, _, s in _times(upto(text, "link_time"))] == [
        ("10%", "target"), ("8%", "actual")]
    records = upto(text, "records").raw_records()
    assert records[0]["evidence"]["status"]["rule"] == "named goal"


def test_计划用_some_years_frames_its_sentence_as_a_plan() -> None:
    # 计划用3年左右的时间，建成…，规划建设总面积25平方公里: a plan, though 规划建设总面积 alone
    # is a park's size as it stands
    text = "计划用3年左右的时间，建成清河工业带，规划建设总面积25平方公里。"
    assert [(w, s) for w, _, _, s in _times(upto(text, "link_time"))] == [("25平方公里", "target")]


def test_a_title_reviewing_the_year_it_names_dates_the_figures_a_work_report_does_not() -> None:
    # 清河县2019年国民经济和社会发展统计公报: the bulletin of 2019 — its figures are 2019's,
    # even under a date line of 2020; 2018年政府工作报告 is delivered in 2018 about 2017
    bulletin = ("清河县2019年国民经济和社会发展统计公报\n2020-03-30\n"
                "全县实现地区生产总值125.6亿元，同比增长8.5%。\n")
    assert _times(upto(bulletin, "link_time")) == [
        ("125.6亿元", 2019, "2019", "actual"), ("8.5%", 2019, "2019", "actual")]
    report = "2018年政府工作报告\n全县实现地区生产总值125.6亿元。\n"
    assert _times(upto(report, "link_time")) == [("125.6亿元", None, None, "actual")]


def test_a_bare_quarter_takes_the_year_of_the_reports_date_or_the_one_before() -> None:
    # 一季度 in a news page whose source line is dated 2019-04-13: 2019's first quarter. In
    # a speech of 2012年1月11日, 前三季度 had not ended that year: it is 2011's
    news = "一季度，全省开发区规上工业增加值同比增长9.6%。\n来源：某某日报  2019-04-13\n"
    assert _times(upto(news, "link_time")) == [("9.6%", 2019, "2019-01/2019-03", "actual")]
    speech = "——2012年1月11日在某市人大会议上\n前三季度，全市实现产值30亿元。\n"
    assert _times(upto(speech, "link_time")) == [("30亿元", 2011, "2011-01/2011-09", "actual")]


def test_a_date_line_followed_by_the_pages_source_dates_the_report() -> None:
    # ２０１７年０５月０４日 来源：某某日报 under the title: 今年一季度 is 2017's
    doc = upto("我省开发区转型升级成效明显\n２０１７年０５月０４日 来源：某某日报\n"
               "今年一季度，我省开发区实现营业收入5860亿元。\n", "link_time")
    assert doc.article_list()[0].today == date(2017, 5, 4)
    assert _times(doc) == [("5860亿元", 2017, "2017-01/2017-03", "actual")]
