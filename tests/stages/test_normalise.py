"""The normalise stage: full-width to half-width (and traditional to simplified) character
for character, layout dropped, and an exact map back to the source for every span."""

from __future__ import annotations

from tests.stages.conftest import upto


def test_full_width_digits_letters_and_signs_become_half_width() -> None:
    # ＧＤＰ２３．５亿元 … １５％: what every rule after it matches on
    doc = upto("全区完成ＧＤＰ２３．５亿元，同比增１５％。", "normalise")
    assert doc.text == "全区完成GDP23.5亿元，同比增15%。"


def test_chinese_clause_marks_stay_full_width() -> None:
    # ，；：（）！ are the clause and sentence marks the segmenter reads: kept as written
    source = "园区新增企业８家，其中外资３家；（含孵化器）：好！"
    doc = upto(source, "normalise")
    assert doc.text == "园区新增企业8家，其中外资3家；（含孵化器）：好！"


def test_a_span_of_the_normalised_text_maps_back_to_the_figure_as_written() -> None:
    # 23.5亿元 in the normalised text is ２３．５亿元 in the source
    source = "清河区完成ＧＤＰ２３．５亿元。"
    doc = upto(source, "normalise")
    assert doc.norm is not None
    start = doc.text.index("23.5亿元")
    a, b = doc.norm.source_span(start, start + len("23.5亿元"))
    assert source[a:b] == "２３．５亿元"


def test_spaces_between_words_are_layout_and_are_dropped_but_mapped() -> None:
    # 全 区 实 现 … 5 亿元: spaces a converter put between characters
    source = "全 区 实 现 产 值 5 亿元。"
    doc = upto(source, "normalise")
    assert doc.text == "全区实现产值5亿元。"
    assert doc.norm is not None
    a, b = doc.norm.source_span(doc.text.index("5"), doc.text.index("。"))
    assert source[a:b] == "5 亿元"  # the figure as written, its space included


def test_a_hard_wrapped_line_is_joined_into_one_sentence() -> None:
    # a long line of prose that breaks after 比上年: a wrap, not a paragraph end
    source = "南山区今年全区实现工业总产值一百二十亿元，比上年\n增长百分之十二，园区新增企业45家。"
    doc = upto(source, "normalise")
    assert "\n" not in doc.text
    assert "比上年增长" in doc.text


def test_a_short_heading_line_keeps_its_line_break() -> None:
    # 一、园区概况 ⏎ 二、发展目标: headings, not a wrapped sentence
    doc = upto("一、园区概况\n二、发展目标\n", "normalise")
    assert doc.text == "一、园区概况\n二、发展目标\n"


def test_traditional_script_becomes_simplified_at_the_same_length() -> None:
    # 園區實現工業總產值１２億元: one character for one, so spans still map back
    source = "園區實現工業總產值１２億元，比上年增長８％。"
    doc = upto(source, "normalise")
    assert doc.text == "园区实现工业总产值12亿元，比上年增长8%。"
    assert len(doc.text) == len(source)


def test_a_circle_written_for_zero_is_the_numeral_zero() -> None:
    # 二○一二年 (a white circle) is 二〇一二年
    assert upto("二○一二年", "normalise").text == "二〇一二年"


def test_normalise_adds_only_its_own_layer() -> None:
    doc = upto("全区实现产值５亿元。", "normalise")
    assert doc.layers == ["text", "normalised"]
    assert doc.articles is None and doc.quantities is None


def test_a_space_inside_a_split_number_goes_one_between_two_table_numbers_stays() -> None:
    # 新增投产项目１ ５个: a PDF split, one number 15; 工业总产值 亿元 120.5 138.6 15.0%: a
    # table row, three numbers that must not run together into 6 15.0
    assert upto("新增投产项目１ ５个。", "normalise").text == "新增投产项目15个。"
    row = upto("工业总产值 亿元 120.5 138.6 15.0%\n", "normalise").text
    assert "120.5 138.6 15.0%" in row
