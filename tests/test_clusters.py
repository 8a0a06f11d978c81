"""Industries in the database: the lexicon (seeds/clusters.csv) seeded as clusters with
their GB/T 4754 sector, and a report's own word for an industry filed under the lexicon's
name — through the CLI, into PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from etl.store.seed import seed_clusters
from tests.conftest import run_cli

pytestmark = pytest.mark.db

REPORT = ("江南县工业经济情况\n"
          "汽车零部件产业完成产值30亿元，同比增长12%；纺织服装行业完成产值45亿元。\n")


def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def _clusters_of(url: str) -> list[tuple[str, str | None, str | None, bool]]:
    return _rows(url, """SELECT DISTINCT c.name, c.sector_code, c.sector_name, c.provisional
                         FROM observation o JOIN cluster c ON c.id = o.cluster_id
                         ORDER BY c.name""")


def test_a_written_form_is_filed_under_the_lexicon_industry_with_its_sector(
        db_url: str, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    result = run_cli("load", str(tmp_path), database_url=db_url)
    assert result.returncode == 0, result.stderr
    assert _clusters_of(db_url) == [
        ("汽车及零部件", "36", "汽车制造业", False),
        ("纺织服装", "18", "纺织服装、服饰业", False),
    ]
    # the record keeps the report's words
    written = _rows(db_url, "SELECT DISTINCT quote FROM observation WHERE cluster_id IS NOT NULL"
                    " AND quote LIKE '汽车零部件%%'")
    assert written
    # analysts see the sector in the BI view
    view = _rows(db_url, "SELECT sector_code FROM bi.dim_cluster"
                         " WHERE cluster_name = '汽车及零部件'")
    assert view == [("36",)]


def test_seeding_adopts_a_provisional_industry_a_load_made_before(
        db_url: str, tmp_path: Path) -> None:
    """A database loaded before the lexicon knew a word: the next seed merges the
    provisional cluster into the lexicon's, observations and all."""
    with psycopg.connect(db_url) as conn:
        conn.execute("DELETE FROM entity_alias WHERE kind = 'cluster' AND alias = '汽车零部件'")
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    assert run_cli("load", str(tmp_path), database_url=db_url).returncode == 0
    provisional = _rows(db_url, "SELECT name FROM cluster WHERE provisional")
    assert provisional == [("汽车零部件",)]

    with psycopg.connect(db_url) as conn:
        seed_clusters(conn)
    assert _rows(db_url, "SELECT name FROM cluster WHERE provisional") == []
    assert ("汽车及零部件", "36", "汽车制造业", False) in _clusters_of(db_url)
    merges = _rows(db_url, "SELECT from_name, to_name FROM entity_merge WHERE kind = 'cluster'")
    assert merges == [("汽车零部件", "汽车及零部件")]


def test_seeding_twice_changes_nothing(db_url: str) -> None:
    before = _rows(db_url, "SELECT count(*) FROM cluster")[0][0]
    with psycopg.connect(db_url) as conn:
        seed_clusters(conn)
    assert _rows(db_url, "SELECT count(*) FROM cluster")[0][0] == before
    assert before > 200  # the whole lexicon
