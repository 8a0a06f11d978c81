"""Database faults against a real PostgreSQL: a server that is not there, a session
terminated mid-document (pg_terminate_backend while the loader holds a document's
transaction open) once or twice, the lock's session terminated (the lock taken again, or
by another load meanwhile), a document the database rejects. Each leaves whole documents
only; a session lost once is reconnected and the load goes on; whatever stops a load, a
re-run completes it. (Sessions dropped between batches, while reading stored hashes, and
a server restart: tests/test_reconnect.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from etl.extract.pipeline import extract_file
from etl.paths import PROJECT_ROOT
from etl.store.db import Database
from etl.store.load import (
    APPLICATION_NAME,
    LOCK_APPLICATION_NAME,
    PAUSE_ENV,
    PAUSE_SECONDS_ENV,
    RECONNECT_ENV,
    load_paths,
    take_load_lock,
)
from tests.conftest import run_cli
from tests.fixtures_make import REPORT, make_docx, make_html

PARKSTAT = PROJECT_ROOT / ".venv" / "bin" / "parkstat"


def _inputs(tmp_path: Path) -> list[Path]:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(REPORT, d / "a_report.txt")
    make_docx(d / "b_report.docx")
    make_html(d / "c_report.html")
    shutil.copy(REPORT, d / "d_report.txt")
    return sorted(d.iterdir())


def _per_doc(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute(
            "SELECT d.name, count(o.id) FROM source_document d"
            " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.name").fetchall())


def _expected(files: list[Path]) -> dict[str, int]:
    return {p.name: len(extract_file(p).records) for p in files}


def test_unreachable_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    exe = [str(PARKSTAT)] if PARKSTAT.exists() else [sys.executable, "-m", "etl.cli"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [*exe, "--database-url", "postgresql://postgres:hunter2@127.0.0.1:1/x", "load",
         str(REPORT)], capture_output=True, text=True, timeout=60, check=False, env=env,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("parkstat load: cannot connect to PostgreSQL at 127.0.0.1:1/x")
    assert "hunter2" not in done.stderr


def _start_paused(url: str, d: Path, at: int, seconds: float,
                  **extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, DATABASE_URL=url,
               **{PAUSE_ENV: str(at), PAUSE_SECONDS_ENV: str(seconds)}, **extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "load", str(d), "--json"], cwd=PROJECT_ROOT,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # blocks until the loader sits in document `at`'s txn
    assert "paused in transaction" in line, line + proc.stderr.read()
    return proc


def _terminate(url: str, application_name: str) -> int:
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND application_name = %s AND pid <> pg_backend_pid()",
            (dbname, application_name)).fetchall()
    return sum(1 for (ok,) in rows if ok)


def _runs(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT status FROM load_run ORDER BY id")]


@pytest.mark.db
def test_connection_lost_mid_document_is_reconnected_and_the_document_written_again(
    db_url: str, tmp_path: Path
) -> None:
    files = _inputs(tmp_path)
    expected = _expected(files)
    proc = _start_paused(db_url, files[0].parent, at=2, seconds=2)
    try:
        assert _terminate(db_url, APPLICATION_NAME) == 1  # the session in document 2's txn
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    # written again on a new session (and paused again there): nothing failed
    assert err.count("paused in transaction") == 1, err
    summary = json.loads(out)
    assert summary["status"] == "succeeded"
    assert (summary["documents_new"], summary["documents_failed"]) == (len(files), 0)
    assert _per_doc(db_url) == expected
    assert _runs(db_url) == ["succeeded"]


@pytest.mark.db
def test_connection_lost_twice_fails_the_document_alone_and_a_rerun_completes(
    db_url: str, tmp_path: Path
) -> None:
    files = _inputs(tmp_path)
    expected = _expected(files)
    proc = _start_paused(db_url, files[0].parent, at=2, seconds=2)
    try:
        assert _terminate(db_url, APPLICATION_NAME) == 1
        assert proc.stderr is not None
        line = proc.stderr.readline()  # the second attempt, on a new session
        assert "paused in transaction" in line, line
        assert _terminate(db_url, APPLICATION_NAME) == 1
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    failures = err.strip().splitlines()
    assert len(failures) == 1
    assert failures[0].startswith(f"{files[1]}: database connection lost twice; the document "
                                  "was rolled back")
    summary = json.loads(out)
    assert summary["status"] == "partial"
    assert (summary["documents_new"], summary["documents_failed"]) == (len(files) - 1, 1)
    # The loader reconnected and went on; document 2 left nothing behind.
    assert _per_doc(db_url) == {k: v for k, v in expected.items() if k != files[1].name}

    again = run_cli("load", str(files[0].parent), "--json", database_url=db_url)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["documents_new"], summary["documents_skipped"]) == (1, len(files) - 1)
    assert _per_doc(db_url) == expected
    assert _runs(db_url) == ["partial", "succeeded"]


@pytest.mark.db
def test_lock_session_lost_takes_the_lock_again_and_goes_on(
    db_url: str, tmp_path: Path
) -> None:
    files = _inputs(tmp_path)
    expected = _expected(files)
    proc = _start_paused(db_url, files[0].parent, at=2, seconds=2)
    try:
        assert _terminate(db_url, LOCK_APPLICATION_NAME) == 1
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert json.loads(out)["status"] == "succeeded"
    assert _per_doc(db_url) == expected
    assert _runs(db_url) == ["succeeded"]


@pytest.mark.db
def test_lock_session_lost_while_another_load_takes_the_lock_stops_and_a_rerun_completes(
    db_url: str, tmp_path: Path
) -> None:
    files = _inputs(tmp_path)
    expected = _expected(files)
    proc = _start_paused(db_url, files[0].parent, at=2, seconds=3)
    try:
        with psycopg.connect(db_url) as other:
            assert _terminate(db_url, LOCK_APPLICATION_NAME) == 1
            # another load's session takes the lock before the paused one looks
            assert take_load_lock(other, 0)
            out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert json.loads(out)["status"] == "error"  # --json: schedulers get a status
    last = err.strip().splitlines()[-1]
    assert last.startswith("parkstat load: lost the database session holding the load lock")
    assert "another parkstat load holds the lock now" in last
    # The lock is checked before every commit: document 2, in flight when the lock's
    # session died, rolled back; document 1 (an earlier batch) stays. Whole documents only.
    assert _per_doc(db_url) == {files[0].name: expected[files[0].name]}

    again = run_cli("load", str(files[0].parent), "--json", database_url=db_url)
    assert again.returncode == 0, again.stderr
    assert _per_doc(db_url) == expected
    assert _runs(db_url) == ["failed", "succeeded"]


@pytest.mark.db
def test_a_document_the_database_rejects_leaves_nothing(db_url: str, tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    expected = _expected(files)
    victim = files[2].name
    with psycopg.connect(db_url) as conn:  # a real server-side failure mid-document
        conn.execute(f"""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF (SELECT name FROM source_document WHERE id = NEW.document_id) = '{victim}'
                 AND NEW.seq = 3 THEN
                RAISE EXCEPTION 'disk quota exceeded (simulated by a trigger)';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON observation
              FOR EACH ROW EXECUTE FUNCTION refuse();""")
    summary = load_paths([files[0].parent], Database(db_url))
    assert summary.status == "partial"
    assert [(Path(f.path).name, f.reason.split(":")[0]) for f in summary.failures] == [
        (victim, "database rejected the document")]
    assert "\n" not in summary.failures[0].reason
    assert _per_doc(db_url) == {k: v for k, v in expected.items() if k != victim}
    with psycopg.connect(db_url) as conn:
        conn.execute("DROP TRIGGER refuse ON observation")
    assert load_paths([files[0].parent], Database(db_url)).status == "succeeded"
    assert _per_doc(db_url) == expected


@pytest.mark.db
def test_server_gone_for_good_mid_run(db_url: str, tmp_path: Path) -> None:
    """The session is terminated and reconnecting fails (the database is renamed away,
    as when a server is shutting down): one clear line, exit 1, committed documents
    stay, and the next load marks the dead run and completes."""
    files = _inputs(tmp_path)
    expected = _expected(files)
    dbname = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]
    proc = _start_paused(db_url, files[0].parent, at=2, seconds=3,
                         **{RECONNECT_ENV: "1"})  # tries to reconnect for 1 s, not 30
    admin_url = db_url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
            try:
                assert _terminate_from(admin, dbname) >= 1
                _out, err = proc.communicate(timeout=60)
            finally:
                admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("parkstat load: lost the database")
    assert _per_doc(db_url) == {files[0].name: expected[files[0].name]}
    time.sleep(0.2)
    again = run_cli("load", str(files[0].parent), "--json", database_url=db_url)
    assert again.returncode == 0, again.stderr
    assert _per_doc(db_url) == expected
    with psycopg.connect(db_url) as conn:
        runs = [r[0] for r in conn.execute("SELECT status FROM load_run ORDER BY id")]
    assert runs == ["aborted", "succeeded"]


def _terminate_from(admin: psycopg.Connection, dbname: str) -> int:
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND application_name LIKE %s",
        (dbname, f"{APPLICATION_NAME}%")).fetchall()
    return sum(1 for (ok,) in rows if ok)
