"""Longest-match term scanning over normalised text, shared by the linking stages.

A lexicon is a dict term → payload; scanning compiles one alternation, longest terms
first, so `规模以上工业总产值` wins over `工业总产值` and `产值` at the same position.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int
    end: int
    term: str
    value: T


def guarded_alternation(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first, behind a lookahead on their first
    characters: the regex engine then rejects most positions with one set lookup instead
    of trying every word (a several-fold speed-up on hundreds of words)."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    if not ordered:
        return "(?!)"
    firsts = "".join(sorted({re.escape(w[0]) for w in ordered}))
    return f"(?=[{firsts}])(?:{'|'.join(re.escape(w) for w in ordered)})"


class TermScanner(Generic[T]):
    def __init__(self, terms: Mapping[str, T]) -> None:
        self._terms = dict(terms)
        self._pattern = re.compile(guarded_alternation(self._terms)) if self._terms else None

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[Mention[T]]:
        if self._pattern is None:
            return []
        stop = len(text) if end is None else end
        return [
            Mention(m.start(), m.end(), m.group(), self._terms[m.group()])
            for m in self._pattern.finditer(text, start, stop)
        ]


def last_before(mentions: Iterable[Mention[T]], pos: int, floor: int = 0) -> Mention[T] | None:
    best: Mention[T] | None = None
    for m in mentions:
        if floor <= m.start and m.end <= pos:
            best = m
    return best
