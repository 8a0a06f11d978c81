"""The offset-preserving normaliser (etl.extract.normalise): it never expands text, every kept
character maps back to its source index in order, and a figure broken by stray layout
(`１ ００家`, a hard line wrap) maps back to the figure exactly as written."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract.normalise import normalise
from etl.extract.quantities import find_quantities

_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


# Text made of what reports are made of: CJK, digits (half and full width), punctuation,
# spaces of every kind, line breaks, traditional characters.
REPORT_CHARS = (
    "全区完成产值亿元万人家个平方公里亩吨增长同比开发區園區億萬個與發為"
    "0123456789.,%０１２３４５６７８９．％，。；：、（）()～—―-"
    " \t\u3000\u00a0\n\r○〇ＧＤＰGDPabc"
)
DELETABLE = set(" \t\u3000\u00a0\u2002\u2003\u2009\n\r")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.text(alphabet=REPORT_CHARS, max_size=120)),
    st.sampled_from([None, True, False]),
)
def test_normalise_never_expands_and_maps_in_order(source: str, traditional: bool | None) -> None:
    norm = normalise(source, traditional=traditional)
    assert len(norm.text) <= len(source)
    idx = norm.source_index
    assert len(idx) == len(norm.text) + 1
    assert idx[-1] == len(source)
    assert all(a < b for a, b in itertools.pairwise(idx))
    assert all(0 <= i < len(source) for i in idx[:-1])
    # what is dropped is layout only
    kept = set(idx[:-1])
    assert all(source[i] in DELETABLE for i in range(len(source)) if i not in kept)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=REPORT_CHARS, max_size=120))
def test_normalised_chars_come_from_their_source_chars(source: str) -> None:
    """Without script conversion each kept character is its source character, made
    half-width (full-width ASCII, ideographic space, ○ for zero)."""
    norm = normalise(source, traditional=False)
    for ch, i in zip(norm.text, norm.source_index, strict=False):
        src = source[i]
        if ch == src:
            continue
        if 0xFF01 <= ord(src) <= 0xFF5E:
            assert ch == chr(ord(src) - 0xFEE0)
        elif src in "\u3000\u00a0":
            assert ch == " "
        else:
            assert (src, ch) in (("○", "〇"),)


def _spaced(digits: str, gaps: list[tuple[int, str]]) -> str:
    out = list(digits)
    for pos, gap in sorted(gaps, reverse=True):
        out.insert(pos, gap)
    return "".join(out)


LONG_LINE = "全区规模以上工业企业完成工业总产值和主营业务销售收入合计"  # >= 24 chars


@settings(max_examples=150, deadline=None)
@given(
    st.integers(10, 99_999),
    st.booleans(),
    st.lists(
        st.tuples(st.integers(1, 4), st.sampled_from([" ", "  ", "\u3000", "\n"])),
        min_size=1,
        max_size=2,
    ),
    st.sampled_from(["家", "亿元", "万人", "%"]),
)
def test_stray_layout_inside_a_number_maps_back_to_the_written_figure(
    n: int, full_width: bool, gaps: list[tuple[int, str]], unit: str
) -> None:
    digits = str(n)
    gaps = [(min(p, len(digits) - 1), g) for p, g in gaps]
    gaps = list(dict(gaps).items())  # one gap per position
    # a hard wrap breaks a long line once: a second line break would end a 1-char line
    first_break = next((i for i, (_, g) in enumerate(gaps) if g == "\n"), None)
    gaps = [(p, " " if g == "\n" and i != first_break else g) for i, (p, g) in enumerate(gaps)]
    number = _spaced(digits, gaps)
    if full_width:
        number = number.translate(_FULL)
    written = number + unit
    source = f"据统计，{LONG_LINE}{written}，比上年增长较快。"
    norm = normalise(source)
    found = find_quantities(norm.text)
    assert len(found) == 1, [norm.text[q.start : q.end] for q in found]
    q = found[0]
    start, end = norm.source_span(q.start, q.end)
    assert source[start:end] == written
    expected = {"家": n, "亿元": n * 1e8, "万人": n * 1e4, "%": n}[unit]
    assert q.value is not None and math.isclose(q.value, expected, rel_tol=1e-9)


def test_written_space_example() -> None:
    source = "园区新增企业１ ００家，"
    norm = normalise(source)
    (q,) = find_quantities(norm.text)
    start, end = norm.source_span(q.start, q.end)
    assert source[start:end] == "１ ００家"
    assert (q.value, q.unit) == (100, "count")


def test_traditional_article_is_simplified_in_place() -> None:
    source = (
        "第一篇：開發區概況\n"
        "全區完成工業總產值１２０億元，與上年相比增長１５％，園區內企業發展迅速。\n"
    )
    norm = normalise(source)
    assert len(norm.text) == len(source)
    assert "开发区" in norm.text and "120亿元" in norm.text
    start = norm.text.index("120亿元")
    s, e = norm.source_span(start, start + len("120亿元"))
    assert source[s:e] == "１２０億元"


def test_simplified_names_are_not_converted() -> None:
    source = "乾康药业公司完成产值3亿元。"
    assert normalise(source).text == source


def test_full_width_clause_marks_are_kept() -> None:
    assert normalise("１，２；３：（４）").text == "1，2；3：（4）"


def test_hard_wrap_inside_a_sentence_is_joined_but_a_list_item_is_not() -> None:
    wrapped = "全区规模以上工业企业完成工业总产值和主营业务销售收入合计为\n120亿元，增长15%。"
    assert "\n" not in normalise(wrapped).text
    listed = "全区规模以上工业企业完成工业总产值和主营业务销售收入合计为\n二、加快园区建设"
    assert "\n" in normalise(listed).text
    short = "工作回顾\n全区完成产值120亿元。"
    assert "\n" in normalise(short).text


def test_a_page_wrapped_to_a_narrow_column_is_joined() -> None:
    """Most lines 10-12 characters long: a column, not titles; a line may start with a
    decimal number (862.5亿元), which is no list mark."""
    text = ("2023年，园区营业收入\n862.5亿元，同比增长\n14.2%。全年新增企\n"
            "业58家，其中规上企\n业12家。\n")
    assert normalise(text).text == (
        "2023年，园区营业收入862.5亿元，同比增长14.2%。全年新增企业58家，其中规上企业12家。\n"
    )


def test_short_lines_of_different_lengths_stay_lines() -> None:
    text = ("园区概况\n一、基本情况\n2023年，园区实现营业收入862.5亿元，同比增长14.2%。\n"
            "二、主要做法\n")
    assert normalise(text).text == text
