"""`parkstat serve`: the review web application (Flask + Jinja2, server-rendered; a few
lines of JavaScript for keyboard review and adding a figure by selecting its text; charts
as server-drawn SVG; every asset in this package, nothing from a CDN).

Pages: documents (paged, filtered), a document (its text with every figure highlighted,
the record panel with corrections), entities (provisional ones, merge), series (a metric
for a subject over the years), overview (records by metric, year and province; checks;
the extractor's accuracy on reviewed records), corrections (orphans included).

Access: on a loopback address anyone who can reach the port is the local reviewer (the
corrections record `author`). On any other address every page needs sign-in (accounts of
`parkstat user add`); viewers read, reviewers also correct. Every form carries a CSRF
token bound to the session.
"""

from __future__ import annotations

import contextlib
import getpass
import hmac
import ipaddress
import math
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import psycopg
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup, escape
from psycopg import sql
from psycopg.rows import dict_row
from werkzeug.exceptions import HTTPException

from etl.serve.web import charts
from etl.store import corrections as corr
from etl.store.db import Database

PAGE_SIZE = 50
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
STATUSES = ("actual", "target", "estimate")
SUBJECT_KINDS = ("region", "park", "cluster", "company")


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Connections(threading.local):
    conn: psycopg.Connection | None = None


@dataclass(frozen=True)
class _Site:
    """What every request of one app shares: where the database is, and this thread's
    connection to it (one per thread, kept across requests)."""

    database: Database
    connections: _Connections


