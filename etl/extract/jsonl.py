"""Records as JSON Lines, the interchange format of RECORDS.md and evaluate.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from etl.extract.record import RECORD_FIELDS, Record


def json_number(value: Decimal) -> str:
    """A decimal as a JSON number, exactly: 54480000000, 23.5, -5.2 (never 5.448E+10)."""
    return format(value, "f")


def _dumps(value: object) -> str:
    if isinstance(value, Decimal):
        return json_number(value) if value.is_finite() else json.dumps(str(value))
    return json.dumps(value, ensure_ascii=False, default=str)


def raw_json(raw: dict[str, object]) -> str:
    """A raw (unvalidated) record as JSON, its decimals as exact numbers."""
    return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_dumps(v)}"
                           for k, v in raw.items()) + "}"


def record_line(record: Record) -> str:
    """One record, fields in RECORDS.md order, Chinese kept readable (no \\u escapes),
    values written exactly as the decimals they are."""
    data = record.model_dump()
    return "{" + ", ".join(f"{json.dumps(f)}: {_dumps(data[f])}" for f in RECORD_FIELDS) + "}"


def write_jsonl(records: Iterable[Record], out_dir: Path, source: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.jsonl"
    tmp = target.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(record_line(r) + "\n")
    tmp.replace(target)
    return target
