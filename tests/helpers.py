"""What several test files share: reading records off `extract_text`, and stand-ins for the
extractor's output (subjects a test chooses, a record that fails validation) — so that a
loader test decides what reaches the database without depending on the linking rules."""

from __future__ import annotations

from typing import Any

import pytest

import etl.extract.pipeline
from etl.extract.pipeline import TextExtraction, extract_text
from etl.extract.record import Record

SUBJECTS = ("region", "park", "cluster", "company")
# Three or more figures, and no region names: context comes only from what a test adds.
BODY = ("全区完成ＧＤＰ２３．５亿元，同比增１５％；完成工业总产值６８．２亿元，"
        "同比增长２１．３％；财政收入３．１亿元，增长１８％。\n")


def records(text: str) -> list[Record]:
    _, recs, rejected = extract_text("t.txt", text)
    assert not rejected, [r.reason for r in rejected]
    return recs


def fields(text: str, *names: str) -> list[tuple[Any, ...]]:
    return [(r.value_text, *(getattr(r, n) for n in names)) for r in records(text)]


def choose_subjects(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, str]]]:
    """doc name → subjects; record i of that doc gets subjects[i % len] (others None)."""
    table: dict[str, list[dict[str, str]]] = {}
    real = etl.extract.pipeline.extract_raw

    def with_subjects(
        doc: str, text: str, profile: dict[str, float] | None = None,
    ) -> TextExtraction:
        out = real(doc, text, profile)
        chosen = table.get(doc)
        if not chosen:
            return out
        raws = [{**r, **dict.fromkeys(SUBJECTS), **chosen[i % len(chosen)]}
                for i, r in enumerate(out.raw_records)]
        return TextExtraction(out.title, out.stated_date, raws)

    monkeypatch.setattr(etl.extract.pipeline, "extract_raw", with_subjects)
    return table


def add_a_bad_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document also gives one record that fails validation (unit `furlong`)."""
    real = etl.extract.pipeline.extract_raw

    def with_a_bad_record(
        doc: str, text: str, profile: dict[str, float] | None = None,
    ) -> TextExtraction:
        out = real(doc, text, profile)
        bad = {"doc": doc, "start": 0, "end": 2, "quote": text[:2], "value_text": text[:2],
               "value": 1.0, "value_low": None, "value_high": None, "qualifier": "exact",
               "unit": "furlong", "metric": "other", "measure": "level", "status": "actual"}
        return TextExtraction(out.title, out.stated_date, [*out.raw_records, bad])

    monkeypatch.setattr(etl.extract.pipeline, "extract_raw", with_a_bad_record)
