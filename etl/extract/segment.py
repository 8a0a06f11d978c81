"""Split normalised text into articles, paragraphs and sentences; mark boilerplate.

A file often holds several articles (第一篇:, 篇二:) copied from a web page with its
site header and footer. Later stages need each article's own title and date (relative
years resolve against it; a subject carries only within its article) and must not read
figures out of navigation text.
"""

import itertools
import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache

from etl.extract.normalise import ARTICLE_MARK as _ARTICLE_MARK
from etl.extract.numbers import parse_number
from etl.paths import SEEDS_DIR


@dataclass(frozen=True)
class BoilerplateWords:
    """The words of seeds/boilerplate.toml (see the comments there)."""

    line_markers: tuple[str, ...]
    issuer_endings: tuple[str, ...]
    date_labels: tuple[str, ...]
    source_labels: tuple[str, ...]
    date_line_followers: tuple[str, ...]
    occasion_words: tuple[str, ...]


@cache
def boilerplate_words() -> BoilerplateWords:
    """The one reader of seeds/boilerplate.toml."""
    with open(SEEDS_DIR / "boilerplate.toml", "rb") as f:
        data = tomllib.load(f)
    return BoilerplateWords(**{k: tuple(v) for k, v in data.items()})


def _in_order(words: tuple[str, ...]) -> str:
    """Literal words as alternatives, in the list's order."""
    return "|".join(re.escape(w) for w in words)


_B = boilerplate_words()
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
# A date the article states about itself: （2011年5月）, 二〇一一年五月八日 on its own line
_CN_DIGIT = "〇零一二三四五六七八九十"
_OWN_DATE = re.compile(
    rf"^[ \t（(]*(?P<y>(?:19|20)\d\d|[{_CN_DIGIT}]{{4}})年"
    rf"(?:(?P<m>\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})月)?"
    rf"(?:(?P<d>\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})日)?"
    # on its own line, or followed only by the page's furniture (2017年05月04日 来源：…)
    rf"(?:[ \t）)]*$|[ \t\u3000]*(?={_in_order(_B.date_line_followers)}))",
    re.M,
)
# A dated line of a web page or a signature: 发布时间：2023年8月10日, 发布日期:2023-08-10,
# 临沂市人民政府  2024年2月5日 (a month is required, so 2023年工作回顾 is no date).
_DATE_PARTS = r"(?P<y>(?:19|20)\d\d)(?:年|[-/.])(?P<m>\d{1,2})(?:月|[-/.])(?:(?P<d>\d{1,2})日?)?"
# A signature: 临沂市人民政府  2024年2月5日 (an office, then a date with its month).
_SIGNED_DATE = re.compile(
    rf"^[^\n。，,；;\d]{{0,30}}?(?:{_in_order(_B.issuer_endings)})[ \t\u3000]*" + _DATE_PARTS
    + r"[ \t\u3000]*$",
    re.M,
)
# A web page's dated line: 发布时间：2023年8月10日, 发布日期:2023-08-10, 发布于:2022-04-13.
_LABELLED_DATE = re.compile(
    rf"^[^\n。，,；;]{{0,30}}?(?:{_in_order(_B.date_labels)})[:：][ \t\u3000]*" + _DATE_PARTS, re.M
)
# A date line in figures: 2016-03-30, 2011-03-26 07:57:56 来源：…, 15.06.2019 — on its own
# line, or followed only by a clock time and the page's source/reading furniture.
_NUMERIC_DATE = re.compile(
    r"^[ \t（(]*(?:(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>(?:19|20)\d\d))"
    r"(?:[ \t\u3000]*\d{1,2}:\d\d(?::\d\d)?)?"
    rf"(?:[ \t\u3000）)]*$|[ \t\u3000]*(?={_in_order(_B.date_line_followers)}))",
    re.M,
)
# A page's source line that ends in its date: 来源： 某某网 作者： 2019-04-12 09:30:00 (the
# labels may be empty; the date, with its month and day, follows them on the same line).
_SOURCE_LINE_DATE = re.compile(
    rf"^[ \t\u3000]*(?:{_in_order(_B.source_labels)})[:：][^\n。，,；;\d]{{0,40}}?"
    r"(?P<y>(?:19|20)\d\d)(?:年|[-/.])(?P<m>\d{1,2})(?:月|[-/.])(?P<d>\d{1,2})",
    re.M,
)
# A speech's occasion line: ——2015年2月9日在某市人大第三次会议上.
_OCCASION_DATE = re.compile(
    r"^[ \t]*[—－-]{1,2}[ \t]*" + _DATE_PARTS
    + rf"[ \t]*在[^\n]{{2,40}}(?:{_in_order(_B.occasion_words)})上",
    re.M,
)


@dataclass(frozen=True)
class StatedDate:
    """A date an article states about itself, with where it was read: the rule (date
    line, occasion line, signature, page date line) and the span of the line."""

    date: date
    rule: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    start: int
    end: int
    title: str
    stated_date: date | None
    # [start, end) ranges of boilerplate lines inside the article
    boilerplate: tuple[tuple[int, int], ...]
    date_evidence: StatedDate | None = None


def boilerplate_markers() -> tuple[str, ...]:
    """Lines of web-page furniture hold one of these (seeds/boilerplate.toml)."""
    return boilerplate_words().line_markers


