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

from etl import __version__

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


def cmd_extract(args: argparse.Namespace) -> int:
    from etl import deadline
    from etl.export import write_jsonl
    from etl.files import report_files
    from etl.messages import failure_line, path_text
    from etl.pipeline import extract_file, warm_up
    from etl.read import ReportReadError

    try:
        limit = deadline.max_seconds()
    except ValueError as e:
        _err(f"parkstat extract: {e}")
        return EXIT_USAGE
    found = report_files(args.paths)
    failed = len(found.missing)
    n_files = n_records = 0
    for path, reason in found.missing:
        _err(failure_line(path, reason))
    for path in found.files:
        try:
            warm_up()
            with deadline.time_limit(limit):
                doc = extract_file(path)
        except ReportReadError as e:
            _err(failure_line(e.path, e.reason))
            failed += 1
            continue
        except deadline.ExtractionTimeout as e:
            _err(failure_line(path, str(e)))
            failed += 1
            continue
        except Exception as e:  # one bad file must not stop the batch
            _err(failure_line(path, f"extraction failed: {type(e).__name__}: {e}"))
            failed += 1
            continue
        out = write_jsonl(doc.records, args.out, path)
        print(f"{path_text(out)}: {len(doc.records)} records, {len(doc.rejected)} rejected")
        n_files += 1
        n_records += len(doc.records)
    print(f"{n_files} files extracted, {n_records} records, {failed} failed")
    return EXIT_FAILED if failed else 0


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import LoadError, LoadLocked, load_paths

    try:
        summary = load_paths(args.paths, args.database_url, wait=args.wait,
                             workers=args.workers, source=args.source)
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
    from etl import db, embedded

    action = args.action
    if action == "start":
        print(embedded.start().url())
    elif action == "stop":
        print("stopped" if embedded.stop() else "not running")
    elif action == "status":
        print("running" if embedded.is_running() else "stopped")
    elif action == "url":
        print(db.resolve_url(args.database_url))
    elif action == "upgrade":
        db.upgrade(db.resolve_url(args.database_url), args.revision or "head")
    elif action == "downgrade":
        return _downgrade(db.resolve_url(args.database_url), args.revision or "base",
                          args.yes)
    elif action == "reader-url":
        from etl.bi import ReaderError, reader_url

        try:
            print(reader_url(db.resolve_url(args.database_url), args.login, rotate=args.rotate))
        except ReaderError as e:
            _err(f"parkstat db reader-url: {e}")
            return EXIT_FAILED
    return 0


