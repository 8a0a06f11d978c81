"""Text that reaches a terminal, a log or a JSON summary: one line, printable, capped.

A file name is whatever bytes the file system holds: it may not be UTF-8 (Python gives
those bytes as lone surrogates, which cannot be printed, stored in PostgreSQL or put in
JSON), and it may hold a newline or an escape sequence that would forge another line of
a log (`empty\\nINJECTED: fake_line.txt`) or repaint the terminal. Reasons can be long:
a parser's message may quote kilobytes of binary. So:

- `stored_name` turns a name into valid Unicode, bytes that are not UTF-8 written as
  `\\xNN` — what the database stores (document names and paths) and records carry;
- `printable` escapes what a terminal would act on: control characters (`\\n`, `\\x1b`),
  line and paragraph separators, bidirectional overrides, and undecodable bytes;
- `one_line` makes a message one printable line of at most MESSAGE_LIMIT characters.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MESSAGE_LIMIT = 300  # characters of a reason; a path is never cut

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional controls and marks,
# lone surrogates (undecodable bytes of a file name)
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape."""
    return _UNPRINTABLE.sub(_escape, text)


def path_text(path: Path | str) -> str:
    """A path for a message: printable, never cut."""
    return printable(str(path))


def stored_name(name: Path | str) -> str:
    """A file name or path as valid Unicode: bytes that are not UTF-8 become `\\xNN`;
    everything else (newlines included) is kept. What documents are stored and known by."""
    text = str(name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def one_line(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one printable line (runs of whitespace become one space), cut to
    `limit` characters with a note of how much was left out."""
    line = printable(" ".join(str(text).split()))
    if len(line) > limit:
        line = f"{line[:limit]}… ({len(line) - limit:,} more characters)"
    return line


def failure_line(path: Path | str, reason: str) -> str:
    """`path: reason` as one line, what every command prints for a file that failed."""
    return f"{path_text(path)}: {one_line(reason)}"
