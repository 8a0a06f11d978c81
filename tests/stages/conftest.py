"""Helpers for the stage tests: run the registered stages up to one and look at its layer.

Each module in this folder tests one stage (etl/extract/stages) on sentences written for it,
through `upto(text, stage_name)`: the stages before it run as they do in extraction, so a
test sees exactly what that stage hands on.
"""

from __future__ import annotations

from collections.abc import Iterator

from etl.extract.doc import Doc, DocSentence, Figure
from etl.extract.stages import run


def upto(text: str, stage_name: str) -> Doc:
    """The document after the registered stages through `stage_name`."""
    return run(Doc("t.txt", text), until=stage_name)


def sentences(doc: Doc) -> list[DocSentence]:
    """Every sentence of every article, in reading order."""
    return [s for a in doc.article_list() for _, s in a.sentences()]


def figures(doc: Doc) -> list[Figure]:
    """Every figure, in reading order."""
    return [f for *_, f in doc.figures()]


def written(doc: Doc, start: int, end: int) -> str:
    """The normalised text of a span (what a quantity or entity covers)."""
    return doc.text[start:end]


def figure_texts(doc: Doc) -> list[str]:
    return [written(doc, f.quantity.start, f.quantity.end) for f in figures(doc)]


def by_text(doc: Doc) -> Iterator[tuple[str, Figure]]:
    for f in figures(doc):
        yield written(doc, f.quantity.start, f.quantity.end), f
