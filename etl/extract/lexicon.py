"""Longest-match term scanning over normalised text, shared by the linking stages.

A lexicon is a dict term → payload; scanning compiles one alternation, longest terms
first, so `规模以上工业总产值` wins over `工业总产值` and `产值` at the same position.
"""

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from etl.paths import SEEDS_DIR

T = TypeVar("T")


@dataclass(frozen=True)
class Mention(Generic[T]):
    start: int
    end: int
    term: str
    value: T


def guarded_alternation(words: Iterable[str]) -> str:
    """A regex matching the longest of the literal words at a position, written as a trie
    (电(?:子(?:信息)?|气)…) behind a lookahead on the first characters: the engine
    rejects most positions with one set lookup and follows one branch per character,
    instead of trying every word in turn."""
    trie = _trie(words)
    if not trie:
        return "(?!)"
    firsts = "".join(sorted(re.escape(c) for c in trie))
    return f"(?=[{firsts}]){_trie_regex(trie)}"


def searched_alternation(words: Iterable[str]) -> str:
    """The trie of `guarded_alternation` without its lookahead, for a pattern that opens
    with it and is searched (search, finditer, sub): the engine then takes the trie's first
    characters for the pattern's first characters and skips from one to the next itself,
    which a leading lookahead keeps it from doing (up to twice as slow over a text). A
    pattern only tried at given positions (`match`) keeps the lookahead."""
    trie = _trie(words)
    return _trie_regex(trie) if trie else "(?!)"


def _trie(words: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for w in {w for w in words if w}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_regex(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # a shorter word ends here: the longer continuation is optional, greedy
        return f"(?:{body})?"
    return body


def load_word_lists(name: str) -> dict[str, Any]:
    """A TOML file of word lists from seeds/ (lists become tuples, other values stay)."""
    with open(SEEDS_DIR / name, "rb") as f:
        data = tomllib.load(f)
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items()}


class TermScanner(Generic[T]):
    def __init__(self, terms: Mapping[str, T]) -> None:
        self._terms = dict(terms)
        self._pattern = re.compile(guarded_alternation(self._terms)) if self._terms else None
        # for scan: the same words, found by the engine's own skipping
        self._scanned = re.compile(searched_alternation(self._terms)) if self._terms else None

    def at(self, text: str, pos: int) -> Mention[T] | None:
        """The term starting at pos, if one does (the longest)."""
        m = self._pattern.match(text, pos) if self._pattern is not None else None
        return Mention(m.start(), m.end(), m.group(), self._terms[m.group()]) if m else None

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[Mention[T]]:
        if self._scanned is None:
            return []
        stop = len(text) if end is None else end
        return [
            Mention(m.start(), m.end(), m.group(), self._terms[m.group()])
            for m in self._scanned.finditer(text, start, stop)
        ]
