"""Batched loading (etl/store/load.py): many documents per transaction leave the database exactly
as one document per transaction does — same rows, same ids, names resolved per document —
a document the database refuses fails alone, changed documents are replaced, and a batch
whose connection drops is written again. Against a real PostgreSQL.

Subjects are set by wrapping `extract_raw` (as in test_entities.py), so the name rules are
tested whatever the extractor makes of the text; figures and spans are the extractor's.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

import etl.extract.pipeline
import etl.store.load
from benchmarks import generate
from etl.extract.pipeline import extract_file
from etl.store.db import Database
from etl.store.load import load_paths
from tests.helpers import BODY, add_a_bad_record

pytestmark = pytest.mark.db



def _report(d: Path, name: str, prefix: str = "") -> None:
    (d / name).write_text(prefix + BODY, encoding="utf-8")


def _generated(tmp_path: Path, n: int, seed: int = 4) -> Path:
    generate.write_corpus(tmp_path / "gen", n, seed=seed)
    return tmp_path / "gen" / "corpus"


def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def _database(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a load writes, ids included (not timestamps, not entity_alias.id)."""
    return {
        "source_document": _rows(url, "SELECT id, name, sha256, size, encoding, title,"
                                      " stated_date, text FROM source_document ORDER BY id"),
        "observation": _rows(url, "SELECT * FROM observation ORDER BY document_id, id"),
        "rejected_record": _rows(url, "SELECT document_id, id, raw, reason"
                                      " FROM rejected_record ORDER BY document_id, id"),
        "region": _rows(url, "SELECT id, name, code, parent_id, provisional FROM region"
                             " ORDER BY id"),
        "park": _rows(url, "SELECT id, name, region_id, provisional FROM park ORDER BY id"),
        "cluster": _rows(url, "SELECT id, name, provisional FROM cluster ORDER BY id"),
        "company": _rows(url, "SELECT id, name, provisional FROM company ORDER BY id"),
        "entity_alias": _rows(url, "SELECT kind, alias, entity_id, origin FROM entity_alias"
                                   " ORDER BY kind, alias"),
    }


def _transactions(url: str) -> int:
    """How many transactions wrote the documents (rows written together share xmin)."""
    row = _rows(url, "SELECT count(DISTINCT xmin::text) FROM source_document")[0]
    return int(row[0])


def _per_doc(url: str) -> dict[str, int]:
    return dict(_rows(url, "SELECT d.name, count(o.id) FROM source_document d"
                           " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name"))


@pytest.fixture
def other_db(server_url: str, template_db: str) -> Iterator[str]:
    """A second database, a copy of the same template as db_url."""
    from tests.conftest import template_copy

    with template_copy(server_url, template_db) as url:
        yield url


