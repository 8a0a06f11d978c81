"""The sample reports in seeds/reports are what `make demo` shows a new user first: every
figure in them must come out right. tests/gold/<stem>.jsonl holds their records written by
hand under ../shared/spec/RECORDS.md; this test scores the extractor against them the way
evaluate.py does (spans overlap, same unit, value within 0.5 %), then asks more: every
field right (period too), i.e. record F1 1.0.

The qinghe report reviews 2010 under the heading 一、去年工作回顾 of a report dated 2011年3月:
its 2010 figures are actuals of 2010, even in the sentence that mentions “十一五”规划目标. The
nanshan report's title (…2012年上半年经济运行情况) dates every figure in it."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from etl.extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "seeds" / "reports"
GOLD = Path(__file__).resolve().parent / "gold"

FIELDS = ("metric", "measure", "year", "period", "status", "qualifier")
SUBJECTS = ("region", "park", "cluster", "company")
REL_TOL = 0.005


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    fa, fb = float(a), float(b)
    return abs(fa - fb) <= REL_TOL * max(abs(fa), abs(fb))


def _same_quantity(g: dict[str, Any], p: dict[str, Any]) -> bool:
    if g["unit"] != p["unit"]:
        return False
    if g["qualifier"] == "range":
        return _close(g["value_low"], p["value_low"]) and _close(g["value_high"], p["value_high"])
    return _close(g["value"], p["value"])


def _name(s: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def _same_name(a: str | None, b: str | None) -> bool:
    """As evaluate.py: equal, or the shorter's characters appear in order in the longer."""
    x, y = sorted((_name(a), _name(b)), key=len)
    if not x:
        return x == y
    it = iter(y)
    return len(x) >= 2 and all(ch in it for ch in x)


def _wrong_fields(g: dict[str, Any], p: dict[str, Any]) -> list[str]:
    wrong = [f"{f}: {g[f]!r} ≠ {p[f]!r}" for f in FIELDS if g[f] != p[f]]
    wrong += [f"{f}: {g[f]!r} ≠ {p[f]!r}" for f in SUBJECTS if not _same_name(g[f], p[f])]
    return wrong


@pytest.mark.parametrize("stem", sorted(p.stem for p in GOLD.glob("*.jsonl")))
def test_sample_report_scores_record_f1_one(stem: str) -> None:
    gold = [json.loads(line) for line in (GOLD / f"{stem}.jsonl").read_text("utf-8").splitlines()]
    report = REPORTS / f"{stem}.txt"
    pred = [r.model_dump(mode="json") for r in extract_file(report).records]
    problems: list[str] = []
    unmatched = list(pred)
    for g in gold:
        candidates = [p for p in unmatched
                      if min(g["end"], p["end"]) > max(g["start"], p["start"])
                      and _same_quantity(g, p)]
        if not candidates:
            problems.append(f"missed {g['value_text']} ({g['quote']})")
            continue
        p = max(candidates, key=lambda p: min(g["end"], p["end"]) - max(g["start"], p["start"]))
        unmatched.remove(p)
        wrong = _wrong_fields(g, p)
        if wrong:
            problems.append(f"{g['value_text']} ({g['quote']}): " + "; ".join(wrong))
    problems += [f"extra {p['value_text']} ({p['quote']})" for p in unmatched]
    assert not problems, "\n".join(problems)


def test_every_sample_report_has_gold() -> None:
    """A sample report added to seeds/reports without gold would go unscored."""
    reports = {p.stem for p in REPORTS.iterdir() if p.is_file()}
    assert reports == {p.stem for p in GOLD.glob("*.jsonl")}
