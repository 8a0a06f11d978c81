"""The extraction pipeline, top to bottom: read → normalise → segment → find quantities →
link (metric, time, subject) → validate. Loading is `etl.load`'s job.

`extract_text` is pure (text in, records out) so that it can run in a process pool and be
fuzzed; `extract_file` adds reading and provenance.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from etl import __version__, deadline
from etl.figure_rules import Context, rejection
from etl.figure_subjects import (
    company_industries,
    fullest_park_names,
    of_the_counted,
    subjects_of,
)
from etl.link_metric import MetricLink, SentenceFigures, link_sentence
from etl.link_subject import (
    ArticleSubject,
    Subject,
    SubjectTracker,
    article_subject,
    heading_park,
    heading_region,
    is_heading,
    opens_with_subject,
    run_in_topic,
    section_subject,
)
from etl.link_time import (
    TimeRef,
    carries_frame,
    frame_of,
    goal_heading,
    resolve,
    status_after,
    status_at,
    time_mentions,
)
from etl.mentions import ArticleEntities, word_ends
from etl.messages import stored_name
from etl.normalise import NormalisedText, normalise
from etl.numbers import round_value
from etl.paths import SEEDS_DIR
from etl.quantities import Quantity, find_quantities
from etl.read import ReportText, read_report
from etl.record import Record, validate
from etl.segment import (
    Article,
    Sentence,
    clause_end,
    clause_start,
    paragraphs,
    sentences,
    split_articles,
)

_EXTRACTION_MODULES = (
    "read", "normalise", "segment", "numbers", "quantities", "figure_rules", "lexicon",
    "link_metric", "link_time", "mentions", "link_subject", "figure_subjects", "gazetteer",
    "catalogue", "record", "pipeline",
)


def _extractor_fingerprint() -> str:
    """A hash of the code and lexicons that decide what is extracted: a load re-extracts
    an unchanged file whenever any of them changed, and skips it otherwise."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    sources = (
        [here / f"{name}.py" for name in _EXTRACTION_MODULES]
        + sorted(here.glob("formats/*.py"))
        + sorted(p for p in SEEDS_DIR.iterdir() if p.suffix in (".csv", ".toml"))
    )
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


def extract_raw(doc: str, text: str) -> TextExtraction:
    """read → normalise → segment → find quantities → link; records are not yet validated."""
    norm = normalise(text)
    ntext = norm.text
    quantities = find_quantities(ntext)
    raws: list[dict[str, Any]] = []
    articles = split_articles(ntext)
    for article in articles:
        raws.extend(_article_records(doc, text, norm, article, quantities))
    # a page header (当前位置…) is an article with no title of its own: skip it
    titled = [a for a in articles if a.title]
    return TextExtraction(
        title=titled[0].title if titled else None,
        stated_date=next((a.stated_date for a in articles if a.stated_date), None),
        raw_records=raws,
    )


def _in_boilerplate(article: Article, pos: int) -> bool:
    return any(a <= pos < b for a, b in article.boilerplate)


