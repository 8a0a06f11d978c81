"""The embedded server really starts here, as whoever runs the tests (root in CI)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from etl.store import embedded
from tests.conftest import run_cli

pytestmark = pytest.mark.db


@pytest.fixture
def parkstat_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # Under /tmp, not pytest's tmp_path: as root the server runs as another user, who
    # cannot traverse /tmp/pytest-of-root (mode 0700).
    home = Path(tempfile.mkdtemp(prefix="parkstat-home-"))
    monkeypatch.setenv("PARKSTAT_HOME", str(home))
    try:
        yield home
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_start_url_restart_stop(parkstat_home: Path) -> None:
    state = embedded.start()
    assert state.url().startswith("postgresql://parkstat:")
    assert "@127.0.0.1:" in state.url()
    with psycopg.connect(state.url()) as conn:
        row = conn.execute("SELECT current_database(), inet_server_addr()::text").fetchone()
    assert row == ("parkstat", "127.0.0.1/32")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(state.url().replace(state.password, "wrong"), connect_timeout=5)

    assert embedded.start() == state          # already running: same port, same password
    assert embedded.stop() is True
    assert embedded.is_running() is False
    assert embedded.stop() is False
    assert embedded.start().port == state.port  # remembered across restarts


def test_cli_uses_embedded_without_database_url(parkstat_home: Path) -> None:
    started = run_cli("db", "start", env={"PARKSTAT_HOME": str(parkstat_home)})
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert run_cli("db", "url", env={"PARKSTAT_HOME": str(parkstat_home)}).stdout.strip() == url
    upgraded = run_cli("db", "upgrade", env={"PARKSTAT_HOME": str(parkstat_home)})
    assert upgraded.returncode == 0, upgraded.stderr
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regclass('observation') IS NOT NULL").fetchone()
    assert row == (True,)
    stopped = run_cli("db", "stop", env={"PARKSTAT_HOME": str(parkstat_home)})
    assert stopped.stdout.strip() == "stopped"
