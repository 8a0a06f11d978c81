"""Guard for refactors: `parkstat extract` must write byte-identical JSONL before and after.

    python scripts/same_output.py save  DIR   # before the change: write the reference
    python scripts/same_output.py check DIR   # after it: compare, file by file

It extracts `../shared/corpus` (when present) and `seeds/reports` through the CLI, so what
is compared is exactly what a user gets. Exit 0 when every file is the same; else one line
per differing file and exit 1.
"""

import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT.parent / "shared" / "corpus", ROOT / "seeds" / "reports"]


def extract(into: Path) -> list[str]:
    """Run `parkstat extract --out` on every input folder; the names of the files written."""
    for folder in INPUTS:
        if not folder.is_dir():
            continue
        out = into / folder.name
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "etl.cli", "extract", "--out", str(out), str(folder)],
            check=True, cwd=ROOT,
        )
    return sorted(str(p.relative_to(into)) for p in into.rglob("*.jsonl"))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    action, reference = argv[0], Path(argv[1])
    if action == "save":
        reference.mkdir(parents=True, exist_ok=True)
        print(f"{len(extract(reference))} files saved to {reference}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        now = Path(tmp)
        names = extract(now)
        before = sorted(str(p.relative_to(reference)) for p in reference.rglob("*.jsonl"))
        bad = sorted(set(names) ^ set(before))
        bad += [n for n in names if n in before and not filecmp.cmp(
            now / n, reference / n, shallow=False)]
        for name in bad:
            print(f"differs: {name}")
        print(f"{len(names) - len(bad)} of {len(set(names) | set(before))} files identical")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
