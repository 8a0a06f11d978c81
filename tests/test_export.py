"""`parkstat export`: CSV to stdout or a file, Parquet, SDMX-CSV, --where filtering that
cannot change anything."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import psycopg
import pytest

from etl.serve.export_tables import SDMX_COLUMNS, sdmx_time_period
from etl.store.db import Database
from tests.conftest import run_cli

pytestmark = pytest.mark.db


def _scalar(url: str, query: str) -> object:
    with psycopg.connect(url) as c:
        row = c.execute(query).fetchone()
    assert row is not None
    return row[0]


def _columns(url: str) -> list[str]:
    with psycopg.connect(url) as c:
        cur = c.execute("SELECT * FROM bi.observation LIMIT 0")
        return [d.name for d in cur.description or ()]


def test_csv_to_stdout(corpus_db: str) -> None:
    out = run_cli("export", database_url=corpus_db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == _columns(corpus_db)
    assert len(rows) - 1 == _scalar(corpus_db, "SELECT count(*) FROM bi.observation")


def test_csv_where_to_file(corpus_db: str, tmp_path: Path) -> None:
    target = tmp_path / "o.csv"
    out = run_cli("export", "--where", "measure = 'level' AND value > 1000",
                  "--out", str(target), database_url=corpus_db)
    assert out.returncode == 0, out.stderr
    with open(target, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == _scalar(
        corpus_db, "SELECT count(*) FROM bi.observation WHERE measure = 'level' AND value > 1000")
    assert all(r["measure"] == "level" and float(r["value"]) > 1000 for r in rows)
    assert f"{len(rows)} rows" in out.stdout


@pytest.mark.parametrize("where", [
    "true) OR (true); DELETE FROM observation; --",
    "(SELECT count(*) FROM (DELETE FROM observation RETURNING 1) x) > 0",
    "no_such_column = 1",
])
def test_where_cannot_change_anything(corpus_db: str, where: str) -> None:
    before = _scalar(corpus_db, "SELECT count(*) FROM observation")
    for fmt in ("csv", "sdmx-csv"):
        out = run_cli("export", "--format", fmt, "--where", where, database_url=corpus_db)
        assert out.returncode == 1
        assert "parkstat export:" in out.stderr
    assert _scalar(corpus_db, "SELECT count(*) FROM observation") == before


def test_sdmx_csv(corpus_db: str) -> None:
    out = run_cli("export", "--format", "sdmx-csv", database_url=corpus_db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert tuple(rows[0]) == SDMX_COLUMNS
    assert len(rows) == _scalar(corpus_db, "SELECT count(*) FROM bi.observation")
    period = re.compile(r"^(\d{4}(-S[12]|-Q[1-4]|-\d{2})?|\d{4}-\d{2}-01/P\d+[YM])?$")
    for r in rows:
        assert r["DATAFLOW"] == "PARKSTAT:PARK_INDICATORS(1.0)"
        assert r["OBS_STATUS"] in {"A", "F", "E"}
        assert r["UNIT_MULT"] == "0"
        assert period.match(r["TIME_PERIOD"]), r["TIME_PERIOD"]
        float(r["OBS_VALUE"])
        assert r["INDICATOR"] and r["UNIT_MEASURE"] and r["MEASURE"]


def test_sdmx_time_periods() -> None:
    assert sdmx_time_period("2010", 2010) == "2010"
    assert sdmx_time_period("2008-H1", 2008) == "2008-S1"
    assert sdmx_time_period("2012-01/2012-05", 2012) == "2012-01-01/P5M"
    assert sdmx_time_period("2006/2010", 2010) == "2006-01-01/P5Y"
    assert sdmx_time_period(None, 2011) == "2011"
    assert sdmx_time_period(None, None) == ""
    assert sdmx_time_period("odd", 2009) == "2009"


def test_parquet(corpus_db: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "o.parquet"
    out = run_cli("export", "--format", "parquet", "--out", str(target), "--where",
                  "year IS NOT NULL", database_url=corpus_db)
    assert out.returncode == 0, out.stderr
    table = pq.read_table(target)
    assert table.column_names == _columns(corpus_db)
    assert table.num_rows == _scalar(
        corpus_db, "SELECT count(*) FROM bi.observation WHERE year IS NOT NULL")
    assert str(table.schema.field("value").type) == "double"
    assert run_cli("export", "--format", "parquet", database_url=corpus_db).returncode == 1


def test_csv_is_what_copy_writes(corpus_db: str) -> None:
    """The CSV is made by the server through a cursor (the extended protocol), byte for
    byte what COPY … (FORMAT csv, HEADER) writes: `t`/`f`, NULL empty, "" for an empty
    string, quoted commas, quotes and line breaks."""
    from etl.serve.export_tables import export_csv

    made = io.BytesIO()
    export_csv(Database(corpus_db), made)
    copied = io.BytesIO()
    with psycopg.connect(corpus_db) as c, c.cursor() as cur, cur.copy(
            "COPY (SELECT * FROM bi.observation ORDER BY document_id, observation_id)"
            " TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
        for chunk in copy:
            copied.write(bytes(chunk))
    assert made.getvalue() == copied.getvalue()
    assert b'"' in made.getvalue()  # some field needed quoting
