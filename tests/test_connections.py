"""Connections are resolved once (issue 12): the CLI resolves the database
(`Database.resolve`, etl/store/db.py) and hands library functions a session, or the
`Database` where they must open sessions themselves. No other module resolves a URL or
calls psycopg.connect: a function that did would ignore the --database-url the user gave
its command, or start the embedded server behind the CLI's back."""

from __future__ import annotations

import ast
from pathlib import Path

ETL = Path(__file__).resolve().parent.parent / "etl"

# Where sessions are opened from a URL: the Database itself, and the embedded server's
# own administration (it makes the database the URL names).
OPENS_SESSIONS = {"store/db.py", "store/embedded.py"}
# Where a URL is resolved: db.py defines it, the CLI does it once per command.
RESOLVES = {"store/db.py", "cli.py"}


def _calls(path: Path) -> set[str]:
    """The dotted names called in a module: psycopg.connect, resolve_url, Database.resolve…"""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f, parts = node.func, []
            while isinstance(f, ast.Attribute):
                parts.append(f.attr)
                f = f.value
            if isinstance(f, ast.Name):
                parts.append(f.id)
            found.add(".".join(reversed(parts)))
    return found


def _modules() -> dict[str, set[str]]:
    return {p.relative_to(ETL).as_posix(): _calls(p) for p in ETL.rglob("*.py")}


def test_only_the_database_opens_sessions_from_a_url() -> None:
    opens = {"psycopg.connect", "psycopg.Connection.connect"}
    wrong = sorted(m for m, calls in _modules().items()
                   if m not in OPENS_SESSIONS and calls & opens)
    assert wrong == [], f"psycopg.connect outside {sorted(OPENS_SESSIONS)}: {wrong}"


def test_only_the_cli_resolves_the_database() -> None:
    wrong = sorted(m for m, calls in _modules().items()
                   if m not in RESOLVES and calls & {"resolve_url", "db.resolve_url",
                                                     "Database.resolve"})
    assert wrong == [], f"a URL resolved outside the CLI: {wrong}"
