"""Revision 0005: each region's province and prefecture stored as data
(region.province_id / prefecture_id, kept by region_refresh_ancestry()), read by
bi.dim_region and bi.observation; seed and merges keep them right; the revision goes down
to 0004 (the recursive views) and up again with the same rows, comments and grants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from etl.store import db
from etl.store.db import Database
from etl.store.entities import merge_entity
from etl.store.load import load_paths
from tests.conftest import run_cli

pytestmark = pytest.mark.db


def _rows(url: str, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def _place(url: str, name: str) -> tuple[Any, ...]:
    rows = _rows(url, """SELECT province_name, prefecture_name FROM bi.dim_region
                         WHERE region_name = %s""", (name,))
    assert len(rows) == 1, rows
    return rows[0]


def test_seed_gives_a_county_its_province_and_prefecture(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:  # as 0005 found an older database
        conn.execute("UPDATE region SET province_id = NULL, prefecture_id = NULL")
    assert _place(db_url, "荆州区") == (None, None)
    result = run_cli("seed", database_url=db_url)
    assert result.returncode == 0, result.stderr
    assert _place(db_url, "荆州区") == ("湖北省", "荆州市")
    assert _place(db_url, "荆州市") == ("湖北省", "荆州市")
    assert _place(db_url, "湖北省") == ("湖北省", None)
    assert _rows(db_url, """SELECT p.name FROM region r JOIN region p ON p.id = r.province_id
                            WHERE r.code = '411302'""") == [("河南省",)]
    # nothing left to do: the function reports the regions it changed
    assert _rows(db_url, "SELECT region_refresh_ancestry()") == [(0,)]


def test_merging_a_region_moves_the_ancestry_of_what_was_under_it(db_url: str) -> None:
    with psycopg.connect(db_url) as conn, conn.cursor() as cur:
        source = cur.execute("INSERT INTO region (name, provisional) VALUES ('荆州老城', true)"
                             " RETURNING id").fetchone()
        assert source is not None
        cur.execute("INSERT INTO region (name, parent_id, provisional)"
                    " VALUES ('荆州老城西片', %s, true)", (source[0],))
        cur.execute("SELECT region_refresh_ancestry()")
        assert cur.execute("SELECT province_id FROM region WHERE name = '荆州老城西片'"
                           ).fetchone() == (None,)
        target = cur.execute("SELECT id FROM region WHERE code = '421000'").fetchone()
        assert target is not None
        merge_entity(cur, "region", int(source[0]), int(target[0]), "荆州老城")
    assert _place(db_url, "荆州老城西片") == ("湖北省", "荆州市")


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "dim_region": _rows(url, "SELECT * FROM bi.dim_region ORDER BY region_id"),
        "dim_park": _rows(url, "SELECT * FROM bi.dim_park ORDER BY park_id"),
        "observation": _rows(url, "SELECT * FROM bi.observation ORDER BY observation_id"),
        "comments": _rows(url, """SELECT c.relname, a.attnum, a.attname,
                                    format_type(a.atttypid, a.atttypmod),
                                    col_description(c.oid, a.attnum)
                                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
                                  WHERE n.nspname = 'bi' ORDER BY 1, 2"""),
        "grants": _rows(url, """SELECT table_name, privilege_type
                                FROM information_schema.role_table_grants
                                WHERE grantee = 'parkstat_reader' ORDER BY 1, 2"""),
    }


def test_revision_0005_goes_down_to_0004_and_up_with_the_same_views(
        db_url: str, reports: Path) -> None:
    assert load_paths([reports], Database(db_url)).ok
    db.downgrade(db_url, "0005")  # later revisions add columns of their own
    at_head = _snapshot(db_url)
    assert at_head["observation"] and at_head["dim_region"]
    assert ("observation", "SELECT") in at_head["grants"]

    db.downgrade(db_url, "0004")
    assert db.current_revision(db_url) == "0004"
    assert _rows(db_url, """SELECT column_name FROM information_schema.columns
                            WHERE table_name = 'region'
                              AND column_name IN ('province_id', 'prefecture_id')""") == []
    assert _rows(db_url, "SELECT to_regprocedure('region_refresh_ancestry()')") == [(None,)]
    view = _rows(db_url, "SELECT pg_get_viewdef('bi.dim_region'::regclass)")[0][0]
    assert "RECURSIVE" in view.upper()
    assert _snapshot(db_url) == at_head  # 0002's recursive views: the same rows

    db.upgrade(db_url, "0005")
    view = _rows(db_url, "SELECT pg_get_viewdef('bi.dim_region'::regclass)")[0][0]
    assert "RECURSIVE" not in view.upper()
    assert _snapshot(db_url) == at_head
    db.upgrade(db_url)
