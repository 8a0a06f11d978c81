"""Find figures in normalised text: number, scale word, unit, range and qualifier.

The grammar is one compiled regular expression built from the unit lexicon in
`seeds/unit_words.csv`, so a new unit is a data change. Deciding whether a match is a
figure *of a subject* (not a date, a rule's threshold, a bucket bound…) is the job of
`etl.extract.figure_rules`; this module only reads what is written.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from etl.extract.lexicon import load_word_lists
from etl.extract.numbers import (
    ONE,
    exact,
    parse_chinese,
    parse_number,
    product,
    ratio,
    scale_factor,
)
from etl.paths import SEEDS_DIR

ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = (
    r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*"
    r"(?:[万亿][零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*)*"
)
SCALE = r"个?(?:万亿|千亿|百亿|千万|百万|亿|万|千)"
# The lower places of a compound numeral after its first scale word: 1亿|8千万, 3万|5千,
# 2亿|3000万 (checked in read_quantity: each part below the place before it)
TAIL = r"零?(?:\d+|[一二两三四五六七八九][千百]?)(?:千万|百万|万|千|百)"
# A scale word that classes what follows (万亿产业, 千亿级, 百亿元级) is no scale of the
# number before it: 三个万亿产业 counts three industries
CLASSING = r"(?:[万亿千百]*元?(?:级|产业))"
# A minus sign opens a negative figure (增长-3.5%, 利润-3.5亿元) when it follows a word,
# not a digit (1-5月 is a range)
SIGN = r"(?P<sign>(?<![\dA-Za-z.,%)）])[-−])"
DASH = r"(?:-|~|—{1,2}|―{1,2}|–|－|～|至|到)"


@dataclass(frozen=True)
class QuantityWords:
    """The words of seeds/quantity_words.toml (see the comments there)."""

    reach_before_bare: tuple[str, ...]
    more_than_before: tuple[str, ...]
    less_than_before: tuple[str, ...]
    approx_before: tuple[str, ...]
    bare_amount_unit: str
    more_suffixes: tuple[str, ...]
    prefix_compounds: tuple[str, ...]
    bare_only_prefixes: tuple[str, ...]
    bare_approx_prefixes: tuple[str, ...]
    ratio_prefixes: tuple[str, ...]
    multiple_prefixes: tuple[str, ...]
    ratio_suffixes: tuple[str, ...]
    approx_share_words: tuple[str, ...]
    per_mu_words: tuple[str, ...]
    prefix_qualifiers: dict[str, str]
    suffix_qualifiers: dict[str, str]
    money_per_area_before: dict[str, str]


@cache
def quantity_words() -> QuantityWords:
    """The one reader of seeds/quantity_words.toml."""
    return QuantityWords(**load_word_lists("quantity_words.toml"))


def _in_order(words: Iterable[str]) -> str:
    """Literal words as alternatives, in the list's order."""
    return "|".join(re.escape(w) for w in words)


_WORDS = quantity_words()
MORE = f"(?:{_in_order(_WORDS.more_suffixes)})"  # 100多家, 50余个

PREFIX_QUALIFIERS: dict[str, str] = _WORDS.prefix_qualifiers
# A prefix qualifier that is the end of a word with the character before it is not one:
# 签约6家 is six, not about six; 通过3家 is three.
PREFIX_COMPOUNDS = frozenset(_WORDS.prefix_compounds)
SUFFIX_QUALIFIERS: dict[str, str] = _WORDS.suffix_qualifiers
_YUAN = _WORDS.bare_amount_unit


@dataclass(frozen=True)
class UnitWord:
    written: str
    unit: str
    factor: Decimal
    kind: str


