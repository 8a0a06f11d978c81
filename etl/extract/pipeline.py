"""Extraction's entry points: read a report, run the registered stages over it
(etl/extract/stages: normalise → segment → quantities → figure_rules → mentions →
link_metric → link_time → link_subject → records → figure_subjects), validate the records.
Loading is `etl.store.load`'s job.

`extract_text` is pure (text in, records out) so that it can run in a process pool and be
fuzzed; `extract_file` adds reading and provenance.
"""

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from etl import __version__
from etl.extract import stages
from etl.extract.doc import Doc
from etl.extract.record import Record, validate
from etl.inputs.read import ReportText, read_report
from etl.messages import stored_name
from etl.paths import SEEDS_DIR


def _extractor_fingerprint() -> str:
    """A hash of the code and lexicons that decide what is extracted: a load re-extracts
    an unchanged file whenever any of them changed, and skips it otherwise."""
    h = hashlib.sha256()
    etl = Path(__file__).parent.parent
    sources = [
        *sorted((etl / "extract").rglob("*.py")),  # every stage, the document, the record
        etl / "inputs" / "read.py",
        *sorted((etl / "inputs" / "formats").glob("*.py")),
        *sorted(p for p in SEEDS_DIR.iterdir() if p.suffix in (".csv", ".toml")),
    ]
    for path in sources:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


EXTRACTOR_VERSION = f"{__version__}+{_extractor_fingerprint()}"


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


def extract_raw(doc: str, text: str, profile: dict[str, float] | None = None) -> TextExtraction:
    """Every registered stage (etl/extract/stages) over the text; records not yet validated."""
    document = stages.run(Doc(doc, text), profile=profile)
    articles = document.article_list()
    # a page header (当前位置…) is an article with no title of its own: skip it
    titled = [a.article for a in articles if a.article.title]
    return TextExtraction(
        title=titled[0].title if titled else None,
        stated_date=next((a.article.stated_date for a in articles if a.article.stated_date),
                         None),
        raw_records=document.raw_records(),
    )


def extract_text(
    doc: str, text: str, profile: dict[str, float] | None = None,
) -> tuple[TextExtraction, list[Record], list[Rejected]]:
    """The stages, then pydantic: every raw record is a valid `Record` or a `Rejected`
    kept whole with its reason (quarantine)."""
    extraction = extract_raw(doc, text, profile=profile)
    started = time.perf_counter()
    records: list[Record] = []
    rejected: list[Rejected] = []
    for raw in extraction.raw_records:
        rec, reason = validate(raw)
        if rec is not None:
            records.append(rec)
        else:
            rejected.append(Rejected(raw=raw, reason=reason or "invalid"))
    if profile is not None:
        profile["validate"] = profile.get("validate", 0.0) + time.perf_counter() - started
    return extraction, records, rejected


def extract_source(
    name: str, source: ReportText, profile: dict[str, float] | None = None,
) -> ExtractedDocument:
    """Extract a report already read (and hashed): the loader reads each file once, so
    the stored sha256 is always that of the bytes extracted."""
    extraction, records, rejected = extract_text(name, source.text, profile=profile)
    return ExtractedDocument(
        name=name,
        source=source,
        title=extraction.title,
        stated_date=extraction.stated_date,
        records=records,
        rejected=rejected,
    )


@cache
def warm_up() -> None:
    """Load the lexicons, gazetteer and patterns once per process, so that a document's
    time limit (etl/extract/deadline.py) does not charge the first document for them."""
    extract_text("warm-up.txt", "2012年，全区完成工业总产值50亿元。")


def extract_file(path: Path, profile: dict[str, float] | None = None) -> ExtractedDocument:
    """Read and extract one file; its records' `doc` is its name as valid Unicode.
    `profile` (parkstat extract --profile) adds each step's seconds, reading included."""
    started = time.perf_counter()
    source = read_report(path)
    if profile is not None:
        profile["read"] = profile.get("read", 0.0) + time.perf_counter() - started
    return extract_source(stored_name(path.name), source, profile=profile)
