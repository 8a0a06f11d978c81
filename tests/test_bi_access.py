"""The read-only login from `parkstat db reader-url`, over TCP as a BI tool connects: it
reads and introspects every bi view, and can change, create or read nothing else (not
even the catalogues in public since revision 0010: bi.dim_metric, dim_unit and dim_region
show them). tests/test_attacks.py tries harder."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from tests.conftest import drop_login, run_cli

pytestmark = pytest.mark.db

INTERNAL = ["observation", "source_document", "load_run", "rejected_record", "entity_alias",
            "park", "cluster", "company", "alembic_version", "metric", "unit", "region",
            "load_lock"]


@pytest.fixture(scope="module")
def login(corpus_db: str) -> Iterator[str]:
    name = f"parkstat_test_reader_{secrets.token_hex(3)}"
    yield name
    drop_login(corpus_db, name)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parkstat_home")


@pytest.fixture(scope="module")
def reader_url(corpus_db: str, login: str, home: Path) -> str:
    out = run_cli("db", "reader-url", "--login", login, database_url=corpus_db,
                  env={"PARKSTAT_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    url = out.stdout.strip()
    parts = urlsplit(url)
    assert parts.username == login and parts.password
    assert parts.path == urlsplit(corpus_db).path
    return url


@pytest.fixture
def reader(reader_url: str) -> Iterator[psycopg.Connection]:
    host = urlsplit(reader_url).hostname
    assert host and not host.startswith("/"), "the test must connect over TCP"
    with psycopg.connect(reader_url, autocommit=True) as c:
        yield c


def test_reader_url_is_stable_and_secret_stays_out_of_the_repo(
        corpus_db: str, login: str, home: Path, reader_url: str) -> None:
    again = run_cli("db", "reader-url", "--login", login, database_url=corpus_db,
                    env={"PARKSTAT_HOME": str(home)})
    assert again.returncode == 0 and again.stdout.strip() == reader_url
    stored = home / "reader_logins.json"
    assert stored.stat().st_mode & 0o077 == 0
    # Elsewhere (no stored password) it will not silently reset the password...
    other = run_cli("db", "reader-url", "--login", login, database_url=corpus_db,
                    env={"PARKSTAT_HOME": str(home / "elsewhere")})
    assert other.returncode == 1 and "--rotate" in other.stderr
    # ...and it never touches a role that is not a plain reader.
    su = run_cli("db", "reader-url", "--login", "postgres", database_url=corpus_db,
                 env={"PARKSTAT_HOME": str(home / "elsewhere")})
    assert su.returncode == 1


def test_reader_reads_and_introspects_every_bi_view(reader: psycopg.Connection) -> None:
    views = [r[0] for r in reader.execute(
        "SELECT table_name FROM information_schema.views WHERE table_schema = 'bi'")]
    assert len(views) == 11  # 0011 added bi.record_count
    for v in views:
        cur = reader.execute(sql.SQL("SELECT * FROM {} LIMIT 3").format(
            sql.Identifier("bi", v)))
        assert cur.description
    assert reader.execute("SELECT count(*) FROM bi.observation").fetchone() != (0,)
    # What a BI tool asks for: columns with their types and descriptions.
    cols = reader.execute(
        """SELECT c.table_name, c.column_name, c.data_type, pg_catalog.col_description(
               format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position)
           FROM information_schema.columns c WHERE c.table_schema = 'bi'""").fetchall()
    assert cols and all(desc for *_, desc in cols)
    assert {r[0] for r in cols} == set(views)
    comments = reader.execute(
        """SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c
           WHERE c.relnamespace = 'bi'::regnamespace""").fetchall()
    assert all(desc for _, desc in comments)
    for t in ("dim_metric", "dim_unit", "dim_region"):
        assert reader.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier("bi", t))).fetchone() != (0,)


@pytest.mark.parametrize("table", INTERNAL)
def test_reader_cannot_read_internal_tables(reader: psycopg.Connection, table: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        reader.execute(sql.SQL("SELECT * FROM {} LIMIT 1").format(
            sql.Identifier("public", table)))


@pytest.mark.parametrize("statement", [
    "INSERT INTO public.metric (code, name_zh, name_en) VALUES ('x', 'x', 'x')",
    "UPDATE public.metric SET name_en = 'x'",
    "DELETE FROM public.region",
    "UPDATE bi.dim_metric SET metric_name_en = 'x'",
    "DELETE FROM bi.observation",
    "INSERT INTO bi.dim_unit (unit_code) VALUES ('x')",
    "TRUNCATE public.unit",
    "CREATE TABLE public.x (a int)",
    "CREATE TABLE bi.x (a int)",
    "CREATE VIEW bi.v AS SELECT 1 AS a",
    "CREATE TEMP TABLE x (a int)",
    "CREATE SCHEMA x",
    "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "COMMENT ON VIEW bi.observation IS 'x'",
    "DROP VIEW bi.series_value",
])
def test_reader_cannot_change_or_create(reader: psycopg.Connection, statement: str) -> None:
    with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.WrongObjectType,
                        psycopg.errors.ObjectNotInPrerequisiteState)):
        reader.execute(statement)


def test_reader_cannot_pass_its_rights_on(reader: psycopg.Connection) -> None:
    reader.execute("GRANT SELECT ON bi.dim_metric TO PUBLIC")  # a warning: nothing granted
    row = reader.execute(
        "SELECT has_table_privilege('public', 'bi.dim_metric', 'SELECT')").fetchone()
    assert row == (False,)


def test_reader_grants_are_minimal(corpus_db: str) -> None:
    """The group role has USAGE on bi and SELECT on its views, and no other privilege on
    any relation, nor USAGE on public."""
    with psycopg.connect(corpus_db) as c:
        rows = c.execute(
            """SELECT n.nspname, c.relname, p.priv FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
                                       'REFERENCES', 'TRIGGER']) AS p(priv)
               WHERE n.nspname IN ('public', 'bi') AND c.relkind IN ('r', 'v', 'm', 'p')
                 AND has_table_privilege('parkstat_reader', c.oid, p.priv)""").fetchall()
        views = {r[0] for r in c.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'bi'")}
        schemas = c.execute(
            """SELECT nspname, has_schema_privilege('parkstat_reader', oid, 'USAGE'),
                      has_schema_privilege('parkstat_reader', oid, 'CREATE')
               FROM pg_namespace WHERE nspname IN ('bi', 'public')""").fetchall()
    assert {(s, t) for s, t, p in rows} == {("bi", v) for v in views}
    assert {p for *_, p in rows} == {"SELECT"}
    assert sorted(schemas) == [("bi", True, False), ("public", False, False)]
