"""The `parkstat` command.

Exit codes: 0 success; 1 something failed (a file, a document, the database); 2 bad
usage; 3 another `parkstat load` holds the load lock.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from etl import __version__

if TYPE_CHECKING:
    import psycopg

    from etl.store.db import Database

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return n


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = 0.0
    if not x > 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return x


def _seconds(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = -1.0
    if not 0 <= x < 2_000_000:
        raise argparse.ArgumentTypeError(f"expected a number of seconds (0 or more), not "
                                         f"{text!r}")
    return x


def _database(args: argparse.Namespace) -> Database:
    """The database of this command, resolved once, here: --database-url, else
    $DATABASE_URL, else the embedded server (started on demand). Library functions get
    it, or a session opened on it; none of them resolves a URL itself."""
    from etl.store.db import Database

    return Database.resolve(args.database_url)


def _entities_session(args: argparse.Namespace) -> psycopg.Connection:
    """The session of `entities` and `alias`: named in pg_stat_activity, and an
    unreachable server fails in 10 s instead of hanging."""
    return _database(args).connect(application_name="parkstat entities", connect_timeout=10)


def cmd_extract(args: argparse.Namespace) -> int:
    """Records as JSON Lines: one <stem>.jsonl per report in --out, or every record on
    standard output without --out (the per-file lines then go to standard error)."""
    from etl.extract import deadline
    from etl.extract.jsonl import record_line, write_jsonl
    from etl.extract.pipeline import extract_file, warm_up
    from etl.inputs.files import report_files
    from etl.inputs.read import ReportReadError
    from etl.messages import failure_line, path_text
    from etl.progress import Progress

    try:
        limit = deadline.max_seconds()
    except ValueError as e:
        _err(f"parkstat extract: {e}")
        return EXIT_USAGE
    found = report_files(args.paths)
    failed = len(found.missing)
    n_files = n_records = 0
    to_stdout = args.out is None
    report = sys.stderr if to_stdout else sys.stdout
    bar = Progress(len(found.files), "extract")
    profile: dict[str, float] | None = {} if args.profile else None
    for path, reason in found.missing:
        _err(failure_line(path, reason))
    try:
        for path in found.files:
            try:
                warm_up()
                with deadline.time_limit(limit):
                    doc = extract_file(path, profile=profile)
            except ReportReadError as e:
                bar.close()
                _err(failure_line(e.path, e.reason))
                failed += 1
                bar.advance()
                continue
            except deadline.ExtractionTimeout as e:
                bar.close()
                _err(failure_line(path, str(e)))
                failed += 1
                bar.advance()
                continue
            except Exception as e:  # one bad file must not stop the batch
                bar.close()
                _err(failure_line(path, f"extraction failed: {type(e).__name__}: {e}"))
                failed += 1
                bar.advance()
                continue
            if to_stdout:
                sys.stdout.write("".join(record_line(r) + "\n" for r in doc.records))
                sys.stdout.flush()
            else:
                out = write_jsonl(doc.records, args.out, path)
                if not bar.enabled:
                    print(f"{path_text(out)}: {len(doc.records)} records, "
                          f"{len(doc.rejected)} rejected", file=report)
            n_files += 1
            n_records += len(doc.records)
            bar.advance(records=len(doc.records))
    finally:
        bar.close()
    print(f"{n_files} files extracted, {n_records} records, {failed} failed", file=report)
    if profile is not None:
        from etl.extract.stages import profile_lines

        for line in profile_lines(profile):
            _err(line)
    return EXIT_FAILED if failed else 0


def cmd_load(args: argparse.Namespace) -> int:
    from etl.inputs.identity import check_source_name
    from etl.progress import Progress
    from etl.store.load import LoadError, LoadLocked, load_paths

    def bar(total: int) -> Progress:
        # On a terminal only, and never with --json: a program reads that output.
        return Progress(total, "load", enabled=False if args.json else None)

    try:
        if args.source is not None:  # a usage error before the server is resolved (started)
            check_source_name(args.source)
        database = _database(args)
        summary = load_paths(args.paths, database, wait=args.wait,
                             workers=args.workers, reextract=args.reextract,
                             progress=bar, source=args.source)
    except ValueError as e:  # a --source that cannot name a source
        _err(f"parkstat load: {e}")
        return EXIT_USAGE
    except LoadLocked as e:
        _err(f"parkstat load: {e}")
        if args.json:
            print(json.dumps({"status": "locked", "error": str(e)}))
        return EXIT_LOCKED
    except LoadError as e:  # schedulers reading --json get a status either way
        _err(f"parkstat load: {e}")
        if args.json:
            print(json.dumps({"status": "error", "error": str(e)}, ensure_ascii=False))
        return EXIT_FAILED
    for f in summary.failures:
        _err(f"{f.path}: {f.reason}")
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        print(
            f"load run {summary.run_id}: {summary.status}; documents: "
            f"{summary.documents_new} new, {summary.documents_changed} changed, "
            f"{summary.documents_skipped} skipped, {summary.documents_failed} failed; "
            f"records: {summary.records_loaded} loaded, "
            f"{summary.records_quarantined} quarantined"
        )
    return 0 if summary.ok else EXIT_FAILED


def cmd_db(args: argparse.Namespace) -> int:
    from etl.store import db, embedded

    action = args.action
    if action == "start":
        print(embedded.start().url())
    elif action == "stop":
        print("stopped" if embedded.stop() else "not running")
    elif action == "status":
        return _db_status(args.database_url)
    elif action == "url":
        print(_database(args).url)
    elif action == "upgrade":
        db.upgrade(_database(args).url, args.revision or "head")
    elif action == "downgrade":
        return _downgrade(_database(args).url, args.revision or "base", args.yes)
    elif action == "reader-url":
        from etl.serve.bi import ReaderError, make_reader_login

        try:
            made = make_reader_login(
                _database(args), args.login, rotate=args.rotate,
                statement_timeout=args.statement_timeout,
                connection_limit=args.connection_limit,
                confine_server=_embedded(args))
        except ReaderError as e:
            _err(f"parkstat db reader-url: {e}")
            return EXIT_FAILED
        for w in made.warnings:
            _err(f"parkstat db reader-url: warning: {w}")
        print(made.url)
    return 0


def _embedded(args: argparse.Namespace) -> bool:
    """True when the database is the embedded server (no URL given): all parkstat's."""
    import os

    return not (args.database_url or os.environ.get("DATABASE_URL"))


