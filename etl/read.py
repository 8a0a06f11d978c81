"""Read a report file into text, detecting its encoding from the bytes, not the name.

Chinese government reports arrive as UTF-8 (with or without BOM), UTF-16, GB18030/GBK
or Big5. Offsets in records index the decoded string, so decoding must be deterministic
for the same bytes.
"""

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer


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
    encoding: str
    sha256: str
    size: int


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Tried in order after UTF-8: a strict decode that succeeds on most of the text wins.
_CJK_ENCODINGS = ("gb18030", "big5")


def decode_report(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding name)."""
    if not data:
        raise ReportReadError(path, "empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ReportReadError(path, f"invalid {enc} after its byte-order mark: {e}") from e
    if b"\x00" in data[:4096]:
        raise ReportReadError(path, "binary file (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(data[:65536]).best()
    candidates = [guess.encoding] if guess is not None else []
    candidates += [e for e in _CJK_ENCODINGS if e not in candidates]
    for enc in candidates:
        if enc in ("big5", "big5hkscs", "cp950") or enc.startswith("gb") or enc == "gb18030":
            try:
                return data.decode(enc), "big5" if "big5" in enc or enc == "cp950" else "gb18030"
            except (UnicodeDecodeError, LookupError):
                continue
    raise ReportReadError(path, "not text in UTF-8, UTF-16, GB18030/GBK or Big5")


def read_report(path: Path) -> ReportText:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReportReadError(path, e.strerror or str(e)) from e
    text, encoding = decode_report(data, path)
    return ReportText(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
