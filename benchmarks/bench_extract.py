"""Throughput of extraction against jieba word segmentation on the same text.

Not a test: a measurement. Builds at least `--mb` megabytes of report text by repeating
../shared/corpus (or seeds/reports when the corpus is absent), then, in one process and
after a warm-up, times

* `jieba.lcut` over the whole text, and
* `etl.extract.pipeline.extract_text` over the same text, one file-sized chunk at a time (as
  `extract_file` sees it),

and prints characters per second for both and the ratio extract / jieba (goal: <= 1.0,
extraction costs no more than segmenting the text into words). `--profile` adds the
cProfile top functions by cumulative time for the extraction pass.

    .venv/bin/python -m benchmarks.bench_extract [--mb 5] [--profile] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import time
from pathlib import Path

import jieba

from etl.extract.pipeline import extract_text
from etl.inputs.read import read_report

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
SAMPLES_DIR = REPO_ROOT / "seeds" / "reports"


def source_texts() -> tuple[Path, list[str]]:
    directory = CORPUS_DIR if CORPUS_DIR.is_dir() and any(CORPUS_DIR.glob("*.txt")) else SAMPLES_DIR
    texts = [read_report(p).text for p in sorted(directory.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt reports in {directory}")
    return directory, texts


def build_chunks(texts: list[str], min_chars: int) -> list[str]:
    """Whole files, repeated in order until their total length reaches min_chars."""
    chunks: list[str] = []
    total = 0
    while total < min_chars:
        for t in texts:
            chunks.append(t)
            total += len(t)
            if total >= min_chars:
                break
    return chunks


def time_jieba(text: str) -> float:
    t0 = time.perf_counter()
    jieba.lcut(text)
    return time.perf_counter() - t0


def time_extract(chunks: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = 0
    for i, chunk in enumerate(chunks):
        _, records, _ = extract_text(f"bench_{i}.txt", chunk)
        n += len(records)
    return time.perf_counter() - t0, n


def profile_extract(chunks: list[str], top: int) -> str:
    """cProfile of the extraction pass: top functions by cumulative, then by own time."""
    prof = cProfile.Profile()
    prof.enable()
    time_extract(chunks)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="text size in MB of UTF-8 (default 5)")
    ap.add_argument("--profile", action="store_true", help="print the cProfile hot spots")
    ap.add_argument("--top", type=int, default=15, help="functions to show with --profile")
    ap.add_argument(
        "--repeat", type=int, default=3,
        help="timed passes of each; the fastest counts (default 3: on a shared 2-core machine "
        "single passes vary by ±15%%)",
    )
    args = ap.parse_args(argv)

    jieba.setLogLevel(logging.WARNING)
    directory, texts = source_texts()
    # size in UTF-8 bytes: Chinese text is ~3 bytes a character
    avg_bytes_per_char = sum(len(t.encode()) for t in texts) / sum(len(t) for t in texts)
    chunks = build_chunks(texts, int(args.mb * 1_000_000 / avg_bytes_per_char))
    whole = "".join(chunks)
    n_chars = len(whole)
    print(f"source: {directory} ({len(texts)} files)")
    print(
        f"text: {n_chars:,} chars, {len(whole.encode()) / 1e6:.1f} MB UTF-8, "
        f"{len(chunks)} file-sized chunks"
    )

    # warm-up: jieba loads its dictionary, extraction compiles and caches its lexicons
    jieba.lcut(texts[0])
    for t in texts:
        extract_text("warmup.txt", t)

    # interleaved, best of N: both see the same machine noise, the minimum is the cost
    jieba_runs: list[float] = []
    extract_runs: list[float] = []
    n_records = 0
    for _ in range(max(1, args.repeat)):
        jieba_runs.append(time_jieba(whole))
        t, n_records = time_extract(chunks)
        extract_runs.append(t)
    t_jieba, t_extract = min(jieba_runs), min(extract_runs)
    print(f"passes: {len(jieba_runs)} each, interleaved; best of each shown")
    print(f"jieba.lcut:    {t_jieba:8.2f} s  {n_chars / t_jieba:12,.0f} chars/s")
    print(
        f"extract_text:  {t_extract:8.2f} s  {n_chars / t_extract:12,.0f} chars/s  "
        f"({n_records:,} records)"
    )
    ratio = t_extract / t_jieba
    print(
        f"ratio extract/jieba: {ratio:.2f}  (goal <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'})"
    )

    if args.profile:
        print()
        print(profile_extract(chunks, args.top))


if __name__ == "__main__":
    main()
