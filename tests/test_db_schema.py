"""Migrations go up and down, and the schema's CHECK constraints hold the record contract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from etl.store import db

pytestmark = pytest.mark.db

TABLES = {
    "metric", "unit", "region", "park", "cluster", "company", "entity_alias",
    "source_document", "observation", "load_run", "rejected_record",
}


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_upgrade_downgrade_upgrade(empty_db: str) -> None:
    db.upgrade(empty_db)
    assert _tables(empty_db) >= TABLES
    assert db.current_revision(empty_db) is not None
    db.downgrade(empty_db)
    assert _tables(empty_db) & TABLES == set()
    assert db.current_revision(empty_db) is None
    db.upgrade(empty_db)
    assert _tables(empty_db) >= TABLES


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(db_url) as c:
        run = c.execute("INSERT INTO load_run (extractor_version, parkstat_version)"
                        " VALUES ('t', 't') RETURNING id").fetchone()
        assert run is not None
        c.execute(
            "INSERT INTO source_document (name, path, sha256, size, encoding, extractor_version,"
            " text, load_run_id) VALUES ('d.txt', 'd.txt', %s, 1, 'utf-8', 't', 'x', %s)",
            ("0" * 64, run[0]),
        )
        c.commit()
        yield c


def _insert(conn: psycopg.Connection, **over: Any) -> None:
    row: dict[str, Any] = {
        "value": 1, "value_low": None, "value_high": None, "qualifier": "exact",
        "measure": "level", "status": "actual", "year": 2010, "span_start": 0, "span_end": 3,
    }
    row.update(over)
    conn.execute(
        """INSERT INTO observation (document_id, seq, load_run_id, metric_code, unit_code,
             value, value_low, value_high, qualifier, measure, status, year,
             value_text, span_start, span_end, quote)
           SELECT d.id, 0, d.load_run_id, 'gdp', 'CNY', %(value)s, %(value_low)s,
             %(value_high)s, %(qualifier)s, %(measure)s, %(status)s, %(year)s,
             '1亿元', %(span_start)s, %(span_end)s, 'q'
           FROM source_document d""",
        row,
    )


@pytest.mark.parametrize("bad", [
    {"qualifier": "range"},                                          # range with a value
    {"value": None},                                                  # no value, not range
    {"qualifier": "range", "value": None, "value_low": 5, "value_high": 3},
    {"value_low": 1, "value_high": 2},                                # bounds without range
    {"span_start": 5, "span_end": 5},
    {"year": 1948},
    {"year": 2101},
    {"status": "guess"},
])
def test_check_constraints_reject(conn: psycopg.Connection, bad: dict[str, Any]) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        _insert(conn, **bad)
    conn.rollback()


def test_target_and_actual_and_repeats_coexist(conn: psycopg.Connection) -> None:
    _insert(conn, status="actual")
    _insert(conn, status="target")
    _insert(conn, status="actual")
    _insert(conn, qualifier="range", value=None, value_low=3, value_high=5)
    conn.commit()
    row = conn.execute("SELECT count(*) FROM observation").fetchone()
    assert row is not None and row[0] == 4
