"""Issue 15, item 1: a document is its source and its path within it, not its file name.
Against real PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest

from etl.store import db
from etl.store.db import Database
from etl.store.load import load_paths
from etl.store.sources import SourceError, list_sources, rename_source
from tests.conftest import run_cli
from tests.fixtures_make import REPORT

pytestmark = pytest.mark.db

OTHER = "全区完成工业总产值50亿元，同比增长12%。\n"


def _docs(url: str) -> dict[tuple[str | None, str | None], int]:
    """(source, path_in_source) → observations."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT d.source, d.path_in_source, count(o.id) FROM source_document d"
            " LEFT JOIN observation o ON o.document_id = d.id"
            " GROUP BY d.id, d.source, d.path_in_source").fetchall()
    return {(s, p): int(n) for s, p, n in rows}


def test_same_name_in_two_folders_is_two_documents(db_url: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(REPORT, a / "report.txt")
    (b / "report.txt").write_text(OTHER, encoding="utf-8")
    first = load_paths([a / "report.txt"], Database(db_url))
    second = load_paths([b / "report.txt"], Database(db_url))
    assert (first.documents_new, second.documents_new, second.documents_changed) == (1, 1, 0)
    docs = _docs(db_url)
    assert set(docs) == {(str(a), "report.txt"), (str(b), "report.txt")}
    assert all(n > 0 for n in docs.values())

    # a changed a/report.txt still replaces its own records, and only them
    (a / "report.txt").write_text(OTHER + OTHER, encoding="utf-8")
    again = load_paths([a], Database(db_url))  # the folder: same source, same path
    assert (again.documents_new, again.documents_changed) == (0, 1)
    after = _docs(db_url)
    assert after[str(b), "report.txt"] == docs[str(b), "report.txt"]
    assert after[str(a), "report.txt"] == 2 * after[str(b), "report.txt"]


def test_source_option_keeps_identities_when_the_corpus_moves(db_url: str,
                                                              tmp_path: Path) -> None:
    old = tmp_path / "old" / "pub"
    (old / "2012").mkdir(parents=True)
    shutil.copy(REPORT, old / "2012" / "index.html.txt")
    done = run_cli("load", "--source", "publisher-a", str(old), "--json", database_url=db_url)
    assert done.returncode == 0, done.stderr
    new = tmp_path / "new" / "pub"
    shutil.move(str(old), str(new))
    moved = run_cli("load", "--source", "publisher-a", str(new), "--json",
                    database_url=db_url)
    assert json.loads(moved.stdout)["documents_skipped"] == 1  # the same document
    assert set(_docs(db_url)) == {("publisher-a", "2012/index.html.txt")}
    assert run_cli("load", "--source", " ", str(new), database_url=db_url).returncode == 2


def test_rename_a_source_without_reloading(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / "r.txt")
    assert load_paths([corpus], Database(db_url)).documents_new == 1
    with psycopg.connect(db_url) as conn:
        assert [(s.source, s.documents) for s in list_sources(conn)] == [(str(corpus), 1)]
    listed = run_cli("source", "list", database_url=db_url)
    assert f"{corpus}\t1\t" in listed.stdout
    renamed = run_cli("source", "rename", str(corpus), "gov-reports", database_url=db_url)
    assert renamed.returncode == 0, renamed.stderr
    assert "1 documents moved" in renamed.stdout
    again = load_paths([corpus], Database(db_url), source="gov-reports")
    assert (again.documents_skipped, again.documents_new) == (1, 0)
    with (psycopg.connect(db_url) as conn,
          pytest.raises(SourceError, match="no documents have the source")):
        rename_source(conn, str(corpus), "x")


def test_documents_loaded_before_0008_are_adopted_not_duplicated(
        empty_db: str, tmp_path: Path) -> None:
    """Migrate a 0007 database holding a/report.txt: a re-load of the same file skips it
    (and gives it its identity); a different b/report.txt becomes a new document."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(REPORT, a / "report.txt")
    (b / "report.txt").write_text(OTHER, encoding="utf-8")
    db.upgrade(empty_db, "0007")
    with psycopg.connect(empty_db) as conn:  # as the 0007 loader stored it: by name
        run = conn.execute("INSERT INTO load_run (extractor_version, parkstat_version)"
                           " VALUES ('old', 'old') RETURNING id").fetchone()
        assert run is not None
        import hashlib

        data = (a / "report.txt").read_bytes()
        conn.execute(
            "INSERT INTO source_document (name, path, sha256, size, encoding,"
            " extractor_version, text, load_run_id) VALUES ('report.txt', %s, %s, %s,"
            " 'utf-8', 'old', 'x', %s)",
            (str(a / "report.txt"), hashlib.sha256(data).hexdigest(), len(data), run[0]))
    db.upgrade(empty_db)
    from etl.store.seed import seed_all

    with psycopg.connect(empty_db) as seeding:

        seed_all(seeding)
    assert _docs(empty_db) == {(None, None): 0}
    other = load_paths([b], Database(empty_db))  # another file of that name: a new document
    assert other.documents_new == 1
    same = load_paths([a], Database(empty_db))  # the same file (an old extractor: re-extracted)
    assert (same.documents_new, same.documents_changed) == (0, 1)
    docs = _docs(empty_db)
    assert set(docs) == {(str(a), "report.txt"), (str(b), "report.txt")}
    assert load_paths([a, b], Database(empty_db)).documents_skipped == 2
