"""`parkstat serve` over HTTP (Flask's test client, a real PostgreSQL): every page, every
kind of correction, CSRF, sign-in beyond localhost, viewers who cannot write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from flask.testing import FlaskClient

from etl.paths import SAMPLE_REPORTS_DIR
from etl.serve.web import create_app, is_loopback
from etl.store.db import Database
from etl.store.load import load_paths
from etl.store.users import add_user
from tests.conftest import run_cli

DOC = "nanshan_park_2012_midyear.txt"


@pytest.fixture
def site(db_url: str) -> str:
    assert load_paths([SAMPLE_REPORTS_DIR], Database(db_url)).ok
    return db_url


@pytest.fixture
def client(site: str) -> Iterator[FlaskClient]:
    app = create_app(Database(site), author="tester", secret_key="test")
    with app.test_client() as c:
        yield c


def _csrf(client: FlaskClient, path: str = "/documents") -> str:
    html = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def _records(url: str, n: int = 3) -> list[tuple[int, int, int, str]]:
    with psycopg.connect(url) as conn:
        return [(int(a), int(b), int(c), str(d)) for a, b, c, d in conn.execute(
            "SELECT d.id, o.id, o.span_start, o.value_text FROM observation o"
            " JOIN source_document d ON d.id = o.document_id WHERE d.name = %s"
            " ORDER BY o.seq LIMIT %s", (DOC, n))]


def _one(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def test_every_page(client: FlaskClient, site: str) -> None:
    doc, obs, _, value_text = _records(site)[0]
    pages = {
        "/documents": DOC, "/documents?region=&status=actual&q=nanshan": DOC,
        f"/documents/{doc}": value_text, f"/documents/{doc}?obs={obs}": "Metric 指标",
        "/entities": "Entities", "/entities?all=1&kind=region": "region",
        "/series": "<svg", "/overview": "Checks", "/corrections": "Corrections",
        "/api/names?kind=region&q=南阳": "411300", "/accuracy.json": "reviewed",
    }
    for path, needle in pages.items():
        r = client.get(path)
        assert r.status_code == 200, path
        assert needle in r.get_data(as_text=True), path
        assert "Server-Timing" in r.headers
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/documents?page=99").status_code == 200
    # every asset ships in the package
    for asset in ("/static/app.css", "/static/app.js"):
        assert client.get(asset).status_code == 200
    html = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert "http://" not in html and "https://" not in html  # no CDN


def test_document_filters(client: FlaskClient, site: str) -> None:
    assert DOC not in client.get("/documents?year=1990").get_data(as_text=True)
    assert DOC in client.get("/documents?q=nanshan").get_data(as_text=True)


def test_change_confirm_reject_add(client: FlaskClient, site: str) -> None:
    (doc, o1, _s1, _), (_, o2, _, _), (_, o3, _s3, _) = _records(site)
    token = _csrf(client)
    r = client.post(f"/documents/{doc}/records/{o1}", data={
        "csrf": token, "action": "save", "metric": "industrial_value_added", "region": "南阳市",
        "note": "per the title"})
    assert r.status_code == 302
    assert _one(site, "SELECT metric_code || ' ' || region_name || ' ' || reviewed::text"
                      " FROM bi.observation WHERE observation_id = %s", o1) \
        == "industrial_value_added 南阳市 true"
    assert _one(site, "SELECT author FROM correction WHERE field = 'region'") == "tester"
    page = client.get(f"/documents/{doc}?obs={o1}").get_data(as_text=True)
    assert "corrected" in page and "per the title" in page
    assert client.post(f"/documents/{doc}/records/{o2}",
                       data={"csrf": token, "action": "confirm"}).status_code == 302
    assert _one(site, "SELECT reviewed FROM observation WHERE id = %s", o2) is True
    assert client.post(f"/documents/{doc}/records/{o3}",
                       data={"csrf": token, "action": "reject"}).status_code == 302
    assert _one(site, "SELECT count(*) FROM observation WHERE id = %s", o3) == 0
    assert "rejected" in client.get(f"/documents/{doc}").get_data(as_text=True)
    text = _one(site, "SELECT text FROM source_document WHERE id = %s", doc)
    at = text.index("3000余个")
    # the browser's offset may be off (UTF-16 units): the server snaps to the selection;
    # value, unit and qualifier come from the selected text when the form leaves them blank
    r = client.post(f"/documents/{doc}/add", data={
        "csrf": token, "selected": "3000余个", "start": str(at + 3), "metric": "new_jobs",
        "unit": "", "value": "", "measure": "change", "status": "actual"})
    assert r.status_code == 302
    with psycopg.connect(site) as conn:
        added = conn.execute("SELECT span_start, value, unit_code, qualifier FROM observation"
                             " WHERE correction_id IS NOT NULL").fetchone()
    assert added is not None and added[0] == at
    assert (float(added[1]), added[2], added[3]) == (3000.0, "count", "more_than")
    # a refused value is reported, not stored
    r = client.post(f"/documents/{doc}/records/{o2}",
                    data={"csrf": token, "action": "save", "year": "1066"}, follow_redirects=True)
    assert "not saved" in r.get_data(as_text=True)
    assert _one(site, "SELECT count(*) FROM correction WHERE field = 'year'") == 0
    acc = client.get("/accuracy.json").get_json()
    assert acc["reviewed"] == 2 and acc["rejected"] == 1 and acc["added"] == 1
    # everything survives re-extraction
    assert load_paths([SAMPLE_REPORTS_DIR], Database(site), reextract=True).ok
    assert client.get("/accuracy.json").get_json() == acc
    assert _one(site, "SELECT count(*) FROM correction WHERE state = 'orphaned'") == 0


def test_forms_need_the_csrf_token(client: FlaskClient, site: str) -> None:
    doc, obs, _, _ = _records(site)[0]
    # a cross-site form: no session cookie, no token
    r = client.post(f"/documents/{doc}/records/{obs}", data={"action": "reject"})
    assert r.status_code == 400
    # another host name resolving to this server (DNS rebinding) is refused in local mode
    assert client.get("/documents", headers={"Host": "evil.example:5000"}).status_code == 403
    client.get("/documents")
    r = client.post(f"/documents/{doc}/records/{obs}", data={"action": "confirm"})
    assert r.status_code == 400
    r = client.post(f"/documents/{doc}/records/{obs}", data={"action": "confirm",
                                                             "csrf": "forged"})
    assert r.status_code == 400
    assert _one(site, "SELECT count(*) FROM correction") == 0


def test_entities_merge(client: FlaskClient, site: str) -> None:
    with psycopg.connect(site) as conn:
        row = conn.execute("SELECT kind, name FROM (SELECT 'park' AS kind, name FROM park"
                           " WHERE provisional) p LIMIT 1").fetchone()
        if row is None:
            pytest.skip("no provisional park in the sample reports")
        conn.execute("INSERT INTO park (name, provisional) VALUES ('示范合并目标园区', false)")
    token = _csrf(client, "/entities")
    r = client.post("/entities/merge", data={"csrf": token, "kind": "park", "alias": row[1],
                                             "canonical": "示范合并目标园区"},
                    follow_redirects=True)
    assert "merged" in r.get_data(as_text=True)
    assert _one(site, "SELECT origin FROM entity_alias WHERE kind = 'park' AND alias = %s",
                row[1]) == "curator"


def test_sign_in_beyond_localhost(site: str) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    with psycopg.connect(site) as conn:
        add_user(conn, "rita", "reviewer-pass", "reviewer")
        add_user(conn, "vic", "viewer-pass1", "viewer")
        stored = conn.execute("SELECT password_hash FROM app_user WHERE name = 'rita'"
                              ).fetchone()
    assert stored and "reviewer-pass" not in stored[0]
    doc, obs, _, _ = _records(site)[0]
    app = create_app(Database(site), require_login=True, secret_key="test")
    with app.test_client() as c:
        assert c.get("/documents").status_code == 302  # to /login
        token = _csrf(c, "/login")
        assert c.post("/login", data={"csrf": token, "name": "vic",
                                      "password": "wrong-pass"}).status_code == 401
        assert c.post("/login", data={"csrf": token, "name": "vic",
                                      "password": "viewer-pass1"}).status_code == 302
        assert c.get("/documents").status_code == 200
        token = _csrf(c)
        r = c.post(f"/documents/{doc}/records/{obs}", data={"csrf": token, "action": "confirm"})
        assert r.status_code == 403
        assert "Viewers cannot correct" in c.get(f"/documents/{doc}?obs={obs}").get_data(
            as_text=True)
    with app.test_client() as c:
        token = _csrf(c, "/login")
        c.post("/login", data={"csrf": token, "name": "rita", "password": "reviewer-pass"})
        token = _csrf(c)
        r = c.post(f"/documents/{doc}/records/{obs}", data={"csrf": token, "action": "confirm"})
        assert r.status_code == 302
    assert _one(site, "SELECT author FROM correction") == "rita"


def test_user_add_and_serve_refuses_without_accounts(site: str) -> None:
    r = run_cli("serve", "--host", "0.0.0.0", database_url=site, timeout=30)
    assert r.returncode == 1 and "parkstat user add" in r.stderr
    r = run_cli("user", "add", "ann", "--role", "reviewer", "--password-stdin",
                database_url=site, input_text="s3cret-enough\n")
    assert r.returncode == 0, r.stderr
    assert _one(site, "SELECT role FROM app_user WHERE name = 'ann'") == "reviewer"
    r = run_cli("user", "add", "bob", "--password-stdin", database_url=site,
                input_text="short\n")
    assert r.returncode == 2 and "8 characters" in r.stderr


def test_parkstat_serve_prints_its_url_and_serves(site: str) -> None:
    import os
    import subprocess
    import sys
    import urllib.request

    from etl.paths import PROJECT_ROOT

    env = {**os.environ, "DATABASE_URL": site}
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "serve", "--author", "ann"],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert m, line + (proc.stderr.read() if proc.stderr else "")
        with urllib.request.urlopen(m.group(1) + "documents", timeout=30) as resp:
            page = resp.read().decode("utf-8")
        assert DOC in page and "ann (reviewer)" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)
