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


class TermScanner(Generic[T]):
    def __init__(self, terms: Mapping[str, T]) -> None:
        self._terms = dict(terms)
        words = sorted((t for t in self._terms if t), key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

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