def create_app(database: Database, *, require_login: bool = False,
               author: str | None = None, secret_key: str | None = None,
               host: str = "127.0.0.1") -> Flask:
    """The app: its settings, the hooks every request passes (sign-in or local-only,
    CSRF, one read transaction), the error pages and the routes of `ROUTES`."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("PARKSTAT_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REQUIRE_LOGIN=require_login, LOCAL_AUTHOR=author or getpass.getuser(),
        DATABASE_URL=database.url, LOCAL_HOSTS=LOCAL_HOSTS | {host.strip("[]")},
    )
    app.extensions["parkstat"] = _Site(database, _Connections())
    app.before_request(_before)
    app.after_request(_after)
    app.context_processor(_ctx)
    for code in (400, 403, 404):
        app.register_error_handler(code, _error_page)
    for rule, view, methods in ROUTES:
        app.add_url_rule(rule, view.__name__, view, methods=methods)
    return app


def _site() -> _Site:
    site: _Site = current_app.extensions["parkstat"]
    return site


def _database() -> Database:
    return _site().database


def _db() -> psycopg.Connection:
    local = _site().connections
    conn = local.conn
    if conn is None or conn.closed or conn.broken:
        conn = _database().connect(application_name="parkstat serve")
        local.conn = conn
    return conn


def _before() -> Any:
    g.t0 = time.perf_counter()
    g.db = _db()
    if current_app.config["REQUIRE_LOGIN"]:
        g.user, g.role = session.get("user"), session.get("role")
        if g.user is None and request.endpoint not in ("login", "static"):
            return redirect(url_for("login", next=request.full_path))
    elif request.host.rsplit(":", 1)[0].strip("[]") not in current_app.config["LOCAL_HOSTS"]:
        # Local mode trusts whoever reaches the port; a page elsewhere that makes the
        # browser ask for another name resolving here (DNS rebinding) is refused.
        abort(403, "local mode answers only to localhost / 127.0.0.1")
    else:
        g.user, g.role = current_app.config["LOCAL_AUTHOR"], "reviewer"
    if request.method == "POST":
        sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
        expected = session.get("csrf") or ""
        # No token in the session (a cross-site request carries no session cookie) is
        # a refusal too, not "" == "".
        if not expected or not hmac.compare_digest(sent, expected):
            abort(400, "missing or wrong CSRF token: reload the page and try again")
    return None


def _after(resp: Response) -> Response:
    conn = _site().connections.conn
    if conn is not None and not conn.closed and not conn.broken:
        conn.rollback()  # every request reads in its own transaction
    if "t0" in g:
        ms = (time.perf_counter() - g.t0) * 1000
        resp.headers["Server-Timing"] = f"app;dur={ms:.1f}"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
    return resp


def _ctx() -> dict[str, Any]:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return {"csrf": session["csrf"], "user": g.get("user"), "role": g.get("role"),
            "can_write": g.get("role") == "reviewer", "fmt": fmt_value,
            "login_required": current_app.config["REQUIRE_LOGIN"], "url_with": url_with}


def _error_page(e: HTTPException) -> Any:
    code = e.code or 500
    message = "not found" if code == 404 else e.description
    return render_template("error.html", code=code, message=message), code


def need_reviewer() -> None:
    if g.role != "reviewer":
        abort(403, "viewers cannot change data")


# --- sign-in -----------------------------------------------------------------------

def login() -> Any:
    if request.method == "POST":
        from etl.store.users import check_user

        role = check_user(g.db, request.form.get("name", ""),
                          request.form.get("password", ""))
        if role is None:
            flash("wrong name or password")
            return render_template("login.html"), 401
        session.clear()
        session.update(user=request.form["name"].strip(), role=role,
                       csrf=secrets.token_urlsafe(32))
        nxt = request.args.get("next") or "/"
        return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "/")
    return render_template("login.html")

def logout() -> Any:
    session.clear()
    return redirect(url_for("login") if current_app.config["REQUIRE_LOGIN"] else "/")

# --- documents ---------------------------------------------------------------------

def index() -> Any:
    return redirect(url_for("documents"))

def documents() -> Any:
    args = {k: request.args.get(k, "").strip() for k in ("region", "park", "year",
                                                          "status", "q")}
    page = max(1, request.args.get("page", 1, type=int) or 1)
    where, params = _document_filters(args)
    total = g.db.execute(sql.SQL("SELECT count(*) FROM source_document d {}").format(where),
                         params).fetchone()[0]
    with g.db.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql.SQL(
            """WITH page AS (
                  SELECT d.id, d.name, d.title, d.stated_date, d.loaded_at
                  FROM source_document d {where}
                  ORDER BY d.name, d.id LIMIT %s OFFSET %s)
                SELECT page.*, s.records, s.reviewed, q.quarantined, c.corrections,
                       c.orphaned
                FROM page
                LEFT JOIN LATERAL (SELECT count(*) AS records,
                      count(*) FILTER (WHERE o.reviewed) AS reviewed
                    FROM observation o WHERE o.document_id = page.id) s ON true
                LEFT JOIN LATERAL (SELECT count(*) AS quarantined FROM rejected_record q
                    WHERE q.document_id = page.id) q ON true
                LEFT JOIN LATERAL (SELECT count(*) AS corrections,
                      count(*) FILTER (WHERE state = 'orphaned') AS orphaned
                    FROM correction c WHERE c.document_id = page.id) c ON true
                ORDER BY page.name, page.id""").format(where=where),
            [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
    failing = _failing_checks(g.db, [r["id"] for r in rows])
    for r in rows:
        r["failing"] = failing.get(r["id"], 0)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return render_template("documents.html", rows=rows, args=args, page=page,
                           pages=pages, total=total)

def document(doc_id: int) -> Any:
    with g.db.cursor(row_factory=dict_row) as cur:
        doc = cur.execute("SELECT id, name, title, stated_date, sha256, encoding, text,"
                          " extractor_version, loaded_at FROM source_document"
                          " WHERE id = %s", (doc_id,)).fetchone()
        if doc is None:
            abort(404)
        records = cur.execute(corr.RECORD_SQL + " WHERE o.document_id = %s"
                              " ORDER BY o.span_start, o.seq, o.id", (doc_id,)).fetchall()
        rejected = cur.execute(
            "SELECT id, span_start, span_end, quote, author FROM correction"
            " WHERE document_id = %s AND kind = 'reject' AND state = 'applied'"
            " ORDER BY span_start", (doc_id,)).fetchall()
        quarantined = cur.execute(
            "SELECT raw, reason FROM rejected_record WHERE document_id = %s ORDER BY id",
            (doc_id,)).fetchall()
        orphans = cur.execute(
            "SELECT id, kind, field, quote, value_after, orphan_reason, author"
            " FROM correction WHERE document_id = %s AND state = 'orphaned' ORDER BY id",
            (doc_id,)).fetchall()
    selected = None
    obs = request.args.get("obs", type=int)
    if obs is not None:
        selected = next((r for r in records if r["id"] == obs), None)
    history: list[dict[str, Any]] = []
    if selected is not None:
        with g.db.cursor(row_factory=dict_row) as cur:
            history = cur.execute(
                "SELECT id, kind, field, value_before, value_after, author,"
                " created_at, note, state FROM correction WHERE document_id = %s"
                " AND ((span_start = %s AND span_end = %s AND target_correction_id IS NULL)"
                " OR id = %s OR target_correction_id = %s) ORDER BY id",
                (doc_id, selected["span_start"], selected["span_end"],
                 selected["correction_id"], selected["correction_id"])).fetchall()
    failing = _failing_checks(g.db, [doc_id], detail=True)
    text = doc["text"]
    off = sum(1 for r in records
              if text[r["span_start"]:r["span_end"]] != r["value_text"])
    if off:
        from etl.serve.checks import CHECKS

        span = next(c for c in CHECKS if c.name == "span_matches_text")
        failing.setdefault(doc_id, []).insert(
            0, (span.name, span.severity, span.description, off))
    body = highlight(doc["text"], records, rejected, selected)
    return render_template(
        "document.html", doc=doc, body=body, records=records, selected=selected,
        rejected=rejected, quarantined=quarantined, orphans=orphans, history=history,
        evidence=evidence(doc["text"], selected) if selected else {},
        catalogue=_catalogue(g.db), failing=failing.get(doc_id, []),
        reviewed=sum(1 for r in records if r["reviewed"]))

def correct_record(doc_id: int, obs_id: int) -> Any:
    need_reviewer()
    action = request.form.get("action", "save")
    note = request.form.get("note") or None
    rec = corr.record(g.db, doc_id, obs_id)
    if rec is None:
        abort(404)
    g.db.rollback()
    nxt: int | None = obs_id
    try:
        if action in ("confirm", "reject"):
            corr.correct(g.db, doc_id, author=g.user, kind=action, observation_id=obs_id,
                         note=note)
        else:
            changes = {f: request.form.get(f) for f in corr.FIELDS if f in request.form}
            corr.correct(g.db, doc_id, author=g.user, kind="change", observation_id=obs_id,
                         changes=changes, note=note)
        g.db.commit()
        flash({"confirm": "confirmed", "reject": "rejected: not a figure"}.get(
            action, "saved"))
    except corr.CorrectionError as e:
        g.db.rollback()
        flash(f"not saved: {e}", "error")
        return redirect(url_for("document", doc_id=doc_id, obs=obs_id) + "#panel")
    if action == "reject" or request.form.get("then") == "next":
        nxt = _next_record(g.db, doc_id, rec)
    return redirect(url_for("document", doc_id=doc_id, obs=nxt) + (
        f"#f{nxt}" if nxt else ""))

def add_figure(doc_id: int) -> Any:
    need_reviewer()
    text_row = g.db.execute("SELECT text FROM source_document WHERE id = %s",
                            (doc_id,)).fetchone()
    if text_row is None:
        abort(404)
    text = text_row[0]
    selected = request.form.get("selected", "")
    start = request.form.get("start", type=int)
    if not selected or start is None:
        flash("select the figure's text in the document first", "error")
        return redirect(url_for("document", doc_id=doc_id))
    start = _snap(text, selected, start)
    if start is None:
        flash("the selected text is not in the document", "error")
        return redirect(url_for("document", doc_id=doc_id))
    fields = {f: request.form.get(f) for f in corr.FIELDS if request.form.get(f)}
    fields = {**quantity_fields(selected), **fields}
    g.db.rollback()
    try:
        made = corr.correct(g.db, doc_id, author=g.user, kind="add", start=start,
                            end=start + len(selected), added=fields,
                            note=request.form.get("note") or None)
        g.db.commit()
    except corr.CorrectionError as e:
        g.db.rollback()
        flash(f"not added: {e}", "error")
        return redirect(url_for("document", doc_id=doc_id))
    row = g.db.execute("SELECT id FROM observation WHERE document_id = %s"
                       " AND correction_id = %s", (doc_id, made.ids[0])).fetchone()
    flash("figure added")
    return redirect(url_for("document", doc_id=doc_id, obs=row[0] if row else None))

# --- entities ----------------------------------------------------------------------

def entities() -> Any:
    from etl.store.entities import list_entities

    kind = request.args.get("kind") or None
    if kind not in (None, *SUBJECT_KINDS):
        abort(400, "unknown kind")
    found = list_entities(g.db, provisional=request.args.get("all") != "1",
                          kind=kind)
    return render_template("entities.html", entities=found[:500], total=len(found),
                           kind=kind, show_all=request.args.get("all") == "1")

def merge() -> Any:
    need_reviewer()
    from etl.store.entities import EntityError, add_alias

    try:
        r = add_alias(g.db, request.form["alias"], request.form["canonical"],
                      request.form.get("kind") or None, wait=5)
        g.db.commit()  # kept even if the request's session was in a transaction already
        flash(f"{r.alias} → {r.canonical_name}: {r.action}"
              + (f", {r.observations_moved} records moved" if r.action == "merged" else ""))
    except (EntityError, ValueError) as e:
        flash(f"not merged: {e}", "error")
    return redirect(url_for("entities", kind=request.form.get("kind") or None))

def names() -> Any:
    kind = request.args.get("kind", "")
    if kind not in SUBJECT_KINDS:
        abort(400, "unknown kind")
    q = request.args.get("q", "").strip()
    rows = g.db.execute(sql.SQL(
        """SELECT DISTINCT ON (e.name) e.name, {code}
            FROM entity_alias a JOIN {table} e ON e.id = a.entity_id
            WHERE a.kind = %s AND a.alias LIKE %s
            ORDER BY e.name LIMIT 20""").format(
        code=sql.SQL("e.code" if kind == "region" else "NULL"), table=sql.Identifier(kind)),
        (kind, "%" + q.replace("%", r"\%").replace("_", r"\_") + "%")).fetchall()
    return jsonify([{"name": n, "code": c} for n, c in rows])

# --- series and overview ----------------------------------------------------------

def series() -> Any:
    metrics = g.db.execute(
        "SELECT m.code, m.name_zh, m.name_en, count(o.id) FROM metric m"
        " JOIN observation o ON o.metric_code = m.code GROUP BY 1, 2, 3"
        " ORDER BY 4 DESC, 1").fetchall()
    kind = request.args.get("kind") or "region"
    if kind not in SUBJECT_KINDS:
        abort(400, "unknown kind")
    metric = request.args.get("metric")
    measure = request.args.get("measure") or "level"
    ref, table = sql.Identifier(f"{kind}_id"), sql.Identifier(kind)
    if not metric:  # the longest series of the subject kind's levels
        best = g.db.execute(sql.SQL(
            """SELECT metric_code FROM observation
                WHERE {ref} IS NOT NULL AND year IS NOT NULL AND measure = 'level'
                GROUP BY metric_code, {ref}
                ORDER BY count(DISTINCT year) DESC, count(*) DESC, metric_code LIMIT 1"""
        ).format(ref=ref)).fetchone()
        metric = best[0] if best else (metrics[0][0] if metrics else "")
    subjects = g.db.execute(sql.SQL(
        """SELECT e.id, e.name, count(*) FROM observation o JOIN {table} e
              ON e.id = o.{ref}
            WHERE o.metric_code = %s AND o.measure = %s AND o.year IS NOT NULL
            GROUP BY 1, 2 ORDER BY count(DISTINCT o.year) DESC, 3 DESC, 2 LIMIT 200"""
        ).format(table=table, ref=ref), (metric, measure)).fetchall()
    subject = request.args.get("subject", type=int) or (subjects[0][0] if subjects else None)
    with g.db.cursor(row_factory=dict_row) as cur:
        points = cur.execute(sql.SQL(
            """SELECT o.document_id, o.id, o.year, o.status, o.value_text, o.unit_code,
                   COALESCE(o.value, (o.value_low + o.value_high) / 2) AS value,
                   o.reviewed, d.name AS document
                FROM observation o JOIN source_document d ON d.id = o.document_id
                WHERE o.metric_code = %s AND o.measure = %s AND o.{ref} = %s
                  AND o.year IS NOT NULL
                ORDER BY o.year, o.status, o.document_id, o.id""").format(ref=ref),
            (metric, measure, subject)).fetchall() if subject else []
    units = sorted({p["unit_code"] for p in points})
    unit = request.args.get("unit") or (max(units, key=lambda u: sum(
        p["unit_code"] == u for p in points)) if units else "")
    shown = [p for p in points if p["unit_code"] == unit]
    svg = charts.series_chart(
        shown, unit, lambda p: url_for("document", doc_id=p["document_id"], obs=p["id"])
        + f"#f{p['id']}")
    return render_template("series.html", metrics=metrics, metric=metric, kind=kind,
                           measure=measure, subjects=subjects, subject=subject,
                           points=shown, units=units, unit=unit, svg=svg)

def overview() -> Any:
    from etl.serve.checks import run_checks

    c = g.db
    by_metric = c.execute(
        "SELECT m.name_zh || ' ' || m.code, count(*) FROM observation o"
        " JOIN metric m ON m.code = o.metric_code GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
    ).fetchall()
    by_year = c.execute(
        "SELECT year::text, count(*) FROM observation WHERE year IS NOT NULL"
        " GROUP BY year ORDER BY year").fetchall()
    by_province = c.execute(
        "SELECT coalesce(pv.name, '(none)'), count(*) FROM observation o"
        " LEFT JOIN region r ON r.id = o.region_id LEFT JOIN region pv"
        " ON pv.id = r.province_id GROUP BY 1 ORDER BY 2 DESC LIMIT 20").fetchall()
    totals = c.execute(
        "SELECT (SELECT count(*) FROM source_document), (SELECT count(*) FROM observation),"
        " (SELECT count(*) FROM observation WHERE reviewed),"
        " (SELECT count(*) FROM correction),"
        " (SELECT count(*) FROM correction WHERE state = 'orphaned')").fetchone()
    def checks_now() -> Any:  # a session of its own: they read in a read-only transaction
        with _database().connect() as conn:
            return run_checks(conn, examples=0)

    checks = cached_checks(_database().url, checks_now)
    acc = corr.accuracy(c)
    return render_template(
        "overview.html", totals=totals, checks=checks, acc=acc,
        metric_svg=charts.bar_chart(by_metric, horizontal=True),
        year_svg=charts.bar_chart(by_year),
        province_svg=charts.bar_chart(by_province, horizontal=True))

def accuracy_json() -> Any:
    return jsonify(corr.accuracy(g.db).as_dict())

def corrections_page() -> Any:
    state = request.args.get("state") or None
    found = corr.list_corrections(g.db, state=state, limit=1000)
    return render_template("corrections.html", corrections=found, state=state)


# Every page: (rule, view, methods); the endpoint is the view's name (url_for("document")).
ROUTES: tuple[tuple[str, Callable[..., Any], list[str] | None], ...] = (
    ("/login", login, ["GET", "POST"]),
    ("/logout", logout, ["POST"]),
    ("/", index, None),
    ("/documents", documents, None),
    ("/documents/<int:doc_id>", document, None),
    ("/documents/<int:doc_id>/records/<int:obs_id>", correct_record, ["POST"]),
    ("/documents/<int:doc_id>/add", add_figure, ["POST"]),
    ("/entities", entities, None),
    ("/entities/merge", merge, ["POST"]),
    ("/api/names", names, None),
    ("/series", series, None),
    ("/overview", overview, None),
    ("/accuracy.json", accuracy_json, None),
    ("/corrections", corrections_page, None),
)


# --- helpers -------------------------------------------------------------------------------


CHECKS_TTL = 60.0  # seconds the overview reuses the checks' results
_checks_cache: dict[str, tuple[float, Any]] = {}
_checks_lock = threading.Lock()


def cached_checks(url: str, run: Callable[[], Any]) -> Any:
    """The data checks for the overview, at most CHECKS_TTL seconds old: over the whole
    database they take seconds at 10,000 documents (benchmarks/README.md, bench_web)."""
    with _checks_lock:
        hit = _checks_cache.get(url)
        if hit is not None and time.monotonic() - hit[0] < CHECKS_TTL:
            return hit[1]
    result = run()
    with _checks_lock:
        _checks_cache[url] = (time.monotonic(), result)
    return result


def url_with(**changes: Any) -> str:
    args = {k: v for k, v in request.args.items()}
    args.update({k: v for k, v in changes.items()})
    return request.path + "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


def fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return corr.text_value(v) or ""
    return str(v)


def _document_filters(args: dict[str, str]) -> tuple[sql.Composable, list[Any]]:
    """The WHERE clause of the documents list: documents with a record of that region or
    park (by any of its names), year, status; or a name or title containing `q`."""
    conds: list[sql.Composable] = []
    params: list[Any] = []
    obs: list[sql.Composable] = []
    for kind in ("region", "park"):
        if args.get(kind):
            obs.append(sql.SQL(
                "EXISTS (SELECT 1 FROM {table} e JOIN entity_alias a"
                " ON a.kind = {kind} AND a.entity_id = e.id"
                " WHERE e.id = o.{ref} AND a.alias = %s)").format(
                table=sql.Identifier(kind), kind=sql.Literal(kind),
                ref=sql.Identifier(f"{kind}_id")))
            params.append(args[kind])
    if args.get("year", "").isdigit():
        obs.append(sql.SQL("o.year = %s"))
        params.append(int(args["year"]))
    if args.get("status") in STATUSES:
        obs.append(sql.SQL("o.status = %s"))
        params.append(args["status"])
    if obs:
        conds.append(sql.SQL("EXISTS (SELECT 1 FROM observation o WHERE o.document_id = d.id"
                             " AND {})").format(sql.SQL(" AND ").join(obs)))
    if args.get("q"):
        conds.append(sql.SQL("(d.name ILIKE %s OR d.title ILIKE %s)"))
        params += ["%" + args["q"] + "%"] * 2
    if not conds:
        return sql.SQL(""), params
    return sql.SQL("WHERE ") + sql.SQL(" AND ").join(conds), params


# Checks about the database as a whole (a metric's usual scale over every record, entities
# awaiting review): on the overview page, not per document — at 10,000 documents the scale
# check alone took 1.5 s.
WHOLE_DATABASE_CHECKS = frozenset({"level_near_metric_scale", "provisional_entities"})

# span_matches_text costs O(records × text length) in SQL (substr counts characters from
# the start of a UTF-8 text: 0.6 s for a page of 50 documents at 10,000 documents); the
# document page checks it in Python on the records it shows, the list leaves it to
# `parkstat check` and the overview.
PER_DOCUMENT_SKIP = frozenset({"span_matches_text"})


def _failing_checks(conn: psycopg.Connection, doc_ids: list[int], detail: bool = False
                    ) -> dict[int, Any]:
    """Per document, the data checks (etl/serve/checks.py) its records fail: a count, or with
    `detail` the checks' names and failing rows."""
    from etl.serve.checks import CHECKS

    out: dict[int, Any] = {}
    if not doc_ids:
        return out
    for check in CHECKS:
        if ("document_id" not in check.sql or check.name in WHOLE_DATABASE_CHECKS
                or check.name in PER_DOCUMENT_SKIP):
            continue
        query = sql.SQL("SELECT document_id, count(*) FROM ({}) f"
                        " WHERE document_id = ANY(%(docs)s) GROUP BY 1").format(
            sql.SQL(check.sql))  # type: ignore[arg-type]  # etl/serve/checks.py's own SQL
        try:
            with conn.transaction():
                rows = conn.execute(query, {"docs": doc_ids}).fetchall()
        except psycopg.Error:
            continue
        for doc, n in rows:
            if detail:
                out.setdefault(int(doc), []).append((check.name, check.severity,
                                                     check.description, int(n)))
            else:
                out[int(doc)] = out.get(int(doc), 0) + int(n)
    return out


