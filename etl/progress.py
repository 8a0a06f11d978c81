"""A progress line for long work on a terminal (`parkstat load`, `parkstat extract`).

`  1,234/5,000 files  35,790 records  270 files/s  0:14 left` on standard error, redrawn
in place at most five times a second and cleared at the end. Nothing at all is written
when standard error is not a terminal (a pipe, a log file, cron) or when the command
prints JSON: the output a program reads stays exactly what it was.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.2


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Files done of `total`, records, rate and time left; a no-op when not enabled."""

    def __init__(self, total: int, label: str, *, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.label = label
        self.files = 0
        self.records = 0
        self.started = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def advance(self, files: int = 1, records: int = 0) -> None:
        self.files += files
        self.records += records
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn >= REDRAW_SECONDS or self.files >= self.total:
            self._drawn = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now if now is not None else time.monotonic()) - self.started, 1e-6)
        rate = self.files / elapsed
        left = (self.total - self.files) / rate if rate > 0 else None
        bar_width = 20
        filled = int(bar_width * self.files / self.total) if self.total else bar_width
        return (f"{self.label} [{'#' * filled}{'.' * (bar_width - filled)}] "
                f"{self.files:,}/{self.total:,} files  {self.records:,} records  "
                f"{rate:,.0f} files/s  "
                + (f"{_clock(left)} left" if left is not None else "--:-- left"))

    def _draw(self, text: str) -> None:
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """Clear the line, so that what the command prints next starts on a clean line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
