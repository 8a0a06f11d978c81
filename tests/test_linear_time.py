"""Issue 15, item 7: extraction time is linear in the clause, and a document that takes
too long fails alone (PARKSTAT_MAX_EXTRACT_SECONDS). benchmarks/bench_linear.py measures
25k…400k characters; here a quick check of the same ratio."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract import mentions
from etl.extract.pipeline import extract_text
from etl.extract.segment import clause_start
from tests.conftest import run_cli
from tests.fixtures_make import REPORT


def pathological(n: int) -> str:
    return "2012年，" + "全区" * n + "完成工业总产值50亿元。"


def _per_char(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        extract_text("t.txt", text)
        best = min(best, time.perf_counter() - t0)
    return best / len(text)


def test_one_long_clause_of_names_is_linear() -> None:
    """The old code re-read the clause from its start for every name: four times the
    names cost sixteen times as long (100k characters: 33 s)."""
    extract_text("warm.txt", pathological(100))
    small, large = _per_char(pathological(10_000)), _per_char(pathological(40_000))
    assert large < 2.5 * small, (small, large)  # quadratic: 4 ×
    _, records, _ = extract_text("t.txt", pathological(40_000))
    assert [r.value_text for r in records] == ["50亿元"]


_PIECES = [*mentions.words().clause_head_fillers, *mentions.words().self_words,
           *"年月日份上下半,，、（）()“” 0123。；其中全区省市园工业", "龙头企", "截至目"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.integers(0, 3), st.data())
def test_stands_at_head_answers_as_the_pattern_does(
        pieces: list[str], floor: int, data: st.DataObject) -> None:
    text = "".join(pieces)
    for pos in data.draw(st.permutations(range(len(text) + 1))):
        start = clause_start(text, pos, floor)
        m = mentions._head_pattern().match(text, start, pos)
        assert mentions.stands_at_head(text, pos, floor) == (m is not None and m.end() == pos)


@pytest.mark.db
def test_a_runaway_document_fails_alone(db_url: str, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(REPORT, d / "a_good.txt")
    (d / "b_slow.txt").write_text(pathological(200_000), encoding="utf-8")  # ≥ 4 s
    env = {"PARKSTAT_MAX_EXTRACT_SECONDS": "1.5"}
    t0 = time.monotonic()
    done = run_cli("load", str(d), "--json", "--workers", "2", database_url=db_url, env=env)
    assert time.monotonic() - t0 < 60
    summary = json.loads(done.stdout)
    assert (summary["documents_new"], summary["documents_failed"]) == (1, 1), done.stderr
    assert done.stderr.strip() == (f"{d / 'b_slow.txt'}: extraction stopped after 1.5 s "
                                   "(PARKSTAT_MAX_EXTRACT_SECONDS): the document takes too "
                                   "long to extract")
    extracted = run_cli("extract", str(d / "b_slow.txt"), "--out", str(tmp_path / "o"),
                        env=env)
    assert extracted.returncode == 1
    assert "extraction stopped after 1.5 s" in extracted.stderr
