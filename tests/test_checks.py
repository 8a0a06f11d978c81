"""`parkstat check`: each check finds the fault it is for, errors fail the run, warnings
do not (unless --strict), and --json is machine-readable."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest

from etl.serve.checks import CHECKS, ERROR, WARNING, CheckReport, run_checks
from tests.conftest import run_cli

pytestmark = pytest.mark.db


def test_checks_are_named_and_graded() -> None:
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))
    assert {c.severity for c in CHECKS} == {ERROR, WARNING}
    severity = {c.name: c.severity for c in CHECKS}
    assert severity["span_matches_text"] == ERROR
    assert severity["unit_fits_metric"] == ERROR
    assert severity["provisional_entities"] == WARNING


def test_check_on_the_corpus(corpus_db: str) -> None:
    report = _run_checks(corpus_db)
    assert [r.name for r in report.results] == [c.name for c in CHECKS]
    # The loader stores spans as the extractor gives them; they must point at the text.
    span = next(r for r in report.results if r.name == "span_matches_text")
    assert span.passed, span.examples
    out = run_cli("check", "--json", database_url=corpus_db)
    data = json.loads(out.stdout)
    assert {c["name"] for c in data["checks"]} == {c.name for c in CHECKS}
    assert out.returncode == (0 if data["errors"] == 0 else 1)
    assert data["ok"] == (data["errors"] == 0)
    for c in data["checks"]:
        assert c["passed"] == (c["failing"] == 0)
        assert len(c["examples"]) <= 5


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    """A fresh seeded database with one document of three clean records."""
    with psycopg.connect(db_url) as c:
        run = c.execute("INSERT INTO load_run (extractor_version, parkstat_version)"
                        " VALUES ('t', 't') RETURNING id").fetchone()
        assert run is not None
        c.execute(
            "INSERT INTO source_document (name, path, sha256, size, encoding, extractor_version,"
            " text, load_run_id) VALUES ('d.txt', 'd.txt', %s, 1, 'utf-8', 't', %s, %s)",
            ("0" * 64, "全区完成ＧＤＰ２３．５亿元，同比增１５％，从业人员3000人。", run[0]))
        for metric, unit, value, measure, start, end in [
            ("gdp", "CNY", 2350000000, "level", 7, 13),
            ("gdp", "percent", 15, "growth", 17, 20),
            ("employment", "person", 3000, "level", 25, 30),
        ]:
            _obs(c, metric, unit, value, measure, start, end)
        c.commit()
        yield c


def _obs(c: psycopg.Connection, metric: str, unit: str, value: float, measure: str,
         start: int, end: int) -> None:
    c.execute(
        """INSERT INTO observation (document_id, seq, load_run_id, metric_code, unit_code,
             value, qualifier, measure, status, year, value_text, span_start, span_end, quote)
           SELECT d.id, 0, d.load_run_id, %s, %s, %s, 'exact', %s, 'actual', 2010,
             substr(d.text, %s + 1, %s - %s), %s, %s, 'q'
           FROM source_document d WHERE d.name = 'd.txt'""",
        (metric, unit, value, measure, start, end, start, start, end))


def _run_checks(url: str) -> CheckReport:
    """`run_checks` on a session of its own, as `parkstat check` runs it."""
    with psycopg.connect(url) as conn:
        return run_checks(conn)


def _failing(url: str) -> dict[str, int]:
    return {r.name: r.failing for r in _run_checks(url).results if not r.passed}


def test_clean_data_passes(db_url: str, conn: psycopg.Connection) -> None:
    assert _failing(db_url) == {}
    out = run_cli("check", database_url=db_url)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 error check(s) failed" in out.stdout


def test_span_off_the_text_is_an_error(db_url: str, conn: psycopg.Connection) -> None:
    conn.execute("UPDATE observation SET span_start = span_start + 1, span_end = span_end + 1"
                 " WHERE metric_code = 'employment'")
    conn.commit()
    assert _failing(db_url) == {"span_matches_text": 1}
    out = run_cli("check", database_url=db_url)
    assert out.returncode == 1
    assert "FAIL span_matches_text (error): 1 rows" in out.stdout
    assert "3000人" in out.stdout  # the example row shows the record


def test_unit_of_another_dimension_is_an_error(db_url: str, conn: psycopg.Connection) -> None:
    _obs(conn, "gdp", "km2", 5, "level", 7, 13)          # money metric in km2
    _obs(conn, "gdp", "CNY", 5, "growth", 7, 13)         # growth not a ratio
    _obs(conn, "production_capacity", "m3", 5, "level", 7, 13)   # allowed
    _obs(conn, "other", "kV", 5, "level", 7, 13)         # other fits all
    _obs(conn, "gdp", "USD", 5, "level", 7, 13)          # money either way
    _obs(conn, "new_jobs", "count", 5, "level", 7, 13)   # 岗位5万余个: people counted
    _obs(conn, "enterprise_count", "person", 5, "level", 7, 13)  # but not the reverse
    conn.commit()
    assert _failing(db_url) == {"unit_fits_metric": 3}


def test_implausible_values_are_warnings(db_url: str, conn: psycopg.Connection) -> None:
    _obs(conn, "gdp", "percent", 150, "share", 7, 13)
    _obs(conn, "gdp", "percent", 1500, "growth", 7, 13)
    _obs(conn, "employment", "person", 3.3, "level", 25, 30)
    conn.commit()
    failing = _failing(db_url)
    assert failing["share_at_most_100_percent"] == 1
    assert failing["growth_within_1000_percent"] == 1
    assert failing["level_within_metric_bounds"] == 1
    out = run_cli("check", "--json", database_url=db_url)
    assert out.returncode == 0
    assert json.loads(out.stdout)["warnings"] >= 3
    assert run_cli("check", "--strict", database_url=db_url).returncode == 1


def test_far_off_scale_is_a_warning(db_url: str, conn: psycopg.Connection) -> None:
    for v in (1000, 2000, 3000, 4000):
        _obs(conn, "employment", "person", v, "level", 25, 30)
    _obs(conn, "employment", "person", 3e9, "level", 25, 30)
    conn.commit()
    assert _failing(db_url)["level_near_metric_scale"] == 1


def test_provisional_entities_and_empty_documents_are_warnings(
        db_url: str, conn: psycopg.Connection) -> None:
    conn.execute("INSERT INTO park (name, provisional) VALUES ('新园区', true)")
    conn.execute(
        "INSERT INTO source_document (name, path, sha256, size, encoding, extractor_version,"
        " text, load_run_id) SELECT 'empty.txt', 'empty.txt', sha256, 1, 'utf-8', 't', 'x',"
        " load_run_id FROM source_document WHERE name = 'd.txt'")
    conn.commit()
    assert _failing(db_url) == {"provisional_entities": 1, "documents_with_records": 1}
    report = _run_checks(db_url)
    assert report.ok() and not report.ok(strict=True)
    out = run_cli("check", "--only", "provisional_entities", "--json", database_url=db_url)
    data = json.loads(out.stdout)
    assert [c["name"] for c in data["checks"]] == ["provisional_entities"]
    assert data["checks"][0]["examples"][0]["name"] == "新园区"
    assert run_cli("check", "--only", "nonsense", database_url=db_url).returncode == 2
