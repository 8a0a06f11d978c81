"""What every converter shares: the error it raises, the size limits, and cleaning.

Apart from the package's `__init__` (which picks a converter) so that the converters
can import it without importing the module that imports them.
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
