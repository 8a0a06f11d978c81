"""`parkstat load --workers N`: extraction in a process pool, writes serial and per
document; the database ends up as a one-process load leaves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from benchmarks import generate
from etl.store.db import Database
from etl.store.load import load_paths
from tests.conftest import run_cli

pytestmark = pytest.mark.db


def _rows(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT d.name, d.sha256, o.seq, o.metric_code, o.unit_code, o.value, o.value_low,"
            " o.value_high, o.status, o.year, o.span_start, o.span_end,"
            " r.name, p.name, c.name, co.name"
            " FROM observation o JOIN source_document d ON d.id = o.document_id"
            " LEFT JOIN region r ON r.id = o.region_id LEFT JOIN park p ON p.id = o.park_id"
            " LEFT JOIN cluster c ON c.id = o.cluster_id"
            " LEFT JOIN company co ON co.id = o.company_id"
            " ORDER BY d.name, o.seq"
        ).fetchall()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    generate.write_corpus(tmp_path / "gen", 12, seed=4)
    bad = tmp_path / "gen" / "corpus" / "zz_binary.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    return tmp_path / "gen" / "corpus"


def test_workers_load_what_one_process_loads(
    corpus: Path, db_url: str, server_url: str, template_db: str
) -> None:
    from tests.conftest import _create, _drop

    other = f"{template_db}_w2"
    other_url = _create(server_url, other, template=template_db)
    try:
        one = load_paths([corpus], Database(db_url))
        two = load_paths([corpus], Database(other_url), workers=2)
        assert (one.status, two.status) == ("partial", "partial")  # the binary file
        assert [f.path for f in two.failures] == [str(corpus / "zz_binary.txt")]
        assert two.documents_new == one.documents_new == 12
        assert two.records_loaded == one.records_loaded > 0
        assert _rows(other_url) == _rows(db_url)
        again = load_paths([corpus], Database(other_url), workers=2)
        assert again.documents_skipped == 12 and again.records_loaded == 0
    finally:
        _drop(server_url, other)


def test_cli_workers(corpus: Path, db_url: str) -> None:
    done = run_cli("load", str(corpus), "--workers", "2", "--json", database_url=db_url)
    assert done.returncode == 1 and '"documents_new": 12' in done.stdout  # partial: binary
    bad = run_cli("load", str(corpus), "--workers", "0", database_url=db_url)
    assert bad.returncode == 2 and "at least 1" in bad.stderr


def test_workers_must_be_positive(corpus: Path, db_url: str) -> None:
    with pytest.raises(ValueError):
        load_paths([corpus], Database(db_url), workers=0)
