"""The bi schema: every view and column commented, the labelled observation view, the
star's keys, series_value's rules, and migration 0002 going down and up again.

Invariants only: no assertion depends on what the extractor finds in the corpus.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest

from etl.paths import SEEDS_DIR
from etl.store import db

pytestmark = pytest.mark.db

BI_VIEWS = {
    "observation", "fact_observation", "series_value", "dim_region", "dim_park",
    "dim_cluster", "dim_company", "dim_metric", "dim_unit", "dim_document", "record_count",
}


@pytest.fixture(scope="module")
def conn(corpus_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(corpus_db) as c:
        c.read_only = True
        yield c


def _one(conn: psycopg.Connection, query: str) -> object:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def test_every_bi_view_and_column_has_a_comment(conn: psycopg.Connection) -> None:
    views = {r[0]: r[1] for r in conn.execute(
        "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bi'")}
    assert set(views) == BI_VIEWS
    assert all(views.values()), [v for v, c in views.items() if not c]
    assert _one(conn, "SELECT obj_description('bi'::regnamespace, 'pg_namespace')")
    # As a BI tool reads them: information_schema plus col_description.
    missing = conn.execute(
        """SELECT c.table_name, c.column_name FROM information_schema.columns c
           WHERE c.table_schema = 'bi' AND COALESCE(col_description(
               format('%I.%I', c.table_schema, c.table_name)::regclass,
               c.ordinal_position), '') = ''""").fetchall()
    assert missing == []


def test_code_columns_list_the_catalogues(conn: psycopg.Connection) -> None:
    with open(SEEDS_DIR / "metrics.csv", encoding="utf-8") as f:
        metrics = list(csv.DictReader(f))
    comment = str(_one(conn, "SELECT col_description('bi.observation'::regclass, 2)"))
    for m in metrics:
        assert f"{m['code']} = {m['name_zh']}" in comment
    unit_comment = str(_one(conn, """SELECT col_description('bi.fact_observation'::regclass,
        (SELECT attnum FROM pg_attribute WHERE attrelid = 'bi.fact_observation'::regclass
         AND attname = 'unit_code'))"""))
    assert "km2 = 平方公里 (area)" in unit_comment


def test_observation_view_has_one_row_per_record(conn: psycopg.Connection) -> None:
    n = _one(conn, "SELECT count(*) FROM observation")
    assert n and n == _one(conn, "SELECT count(*) FROM bi.observation")
    assert n == _one(conn, "SELECT count(DISTINCT observation_id) FROM bi.fact_observation")
    wrong_labels = conn.execute(
        """SELECT b.observation_id FROM bi.observation b
           JOIN observation o ON o.id = b.observation_id
           JOIN metric m ON m.code = o.metric_code
           JOIN source_document d ON d.id = o.document_id
           WHERE b.metric_name_zh <> m.name_zh OR b.document_name <> d.name
              OR b.value_text <> o.value_text OR b.region_id IS DISTINCT FROM o.region_id
              OR b.park_id IS DISTINCT FROM o.park_id""").fetchall()
    assert wrong_labels == []


def test_interval_follows_the_qualifier(conn: psycopg.Connection) -> None:
    bad = conn.execute(
        """SELECT observation_id, qualifier FROM bi.observation WHERE NOT CASE qualifier
             WHEN 'exact' THEN interval_low = value AND interval_high = value
             WHEN 'approx' THEN interval_low = value AND interval_high = value
             WHEN 'more_than' THEN interval_low = value AND interval_high IS NULL
             WHEN 'less_than' THEN interval_low IS NULL AND interval_high = value
             WHEN 'range' THEN interval_low = value_low AND interval_high = value_high
                 AND point_value = (value_low + value_high) / 2
           END OR point_value IS NULL""").fetchall()
    assert bad == []


def test_regions_know_their_province_and_prefecture(conn: psycopg.Connection) -> None:
    # GB/T 2260: a county's province is its first two digits, its prefecture four.
    bad = conn.execute(
        """SELECT region_code, province_code, prefecture_code FROM bi.dim_region
           WHERE region_code ~ '^[0-9]{6}$' AND region_level IS NOT NULL AND (
             province_code IS DISTINCT FROM left(region_code, 2) || '0000'
             OR (region_level = 'county' AND prefecture_code IS NOT NULL
                 AND prefecture_code <> left(region_code, 4) || '00'))""").fetchall()
    assert bad == []
    assert _one(conn, "SELECT province_name FROM bi.dim_region WHERE region_code = '411300'"
                ) == "河南省"
    assert _one(conn, "SELECT count(*) FROM bi.dim_region") == _one(
        conn, "SELECT count(*) FROM region")


@pytest.mark.parametrize(("key", "dim"), [
    ("region_id", "dim_region"), ("park_id", "dim_park"), ("cluster_id", "dim_cluster"),
    ("company_id", "dim_company"), ("metric_code", "dim_metric"), ("unit_code", "dim_unit"),
    ("document_id", "dim_document"),
])
def test_star_keys_resolve(conn: psycopg.Connection, key: str, dim: str) -> None:
    assert _one(conn, f"SELECT count(*) - count(DISTINCT {key}) FROM bi.{dim}") == 0
    orphans = _one(conn, f"""SELECT count(*) FROM bi.fact_observation f
        WHERE f.{key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bi.{dim} d
                                                  WHERE d.{key} = f.{key})""")
    assert orphans == 0


def test_series_value_summarises_every_statement(conn: psycopg.Connection) -> None:
    assert _one(conn, "SELECT sum(statements) FROM bi.series_value") == _one(
        conn, "SELECT count(*) FROM observation")
    assert _one(conn, "SELECT count(*) - count(DISTINCT series_key) FROM bi.series_value") == 0
    bad = conn.execute(
        """SELECT series_key FROM bi.series_value
           WHERE NOT (min_value <= preferred_value AND preferred_value <= max_value)
              OR disagrees IS DISTINCT FROM
                 (max_value - min_value > 0.005 * least(abs(min_value), abs(max_value)))
              OR (statements = 1 AND disagrees)
              OR preferred_rule NOT IN ('latest_document', 'median')""").fetchall()
    assert bad == []


def _add(conn: psycopg.Connection, doc: str, stated: str | None, value: int,
         year: int = 2030) -> None:
    row = conn.execute(
        """INSERT INTO source_document (name, path, sha256, size, encoding, extractor_version,
             text, load_run_id, stated_date)
           VALUES (%s, %s, %s, 3, 'utf-8', 't', '123', %s, %s)
           ON CONFLICT (name) WHERE source IS NULL DO UPDATE SET name = EXCLUDED.name
           RETURNING id""",
        (doc, doc, "0" * 64, _one(conn, "SELECT max(id) FROM load_run"), stated)).fetchone()
    assert row is not None
    conn.execute(
        """INSERT INTO observation (document_id, seq, load_run_id, metric_code, unit_code,
             region_id, value, qualifier, measure, status, year, period, value_text,
             span_start, span_end, quote)
           SELECT %s, 0, d.load_run_id, 'gdp', 'CNY', (SELECT id FROM region
             WHERE code = '411300'), %s, 'exact', 'level', 'actual', %s, %s, '123', 0, 3, 'q'
           FROM source_document d WHERE d.id = %s""",
        (row[0], value, year, str(year), row[0]))


def test_series_value_prefers_the_latest_dated_document(corpus_db: str) -> None:
    with psycopg.connect(corpus_db) as conn:
        try:
            _add(conn, "a.txt", None, 100)
            _add(conn, "b.txt", "2031-01-01", 110)
            _add(conn, "c.txt", "2030-06-01", 90)
            _add(conn, "d.txt", None, 500, year=2031)
            _add(conn, "e.txt", None, 502, year=2031)
            _add(conn, "f.txt", None, 1000, year=2031)
            rows = {r[0]: r[1:] for r in conn.execute(
                """SELECT year, statements, min_value, max_value, disagrees, preferred_value,
                     preferred_rule, preferred_document_name, median_value
                   FROM bi.series_value WHERE metric_code = 'gdp' AND year >= 2030
                     AND region_name = '南阳市'""")}
        finally:
            conn.rollback()
    assert rows[2030] == (3, 90, 110, True, 110, "latest_document", "b.txt", 100)
    # No dated document: the median, a stated value.
    assert rows[2031][:4] == (3, 500, 1000, True)
    assert rows[2031][4:7] == (Decimal(502), "median", None)


def test_series_value_agrees_within_half_a_percent(corpus_db: str) -> None:
    with psycopg.connect(corpus_db) as conn:
        try:
            _add(conn, "a.txt", None, 1000)
            _add(conn, "b.txt", None, 1004)
            flag = _one(conn, """SELECT disagrees FROM bi.series_value
                WHERE metric_code = 'gdp' AND year = 2030 AND region_name = '南阳市'""")
        finally:
            conn.rollback()
    assert flag is False


def test_downgrade_to_0001_and_up_again(empty_db: str) -> None:
    db.upgrade(empty_db)
    db.downgrade(empty_db, "0001")
    with psycopg.connect(empty_db) as conn:
        assert _one(conn, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bi'") == 0
        assert _one(conn, "SELECT has_database_privilege('public', current_database(),"
                          " 'TEMPORARY')") is True
    assert db.current_revision(empty_db) == "0001"
    db.upgrade(empty_db)
    with psycopg.connect(empty_db) as conn:
        assert _one(conn, "SELECT count(*) FROM information_schema.views"
                          " WHERE table_schema = 'bi'") == len(BI_VIEWS)
        assert _one(conn, "SELECT count(*) FROM pg_roles WHERE rolname = 'parkstat_reader'") == 1


def test_every_table_and_column_has_a_comment(conn: psycopg.Connection) -> None:
    missing = conn.execute(
        """SELECT c.relname, a.attname FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname IN ('public', 'bi') AND c.relkind IN ('r', 'v')
             AND c.relname <> 'alembic_version'
             AND (col_description(c.oid, a.attnum) IS NULL
                  OR obj_description(c.oid, 'pg_class') IS NULL)""").fetchall()
    assert missing == []


def test_models_match_the_migrations(corpus_db: str) -> None:
    """Autogenerate finds nothing to do at head: comments and all."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from models import Base

    engine = create_engine(db.sqlalchemy_url(corpus_db))
    try:
        with engine.connect() as c:
            diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
