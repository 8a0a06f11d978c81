"""Server time of the review pages (`parkstat serve`): the document page of the largest
development report, and the documents list at 10,000 documents.

Not a test: a measurement. Makes a throwaway database on $DATABASE_URL's server (else
127.0.0.1:5432, user postgres) at alembic head, seeded; loads ../shared/corpus (else
seeds/reports) with the real loader; then copies its documents and their observations in
SQL until there are `--documents` documents (default 10,000; the extractor is not what is
measured here). Pages are requested through Flask's test client, so the time is the
server's: routing, queries, templates — no network, no browser. Each page: one warm-up,
then `--runs` timed requests (median and slowest).

    .venv/bin/python -m benchmarks.bench_web [--documents 10000] [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import psycopg

from benchmarks.common import migrated_database, server_url
from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.serve.web import create_app
from etl.store.db import Database
from etl.store.load import load_paths

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"

_COPY_DOCUMENTS = """
INSERT INTO source_document (name, path, sha256, size, encoding, title, stated_date,
    extractor_version, text, load_run_id)
SELECT 'copy' || n || '_' || d.name, d.path, d.sha256, d.size, d.encoding, d.title,
    d.stated_date, d.extractor_version, d.text, d.load_run_id
FROM generate_series(1, %(copies)s) n CROSS JOIN source_document d
WHERE d.name NOT LIKE 'copy%%'"""

def _time(get: Callable[[], object], runs: int) -> tuple[float, float]:
    get()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        get()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with migrated_database(server_url(), tag="bench_web") as url:
        source = CORPUS if CORPUS.is_dir() else SAMPLE_REPORTS_DIR
        summary = load_paths([source], Database(url))
        print(f"loaded {source}: {summary.documents_new} documents, "
              f"{summary.records_loaded} records")
        app = create_app(Database(url), author="bench")
        client = app.test_client()
        with psycopg.connect(url) as conn:
            doc, name, chars, n = conn.execute(
                "SELECT d.id, d.name, length(d.text), count(o.id) FROM source_document d"
                " LEFT JOIN observation o ON o.document_id = d.id GROUP BY d.id"
                " ORDER BY length(d.text) DESC LIMIT 1").fetchone() or (0, "", 0, 0)
            obs = conn.execute("SELECT min(id) FROM observation WHERE document_id = %s",
                               (doc,)).fetchone()
        for label, path in ((f"document page, {name} ({chars} chars, {n} figures)",
                             f"/documents/{doc}"),
                            ("  … with a figure's record panel open",
                             f"/documents/{doc}?obs={obs[0] if obs else ''}")):
            med, worst = _time(lambda p=path: client.get(p), args.runs)
            print(f"{label}: median {med:.1f} ms, slowest {worst:.1f} ms")
        with psycopg.connect(url) as conn:
            have = conn.execute("SELECT count(*) FROM source_document").fetchone()[0]
            copies = max(0, -(-(args.documents - have) // have))
            t0 = time.perf_counter()
            conn.execute(_COPY_DOCUMENTS, {"copies": copies})
            conn.execute(
                """INSERT INTO observation (document_id, load_run_id, region_id, park_id,
                    cluster_id, company_id, seq, metric_code, unit_code, value, value_low,
                    value_high, qualifier, measure, status, year, period, period_text,
                    metric_text, value_text, span_start, span_end, quote)
                SELECT c.id, o.load_run_id, o.region_id, o.park_id, o.cluster_id,
                    o.company_id, o.seq, o.metric_code, o.unit_code, o.value, o.value_low,
                    o.value_high, o.qualifier, o.measure, o.status, o.year, o.period,
                    o.period_text, o.metric_text, o.value_text, o.span_start, o.span_end,
                    o.quote
                FROM source_document c
                JOIN source_document d ON d.name = substring(c.name from '^copy[0-9]+_(.*)$')
                JOIN observation o ON o.document_id = d.id""")
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")
            docs, recs = conn.execute("SELECT (SELECT count(*) FROM source_document),"
                                      " (SELECT count(*) FROM observation)").fetchone()
            print(f"copied to {docs} documents, {recs} records in "
                  f"{time.perf_counter() - t0:.0f} s")
        pages = [("documents list, page 1", "/documents"),
                 ("documents list, page 100", "/documents?page=100"),
                 ("documents list, filtered by status=target", "/documents?status=target"),
                 ("documents list, filtered by year=2010", "/documents?year=2010")]
        for label, path in pages:
            med, worst = _time(lambda p=path: client.get(p), args.runs)
            print(f"{label} ({docs} documents): median {med:.1f} ms, slowest {worst:.1f} ms")


if __name__ == "__main__":
    main()
