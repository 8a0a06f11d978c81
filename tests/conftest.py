"""Tests run against a real PostgreSQL, never mocks or SQLite.

Server: $TEST_DATABASE_URL or $DATABASE_URL if set; else a server on 127.0.0.1:5432
(user postgres) if one answers; else the embedded one. On it we create one throwaway
database per session (`parkstat_test_<random>`), migrate and seed it once, and give each
test its own copy (CREATE DATABASE … TEMPLATE), so tests cannot see each other's rows.
Everything is dropped at the end.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.store import db
from etl.store.db import Database
from etl.store.seed import seed_all

SHARED = PROJECT_ROOT.parent / "shared"
CORPUS_DIR = SHARED / "corpus"
GOLD_DIR = SHARED / "gold"
EVALUATE = SHARED / "tools" / "evaluate.py"
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _choose_server() -> str:
    for var in ("TEST_DATABASE_URL", "DATABASE_URL"):
        if os.environ.get(var):
            return db.libpq_url(os.environ[var])
    try:
        with psycopg.connect(LOCAL_SERVER, connect_timeout=2):
            return LOCAL_SERVER
    except psycopg.OperationalError:
        from etl.store import embedded

        return embedded.start().url()


@pytest.fixture(scope="session")
def server_url() -> str:
    return _choose_server()


def _admin(server_url: str) -> psycopg.Connection:
    return psycopg.connect(with_database(server_url, "postgres"), autocommit=True)


def _create(server_url: str, name: str, template: str | None = None) -> str:
    with _admin(server_url) as conn:
        tpl = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{tpl}')
    return with_database(server_url, name)


def _drop(server_url: str, name: str) -> None:
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    """The session's database, migrated and seeded; tests get copies of it."""
    name = f"parkstat_test_{secrets.token_hex(4)}"
    url = _create(server_url, name)
    try:
        db.upgrade(url)
        with psycopg.connect(url) as seeding:
            seed_all(seeding)
        yield name
    finally:
        _drop(server_url, name)


@contextlib.contextmanager
def template_copy(server_url: str, template_db: str) -> Iterator[str]:
    """A copy of the session's migrated, seeded database, dropped afterwards."""
    name = f"{template_db}_{secrets.token_hex(3)}"
    url = _create(server_url, name, template=template_db)
    try:
        yield url
    finally:
        _drop(server_url, name)


def drop_login(db_url: str, name: str) -> None:
    """Drop a login `parkstat db reader-url` made for the database of `db_url` (it holds
    CONNECT there, which DROP OWNED revokes)."""
    from psycopg import sql

    with psycopg.connect(db_url, autocommit=True) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            c.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            c.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture
def db_url(server_url: str, template_db: str) -> Iterator[str]:
    """A migrated, seeded database of this test's own."""
    with template_copy(server_url, template_db) as url:
        yield url


@pytest.fixture
def db_conn(db_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit session on `db_url`, for library functions that take a connection
    (what the CLI opens for them): each call sees what was committed before it, and holds
    no transaction open between calls."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def empty_db(server_url: str) -> Iterator[str]:
    """A database with no schema at all."""
    name = f"parkstat_test_{secrets.token_hex(4)}_empty"
    url = _create(server_url, name)
    try:
        yield url
    finally:
        _drop(server_url, name)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A private copy of the corpus (or of seeds/reports without it), safe to edit."""
    source = CORPUS_DIR if CORPUS_DIR.is_dir() else SAMPLE_REPORTS_DIR
    target = tmp_path / "reports"
    shutil.copytree(source, target)
    return target


def run_cli(*args: str, database_url: str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.pop("DATABASE_URL", None)
    if database_url is not None:
        full_env["DATABASE_URL"] = database_url
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "etl.cli", *args], cwd=PROJECT_ROOT, env=full_env,
        capture_output=True, text=True, timeout=timeout, check=False, input=input_text,
    )


@pytest.fixture(scope="session")
def corpus_db(server_url: str) -> Iterator[str]:
    """A database migrated from scratch (not copied from the template: database-level
    privileges such as 0002's REVOKE TEMPORARY are not copied by CREATE DATABASE
    TEMPLATE), seeded, and loaded with the corpus (or seeds/reports without it) plus
    seeds/reports. Shared by the bi, cookbook, check and export tests: treat it as
    read-only, or roll back what you change."""
    from etl.store.load import load_paths

    name = f"parkstat_test_{secrets.token_hex(4)}_corpus"
    url = _create(server_url, name)
    try:
        db.upgrade(url)
        with psycopg.connect(url) as seeding:
            seed_all(seeding)
        paths = [CORPUS_DIR, SAMPLE_REPORTS_DIR] if CORPUS_DIR.is_dir() else [SAMPLE_REPORTS_DIR]
        summary = load_paths(paths, Database(url))
        assert summary.status == "succeeded", summary.failures
        yield url
    finally:
        _drop(server_url, name)


HAVE_CORPUS = CORPUS_DIR.is_dir()


@pytest.fixture
def subjects(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, str]]]:
    """doc name → subjects its records get (tests/helpers.py, `choose_subjects`)."""
    from tests.helpers import choose_subjects

    return choose_subjects(monkeypatch)


@pytest.fixture(scope="session")
def private_server() -> Iterator[tuple[str, Path]]:
    """(URL, PARKSTAT_HOME) of an embedded server of the tests' own, for what must not
    touch a shared server: restarting it, dropping the cluster-wide reader role. Its
    database is migrated and seeded; PARKSTAT_HOME is set only while it starts and stops
    (a test that calls etl.store.embedded sets it with monkeypatch)."""
    import tempfile

    from etl.store import embedded

    # Under /tmp, not pytest's tmp_path: as root the server runs as another user.
    home = Path(tempfile.mkdtemp(prefix="parkstat-private-"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARKSTAT_HOME", str(home))
        url = embedded.start().url()
    try:
        db.upgrade(url)
        with psycopg.connect(url) as seeding:
            seed_all(seeding)
        yield url, home
    finally:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PARKSTAT_HOME", str(home))
            embedded.stop()
        shutil.rmtree(home, ignore_errors=True)