def _year_of(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
    digits["零"] = "0"
    return int("".join(digits.get(c, "") for c in text) or 0)


def _small_number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(parse_number(text))
    except (ValueError, TypeError):
        return None


_DATE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date line", _OWN_DATE),
    ("date line", _NUMERIC_DATE),
    ("occasion line", _OCCASION_DATE),
    ("signature", _SIGNED_DATE),
    ("source line", _SOURCE_LINE_DATE),
)


def dated(text: str, offset: int = 0) -> StatedDate | None:
    """The article's own date: a line holding only a date (at its foot or under its title,
    2017年05月04日, 2016-03-30, 15.06.2019), a speech's occasion line (——2015年2月9日在…会议上),
    else a signature's (临沂市人民政府  2024年2月5日)."""
    for rule, pattern in _DATE_RULES:
        found: StatedDate | None = None
        for m in pattern.finditer(text):
            d = _date_of(m)
            if d is not None:
                found = StatedDate(d, rule, offset + m.start(), offset + m.end())
        if found is not None:
            return found
    return None


def stated_date(text: str) -> date | None:
    found = dated(text)
    return found.date if found else None


def page_date(text: str) -> date | None:
    found = page_dated(text)
    return found.date if found else None


def page_dated(text: str) -> StatedDate | None:
    """The date a web page gives its one report (发布时间：2023年8月10日): for a page of
    several articles it is no article's own date."""
    for m in _LABELLED_DATE.finditer(text):
        d = _date_of(m)
        if d is not None:
            return StatedDate(d, "page date line", m.start(), m.end())
    return None


def _group(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        if name in m.re.groupindex and m.group(name):
            return m.group(name)
    return None


def _date_of(m: re.Match[str]) -> date | None:
    year = _year_of(_group(m, "y", "y2") or "")
    month = _small_number(_group(m, "m", "m2")) or 1
    day = _small_number(_group(m, "d", "d2")) or 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _boilerplate_lines(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The spans of web-page furniture: on each line holding a marker, from after the last
    full stop before the line's first marker to the line's end. One scan of the article
    for all markers (the first one found on a line is its leftmost), not every marker
    looked for on every line."""
    out: list[tuple[int, int]] = []
    line_end = start - 1  # end of the line of the last marker found
    for m in _marker_pattern().finditer(text, start, end):
        first = m.start()
        if first < line_end:
            continue  # a later marker on a line already read
        nl = text.rfind("\n", start, first)
        line_start = nl + 1 if nl >= 0 else start
        nl = text.find("\n", first, end)
        line_end = end if nl < 0 else nl
        # …同比增长12%。（来源：某某日报）: the furniture starts after the last full stop
        # before its marker; the sentences before it are the paragraph's own
        stop = max(text.rfind(c, line_start, first) for c in "。！？!?")
        out.append((stop + 1 if stop >= 0 else line_start, line_end))
    return tuple(out)


@cache
def _marker_pattern() -> re.Pattern[str]:
    """The boilerplate markers as one alternation (a marker is a word within a line)."""
    return re.compile("|".join(map(re.escape, boilerplate_markers())))


def _title(text: str, start: int, end: int) -> str:
    for line in text[start:end].splitlines():
        line = _ARTICLE_MARK.sub("", line).strip()
        if line and not any(m in line for m in boilerplate_markers()):
            return line[:200]
    return ""


def split_articles(text: str) -> list[Article]:
    cuts = [0] + [m.start() for m in _ARTICLE_MARK.finditer(text) if m.start() > 0]
    cuts.append(len(text))
    articles: list[Article] = []
    for a, b in itertools.pairwise(cuts):
        if not text[a:b].strip():
            continue
        own = dated(text[a:b], a)
        articles.append(
            Article(
                start=a,
                end=b,
                title=_title(text, a, b),
                stated_date=own.date if own else None,
                boilerplate=_boilerplate_lines(text, a, b),
                date_evidence=own,
            )
        )
    if len(articles) == 1 and articles[0].stated_date is None:
        page = page_dated(text)
        if page is not None:
            articles[0] = replace(articles[0], stated_date=page.date, date_evidence=page)
    return articles


def sentences(text: str, start: int, end: int) -> Iterator[Sentence]:
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > pos:
            yield Sentence(pos, m.end())
        pos = m.end()
    if pos < end:
        yield Sentence(pos, end)


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Lines: after normalisation joined hard wraps, a line break ends a paragraph."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            yield pos, stop
        pos = stop + 1


# Clause boundaries: the commas, semicolons and colons inside a sentence, and the marks that
# end one. Every linking stage asks "where does this clause start/end"; the positions are
# computed once per text (texts are cached by identity: one article's text at a time).
CLAUSE_SEP = re.compile(r"[，,；;：:。！？!?\n]")


@lru_cache(maxsize=8)
def clause_separators(text: str) -> list[int]:
    return [m.start() for m in CLAUSE_SEP.finditer(text)]


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """First position of the clause holding pos (never before floor)."""
    seps = clause_separators(text)
    i = bisect_left(seps, pos) - 1
    return max(floor, seps[i] + 1 if i >= 0 else 0)


def clause_end(text: str, pos: int, ceiling: int | None = None) -> int:
    """Position of the separator that ends the clause holding pos (or ceiling)."""
    seps = clause_separators(text)
    i = bisect_left(seps, pos)
    end = seps[i] if i < len(seps) else len(text)
    return end if ceiling is None else min(ceiling, end)