@cache
def unit_words() -> dict[str, UnitWord]:
    with open(SEEDS_DIR / "unit_words.csv", encoding="utf-8", newline="") as f:
        return {
            r["written"]: UnitWord(r["written"], r["unit"], Decimal(r["factor"]), r["kind"])
            for r in csv.DictReader(f)
        }


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def quantity_pattern() -> re.Pattern[str]:
    unit = _alternation(list(unit_words()))
    pre = _alternation(list(PREFIX_QUALIFIERS))
    post = _alternation(list(SUFFIX_QUALIFIERS))
    num = rf"(?:{ARABIC}|{CHINESE})"
    # a scale character that begins a unit word (千米, 千伏) is the unit's, not a scale
    clash = sorted({w[1:] for w in unit_words() if w[0] in "万亿千百"}, key=len, reverse=True)
    scale = SCALE + (rf"(?!{_alternation(clash)}|{CLASSING})" if clash else f"(?!{CLASSING})")
    starts = "".join(sorted({re.escape(w[0]) for w in PREFIX_QUALIFIERS}))
    return re.compile(
        rf"""
        (?=[{starts}\d一二两三四五六七八九十千万亿百\-−])  # cheap reject of most positions
        (?P<pre>{pre})?
        (?:
          {SIGN}?(?P<n1>{num})(?P<m1>{MORE})?
          (?:(?P<s1>{scale})(?P<tail>(?:{TAIL}(?!{CLASSING}))+)?)?(?P<m1b>{MORE})?
          (?:(?P<u1>{unit})?(?P<dash>{DASH})(?P<n2>{num}))?
          | (?P<bare>千|万|亿|百)
        )
        (?P<m2>{MORE})?(?P<s2>{scale})?(?P<m3>{MORE})?
        (?P<unit>{unit})?
        (?P<post>{post})?
        """,
        re.VERBOSE,
    )


@dataclass(frozen=True)
class Quantity:
    """A figure as read from normalised text; `start`/`end` index that text. Values are
    exact decimals in the canonical unit."""

    start: int
    end: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    unit: str
    unit_written: str
    scale_written: str


def _qualifier(pre: str | None, more: bool, post: str | None) -> str:
    if pre:
        return PREFIX_QUALIFIERS[pre]
    if more:
        return "more_than"
    if post:
        return SUFFIX_QUALIFIERS[post]
    return "exact"


def _reach_before_bare() -> tuple[str, ...]:
    """Verbs of reaching before a bare scale word (产值达到千亿元), seeds/quantity_words.toml."""
    return quantity_words().reach_before_bare


_TAIL_PART = re.compile(r"零?(\d+|[一二两三四五六七八九][千百]?)(千万|百万|万|千|百)")


def _compound(n1: Decimal, s1: str, tail: str) -> Decimal | None:
    """1亿|8千万 → 180000000: each lower place is smaller than the place before it; else
    None (not one figure)."""
    total = product(n1, scale_factor(s1))
    place = scale_factor(s1)
    for part in _TAIL_PART.finditer(tail):
        digits, scale = part.groups()
        try:
            n = parse_number(digits)
        except ValueError:
            return None
        value = product(n, scale_factor(scale))
        if value >= place or scale_factor(scale) >= place:
            return None
        total += value
        place = scale_factor(scale)
    return total


def _numeral(n1: str, s1: str | None) -> tuple[Decimal, bool]:
    """The numeral's value and whether its scale word is already in it: a Chinese numeral
    with an inner 亿 reads its last 万 as its own (一亿二千|万 is 一亿二千万)."""
    if s1 and s1 in ("万", "亿") and any(c in n1 for c in "万亿") and not n1[:1].isdigit():
        try:
            return parse_chinese(n1 + s1), True
        except ValueError:
            pass
    return parse_number(n1), False


