"""The registered extraction stages, in order, and the loop that runs them.

`run(doc)` is all of extraction: each stage is a named `Stage` (etl/extract/doc.py)
that checks what it needs, adds its layer and hands the document on. `profile` adds
each stage's time to a dict (`parkstat extract --profile`).
"""

from __future__ import annotations

import time

from etl.extract import deadline
from etl.extract.doc import Doc, Stage
from etl.extract.stages.dates import link_time
from etl.extract.stages.figures import figure_rules, quantities
from etl.extract.stages.mentions import mentions
from etl.extract.stages.metric import link_metric
from etl.extract.stages.records import figure_subjects, records
from etl.extract.stages.subjects import link_subject
from etl.extract.stages.text import normalise, segment

STAGES: tuple[Stage, ...] = (
    Stage("normalise", normalise, ("text",), ("normalised",),
          "full-width to half-width, with the map back to the source"),
    Stage("segment", segment, ("normalised",), ("articles",),
          "articles, paragraphs (headings marked), sentences; boilerplate left out"),
    Stage("quantities", quantities, ("articles",), ("quantities",),
          "every amount, count, share and growth, by sentence"),
    Stage("figure_rules", figure_rules, ("quantities",), ("figures",),
          "the quantities that are figures (not dates, ranks, list numbers)"),
    Stage("mentions", mentions, ("articles",), ("mentions",),
          "places, parks, clusters and companies named"),
    Stage("link_metric", link_metric, ("figures", "mentions"), ("metric",),
          "what each figure measures: metric, measure, sign"),
    Stage("link_time", link_time, ("figures", "mentions"), ("time",),
          "the year or period of each figure, and its status"),
    Stage("link_subject", link_subject, ("metric", "mentions"), ("subject",),
          "the region, park, cluster and company of each figure"),
    Stage("records", records, ("metric", "time", "subject"), ("records",),
          "one raw record per figure and metric, with its evidence"),
    Stage("figure_subjects", figure_subjects, ("records", "mentions"), ("record_subjects",),
          "names made whole across the article"),
)


def stage(name: str) -> Stage:
    """The registered stage of that name (KeyError if none)."""
    for s in STAGES:
        if s.name == name:
            return s
    raise KeyError(name)


def profile_lines(profile: dict[str, float]) -> list[str]:
    """The profile as a table, steps in pipeline order: reading, each stage, validation.

    stage              seconds  share
    read                  0.05   1.2%
    normalise             0.10   2.4%
    …
    total                 4.20 100.0%
    """
    order = ["read", *(s.name for s in STAGES), "validate"]
    total = sum(profile.values()) or 1.0
    lines = [f"{'stage':<16} {'seconds':>9} {'share':>6}"]
    for name in [*order, *sorted(set(profile) - set(order))]:
        if name in profile:
            lines.append(f"{name:<16} {profile[name]:9.2f} {profile[name] / total:6.1%}")
    lines.append(f"{'total':<16} {sum(profile.values()):9.2f} {1:6.1%}")
    return lines


def run(doc: Doc, until: str | None = None, profile: dict[str, float] | None = None) -> Doc:
    """Run the registered stages over `doc` in order, through `until` when given (a test
    of one stage runs the ones before it)."""
    if until is not None:
        stage(until)  # KeyError for a stage that is not registered
    for s in STAGES:
        deadline.check()
        started = time.perf_counter()
        s(doc)
        if profile is not None:
            profile[s.name] = profile.get(s.name, 0.0) + time.perf_counter() - started
        if s.name == until:
            break
    return doc