def _downgrade(url: str, revision: str, yes: bool) -> int:
    """Show what the downgrade drops; do it with --yes, or when the database's name is
    typed on a terminal."""
    from alembic.util import CommandError

    from etl.messages import one_line
    from etl.store import db

    try:
        plan = db.downgrade_plan(url, revision)
    except CommandError as e:
        _err(f"parkstat db downgrade: {one_line(e)}")
        return EXIT_USAGE
    _err(plan.describe())
    if plan.empty:
        return 0
    if not yes:
        if not sys.stdin.isatty():
            _err("parkstat db downgrade: not done: it drops what is listed above; run it "
                 "again with --yes to do it")
            return EXIT_USAGE
        name = plan.where.rsplit("/", 1)[-1]
        try:
            typed = input(f"Type the database name ({name}) to drop what is listed above: ")
        except EOFError:
            typed = ""
        if typed.strip() != name:
            _err("parkstat db downgrade: not confirmed; nothing changed")
            return EXIT_FAILED
    db.downgrade(url, revision)
    print(f"downgraded {plan.where} to {revision}")
    return 0


def cmd_source(args: argparse.Namespace) -> int:
    from etl.messages import printable
    from etl.store.sources import SourceError, list_sources, rename_source

    database = _database(args)
    if args.action == "list":
        with database.connect() as conn:
            sources = list_sources(conn)
        if args.json:
            print(json.dumps([s.as_dict() for s in sources], ensure_ascii=False, default=str))
            return 0
        print("source\tdocuments\tlast loaded")
        for s in sources:
            name = printable(s.source) if s.source is not None else "(before revision 0008)"
            print(f"{name}\t{s.documents}\t{s.last_loaded:%Y-%m-%d %H:%M}")
        return 0
    try:
        with database.connect() as conn:
            moved = rename_source(conn, args.old, args.new, wait=args.wait)
    except ValueError as e:
        _err(f"parkstat source rename: {e}")
        return EXIT_USAGE
    except SourceError as e:
        _err(f"parkstat source rename: {printable(str(e))}")
        return EXIT_LOCKED if e.locked else EXIT_FAILED
    print(f"{moved} documents moved from source {printable(args.old)} to "
          f"{printable(args.new)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from etl.serve.checks import format_report, run_checks, select_checks

    try:
        select_checks(args.only or None)
    except ValueError as e:
        _err(f"parkstat check: {e}")
        return EXIT_USAGE
    with _database(args).connect() as conn:
        report = run_checks(conn, args.only or None, examples=args.examples)
    if args.json:
        out = report.as_dict()
        out["ok"] = report.ok(args.strict)
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        print(format_report(report))
    return 0 if report.ok(args.strict) else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from etl.serve.export_tables import ExportError, export

    unplaced: list[str] = []
    try:
        rows = export(_database(args), args.format, args.out, args.where,
                      timeout=args.timeout, excel=args.excel, unplaced=unplaced)
    except ExportError as e:
        _err(f"parkstat export: {e}")
        return EXIT_FAILED
    if unplaced:  # said, not silently blank
        shown = 10
        _err(f"parkstat export: {len(unplaced)} rows have no TIME_PERIOD (neither a year "
             f"nor a period in the report): " + "; ".join(unplaced[:shown])
             + (f"; … and {len(unplaced) - shown} more" if len(unplaced) > shown else ""))
    if args.out is not None:
        print(f"{args.out}: {rows} rows ({args.format})")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from etl.store.entities import EntityError, list_entities

    try:
        with _entities_session(args) as conn:
            found = list_entities(conn, provisional=args.provisional, kind=args.kind)
    except EntityError as e:
        _err(f"parkstat entities: {e}")
        return EXIT_FAILED
    if args.json:
        print(json.dumps([ent.as_dict() for ent in found], ensure_ascii=False))
        return 0
    print("kind\tid\tname\tprovisional\tobservations\tfirst document\tcode / region")
    for ent in found:
        where = ent.code if ent.kind == "region" else ent.region
        print(f"{ent.kind}\t{ent.id}\t{ent.name}\t{'yes' if ent.provisional else 'no'}\t"
              f"{ent.observations}\t{ent.first_document or ''}\t{where or ''}")
    what = "provisional entities" if args.provisional else "entities"
    _err(f"{len(found)} {what}{f' ({args.kind})' if args.kind else ''}")
    return 0


def cmd_alias(args: argparse.Namespace) -> int:
    from etl.store.entities import EntitiesLocked, EntityError, add_alias, list_aliases

    if args.action == "list":
        try:
            with _entities_session(args) as conn:
                aliases = list_aliases(conn, kind=args.kind, origin=args.origin)
        except EntityError as e:
            _err(f"parkstat alias list: {e}")
            return EXIT_FAILED
        if args.json:
            print(json.dumps([a.as_dict() for a in aliases], ensure_ascii=False))
            return 0
        print("kind\talias\tentity id\tentity\tcode\torigin")
        for a in aliases:
            name = a.entity_name + (" (provisional)" if a.provisional else "")
            print(f"{a.kind}\t{a.alias}\t{a.entity_id}\t{name}\t{a.code or ''}\t{a.origin}")
        return 0
    try:
        with _entities_session(args) as conn:
            r = add_alias(conn, args.alias, args.canonical, args.kind, wait=args.wait)
    except ValueError as e:
        _err(f"parkstat alias add: {e}")
        return EXIT_USAGE
    except EntitiesLocked as e:
        _err(f"parkstat alias add: {e}")
        return EXIT_LOCKED
    except EntityError as e:
        _err(f"parkstat alias add: {e}")
        return EXIT_FAILED
    if args.json:
        print(json.dumps(r.as_dict(), ensure_ascii=False))
    elif r.action == "merged":
        print(f"merged provisional {r.kind} {r.merged_name} (id {r.merged_id}) into "
              f"{r.canonical_name} (id {r.canonical_id}): {r.observations_moved} "
              f"observations moved; {r.alias} is now its alias")
    elif r.action == "added":
        print(f"{r.alias} is now an alias of {r.kind} {r.canonical_name} (id {r.canonical_id})")
    else:
        print(f"{r.alias} already names {r.kind} {r.canonical_name} (id {r.canonical_id}); "
              "nothing changed")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from etl.store.seed import seed_all

    with _database(args).connect() as conn:
        counts = seed_all(conn)
    print(f"seeded {counts.metrics} metrics, {counts.units} units, {counts.regions} regions,"
          f" {counts.clusters} industries")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.paths import SAMPLE_REPORTS_DIR
    from etl.serve.report import format_overview, overview
    from etl.store import db
    from etl.store.load import load_paths
    from etl.store.seed import seed_all

    database = _database(args)
    db.upgrade(database.url)
    with database.connect() as conn:
        counts = seed_all(conn)
    print(f"seeded {counts.metrics} metrics, {counts.units} units, {counts.regions} regions,"
          f" {counts.clusters} industries")
    paths = args.paths or [SAMPLE_REPORTS_DIR]
    summary = load_paths(paths, database)
    for f in summary.failures:
        _err(f"{f.path}: {f.reason}")
    print(f"loaded {', '.join(str(p) for p in paths)}: load run {summary.run_id} "
          f"{summary.status}, {summary.records_loaded} records loaded, "
          f"{summary.records_quarantined} quarantined, {summary.documents_skipped} "
          f"documents unchanged")
    print(format_overview(overview(database)))
    _print_reader_url(database, args.login, _embedded(args))
    return 0 if summary.ok else EXIT_FAILED


def _author(args: argparse.Namespace) -> str:
    import getpass

    return args.author or getpass.getuser()


def _field_values(items: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise ValueError(f"expected FIELD=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


def cmd_correct(args: argparse.Namespace) -> int:

    from etl.store.corrections import CorrectionError, correct

    try:
        changes = _field_values(args.changes)
    except ValueError as e:
        _err(f"parkstat correct: {e}")
        return EXIT_USAGE
    kinds = [k for k in ("confirm", "reject") if getattr(args, k)]
    if args.add is not None:
        kinds.append("add")
    if len(kinds) > 1 or (kinds and kinds != ["add"] and changes) or (not kinds and not changes):
        _err("parkstat correct: give FIELD=VALUE changes, or --confirm, --reject, or --add END "
             "with the new record's FIELD=VALUE")
        return EXIT_USAGE
    kind = kinds[0] if kinds else "change"
    try:
        with _database(args).connect() as conn:
            made = correct(conn, args.document, author=_author(args), kind=kind,
                           start=args.start, observation_id=args.record, changes=changes,
                           note=args.note, end=args.add,
                           added=changes if kind == "add" else None)
    except CorrectionError as e:
        _err(f"parkstat correct: {e}")
        return EXIT_FAILED
    print(f"{kind}: correction{'s' if len(made.ids) > 1 else ''} "
          f"{', '.join(str(i) for i in made.ids)} applied")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:

    from etl.store.corrections import accuracy, export_corrections, list_corrections

    with _database(args).connect() as conn:
        if args.action == "export":
            written = export_corrections(conn, args.out)
            for path, n in written:
                print(f"{path}: {n} records")
            _err(f"{len(written)} reviewed documents exported")
            return 0
        if args.action == "accuracy":
            acc = accuracy(conn)
            if args.json:
                print(json.dumps(acc.as_dict(), ensure_ascii=False))
                return 0
            print(f"reviewed records: {acc.reviewed}; rejected: {acc.rejected}; "
                  f"added (missed): {acc.added}")
            for fld, share in acc.fields.items():
                shown = "-" if share is None else f"{share:.3f}"
                print(f"{fld}\t{shown}\t({acc.wrong[fld]} corrected)")
            return 0
        found = list_corrections(conn, state="orphaned" if args.orphaned else None)
    if args.json:
        print(json.dumps([c.as_dict() for c in found], ensure_ascii=False))
        return 0
    print("id\tdocument\tstart\tquote\tkind\tfield\tbefore\tafter\tauthor\tstate")
    for c in found:
        state = c.state + (f" ({c.orphan_reason})" if c.orphan_reason else "")
        print(f"{c.id}\t{c.document_name}\t{c.span_start}\t{c.quote}\t{c.kind}\t"
              f"{c.field or ''}\t{c.value_before or ''}\t{c.value_after or ''}\t{c.author}\t"
              f"{state}")
    orphaned = sum(c.state == "orphaned" for c in found)
    _err(f"{len(found)} corrections, {orphaned} orphaned")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    import getpass

    from etl.store.users import UserError, add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            _err("parkstat user add: the passwords differ")
            return EXIT_USAGE
    try:
        with _database(args).connect() as conn:
            done = add_user(conn, args.name, password, args.role)
    except UserError as e:
        _err(f"parkstat user add: {e}")
        return EXIT_USAGE
    print(f"{done} {args.role} {args.name}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from etl.serve.web import serve

    return serve(_database(args), host=args.host, port=args.port, author=args.author)


def _print_reader_url(database: Database, login: str, embedded: bool) -> None:
    """Where analysts go next: the read-only login (never the owner's URL, which can
    change and drop everything), and the guide to the views."""
    from psycopg import Error as PgError

    from etl.serve.bi import ReaderError, make_reader_login

    print("For psql or a BI tool (read-only: the bi views), see docs/ANALYSTS.md:")
    try:
        made = make_reader_login(database, login, confine_server=embedded)
    except (ReaderError, PgError) as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"  (no read-only login: {msg}; a user with CREATEROLE can run "
              "`parkstat db reader-url`)")
    else:
        for w in made.warnings:
            _err(f"parkstat demo: warning: {w}")
        print(f"  psql '{made.url}'")
    print("The owner's URL, for loads and migrations only: `parkstat db url`.")


PATHS_HELP = "report files, directories, globs, or - for stdin"


def _hide_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def _db_status(database_url: str | None) -> int:
    """The server parkstat would use: URL (password hidden), port, data folder, version,
    schema revision. The embedded server is not started by asking."""
    import os
    from urllib.parse import urlsplit

    import psycopg

    from etl.store import db, embedded

    given = database_url or os.environ.get("DATABASE_URL")
    if given:
        database = db.Database(given)
        print("server: $DATABASE_URL" if not database_url else "server: --database-url")
    else:
        running = embedded.is_running()
        print(f"server: embedded, {'running' if running else 'stopped'}")
        print(f"data folder: {embedded.home() / 'pg'}")
        if not running:
            print("(`parkstat db start` starts it)")
            return 0
        database = db.Database(embedded.url())
    url = database.url
    parts = urlsplit(url)
    print(f"url: {_hide_password(url)}")
    print(f"port: {parts.port or 5432}")
    try:
        with database.connect(connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            print(f"server version: PostgreSQL {version[0] if version else '?'}")
            if given:
                try:
                    folder = conn.execute("SHOW data_directory").fetchone()
                    print(f"data folder: {folder[0] if folder else '?'}")
                except psycopg.Error:
                    conn.rollback()
                    print("data folder: (not visible to this user)")
    except psycopg.OperationalError as e:
        _err(f"parkstat db status: cannot connect: {' '.join(str(e).split())}")
        return EXIT_FAILED
    from sqlalchemy.exc import SQLAlchemyError

    try:
        revision = db.current_revision(url) or "none (run parkstat db upgrade)"
    except SQLAlchemyError:
        revision = "(not readable by this user)"
    print(f"schema revision: {revision} (this parkstat: {db.head_revision()})")
    return 0


DB_ACTIONS = {
    "upgrade": "migrate the database to REVISION (default: head, the newest)",
    "downgrade": "migrate the database down to REVISION (default: base, no schema at all)",
    "start": "start the embedded PostgreSQL server (made on first use) and print its URL",
    "stop": "stop the embedded server",
    "url": "print the URL parkstat connects to ($DATABASE_URL, else the embedded server)",
    "status": "the server parkstat uses: URL (password hidden), port, data folder, "
              "server version, schema revision",
    "reader-url": "print a URL for a read-only login (role parkstat_reader) for BI tools; "
                  "docs/BI.md",
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="parkstat",
        description="Indicator records from Chinese industrial-park reports, into PostgreSQL.",
    )
    p.add_argument("--version", action="version", version=f"parkstat {__version__}")
    p.add_argument("--database-url", default=None,
                   help="PostgreSQL URL (default: $DATABASE_URL, else the embedded server)")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="write records as JSON Lines (no database)")
    ex.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    ex.add_argument("--out", type=Path, default=None,
                    help="directory for <stem>.jsonl (default: every record on standard "
                    "output)")
    ex.add_argument("--profile", action="store_true",
                    help="print on standard error the time each extraction stage took")
    ex.set_defaults(func=cmd_extract)

    ld = sub.add_parser("load", help="extract and load reports into PostgreSQL")
    ld.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    ld.add_argument("--json", action="store_true", help="print a JSON summary")
    ld.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for another load to finish (default: exit at once)")
    ld.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                    help="extract in N processes; writes stay serial, in input order, one "
                    "transaction per batch of documents (default 1)")
    ld.add_argument("--reextract", action="store_true",
                    help="extract every file again, even when its sha256 and the extractor "
                    "version match what is stored (corrections are applied again)")
    ld.add_argument("--source", default=None, metavar="NAME",
                    help="the source the documents belong to: a document is identified by "
                    "its source and its path within it (default: the absolute path of the "
                    "folder each file is found under)")
    ld.set_defaults(func=cmd_load)

    dbp = sub.add_parser(
        "db", help="migrations, the embedded server, reader logins",
        description="Migrations, the embedded PostgreSQL server and read-only logins. "
        "Each action has its own --help.")
    db_sub = dbp.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, text in DB_ACTIONS.items():
        a = db_sub.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        if action in ("upgrade", "downgrade"):
            a.add_argument("revision", nargs="?", default=None, metavar="REVISION",
                           help=f"target revision (default: "
                                f"{'head' if action == 'upgrade' else 'base'})")
        if action == "downgrade":
            a.add_argument("--yes", action="store_true",
                           help="drop what it shows without asking")
        if action == "reader-url":
            a.add_argument("--login", default="parkstat_reader_login",
                           help="the login to create or use (default: %(default)s)")
            a.add_argument("--rotate", action="store_true",
                           help="give the login a new password")
            a.add_argument("--statement-timeout", type=_seconds, default=None,
                           metavar="SECONDS",
                           help="the login's statement timeout (default 300 for a new "
                           "login; 0: none)")
            a.add_argument("--connection-limit", type=_positive_int, default=None,
                           metavar="N",
                           help="the login's concurrent sessions (default 10 for a new login)")
        a.set_defaults(func=cmd_db)

    src = sub.add_parser("source", help="sources of the loaded documents: list, rename")
    src_sub = src.add_subparsers(dest="action", required=True)
    src_list = src_sub.add_parser("list", help="every source with its number of documents")
    src_list.add_argument("--json", action="store_true", help="print JSON")
    src_list.set_defaults(func=cmd_source)
    src_mv = src_sub.add_parser(
        "rename", help="give the documents of source OLD the source NEW (a corpus that "
        "moved, or that is loaded with --source NEW from now on), without reloading them")
    src_mv.add_argument("old", metavar="OLD", help="the source now (see `source list`)")
    src_mv.add_argument("new", metavar="NEW", help="its new name: a --source name, or the "
                        "folder's new absolute path")
    src_mv.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long for a running load to finish")
    src_mv.set_defaults(func=cmd_source)

    ck = sub.add_parser("check", help="data checks; exit 1 if an error-level check fails")
    ck.add_argument("--json", action="store_true", help="print the results as JSON")
    ck.add_argument("--strict", action="store_true", help="fail on warnings too")
    ck.add_argument("--only", action="append", metavar="CHECK",
                    help="run only this check (repeatable)")
    ck.add_argument("--examples", type=int, default=5, metavar="N",
                    help="failing rows to show per check (default: 5)")
    ck.set_defaults(func=cmd_check)

    xp = sub.add_parser("export", help="export bi.observation (csv, parquet, sdmx-csv)")
    xp.add_argument("--format", choices=["csv", "parquet", "sdmx-csv"], default="csv")
    xp.add_argument("--where", default=None, metavar="SQL",
                    help="one condition on bi.observation's columns, e.g. \"year >= 2010\" "
                    "(no subqueries; functions: docs/ANALYSTS.md); runs read-only as "
                    "parkstat_reader")
    xp.add_argument("--timeout", type=_positive_float, default=300.0, metavar="SECONDS",
                    help="statement timeout: the query and each fetch of 5,000 rows "
                    "(default %(default)g)")
    xp.add_argument("--excel", action="store_true",
                    help="csv: start with a UTF-8 byte order mark, so that Excel shows "
                    "Chinese text (opening the file by double-click)")
    xp.add_argument("--out", type=Path, default=None, metavar="FILE",
                    help="output file (csv and sdmx-csv: stdout when omitted)")
    xp.set_defaults(func=cmd_export)

    kinds = ["region", "park", "cluster", "company"]
    en = sub.add_parser("entities", help="list regions, parks, clusters and companies")
    en.add_argument("--provisional", action="store_true",
                    help="only those the loader created from names it had not seen")
    en.add_argument("--kind", choices=kinds, help="only this kind")
    en.add_argument("--json", action="store_true", help="print JSON")
    en.set_defaults(func=cmd_entities)

    al = sub.add_parser("alias", help="names of entities: list them, or merge one into another")
    al_sub = al.add_subparsers(dest="action", required=True)
    al_add = al_sub.add_parser(
        "add", help="make ALIAS a name of CANONICAL; a provisional entity of that name is "
                    "merged into it (its observations move)")
    al_add.add_argument("alias", metavar="ALIAS",
                        help="a provisional entity's name, or a new name")
    al_add.add_argument("canonical", metavar="CANONICAL",
                        help="the entity's name or an alias of it (a region: also its code)")
    al_add.add_argument("--kind", choices=kinds, help="region, park, cluster or company "
                        "(default: from the names)")
    al_add.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long for a running load to finish")
    al_add.add_argument("--json", action="store_true", help="print the result as JSON")
    al_add.set_defaults(func=cmd_alias)
    al_list = al_sub.add_parser("list", help="every alias and the entity it names")
    al_list.add_argument("--kind", choices=kinds, help="only this kind")
    al_list.add_argument("--origin", choices=["gazetteer", "loader", "curator"],
                         help="only aliases made by the seed, the loader or a curator")
    al_list.add_argument("--json", action="store_true", help="print JSON")
    al_list.set_defaults(func=cmd_alias)

    sd = sub.add_parser("seed", help="load metrics, units and regions from seeds/")
    sd.set_defaults(func=cmd_seed)

    demo = sub.add_parser("demo", help="migrate, seed, load seeds/reports and show the result")
    demo.add_argument("paths", nargs="*", type=Path, help="reports (default: seeds/reports)")
    demo.add_argument("--login", default="parkstat_reader_login",
                      help="the read-only login whose URL it prints (default: %(default)s)")
    demo.set_defaults(func=cmd_demo)

    co = sub.add_parser("correct", help="correct a figure: FIELD=VALUE changes, --confirm, "
                        "--reject, or --add a missed one (kept across re-extraction)")
    co.add_argument("document", metavar="DOC", help="document id or name")
    co.add_argument("start", metavar="START", type=int,
                    help="start offset of the figure in the document's text")
    co.add_argument("changes", nargs="*", metavar="FIELD=VALUE",
                    help="fields of RECORDS.md: metric=gdp region=荆州区 year=2010 …")
    co.add_argument("--record", type=int, metavar="ID",
                    help="the record (observation id) when several start at START")
    co.add_argument("--confirm", action="store_true", help="the record is right")
    co.add_argument("--reject", action="store_true", help="not a figure: remove the record")
    co.add_argument("--add", type=int, metavar="END",
                    help="add the figure the extractor missed at [START, END)")
    co.add_argument("--note", default=None, help="a note kept with the correction")
    co.add_argument("--author", default=None, help="who (default: the login name)")
    co.set_defaults(func=cmd_correct)

    cs = sub.add_parser("corrections", help="list corrections, export reviewed documents "
                        "as RECORDS.md JSON Lines, accuracy of the extractor on them")
    cs_sub = cs.add_subparsers(dest="action", required=True)
    cs_list = cs_sub.add_parser("list", help="every correction, newest first")
    cs_list.add_argument("--orphaned", action="store_true",
                         help="only those the latest load could not apply")
    cs_list.add_argument("--json", action="store_true", help="print JSON")
    cs_list.set_defaults(func=cmd_corrections)
    cs_exp = cs_sub.add_parser("export", help="corrected documents as <stem>.jsonl in DIR")
    cs_exp.add_argument("--out", required=True, type=Path, metavar="DIR")
    cs_exp.set_defaults(func=cmd_corrections)
    cs_acc = cs_sub.add_parser("accuracy", help="per field, how often the extractor was "
                               "right on reviewed records")
    cs_acc.add_argument("--json", action="store_true", help="print JSON")
    cs_acc.set_defaults(func=cmd_corrections)

    us = sub.add_parser("user", help="accounts of parkstat serve beyond localhost")
    us_sub = us.add_subparsers(dest="action", required=True)
    us_add = us_sub.add_parser("add", help="add an account (or reset its password and role)")
    us_add.add_argument("name")
    us_add.add_argument("--role", choices=["reviewer", "viewer"], default="viewer")
    us_add.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of stdin")
    us_add.set_defaults(func=cmd_user)

    sv = sub.add_parser("serve", help="the review web application on this database")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; any other requires "
                    "sign-in: parkstat user add)")
    sv.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    sv.add_argument("--author", default=None,
                    help="local mode: the name corrections record (default: the login name)")
    sv.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `parkstat export | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as e:
        from etl.store.embedded import EmbeddedError
        from etl.store.load import LoadError

        if isinstance(e, LoadError | EmbeddedError) or type(e).__module__.startswith("psycopg"):
            from etl.messages import one_line

            _err(f"parkstat {args.command}: {one_line(e, 1000)}")
            return EXIT_FAILED
        raise
    return code


if __name__ == "__main__":
    sys.exit(main())
