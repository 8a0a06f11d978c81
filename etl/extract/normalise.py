"""Normalise report text for matching while keeping an exact map back to the source.

Every later stage matches on the normalised text; every span it reports goes back
through `NormalisedText.source_span`, so `source[start:end]` is always the figure as
written. Hence the rules: characters are mapped 1:1 (full-width → half-width,
traditional → simplified) or deleted (stray spaces, hard line breaks inside words),
never expanded. NFKC is not used: it changes lengths.
"""

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc

from etl.extract.lexicon import load_word_lists

# Full-width ASCII → half-width, except the punctuation that Chinese prose uses as its own
# clause and sentence marks: mapping `，` to `,` would make `1，234` look like a thousands
# separator and `；` / `：` are clause boundaries the segmenter reads.


@cache
def layout_words() -> dict[str, Any]:
    """The one reader of seeds/layout_words.toml (line-wrap words)."""
    return load_word_lists("layout_words.toml")


_KEEP_FULLWIDTH = set("，；：！？（）")
_CHAR_MAP: dict[int, str] = {
    cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH
}
_CHAR_MAP.update({
    0x3000: " ",  # ideographic space
    0x00A0: " ",
    0x25CB: "〇",  # ○ written for the numeral zero (二○一一年)
    0x3007: "〇",
    0x2236: ":",  # ∶ ratio colon
})

_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009"
_LAYOUT_RUN = re.compile(f"[{_SPACE}]+|\n")  # what _deletions looks at
_SENTENCE_END = "。！？!?；;：:”\"）)】」』…"
_LIST_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:[、．]|\.(?!\d))"
    r"|第[一二三四五六七八九十\d]+|篇[一二三四五六七八九十])"
)

# A line at least this long that stops mid-sentence is a hard wrap, not a heading.
_WRAP_MIN_LINE = 24
_PROSE_MARK = re.compile(r"[，,。；、]")
_CLAUSE_MARKS = "，,、"
_MIDWORD_END = set(layout_words()["midword_end_chars"])  # …完成工业总产值的⏎50亿元
_OPEN_ENDS = set("、，,“（(")
_CLOSE_STARTS = set("，,。、；”）)")

# Share of CJK characters that must change under t2s before an article counts as
# traditional: simplified text has a few such characters too (乾, 後 in names).
_TRADITIONAL_RATIO = 0.04
_TRADITIONAL_MIN = 5


_CJK_RUN = re.compile(r"[\u4e00-\u9fff〇]+")


@dataclass(frozen=True)
class NormalisedText:
    text: str
    # source index of each normalised character, plus one sentinel = len(source)
    source_index: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) to the source [start, end) it was made from."""
        return self.source_index[start], self.source_index[end - 1] + 1


@cache
def _t2s() -> "opencc.OpenCC":
    return opencc.OpenCC("tw2s")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "〇"


def _is_wordish(ch: str) -> bool:
    return ch.isdigit() or _is_cjk(ch) or ch in ".%"


_SAMPLE_CJK = 3000  # enough characters to tell the script; converting more costs time


def is_traditional(text: str) -> bool:
    sample = "".join(_CJK_RUN.findall(text))[:_SAMPLE_CJK]
    if not sample:
        return False
    converted = _t2s().convert(sample)
    if converted == sample:  # most simplified text: nothing to count
        return False
    changed = sum(map(str.__ne__, sample, converted))
    return bool(changed >= _TRADITIONAL_MIN and changed / len(sample) >= _TRADITIONAL_RATIO)


def to_simplified(text: str) -> str:
    """Traditional → simplified, same length: phrase conversion where it keeps the length,
    character by character where a phrase would change it."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        conv = _t2s().convert(line)
        if len(conv) != len(line):
            conv = "".join(
                c2 if len(c2 := _t2s().convert(ch)) == 1 else ch for ch in line
            )
        out.append(conv)
    return "".join(out)


# The runs of characters that _CHAR_MAP maps: translating only them is several times
# faster than `str.translate` over a whole text, where most characters map to themselves.
_MAPPED_RUN = re.compile("[" + "".join(sorted(re.escape(chr(c)) for c in _CHAR_MAP)) + "]+")


def _mapped_chars(text: str) -> str:
    return _MAPPED_RUN.sub(lambda m: m.group().translate(_CHAR_MAP), text)


def _wrap_width(text: str) -> int:
    """The shortest line that can be a wrapped one: _WRAP_MIN_LINE, or less when the text
    was wrapped to a narrow column (most of its lines within a few characters of one
    length: an OCR'd or copied page of 12-character lines)."""
    lengths = Counter(len(line.strip()) for line in text.splitlines() if line.strip())
    total = sum(lengths.values())
    if total < 4:
        return _WRAP_MIN_LINE
    width = max(lengths, key=lambda w: (lengths[w], w))
    near = sum(c for w, c in lengths.items() if width - 3 <= w <= width + 1)
    if 8 <= width < _WRAP_MIN_LINE and near * 2 >= total:
        return width - 3  # digits and letters make a wrapped line a little shorter
    return _WRAP_MIN_LINE


