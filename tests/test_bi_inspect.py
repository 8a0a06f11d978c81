"""The database as a BI tool sees it (Superset, Metabase and Power BI introspect the same
way): SQLAlchemy's `inspect` over the reader URL of `parkstat db reader-url`. It must
list the bi views with their comments, and type the columns a chart needs: value
numeric, year integer, period_start and period_end dates (docs/BI.md)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.store.db import sqlalchemy_url
from tests.conftest import drop_login, run_cli

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def reader_engine(corpus_db: str, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[sa.Engine]:
    login = f"parkstat_test_bi_{secrets.token_hex(3)}"
    home: Path = tmp_path_factory.mktemp("parkstat_home")
    out = run_cli("db", "reader-url", "--login", login, database_url=corpus_db,
                  env={"PARKSTAT_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    engine = sa.create_engine(sqlalchemy_url(out.stdout.strip()))
    try:
        yield engine
    finally:
        engine.dispose()
        drop_login(corpus_db, login)


def test_bi_views_listed_with_comments(reader_engine: sa.Engine) -> None:
    insp = sa.inspect(reader_engine)
    views = set(insp.get_view_names(schema="bi"))
    assert {"observation", "series_value", "record_count", "fact_observation",
            "dim_region", "dim_park", "dim_metric", "dim_document"} <= views
    for view in views:
        assert insp.get_table_comment(view, schema="bi")["text"], view
        for column in insp.get_columns(view, schema="bi"):
            assert column.get("comment"), f"bi.{view}.{column['name']} has no comment"


def test_columns_typed_for_charts(reader_engine: sa.Engine) -> None:
    columns = {c["name"]: c["type"] for c in
               sa.inspect(reader_engine).get_columns("observation", schema="bi")}
    assert isinstance(columns["value"], sa.Numeric)
    assert isinstance(columns["point_value"], sa.Numeric)
    assert isinstance(columns["year"], sa.Integer)  # SMALLINT is an Integer
    assert isinstance(columns["period_start"], sa.Date)
    assert isinstance(columns["period_end"], sa.Date)
    assert isinstance(columns["document_date"], sa.Date)


def test_the_reader_can_chart_over_period_start(reader_engine: sa.Engine) -> None:
    """What a BI tool's time-series chart runs: a date axis with no custom SQL."""
    with reader_engine.connect() as c:
        rows = c.execute(sa.text(
            "SELECT date_trunc('year', period_start)::date AS t, count(*) FROM bi.observation"
            " WHERE period_start IS NOT NULL GROUP BY 1 ORDER BY 1")).all()
    assert rows
    assert all(r[0].month == 1 and r[0].day == 1 for r in rows)


def _selectable_outside_bi(engine: sa.Engine) -> list[str]:
    with engine.connect() as c:
        return [r[0] for r in c.execute(sa.text(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')"
            "   AND n.nspname NOT IN ('bi', 'pg_catalog', 'information_schema')"
            "   AND has_schema_privilege(n.oid, 'USAGE')"
            "   AND has_table_privilege(c.oid, 'SELECT') ORDER BY 1"))]


def test_only_bi_is_listed_for_the_reader(reader_engine: sa.Engine) -> None:
    assert _selectable_outside_bi(reader_engine) == []
