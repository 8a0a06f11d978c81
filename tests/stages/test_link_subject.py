"""The link_subject stage: the region, park, cluster and company each figure is of
(Figure.subject), from the sentence, its paragraph's topic, a heading, or the article's
title (RECORDS.md, "Subjects and dates from the whole report")."""

from __future__ import annotations

import pytest

from tests.stages.conftest import by_text, upto

Row = tuple[str, str | None, str | None, str | None, str | None]


def _subjects(text: str) -> list[Row]:
    """(figure, region, park, cluster, company) in order."""
    doc = upto(text, "link_subject")
    out: list[Row] = []
    for written, fig in by_text(doc):
        s = fig.subject
        assert s is not None
        out.append((written, s.region, s.park, s.cluster, s.company))
    return out


def test_the_titles_region_is_what_the_self_word_stands_for() -> None:
    # 宁阳县经济运行情况 … 全县: the county of the title
    assert _subjects("宁阳县经济运行情况\n全县实现地区生产总值60亿元。\n") == [
        ("60亿元", "宁阳县", None, None, None)]


def test_a_park_named_in_the_sentence_brings_the_region_its_name_opens_with() -> None:
    # 宁阳经济开发区: the park, and 宁阳县 read off its name
    assert _subjects("宁阳经济开发区实现营业收入50亿元。") == [
        ("50亿元", "宁阳县", "宁阳经济开发区", None, None)]


def test_each_section_heading_names_the_region_of_its_section() -> None:
    # 二、清河区 … 三、江北区: 全区 is a different district in each section
    text = ("二、清河区\n2012年，全区实现地区生产总值60亿元。\n"
            "三、江北区\n2012年，全区实现地区生产总值40亿元。\n")
    assert [(w, r) for w, r, *_ in _subjects(text)] == [("60亿元", "清河区"), ("40亿元", "江北区")]


def test_a_paragraphs_run_in_topic_is_the_cluster_of_its_figures() -> None:
    # 电子信息产业：… and 纺织服装产业：…: each paragraph's figures are of its industry
    text = "电子信息产业：全年实现产值80亿元，增长20%。\n纺织服装产业：全年实现产值30亿元。\n"
    assert [(w, c) for w, _, _, c, _ in _subjects(text)] == [
        ("80亿元", "电子信息产业"), ("20%", "电子信息产业"), ("30亿元", "纺织服装")]


def test_a_company_is_the_subject_of_its_figure_within_the_titles_region() -> None:
    # 清河区工作报告 … 江北区某某新材料有限公司: the company's figure, in the report's
    # district; the place opening the company's name is not the region
    assert _subjects("清河区工作报告\n江北区某某新材料有限公司实现产值2亿元。\n") == [
        ("2亿元", "清河区", None, None, "江北区某某新材料有限公司")]


def test_a_park_carries_to_the_next_sentence_of_its_paragraph() -> None:
    # 清河工业园区 … 。新增企业8家: the same park, its sentence names none
    got = _subjects("清河工业园区今年完成投资12亿元。新增企业8家。")
    assert [(w, p) for w, _, p, _, _ in got] == [
        ("12亿元", "清河工业园区"), ("8家", "清河工业园区")]


def test_a_phrase_holding_a_place_word_does_not_replace_the_region() -> None:
    # 世界500强企业 in 宁阳县's report: the figure is 宁阳县's
    assert _subjects("宁阳县经济运行情况\n全县引进世界500强企业3家。\n") == [
        ("3家", "宁阳县", None, None, None)]


@pytest.mark.xfail(strict=True, reason=(
    "two parks with 分别: the first park's figure takes 宁阳县, the region of the second "
    "park's name; RECORDS.md takes a region from the parks only when they all lie in it"))
def test_respectively_gives_each_park_only_its_own_region() -> None:
    # 南山高新技术产业开发区和宁阳经济开发区分别…50亿元和30亿元
    got = _subjects("南山高新技术产业开发区和宁阳经济开发区分别实现营业收入50亿元和30亿元。")
    assert [(w, r, p) for w, r, p, _, _ in got] == [
        ("50亿元", None, "南山高新技术产业开发区"), ("30亿元", "宁阳县", "宁阳经济开发区")]


def test_the_place_in_a_companys_name_is_not_the_region() -> None:
    # an undated, untitled sentence: nothing but the company's name names a place
    assert _subjects("宁阳某某机械有限公司全年实现销售收入3亿元。") == [
        ("3亿元", None, None, None, "宁阳某某机械有限公司")]


def test_world_in_world_top_500_is_no_region() -> None:
    # no other place in the text: the region stays null
    assert [(w, r) for w, r, *_ in _subjects("园区今年引进世界500强企业3家。")] == [("3家", None)]


def test_an_industry_is_the_subject_of_its_own_semicolon_part_only() -> None:
    # 制造业占比稳定在30%以上；规模以上工业企业力争突破2.8万家: the count after the ； is
    # of all industry, not of 制造业
    text = "制造业增加值占比稳定在30%以上；规模以上工业企业力争突破2.8万家。"
    assert [(w, c) for w, _, _, c, _ in _subjects(text)] == [
        ("30%以上", "制造业"), ("突破2.8万家", None)]


def test_a_park_named_inside_the_region_in_force_keeps_that_region() -> None:
    # 湖州市… 全市有开发区3家。长兴经济开发区…: the city's figures, park by park — 长兴
    # opens the park's name but the region in force already holds it
    text = "湖州市经济运行\n全市有开发区3家。长兴经济开发区实现产值50亿元。\n"
    assert _subjects(text)[1] == ("50亿元", "湖州市", "长兴经济开发区", None, None)


def test_the_last_of_a_chain_of_places_opening_a_park_is_its_region() -> None:
    # 浙江长兴经济开发区: 浙江 then 长兴, both opening the name — the park lies in 长兴县
    text = "园区简介\n浙江长兴经济开发区实现产值50亿元。\n"
    assert [(w, r) for w, r, *_ in _subjects(text)] == [("50亿元", "长兴县")]


def test_a_place_named_only_in_passing_is_no_region_unless_the_report_speaks_of_its_own_area(
) -> None:
    # A news page filed by an outlet (香港新闻网) citing a paper (《澳门日报》), naming 温州
    # only as whom the work benefits (为温州产业…): no region is plain. Once it says 全市,
    # the place it names is its own.
    lead = ("香港新闻网3月7日电 据《澳门日报》报道，园区累计注册企业超过1000家，"
            "为温州产业走向多元提供了新的载体，也带动了温州经济加快发展。\n")
    assert {r for _, r, *_ in _subjects(lead + "去年园区新增企业431家。\n")} == {None}
    assert {r for _, r, *_ in _subjects(lead + "去年全市园区新增企业431家。\n")} == {"温州市"}


def test_the_whole_county_is_not_the_park_a_report_is_about() -> None:
    # 江北县工业园区情况汇报 … 全县共有规上企业86家: the county's count, not the park's;
    # 全区 in a park's report is the park itself
    text = "江北县工业园区情况汇报\n园区实现营业收入18亿元。全县共有规上企业86家。\n"
    assert [(w, p) for w, _, p, *_ in _subjects(text)] == [
        ("18亿元", "江北县工业园区"), ("86家", None)]
