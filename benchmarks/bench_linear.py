"""Extraction time per character as the input grows: it must stay flat (linear time).

Not a test: a measurement (tests/test_linear_time.py checks the ratio at a small size).
For each size from 25,000 to 400,000 characters (doubling), times
`etl.extract.pipeline.extract_text` on

* the pathological input of issue 15: `'2012年，' + '全区' * N + '完成工业总产值50亿元。'`
  — one clause of N names, which took 124 s at 200,000 characters while each name
  re-read the clause from its start; and
* normal text: the corpus reports (or seeds/reports), whole files repeated until the size
  is reached, extracted as one document,

and prints seconds and microseconds per character for both, and the growth of time per
character from the smallest size to the largest (1.0: linear; the old quadratic code
doubled it at every step).

    .venv/bin/python -m benchmarks.bench_linear [--sizes 25000,50000,...] [--repeat 1]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from benchmarks.bench_extract import source_texts
from etl.extract.pipeline import extract_text

SIZES = (25_000, 50_000, 100_000, 200_000, 400_000)


def pathological(chars: int) -> str:
    head, tail = "2012年，", "完成工业总产值50亿元。"
    n = max(1, (chars - len(head) - len(tail)) // 2)
    return head + "全区" * n + tail


def normal(chars: int) -> str:
    _, texts = source_texts()
    out: list[str] = []
    total = 0
    while total < chars:
        for t in texts:
            piece = t if total + len(t) <= chars else t[: chars - total]
            out.append(piece if piece.endswith("\n") else piece + "\n")
            total += len(out[-1])
            if total >= chars:
                break
    return "".join(out)


def seconds(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_text("bench.txt", text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                    help="characters, comma-separated (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N passes (default 1)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    extract_text("warm-up.txt", normal(5_000))  # lexicons and regexes compiled
    inputs: list[tuple[str, Callable[[int], str]]] = [
        ("pathological", pathological), ("normal", normal)]
    print(f"{'input':<13} {'chars':>9} {'seconds':>9} {'µs/char':>9}")
    for name, make in inputs:
        per_char: list[float] = []
        for size in sizes:
            text = make(size)
            s = seconds(text, args.repeat)
            per_char.append(s / len(text) * 1e6)
            print(f"{name:<13} {len(text):>9,} {s:>9.2f} {per_char[-1]:>9.2f}", flush=True)
        print(f"{name:<13} time per character, largest / smallest size: "
              f"{per_char[-1] / per_char[0]:.2f} (1.0 = linear)", flush=True)


if __name__ == "__main__":
    main()
