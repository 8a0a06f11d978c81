"""Read a report file into text. The format and the encoding come from the bytes, not
the name: plain text (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5), HTML,
.docx and PDF — see `etl.inputs.formats`.

`ReportText.text` is the text record spans index: the decoded file for plain text, the
extracted text for HTML, .docx and PDF. `sha256` and `size` are always those of the
original bytes, so an unchanged file is recognised before it is converted.

Every failure is a `ReportReadError` naming the file and the reason in one line.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from etl.inputs.formats import FormatError, convert, limits, size_text
from etl.inputs.formats.encoding import decode_text
from etl.messages import one_line

# The path `-` on the command line stands for standard input (etl.inputs.files); the document
# is named after it ("stdin").
STDIN = Path("/dev/stdin")


class ReportReadError(Exception):
    """A file that cannot be read as a report; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class ReportText:
    path: Path
    text: str
    encoding: str  # codec of a text or HTML file; "docx" / "pdf" for those formats
    sha256: str
    size: int
    format: str = "text"  # "text", "html", "docx" or "pdf"


def decode_report(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Plain-text bytes → (text, encoding name)."""
    try:
        return decode_text(data)
    except FormatError as e:
        raise ReportReadError(path, e.reason) from e


def _too_large(path: Path, size: int, limit: int) -> ReportReadError:
    return ReportReadError(path, f"too large: {size_text(size)}; the limit is "
                                 f"{size_text(limit)} (PARKSTAT_MAX_FILE_MB)")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing one over the size limit before reading it."""
    try:
        limit = limits().max_file_bytes
    except FormatError as e:
        raise ReportReadError(path, e.reason) from e
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if stat.S_ISDIR(st.st_mode):
                    raise ReportReadError(path, "is a directory, not a file")
                if stat.S_ISREG(st.st_mode) and st.st_size > limit:
                    raise _too_large(path, st.st_size, limit)
                # read what the file holds, not a buffer of the limit's size (that was
                # most of a no-op re-run); a file still growing is read on to the limit
                want = min(limit, st.st_size) + 1 if stat.S_ISREG(st.st_mode) else limit + 1
                data = f.read(want)
                if len(data) == want and want <= limit:
                    data += f.read(limit + 1 - len(data))
        except OSError as e:
            raise ReportReadError(path, _os_reason(e)) from e
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _os_reason(e: OSError) -> str:
    return e.strerror.lower() if e.strerror else str(e)


def report_from_bytes(path: Path, data: bytes) -> ReportText:
    """Convert bytes already read from `path` (the loader hashes them first)."""
    try:
        conv = convert(data, path.suffix)
    except FormatError as e:  # one line, capped: a parser may quote kilobytes of binary
        raise ReportReadError(path, one_line(e.reason)) from e
    except RecursionError:
        raise ReportReadError(path, "unreadable: nested too deeply") from None
    return ReportText(
        path=path,
        text=conv.text,
        encoding=conv.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=conv.format,
    )


def read_report(path: Path) -> ReportText:
    path = Path(path)
    return report_from_bytes(path, read_bytes(path))