_NUMBER_BEFORE = re.compile(r"[\d.,]+$")
_NUMBER_AFTER = re.compile(r"[\d.,]+")


def _two_numbers(text: str, i: int, j: int) -> bool:
    """The spaces text[i:j] stand between two numbers of a table row (120.5 138.6 15.0%),
    not inside one a PDF split (１ ５个, ５ ０００万元): a decimal point on either side."""
    if not (text[i - 1].isdigit() and text[j].isdigit()):
        return False
    left = _NUMBER_BEFORE.search(text, max(0, i - 20), i)
    right = _NUMBER_AFTER.match(text, j)
    return "." in (left.group() if left else "") + (right.group() if right else "")


def _deletions(text: str) -> Iterable[int]:
    """Indices of characters that are layout, not content: spaces between CJK or digits,
    and line breaks that wrap a sentence mid-word."""
    wrap_min = _wrap_width(text)
    n = len(text)
    line_start = 0
    # only runs of spaces and line breaks can be deleted: jump from one to the next
    # instead of stepping through every character in Python
    for m in _LAYOUT_RUN.finditer(text):
        i = m.start()
        if text[i] != "\n":  # a run of spaces
            j = m.end()
            prev = text[i - 1] if i > 0 else ""
            nxt = text[j] if j < n else ""
            if (prev and nxt and _is_wordish(prev) and _is_wordish(nxt)
                    and not _two_numbers(text, i, j)):
                yield from range(i, j)
        else:
            line = text[line_start:i].rstrip("\r" + _SPACE)
            nxt_line_end = text.find("\n", i + 1)
            nxt_line = text[i + 1 : nxt_line_end if nxt_line_end >= 0 else n]
            if line.strip() and nxt_line.strip() and (
                line[-1] in _OPEN_ENDS or nxt_line[0] in _CLOSE_STARTS
            ) and len(line.strip()) >= 8:
                # …实际利用外资950万美元、⏎内资2300万元: no paragraph ends on 、 or ，
                # nor starts with ，or 。 — the break is a wrap, whatever the line's length
                k = i - 1
                while k >= line_start and text[k] in "\r":
                    yield k
                    k -= 1
                yield i
            elif (
                len(line.strip()) >= wrap_min
                # a title has no commas and ends in a noun; wrapped prose has one or the other
                and (
                    _PROSE_MARK.search(line) or line[-1] in _MIDWORD_END
                )
                and line
                and line[-1] not in _SENTENCE_END
                # a comma never ends a paragraph: …的比重为71.9%，⏎比上年提高… is one
                and (_is_wordish(line[-1]) or line[-1] in _CLAUSE_MARKS)
                and nxt_line[:1]
                and _is_wordish(nxt_line[0])
                and not _LIST_START.match(nxt_line)
            ):
                k = i - 1
                while k >= line_start and text[k] in "\r":
                    yield k
                    k -= 1
                yield i
            line_start = i + 1


# A pinyin gloss after a character (網(wǎng), 業(yè)): a converter's annotation, not text. It
# splits words (規模以上工業(yè)企業(yè) is 規模以上工業企業), so it is dropped like layout.
_PINYIN_GLOSS = re.compile(
    r"[(（][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}[)）]"
)


def _glosses(text: str) -> Iterable[int]:
    for m in _PINYIN_GLOSS.finditer(text):
        if m.start() > 0 and _is_cjk(text[m.start() - 1]):
            yield from range(m.start(), m.end())


ARTICLE_MARK = re.compile(
    r"^[ \t]*(?:第[一二三四五六七八九十\d]+篇|篇[一二三四五六七八九十\d]+)[ \t]*[:：]", re.M
)


def _simplify_traditional_articles(mapped: str) -> str:
    """Convert only the articles written in traditional script: converting simplified
    text damages names (乾康药业 → 干康药业)."""
    cuts = [0] + [m.start() for m in ARTICLE_MARK.finditer(mapped) if m.start() > 0]
    cuts.append(len(mapped))
    parts = []
    for a, b in itertools.pairwise(cuts):
        part = mapped[a:b]
        parts.append(to_simplified(part) if is_traditional(part) else part)
    return "".join(parts)


def normalise(source: str, traditional: bool | None = None) -> NormalisedText:
    """Normalise a report. `traditional=None` detects the script article by article."""
    mapped = _mapped_chars(source)
    if traditional is None:
        mapped = _simplify_traditional_articles(mapped)
    elif traditional:
        mapped = to_simplified(mapped)
    dropped = sorted(set(_deletions(mapped)).union(_glosses(mapped)))
    if not dropped:
        return NormalisedText(mapped, tuple(range(len(source) + 1)))
    pieces: list[str] = []
    keep: list[int] = []
    pos = 0
    for d in dropped:  # copy the runs between deleted characters
        pieces.append(mapped[pos:d])
        keep.extend(range(pos, d))
        pos = d + 1
    pieces.append(mapped[pos:])
    keep.extend(range(pos, len(mapped)))
    return NormalisedText("".join(pieces), (*keep, len(source)))
