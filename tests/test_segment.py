"""Segmentation (etl.extract.segment): articles, titles, stated dates, paragraphs, sentences and
boilerplate lines, on text written for this file."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from etl.extract.normalise import normalise
from etl.extract.pipeline import extract_text
from etl.extract.segment import Article, paragraphs, sentences, split_articles, stated_date

PAGE = """当前位置：首页 > 园区新闻
发布时间：2011-05-08 浏览次数：1200人
第一篇：开发区建设调研报告
（2011年5月）
今年上半年，园区完成产值50亿元。去年园区新增企业20家。
转载请保留本文链接，本站收录企业3000家
第二篇:园区工作总结
园区新增企业20家；完成投资5亿元
二〇一一年五月八日
篇三：关于产业集群的思考
集群产值300亿元！
"""


def _articles(text: str) -> tuple[str, list[Article]]:
    norm = normalise(text).text
    return norm, split_articles(norm)


def test_articles_split_at_their_marks() -> None:
    text, arts = _articles(PAGE)
    bodies = [text[a.start : a.end] for a in arts]
    assert len(arts) == 4  # the page header, then 第一篇, 第二篇, 篇三
    assert bodies[1].startswith("第一篇：")
    assert bodies[2].startswith("第二篇:")
    assert bodies[3].startswith("篇三：")
    # articles tile the text
    assert arts[0].start == 0 and arts[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(arts))


def test_titles_drop_the_article_mark() -> None:
    _, arts = _articles(PAGE)
    assert [a.title for a in arts[1:]] == [
        "开发区建设调研报告",
        "园区工作总结",
        "关于产业集群的思考",
    ]


def test_header_of_only_boilerplate_has_no_title() -> None:
    _, arts = _articles(PAGE)
    assert arts[0].title == ""


def test_stated_dates_per_article() -> None:
    _, arts = _articles(PAGE)
    assert [a.stated_date for a in arts] == [None, date(2011, 5, 1), date(2011, 5, 8), None]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("二〇一一年五月八日", date(2011, 5, 8)),
        ("二○一二年十二月三十一日", date(2012, 12, 31)),  # ○ for zero, normalised to 〇
        ("（2011年5月）", date(2011, 5, 1)),
        ("(2010年12月20日)", date(2010, 12, 20)),
        ("  2012年3月  ", date(2012, 3, 1)),
        ("2011年5月8日召开全市园区工作会议", None),  # a date inside a sentence
        ("2011年13月", None),
        ("全区完成产值120亿元", None),
    ],
)
def test_stated_date_is_a_line_holding_only_a_date(line: str, expected: date | None) -> None:
    assert stated_date(normalise(line).text) == expected


def test_the_last_stated_date_wins() -> None:
    text = "（2010年12月）\n园区完成产值50亿元。\n二〇一一年一月五日\n"
    assert stated_date(normalise(text).text) == date(2011, 1, 5)


def test_boilerplate_lines_are_marked() -> None:
    text, arts = _articles(PAGE)
    marked = [text[s:e] for a in arts for s, e in a.boilerplate]
    assert marked == [
        "当前位置：首页 > 园区新闻",
        "发布时间：2011-05-08浏览次数：1200人",  # layout space dropped
        "转载请保留本文链接，本站收录企业3000家",
    ]


def test_boilerplate_lines_give_no_records() -> None:
    _, recs, rejected = extract_text("t.txt", PAGE)
    assert not rejected
    got = [r.value_text for r in recs]
    assert got == ["50亿元", "20家", "20家", "5亿元", "300亿元"]
    assert "1200人" not in got and "3000家" not in got


def test_relative_years_resolve_against_the_article_date() -> None:
    _, recs, _ = extract_text("t.txt", PAGE)
    first = next(r for r in recs if r.value_text == "50亿元")
    assert (first.year, first.period, first.period_text) == (2011, "2011-H1", "今年上半年")
    last_year = min((r for r in recs if r.value_text == "20家"), key=lambda r: r.start)
    assert (last_year.year, last_year.period_text) == (2010, "去年")


def test_relative_year_without_article_date_stays_null() -> None:
    _, recs, _ = extract_text("t.txt", "篇一：园区工作总结\n今年上半年，园区完成产值60亿元。\n")
    (rec,) = recs
    assert (rec.year, rec.period_text) == (None, "今年上半年")


def test_document_title_skips_a_boilerplate_header() -> None:
    extraction, _, _ = extract_text("t.txt", PAGE)
    assert extraction.title == "开发区建设调研报告"
    assert extraction.stated_date == date(2011, 5, 1)


def test_paragraphs_are_lines_and_sentences_end_at_marks() -> None:
    text = normalise("园区新增企业20家；完成投资5亿元。增长15%！\n\n集群产值300亿元\n").text
    paras = list(paragraphs(text, 0, len(text)))
    assert [text[a:b] for a, b in paras] == [
        "园区新增企业20家；完成投资5亿元。增长15%！",
        "集群产值300亿元",
    ]
    first = [text[s.start : s.end] for s in sentences(text, *paras[0])]
    assert first == ["园区新增企业20家；", "完成投资5亿元。", "增长15%！"]
    second = [text[s.start : s.end] for s in sentences(text, *paras[1])]
    assert second == ["集群产值300亿元"]


def test_single_article_without_marks() -> None:
    text, arts = _articles("关于园区发展的调研报告\n全区完成产值120亿元。\n")
    (art,) = arts
    assert (art.start, art.end, art.title) == (0, len(text), "关于园区发展的调研报告")


def test_article_mark_must_start_a_line() -> None:
    _, arts = _articles("园区概况\n本文引用了第一篇：的内容，全区完成产值120亿元。\n")
    assert len(arts) == 1
