"""The quantity grammar (etl.extract.quantities) and the normaliser it runs on
(etl.extract.normalise).

Property tests render random figures in every written form the reports use (Arabic with
decimals and thousands separators, full-width digits, Chinese numerals, scale words,
units, ranges, qualifiers), embed them in a carrier sentence and check that
`find_quantities` reads them back exactly, with a span that maps to the figure as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl.extract.normalise import normalise
from etl.extract.quantities import Quantity, find_quantities

PROPERTY = settings(max_examples=150, deadline=None)

# ------------------------------------------------------------------------ rendering

# Sentences a figure is written into; none holds a number of its own.
CARRIERS = (
    "全区完成工业总产值{fig}，比上年有较大提高。",
    "截至年底，园区累计引进{fig}，",
    "据统计，全市共有{fig}。",
    "开发区实现{fig}，其中高新技术产业占一半。",
    "{fig}",
)

SCALES: dict[str, float] = {"": 1.0, "万": 1e4, "亿": 1e8, "万亿": 1e12, "千万": 1e7, "百万": 1e6}
# Chinese numerals take only the single scale words (三百万 reads as 三百 + 万 anyway).
CN_SCALES = ("", "万", "亿", "万亿")

UNITS: dict[str, str] = {
    "元": "CNY",
    "美元": "USD",
    "人": "person",
    "家": "count",
    "个": "count",
    "平方公里": "km2",
    "亩": "mu",
    "吨": "tonne",
    "%": "percent",
    "个百分点": "percentage_point",
}
UNSCALED_UNITS = ("%", "个百分点")

PREFIXES: dict[str, str] = {
    "约": "approx",
    "近": "approx",
    "超过": "more_than",
    "突破": "more_than",
    "逾": "more_than",
    "不足": "less_than",
    "不到": "less_than",
}
SUFFIXES: dict[str, str] = {"以上": "more_than", "以下": "less_than", "左右": "approx"}
DASHES = ("～", "—", "——", "―", "――", "-", "至", "~", "－", "到")

_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


@dataclass(frozen=True)
class Num:
    written: str
    value: float
    integer: bool
    chinese: bool


@dataclass(frozen=True)
class Fig:
    written: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str


@st.composite
def arabic(draw: st.DrawFn, max_value: int = 99_999) -> Num:
    kind = draw(st.sampled_from(["int", "decimal", "thousands"]))
    if kind == "int":
        n = draw(st.integers(1, max_value))
        return Num(str(n), float(n), True, False)
    if kind == "decimal":
        places = draw(st.integers(1, 3))
        n = draw(st.integers(1, max_value * 10**places))
        whole, frac = divmod(n, 10**places)
        text = f"{whole}.{frac:0{places}d}"
        return Num(text, float(text), False, False)
    n = draw(st.integers(1000, 999_999_999))
    text = f"{n:,}"
    if draw(st.booleans()):
        text += ".5"
    return Num(text, float(text.replace(",", "")), text.isdigit(), False)


@st.composite
def chinese(draw: st.DrawFn) -> Num:
    n = draw(st.integers(1, 9999))
    text = str(cn2an.an2cn(n))
    # 两 for a leading 2 where speech uses it: 两, 两百, 两千 (never 两十)
    if text.startswith("二") and (n == 2 or n >= 100) and draw(st.booleans()):
        text = "两" + text[1:]
    return Num(text, float(n), True, True)


def numbers(max_arabic: int = 99_999) -> st.SearchStrategy[Num]:
    return st.one_of(arabic(max_arabic), chinese())


@st.composite
def single_figures(draw: st.DrawFn) -> Fig:
    num = draw(numbers())
    unit = draw(st.sampled_from(sorted(UNITS)))
    if unit in UNSCALED_UNITS:
        scale = ""
    else:
        scale = draw(st.sampled_from(CN_SCALES if num.chinese else sorted(SCALES)))
    place = draw(st.sampled_from(["none", "prefix", "suffix", "more"]))
    # 多/余 count an integer; not written with %
    if place == "more" and (not num.integer or unit == "%"):
        place = "none"
    qualifier = "exact"
    written = num.written + scale + unit
    if place == "prefix":
        pre = draw(st.sampled_from(sorted(PREFIXES)))
        written, qualifier = pre + written, PREFIXES[pre]
    elif place == "suffix":
        post = draw(st.sampled_from(sorted(SUFFIXES)))
        written, qualifier = written + post, SUFFIXES[post]
    elif place == "more":
        more = draw(st.sampled_from(["多", "余"]))
        if scale in ("万", "亿") and draw(st.booleans()):
            written = num.written + more + scale + unit  # 2000多万元
        else:
            written = num.written + scale + more + unit  # 30万余人, 300余家
        qualifier = "more_than"
    return Fig(written, num.value * SCALES[scale], None, None, qualifier, UNITS[unit])


@st.composite
def range_figures(draw: st.DrawFn) -> Fig:
    # both ends written alike: 3—5万人, 三至五万人
    kind = draw(st.sampled_from([arabic(9_999), chinese()]))
    a, b = draw(kind), draw(kind)
    unit = draw(st.sampled_from(sorted(UNITS)))
    dash = draw(st.sampled_from(DASHES))
    form = draw(st.sampled_from(["shared", "both"]))  # 3—5万人 / 10%——12%, 3万人至5万人
    if unit in UNSCALED_UNITS:
        s1 = s2 = ""
    else:
        s2 = draw(st.sampled_from(["", "万", "亿"]))
        s1 = s2 if form == "both" else draw(st.sampled_from(["", s2]))

    def ends(x: Num, y: Num) -> tuple[float, float]:
        return x.value * SCALES[s1 or s2], y.value * SCALES[s2]

    low, high = ends(a, b)
    if low > high:
        a, b = b, a
        low, high = ends(a, b)
    if low >= high:  # equal ends: make the high end bigger
        assume(False)
    if form == "shared":
        written = a.written + s1 + dash + b.written + s2 + unit
    else:
        written = a.written + s1 + unit + dash + b.written + s2 + unit
    return Fig(written, None, low, high, "range", UNITS[unit])


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def read_back(source: str) -> tuple[Quantity, str]:
    """The one quantity in `source`, and the source text its span maps back to."""
    norm = normalise(source)
    found = find_quantities(norm.text)
    assert len(found) == 1, [norm.text[q.start : q.end] for q in found]
    q = found[0]
    start, end = norm.source_span(q.start, q.end)
    return q, source[start:end]


def check(fig: Fig, carrier: str, full_width: bool = False) -> None:
    written = fig.written.translate(_FULL) if full_width else fig.written
    q, span = read_back(carrier.format(fig=written))
    assert span == written
    assert q.unit == fig.unit
    assert q.qualifier == fig.qualifier
    assert _close(q.value, fig.value), (q.value, fig.value)
    assert _close(q.low, fig.low), (q.low, fig.low)
    assert _close(q.high, fig.high), (q.high, fig.high)


# ------------------------------------------------------------------- the properties


@PROPERTY
@given(single_figures(), st.sampled_from(CARRIERS))
def test_single_figures_read_back_exactly(fig: Fig, carrier: str) -> None:
    check(fig, carrier)


@PROPERTY
@given(single_figures(), st.sampled_from(CARRIERS))
def test_full_width_figures_read_back_exactly(fig: Fig, carrier: str) -> None:
    # a full-width comma is Chinese punctuation, not a thousands separator: keep `,` as is
    check(fig, carrier, full_width=True)


@PROPERTY
@given(range_figures(), st.sampled_from(CARRIERS))
def test_ranges_read_back_exactly(fig: Fig, carrier: str) -> None:
    check(fig, carrier)


@PROPERTY
@given(range_figures(), st.sampled_from(CARRIERS))
def test_full_width_ranges_read_back_exactly(fig: Fig, carrier: str) -> None:
    check(fig, carrier, full_width=True)


# ------------------------------------------------------------- written examples


@pytest.mark.parametrize(
    ("written", "value", "unit", "qualifier"),
    [
        ("２３．５亿元", 2_350_000_000, "CNY", "exact"),
        ("１．４亿元", 140_000_000, "CNY", "exact"),
        ("5,993亿元", 599_300_000_000, "CNY", "exact"),
        ("2.81万亿", 2_810_000_000_000, "CNY", "exact"),  # no unit: money
        ("1000万", 10_000_000, "CNY", "exact"),
        ("12,345,678.25元", 12_345_678.25, "CNY", "exact"),
        ("一千二百万元", 12_000_000, "CNY", "exact"),
        ("三百零五家", 305, "count", "exact"),
        ("两家", 2, "count", "exact"),
        ("二十亿元", 2_000_000_000, "CNY", "exact"),
        ("两千万元", 20_000_000, "CNY", "exact"),
        ("十二万人", 120_000, "person", "exact"),
        ("5亿美元", 500_000_000, "USD", "exact"),
        ("10.5个百分点", 10.5, "percentage_point", "exact"),
        ("8.48万亩", 84_800, "mu", "exact"),
        ("56.51平方公里", 56.51, "km2", "exact"),
        ("3万吨", 30_000, "tonne", "exact"),
        ("2000多万元", 20_000_000, "CNY", "more_than"),
        ("300余家", 300, "count", "more_than"),
        ("30万余人", 300_000, "person", "more_than"),
        ("二十多万人", 200_000, "person", "more_than"),
        ("5万余个", 50_000, "count", "more_than"),
        ("上千家", 1000, "count", "more_than"),
        ("上万人", 10_000, "person", "more_than"),
        ("12%左右", 12, "percent", "approx"),
        ("大约3万人", 30_000, "person", "approx"),
        ("不超过5%", 5, "percent", "less_than"),
        ("100亿元以内", 10_000_000_000, "CNY", "less_than"),
        ("不低于30%", 30, "percent", "more_than"),
    ],
)
def test_written_examples(written: str, value: float, unit: str, qualifier: str) -> None:
    q, span = read_back(f"全区完成{written}，")
    assert span == written
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert _close(q.value, value), q.value


@pytest.mark.parametrize(
    ("written", "low", "high", "unit"),
    [
        ("3—5万人", 30_000, 50_000, "person"),
        ("300～1000亿元", 30_000_000_000, 100_000_000_000, "CNY"),
        ("10%——12%", 10, 12, "percent"),
        ("10%―12%", 10, 12, "percent"),
        ("３—５万人", 30_000, 50_000, "person"),
        ("三至五万人", 30_000, 50_000, "person"),
        ("300万—1000万元", 3_000_000, 10_000_000, "CNY"),
        ("5000万—1亿元", 50_000_000, 100_000_000, "CNY"),
        ("3万人至5万人", 30_000, 50_000, "person"),
    ],
)
def test_written_ranges(written: str, low: float, high: float, unit: str) -> None:
    q, span = read_back(f"预计带动就业{written}。")
    assert span == written
    assert (q.unit, q.qualifier, q.value) == (unit, "range", None)
    assert _close(q.low, low) and _close(q.high, high)


@pytest.mark.parametrize(
    ("sentence", "written", "value"),
    [
        ("高新技术产业产值占全市的五分之一，", "五分之一", 20),
        ("出口额占全省的1/4，", "1/4", 25),
        ("外资企业占到1/4，", "1/4", 25),
        ("工业总产值比2005年翻两番，", "两番", 300),
        ("工业总产值翻了两番，", "两番", 300),
        ("工业总产值翻一番，", "一番", 100),
        ("利税总额增长3.4倍，", "3.4倍", 340),
        ("利税总额增长了3.4倍，", "3.4倍", 340),
        ("出口额增加了两倍，", "两倍", 200),
    ],
)
def test_ratios_and_multiples_are_percent(sentence: str, written: str, value: float) -> None:
    q, span = read_back(sentence)
    # the span holds at least the number and its ratio word
    assert written in span
    assert q.unit == "percent"
    assert _close(q.value, value), q.value


def test_full_width_comma_is_punctuation_not_a_separator() -> None:
    """Documented choice of the normaliser: `１２，３４５` is two numbers, not 12345."""
    norm = normalise("全区完成１２，３４５亿元，")
    assert "，" in norm.text


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("3万多亿元", 3e12, "CNY"),
        ("1万余亿元", 1e12, "CNY"),
        ("2千多万元", 2e7, "CNY"),
    ],
)
def test_more_between_two_scale_words(written: str, value: float, unit: str) -> None:
    q, span = read_back(f"全国财政收入达到{written}，")
    assert span == written
    assert (q.unit, q.qualifier) == (unit, "more_than")
    assert _close(q.value, value), q.value


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("一万二千人", 12_000, "person"),
        ("三万五千亩", 35_000, "mu"),
        ("一亿二千万元", 120_000_000, "CNY"),
    ],
)
def test_chinese_numerals_with_inner_scale(written: str, value: float, unit: str) -> None:
    q, span = read_back(f"园区共吸纳就业{written}，")
    assert span == written
    assert q.unit == unit
    assert _close(q.value, value), q.value


@pytest.mark.parametrize(
    ("written", "value"),
    [("一亿八千万元", 180_000_000), ("1亿8千万元", 180_000_000)],
)
def test_yi_with_a_wan_part(written: str, value: float) -> None:
    q, span = read_back(f"项目总投资{written}，")
    assert span == written
    assert (q.unit, q.qualifier) == ("CNY", "exact")
    assert _close(q.value, value), q.value


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("园区引进两三家龙头企业，", 2, 3),
        ("园区有七八个在建项目，", 7, 8),
        ("项目投资三四亿元，", 3e8, 4e8),
    ],
)
def test_adjacent_chinese_digits_are_not_one_number(sentence: str, low: float, high: float) -> None:
    """Either a range of the two digits, or nothing (a vague number); never 23 or 78."""
    norm = normalise(sentence)
    found = find_quantities(norm.text)
    assert all(q.value is None and _close(q.low, low) and _close(q.high, high) for q in found)


@pytest.mark.parametrize(
    ("written", "value"), [("百分之十五", 15), ("百分之三十五点五", 35.5), ("百分之百", 100)]
)
def test_percent_written_in_words(written: str, value: float) -> None:
    q, span = read_back(f"出口额同比增长{written}，")
    assert span == written
    assert q.unit == "percent"
    assert _close(q.value, value), q.value


def test_negative_growth_keeps_its_sign() -> None:
    q, span = read_back("全区财政收入增长-3.5%，")
    assert span == "-3.5%"
    assert _close(q.value, -3.5), q.value
