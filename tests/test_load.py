"""Loader behaviour: idempotent re-runs, per-document replacement, quarantine, locking.

Counts are compared with what `extract_file` returns, never with expected figures: the
extractor changes independently of the loader.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

import etl.extract.pipeline
import etl.store.load
from etl.extract.pipeline import TextExtraction, extract_file
from etl.store.db import Database
from etl.store.load import LoadLocked, load_paths
from etl.store.lock import LOCK_STATEMENT
from tests.helpers import add_a_bad_record

pytestmark = pytest.mark.db


def _files(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*") if p.is_file())


def _expected(d: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in _files(d):
        doc = extract_file(p)
        out[p.name] = (len(doc.records), len(doc.rejected))
    return out


def _snapshot(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT d.name, d.sha256, o.* FROM observation o"
            " JOIN source_document d ON d.id = o.document_id ORDER BY o.document_id, o.id"
        ).fetchall()


def _counts_by_doc(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {name: n for name, n in conn.execute(
            "SELECT d.name, count(o.id) FROM source_document d"
            " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name")}


def test_load_twice_changes_nothing(db_url: str, reports: Path) -> None:
    expected = _expected(reports)
    first = load_paths([reports], Database(db_url))
    assert first.status == "succeeded"
    assert first.documents_new == len(expected)
    assert first.records_loaded == sum(n for n, _ in expected.values())
    assert _counts_by_doc(db_url) == {k: n for k, (n, _) in expected.items()}
    before = _snapshot(db_url)

    second = load_paths([reports], Database(db_url))
    assert second.status == "succeeded"
    assert (second.documents_new, second.documents_changed) == (0, 0)
    assert second.documents_skipped == len(expected)
    assert second.records_loaded == 0
    assert _snapshot(db_url) == before
    with psycopg.connect(db_url) as conn:
        runs = conn.execute("SELECT id, status, documents_skipped FROM load_run ORDER BY id")
        assert [r[1:] for r in runs] == [("succeeded", 0), ("succeeded", len(expected))]


def test_changed_file_replaces_only_its_records(db_url: str, reports: Path) -> None:
    load_paths([reports], Database(db_url))
    before = _snapshot(db_url)
    edited = _files(reports)[0]
    with open(edited, "a", encoding=extract_file(edited).source.encoding) as f:
        f.write("\n全年新增企业１２家，完成投资３．５亿元，同比增长２０％。\n")

    summary = load_paths([reports], Database(db_url))
    assert (summary.documents_changed, summary.documents_new) == (1, 0)
    assert summary.documents_skipped == len(_files(reports)) - 1
    assert summary.records_loaded == len(extract_file(edited).records)
    after = _snapshot(db_url)
    assert [r for r in after if r[0] != edited.name] == [r for r in before if r[0] != edited.name]
    assert sum(r[0] == edited.name for r in after) == len(extract_file(edited).records)


def test_new_extractor_version_reextracts(db_url: str, reports: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    load_paths([reports], Database(db_url))
    monkeypatch.setattr(etl.store.load, "EXTRACTOR_VERSION", "test-next")
    summary = load_paths([reports], Database(db_url))
    assert summary.documents_changed == len(_files(reports))
    with psycopg.connect(db_url) as conn:
        versions = {r[0] for r in conn.execute("SELECT extractor_version FROM source_document")}
    assert versions == {"test-next"}


def test_invalid_record_is_quarantined(db_url: str, reports: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    add_a_bad_record(monkeypatch)
    target = _files(reports)[0]
    expected = extract_file(target)
    assert len(expected.rejected) >= 1

    summary = load_paths([target], Database(db_url))
    assert summary.status == "succeeded"
    assert summary.records_quarantined == len(expected.rejected)
    assert summary.records_loaded == len(expected.records)
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT raw, reason FROM rejected_record").fetchall()
    furlongs = [(raw, reason) for raw, reason in rows if raw["unit"] == "furlong"]
    assert len(furlongs) == 1
    reason = furlongs[0][1]
    assert any(err["loc"] == ["unit"] for err in reason), json.dumps(reason)


def test_unreadable_file_fails_alone(db_url: str, reports: Path) -> None:
    (reports / "broken.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    summary = load_paths([reports, reports / "missing.txt"], Database(db_url))
    assert summary.status == "partial"
    assert summary.documents_failed == 2
    assert {Path(f.path).name for f in summary.failures} == {"broken.txt", "missing.txt"}
    assert summary.documents_new == len(_files(reports)) - 1
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT status, documents_failed, message FROM load_run").fetchone()
    assert row is not None and row[:2] == ("partial", 2) and "broken.txt" in row[2]


def test_second_load_exits_while_first_holds_lock(db_url: str, reports: Path) -> None:
    with psycopg.connect(db_url) as holder:
        holder.execute(LOCK_STATEMENT)  # held until the transaction ends
        with pytest.raises(LoadLocked, match="another parkstat load is running"):
            load_paths([reports], Database(db_url))
        threading.Timer(0.5, holder.rollback).start()
        summary = load_paths([reports], Database(db_url), wait=10)
    assert summary.status == "succeeded"
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT count(*) FROM load_run").fetchone()
    assert row is not None and row[0] == 1  # the refused load left no trace


def test_missing_schema_is_a_clear_error(empty_db: str, reports: Path) -> None:
    with pytest.raises(etl.store.load.LoadError, match="parkstat db upgrade"):
        load_paths([reports], Database(empty_db))


def test_names_resolve_through_aliases_and_new_ones_are_provisional(
    db_url: str, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = etl.extract.pipeline.extract_raw

    def with_subjects(
        doc: str, text: str, profile: dict[str, float] | None = None,
    ) -> TextExtraction:
        out = real(doc, text, profile)
        named = [{**r, "region": "测试市", "park": "测试 高新区", "cluster": "光电",
                  "company": "某ＡＢ公司"} for r in out.raw_records]
        return TextExtraction(out.title, out.stated_date, named)

    monkeypatch.setattr(etl.extract.pipeline, "extract_raw", with_subjects)
    first = load_paths([reports], Database(db_url))
    monkeypatch.setattr(etl.store.load, "EXTRACTOR_VERSION", "test-next")
    second = load_paths([reports], Database(db_url))
    assert first.records_loaded == second.records_loaded > 0
    with psycopg.connect(db_url) as conn:
        parks = conn.execute(
            "SELECT p.name, p.provisional, r.name FROM park p JOIN region r ON r.id = p.region_id"
        ).fetchall()
        companies = conn.execute("SELECT name FROM company").fetchall()
        unresolved = conn.execute(
            "SELECT count(*) FROM observation WHERE region_id IS NULL OR park_id IS NULL"
            " OR cluster_id IS NULL OR company_id IS NULL").fetchone()
        aliases = conn.execute(
            "SELECT kind, alias FROM entity_alias WHERE alias IN"
            " ('测试市', '测试高新区', '光电', '某AB公司') ORDER BY kind").fetchall()
    assert parks == [("测试高新区", True, "测试市")]  # once, despite two loads
    assert companies == [("某AB公司",)]
    assert unresolved == (0,)
    assert aliases == [("cluster", "光电"), ("company", "某AB公司"), ("park", "测试高新区"),
                       ("region", "测试市")]


def test_a_database_behind_the_code_is_refused_with_the_fix(db_url: str, reports: Path) -> None:
    """A schema older than this parkstat's migrations stops the load before it writes
    anything, and says what to run."""
    from etl.store import db
    from etl.store.load import LoadError

    db.downgrade(db_url, "0003")
    try:
        with pytest.raises(LoadError, match="db upgrade"):
            load_paths([reports], Database(db_url))
        with psycopg.connect(db_url) as conn:
            assert conn.execute("SELECT count(*) FROM load_run").fetchone() == (0,)
    finally:
        db.upgrade(db_url)
