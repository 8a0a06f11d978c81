"""Records as JSON Lines, the interchange format of RECORDS.md and evaluate.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from etl.record import RECORD_FIELDS, Record


def record_line(record: Record) -> str:
    """One record, fields in RECORDS.md order, Chinese kept readable (no \\u escapes)."""
    data = record.model_dump()
    return json.dumps({f: data[f] for f in RECORD_FIELDS}, ensure_ascii=False)


def write_jsonl(records: Iterable[Record], out_dir: Path, source: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.jsonl"
    tmp = target.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(record_line(r) + "\n")
    tmp.replace(target)
    return target
