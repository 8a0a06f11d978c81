"""The stages that write records: one raw record per figure and metric, with the
evidence for its subject, year and status; then the names made whole across the
article (a park's fullest name, a region as the report writes it, a company's
industry)."""

from __future__ import annotations

from typing import Any

from etl.extract.doc import Doc, DocArticle, DocSentence, Figure, Paragraph
from etl.extract.evidence import Where, name_evidence, status_evidence, year_evidence
from etl.extract.figure_subjects import (
    company_industries,
    fullest_park_names,
    written_region_names,
)
from etl.extract.link_metric import MetricLink, sector_of_metric
from etl.extract.link_subject import Subject
from etl.extract.numbers import round_value
from etl.extract.segment import clause_end, clause_start


def records(doc: Doc) -> Doc:
    for article in doc.article_list():
        article.records = [
            raw
            for para, sent in article.sentences()
            for fig in sent.figures or ()
            for raw in _figure_records(doc, article, para, sent, fig)
        ]
    return doc


def figure_subjects(doc: Doc) -> Doc:
    """Across the article: 高新区 → 某某高新技术产业开发区 where the article names it
    whole; a region as the report writes it; a company's industry where it is named."""
    text = doc.text
    for article in doc.article_list():
        entities = article.mentions()
        raws = written_region_names(text, fullest_park_names(article.records or [], entities),
                                    entities)
        article.records = company_industries(text, raws, entities)
    return doc


def _figure_records(doc: Doc, article: DocArticle, para: Paragraph, sent: DocSentence,
                    fig: Figure) -> list[dict[str, Any]]:
    text, source = doc.text, doc.source
    span = doc.norm.source_span if doc.norm else None
    assert span is not None and fig.subject is not None and fig.status is not None
    q, subj, current = fig.quantity, fig.subject, fig.time
    a = article.article
    where = Where((sent.start, sent.end), para.start, (a.start, a.end),
                  article.title_at, article.title_end)
    evidence = {
        "region": name_evidence(subj.region, "region", text, source, span, where, q.start,
                                subj.park),
        "park": name_evidence(subj.park, "park", text, source, span, where, q.start),
        "year": year_evidence(current, text, source, span, a.date_evidence,
                              article.date_from_title),
        "status": status_evidence(fig.status, text, source, span, fig.clause_start,
                                  q.start, sent.start, fig.frame, current,
                                  figure_end=q.end),
    }
    return [_raw_record(doc, sent, fig, link, subj, evidence) for link in fig.links]


def _raw_record(doc: Doc, sent: DocSentence, fig: Figure, link: MetricLink, subj: Subject,
                evidence: dict[str, Any]) -> dict[str, Any]:
    assert doc.norm is not None
    norm, source, q, time = doc.norm, doc.source, fig.quantity, fig.time
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
        "doc": doc.name,
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
        "status": fig.status,
        "region": subj.region,
        "park": subj.park,
        "cluster": link.part or (
            None if sector_of_metric(subj.cluster, link.metric) else subj.cluster),
        "company": subj.company,
        "evidence": {k: v for k, v in evidence.items() if v is not None},
    }
