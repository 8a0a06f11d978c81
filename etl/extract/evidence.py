"""Where each record's region, park, year and status came from.

Every record carries `evidence`: for each of those fields, the rule that gave it and, where
the text names it, the span (source offsets) and text of the words it was read from:

    {"region": {"rule": "title", "start": 0, "end": 3, "text": "营口"},
     "year": {"rule": "sentence", "start": 120, "end": 125, "text": "2010年"},
     "status": {"rule": "status word", "start": 98, "end": 100, "text": "预计"}, ...}

Rules: `sentence` (named in the figure's own sentence), `paragraph` (earlier in its
paragraph), `title`, `article` (named earlier in the article: its subject carried on),
`park name` (a region opening the park's name), `self word` (全省, 我市 for the region in
force), `section heading`, `list intro` / `section intro` (a list's or a section's opening
paragraph), `date line` / `occasion line` / `signature` / `source line` / `page date line`
(the report's own
date, for 今年, 目前, 过去的一年), `status word`, `sentence frame` (预计…, 力争… opening the
sentence), `goal year` (到2015年), `paragraph frame`, `default` (no word: a result). The
evidence is provenance for a reader or a curator; evaluate.py ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from etl.extract.lexicon import searched_alternation
from etl.extract.link_subject import self_word_fits
from etl.extract.link_time import TimeRef, named_goal_after, status_words
from etl.extract.mentions import words, world_regions
from etl.extract.segment import StatedDate

Span = Callable[[int, int], tuple[int, int]]


@dataclass(frozen=True)
class Where:
    """The ranges of normalised text a figure is read in."""

    sentence: tuple[int, int]
    paragraph_start: int
    article: tuple[int, int]
    title_at: int  # -1: no title line
    title_end: int


def _found(rule: str, text: str, span: Span, source: str, s: int, e: int) -> dict[str, Any]:
    a, b = span(s, e)
    return {"rule": rule, "start": a, "end": b, "text": source[a:b]}


def _forms(name: str) -> tuple[str, ...]:
    """A name and its short form as reports write it (营口市 → 营口, 湖南省 → 湖南), or the
    words that stand for a place outside the gazetteer (全国, 我国 → 中国)."""
    if len(name) > 2 and name[-1] in words().short_form_suffix_chars:
        return (name, name[:-1])
    return (name, *_aliases().get(name, ()))


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for alias, name in world_regions().items():
        if alias != name:
            out.setdefault(name, []).append(alias)
    return {name: tuple(aliases) for name, aliases in out.items()}


def _last_before(text: str, forms: tuple[str, ...], lo: int, hi: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for f in forms:
        i = text.rfind(f, lo, hi)
        if i >= 0 and (best is None or i > best[0]):
            best = (i, i + len(f))
    return best


def name_evidence(
    name: str | None, kind: str, text: str, source: str, span: Span, where: Where, pos: int,
    park: str | None = None,
) -> dict[str, Any] | None:
    """Where a region or park name was read: the figure's sentence, its paragraph, the
    title, earlier in the article; a region that opens the park's name; the self word
    (全省, 我市) that stands for the region in force."""
    if not name:
        return None
    forms = _forms(name)
    s_lo, s_hi = where.sentence
    hit = _last_before(text, forms, s_lo, pos) or _last_before(text, forms, pos, s_hi)
    if hit:
        return _found("sentence", text, span, source, *hit)
    hit = _last_before(text, forms, where.paragraph_start, s_lo)
    if hit:
        return _found("paragraph", text, span, source, *hit)
    if where.title_at >= 0:
        hit = _last_before(text, forms, where.title_at, where.title_end)
        if hit:
            return _found("title", text, span, source, *hit)
    hit = _last_before(text, forms, where.article[0], s_lo)
    if hit:
        return _found("article", text, span, source, *hit)
    if kind == "region":
        if park and any(park.startswith(f) for f in forms):
            return {"rule": "park name", "text": park}
        hit = _self_word(text, where.paragraph_start, pos, name) or _self_word(
            text, where.article[0], pos, name)
        if hit:
            return _found("self word", text, span, source, *hit)
    hit = _last_before(text, forms, where.article[0], where.article[1])
    if hit:
        return _found("article", text, span, source, *hit)
    return {"rule": "inferred"}


@cache
def _self_words() -> re.Pattern[str]:
    return re.compile(searched_alternation(words().self_words))


def _self_word(text: str, lo: int, hi: int, region: str) -> tuple[int, int] | None:
    """The last self word before `hi` that can stand for `region` (我省 for a province,
    not for 中国)."""
    found = None
    for m in _self_words().finditer(text, lo, hi):
        if self_word_fits(m.group(), region):
            found = (m.start(), m.end())
    return found


def year_evidence(
    time: TimeRef | None, text: str, source: str, span: Span, date: StatedDate | None,
    date_from_title: bool,
) -> dict[str, Any] | None:
    if time is None or time.year is None:
        return None
    out: dict[str, Any] = (
        _found(time.rule, text, span, source, *time.at) if time.at else {"rule": time.rule}
    )
    if time.dated:
        if date is not None:
            out["date"] = _found(date.rule, text, span, source, date.start, date.end)
        elif date_from_title:
            out["date"] = {"rule": "title"}
    return out


@cache
def _status_pattern(status: str) -> re.Pattern[str]:
    return re.compile(searched_alternation(status_words()[status]))


def status_evidence(
    status: str, text: str, source: str, span: Span, clause_start: int, pos: int,
    sentence_start: int, frame: str | None, time: TimeRef | None, figure_end: int = -1,
) -> dict[str, Any]:
    """The word that decided the status, in the figure's clause or opening its sentence;
    else the goal year (到2015年), the frame of the paragraph, or none (a result)."""
    if status in ("target", "estimate", "actual"):
        hit = None
        for m in _status_pattern(status).finditer(text, clause_start, pos):
            hit = (m.start(), m.end())
        if hit:
            return _found("status word", text, span, source, *hit)
    if frame == status and status != "actual":
        opening = _status_pattern(status).search(
            text, sentence_start, min(pos, sentence_start + 30))
        if opening is not None:
            return _found("sentence frame", text, span, source, opening.start(), opening.end())
    if status == "target" and time is not None and time.goal and time.at:
        return _found("goal year", text, span, source, *time.at)
    if status != "actual":  # ，据初步测算，全市…: a clause of its own before the figure
        earlier = None
        for m in _status_pattern(status).finditer(text, sentence_start, pos):
            earlier = m
        if earlier is not None:
            return _found("sentence frame", text, span, source, earlier.start(), earlier.end())
        named = named_goal_after(text, figure_end) if status == "target" else None
        if named is not None:  # 增长10%——12%等主要经济社会发展目标
            return _found("named goal", text, span, source, *named)
        return {"rule": "paragraph frame"}
    return {"rule": "default"}

