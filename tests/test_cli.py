"""The `parkstat` command end to end, in subprocesses, against a real PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from etl.extract.pipeline import extract_file
from etl.extract.record import RECORD_FIELDS
from etl.paths import PROJECT_ROOT
from etl.store.load import PAUSE_ENV
from etl.store.lock import LOCK_STATEMENT
from tests.conftest import EVALUATE, GOLD_DIR, run_cli


def test_extract_writes_jsonl_and_reports_bad_files(reports: Path, tmp_path: Path) -> None:
    (reports / "broken.bin").write_bytes(b"\x00\xff\x00 not a report")
    out = tmp_path / "out"
    done = run_cli("extract", str(reports), "--out", str(out))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith(f"{reports / 'broken.bin'}: ")
    for report in sorted(reports.glob("*.txt")):
        lines = (out / f"{report.stem}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(extract_file(report).records)
        for line in lines:
            assert tuple(json.loads(line)) == RECORD_FIELDS
            assert "\\u" not in line


@pytest.mark.corpus
def test_extract_output_is_accepted_by_evaluate(tmp_path: Path) -> None:
    corpus = PROJECT_ROOT.parent / "shared" / "corpus"
    if not (corpus.is_dir() and GOLD_DIR.is_dir() and EVALUATE.is_file()):
        pytest.skip("../shared/corpus, gold or tools/evaluate.py not present")
    out = tmp_path / "out"
    assert run_cli("extract", str(corpus), "--out", str(out)).returncode == 0
    scored = subprocess.run([sys.executable, str(EVALUATE), str(GOLD_DIR), str(out)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert scored.returncode == 0, scored.stderr
    assert "quantity" in scored.stdout


@pytest.mark.db
def test_migrate_and_load_through_cli(empty_db: str, reports: Path) -> None:
    assert run_cli("db", "upgrade", database_url=empty_db).returncode == 0
    assert run_cli("db", "url", database_url=empty_db).stdout.strip() == empty_db

    done = run_cli("load", str(reports), "--json", database_url=empty_db)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    n_docs = len(list(reports.iterdir()))
    assert summary["status"] == "succeeded" and summary["documents_new"] == n_docs
    with psycopg.connect(empty_db) as conn:
        row = conn.execute("SELECT count(*) FROM observation").fetchone()
    assert row is not None and row[0] == summary["records_loaded"]

    again = json.loads(run_cli("load", str(reports), "--json", database_url=empty_db).stdout)
    assert again["documents_skipped"] == n_docs and again["records_loaded"] == 0

    assert run_cli("db", "downgrade", database_url=empty_db).returncode == 2  # asks first
    assert run_cli("db", "downgrade", "--yes", database_url=empty_db).returncode == 0
    with psycopg.connect(empty_db) as conn:
        row = conn.execute("SELECT to_regclass('observation')").fetchone()
    assert row is not None and row[0] is None


@pytest.mark.db
def test_killed_loader_leaves_whole_documents_and_blocks_a_second(
    db_url: str, reports: Path
) -> None:
    files = sorted(reports.iterdir())
    if len(files) < 2:
        pytest.skip("needs two reports")
    env = dict(os.environ, DATABASE_URL=db_url, **{PAUSE_ENV: "2"})
    first = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "load", str(reports)], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert first.stderr is not None
        line = first.stderr.readline()  # blocks until the loader is inside document 2
        assert "paused in transaction" in line, line

        second = run_cli("load", str(reports), database_url=db_url)
        assert second.returncode == 3
        assert "another parkstat load is running" in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    # Document 1 committed whole; document 2 was mid-transaction and left nothing.
    deadline = time.monotonic() + 10
    while True:  # the server notices the dead client asynchronously
        with psycopg.connect(db_url) as conn:
            docs = {name: n for name, n in conn.execute(
                "SELECT d.name, count(o.id) FROM source_document d"
                " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name")}
            try:
                conn.execute(LOCK_STATEMENT + " NOWAIT")
                busy = False
            except psycopg.errors.LockNotAvailable:
                busy = True
        if not busy or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert docs == {files[0].name: len(extract_file(files[0]).records)}

    done = run_cli("load", str(reports), "--json", database_url=db_url)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["documents_skipped"], summary["documents_new"]) == (1, len(files) - 1)
    with psycopg.connect(db_url) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM load_run ORDER BY id")]
    assert statuses == ["aborted", "succeeded"]
