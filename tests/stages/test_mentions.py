"""The mentions stage: the places, parks, clusters and companies each article names, with
each sentence's share of them (a news dateline's place left out of its sentence)."""

from __future__ import annotations

from etl.extract.doc import Doc
from tests.stages.conftest import sentences, upto


def _article_kinds(doc: Doc) -> list[tuple[str, str]]:
    found = doc.article_list()[0].entities
    assert found is not None
    return [(e.kind, e.name) for e in found.all]


def _sentence_kinds(doc: Doc) -> list[list[tuple[str, str]]]:
    return [[(e.kind, e.name) for e in s.entities or ()] for s in sentences(doc)]


def test_a_company_a_park_a_self_word_and_a_cluster_in_one_sentence() -> None:
    # …有限公司 a company; 清河经济开发区 a park (清河 its place); 全区 the self word;
    # 电子信息产业 a cluster
    doc = upto("江北区某某新材料有限公司落户清河经济开发区，全区电子信息产业实现产值80亿元。",
               "mentions")
    assert _article_kinds(doc) == [
        ("company", "江北区某某新材料有限公司"), ("region", "清河"), ("park", "清河经济开发区"),
        ("self", "全区"), ("cluster", "电子信息产业")]


def test_a_region_is_named_in_full_from_its_short_form() -> None:
    # 从南宁获悉: 南宁 is the city 南宁市
    doc = upto("某某日报记者从南宁获悉，全市新增企业30家。", "mentions")
    assert ("region", "南宁市") in _article_kinds(doc)
    assert _sentence_kinds(doc) == [[("region", "南宁市"), ("self", "全市")]]


def test_a_news_datelines_place_is_the_articles_but_not_its_sentences() -> None:
    # 新华社南宁3月29日电: where the story was filed; the article weighs it, the
    # sentence it opens is not about it
    doc = upto("新华社南宁3月29日电 今年一季度，全市新增企业30家。", "mentions")
    assert ("region", "南宁市") in _article_kinds(doc)
    assert _sentence_kinds(doc) == [[("self", "全市")]]


def test_a_dateline_without_an_agency_is_left_out_too() -> None:
    # 南宁3月29日讯（记者…）
    doc = upto("南宁3月29日讯（记者王五）今年一季度，全市新增企业30家。", "mentions")
    assert _sentence_kinds(doc) == [[("self", "全市")]]


def test_generic_park_words_are_parks_that_are_not_named() -> None:
    # 园区 and 省级以上开发区 are the report's words for a group, not names
    doc = upto("省级以上开发区实现营业收入5000亿元，园区新增企业8家。", "mentions")
    found = doc.article_list()[0].entities
    assert found is not None
    assert [(e.name, e.named) for e in found.all if e.kind == "park"] == [
        ("省级以上开发区", False), ("园区", False)]


def test_another_name_in_brackets_is_marked() -> None:
    # 开发区(工业园区): the bracket names what precedes it again
    doc = upto("全省开发区(工业园区)实现营业收入5000亿元。", "mentions")
    found = doc.article_list()[0].entities
    assert found is not None
    assert [(e.name, e.in_parentheses) for e in found.all if e.kind == "park"] == [
        ("开发区", False), ("工业园区", True)]


def test_parks_named_together_are_one_group_with_its_members() -> None:
    # A和B共有…: one group of two named parks, for 分别 and 共
    doc = upto("南山高新技术产业开发区和清河经济技术开发区共有企业300家。", "mentions")
    found = doc.article_list()[0].entities
    assert found is not None
    [group] = found.all
    assert (group.kind, group.members) == ("park", 2)
    assert group.parts == ("南山高新技术产业开发区", "清河经济技术开发区")


def test_each_sentence_holds_only_the_names_within_it() -> None:
    # two sentences, two parks: each sentence takes its own
    doc = upto("清河工业园区新增企业8家。南山经济开发区完成投资3亿元。", "mentions")
    assert _sentence_kinds(doc) == [
        [("region", "清河"), ("park", "清河工业园区")], [("park", "南山经济开发区")]]
    assert doc.layers[-1] == "mentions"
    assert all(not f.links for *_, f in doc.figures())  # metrics are link_metric's


def test_a_status_word_before_the_park_word_is_not_part_of_a_park_name() -> None:
    # 预计园区新增企业10家: the park is 园区, the report's word, not a name 预计园区
    doc = upto("预计园区新增企业10家。", "mentions")
    found = doc.article_list()[0].entities
    assert found is not None
    assert [(e.kind, e.name, e.named) for e in found.all] == [("park", "园区", False)]


def test_a_place_inside_a_title_an_outlets_name_or_a_capital_origin_is_no_place() -> None:
    # 据《清河日报》报道: a paper's name; 江北新闻网: an outlet; 香港投资企业: where the
    # money comes from — none of them is a region the figures are of
    doc = upto("江北新闻网5月6日电 据《清河日报》报道，香港投资企业在园区注册120家。",
               "mentions")
    assert [k for k in _article_kinds(doc) if k[0] == "region"] == []


def test_a_parks_name_runs_through_a_word_with_年_in_it() -> None:
    # 青年 is a word: 年 ends a date only after a numeral (2012年), so the whole name
    # 清河青年创业谷 is the park, not 创业谷 alone
    doc = upto("去年，清河青年创业谷新引进项目21个。", "mentions")
    assert ("park", "清河青年创业谷") in _article_kinds(doc)


def test_a_parks_head_used_alone_again_and_again_stands_for_the_park() -> None:
    # 澄屿新区 named once in full, then 澄屿 three times alone: each is that zone — but a
    # head used once alone, or one that is a common word or a place, stays no park
    text = ("据澄屿新区管委会介绍，企业在澄屿注册的数量达到1000家，澄屿累计引进项目29个，"
            "进驻澄屿的企业有431家。")
    parks = [(doc_text, name) for doc_text, name in _parks_as_written(text)]
    assert parks.count(("澄屿", "澄屿新区")) == 3
    once = "据澄屿新区管委会介绍，企业在澄屿注册的数量达到1000家。"
    assert ("澄屿", "澄屿新区") not in _parks_as_written(once)


def _parks_as_written(text: str) -> list[tuple[str, str]]:
    doc = upto(text, "mentions")
    found = doc.article_list()[0].entities
    assert found is not None
    return [(doc.text[e.start : e.end], e.name) for e in found.all if e.kind == "park"]


def test_a_landmark_the_park_is_located_by_is_no_place_of_its_figures() -> None:
    # 位于绵竹市城区南部，距成都68公里: 绵竹市 is where it is, 成都 only how far away
    doc = upto("园区位于绵竹市城区南部，距成都68公里，入驻企业120家。", "mentions")
    assert [k for k in _article_kinds(doc) if k[0] == "region"] == [("region", "绵竹市")]
