"""The link_metric stage: what each figure measures (metric, measure, a fall, a part)."""

from __future__ import annotations

from etl.extract import deadline
from etl.extract.doc import Doc
from etl.extract.link_metric import MetricLink, SentenceFigures, link_sentence
from etl.extract.mentions import word_ends


def link_metric(doc: Doc) -> Doc:
    """Link each sentence's figures to metrics. Within a paragraph it carries the last
    count and the last amount forward (…引进项目12个，总投资50亿元，其中外资项目3个):
    a 其中 part or a share refers back to them."""
    text = doc.text
    for article in doc.article_list():
        for para in article.paragraphs:
            deadline.check()  # PARKSTAT_MAX_EXTRACT_SECONDS where no timer can interrupt
            carried_count: MetricLink | None = None
            carried_level: MetricLink | None = None
            previous_level: MetricLink | None = None  # the last amount before a full stop
            for sent in para.sentences:
                figures = sent.figures or []
                entities = sent.entities or []
                if figures:
                    links = link_sentence(
                        SentenceFigures(text, sent.start, sent.end,
                                        [f.quantity for f in figures]),
                        # a company's name holds no metric word (南阳鑫众投资公司)
                        masked=[(e.start, e.end) for e in entities if e.kind == "company"],
                        names=[(e.start, e.end) for e in entities],
                        # 纺织|工业总产值: no metric word starts inside an industry's name
                        industries=[(e.start, e.end, word_ends(text, e))
                                    for e in entities if e.kind == "cluster"],
                        carried_count=carried_count,
                        carried_level=carried_level,
                        previous_level=previous_level,
                    )
                    for fig, fig_links in zip(figures, links, strict=True):
                        fig.links = fig_links
                    amounts = [f.links[0] for f in figures
                               if f.quantity.unit not in ("percent", "percentage_point")]
                    carried_level = amounts[-1] if amounts else carried_level
                    counts = [f.links[0] for f in figures if f.quantity.unit == "count"]
                    carried_count = counts[-1] if counts else carried_count
                if sent.full_stop:
                    previous_level, carried_level = carried_level, None
    return doc
