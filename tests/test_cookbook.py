"""Every ```sql block of docs/ANALYSTS.md runs, as the read-only role, on the loaded
corpus, and gives the columns it promises; those that must find something do (with the
corpus; on seeds/reports alone only the shape is checked). No exact numbers: the
extractor changes independently."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from etl.paths import PROJECT_ROOT
from tests.conftest import HAVE_CORPUS

pytestmark = pytest.mark.db

COOKBOOK = PROJECT_ROOT / "docs" / "ANALYSTS.md"
BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.M)

# name -> (columns, non-empty on the corpus)
EXPECT: dict[str, tuple[list[str], bool]] = {
    "parks_by_planned_area": (["province_name", "prefecture_name", "park_name",
                               "planned_area_km2", "statements", "disagrees"], True),
    "targets_vs_actuals_by_cluster": (["cluster_name", "metric_code", "metric_name_zh",
                                       "measure", "unit_code", "year", "target", "actual",
                                       "estimate"], True),
    "industrial_growth_by_region_year": (["province_name", "region_name", "year",
                                          "metric_name_zh", "growth_pct", "statements"], True),
    "figures_about_a_park": (["metric_name_zh", "measure", "status", "year", "value_text",
                              "value", "unit_code", "document_title", "quote", "span_start",
                              "span_end"], True),
    "statements_that_disagree": (["metric_name_zh", "measure", "status", "year", "subject",
                                  "statements", "documents", "min_value", "max_value",
                                  "spread_pct", "preferred_value"], True),
    "statements_behind_a_series": (["series_key", "value_text", "value", "qualifier",
                                    "document_name", "quote"], True),
    "enterprises_per_park": (["park_name", "province_name", "status", "year", "enterprises",
                              "min_value", "max_value", "statements"], True),
    "top_metrics_per_document": (["document_name", "document_title", "metric_code",
                                  "metric_name_zh", "records"], True),
    "records_by_province": (["province", "status", "records", "regions"], True),
    "money_in_yi_yuan": (["prefecture_name", "region_name", "park_name", "metric_name_zh",
                          "status", "year", "yi_yuan", "value_text"], True),
    "investment_by_prefecture_star": (["province_name", "prefecture_name", "metric_name_zh",
                                       "status", "records", "total_yi_yuan"], True),
    "targets_by_year": (["year", "period", "subject", "metric_name_zh", "value_text",
                         "interval_low", "interval_high", "unit_code", "document_title"], True),
    "open_ended_figures": (["qualifier", "metric_name_zh", "records", "lowest_bound",
                            "highest_bound", "unit_code"], True),
    "shares": (["subject", "metric_name_zh", "year", "share_pct", "quote"], True),
    "five_year_plan_figures": (["period", "status", "metric_name_zh", "records",
                                "median_value", "unit_code"], False),
    "documents_overview": (["document_name", "document_title", "document_date", "records",
                            "quarantined", "text_chars", "loaded_at"], True),
    "metric_usage": (["metric_code", "metric_name_zh", "metric_name_en",
                      "canonical_unit_code", "records", "actuals", "targets", "estimates"], True),
    "figures_by_sector": (["sector_code", "sector_name", "records", "industries"], True),
    "provisional_parks": (["park_id", "park_name", "region_name", "aliases", "records"], False),
}


def _blocks() -> list[tuple[str, str]]:
    out = []
    for body in BLOCK.findall(COOKBOOK.read_text(encoding="utf-8")):
        m = NAME.search(body)
        assert m, f"a ```sql block without a `-- name:` marker:\n{body}"
        out.append((m[1], body))
    return out


BLOCKS = _blocks()


def test_cookbook_has_its_questions() -> None:
    names = [n for n, _ in BLOCKS]
    assert len(names) == len(set(names)), "duplicate names"
    assert len(names) >= 12
    assert set(names) == set(EXPECT), "EXPECT and docs/ANALYSTS.md disagree"


@pytest.fixture(scope="module")
def reader(corpus_db: str) -> Iterator[psycopg.Connection]:
    """As the analysts' role: the queries may use nothing a reader cannot see."""
    with psycopg.connect(corpus_db) as c:
        c.read_only = True
        c.execute("SET ROLE parkstat_reader")
        yield c


def _run(conn: psycopg.Connection, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    try:
        cur = conn.execute(query)
        return [d.name for d in cur.description or ()], cur.fetchall()
    finally:
        conn.rollback()
        conn.execute("SET ROLE parkstat_reader")


@pytest.mark.parametrize(("name", "query"), BLOCKS, ids=[n for n, _ in BLOCKS])
def test_cookbook_query(reader: psycopg.Connection, name: str, query: str) -> None:
    columns, rows = _run(reader, query)
    expected, non_empty = EXPECT[name]
    assert columns == expected
    if non_empty and HAVE_CORPUS:
        assert rows, f"{name} found nothing in the corpus"


def test_cookbook_invariants(reader: psycopg.Connection) -> None:
    queries = dict(BLOCKS)
    _, parks = _run(reader, queries["parks_by_planned_area"])
    assert all(r[0] == "河南省" and r[3] > 0 for r in parks)
    assert [r[3] for r in parks] == sorted((r[3] for r in parks), reverse=True)
    _, disagree = _run(reader, queries["statements_that_disagree"])
    assert all(r[5] >= 2 and r[7] < r[8] for r in disagree)
    _, top = _run(reader, queries["top_metrics_per_document"])
    per_doc: dict[str, int] = {}
    for r in top:
        per_doc[r[0]] = per_doc.get(r[0], 0) + 1
    _, docs = _run(reader, queries["documents_overview"])
    # One page each: the 20 (top metrics) and the 50 (overview) documents loaded last.
    assert set(per_doc) == {d[0] for d in docs[:20] if d[3] > 0}
    assert all(n <= 3 for n in per_doc.values())
    _, usage = _run(reader, queries["metric_usage"])
    _, by_province = _run(reader, queries["records_by_province"])
    assert sum(r[4] for r in usage) == sum(r[2] for r in by_province) == sum(d[3] for d in docs)
    _, shares = _run(reader, queries["shares"])
    assert all(r[3] is None or r[3] >= 0 for r in shares)