def read_quantity(m: re.Match[str]) -> Quantity | None:
    """Turn one grammar match into a Quantity; None when it has no unit or no number."""
    g = m.groupdict()
    unit_text = g["unit"] or g["u1"]
    if g["unit"] and g["u1"] and g["u1"] != g["unit"]:
        return None
    scale = g["s2"] or g["s1"] or ""
    # `2.81万亿`, `1000万` with no unit written: money, by far the usual case; a bare number
    # with neither unit nor scale is not a figure.
    if not unit_text and (not scale or (g["n1"] is None and not g["bare"])):
        return None
    uw = unit_words()[unit_text] if unit_text else unit_words()[_YUAN]
    if uw.kind == "spec":
        return None
    if g["bare"]:
        before = m.string[max(0, m.start() - 4) : m.start()]
        reached = not g["pre"] and unit_text and before.endswith(_reach_before_bare())
        if not reached and (
            not g["pre"] or (PREFIX_QUALIFIERS[g["pre"]] != "more_than"
                             and g["pre"] not in _WORDS.bare_approx_prefixes)
        ):
            return None
        base = scale_factor(g["bare"])
        value = product(base, scale_factor(scale), uw.factor)
        qual = PREFIX_QUALIFIERS[g["pre"]] if g["pre"] else "exact"
        return Quantity(m.start(), m.end(), exact(value), None, None, qual, uw.unit,
                        unit_text or "", g["bare"] + scale)
    start = m.start()
    if g["pre"] in _WORDS.bare_only_prefixes:  # 上千家 only; 省级以上208个 is exact
        start, g["pre"] = m.start("n1") - len(g["sign"] or ""), None
    elif g["pre"] and start > 0 and m.string[start - 1] + g["pre"][0] in PREFIX_COMPOUNDS:
        start, g["pre"] = m.start("n1") - len(g["sign"] or ""), None  # 签约6家: 签约's 约
    more = bool(g["m1"] or g["m1b"] or g["m2"] or g["m3"])
    post = g["post"]
    if post in _WORDS.more_suffixes:
        more = True
    try:
        n1, scaled = _numeral(g["n1"], g["s1"])
        n2 = parse_number(g["n2"]) if g["n2"] else None
    except (ValueError, KeyError, TypeError):
        return None
    sign = -1 if g["sign"] else 1
    adjacent = _ADJACENT.fullmatch(g["n1"])
    if adjacent and n2 is None and not g["tail"]:  # 两三家, 七八个, 三四亿元: two neighbours
        n1, n2 = parse_number(adjacent[1]), parse_number(adjacent[2])
        if n2 != n1 + 1:
            return None
        f = product(scale_factor(g["s1"] or g["s2"]), uw.factor)
        return Quantity(start, m.end(), None, exact(n1 * f), exact(n2 * f), "range", uw.unit,
                        unit_text or "", scale)
    if g["tail"]:
        if n2 is not None or scaled:
            return None
        whole = _compound(n1, g["s1"], g["tail"])
        if whole is None:
            return None
        n1, scaled = whole, True
    f1 = scale_factor(g["s1"]) if g["s1"] and not scaled else None
    f2 = scale_factor(g["s2"]) if g["s2"] else None
    factor = uw.factor
    if n2 is not None:
        if scaled:
            return None
        low_f = f1 if f1 is not None else (f2 or ONE)
        high_f = f2 if f2 is not None else (f1 or ONE)
        low, high = sign * product(n1, low_f, factor), product(n2, high_f, factor)
        if low > high:
            return None
        return Quantity(start, m.end(), None, exact(low), exact(high), "range", uw.unit,
                        unit_text or "", scale)
    # 3万多亿元: 万 × 亿
    value = sign * product(n1, f1 or ONE, f2 or ONE, factor)
    qual = _qualifier(g["pre"], more, post)
    unit = _PER_UNIT.get((m.string[max(0, start - 3) : start][-2:], uw.unit), uw.unit)
    if unit == "CNY" and _PER_MU_BEFORE.search(m.string, max(0, start - 10), start):
        unit = "CNY/mu"  # 亩均税收28.5万元: money per mu
    return Quantity(start, m.end(), exact(value), None, None, qual, unit,
                    unit_text or "", scale)


# 每亩320万元: money per mu (as 320万元/亩 is)
_PER_UNIT = {(w, "CNY"): unit for w, unit in _WORDS.money_per_area_before.items()}
# 亩均 or 每亩 opening the clause's metric words: 亩均税收28.5万元, 每亩投资强度300万元
_PER_MU_BEFORE = re.compile(rf"(?:{_in_order(_WORDS.per_mu_words)})[^，,。；;：:、\d]*$")


