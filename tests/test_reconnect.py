"""Issue 15, items 9 and 10: a session dropped anywhere in a load — idle between batches,
before reading stored hashes, the lock's session idle, a server restart — is reconnected
and the load goes on; extraction workers die with a killed loader. Real PostgreSQL; the
restart on a private embedded server of this test's own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

import etl.store.load
from etl.paths import PROJECT_ROOT
from etl.store import embedded
from etl.store.db import Database
from etl.store.load import APPLICATION_NAME, LOCK_APPLICATION_NAME, PAUSE_ENV, load_paths
from tests.fixtures_make import REPORT

pytestmark = pytest.mark.db


def _corpus(tmp_path: Path, n: int = 4) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(n):
        shutil.copy(REPORT, d / f"r{i}.txt")
    return d


def _terminate(url: str, application_name: str) -> int:
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND application_name = %s AND pid <> pg_backend_pid()",
            (dbname, application_name)).fetchall()
    return sum(1 for (ok,) in rows if ok)


def _before_batch(monkeypatch: pytest.MonkeyPatch, k: int, fault: Callable[[], Any]) -> None:
    """Batches of one document; before writing the k-th (1-based), the loader idle
    between batches, run `fault`."""
    monkeypatch.setattr(etl.store.load, "BATCH_DOCUMENTS", 1)
    real = etl.store.load._Writer.write
    seen = {"n": 0}

    def write(self: Any, batch: list[Any], pause: bool = False, retry: bool = True) -> None:
        if batch and retry:
            seen["n"] += 1
            if seen["n"] == k:
                fault()
        real(self, batch, pause, retry)

    monkeypatch.setattr(etl.store.load._Writer, "write", write)


@pytest.mark.parametrize("session", [APPLICATION_NAME, LOCK_APPLICATION_NAME])
def test_session_dropped_while_idle_between_batches(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session: str) -> None:
    d = _corpus(tmp_path)
    killed: list[int] = []
    _before_batch(monkeypatch, 3, lambda: killed.append(_terminate(db_url, session)))
    summary = load_paths([d], Database(db_url))
    assert killed == [1]
    assert (summary.status, summary.documents_new, summary.failures) == ("succeeded", 4, [])


def test_session_dropped_before_reading_stored_hashes(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = _corpus(tmp_path)
    monkeypatch.setattr(etl.store.load, "KNOWN_CHUNK", 2)
    real = etl.store.load._stored_versions
    calls = {"n": 0}

    def stored_versions(conn: psycopg.Connection, chunk: list[Any]) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # the second chunk's lookup, on a session just dropped
            assert _terminate(db_url, APPLICATION_NAME) == 1
        return real(conn, chunk)

    monkeypatch.setattr(etl.store.load, "_stored_versions", stored_versions)
    summary = load_paths([d], Database(db_url))
    assert calls["n"] == 3  # the lookup that failed, done again on a new session
    assert (summary.status, summary.documents_new) == ("succeeded", 4)


def test_server_restart_mid_load(private_server: tuple[str, Path], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url, home = private_server
    monkeypatch.setenv("PARKSTAT_HOME", str(home))
    d = _corpus(tmp_path)

    def restart() -> None:
        assert embedded.stop() is True
        embedded.start()

    _before_batch(monkeypatch, 2, restart)
    summary = load_paths([d], Database(url))
    assert (summary.status, summary.documents_new, summary.failures) == ("succeeded", 4, [])
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM source_document").fetchone() == (4,)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_a_killed_loader(db_url: str, tmp_path: Path) -> None:
    d = _corpus(tmp_path, 6)
    env = dict(os.environ, DATABASE_URL=db_url, **{PAUSE_ENV: "2"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "load", str(d), "--workers", "2"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    try:
        assert proc.stderr is not None
        assert "paused in transaction" in proc.stderr.readline()
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        give_up = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < give_up:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
