"""The extraction pipeline, top to bottom: read → normalise → segment → find quantities →
link (metric, time, subject) → validate. Loading is `etl.store.load`'s job.

`extract_text` is pure (text in, records out) so that it can run in a process pool and be
fuzzed; `extract_file` adds reading and provenance.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from etl import __version__
from etl.extract import deadline
from etl.extract.evidence import Where, name_evidence, status_evidence, year_evidence
from etl.extract.figure_rules import Context, rejection
from etl.extract.figure_subjects import (
    company_industries,
    fullest_park_names,
    of_the_counted,
    subjects_of,
    written_region_names,
)
from etl.extract.link_metric import MetricLink, SentenceFigures, link_sentence, sector_of_metric
from etl.extract.link_subject import (
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
from etl.extract.link_time import (
    TimeRef,
    carries_frame,
    frame_of,
    goal_heading,
    heading_time,
    resolve,
    status_after,
    status_at,
    time_mentions,
    title_time,
    title_year,
)
from etl.extract.mentions import ArticleEntities, is_dateline, word_ends, words
from etl.extract.normalise import NormalisedText, normalise
from etl.extract.numbers import round_value
from etl.extract.quantities import Quantity, find_quantities
from etl.extract.record import Record, validate
from etl.extract.segment import (
    Article,
    Sentence,
    clause_end,
    clause_start,
    paragraphs,
    sentences,
    split_articles,
)
from etl.inputs.read import ReportText, read_report
from etl.messages import stored_name
from etl.paths import SEEDS_DIR


def _extractor_fingerprint() -> str:
    """A hash of the code and lexicons that decide what is extracted: a load re-extracts
    an unchanged file whenever any of them changed, and skips it otherwise."""
    h = hashlib.sha256()
    etl = Path(__file__).parent.parent
    sources = [
        *sorted((etl / "extract").glob("*.py")),  # every stage, the document, the record
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
    today = article.stated_date
    # a title is a heading line (a first line of prose is no title to date a report by)
    title_at = (ntext.find(article.title, article.start, article.end)
                if article.title and is_heading(article.title) else -1)
    title_end = title_at + len(article.title) if title_at >= 0 else -1
    date_from_title = False
    if today is None and title_at >= 0:  # 南山…2012年上半年经济运行情况: 今年 is 2012
        year = title_year(article.title)
        today = date(year, 1, 1) if year else None
        date_from_title = today is not None
    # the period the title dates the report by (…2012年上半年经济运行情况): every figure's
    # unless its own words, its section or its list say otherwise
    doc_time = title_time(article.title, title_at) if title_at >= 0 else None
    section_goal: TimeRef | None = None
    section_time: TimeRef | None = None
    list_time: TimeRef | None = None  # a paragraph ending in ：opens a list of paragraphs
    intro_time: TimeRef | None = None  # a section's opening paragraph, for its numbered items
    # the year the last paragraph that stated one reported on (2020年度全省…): what 全年
    # means in a paragraph that states no year of its own
    year_before: TimeRef | None = None
    first_para = False
    for para_start, para_end in paragraphs(ntext, article.start, article.end):
        deadline.check()  # PARKSTAT_MAX_EXTRACT_SECONDS where no timer can interrupt
        line = ntext[para_start:para_end]
        if is_heading(line):
            # the title is the article's subject already (article_subject read it)
            is_title = para_start <= title_at < para_end  # (after 第二篇：, say)
            region = heading_region(line) if not is_title else None
            park = heading_park(line) if not is_title else None
            if region is not None and region != tracker.article.region:
                tracker.article = ArticleSubject(region=region, park=park)
            elif park is not None:
                tracker.article = ArticleSubject(region=tracker.article.region, park=park)
            after_heading = True
            section_goal = goal_heading(ntext, para_start, para_end, today)
            if not is_title:  # the title's period is doc_time's
                section_time = (None if section_goal is not None
                                else heading_time(ntext, para_start, para_end, today))
            list_time = intro_time = None
            first_para = True
            continue
        if after_heading:
            opened = section_subject(ntext, para_start, article_entities, tracker.article)
            if opened is not None:
                tracker.article = opened
            after_heading = False
        item = _ITEM_MARK.match(line) is not None
        # under a heading of goals (2024年工作目标) every paragraph is a goal, of its year
        para_default: TimeRef | None = (
            list_time or (intro_time if item or _reviews_past_year(intro_time) else None)
            or section_goal or section_time or doc_time
        )
        time_ref: TimeRef | None = para_default
        para_frame: str | None = (
            "target" if para_default is not None and para_default.goal else None
        )
        carried_count: MetricLink | None = None
        carried_level: MetricLink | None = None
        previous_level: MetricLink | None = None  # the last amount before a full stop
        year_open = True
        last_count: tuple[str, Subject] | None = None
        tracker.reset()
        open_frame: str | None = None
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
            times = time_mentions(ntext, sent.start, sent.end, today)
            entities = [e for e in article_entities.within(sent.start, sent.end)
                        if not is_dateline(ntext, e)]
            if (
                not year_open and opens_with_subject(ntext, sent.start, entities)
                and not any(ref.same_year for _, _, ref in times)  # 全年园区税收…: same year
            ):
                # past a full stop a year holds until a new subject opens; then the
                # paragraph's own (its section's, list's or title's) holds again
                time_ref = para_default
            year_open = True
            sentence_text = ntext[sent.start : sent.end]
            if sentence_text.lstrip().startswith(_cluster_references()):
                tracker.refer_back()
            if sentence_text.lstrip().startswith("其中") and (
                    sent.start == para_start or ntext[sent.start - 1] in "。！？!?"):
                tracker.open_part()
            # a frame opens the sentence: 预计 after its first figure frames only what follows
            opening = sentence_text[: in_sent[0].start - sent.start] if in_sent else sentence_text
            frame = frame_of(opening)
            if frame is None and any(t.goal for _, _, t in times):
                frame = "target"
            # 预计…，…；…。: a frame covers its sentence, through the list it opens, up to
            # the full stop (the ；-parts after it)
            frame = frame or open_frame
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
                    spans, carried_level, industries, previous_level,
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
                        closed = _bracket_close(ntext, t_start, sent.start, sent.end)
                        if t_start < q.start and (closed is None or q.start < closed):
                            current = resolve(ref, current or year_before)
                    c_start = clause_start(ntext, q.start, sent.start)
                    # the figure's clause and the next: …为2722亿元，较上年增长…
                    next_end = clause_end(ntext, clause_end(ntext, q.end, sent.end) + 1, sent.end)
                    if current is None and year_before is not None and _YEAR_ON_YEAR.search(
                            ntext, c_start, next_end):
                        # …为2722亿元，较上年增长…: a year is in force, from here on
                        current = time_ref = year_before
                    status = status_at(ntext, c_start, q.start, running)
                    if status == "actual" and current is not None and current.goal:
                        status = "target"
                    if status == "actual" and q.unit == "count":
                        status = status_after(ntext, q.end, clause_end(ntext, q.end, sent.end))
                    running = status
                    if q.unit == "count":
                        subj = of_the_counted(ntext, c_start, q, qlinks[0], subj, last_count)
                        last_count = (qlinks[0].metric, subj)
                    where = Where((sent.start, sent.end), para_start,
                                  (article.start, article.end), title_at, title_end)
                    span = norm.source_span
                    evidence = {
                        "region": name_evidence(subj.region, "region", ntext, source, span,
                                                where, q.start, subj.park),
                        "park": name_evidence(subj.park, "park", ntext, source, span, where,
                                              q.start),
                        "year": year_evidence(current, ntext, source, span,
                                              article.date_evidence, date_from_title),
                        "status": status_evidence(status, ntext, source, span, c_start,
                                                  q.start, sent.start, frame, current),
                    }
                    for link in qlinks:
                        raws.append(_raw_record(doc, source, norm, sent, q, link, current,
                                                status, subj, evidence))
            else:
                for e in entities:
                    tracker.see(e)
            full_stop = sentence_text.rstrip()[-1:] in "。！？!?"
            open_frame = None if full_stop or sentence_text.rstrip()[-1:] == "\n" else frame
            tracker.end_sentence(full_stop=full_stop)
            if full_stop:
                previous_level, carried_level = carried_level, None
            for t_start, _t_end, ref in times:
                # （其中2019年投入2.4亿元）: a time in brackets dates what is in them
                if ref.carries and _bracket_close(ntext, t_start, sent.start, sent.end) is None:
                    time_ref = resolve(ref, time_ref or year_before)
            year_open = not (full_stop and time_ref is not None and not time_ref.goal
                             and time_ref is not para_default)
            if frame is not None and carries_frame(sentence_text):
                para_frame = frame
        if line.rstrip().endswith((":", "：")) and time_ref is not None:
            # 到2025年，…具体表现为以下几方面：— the paragraphs after it are its list
            list_time = replace(time_ref, rule="list intro")
        elif first_para and not item and time_ref is not None and time_ref is not para_default:
            intro_time = replace(time_ref, rule="section intro")
        first_para = False
        if (time_ref is not None and time_ref.year is not None and not time_ref.goal
                and time_ref.period == str(time_ref.year)):
            year_before = time_ref
    raws = written_region_names(ntext, fullest_park_names(raws, article_entities),
                                article_entities)
    return company_industries(ntext, raws, article_entities)


_FULL_STOP = re.compile(r"[。！？!?]")
# 过去的一年，… opening a section: the section reviews the year before the report's date
# a comparison with the year before presupposes a year: 比上年增长, 较上年, 同比
_YEAR_ON_YEAR = re.compile(r"(?:比|较)(?:上年|去年|上一年)|同比")
_PAST_YEAR_WORDS = ("过去的一年", "过去一年")


def _reviews_past_year(ref: TimeRef | None) -> bool:
    return ref is not None and ref.dated and ref.period_text.startswith(_PAST_YEAR_WORDS)


@cache
def _cluster_references() -> tuple[str, ...]:
    return words().cluster_references


def _bracket_close(text: str, pos: int, lo: int, hi: int) -> int | None:
    """Where the bracket that pos stands inside closes (（其中2019年投入2.4亿元）), if it
    opens in [lo, pos) and closes before hi; else None."""
    opened = max(text.rfind("（", lo, pos), text.rfind("(", lo, pos))
    if opened < 0 or max(text.rfind("）", opened, pos), text.rfind(")", opened, pos)) >= 0:
        return None
    ends = [i for i in (text.find("）", pos, hi), text.find(")", pos, hi)) if i >= 0]
    return min(ends) if ends else None
# A paragraph that is a numbered item of a list: 1、 (一) 一是 第一，
_ITEM_MARK = re.compile(
    r"\s*(?:\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]"
    r"|第[一二三四五六七八九十]{1,3}[，,、])"
)
# How far past a ；-clause to look for the full stop that ends its sentence: sentences are
# shorter; a 400,000-character line without one must not be rescanned for every clause.
_SENTENCE_REACH = 400


def _raw_record(
    doc: str, source: str, norm: NormalisedText, sent: Sentence, q: Quantity,
    link: MetricLink, time: TimeRef | None, status: str, subj: Subject,
    evidence: dict[str, Any],
) -> dict[str, Any]:
    start, end = norm.source_span(q.start, q.end)
    # a figure cut by a line break (1.07亿⏎美元) is written up to the break (RECORDS.md)
    cut = source.find("\n", start, end)
    if cut > start:
        end = len(source[start:cut].rstrip())
        end += start
    c_start = clause_start(norm.text, q.start, sent.start)
    c_end = clause_end(norm.text, q.end, sent.end)
    quote_start, quote_end = norm.source_span(c_start, max(c_end, c_start + 1))
    value, low, high = q.value, q.low, q.high
    if link.falls:  # a fall is negative (同比下降5.2% → -5.2); a range turns round (-5…-3)
        value = None if value is None else -value
        low, high = (None if high is None else -high), (None if low is None else -low)
    return {
        "doc": doc,
        "start": start,
        "end": end,
        "quote": source[quote_start:quote_end].strip() or source[start:end],
        "value_text": source[start:end],
        "value": None if value is None else round_value(value),
        "value_low": None if low is None else round_value(low),
        "value_high": None if high is None else round_value(high),
        "qualifier": q.qualifier,
        "unit": q.unit,
        "metric": link.metric,
        "metric_text": link.metric_text,
        "measure": link.measure,
        "year": time.year if time else None,
        "period": time.period if time else None,
        "period_text": (time.period_text or None) if time else None,
        "status": status,
        "region": subj.region,
        "park": subj.park,
        "cluster": link.part or (
            None if sector_of_metric(subj.cluster, link.metric) else subj.cluster),
        "company": subj.company,
        "evidence": {k: v for k, v in evidence.items() if v is not None},
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
    time limit (etl/extract/deadline.py) does not charge the first document for them."""
    extract_text("warm-up.txt", "2012年，全区完成工业总产值50亿元。")


def extract_file(path: Path) -> ExtractedDocument:
    """Read and extract one file; its records' `doc` is its name as valid Unicode."""
    return extract_source(stored_name(path.name), read_report(path))
