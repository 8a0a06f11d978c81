"""The cookbook queries of docs/ANALYSTS.md at about a million observations.

Not a test: a measurement. Makes a throwaway database on $DATABASE_URL's server (else
127.0.0.1:5432, user postgres) at alembic head, seeded, and fills it with synthetic rows
written straight into the schema with COPY (running the extractor 100k times is not the
point here): parks, clusters, companies and `--observations` observations (default
1,000,000) in documents of ~29 observations each — the shape of a generated corpus: one
metric per figure with its canonical unit, status 80 % actual / 15 % target / 5 %
estimate, measures level / growth / share / change, years 2000–2020, a region on 90 %,
a park on 40 %, an industry on 20 %, a company on 5 %, ranges and open qualifiers.
Then VACUUM ANALYZE, and for each ```sql block with a `-- name:` marker in
docs/ANALYSTS.md: one warm-up, `--runs` timed runs (p50 / p95; with few runs p95 is the
slowest), and one EXPLAIN (ANALYZE, BUFFERS) summarised: execution time, shared buffers
hit / read, and every scan of a table — sequential, or the index it used.

    .venv/bin/python -m benchmarks.bench_queries [--observations 1000000] [--runs 5]
                                                 [--only NAME ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql

from benchmarks.common import migrated_database, server_url
from etl.extract import gazetteer

REPO_ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = REPO_ROOT / "docs" / "ANALYSTS.md"
BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.M)

RECORDS_PER_DOCUMENT = 29
PARKS = 6000
COMPANIES = 20000
PARK_SUFFIXES = ("经济开发区", "高新技术产业开发区", "工业园区", "产业集聚区", "高新区",
                 "开发区", "工业园", "科技园", "物流园区")


def cookbook() -> list[tuple[str, str]]:
    out = []
    for body in BLOCK.findall(COOKBOOK.read_text(encoding="utf-8")):
        m = NAME.search(body)
        if m:
            out.append((m[1], body.strip()))
    return out


def _copy(conn: psycopg.Connection, sql: str, rows: Iterator[tuple[Any, ...]]) -> int:
    n = 0
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def fill(conn: psycopg.Connection, observations: int, seed: int) -> dict[str, int]:
    """Synthetic dimensions, documents and observations, all by COPY."""
    rng = random.Random(seed)
    counties = conn.execute(
        "SELECT id, name FROM region WHERE level = 'county' ORDER BY id").fetchall()
    metrics = conn.execute(
        "SELECT code, COALESCE(canonical_unit, 'count') FROM metric ORDER BY code").fetchall()
    run_id = conn.execute(
        "INSERT INTO load_run (extractor_version, parkstat_version, status, finished_at)"
        " VALUES ('synthetic', 'bench', 'succeeded', now()) RETURNING id").fetchone()
    assert run_id is not None
    run = int(run_id[0])

    wancheng = next((i for i, n in counties if n == "宛城区"), counties[0][0])
    parks: list[tuple[Any, ...]] = [("南阳高新技术产业开发区", wancheng, "national", False)]
    for _ in range(PARKS - 1):
        cid, cname = rng.choice(counties)
        parks.append((cname[:-1] + rng.choice(PARK_SUFFIXES), cid, None, rng.random() < 0.3))
    _copy(conn, "COPY park (name, region_id, level, provisional) FROM STDIN", iter(parks))
    clusters = [c.name for c in gazetteer.clusters()]
    _copy(conn, "COPY cluster (name, provisional) FROM STDIN",
          ((c, False) for c in clusters))
    _copy(conn, "COPY company (name, provisional) FROM STDIN",
          ((f"企业{i:05d}有限公司", True) for i in range(COMPANIES)))
    for kind in ("park", "cluster", "company"):
        conn.execute(f"INSERT INTO entity_alias (kind, alias, {kind}_id, origin)"
                     f" SELECT '{kind}', name || '#' || id, id, 'loader' FROM {kind}")
    park_ids = [int(r[0]) for r in conn.execute("SELECT id FROM park ORDER BY id")]
    cluster_ids = [int(r[0]) for r in conn.execute("SELECT id FROM cluster ORDER BY id")]
    company_ids = [int(r[0]) for r in conn.execute("SELECT id FROM company ORDER BY id")]

    n_docs = max(1, observations // RECORDS_PER_DOCUMENT)
    text = "２０１０年，全区完成地区生产总值２３．５亿元。" * 8

    def documents() -> Iterator[tuple[Any, ...]]:
        for i in range(n_docs):
            year = 2000 + i % 21
            stated = f"{year}-{1 + i % 12:02d}-01" if i % 3 else None
            yield (f"synthetic_{i:07d}.txt", f"/synthetic/{i}.txt",
                   hashlib.sha256(str(i).encode()).hexdigest(), 4096, "utf-8",
                   f"第{i}号报告", stated, "synthetic", text, run)

    _copy(conn, "COPY source_document (name, path, sha256, size, encoding, title,"
          " stated_date, extractor_version, text, load_run_id) FROM STDIN", documents())
    doc_ids = [int(r[0]) for r in conn.execute("SELECT id FROM source_document ORDER BY id")]

    def rows() -> Iterator[tuple[Any, ...]]:
        made = 0
        for doc in doc_ids:
            region = rng.choice(counties)[0]
            park = rng.choice(park_ids) if rng.random() < 0.4 else None
            for seq in range(RECORDS_PER_DOCUMENT):
                if made >= observations:
                    return
                made += 1
                code, unit = rng.choice(metrics)
                r = rng.random()
                measure = ("level" if r < 0.70 else "growth" if r < 0.90
                           else "share" if r < 0.95 else "change")
                if measure in ("growth", "share"):
                    unit = "percent"
                s = rng.random()
                status = "actual" if s < 0.80 else "target" if s < 0.95 else "estimate"
                year = rng.randint(2000, 2020) if rng.random() < 0.9 else None
                q = rng.random()
                value: float | None = round(rng.lognormvariate(15, 3), 2)
                low: float | None = None
                high: float | None = None
                qualifier = "exact"
                if q < 0.05:
                    qualifier, low, high = "range", value, 2 * (value or 1)
                    value = None
                elif q < 0.15:
                    qualifier = rng.choice(("approx", "more_than", "less_than"))
                period = None if year is None else (
                    f"{year - 4}/{year}" if rng.random() < 0.05 else str(year))
                cluster = rng.choice(cluster_ids) if rng.random() < 0.2 else None
                company = rng.choice(company_ids) if rng.random() < 0.05 else None
                start = 20 + seq * 30
                yield (doc, seq, run, code, unit,
                       region if rng.random() < 0.9 else None, park, cluster, company,
                       value, low, high, qualifier, measure, status, year, period,
                       None if year is None else f"{year}年", "指标", "23.5亿元",
                       start, start + 6, "全区完成地区生产总值23.5亿元")

    n_obs = _copy(conn, "COPY observation (document_id, seq, load_run_id, metric_code,"
                  " unit_code, region_id, park_id, cluster_id, company_id, value, value_low,"
                  " value_high, qualifier, measure, status, year, period, period_text,"
                  " metric_text, value_text, span_start, span_end, quote) FROM STDIN", rows())
    conn.commit()
    return {"documents": n_docs, "observations": n_obs, "parks": PARKS,
            "clusters": len(cluster_ids), "companies": COMPANIES}


def plan_summary(plan: dict[str, Any]) -> tuple[float, int, int, list[str]]:
    """(execution ms, shared hit, shared read, one line per table scan)."""
    scans: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node.get("Node Type", "")
        rel = node.get("Relation Name")
        if rel:
            index = node.get("Index Name")
            how = f"{kind} using {index}" if index else kind
            if "Actual Rows" in node:
                loops = int(node.get("Actual Loops", 1))
                rows = int(node["Actual Rows"]) * loops
                scans.append(f"{how} on {rel} ({rows:,} rows, {loops:,} loops)")
            else:
                scans.append(f"{how} on {rel} (estimated {int(node.get('Plan Rows', 0)):,} rows)")
        for child in node.get("Plans", []):
            walk(child)

    top = plan["Plan"]
    walk(top)
    return (float(plan.get("Execution Time", 0.0)), int(top.get("Shared Hit Blocks", 0)),
            int(top.get("Shared Read Blocks", 0)), scans)


def bench(conn: psycopg.Connection, name: str, sql: str, runs: int, slow: float
          ) -> dict[str, Any]:
    """Warm-up, then `runs` timed runs and EXPLAIN ANALYZE — unless the warm-up took more
    than `slow` seconds: then it is the only run, and the plan is EXPLAIN without ANALYZE."""
    t0 = time.perf_counter()
    n_rows = len(conn.execute(sql).fetchall())  # warm-up: caches, plans
    times = [(time.perf_counter() - t0) * 1000]
    analyze = times[0] <= slow * 1000
    if analyze:
        times = []
        for _ in range(max(1, runs)):
            t0 = time.perf_counter()
            n_rows = len(conn.execute(sql).fetchall())
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " if analyze else "EXPLAIN (FORMAT JSON) "
    row = conn.execute(explain + sql).fetchone()
    assert row is not None
    raw = row[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    exec_ms, hit, read, scans = plan_summary(plan)
    return {"name": name, "rows": n_rows, "p50": statistics.median(times), "p95": p95,
            "explain_ms": exec_ms, "hit": hit, "read": read, "scans": scans,
            "analyzed": analyze}


def indexes(conn: psycopg.Connection) -> list[str]:
    return [f"{t}: {i}" for t, i in conn.execute(
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        " AND tablename IN ('observation', 'source_document', 'park', 'region',"
        " 'entity_alias') ORDER BY 1, 2")]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--observations", type=int, default=1_000_000,
                    help="synthetic observations (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (default 5)")
    ap.add_argument("--only", nargs="*", help="cookbook query names to run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--slow", type=float, default=20.0,
                    help="a query whose first run takes longer (s) is run once, EXPLAIN "
                    "without ANALYZE (default 20)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a session setting for the queries (e.g. enable_nestloop=off)")
    args = ap.parse_args(argv)

    queries = [(n, q) for n, q in cookbook() if not args.only or n in args.only]
    server = server_url()
    with migrated_database(server, tag="bench_queries") as url:
        with psycopg.connect(url) as conn:
            t0 = time.perf_counter()
            counts = fill(conn, args.observations, args.seed)
            t_fill = time.perf_counter() - t0
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('observation'))"
                                ).fetchone()
            print(f"filled by COPY in {t_fill:.0f} s: "
                  + ", ".join(f"{v:,} {k}" for k, v in counts.items())
                  + f"; observation with its indexes: {size[0] if size else '?'}")
            print("indexes:")
            for line in indexes(conn):
                print(f"  {line}")
            conn.execute("SET statement_timeout = '300s'")
            for setting in args.set:
                key, _, value = setting.partition("=")
                conn.execute(psycopg.sql.SQL("SELECT set_config({}, {}, false)").format(
                    psycopg.sql.Literal(key.strip()), psycopg.sql.Literal(value.strip())))
                print(f"SET {key.strip()} = {value.strip()}")
            print(f"\n{'query':34} {'rows':>7} {'p50 ms':>9} {'p95 ms':>9}  "
                  "explain: ms, buffers hit/read")
            results = []
            for name, sql in queries:
                try:
                    r = bench(conn, name, sql, args.runs, args.slow)
                except psycopg.Error as e:
                    print(f"{name:34} failed: {' '.join(str(e).split())}")
                    continue
                results.append(r)
                plan = (f"{r['explain_ms']:.1f} ms, {r['hit']:,}/{r['read']:,}" if r["analyzed"]
                        else "slow: one run, plan not analysed")
                print(f"{name:34} {r['rows']:>7,} {r['p50']:>9.1f} {r['p95']:>9.1f}  {plan}",
                      flush=True)
            print("\nscans per query (EXPLAIN ANALYZE):")
            for r in results:
                print(f"  {r['name']}:")
                for s in r["scans"]:
                    print(f"    {s}")


if __name__ == "__main__":
    main()
