"""Which files a PATH argument means: files as given, directories walked recursively.

Hidden files and directories (editor swap files, .git) are skipped; everything else is
offered to the reader, which is the one that decides what is not a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FileSet:
    files: list[Path] = field(default_factory=list)
    missing: list[tuple[Path, str]] = field(default_factory=list)


def report_files(paths: Iterable[Path | str]) -> FileSet:
    found = FileSet()
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found.files.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            found.files.append(p)
        else:
            found.missing.append((p, "no such file or directory"))
    return found
