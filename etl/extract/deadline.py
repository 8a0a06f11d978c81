"""A time limit on one document's extraction: `PARKSTAT_MAX_EXTRACT_SECONDS` (default
300; 0 means none).

Extraction is linear in the text (benchmarks/bench_linear.py: a document at the
5,000,000-character limit takes well under a minute), but a file that finds some slow
path of a parser or a rule must not hold a load — and the load lock — for hours: past
the limit its extraction stops with `ExtractionTimeout` and the document fails alone.

How: in a process's main thread (the CLI, each extraction worker) an interval timer
(SIGALRM) raises the timeout wherever the extraction is; in any other thread the
pipeline checks the deadline between paragraphs (`check`). `ExtractionTimeout` is a
BaseException, so an `except Exception` on the way does not swallow it, and the timer
fires again every quarter second until it is out.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

ENV = "PARKSTAT_MAX_EXTRACT_SECONDS"
DEFAULT_SECONDS = 300.0


class ExtractionTimeout(BaseException):
    """The document's extraction ran past the limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction stopped after {seconds:g} s ({ENV}): the document "
                         "takes too long to extract")
        self.seconds = seconds


def max_seconds() -> float | None:
    """The limit in seconds from the environment; None when there is none (0).
    ValueError for a value that is not a number."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENV}={raw!r} is not a number of seconds") from None
    return value if value > 0 else None


_local = threading.local()


def check() -> None:
    """Raise ExtractionTimeout when this thread's extraction is past its limit."""
    limit: tuple[float, float] | None = getattr(_local, "limit", None)
    if limit is not None and time.monotonic() > limit[0]:
        raise ExtractionTimeout(limit[1])


class _Alarm:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = True

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.active:
            raise ExtractionTimeout(self.seconds)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop what runs inside with ExtractionTimeout after `seconds` (None: no limit)."""
    if seconds is None or seconds <= 0:
        yield
        return
    outer = getattr(_local, "limit", None)
    _local.limit = (time.monotonic() + seconds, seconds)
    alarm: _Alarm | None = None
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        alarm = _Alarm(seconds)
        previous = signal.signal(signal.SIGALRM, alarm)
        started = time.monotonic()
        outer_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        try:
            if alarm is not None:
                alarm.active = False  # from here on a late SIGALRM does nothing
        finally:  # …and this runs even if one came just before
            if alarm is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous if previous is not None
                              else signal.SIG_DFL)
                if outer_timer[0] > 0:  # someone else's timer: give it back what is left
                    left = max(outer_timer[0] - (time.monotonic() - started), 0.001)
                    signal.setitimer(signal.ITIMER_REAL, left, outer_timer[1])
            _local.limit = outer
