"""Decode plain-text bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM (UTF-16
without one when NUL bytes give it away), GB18030/GBK/GB2312 and Big5/CP950.

Detection is from the bytes. GBK and Big5 overlap: almost any Big5 byte string is also
valid GBK, and GB2312 text mostly decodes as Big5 too, so a strict decode proves
little. Every candidate is therefore decoded and scored by how many characters a
Chinese report would not contain — characters outside the common hanzi of GB2312 and
Big5, punctuation and ASCII — and by how many bytes it could not decode at all; the
lowest score wins. A few undecodable bytes (a file cut mid-character, a stray byte)
become U+FFFD and the text is kept; more than 4, and more than one in a thousand
characters, is an error.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from etl.inputs.formats.common import FormatError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CANDIDATES = ("utf-8", "gb18030", "big5", "cp950")

# Names a web page or a caller may declare, mapped to the codec we decode with.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030",
    "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030",
    "big5": "big5", "big5-hkscs": "cp950", "big5hkscs": "cp950", "cp950": "cp950",
    "x-x-big5": "big5", "utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "utf-16": "utf-16", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}

_REPLACEMENT_WEIGHT = 10
_FEW_UNDECODABLE = 4  # a cut-off or stray multibyte character is up to 3 U+FFFD
_SAMPLE_CHARS = 200_000
_MAX_UNLIKELY = 0.3  # share of unlikely characters above which text is not Chinese text
_MAX_CONTROL = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a\x1b")


def canonical_encoding(name: str) -> str | None:
    """The codec for a declared charset name, or None if it is not one we decode."""
    key = name.strip().strip("\"'").lower().replace("_", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        codec = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(codec.replace("_", "-"))


@cache
def _likely_chars() -> frozenset[str]:
    """Characters a Chinese report is made of: the GB2312 hanzi, Big5's frequent hanzi,
    ASCII, and the punctuation and symbols such reports use."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 levels 1 and 2
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):  # Big5 常用字 A440–C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if lead == 0xC6 and trail > 0x7E:
                break
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    chars.update(chr(c) for c in range(0x20, 0x7F))
    chars.update("\t\n\r\f\v\u00a0\u3000\u3007")
    for lo, hi in ((0x3001, 0x3011), (0x3014, 0x3017), (0x301C, 0x301F), (0xFF01, 0xFF5E),
                   (0x2010, 0x2027), (0x2160, 0x217B), (0x2460, 0x249B), (0x3220, 0x3229),
                   (0x25A0, 0x25CF)):
        chars.update(chr(c) for c in range(lo, hi + 1))
    chars.update("‰℃°·×÷¥￥㎡㎏㎞㎝㎜№→←↑↓≤≥≈±∶～～")
    return frozenset(chars)


def _unlikely(sample: str) -> int:
    likely = _likely_chars()
    return sum(1 for c in sample if c not in likely)


@dataclass(frozen=True)
class _Decoded:
    encoding: str
    text: str
    undecodable: int
    unlikely: int
    sampled: int

    @property
    def score(self) -> float:
        per_char = self.unlikely / max(self.sampled, 1)
        return per_char * len(self.text) + _REPLACEMENT_WEIGHT * self.undecodable


def _decode(data: bytes, encoding: str) -> _Decoded:
    try:
        text, bad = data.decode(encoding), 0
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
    except LookupError:
        raise FormatError(f"unknown encoding {encoding}") from None
    sample = text[:_SAMPLE_CHARS]
    return _Decoded(encoding, text, bad, _unlikely(sample), len(sample))


def _accept(d: _Decoded) -> tuple[str, str]:
    n = max(len(d.text), 1)
    if d.undecodable > max(_FEW_UNDECODABLE, n // 1000):
        raise FormatError(
            f"invalid byte sequences: {d.undecodable} undecodable bytes even as {d.encoding};"
            " not text in UTF-8, UTF-16, GB18030/GBK or Big5"
        )
    sample = d.text[:_SAMPLE_CHARS]
    controls = sum(1 for c in sample if (c < " " or "\x7f" <= c < "\xa0")
                   and c not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL * len(sample):
        raise FormatError("binary file (control characters), not a text report")
    if d.sampled and d.unlikely > _MAX_UNLIKELY * d.sampled:
        raise FormatError(
            f"does not look like Chinese or ASCII text (as {d.encoding}, "
            f"{100 * d.unlikely // d.sampled}% of the characters are unlikely);"
            " supported: UTF-8, UTF-16, GB18030/GBK, Big5"
        )
    if "\x00" in d.text:
        raise FormatError("binary file (NUL characters), not a text report")
    return d.text, d.encoding


def decode_text(data: bytes, preferred: Sequence[str] = ()) -> tuple[str, str]:
    """(text, codec name) for plain-text bytes; `preferred` are declared charsets (an
    HTML meta tag), tried first and kept on a tie."""
    if not data:
        raise FormatError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            d = _decode(data, enc)
            if d.undecodable:
                raise FormatError(f"invalid {enc} after its byte-order mark "
                                  f"({d.undecodable} undecodable sequences)")
            return _accept(d)
    if b"\x00" in data:
        # Only UTF-16 without a byte-order mark is text with NUL bytes in it.
        tries = [_decode(data, e) for e in ("utf-16-le", "utf-16-be")] if len(data) % 2 == 0 else []
        good = [d for d in tries if d.undecodable == 0 and d.unlikely <= 0.05 * d.sampled]
        if not good:
            raise FormatError("binary file (NUL bytes), not a text report")
        return _accept(min(good, key=lambda d: d.score))
    declared = [c for c in (canonical_encoding(p) for p in preferred) if c]
    if not declared or declared[0] == "utf-8":
        try:
            return _accept(_Decoded("utf-8", data.decode("utf-8"), 0, 0, 0))
        except UnicodeDecodeError:
            pass
    order = list(dict.fromkeys([*declared, *_CANDIDATES]))
    results = [_decode(data, enc) for enc in order]
    best = min(results, key=lambda d: (d.score, order.index(d.encoding)))
    return _accept(best)