_NUM = rf"(?:{ARABIC}|{CHINESE})"
_ADJACENT = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])")
# Ratios written without a unit: 五分之一, 占…的1/4, 翻了两番, 增长了3.4倍
# Every match opens with a prefix word or one of the grammar's first characters: a
# lookahead on them rejects most positions at once (without it the optional prefix and
# the lookbehinds have the engine try each alternative at every position of the text).
_RATIO_FIRSTS = "".join(sorted(
    {re.escape(w[0]) for w in (*_WORDS.ratio_prefixes, *_WORDS.multiple_prefixes) if w}
))
_RATIO = re.compile(
    rf"""
    (?=[{_RATIO_FIRSTS}一二两三四五六七八九十百千万\d]|了|翻)
    (?P<pre>{_in_order(_WORDS.ratio_prefixes)})?
    (?:
      (?<!\d)百分之(?P<pct>{ARABIC}|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)
    | (?P<den>{_NUM}|千|万)分之(?P<num>{_NUM})
    | (?<=[占的为达了到])(?P<fnum>\d+)/(?P<fden>\d+)(?![\d/])
    | (?<=翻)了?(?P<times>一|两|二|三|四|\d)番
    | (?<=[现争])(?P<double>翻番)(?![工计行])
    | (?<=[长加高])了?(?P<mq>{_in_order(_WORDS.multiple_prefixes)})?(?P<mult>{ARABIC}|{CHINESE})倍
    | (?<=[的近过约达占逾有超长加])(?P<cheng>[一二两三四五六七八九])成(?![本员为功果立绩交型品熟长])
    )
    """,
    re.VERBOSE,
)


def _read_ratio(m: re.Match[str]) -> Quantity | None:
    try:
        if m.group("pct"):
            pct = m.group("pct")
            value = Decimal(100) if pct == "百" else parse_number(pct)
        elif m.group("den"):  # 五分之一 → 20; 千分之三 → 0.3
            den = m.group("den")
            whole = scale_factor(den) if den in ("千", "万") else parse_number(den)
            value = ratio(parse_number(m.group("num")), whole)
        elif m.group("fnum"):
            value = ratio(Decimal(m.group("fnum")), Decimal(m.group("fden")))
        elif m.group("times"):
            value = (2 ** int(parse_number(m.group("times"))) - 1) * Decimal(100)
        elif m.group("double"):  # 实现翻番: doubled
            value = Decimal(100)
        elif m.group("cheng"):  # 六成: six tenths
            value = parse_number(m.group("cheng")) * 10
        else:
            value = parse_number(m.group("mult")) * 100
    except (ValueError, TypeError, ArithmeticError):
        return None
    written = m.group()
    start = m.start() + (len(written) - len(written.lstrip("了")))
    pre = m.group("pre") or m.group("mq")  # 增长近三倍: the 近 stands after the verb
    qual = PREFIX_QUALIFIERS[pre] if pre else "exact"
    end = m.end()
    post = next((p for p in _RATIO_SUFFIXES if m.string.startswith(p, end)), None)
    if post is not None and qual == "exact":  # 三分之一以上
        qual, end = SUFFIX_QUALIFIERS[post], end + len(post)
    return Quantity(start, end, exact(value), None, None, qual, "percent", "", "")


_RATIO_SUFFIXES = _WORDS.ratio_suffixes
# 约占全国的25%: the 约 of the share words qualifies the share
_APPROX_SHARE = re.compile(rf"(?:{_in_order(_WORDS.approx_share_words)})占[^，,。；;：:]{{0,16}}$")


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


@cache
def _unit_at_line_start() -> re.Pattern[str]:
    return re.compile(rf"\r?\n[ \t]*({_alternation(list(unit_words()))})")


def _cut_by_a_line_break(text: str, m: re.Match[str]) -> Quantity | None:
    """A figure cut by a line break (PDF text): 1.07亿⏎美元 is USD. The unit on the next line
    still counts; the figure as written stops at the break (RECORDS.md)."""
    if m.group("unit") or m.group("post"):
        return None
    nxt = _unit_at_line_start().match(text, m.end())
    if nxt is None:
        return None
    unit = nxt.group(1)
    if len(unit) == 1 and unit != _YUAN and _CJK_CHAR.match(text, nxt.end()):
        return None  # 5万⏎人口…: a new line opening on a word, not a unit
    lo = max(0, m.start() - 4)
    joined = text[lo : m.end()] + nxt.group(1)
    again = quantity_pattern().match(joined, m.start() - lo)
    if again is None or again.end() != len(joined):
        return None
    q = read_quantity(again)
    if q is None:
        return None
    return replace(q, start=q.start + lo, end=m.end())


