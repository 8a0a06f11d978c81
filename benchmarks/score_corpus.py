"""Score extraction on the development corpus, split the way issue 13's protocol asks.

Rules are tuned on the seed reports and on half A of the newer reports; half B is scored
only to estimate how well they carry over to reports never seen (the held-back set), and
its errors are read only after that estimate is taken. The split mixes genres on both
sides (work reports, news, zone profiles, plans, traditional-script pages).

    .venv/bin/python -m benchmarks.score_corpus            # seeds, A, all 20 (B hidden)
    .venv/bin/python -m benchmarks.score_corpus --with-b   # B too: the estimate
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HALF_A = ("r11", "r14", "r22", "r31", "r34", "r43", "r51", "r53")
HALF_B = ("r12", "r21", "r23", "r32", "r42", "r44", "r54")


def _gold_subset(gold: Path, stems: list[str], into: Path) -> Path:
    into.mkdir()
    for stem in stems:
        shutil.copy(gold / f"{stem}.jsonl", into / f"{stem}.jsonl")
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-b", action="store_true", help="also score half B")
    parser.add_argument("--per-doc", action="store_true", help="per-report lines (not B's)")
    args = parser.parse_args(argv)
    corpus, gold = SHARED / "corpus", SHARED / "gold"
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 1
    evaluate = [sys.executable, str(SHARED / "tools" / "evaluate.py")]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run(
            [sys.executable, "-m", "etl.cli", "extract", str(corpus), "--out", str(out)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
        seeds = sorted(p.stem for p in gold.glob("0*.jsonl"))
        sets = {"seeds": seeds, "half A": list(HALF_A)}
        if args.with_b:
            sets["half B"] = list(HALF_B)
        for label, stems in sets.items():
            subset = _gold_subset(gold, stems, Path(tmp) / label.replace(" ", "_"))
            cmd = [*evaluate, str(subset), str(out)]
            if args.per_doc and label != "half B":
                cmd.append("--per-doc")
            result = subprocess.run(cmd, check=True, capture_output=True, text=True)
            lines = result.stdout.strip().splitlines()
            shown = lines if args.per_doc and label != "half B" else lines[-2:]
            print(f"== {label}")
            print("\n".join(shown))
        if args.with_b:
            result = subprocess.run([*evaluate, str(gold), str(out)], check=True,
                                    capture_output=True, text=True)
            print("== all 20")
            print("\n".join(result.stdout.strip().splitlines()[-2:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
