"""The `bi` schema's runtime side: column comments generated from the catalogues, and
logins for the read-only role `parkstat_reader` (created by migration 0002).

The views themselves live in migrations/versions/0002_bi_views.py.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from etl.paths import SEEDS_DIR

READER_ROLE = "parkstat_reader"
DEFAULT_LOGIN = "parkstat_reader_login"
PASSWORDS_FILE = "reader_logins.json"
LOGIN_MARK = "parkstat read-only login"


class ReaderError(RuntimeError):
    """A reader login could not be made or used; the message says why."""


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def metric_code_comment(seeds: Path = SEEDS_DIR) -> str:
    lines = ["Indicator code (bi.dim_metric; seeds/metrics.csv):"]
    for m in _rows(seeds / "metrics.csv"):
        unit = f" [{m['canonical_unit']}]" if m["canonical_unit"] else ""
        lines.append(f"{m['code']} = {m['name_zh']}, {m['name_en']}{unit}")
    return "\n".join(lines)


def unit_code_comment(seeds: Path = SEEDS_DIR) -> str:
    lines = ["Canonical unit of the value (bi.dim_unit; seeds/units.csv); values are "
             "already multiplied out (亿元 → CNY):"]
    for u in _rows(seeds / "units.csv"):
        lines.append(f"{u['code']} = {u['name_zh']} ({u['dimension']})")
    return "\n".join(lines)


def comment_catalogue_columns(conn: psycopg.Connection, seeds: Path = SEEDS_DIR) -> int:
    """Set the comment of every bi column holding a metric or unit code to the catalogue's
    list of codes. Only views this user owns, only where the comment changed; a database
    without the bi schema is left alone. Returns the number of comments written."""
    wanted = {
        "metric_code": metric_code_comment(seeds),
        "unit_code": unit_code_comment(seeds),
        "canonical_unit_code": unit_code_comment(seeds),
    }
    rows = conn.execute(
        """SELECT c.relname, a.attname, col_description(c.oid, a.attnum)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname = 'bi' AND c.relkind = 'v' AND a.attname = ANY(%s)
             AND pg_has_role(c.relowner, 'USAGE')""",
        (list(wanted),),
    ).fetchall()
    written = 0
    for view, column, current in rows:
        if current != wanted[column]:
            conn.execute(sql.SQL("COMMENT ON COLUMN {} IS {}").format(
                sql.Identifier("bi", view, column), sql.Literal(wanted[column])))
            written += 1
    return written


# --- reader logins -------------------------------------------------------------------


def _passwords_path() -> Path:
    from etl.embedded import home

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


def reader_url(url: str, login: str = DEFAULT_LOGIN, *, rotate: bool = False) -> str:
    """A URL for a login in the read-only role, creating the login with a generated
    password if it does not exist.

    The password is kept only in $PARKSTAT_HOME/reader_logins.json (mode 0600), so a
    second call prints the same URL; an existing login whose password this machine does
    not know gets a new one only with rotate=True. A role that is not a plain member of
    parkstat_reader (a superuser, say) is never touched.
    """
    key = _store_key(url, login)
    with psycopg.connect(url, autocommit=True) as conn:
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
        if row is None:
            password = secrets.token_urlsafe(24)
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                ident, sql.Literal(password), sql.Identifier(READER_ROLE)))
            conn.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(ident, sql.Literal(
                f"{LOGIN_MARK} (member of {READER_ROLE}), made by `parkstat db reader-url`")))
        else:
            powerful, member, ours = bool(row[0]), bool(row[1]), bool(row[2])
            if ours and not powerful and not member:
                # Ours, but the group role was dropped and re-created (a downgrade and
                # upgrade): make it a member again.
                conn.execute(sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(READER_ROLE), ident))
                member = True
            if powerful or not member:
                raise ReaderError(f"role {login} exists and is not a plain member of "
                                  f"{READER_ROLE}; choose another --login")
            known = _load_passwords().get(key)
            if known is not None and not rotate:
                return _login_url(url, login, known)
            if not rotate:
                raise ReaderError(f"login {login} exists but its password is not stored on "
                                  f"this machine; use --rotate to set a new one")
            password = secrets.token_urlsafe(24)
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                ident, sql.Literal(password)))
    _save_password(key, password)
    return _login_url(url, login, password)
