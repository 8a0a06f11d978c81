"""Revision 0011's summaries stay what a full recomputation gives: `bi.series_value` (from
public.series_summary) equals 0002's definition computed over every observation, and
`bi.record_count` equals counting the records — after a first load, a re-load of a
changed document, an entity merge (an UPDATE of observations), a deleted document and a
TRUNCATE. Also period_start / period_end."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import psycopg
import pytest

from etl.paths import PROJECT_ROOT
from etl.store.db import Database
from etl.store.load import load_paths

pytestmark = pytest.mark.db

_spec = importlib.util.spec_from_file_location(
    "m0011", PROJECT_ROOT / "migrations" / "versions"
    / "0011_foreign_keys_periods_series_summary.py")
assert _spec and _spec.loader
M0011: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(M0011)

COLUMNS = ("series_key, metric_code, measure, status, unit_code, region_id, park_id,"
           " cluster_id, company_id, year, period, statements, documents, min_value,"
           " max_value, spread_pct, disagrees, median_value, preferred_value, preferred_rule,"
           " preferred_document_name, preferred_document_date")


def _same_as_full_recomputation(conn: psycopg.Connection) -> int:
    kept = conn.execute(f"SELECT {COLUMNS} FROM bi.series_value ORDER BY 1").fetchall()
    full = conn.execute(f"SELECT {COLUMNS} FROM ({M0011.SERIES_VALUE_0002}) v ORDER BY 1"
                        ).fetchall()
    assert kept == full
    counted = conn.execute("""
        SELECT d, k, status, count(*) FROM observation o
        CROSS JOIN LATERAL (VALUES ('metric', o.metric_code),
            ('region', COALESCE(o.region_id::text, '')),
            ('park', COALESCE(o.park_id::text, '')),
            ('cluster', COALESCE(o.cluster_id::text, ''))) v(d, k)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""").fetchall()
    tallied = conn.execute("SELECT dimension, key, status, records FROM observation_tally"
                           " ORDER BY 1, 2, 3").fetchall()
    assert tallied == counted
    return len(kept)


def test_summaries_follow_loads_merges_deletes(db_url: str, reports: Path) -> None:
    summary = load_paths([reports], Database(db_url))
    assert summary.records_loaded > 0
    with psycopg.connect(db_url) as c:
        assert _same_as_full_recomputation(c) > 0
        # A series stated by two documents that disagree, then one of them changed.
        c.execute("""UPDATE observation SET value = value * 2
                     WHERE id = (SELECT min(id) FROM observation WHERE value > 0)""")
        _same_as_full_recomputation(c)
        c.commit()

    # A changed document re-loaded: its old observations deleted, the new ones inserted.
    first = sorted(reports.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n全区完成地区生产总值23.5亿元。\n",
                     encoding="utf-8")
    assert load_paths([reports], Database(db_url)).documents_changed == 1
    with psycopg.connect(db_url) as c:
        _same_as_full_recomputation(c)
        # An entity merge moves observations from one park to another (an UPDATE).
        parks = [r[0] for r in c.execute(
            "SELECT DISTINCT park_id FROM observation WHERE park_id IS NOT NULL"
            " ORDER BY 1 LIMIT 2")]
        if len(parks) == 2:
            c.execute("UPDATE observation SET park_id = %s WHERE park_id = %s",
                      (parks[0], parks[1]))
            _same_as_full_recomputation(c)
        c.execute("DELETE FROM source_document WHERE id = (SELECT min(id) FROM"
                  " source_document)")
        _same_as_full_recomputation(c)
        c.execute("TRUNCATE observation")
        assert _same_as_full_recomputation(c) == 0


def test_period_start_and_end(db_url: str) -> None:
    with psycopg.connect(db_url) as c:
        rows = c.execute("""
            SELECT p, bi.period_start(p, y)::text, bi.period_end(p, y)::text
            FROM (VALUES ('2008', 2008), ('2008-H1', 2008), ('2008-H2', 2008),
                         ('2012-Q3', 2012), ('2012-05', 2012), ('2006/2010', 2010),
                         ('2012-01/2012-05', 2012), (NULL, 2015), (NULL, NULL),
                         ('2012-13', NULL)) v(p, y)""").fetchall()
    assert rows == [
        ("2008", "2008-01-01", "2008-12-31"), ("2008-H1", "2008-01-01", "2008-06-30"),
        ("2008-H2", "2008-07-01", "2008-12-31"), ("2012-Q3", "2012-07-01", "2012-09-30"),
        ("2012-05", "2012-05-01", "2012-05-31"), ("2006/2010", "2006-01-01", "2010-12-31"),
        ("2012-01/2012-05", "2012-01-01", "2012-05-31"), (None, "2015-01-01", "2015-12-31"),
        (None, None, None), ("2012-13", None, None)]