def test_a_batch_writes_what_documents_one_by_one_write(
        db_url: str, other_db: str, tmp_path: Path,
        subjects: dict[str, list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch) -> None:
    d = _generated(tmp_path, 12)
    # Shared region names, decided per document although the batch is one transaction.
    _report(d, "a1_changchun.txt")                      # another record names 长春市
    subjects["a1_changchun.txt"] = [{"region": "朝阳区"}, {"region": "长春市"}]
    _report(d, "a2_beijing.txt", prefix="北京市朝阳区\n")  # the text names 北京市
    subjects["a2_beijing.txt"] = [{"region": "朝阳区"}]
    _report(d, "a3_nowhere.txt")                        # nothing says which: provisional
    subjects["a3_nowhere.txt"] = [{"region": "朝阳区"}]
    _report(d, "a4_both.txt")                           # both candidates backed: provisional
    subjects["a4_both.txt"] = [{"region": "朝阳区"}, {"region": "北京市"}, {"region": "吉林省"}]
    # A new park takes the region of its first document's records, not a later one's.
    _report(d, "a5_park.txt")
    subjects["a5_park.txt"] = [{"park": "甲高新区"}]
    _report(d, "a6_parks.txt")
    subjects["a6_parks.txt"] = [{"park": "甲高新区", "region": "南阳市"}, {"park": "乙工业园"},
                                {"park": "乙工业园", "region": "荆州区"}]
    # New names used by several documents of the batch: one provisional entity each.
    _report(d, "a7_firm.txt")
    subjects["a7_firm.txt"] = [{"company": "某某光学公司", "cluster": "测试新材料"}]
    _report(d, "a8_firm.txt", prefix="朝阳区\n")
    subjects["a8_firm.txt"] = [{"company": "某某光学公司", "region": "朝阳区"},
                               {"cluster": "测试新材料", "park": "乙工业园"}]
    n_docs = len(list(d.iterdir()))

    batched = load_paths([d], Database(db_url))
    monkeypatch.setattr(etl.store.load, "BATCH_DOCUMENTS", 1)
    alone = load_paths([d], Database(other_db))
    assert batched.ok and alone.ok
    assert batched.documents_new == alone.documents_new == n_docs
    assert batched.records_loaded == alone.records_loaded > 0
    assert (_transactions(db_url), _transactions(other_db)) == (1, n_docs)
    assert _database(db_url) == _database(other_db)  # same rows, same ids

    def region_of(doc: str) -> set[tuple[str | None, bool]]:
        return set(_rows(db_url, """SELECT r.code, r.provisional FROM observation o
                                    JOIN source_document d ON d.id = o.document_id
                                    JOIN region r ON r.id = o.region_id
                                    WHERE d.name = %s AND r.name = '朝阳区'""", doc))

    assert region_of("a1_changchun.txt") == {("220104", False)}
    assert region_of("a2_beijing.txt") == {("110105", False)}
    assert region_of("a3_nowhere.txt") == region_of("a4_both.txt") == {(None, True)}
    assert region_of("a8_firm.txt") == {(None, True)}  # its text names 朝阳区 only
    parks = dict(_rows(db_url, """SELECT p.name, r.code FROM park p
                                  LEFT JOIN region r ON r.id = p.region_id
                                  WHERE p.name IN ('甲高新区', '乙工业园')"""))
    assert parks == {"甲高新区": None, "乙工业园": "421003"}
    assert _rows(db_url, "SELECT count(*) FROM company WHERE name = '某某光学公司'") == [(1,)]
    assert _rows(db_url, "SELECT count(*) FROM cluster WHERE name = '测试新材料'") == [(1,)]


def test_batches_are_bounded(db_url: str, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    d = _generated(tmp_path, 12)
    monkeypatch.setattr(etl.store.load, "BATCH_DOCUMENTS", 5)
    assert load_paths([d], Database(db_url)).ok
    assert _transactions(db_url) == 3  # 5 + 5 + 2


def test_batch_limits() -> None:
    """A batch closes at BATCH_DOCUMENTS documents, BATCH_RECORDS records or BATCH_CHARS
    characters of text, whichever comes first."""
    def staged(records: int, chars: int) -> etl.store.load._Staged:
        return etl.store.load._Staged(Path("x"), "x", (), "字" * chars, [()] * records, {}, [])

    batch = etl.store.load._Batch()
    assert not batch.add(staged(etl.store.load.BATCH_RECORDS - 1, 10))
    assert batch.add(staged(1, 10))
    assert len(batch.take()) == 2 and batch.records == batch.chars == 0
    assert batch.add(staged(0, etl.store.load.BATCH_CHARS))
    batch.take()
    for _ in range(etl.store.load.BATCH_DOCUMENTS - 1):
        assert not batch.add(staged(1, 1))
    assert batch.add(staged(1, 1))


def _refuse(url: str, victims: list[str], error: str) -> None:
    """A trigger failing the insert of record 1 of each victim document."""
    names = ", ".join(f"'{v}'" for v in victims)
    with psycopg.connect(url) as conn:
        conn.execute(f"""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.seq = 1 AND (SELECT name FROM source_document
                                  WHERE id = NEW.document_id) IN ({names}) THEN
                {error};
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON observation
              FOR EACH ROW EXECUTE FUNCTION refuse();""")


def _unrefuse(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("DROP TRIGGER refuse ON observation; DROP FUNCTION refuse()")


def test_a_bad_document_fails_alone_and_the_rest_of_its_batch_lands(
        db_url: str, tmp_path: Path) -> None:
    d = _generated(tmp_path, 12)
    files = sorted(d.iterdir())
    expected = {p.name: len(extract_file(p).records) for p in files}
    victims = [files[2].name, files[9].name]
    _refuse(db_url, victims, "RAISE EXCEPTION 'disk quota exceeded (simulated)'")

    summary = load_paths([d], Database(db_url))
    assert summary.status == "partial"
    assert sorted(Path(f.path).name for f in summary.failures) == victims
    assert all(f.reason.startswith("database rejected the document: disk quota exceeded "
                                   "(simulated)") and "\n" not in f.reason
               for f in summary.failures)
    assert (summary.documents_new, summary.documents_failed) == (10, 2)
    assert summary.records_loaded == sum(n for k, n in expected.items() if k not in victims)
    assert _per_doc(db_url) == {k: n for k, n in expected.items() if k not in victims}

    _unrefuse(db_url)
    again = load_paths([d], Database(db_url))
    assert again.ok and (again.documents_new, again.documents_skipped) == (2, 10)
    assert _per_doc(db_url) == expected


def test_changed_documents_are_replaced_in_a_batch(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_a_bad_record(monkeypatch)  # every document quarantines one record too
    d = _generated(tmp_path, 12)
    files = sorted(d.iterdir())
    assert load_paths([d], Database(db_url)).ok
    before = _rows(db_url, "SELECT d.name, o.* FROM observation o"
                           " JOIN source_document d ON d.id = o.document_id ORDER BY o.id")
    old_ids = {r[0]: r[1] for r in _rows(db_url, "SELECT name, id FROM source_document")}

    changed = [files[1], files[5], files[10]]
    for p in changed:
        with p.open("a", encoding="utf-8") as f:
            f.write("\n全年新增企业１２家，完成投资３．５亿元，同比增长２０％。\n")
    for i in (1, 2):
        shutil.copy(files[i], d / f"zz_new_{i}.txt")
    summary = load_paths([d], Database(db_url))
    assert summary.ok
    assert (summary.documents_changed, summary.documents_new,
            summary.documents_skipped) == (3, 2, 9)
    expected = {p.name: len(extract_file(p).records) for p in sorted(d.iterdir())}
    assert _per_doc(db_url) == expected
    assert summary.records_loaded == sum(expected[p.name] for p in changed) + sum(
        expected[f"zz_new_{i}.txt"] for i in (1, 2))
    # One quarantined record per document: the old ones went with their documents.
    assert dict(_rows(db_url, "SELECT d.name, count(*) FROM rejected_record r"
                              " JOIN source_document d ON d.id = r.document_id"
                              " GROUP BY d.name")) == dict.fromkeys(expected, 1)
    after = _rows(db_url, "SELECT d.name, o.* FROM observation o"
                          " JOIN source_document d ON d.id = o.document_id ORDER BY o.id")
    names = {p.name for p in changed}
    assert [r for r in after if r[0] not in names | {"zz_new_1.txt", "zz_new_2.txt"}] == [
        r for r in before if r[0] not in names]
    ids = {r[0]: r[1] for r in _rows(db_url, "SELECT name, id FROM source_document")}
    assert all(ids[p.name] == old_ids[p.name] for p in changed)  # replaced in place
    # the second load's documents, changed and new, were written together
    row = _rows(db_url, "SELECT count(DISTINCT xmin::text) FROM source_document"
                        " WHERE name = ANY(%s)", [*names, "zz_new_1.txt", "zz_new_2.txt"])
    assert row == [(1,)]


def _kill_session(url: str, victim: str, only_in_batches: bool) -> None:
    """A trigger that terminates the loader's own session when it inserts record 1 of
    `victim` (only while more than one document is being written, if so asked)."""
    batch_only = "AND (SELECT count(*) FROM stage_doc) > 1" if only_in_batches else ""
    _refuse(url, [victim], f"""IF true {batch_only} THEN
                  PERFORM pg_terminate_backend(pg_backend_pid());
                  PERFORM pg_sleep(5);
                END IF""")


def test_a_batch_whose_connection_drops_is_written_again(db_url: str, tmp_path: Path) -> None:
    d = _generated(tmp_path, 12)
    files = sorted(d.iterdir())
    expected = {p.name: len(extract_file(p).records) for p in files}
    _kill_session(db_url, files[4].name, only_in_batches=True)

    summary = load_paths([d], Database(db_url))
    assert summary.ok, summary.failures
    assert summary.documents_new == 12
    assert _per_doc(db_url) == expected


def test_a_document_that_drops_the_connection_fails_alone(db_url: str, tmp_path: Path) -> None:
    d = _generated(tmp_path, 12)
    files = sorted(d.iterdir())
    expected = {p.name: len(extract_file(p).records) for p in files}
    victim = files[4].name
    _kill_session(db_url, victim, only_in_batches=False)

    summary = load_paths([d], Database(db_url))
    assert summary.status == "partial"
    assert [(Path(f.path).name, f.reason.split(":")[0]) for f in summary.failures] == [
        (victim, "database connection lost twice; the document was rolled back")]
    assert _per_doc(db_url) == {k: n for k, n in expected.items() if k != victim}

    _unrefuse(db_url)
    again = load_paths([d], Database(db_url))
    assert again.ok and (again.documents_new, again.documents_skipped) == (1, 11)
    assert _per_doc(db_url) == expected
