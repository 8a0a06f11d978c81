"""The one document every extraction stage reads and adds to, and the contract they keep.

Modelled on spaCy's `Language` pipeline: a stage is a named callable, `Doc` in and the
same `Doc` out, that declares the layers it needs and the layers it adds. The runner
(`etl.extract.stages.run`) refuses a stage whose needs no earlier stage added and one
that does not add what it declared, so a reordered or broken stage fails by its name
instead of as a wrong record three stages later.

The layers, in the order the registered stages add them:

| layer | added by | where it lives |
|---|---|---|
| `text` | the caller | `Doc.source` |
| `normalised` | normalise | `Doc.norm` (full-width → half-width, with the map back) |
| `articles` | segment | `Doc.articles`, their `paragraphs` and `sentences` |
| `quantities` | quantities | `Doc.quantities`, `DocSentence.quantities` |
| `figures` | figure_rules | `DocSentence.figures`: the quantities that are records |
| `mentions` | mentions | `DocArticle.entities`, `DocSentence.entities` |
| `metric` | link_metric | `Figure.links` |
| `time` | link_time | `Figure.time`, `Figure.status`, `Figure.frame`; `DocArticle.today` |
| `subject` | link_subject | `Figure.subject` |
| `records` | records | `DocArticle.records`: raw record dicts with their evidence |
| `record_subjects` | figure_subjects | the same records, names made whole across the article |

Every offset is into the normalised text (`Doc.text`); `records` maps spans back to
the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from etl.extract.link_metric import MetricLink
from etl.extract.link_subject import Subject
from etl.extract.link_time import TimeRef
from etl.extract.mentions import ArticleEntities, Entity
from etl.extract.normalise import NormalisedText
from etl.extract.quantities import Quantity
from etl.extract.segment import Article, Sentence


@dataclass
class Figure:
    """A quantity that is a record (one per metric it links to), and what the linking
    stages found for it."""

    quantity: Quantity
    clause_start: int  # where its clause opens (…，全区完成GDP23.5亿元 → at 全区)
    links: list[MetricLink] = field(default_factory=list)  # link_metric
    time: TimeRef | None = None  # link_time: the year or period it is of
    status: str | None = None  # link_time: actual / target / estimate
    frame: str | None = None  # link_time: the sentence's frame (预计…, 力争…), for evidence
    subject: Subject | None = None  # link_subject


@dataclass
class DocSentence:
    """A sentence (or a ；-clause) that is not boilerplate, with its layers."""

    span: Sentence
    text: str
    quantities: list[Quantity] = field(default_factory=list)
    figures: list[Figure] | None = None  # figure_rules
    entities: list[Entity] | None = None  # mentions: places, parks, clusters, companies

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def full_stop(self) -> bool:
        """Ends in 。！？: a year, a frame or a carried amount stops here."""
        return self.text.rstrip()[-1:] in "。！？!?"


@dataclass
class Paragraph:
    start: int
    end: int
    heading: bool  # 一、2012年工作回顾: dates and places what follows, holds no figure
    sentences: list[DocSentence]


@dataclass
class DocArticle:
    """One article of the document (a file may hold several), with its layers."""

    article: Article
    paragraphs: list[Paragraph]
    # where its title stands as a heading line, else -1 (a first line of prose is no title)
    title_at: int = -1
    title_end: int = -1
    entities: ArticleEntities | None = None  # mentions
    today: date | None = None  # link_time: what 今年 and 上年 are counted from
    date_from_title: bool = False  # link_time: today read off the title (…2012年上半年…)
    records: list[dict[str, Any]] | None = None  # records, then figure_subjects

    def mentions(self) -> ArticleEntities:
        """The article's entities; the stages that read them declare `mentions`, so the
        runner has checked they are there."""
        if self.entities is None:
            raise StageError("the article's mentions are not found yet: run the mentions stage")
        return self.entities

    def sentences(self) -> Iterator[tuple[Paragraph, DocSentence]]:
        for para in self.paragraphs:
            for sent in para.sentences:
                yield para, sent


@dataclass
class Doc:
    """A report on its way to records: `text` first, one layer per stage."""

    name: str
    source: str
    norm: NormalisedText | None = None
    articles: list[DocArticle] | None = None
    quantities: list[Quantity] | None = None
    layers: list[str] = field(default_factory=lambda: ["text"])

    @property
    def text(self) -> str:
        """The normalised text every offset indexes."""
        if self.norm is None:
            raise StageError("the text is not normalised yet: run the normalise stage first")
        return self.norm.text

    def article_list(self) -> list[DocArticle]:
        if self.articles is None:
            raise StageError("the text is not segmented yet: run the segment stage first")
        return self.articles

    def figures(self) -> Iterator[tuple[DocArticle, Paragraph, DocSentence, Figure]]:
        """Every figure in reading order, with where it stands."""
        for article in self.article_list():
            for para, sent in article.sentences():
                for fig in sent.figures or ():
                    yield article, para, sent, fig

    def raw_records(self) -> list[dict[str, Any]]:
        return [r for a in self.article_list() for r in a.records or ()]


class StageError(RuntimeError):
    """A stage broke the contract: it ran before what it needs, or did not add a layer it
    declared. A bug in the pipeline, never in the input."""


@dataclass(frozen=True)
class Stage:
    """A named step: `run(doc)` adds `adds` to a document that has `needs`."""

    name: str
    run: Callable[[Doc], Doc]
    needs: tuple[str, ...]
    adds: tuple[str, ...]
    doc: str = ""  # one line for `parkstat extract --profile` and the README's table

    def __call__(self, doc: Doc) -> Doc:
        missing = [layer for layer in self.needs if layer not in doc.layers]
        if missing:
            raise StageError(f"stage {self.name!r} needs {', '.join(missing)}, "
                             "which no earlier stage added")
        out = self.run(doc)
        if out is not doc:
            raise StageError(f"stage {self.name!r} returned another document")
        absent = [layer for layer in self.adds if not _CHECKS.get(layer, _present)(doc)]
        if absent:
            raise StageError(f"stage {self.name!r} did not add {', '.join(absent)}")
        doc.layers.extend(layer for layer in self.adds if layer not in doc.layers)
        return doc


def _present(doc: Doc) -> bool:
    return True


def _all_sentences(doc: Doc, test: Callable[[DocSentence], bool]) -> bool:
    return doc.articles is not None and all(
        test(s) for a in doc.articles for _, s in a.sentences())


def _all_figures(doc: Doc, test: Callable[[Figure], bool]) -> bool:
    return doc.articles is not None and all(test(f) for *_, f in doc.figures())


# How the runner sees that a stage added what it declared.
_CHECKS: dict[str, Callable[[Doc], bool]] = {
    "normalised": lambda d: d.norm is not None,
    "articles": lambda d: d.articles is not None,
    "quantities": lambda d: d.quantities is not None,
    "figures": lambda d: _all_sentences(d, lambda s: s.figures is not None),
    "mentions": lambda d: d.articles is not None and all(
        a.entities is not None for a in d.articles) and _all_sentences(
        d, lambda s: s.entities is not None),
    "metric": lambda d: _all_figures(d, lambda f: bool(f.links)),
    "time": lambda d: _all_figures(d, lambda f: f.status is not None),
    "subject": lambda d: _all_figures(d, lambda f: f.subject is not None),
    "records": lambda d: d.articles is not None and all(
        a.records is not None for a in d.articles),
}