# A ratio of parts (三次产业结构为5.1:72.7:22.2): three or four parts, a colon between
# (the line may break after one), adding up to 100 — what tells it from a clock (10:30:00).
_PARTS = re.compile(  # (?=\d) first: a cheap reject before the lookbehind
    r"(?=\d)(?<![\d.:：])\d+(?:\.\d+)?(?:[:：][ \t]*(?:\r?\n[ \t]*)?\d+(?:\.\d+)?){2,3}(?![\d.:：])"
)
_PART = re.compile(r"\d+(?:\.\d+)?")
RATIO_PART = ":"  # unit_written of a part of a ratio: its measure is a share


def _ratio_parts(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _PARTS.finditer(text):
        parts = list(_PART.finditer(m.group()))
        total = sum((Decimal(p.group()) for p in parts), Decimal(0))
        if abs(total - 100) > 1:
            continue
        out.extend(
            Quantity(m.start() + p.start(), m.start() + p.end(), Decimal(p.group()), None, None,
                     "exact", "percent", RATIO_PART, "")
            for p in parts
        )
    return out


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    for m in quantity_pattern().finditer(text):
        if m.end() == m.start():
            continue
        q = None
        if text.startswith(("\n", "\r\n"), m.end()):
            q = _cut_by_a_line_break(text, m)
        if q is None:
            q = read_quantity(m)
        if q is not None:
            out.append(q)
    taken = [(q.start, q.end) for q in out]
    out.extend(p for p in _ratio_parts(text)
               if not any(s < p.end and p.start < e for s, e in taken))
    for m in _RATIO.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        r = _read_ratio(m)
        if r is not None:
            out.append(r)
    out.sort(key=lambda q: q.start)
    out = [
        replace(q, qualifier="approx")
        if q.unit == "percent" and q.qualifier == "exact"
        and _APPROX_SHARE.search(text, max(0, q.start - 20), q.start) else q
        for q in out
    ]
    return _currency_in_brackets(
        text, _same_figure_in_other_units(text, _qualified_before(text, out)))


# 70亿(美元,下同): a currency in brackets right after a bare amount is its unit; with 下同
# it is the unit of the bare amounts after it too.
_BRACKETED_CURRENCY = re.compile(r"[(（](?P<cur>[^()（）,，、]{1,3})(?P<same>[,，、]?下同)?[)）]")


def _currency_in_brackets(text: str, found: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    carried: str | None = None
    for q in found:
        bare = q.unit == "CNY" and _YUAN not in text[q.start : q.end]
        m = _BRACKETED_CURRENCY.match(text, q.end) if bare else None
        word = unit_words().get(m.group("cur")) if m is not None else None
        if m is not None and word is not None and word.kind == "money" and word.unit:
            q = replace(q, unit=word.unit)
            if m.group("same"):
                carried = word.unit
        elif bare and carried is not None:
            q = replace(q, unit=carried)
        out.append(q)
    return out


@cache
def _qualifiers_before() -> tuple[tuple[str, str], ...]:
    words = quantity_words()
    pairs = [(w, q) for ws, q in ((words.more_than_before, "more_than"),
                                   (words.less_than_before, "less_than"),
                                   (words.approx_before, "approx"))
             for w in ws]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _qualified_before(text: str, found: list[Quantity]) -> list[Quantity]:
    """比重高于60% → more_than, 约有1010个 → approx: the word before qualifies the figure."""
    out = []
    for q in found:
        if q.qualifier == "exact" and q.value is not None:
            before = text[max(0, q.start - 3) : q.start]
            hit = next((qual for w, qual in _qualifiers_before() if before.endswith(w)), None)
            if hit is not None:
                q = replace(q, qualifier=hit)
        out.append(q)
    return out


def _same_figure_in_other_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """约10.67平方公里(1067公顷、16005亩): the figure restated in brackets in other units
    keeps its qualifier (RECORDS.md, one area in several units)."""
    out: list[Quantity] = []
    carried: str | None = None
    for q in found:
        if out and carried is not None:
            gap = text[out[-1].end : q.start]
            if gap in ("(", "（", "、") and q.qualifier == "exact" and q.unit != "percent":
                q = replace(q, qualifier=carried)
            else:
                carried = None
        if carried is None and q.qualifier in ("approx", "more_than", "less_than") \
                and text[q.end : q.end + 1] in ("(", "（") and q.unit != "percent":
            carried = q.qualifier
        out.append(q)
    return out
