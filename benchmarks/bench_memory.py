"""Peak memory of `parkstat load` over growing corpora: it should stay flat.

Not a test: a measurement. For each size (1,000 and 10,000 generated reports; 100,000
too with `--big`) it writes the corpus (benchmarks/generate.py, streamed to disk), makes
a throwaway database on $DATABASE_URL's server (else 127.0.0.1:5432, user postgres),
migrated and seeded, and runs `python -m etl.cli load CORPUS --json` as a child process;
the child's peak resident set (`ru_maxrss` from wait4) is its peak memory. A loader that
held the corpus, its records or its texts in memory would grow with the corpus; one that
streams documents stays at the interpreter + extractor lexicons + one batch of documents
being written (etl.store.load: at most BATCH_DOCUMENTS documents, BATCH_RECORDS records and
BATCH_CHARS characters of text, as rows ready for COPY) — reached by both default sizes.

    .venv/bin/python -m benchmarks.bench_memory [--sizes 1000 10000] [--big] [--workers N]

With `--workers N` the pool's processes are children of the loader: their memory is not
in the loader's ru_maxrss (each holds the same lexicons plus one document).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import generate
from benchmarks.common import migrated_database, server_url

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_load(corpus: Path, url: str, workers: int) -> tuple[float, int, dict[str, object]]:
    """(seconds, peak RSS in KiB, --json summary) of one `parkstat load` child."""
    env = dict(os.environ, DATABASE_URL=url)
    cmd = [sys.executable, "-m", "etl.cli", "load", str(corpus), "--json"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode()
    summary = json.loads(text.strip().splitlines()[-1]) if text.strip() else {}
    if proc.returncode != 0:
        raise SystemExit(f"parkstat load exited {proc.returncode}: {text[-500:]}")
    return elapsed, int(usage.ru_maxrss), summary


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                    help="corpus sizes in reports (default 1000 10000)")
    ap.add_argument("--big", action="store_true", help="add 100,000 reports (≈15 min)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--workers", type=int, default=1, help="parkstat load --workers N")
    args = ap.parse_args(argv)
    sizes = sorted(set(args.sizes + ([100_000] if args.big else [])))

    server = server_url()
    print(f"server: {server.rsplit('@', 1)[-1]}; loader: parkstat load "
          f"{'--workers ' + str(args.workers) if args.workers > 1 else '(one process)'}")
    rows: list[tuple[int, float, int, int, float]] = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="parkstat-mem-") as tmp:
            generate.write_corpus(Path(tmp), n, args.seed)
            corpus = Path(tmp) / "corpus"
            mb = sum(f.stat().st_size for f in corpus.iterdir()) / 1e6
            with migrated_database(server, tag="bench_mem") as url:
                elapsed, peak_kib, summary = run_load(corpus, url, args.workers)
        loaded = int(str(summary.get("records_loaded", 0)))
        rows.append((n, mb, loaded, peak_kib, elapsed))
        print(f"{n:>8,} reports  {mb:7.1f} MB  {loaded:>10,} records  "
              f"peak RSS {peak_kib / 1024:7.1f} MiB  {elapsed:7.1f} s", flush=True)
    if len(rows) > 1:
        (n0, mb0, _, p0, _), (n1, mb1, _, p1, _) = rows[0], rows[-1]
        print(f"corpus x{n1 / n0:,.0f} ({mb0:.1f} → {mb1:.1f} MB): peak RSS x{p1 / p0:.2f} "
              f"(+{(p1 - p0) / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
