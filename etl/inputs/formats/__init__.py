"""Turn a report's bytes into the text that record spans index, whatever the format.

The format is decided from the bytes (magic numbers, markup), not from the file name:
plain text in UTF-8 / UTF-16 / GB18030 / Big5, HTML, .docx and PDF (through its text
layer). The text a converter returns *is* the document's source text: spans index it,
`source_document.text` stores it, and the same bytes always give the same text.

Everything here raises `FormatError(reason)`; `etl.inputs.read` adds the file name.

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

from dataclasses import dataclass

from etl.inputs.formats.common import (
    MB,
    FormatError,
    Limits,
    check_text_size,
    clean_text,
    limits,
    size_text,
)

__all__ = [
    "MB", "Converted", "FormatError", "Limits", "check_text_size", "clean_text", "convert",
    "limits", "size_text", "sniff",
]


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
    from etl.inputs.formats.html import looks_like_html

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
        from etl.inputs.formats.pdf import pdf_text

        return Converted(pdf_text(data, lim), "pdf", "pdf")
    if fmt == "docx":
        from etl.inputs.formats.docx import docx_text

        return Converted(docx_text(data, lim), "docx", "docx")
    if fmt == "html":
        from etl.inputs.formats.html import html_text

        text, enc = html_text(data, lim)
        return Converted(text, enc, "html")
    from etl.inputs.formats.encoding import decode_text

    if len(data) > 4 * lim.max_text_chars:  # every supported encoding has ≤ 4 bytes a char
        raise FormatError(
            f"too large: {size_text(len(data))} of text is more than the limit of "
            f"{lim.max_text_chars:,} characters (PARKSTAT_MAX_TEXT_CHARS)"
        )
    text, enc = decode_text(data)
    if not text.strip():
        raise FormatError("no text: the file holds only whitespace")
    return Converted(check_text_size(text, lim), enc, "text")
