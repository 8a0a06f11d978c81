"""Accounts of `parkstat serve` beyond localhost: reviewers (may correct) and viewers
(read only). Passwords are stored as salted hashes (werkzeug.security, scrypt), never as
given."""

from __future__ import annotations

import psycopg
from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("reviewer", "viewer")


class UserError(ValueError):
    pass


def add_user(conn: psycopg.Connection, name: str, password: str, role: str) -> str:
    """Create the account, or set the password and role of an existing one; returns
    `added` or `updated`."""
    name = name.strip()
    if not name:
        raise UserError("the user name must not be empty")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    row = conn.execute(
        """INSERT INTO app_user (name, password_hash, role) VALUES (%s, %s, %s)
           ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash,
             role = EXCLUDED.role
           RETURNING (xmax = 0)""", (name, generate_password_hash(password), role)).fetchone()
    conn.commit()
    return "added" if row and row[0] else "updated"


def check_user(conn: psycopg.Connection, name: str, password: str) -> str | None:
    """The user's role when the password is right, else None."""
    row = conn.execute("SELECT password_hash, role FROM app_user WHERE name = %s",
                       (name.strip(),)).fetchone()
    if row is None:
        check_password_hash(generate_password_hash("x"), password)  # same time either way
        return None
    return str(row[1]) if check_password_hash(row[0], password) else None


def has_users(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM app_user)").fetchone() == (True,)
