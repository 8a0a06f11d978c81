"""The link_subject stage: the region, park, cluster and company each figure is of.

One `SubjectTracker` per article, changed here only: the article's subject (its title,
else what it names most), a heading's place (二、高新区), a section's opening subject, a
paragraph's run-in topic (电子信息产业：…), and the names each sentence mentions before
its figures.
"""

from __future__ import annotations

import re
from functools import cache

from etl.extract import deadline
from etl.extract.doc import Doc, DocArticle
from etl.extract.figure_subjects import of_the_counted, subjects_of
from etl.extract.link_subject import (
    ArticleSubject,
    Subject,
    SubjectTracker,
    article_subject,
    heading_park,
    heading_region,
    run_in_topic,
    section_subject,
)
from etl.extract.mentions import words

_FULL_STOP = re.compile(r"[。！？!?]")
# How far past a ；-clause to look for the full stop that ends its sentence: sentences are
# shorter; a 400,000-character line without one must not be rescanned for every clause.
_SENTENCE_REACH = 400


def link_subject(doc: Doc) -> Doc:
    for article in doc.article_list():
        _article_subjects(doc.text, article)
    return doc


def _article_subjects(text: str, article: DocArticle) -> None:
    a = article.article
    entities = article.mentions()
    tracker = SubjectTracker(article_subject(text, a.start, a.end, a.title, entities), text)
    after_heading = False
    for para in article.paragraphs:
        deadline.check()
        if para.heading:
            # the title is the article's subject already (article_subject read it)
            line = text[para.start : para.end]
            is_title = para.start <= article.title_at < para.end  # (after 第二篇：, say)
            region = heading_region(line) if not is_title else None
            park = heading_park(line) if not is_title else None
            if region is not None and region != tracker.article.region:
                tracker.article = ArticleSubject(region=region, park=park)
            elif park is not None:
                tracker.article = ArticleSubject(region=tracker.article.region, park=park)
            after_heading = True
            continue
        if after_heading:
            opened = section_subject(text, para.start, entities, tracker.article)
            if opened is not None:
                tracker.article = opened
            after_heading = False
        last_count: tuple[str, Subject] | None = None
        tracker.reset()
        topic = run_in_topic(text, para.start, entities)
        if topic is not None:
            tracker.open_on(topic)
        for sent in para.sentences:
            opening = sent.text.lstrip()
            if opening.startswith(_cluster_references()):  # 上述产业…: the clusters named
                tracker.refer_back()
            if opening.startswith(words().part_openers) and (
                    sent.start == para.start or text[sent.start - 1] in "。！？!?"):
                tracker.open_part()
            figures = sent.figures or []
            if figures:
                reach = min(para.end, sent.end + _SENTENCE_REACH)
                stop = _FULL_STOP.search(text, sent.start, reach)
                rest = [e for e in entities.within(sent.end, stop.end() if stop else reach)
                        if e.kind == "park"]
                links = [f.links for f in figures]
                subjects = subjects_of(text, tracker, sent.entities or [],
                                       [f.quantity for f in figures], links, rest)
                subjects = [  # 园区…17.5亿元，五大产业…22亿元，分别占…75%和91%
                    subjects[ls[0].about] if ls[0].about is not None else subj
                    for ls, subj in zip(links, subjects, strict=True)
                ]
                for fig, subj in zip(figures, subjects, strict=True):
                    if fig.quantity.unit == "count":
                        subj = of_the_counted(text, fig.clause_start, fig.quantity,
                                              fig.links[0], subj, last_count)
                        last_count = (fig.links[0].metric, subj)
                    fig.subject = subj
            else:
                for e in sent.entities or []:
                    tracker.see(e)
            tracker.end_sentence(full_stop=sent.full_stop)


@cache
def _cluster_references() -> tuple[str, ...]:
    return words().cluster_references
