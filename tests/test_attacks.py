"""Issue 14's attacks, tried as an attacker would, against real PostgreSQL: each is
refused with one line, and the database is unchanged.

1. `parkstat export --where` running any SQL (the issue's exact strings, and more);
2. the embedded server's superuser password readable while the cluster is initialised;
3. the reader stopping every load by holding the load lock;
4. the reader (and --where) writing large objects;
5. reader logins reaching other databases, with no timeout and no connection limit;
6. `parkstat demo` handing out the owner's URL; BI tools listing the internal tables.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from etl.paths import SAMPLE_REPORTS_DIR
from etl.serve.export_tables import _reading
from etl.store import db, embedded
from etl.store.db import Database
from etl.store.load import load_paths
from etl.store.lock import LOCK_STATEMENT
from etl.store.seed import seed_all
from tests.conftest import _create, _drop, drop_login, run_cli, with_database

pytestmark = pytest.mark.db

# The advisory lock key loads took before revision 0010.
OLD_LOCK_KEY = int.from_bytes(hashlib.sha256(b"parkstat.load").digest()[:8], "big", signed=True)


def _as_superuser(url: str) -> bool:
    with psycopg.connect(url) as c:
        row = c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


@pytest.fixture(scope="module")
def target(server_url: str) -> Iterator[str]:
    """A database migrated from scratch (database-level grants are not copied from a
    template), seeded and loaded with seeds/reports."""
    name = f"parkstat_test_{secrets.token_hex(4)}_attacks"
    url = _create(server_url, name)
    try:
        db.upgrade(url)
        with psycopg.connect(url) as seeding:
            seed_all(seeding)
        assert load_paths([SAMPLE_REPORTS_DIR], Database(url)).ok
        yield url
    finally:
        _drop(server_url, name)


def _fingerprint(url: str) -> dict[str, Any]:
    """What an attack would change: tables, views, rows, large objects."""
    with psycopg.connect(url) as c:
        return {
            "relations": c.execute(
                """SELECT n.nspname, c.relname, c.relkind FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ('public', 'bi') ORDER BY 1, 2""").fetchall(),
            "observations": c.execute("SELECT count(*) FROM observation").fetchone(),
            "bi": c.execute("SELECT count(*) FROM bi.observation").fetchone(),
            "large objects": c.execute(
                "SELECT count(*) FROM pg_largeobject_metadata").fetchone(),
            "metric names": c.execute(
                "SELECT md5(string_agg(name_en, ',' ORDER BY code)) FROM metric").fetchone(),
        }


@pytest.fixture(scope="module")
def login(target: str) -> Iterator[str]:
    name = f"parkstat_test_attacker_{secrets.token_hex(3)}"
    yield name
    drop_login(target, name)


@pytest.fixture(scope="module")
def reader_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parkstat_home")


@pytest.fixture(scope="module")
def made(target: str, login: str, reader_home: Path) -> subprocess.CompletedProcess[str]:
    out = run_cli("db", "reader-url", "--login", login, "--statement-timeout", "2",
                  "--connection-limit", "3", database_url=target,
                  env={"PARKSTAT_HOME": str(reader_home)})
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def reader_url(made: subprocess.CompletedProcess[str]) -> str:
    return made.stdout.strip()


@pytest.fixture
def reader(reader_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(reader_url, autocommit=True) as c:
        yield c


# --- 1. export --where -------------------------------------------------------------

ISSUE_CSV = "false)) TO STDOUT; COMMIT; DROP TABLE public.observation CASCADE; --"
ISSUE_PARQUET = ("false) ORDER BY 1; COMMIT; CREATE TABLE pwned(x int); "
                 "SELECT * FROM bi.observation WHERE (false")
ATTEMPTS = [
    ISSUE_CSV,
    ISSUE_PARQUET,
    "cast(pg_read_file('/etc/hostname') as int)>0",
    "(select lo_from_bytea(0,'x')) > 0",
    "lo_from_bytea(0, 'x') > 0",
    "lo_import('/etc/passwd') > 0",
    "pg_sleep(3600) IS NOT NULL",
    "pg_catalog.pg_sleep(3600) IS NOT NULL",
    "set_config('role', 'none', true) IS NOT NULL",
    "set_config('transaction_read_only', 'off', true) IS NOT NULL",
    "query_to_xml('DROP TABLE public.observation CASCADE', true, true, '') IS NOT NULL",
    "pg_advisory_lock(1) IS NOT NULL",
    "year = 2010; DROP TABLE public.observation CASCADE",
    "year = 2010; COMMIT; DROP TABLE public.observation CASCADE",
    "true) OR (true); DELETE FROM observation; --",
    "year = 2010 /* */ ; DROP TABLE public.observation; /* */",
    "year = (WITH d AS (DELETE FROM public.observation RETURNING 1) "
    "SELECT count(*)::int FROM d)",
    "(SELECT count(*) FROM (DELETE FROM observation RETURNING 1) x) > 0",
    "year IN (SELECT 1 FROM pg_authid)",
    "year = 2010 UNION SELECT * FROM bi.observation",
    "true ORDER BY 1",
    "year = 2010 FOR UPDATE",
    "public.observation.year = 2010",
    "year::regclass IS NOT NULL",
    "year OPERATOR(public.=) 2010",
    "current_user = 'postgres'",
    "year = $1",
]


@pytest.mark.parametrize("where", ATTEMPTS)
def test_export_where_runs_one_expression_only(
        target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    """The issue's two strings through the real command line; the rest in-process (the
    same `main`, without a Python start-up each)."""
    from etl.cli import main

    before = _fingerprint(target)
    fmt = "parquet" if where == ISSUE_PARQUET else "csv"
    args = ["export", "--format", fmt, "--where", where, "--timeout", "5"]
    if fmt == "parquet":
        args += ["--out", str(tmp_path / "o.parquet")]
    if where in (ISSUE_CSV, ISSUE_PARQUET):
        out = run_cli(*args, database_url=target)
        code, stdout, stderr = out.returncode, out.stdout, out.stderr
    else:
        code = main(["--database-url", target, *args])
        stdout, stderr = capsys.readouterr()
    assert code == 1, stdout[:300]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parkstat export: --where: "), stderr
    assert stdout == ""
    assert _fingerprint(target) == before


def test_what_runs_is_the_expression_printed_from_its_parse_tree() -> None:
    from etl.serve.where import WhereError, compile_where

    cols = ["year", "metric_code"]
    assert compile_where("year = 2010 -- ) ; DROP TABLE observation", cols) == "year = 2010"
    assert compile_where("year/*x*/=2010", cols) == "year = 2010"
    with pytest.raises(WhereError, match="NUL"):
        compile_where("year = 2010\x00; DROP TABLE observation", cols)


def test_export_still_filters(target: str) -> None:
    out = run_cli("export", "--where", "year >= 2000 AND lower(metric_code) LIKE 'g%' "
                  "AND status IN ('actual', 'target')", database_url=target)
    assert out.returncode == 0, out.stderr
    with psycopg.connect(target) as c:
        n = c.execute("SELECT count(*) FROM bi.observation WHERE year >= 2000 AND "
                      "metric_code LIKE 'g%' AND status IN ('actual', 'target')").fetchone()
    assert n is not None and n[0] > 0
    assert len(out.stdout.splitlines()) == n[0] + 1


def test_export_runs_as_the_reader_read_only_with_a_timeout(target: str) -> None:
    """The walls behind the filter check, seen from inside the export's transaction."""
    with _reading(Database(target), 2.5) as conn:
        row = conn.execute("SELECT current_user, current_setting('transaction_read_only'),"
                           " current_setting('statement_timeout')").fetchone()
        assert row == ("parkstat_reader", "on", "2500ms")
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("SELECT pg_catalog.pg_sleep(10)")


