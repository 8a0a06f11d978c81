"""The stages that give the text its shape: normalise, then segment into articles,
paragraphs and sentences."""

from __future__ import annotations

from etl.extract.doc import Doc, DocArticle, DocSentence, Paragraph
from etl.extract.link_subject import is_heading
from etl.extract.normalise import normalise as normalise_text
from etl.extract.segment import Article, paragraphs, sentences, split_articles


def normalise(doc: Doc) -> Doc:
    """Full-width digits and punctuation to half-width (ＧＤＰ２３．５亿元 → GDP23.5亿元),
    keeping the map back to the source for spans."""
    doc.norm = normalise_text(doc.source)
    return doc


def segment(doc: Doc) -> Doc:
    """Articles (a file may hold several), their paragraphs — headings marked — and the
    sentences of each paragraph, boilerplate lines (责任编辑：…) left out."""
    text = doc.text
    doc.articles = []
    for article in split_articles(text):
        # a title is a heading line (a first line of prose is no title to date a report by)
        title_at = (text.find(article.title, article.start, article.end)
                    if article.title and is_heading(article.title) else -1)
        paras: list[Paragraph] = []
        for start, end in paragraphs(text, article.start, article.end):
            if is_heading(text[start:end]):
                paras.append(Paragraph(start, end, heading=True, sentences=[]))
                continue
            paras.append(Paragraph(start, end, heading=False, sentences=[
                DocSentence(s, text[s.start : s.end]) for s in sentences(text, start, end)
                if not _in_boilerplate(article, s.start)
            ]))
        doc.articles.append(DocArticle(
            article, paras, title_at,
            title_at + len(article.title) if title_at >= 0 else -1,
        ))
    return doc


def _in_boilerplate(article: Article, pos: int) -> bool:
    return any(a <= pos < b for a, b in article.boilerplate)
