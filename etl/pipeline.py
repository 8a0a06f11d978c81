"""The extraction pipeline, top to bottom: read → normalise → segment → find quantities →
link (metric, time, subject) → validate. Loading is `etl.load`'s job.

`extract_text` is pure (text in, records out) so that it can run in a process pool and be
fuzzed; `extract_file` adds reading and provenance.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etl import __version__
from etl.read import ReportText, read_report
from etl.record import Record, validate

EXTRACTOR_VERSION = __version__


@dataclass(frozen=True)
class Rejected:
    """A record that failed validation: kept whole, with pydantic's error JSON as reason."""

    raw: dict[str, Any]
    reason: str


@dataclass
class ExtractedDocument:
    name: str
    source: ReportText
    title: str | None = None
    stated_date: date | None = None
    records: list[Record] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class TextExtraction:
    title: str | None
    stated_date: date | None
    raw_records: list[dict[str, Any]]


_NAIVE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:万|亿)?(?:元|人|家|个|%|％|平方公里|亩)")


def extract_raw(doc: str, text: str) -> TextExtraction:
    """Placeholder extractor (issue 3 replaces it): figures with a unit, typed as `other`."""
    raws: list[dict[str, Any]] = []
    for m in _NAIVE.finditer(text):
        raws.append({
            "doc": doc, "start": m.start(), "end": m.end(), "quote": m.group(),
            "value_text": m.group(), "value": 1.0, "value_low": None, "value_high": None,
            "qualifier": "exact", "unit": "count", "metric": "other", "metric_text": None,
            "measure": "level", "year": None, "period": None, "period_text": None,
            "status": "actual", "region": None, "park": None, "cluster": None, "company": None,
        })
    first = text.strip().splitlines()[0].strip() if text.strip() else None
    return TextExtraction(title=first, stated_date=None, raw_records=raws)


def extract_text(doc: str, text: str) -> tuple[TextExtraction, list[Record], list[Rejected]]:
    extraction = extract_raw(doc, text)
    records: list[Record] = []
    rejected: list[Rejected] = []
    for raw in extraction.raw_records:
        rec, reason = validate(raw)
        if rec is not None:
            records.append(rec)
        else:
            rejected.append(Rejected(raw=raw, reason=reason or "invalid"))
    return extraction, records, rejected


def extract_file(path: Path) -> ExtractedDocument:
    source = read_report(path)
    extraction, records, rejected = extract_text(path.name, source.text)
    return ExtractedDocument(
        name=path.name,
        source=source,
        title=extraction.title,
        stated_date=extraction.stated_date,
        records=records,
        rejected=rejected,
    )
