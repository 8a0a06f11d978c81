"""The `bi` schema's runtime side: logins for the read-only role `parkstat_reader`
(created by migration 0002). The column comments generated from the catalogues are
written when the catalogues are seeded (etl/store/seed.py).

The views themselves live in migrations/versions/0002_bi_views.py.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from etl.store.db import Database

READER_ROLE = "parkstat_reader"
DEFAULT_LOGIN = "parkstat_reader_login"
PASSWORDS_FILE = "reader_logins.json"
LOGIN_MARK = "parkstat read-only login"


class ReaderError(RuntimeError):
    """A reader login could not be made or used; the message says why."""


# --- reader logins -------------------------------------------------------------------


def _passwords_path() -> Path:
    from etl.store.embedded import home

    return home() / PASSWORDS_FILE


def _load_passwords() -> dict[str, str]:
    path = _passwords_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_password(key: str, password: str) -> None:
    path = _passwords_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _load_passwords()
    data[key] = password
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    tmp.replace(path)


def _login_url(url: str, login: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(login, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def _store_key(url: str, login: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.rpartition('@')[2] or 'local'}/{login}"


DEFAULT_STATEMENT_TIMEOUT = 300  # seconds; a BI tool's runaway query ends there
DEFAULT_CONNECTION_LIMIT = 10
IDLE_IN_TRANSACTION_TIMEOUT = 600  # seconds; an open transaction holds back VACUUM
# A sort or hash spilling to disk stops there (set only by a superuser, and a login cannot
# change it: PostgreSQL lets only superusers set temp_file_limit).
TEMP_FILE_LIMIT = "5GB"
# pg_catalog functions PUBLIC may run by default that write or hold something outside the
# tables, even in a read-only transaction (migration 0010 revokes them as a superuser).
GUARDED_FUNCTIONS = (
    r"^(lo_(close|creat|create|from_bytea|get|lseek|lseek64|open|put|tell|tell64|"
    r"truncate|truncate64|unlink)|loread|lowrite|pg_(try_)?advisory_.*|"
    r"pg_logical_emit_message|pg_notify|txid_current|pg_current_xact_id)$")


@dataclass
class ReaderLogin:
    url: str
    warnings: list[str] = field(default_factory=list)


def reader_url(database: Database, login: str = DEFAULT_LOGIN, *, rotate: bool = False
               ) -> str:
    """`make_reader_login(...).url` with the defaults."""
    return make_reader_login(database, login, rotate=rotate).url


def make_reader_login(
    database: Database, login: str = DEFAULT_LOGIN, *, rotate: bool = False,
    statement_timeout: float | None = None, connection_limit: int | None = None,
    confine_server: bool = False,
) -> ReaderLogin:
    """A URL for a login in the read-only role, creating the login with a generated
    password if it does not exist.

    The password is kept only in $PARKSTAT_HOME/reader_logins.json (mode 0600), so a
    second call prints the same URL; an existing login whose password this machine does
    not know gets a new one only with rotate=True. Only logins this function made (their
    comment says so) are touched: never a superuser, the owner or another role.

    Every call also sets the login's limits, the defaults unless given:
    `statement_timeout` seconds (0: none), `connection_limit` sessions, an
    idle-in-transaction timeout, search_path `bi` (and as a superuser temp_file_limit);
    and grants it CONNECT on this database only (revision 0010 took CONNECT from PUBLIC).
    `confine_server` (the embedded server, which is all parkstat's) also
    takes CONNECT from PUBLIC on the server's other databases (`postgres`, `template1`).
    What could not be made safe comes back as warnings, one line each.

    Takes the `Database`, not a connection: the login's URL is made from its URL.
    """
    url = database.url
    key = _store_key(url, login)
    warnings: list[str] = []
    with database.connect(autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                        (READER_ROLE,)).fetchone() is None:
            raise ReaderError(f"role {READER_ROLE} does not exist; run `parkstat db upgrade`")
        row = conn.execute(
            """SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls
                        OR r.rolreplication,
                      pg_has_role(r.oid, %s, 'MEMBER'),
                      COALESCE(shobj_description(r.oid, 'pg_authid'), '') LIKE %s
               FROM pg_roles r WHERE r.rolname = %s""",
            (READER_ROLE, LOGIN_MARK + "%", login),
        ).fetchone()
        ident = sql.Identifier(login)
        password: str | None = None
        if row is None:
            password = secrets.token_urlsafe(24)
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                ident, sql.Literal(password), sql.Identifier(READER_ROLE)))
            conn.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(ident, sql.Literal(
                f"{LOGIN_MARK} (member of {READER_ROLE}), made by `parkstat db reader-url`")))
        else:
            powerful, member, ours = bool(row[0]), bool(row[1]), bool(row[2])
            if powerful or not ours:
                raise ReaderError(f"role {login} exists and is not a login made by "
                                  "`parkstat db reader-url`; choose another --login")
            if not member:
                # Ours, but the group role was dropped and re-created (a downgrade and
                # upgrade): make it a member again.
                conn.execute(sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(READER_ROLE), ident))
            known = _load_passwords().get(key)
            if known is None and not rotate:
                raise ReaderError(f"login {login} exists but its password is not stored on "
                                  f"this machine; use --rotate to set a new one")
            if rotate:
                password = secrets.token_urlsafe(24)
                conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                    ident, sql.Literal(password)))
            else:
                assert known is not None
                password = known
        _set_limits(conn, login, statement_timeout, connection_limit)
        warnings += _confine(conn, login, confine_server)
    if row is None or rotate:
        _save_password(key, password)
    return ReaderLogin(_login_url(url, login, password), warnings)


def _set_limits(conn: psycopg.Connection, login: str, statement_timeout: float | None,
                connection_limit: int | None) -> None:
    """Set on every call, the defaults unless given: the login itself may ALTER ROLE its
    own statement_timeout, and the next `reader-url` puts it back."""
    ident = sql.Identifier(login)
    n = DEFAULT_CONNECTION_LIMIT if connection_limit is None else connection_limit
    conn.execute(sql.SQL("ALTER ROLE {} CONNECTION LIMIT {}").format(ident, sql.Literal(n)))
    seconds = DEFAULT_STATEMENT_TIMEOUT if statement_timeout is None else statement_timeout
    settings = {
        "statement_timeout": f"{round(seconds * 1000)}ms",
        "idle_in_transaction_session_timeout": f"{IDLE_IN_TRANSACTION_TIMEOUT}s",
        "search_path": "bi",
    }
    su = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if su and su[0]:
        settings["temp_file_limit"] = TEMP_FILE_LIMIT
    for name, value in settings.items():
        conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
            ident, sql.Identifier(name), sql.Literal(value)))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(conn.info.dbname), ident))


def _confine(conn: psycopg.Connection, login: str, confine_server: bool) -> list[str]:
    """Take from PUBLIC what 0010 could not (as a superuser), and say what is left."""
    warnings: list[str] = []
    su = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if su and su[0]:
        for (f,) in conn.execute(
                """SELECT p.oid::regprocedure::text FROM pg_proc p
                   WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ %s
                     AND has_function_privilege('public', p.oid, 'EXECUTE')""",
                (GUARDED_FUNCTIONS,)).fetchall():
            conn.execute(sql.SQL("REVOKE EXECUTE ON FUNCTION {} FROM PUBLIC").format(
                sql.SQL(f)))  # type: ignore[arg-type]  # a regprocedure printed by the server
    open_functions = conn.execute(
        """SELECT string_agg(DISTINCT p.proname, ', ' ORDER BY p.proname) FROM pg_proc p
           WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ %s
             AND has_function_privilege(%s, p.oid, 'EXECUTE')""",
        (GUARDED_FUNCTIONS, login)).fetchone()
    if open_functions and open_functions[0]:
        warnings.append(f"{login} can still run {_short(open_functions[0])}: run this "
                        "command once as a superuser to revoke them from PUBLIC")
    db = conn.info.dbname
    if not _can_connect(conn, login, db):
        warnings.append(f"{login} cannot connect to {db}: its owner must GRANT CONNECT "
                        f"ON DATABASE {db} TO {login}")
    others = _other_databases(conn, login, db)
    if others and confine_server:
        for name in others:
            conn.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(name)))
        others = _other_databases(conn, login, db)
    if others:
        warnings.append(
            f"{login} can also connect to {_short(', '.join(others))} (CONNECT is granted to "
            "PUBLIC there); to confine it: REVOKE CONNECT ON DATABASE <name> FROM PUBLIC")
    return warnings


def _can_connect(conn: psycopg.Connection, login: str, db: str) -> bool:
    row = conn.execute("SELECT has_database_privilege(%s, %s, 'CONNECT')",
                       (login, db)).fetchone()
    return bool(row and row[0])


def _other_databases(conn: psycopg.Connection, login: str, db: str) -> list[str]:
    return [r[0] for r in conn.execute(
        """SELECT datname FROM pg_database WHERE datallowconn AND datname <> %s
             AND has_database_privilege(%s, oid, 'CONNECT')
           ORDER BY datname NOT IN ('postgres', 'template1'), datname""",
        (db, login))]


def _short(names: str, keep: int = 6) -> str:
    parts = names.split(", ")
    return ", ".join(parts[:keep]) + (f" and {len(parts) - keep} more" if len(parts) > keep
                                      else "")
