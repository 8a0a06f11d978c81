"""The stages that find the figures: every quantity in the text, then the ones that are
records (not a date, a rank, a list number or a phone number)."""

from __future__ import annotations

from bisect import bisect_left

from etl.extract.doc import Doc, Figure
from etl.extract.figure_rules import Context, rejection
from etl.extract.quantities import find_quantities
from etl.extract.segment import clause_start


def quantities(doc: Doc) -> Doc:
    """Every amount, count, share and growth the quantity grammar reads (23.5亿元, 15%,
    1亿8千万元), each given to the sentence it stands in."""
    found = find_quantities(doc.text)
    doc.quantities = found
    starts = [q.start for q in found]
    for article in doc.article_list():
        for _, sent in article.sentences():
            lo = bisect_left(starts, sent.start)
            hi = bisect_left(starts, sent.end, lo)
            sent.quantities = found[lo:hi]
    return doc


def figure_rules(doc: Doc) -> Doc:
    """Keep the quantities that are figures: 2012年 is a date, 第3名 a rank, 1、 an item."""
    text = doc.text
    for article in doc.article_list():
        for _, sent in article.sentences():
            ctx = Context(text, sent.start, sent.end)
            sent.figures = [
                Figure(q, clause_start(text, q.start, sent.start))
                for q in sent.quantities if rejection(ctx, q) is None
            ]
    return doc
