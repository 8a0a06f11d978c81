"""The segment stage: articles (a file may hold several), their paragraphs with headings
marked, the sentences of each paragraph, and page furniture left out."""

from __future__ import annotations

from datetime import date

from etl.extract.doc import Doc
from tests.stages.conftest import sentences, upto


def _paragraphs(doc: Doc) -> list[tuple[bool, str]]:
    return [(p.heading, doc.text[p.start : p.end])
            for a in doc.article_list() for p in a.paragraphs]


def test_each_line_is_a_paragraph_and_headings_are_marked() -> None:
    # a title, a numbered heading, prose, a (二) heading, prose
    text = ("清河区2012年工作总结\n一、主要经济指标\n全区实现产值5亿元。\n"
            "（二）招商引资\n全年引进项目6个。\n")
    doc = upto(text, "segment")
    assert _paragraphs(doc) == [
        (True, "清河区2012年工作总结"), (True, "一、主要经济指标"),
        (False, "全区实现产值5亿元。"), (True, "（二）招商引资"), (False, "全年引进项目6个。"),
    ]
    # a heading holds no sentence to read figures from
    assert all(not p.sentences for a in doc.article_list() for p in a.paragraphs if p.heading)


def test_a_paragraph_splits_into_sentences_at_stops_and_semicolons() -> None:
    # ；ends a clause-sentence; 。 and ！ end sentences
    doc = upto("全区实现产值5亿元，增长8%；新增企业12家。园区完成投资3亿元！", "segment")
    got = [(s.text, s.full_stop) for s in sentences(doc)]
    assert got == [("全区实现产值5亿元，增长8%；", False), ("新增企业12家。", True),
                   ("园区完成投资3亿元！", True)]


def test_sentence_offsets_index_the_normalised_text() -> None:
    # full-width source: offsets are into doc.text, where the digits are half-width
    doc = upto("园区新增企业１２家。完成投资３亿元。", "segment")
    for s in sentences(doc):
        assert doc.text[s.start : s.end] == s.text
    assert [s.text for s in sentences(doc)] == ["园区新增企业12家。", "完成投资3亿元。"]


def test_a_source_note_after_the_last_sentence_is_dropped() -> None:
    # …6个。（来源：某某日报）: the note is furniture, the sentence before it is kept
    doc = upto("南山区全年引进项目6个。（来源：某某日报）\n全区新增企业3家。", "segment")
    assert [s.text for s in sentences(doc)] == ["南山区全年引进项目6个。", "全区新增企业3家。"]


def test_a_line_of_page_furniture_gives_no_sentences() -> None:
    # 转载请注明出处…: a line with a furniture marker, though it reads like prose with a count
    doc = upto("全区实现产值5亿元，增长8%，新增企业12家。\n"
               "转载请注明出处，本文介绍园区新增企业8家的情况，欢迎阅读。\n", "segment")
    assert [s.text for s in sentences(doc)] == ["全区实现产值5亿元，增长8%，新增企业12家。"]


def test_a_file_of_several_articles_is_split_at_each_article_mark() -> None:
    # 第一篇：/第二篇：each open an article with its own title and its own date line
    text = ("第一篇：清河区工作总结\n全区实现产值5亿元。\n"
            "第二篇：江北区工作总结\n2014-03-30\n全区实现产值7亿元。\n")
    doc = upto(text, "segment")
    arts = doc.article_list()
    assert [a.article.title for a in arts] == ["清河区工作总结", "江北区工作总结"]
    assert [a.article.stated_date for a in arts] == [None, date(2014, 3, 30)]
    assert [[s.text for _, s in a.sentences()] for a in arts] == [
        ["全区实现产值5亿元。"], ["全区实现产值7亿元。"]]


def test_a_heading_title_is_located_and_a_first_line_of_prose_is_no_title() -> None:
    # 篇一：南山区工作总结 is a title line; a first line that is a sentence is not
    doc = upto("篇一：南山区工作总结\n全区实现产值5亿元。\n", "segment")
    art = doc.article_list()[0]
    assert doc.text[art.title_at : art.title_end] == "南山区工作总结"
    prose = upto("全区实现产值5亿元，增长8%，新增企业12家，园区完成投资3亿元。\n", "segment")
    assert prose.article_list()[0].title_at == -1


def test_the_articles_date_line_is_read_and_kept_as_a_heading() -> None:
    # 2013年1月10日 on its own line under the title dates the report
    doc = upto("清河区工作总结\n2013年1月10日\n全区实现产值5亿元。\n", "segment")
    art = doc.article_list()[0]
    assert art.article.stated_date == date(2013, 1, 10)
    assert art.article.date_evidence is not None
    assert art.article.date_evidence.rule == "date line"
    assert [s.text for s in sentences(doc)] == ["全区实现产值5亿元。"]


def test_segment_leaves_the_quantities_to_the_next_stage() -> None:
    doc = upto("园区新增企业12家。", "segment")
    assert doc.layers[-1] == "articles" and doc.quantities is None
    assert all(s.quantities == [] and s.figures is None for s in sentences(doc))