def _downgrade(url: str, revision: str, yes: bool) -> int:
    """Show what the downgrade drops; do it with --yes, or when the database's name is
    typed on a terminal."""
    from alembic.util import CommandError

    from etl import db
    from etl.messages import one_line

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
    from etl.db import resolve_url
    from etl.messages import printable
    from etl.sources import SourceError, list_sources, rename_source

    url = resolve_url(args.database_url)
    if args.action == "list":
        sources = list_sources(url)
        if args.json:
            print(json.dumps([s.as_dict() for s in sources], ensure_ascii=False, default=str))
            return 0
        print("source\tdocuments\tlast loaded")
        for s in sources:
            name = printable(s.source) if s.source is not None else "(before revision 0008)"
            print(f"{name}\t{s.documents}\t{s.last_loaded:%Y-%m-%d %H:%M}")
        return 0
    try:
        moved = rename_source(url, args.old, args.new, wait=args.wait)
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
    from etl.checks import format_report, run_checks
    from etl.db import resolve_url

    try:
        report = run_checks(resolve_url(args.database_url), args.only or None,
                            examples=args.examples)
    except ValueError as e:
        _err(f"parkstat check: {e}")
        return EXIT_USAGE
    if args.json:
        out = report.as_dict()
        out["ok"] = report.ok(args.strict)
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        print(format_report(report))
    return 0 if report.ok(args.strict) else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from etl.db import resolve_url
    from etl.export_tables import ExportError, export

    try:
        rows = export(resolve_url(args.database_url), args.format, args.out, args.where)
    except ExportError as e:
        _err(f"parkstat export: {e}")
        return EXIT_FAILED
    if args.out is not None:
        print(f"{args.out}: {rows} rows ({args.format})")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from etl.db import resolve_url
    from etl.entities import EntityError, list_entities

    try:
        found = list_entities(resolve_url(args.database_url), provisional=args.provisional,
                              kind=args.kind)
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
    from etl.db import resolve_url
    from etl.entities import EntitiesLocked, EntityError, add_alias, list_aliases

    url = resolve_url(args.database_url)
    if args.action == "list":
        try:
            aliases = list_aliases(url, kind=args.kind, origin=args.origin)
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
        r = add_alias(url, args.alias, args.canonical, args.kind, wait=args.wait)
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
    from etl.db import resolve_url
    from etl.seed import seed_all

    counts = seed_all(resolve_url(args.database_url))
    print(f"seeded {counts.metrics} metrics, {counts.units} units, {counts.regions} regions,"
          f" {counts.clusters} industries")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from etl import db
    from etl.load import load_paths
    from etl.paths import SAMPLE_REPORTS_DIR
    from etl.report import format_overview, overview
    from etl.seed import seed_all

    url = db.resolve_url(args.database_url)
    db.upgrade(url)
    counts = seed_all(url)
    print(f"seeded {counts.metrics} metrics, {counts.units} units, {counts.regions} regions,"
          f" {counts.clusters} industries")
    paths = args.paths or [SAMPLE_REPORTS_DIR]
    summary = load_paths(paths, url)
    for f in summary.failures:
        _err(f"{f.path}: {f.reason}")
    print(f"loaded {', '.join(str(p) for p in paths)}: load run {summary.run_id} "
          f"{summary.status}, {summary.records_loaded} records loaded, "
          f"{summary.records_quarantined} quarantined, {summary.documents_skipped} "
          f"documents unchanged")
    print(format_overview(overview(url)))
    print(f"Connect with psql or a BI tool:\n  psql '{url}'")
    return 0 if summary.ok else EXIT_FAILED


PATHS_HELP = "report files, directories, globs, or - for stdin"


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
    ex.add_argument("--out", required=True, type=Path, help="directory for <stem>.jsonl")
    ex.set_defaults(func=cmd_extract)

    ld = sub.add_parser("load", help="extract and load reports into PostgreSQL")
    ld.add_argument("paths", nargs="+", type=Path, help=PATHS_HELP)
    ld.add_argument("--json", action="store_true", help="print a JSON summary")
    ld.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for another load to finish (default: exit at once)")
    ld.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                    help="extract in N processes; writes stay serial, one transaction per "
                    "document (default 1)")
    ld.add_argument("--source", default=None, metavar="NAME",
                    help="the source the documents belong to: a document is identified by "
                    "its source and its path within it (default: the absolute path of the "
                    "folder each file is found under)")
    ld.set_defaults(func=cmd_load)

    dbp = sub.add_parser("db", help="migrations and the embedded server")
    dbp.add_argument("action", choices=["upgrade", "downgrade", "start", "stop", "url", "status",
                                        "reader-url"])
    dbp.add_argument("revision", nargs="?", default=None,
                     help="target revision (upgrade: head, downgrade: base)")
    dbp.add_argument("--login", default="parkstat_reader_login",
                     help="reader-url: the login to create or use (default: %(default)s)")
    dbp.add_argument("--rotate", action="store_true",
                     help="reader-url: give the login a new password")
    dbp.add_argument("--yes", action="store_true",
                     help="downgrade: drop what it shows without asking")
    dbp.set_defaults(func=cmd_db)

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
                    help="condition on bi.observation columns, e.g. \"year >= 2010\"")
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
    demo.set_defaults(func=cmd_demo)
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
        from etl.embedded import EmbeddedError
        from etl.load import LoadError

        if isinstance(e, LoadError | EmbeddedError) or type(e).__module__.startswith("psycopg"):
            from etl.messages import one_line

            _err(f"parkstat {args.command}: {one_line(e, 1000)}")
            return EXIT_FAILED
        raise
    return code


if __name__ == "__main__":
    sys.exit(main())