def _article_records(
    doc: str, source: str, norm: NormalisedText, article: Article, quantities: list[Quantity]
) -> list[dict[str, Any]]:
    ntext = norm.text
    article_entities = ArticleEntities(ntext, article.start, article.end)
    main = article_subject(
        ntext, article.start, article.end, article.title, article_entities
    )
    tracker = SubjectTracker(main, ntext)
    raws: list[dict[str, Any]] = []
    qs = [q for q in quantities if article.start <= q.start < article.end]
    qi = 0
    after_heading = False
    section_goal: TimeRef | None = None
    for para_start, para_end in paragraphs(ntext, article.start, article.end):
        deadline.check()  # PARKSTAT_MAX_EXTRACT_SECONDS where no timer can interrupt
        line = ntext[para_start:para_end]
        if is_heading(line):
            region = heading_region(line)
            park = heading_park(line)
            if region is not None and region != tracker.article.region:
                tracker.article = ArticleSubject(region=region, park=park)
            elif park is not None:
                tracker.article = ArticleSubject(region=tracker.article.region, park=park)
            after_heading = True
            section_goal = goal_heading(ntext, para_start, para_end, article.stated_date)
            continue
        if after_heading:
            opened = section_subject(ntext, para_start, article_entities, tracker.article)
            if opened is not None:
                tracker.article = opened
            after_heading = False
        # under a heading of goals (2024年工作目标) every paragraph is a goal, of its year
        time_ref: TimeRef | None = section_goal
        para_frame: str | None = "target" if section_goal is not None else None
        carried_count: MetricLink | None = None
        carried_level: MetricLink | None = None
        year_open = True
        last_count: tuple[str, Subject] | None = None
        tracker.reset()
        topic = run_in_topic(ntext, para_start, article_entities)
        if topic is not None:
            tracker.open_on(topic)
        for sent in sentences(ntext, para_start, para_end):
            if _in_boilerplate(article, sent.start):
                continue
            while qi < len(qs) and qs[qi].start < sent.start:
                qi += 1
            in_sent: list[Quantity] = []
            while qi < len(qs) and qs[qi].start < sent.end:
                in_sent.append(qs[qi])
                qi += 1
            times = time_mentions(ntext, sent.start, sent.end, article.stated_date)
            entities = article_entities.within(sent.start, sent.end)
            if (
                not year_open and opens_with_subject(ntext, sent.start, entities)
                and not any(ref.same_year for _, _, ref in times)  # 全年园区税收…: same year
            ):
                time_ref = None  # past a full stop a year holds until a new subject opens
            year_open = True
            sentence_text = ntext[sent.start : sent.end]
            # a frame opens the sentence: 预计 after its first figure frames only what follows
            opening = sentence_text[: in_sent[0].start - sent.start] if in_sent else sentence_text
            frame = frame_of(opening)
            if frame is None and any(t.goal for _, _, t in times):
                frame = "target"
            ctx = Context(ntext, sent.start, sent.end)
            figures = [q for q in in_sent if rejection(ctx, q) is None]
            if figures:
                names = [(e.start, e.end) for e in entities if e.kind == "company"]
                industries = [(e.start, e.end, word_ends(ntext, e))
                              for e in entities if e.kind == "cluster"]
                spans = [(e.start, e.end) for e in entities]
                links = link_sentence(
                    SentenceFigures(ntext, sent.start, sent.end, figures), names,
                    carried_count,
                    spans, carried_level, industries,
                )
                amounts = [
                    ls[0] for q, ls in zip(figures, links, strict=True)
                    if q.unit not in ("percent", "percentage_point")
                ]
                carried_level = amounts[-1] if amounts else carried_level
                counts = [ls[0] for q, ls in zip(figures, links, strict=True) if q.unit == "count"]
                carried_count = counts[-1] if counts else carried_count
                reach = min(para_end, sent.end + _SENTENCE_REACH)
                stop = _FULL_STOP.search(ntext, sent.start, reach)
                rest = [e for e in article_entities.within(sent.end, stop.end() if stop else reach)
                        if e.kind == "park"]
                subjects = subjects_of(ntext, tracker, entities, figures, links, rest)
                subjects = [  # 园区…17.5亿元，五大产业…22亿元，分别占…75%和91%
                    subjects[ls[0].about] if ls[0].about is not None else subj
                    for ls, subj in zip(links, subjects, strict=True)
                ]
                running = frame or para_frame or "actual"
                for q, qlinks, subj in zip(figures, links, subjects, strict=True):
                    current = time_ref
                    for t_start, _t_end, ref in times:
                        if t_start < q.start:
                            current = resolve(ref, current)
                    c_start = clause_start(ntext, q.start, sent.start)
                    status = status_at(ntext, c_start, q.start, running)
                    if status == "actual" and current is not None and current.goal:
                        status = "target"
                    if status == "actual" and q.unit == "count":
                        status = status_after(ntext, q.end, clause_end(ntext, q.end, sent.end))
                    running = status
                    if q.unit == "count":
                        subj = of_the_counted(ntext, c_start, q, qlinks[0], subj, last_count)
                        last_count = (qlinks[0].metric, subj)
                    for link in qlinks:
                        raws.append(
                            _raw_record(doc, source, norm, sent, q, link, current, status, subj)
                        )
            else:
                for e in entities:
                    tracker.see(e)
            full_stop = sentence_text.rstrip()[-1:] in "。！？!?"
            tracker.end_sentence(full_stop=full_stop)
            if full_stop:
                carried_level = None
            for _t_start, _t_end, ref in times:
                if ref.carries:
                    time_ref = resolve(ref, time_ref)
            year_open = not (full_stop and time_ref is not None and not time_ref.goal)
            if frame is not None and carries_frame(sentence_text):
                para_frame = frame
    return company_industries(ntext, fullest_park_names(raws, article_entities),
                               article_entities)


_FULL_STOP = re.compile(r"[。！？!?]")
# How far past a ；-clause to look for the full stop that ends its sentence: sentences are
# shorter; a 400,000-character line without one must not be rescanned for every clause.
_SENTENCE_REACH = 400


def _raw_record(
    doc: str, source: str, norm: NormalisedText, sent: Sentence, q: Quantity,
    link: MetricLink, time: TimeRef | None, status: str, subj: Subject,
) -> dict[str, Any]:
    start, end = norm.source_span(q.start, q.end)
    c_start = clause_start(norm.text, q.start, sent.start)
    c_end = clause_end(norm.text, q.end, sent.end)
    quote_start, quote_end = norm.source_span(c_start, max(c_end, c_start + 1))
    return {
        "doc": doc,
        "start": start,
        "end": end,
        "quote": source[quote_start:quote_end].strip() or source[start:end],
        "value_text": source[start:end],
        "value": None if q.value is None else round_value(q.value),
        "value_low": None if q.low is None else round_value(q.low),
        "value_high": None if q.high is None else round_value(q.high),
        "qualifier": q.qualifier,
        "unit": q.unit,
        "metric": link.metric,
        "metric_text": link.metric_text,
        "measure": link.measure,
        "year": time.year if time else None,
        "period": time.period if time else None,
        "period_text": time.period_text if time else None,
        "status": status,
        "region": subj.region,
        "park": subj.park,
        "cluster": subj.cluster,
        "company": subj.company,
    }


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


def extract_source(name: str, source: ReportText) -> ExtractedDocument:
    """Extract a report already read (and hashed): the loader reads each file once, so
    the stored sha256 is always that of the bytes extracted."""
    extraction, records, rejected = extract_text(name, source.text)
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
    time limit (etl/deadline.py) does not charge the first document for them."""
    extract_text("warm-up.txt", "2012年，全区完成工业总产值50亿元。")


def extract_file(path: Path) -> ExtractedDocument:
    """Read and extract one file; its records' `doc` is its name as valid Unicode."""
    return extract_source(stored_name(path.name), read_report(path))
