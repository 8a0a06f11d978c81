"""Turn a report's bytes into the text that record spans index, whatever the format.

The format is decided from the bytes (magic numbers, markup), not from the file name:
plain text in UTF-8 / UTF-16 / GB18030 / Big5, HTML, .docx and PDF (through its text
layer). The text a converter returns *is* the document's source text: spans index it,
`source_document.text` stores it, and the same bytes always give the same text.

Everything here raises `FormatError(reason)`; `etl.read` adds the file name.

Limits (environment variables, read on every call so a test or a deployment can
change them):

- `PARKSTAT_MAX_FILE_MB` (default 100): an input file larger than this is refused
  before it is read.
- `PARKSTAT_MAX_TEXT_CHARS` (default 5,000,000 ≈ 15 MB of Chinese UTF-8, 50 times a
  long work report, ~15 s of extraction): a document whose text is longer is refused
  rather than extracted. A plain-text file of more than 4 bytes per allowed character
  is refused without decoding it.
- `PARKSTAT_MAX_UNPACKED_MB` (default 200) and a compression ratio of 100: a .docx
  whose document part would inflate beyond either is refused as a zip bomb before
  anything is decompressed (and reading stops at the limit whatever the header says).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MB = 1 << 20


class FormatError(Exception):
    """The bytes are not a report this reader can turn into text; str() is the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * MB
    max_text_chars: int = 5_000_000
    max_unpacked_bytes: int = 200 * MB
    max_ratio: int = 100


def _env_number(name: str, default: int, scale: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return max(1, int(float(raw) * scale))
    except ValueError:
        raise FormatError(f"{name}={raw!r} is not a number") from None


def limits() -> Limits:
    d = Limits()
    return Limits(
        max_file_bytes=_env_number("PARKSTAT_MAX_FILE_MB", d.max_file_bytes, MB),
        max_text_chars=_env_number("PARKSTAT_MAX_TEXT_CHARS", d.max_text_chars),
        max_unpacked_bytes=_env_number("PARKSTAT_MAX_UNPACKED_MB", d.max_unpacked_bytes, MB),
        max_ratio=d.max_ratio,
    )


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Converted text as PostgreSQL and JSON can hold it: no control characters but tab
    and newline (a PDF's \\r becomes \\n), no lone surrogates (a damaged PDF's UTF-16
    string can decode to one; it becomes U+FFFD)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)


def check_text_size(text: str, lim: Limits) -> str:
    if len(text) > lim.max_text_chars:
        raise FormatError(
            f"too large: {len(text):,} characters of text; the limit is "
            f"{lim.max_text_chars:,} (PARKSTAT_MAX_TEXT_CHARS)"
        )
    return text


@dataclass(frozen=True)
class Converted:
    text: str
    encoding: str  # the codec for text and HTML; "docx" or "pdf" for those
    format: str  # "text", "html", "docx" or "pdf"


_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of `data`: "pdf", "docx", "html" or "text"; FormatError for the
    formats we recognise but do not read."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"  # docx.py says so if it is some other zip
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FormatError("a legacy Office file (.doc/.xls, OLE2), not supported: "
                          "save it as .docx, .html or .txt")
    if data.startswith(b"{\\rtf"):
        raise FormatError("an RTF document, not supported: save it as .docx or .txt")
    for magic, what in ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"),
                        (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!", "RAR")):
        if data.startswith(magic):
            raise FormatError(f"a {what} archive, not a report: unpack it first")
    for magic, what in ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
                        (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF")):
        if data.startswith(magic):
            raise FormatError(f"a {what} image, not a report: it needs OCR")
    from etl.formats.html import looks_like_html

    if looks_like_html(data, suffix.lower() in _HTML_SUFFIXES):
        return "html"
    return "text"


def convert(data: bytes, suffix: str = "") -> Converted:
    """The report text in `data` (the whole file). `suffix` only helps tell HTML apart."""
    lim = limits()
    if not data:
        raise FormatError("empty file")
    fmt = sniff(data, suffix)
    if fmt == "pdf":
        from etl.formats.pdf import pdf_text

        return Converted(pdf_text(data, lim), "pdf", "pdf")
    if fmt == "docx":
        from etl.formats.docx import docx_text

        return Converted(docx_text(data, lim), "docx", "docx")
    if fmt == "html":
        from etl.formats.html import html_text

        text, enc = html_text(data, lim)
        return Converted(text, enc, "html")
    from etl.formats.encoding import decode_text

    if len(data) > 4 * lim.max_text_chars:  # every supported encoding has ≤ 4 bytes a char
        raise FormatError(
            f"too large: {size_text(len(data))} of text is more than the limit of "
            f"{lim.max_text_chars:,} characters (PARKSTAT_MAX_TEXT_CHARS)"
        )
    text, enc = decode_text(data)
    if not text.strip():
        raise FormatError("no text: the file holds only whitespace")
    return Converted(check_text_size(text, lim), enc, "text")
