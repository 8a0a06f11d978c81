"""The span invariant on real reports: every record points at its figure as written.

For every record `extract_file` returns: `source[start:end] == value_text`, the quote is
verbatim source text around the span and contains the value, and the record validates.
Runs on ../shared/corpus (marker `corpus`, skipped when the corpus is absent) and on the
sample reports in seeds/reports (always).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.extract.pipeline import extract_file
from etl.extract.record import Record

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
SAMPLES_DIR = REPO_ROOT / "seeds" / "reports"


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix == ".txt")


def _quote_around(source: str, quote: str, start: int, end: int) -> bool:
    """Some occurrence of the quote in the source covers [start, end)."""
    pos = source.find(quote)
    while pos >= 0:
        if pos <= start and end <= pos + len(quote):
            return True
        pos = source.find(quote, pos + 1)
    return False


def check_file(path: Path) -> int:
    doc = extract_file(path)
    source = doc.source.text
    assert not doc.rejected, [(r.raw.get("value_text"), r.reason) for r in doc.rejected]
    for rec in doc.records:
        where = f"{path.name}:{rec.start} {rec.value_text!r}"
        assert rec.doc == path.name
        assert source[rec.start : rec.end] == rec.value_text, where
        assert rec.value_text in rec.quote, where
        assert rec.quote in source, where
        assert _quote_around(source, rec.quote, rec.start, rec.end), where
        # validates again from its own dump (what the JSONL writer and the loader see)
        assert Record.model_validate(rec.model_dump()) == rec, where
    return len(doc.records)


CORPUS_FILES = _files(CORPUS_DIR)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS_DIR}")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_records_point_at_their_figures(path: Path) -> None:
    check_file(path)


@pytest.mark.corpus
def test_corpus_yields_records() -> None:
    if not CORPUS_FILES:
        pytest.skip(f"no corpus at {CORPUS_DIR}")
    assert sum(len(extract_file(p).records) for p in CORPUS_FILES) > 0


@pytest.mark.parametrize("path", _files(SAMPLES_DIR), ids=lambda p: p.name)
def test_sample_reports_records_point_at_their_figures(path: Path) -> None:
    assert check_file(path) > 0


def test_extraction_is_deterministic() -> None:
    files = CORPUS_FILES or _files(SAMPLES_DIR)
    path = files[0]
    assert extract_file(path).records == extract_file(path).records