def _catalogue(conn: psycopg.Connection) -> dict[str, Any]:
    return {
        "metrics": conn.execute("SELECT code, name_zh, name_en FROM metric ORDER BY code"
                                ).fetchall(),
        "units": conn.execute("SELECT code, name_zh FROM unit ORDER BY code").fetchall(),
        "measures": corr.ENUMS["measure"], "statuses": corr.ENUMS["status"],
        "qualifiers": corr.ENUMS["qualifier"],
    }


def _next_record(conn: psycopg.Connection, doc_id: int, rec: dict[str, Any]) -> int | None:
    row = conn.execute(
        "SELECT id FROM observation WHERE document_id = %s AND (span_start, seq, id) > (%s, %s, %s)"
        " ORDER BY span_start, seq, id LIMIT 1",
        (doc_id, rec["span_start"], rec["seq"], rec["id"])).fetchone()
    return int(row[0]) if row else None


def quantity_fields(selected: str) -> dict[str, str]:
    """What the extractor's quantity reader makes of a selected figure (２３．５亿元 →
    value 2350000000, unit CNY; 3000余个 → 3000, count, more_than): the defaults of an
    added record, under whatever the reviewer filled in."""
    from etl.extract.normalise import normalise
    from etl.extract.quantities import find_quantities

    found = find_quantities(normalise(selected).text)
    if not found:
        return {}
    q = found[0]
    out = {"unit": q.unit, "qualifier": q.qualifier}
    for fld, v in (("value", q.value), ("value_low", q.low), ("value_high", q.high)):
        if v is not None:
            out[fld] = f"{v:.12g}"
    return out