# --- 2. the embedded server's secret ------------------------------------------------


def test_initdb_password_is_never_readable_by_another_user(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While initdb runs, its --pwfile is 0600 in a 0700 folder, owned by the server's
    user; as root, `nobody` tries to read it and cannot."""
    home = Path(tempfile.mkdtemp(prefix="parkstat-home-"))
    monkeypatch.setenv("PARKSTAT_HOME", str(home))
    seen: list[str] = []
    real_run = embedded._run

    def watching(args: list[str], run_as: Any, **kw: Any) -> str:
        pw = next((a.split("=", 1)[1] for a in args if a.startswith("--pwfile=")), None)
        if pw is not None:
            f, d = Path(pw), Path(pw).parent
            owner = run_as.uid if run_as is not None else os.geteuid()
            assert stat.S_IMODE(f.stat().st_mode) == 0o600
            assert stat.S_IMODE(d.stat().st_mode) == 0o700
            assert f.stat().st_uid == owner and d.stat().st_uid == owner
            if os.geteuid() == 0:  # the attacker: another local user
                attacker = pwd.getpwnam("nobody")
                tried = subprocess.run(
                    [shutil.which("cat") or "/bin/cat", pw], cwd="/",
                    user=attacker.pw_uid, group=attacker.pw_gid, extra_groups=[],
                    capture_output=True, text=True, check=False)
                assert tried.returncode != 0 and "Permission denied" in tried.stderr
            seen.append(pw)
        return real_run(args, run_as, **kw)

    monkeypatch.setattr(embedded, "_run", watching)
    try:
        state = embedded.start()
        assert seen, "initdb did not run"
        assert not Path(seen[0]).exists()  # gone once initdb is done
        assert stat.S_IMODE((home / "server.json").stat().st_mode) == 0o600
        with psycopg.connect(state.url()) as c:
            assert c.execute("SELECT 1").fetchone() == (1,)
        _embedded_reader_is_confined(home)
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)


def _embedded_reader_is_confined(home: Path) -> None:
    """On the embedded server (all parkstat's) a reader login reaches its own database
    only: `postgres` and `template1` refuse it (finding 5)."""
    env = {"PARKSTAT_HOME": str(home)}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    out = run_cli("db", "reader-url", env=env)
    assert out.returncode == 0, out.stderr
    url = out.stdout.strip()
    with psycopg.connect(url) as c:
        assert c.execute("SELECT count(*) FROM bi.observation").fetchone() == (0,)
    for other in ("postgres", "template1"):
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(with_database(url, other), connect_timeout=5)


# --- 3. the load lock ---------------------------------------------------------------


def test_reader_cannot_take_or_hold_the_load_lock(
        target: str, reader_url: str, tmp_path: Path) -> None:
    with psycopg.connect(reader_url) as attacker:  # one transaction, held open
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            attacker.execute(LOCK_STATEMENT)
        attacker.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            attacker.execute("SELECT * FROM public.load_lock FOR UPDATE")
        attacker.rollback()
        if _as_superuser(target):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                attacker.execute("SELECT pg_advisory_lock(%s)", (OLD_LOCK_KEY,))
            attacker.rollback()
        # Everything it may do, held open: reading the views, locking them for reading.
        attacker.execute("SELECT count(*) FROM bi.observation").fetchone()
        attacker.execute("LOCK TABLE bi.observation, bi.series_value IN ACCESS SHARE MODE")
        reports = tmp_path / "r"
        shutil.copytree(SAMPLE_REPORTS_DIR, reports)
        (reports / "extra.txt").write_text("全区完成ＧＤＰ２３．５亿元，同比增１５％。\n",
                                           encoding="utf-8")
        load = run_cli("load", str(reports), database_url=target)
        assert load.returncode == 0, load.stderr
        alias = run_cli("alias", "add", "攻击测试园", "荆州区", "--kind", "region",
                        database_url=target)
        assert alias.returncode == 0, alias.stderr
    # The reader running a load itself gets one line, and no lock.
    own = run_cli("load", str(reports), database_url=reader_url)
    assert own.returncode == 1 and own.stderr.strip().splitlines() == [
        f"parkstat load: {urlsplit(reader_url).username} may not load here (it cannot lock "
        "load_lock); load as the database's owner"]


# --- 4. large objects and other writing functions ----------------------------------


@pytest.mark.parametrize("call", [
    "lo_from_bytea(0, 'x')", "lo_create(0)", "lo_creat(-1)", "lo_import('/etc/hostname')",
    "pg_logical_emit_message(false, 'p', 'x')", "pg_notify('c', 'x')",
    "pg_try_advisory_lock(1)", "txid_current()", "pg_read_file('/etc/hostname')",
])
def test_reader_cannot_write_outside_the_tables(target: str, reader: psycopg.Connection,
                                                call: str) -> None:
    if not _as_superuser(target) and not call.startswith(("lo_import", "pg_read_file")):
        pytest.skip("revoking these needs a superuser (the migration warned)")
    before = _fingerprint(target)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        reader.execute(f"SELECT {call}")
    assert _fingerprint(target) == before


# --- 5. reader logins: their database only, with limits ----------------------------


def test_reader_login_reaches_only_its_database(
        server_url: str, target: str, reader_url: str,
        made: subprocess.CompletedProcess[str]) -> None:
    other = f"parkstat_test_{secrets.token_hex(4)}_other"
    other_url = _create(server_url, other)
    try:
        db.upgrade(other_url)  # another parkstat database on the same server
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(with_database(reader_url, other), connect_timeout=5)
    finally:
        _drop(server_url, other)
    # Databases parkstat does not own (this server's `postgres`): named in a warning.
    with psycopg.connect(target) as c:
        row = c.execute("SELECT has_database_privilege('public', 'postgres', 'CONNECT')"
                        ).fetchone()
    if row and row[0]:
        assert "can also connect to" in made.stderr and "postgres" in made.stderr
        assert all(line.startswith("parkstat db reader-url: warning: ")
                   for line in made.stderr.strip().splitlines())
    with psycopg.connect(reader_url) as c, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        c.execute("CREATE TEMP TABLE t (a int)")


def test_reader_login_has_a_statement_timeout_and_a_connection_limit(
        target: str, reader_url: str) -> None:
    with psycopg.connect(reader_url, autocommit=True) as c:
        assert c.execute("SHOW statement_timeout").fetchone() == ("2s",)
        with pytest.raises(psycopg.errors.QueryCanceled):
            c.execute("SELECT pg_sleep(5)")
        if _as_superuser(target):  # a sort spilling to disk stops at 5 GB, for good
            assert c.execute("SHOW temp_file_limit").fetchone() == ("5GB",)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute("SET temp_file_limit = -1")
        held = [psycopg.connect(reader_url) for _ in range(2)]  # 3 with c
        try:
            with pytest.raises(psycopg.OperationalError, match="too many connections"):
                psycopg.connect(reader_url, connect_timeout=5)
        finally:
            for h in held:
                h.close()


def test_reader_url_flags_change_the_limits(target: str, login: str, reader_home: Path,
                                            reader_url: str) -> None:
    """Every call sets the limits again (the login may ALTER ROLE its own timeout away):
    the flags given, the defaults for the others."""
    with psycopg.connect(reader_url, autocommit=True) as c:
        c.execute("ALTER ROLE CURRENT_USER SET statement_timeout = 0")  # the attacker
    env = {"PARKSTAT_HOME": str(reader_home)}
    out = run_cli("db", "reader-url", "--login", login, "--statement-timeout", "7",
                  database_url=target, env=env)
    assert out.returncode == 0 and out.stdout.strip() == reader_url
    with psycopg.connect(reader_url) as c:
        assert c.execute("SHOW statement_timeout").fetchone() == ("7s",)
    with psycopg.connect(target) as c:
        assert c.execute("SELECT rolconnlimit FROM pg_roles WHERE rolname = %s",
                         (login,)).fetchone() == (10,)  # the default: not given this time
    back = run_cli("db", "reader-url", "--login", login, "--statement-timeout", "2",
                   "--connection-limit", "3", database_url=target, env=env)
    assert back.returncode == 0


def test_reader_url_never_touches_the_owner(target: str, reader_home: Path) -> None:
    with psycopg.connect(target) as c:
        me = c.execute("SELECT current_user").fetchone()
    assert me is not None
    out = run_cli("db", "reader-url", "--login", me[0], "--rotate", database_url=target,
                  env={"PARKSTAT_HOME": str(reader_home / "x")})
    assert out.returncode == 1 and "choose another --login" in out.stderr


# --- 6. what analysts are told, and what BI tools see ------------------------------


def test_demo_gives_the_reader_url_and_the_guide(target: str, reader_home: Path) -> None:
    name = f"parkstat_test_demo_{secrets.token_hex(3)}"
    try:
        out = run_cli("demo", "--login", name, database_url=target,
                      env={"PARKSTAT_HOME": str(reader_home / "demo")})
        assert out.returncode == 0, out.stderr
        assert "docs/ANALYSTS.md" in out.stdout and "parkstat db url" in out.stdout
        assert f"psql 'postgresql://{name}:" in out.stdout
        owner = urlsplit(target)
        assert f"{owner.username}@" not in out.stdout
        assert target not in out.stdout
    finally:
        drop_login(target, name)


def test_bi_tool_lists_only_bi(reader_url: str) -> None:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(db.sqlalchemy_url(reader_url))
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            assert insp.default_schema_name == "bi"
            assert insp.get_table_names() == []
            assert "observation" in insp.get_view_names()
            listed = conn.exec_driver_sql(
                """SELECT DISTINCT table_schema FROM information_schema.tables
                   WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"""
            ).fetchall()
            assert listed == [("bi",)]
            usage = conn.exec_driver_sql(
                "SELECT has_schema_privilege('public', 'USAGE')").fetchone()
            assert usage == (False,)
    finally:
        engine.dispose()
