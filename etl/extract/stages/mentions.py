"""The mentions stage: the places, parks, clusters and companies each article names."""

from __future__ import annotations

from etl.extract.doc import Doc
from etl.extract.mentions import ArticleEntities, is_dateline


def mentions(doc: Doc) -> Doc:
    """Scan each article once (ArticleEntities); each sentence takes its slice, without
    a news dateline's place (新华社北京3月5日电 is where it was written, not what of)."""
    text = doc.text
    for article in doc.article_list():
        found = ArticleEntities(text, article.article.start, article.article.end)
        article.entities = found
        for _, sent in article.sentences():
            sent.entities = [e for e in found.within(sent.start, sent.end)
                             if not is_dateline(text, e)]
    return doc