def _snap(text: str, selected: str, start: int) -> int | None:
    """The selection's offset in the stored text: the browser counts UTF-16 units and
    may be off by what it renders; take the nearest occurrence of the selected text."""
    if text[start:start + len(selected)] == selected:
        return start
    best, i = None, text.find(selected)
    while i >= 0:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(selected, i + 1)
    return best


def highlight(text: str, records: list[dict[str, Any]], rejected: list[dict[str, Any]],
              selected: dict[str, Any] | None) -> Markup:
    """The document's text as HTML, every figure a link (`<a class="fig …">`) to its
    record; figures sharing or overlapping a span are one link to the first of them."""
    marks: list[tuple[int, int, str, dict[str, Any] | None]] = []
    for r in records:
        marks.append((r["span_start"], r["span_end"], "rec", r))
    for r in rejected:
        marks.append((r["span_start"], r["span_end"], "rej", r))
    marks.sort(key=lambda m: (m[0], -m[1]))
    groups: list[list[Any]] = []  # [start, end, [marks]]
    for m in marks:
        if groups and m[0] < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], m[1])
            groups[-1][2].append(m)
        else:
            groups.append([m[0], m[1], [m]])
    out: list[str] = []
    pos = 0
    sel_id = selected["id"] if selected else None
    for start, end, ms in groups:
        out.append(str(escape(text[pos:start])))
        recs = [m[3] for m in ms if m[2] == "rec"]
        inner = str(escape(text[start:end]))
        if recs:
            first = recs[0]
            cls = ["fig", f"s-{first['status']}"]
            if all(r["reviewed"] for r in recs):
                cls.append("reviewed")
            if any(r["corrected_fields"] for r in recs):
                cls.append("corrected")
            if any(r["correction_id"] for r in recs):
                cls.append("added")
            if any(r["id"] == sel_id for r in recs):
                cls.append("sel")
            title = "; ".join(f"{r['metric']} {r['measure']} {r['status']}"
                              f"{' ' + str(r['year']) if r['year'] else ''}" for r in recs)
            ids = " ".join(str(r["id"]) for r in recs)
            out.append(f'<a class="{" ".join(cls)}" id="f{first["id"]}" data-ids="{ids}"'
                       f' href="?obs={first["id"]}#f{first["id"]}"'
                       f' title="{escape(title)}">{inner}</a>')
        else:
            out.append(f'<span class="fig rejected" title="rejected: not a figure">{inner}</span>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def evidence(text: str, rec: dict[str, Any]) -> dict[str, str]:
    """Where each field of a record comes from: the extractor's own evidence (the rule
    and the words it read: etl/extract/evidence.py, observation.evidence) for region, park, year
    and status; for the rest, the words the record was read from and where a name stands."""
    quote = rec["quote"] or ""
    ev = {
        "value": f"“{rec['value_text']}” at {rec['span_start']}–{rec['span_end']}",
        "metric": f"“{rec['metric_text']}”" if rec["metric_text"] else "no metric words",
        "year": f"“{rec['period_text']}”" if rec["period_text"] else "no time words",
    }
    for kind in SUBJECT_KINDS:
        name = rec[kind]
        if not name:
            continue
        if name in quote:
            ev[kind] = "named in the clause"
        else:
            i = text.rfind(name, 0, rec["span_start"])
            if i < 0:
                i = text.find(name)
            ev[kind] = (f"named at {i} ({'before' if i < rec['span_start'] else 'after'})"
                        if i >= 0 else "from the report's context (not written as such)")
    corrected = set(rec.get("corrected_fields") or ())
    for field, found in (rec.get("evidence") or {}).items():
        if not isinstance(found, dict) or field in corrected:
            continue  # a reviewer's value has no extractor evidence
        words = (f" “{found['text']}” at {found['start']}–{found['end']}"
                 if found.get("text") and found.get("start") is not None else "")
        ev[field] = f"rule: {found.get('rule', '?')}{words}"
    return ev


def serve(database: Database, host: str = "127.0.0.1", port: int = 0,
          author: str | None = None, ready: Callable[[str], None] | None = None) -> int:
    """Run the application until interrupted; prints its URL."""
    from werkzeug.serving import make_server

    require_login = not is_loopback(host)
    if require_login:
        from etl.store.users import has_users

        with database.connect() as conn:
            if not has_users(conn):
                print(f"parkstat serve: {host} is not a loopback address, so pages need "
                      "sign-in, and there is no account yet: add one with "
                      "`parkstat user add NAME --role reviewer`", file=sys.stderr)
                return 1
    app = create_app(database, require_login=require_login, author=author, host=host)
    if port == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    server = make_server(host, port, app, threaded=True)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    print(f"parkstat serve: {url}" + (" (sign-in required)" if require_login else ""),
          flush=True)
    if ready:
        ready(url)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0
