"""Which files the PATH arguments mean.

- a file: itself (a FIFO or `/dev/fd/N` given by name is read too);
- a directory: its regular files, recursively, in sorted order; hidden files and
  directories (editor swap files, .git) are skipped, symbolic links to files are
  followed, links to directories are not (no cycles), and FIFOs, sockets and devices
  inside a directory are reported rather than opened (a FIFO would block the run);
- a glob (`reports/**/*.htm`, `*.txt`) when no file has that literal name;
- `-`: standard input, once (the document is named `stdin`).

Whatever cannot be expanded — a missing path, a broken link, an unreadable directory —
lands in `missing` with a reason; the reader decides what is not a report.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from etl.read import STDIN

__all__ = ["STDIN", "FileSet", "PathList", "report_files"]

_GLOB_CHARS = frozenset("*?[")


class PathList(Sequence[Path]):
    """Paths held as strings: a Path object costs ~300 bytes, its string ~100, and a
    load of 100,000 files holds them all (benchmarks/README.md, bench_memory)."""

    def __init__(self) -> None:
        self._paths: list[str] = []

    def append(self, p: Path) -> None:
        self._paths.append(str(p))

    def __len__(self) -> int:
        return len(self._paths)

    @overload
    def __getitem__(self, i: int) -> Path: ...
    @overload
    def __getitem__(self, i: slice) -> list[Path]: ...
    def __getitem__(self, i: int | slice) -> Path | list[Path]:
        if isinstance(i, slice):
            return [Path(p) for p in self._paths[i]]
        return Path(self._paths[i])

    def __iter__(self) -> Iterator[Path]:
        return (Path(p) for p in self._paths)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class FileSet:
    files: PathList = field(default_factory=PathList)
    missing: list[tuple[Path, str]] = field(default_factory=list)


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


class _Collector:
    """dedupe_all: more than one argument, which may name the same file twice; with one
    directory only its symbolic links can (and only they are remembered: memory)."""

    def __init__(self, dedupe_all: bool = True) -> None:
        self.found = FileSet()
        self._seen: set[str] = set()
        self._dedupe_all = dedupe_all

    def add(self, p: Path, *, walked: bool = False) -> None:
        if walked and not self._dedupe_all and not p.is_symlink():
            self.found.files.append(p)  # a directory lists each of its files once
            return
        key = str(p) if p == STDIN else os.path.realpath(p)
        if key not in self._seen:
            self._seen.add(key)
            self.found.files.append(p)

    def fail(self, p: Path, reason: str) -> None:
        self.found.missing.append((p, reason))

    def walk(self, top: Path) -> None:
        def onerror(e: OSError) -> None:
            self.fail(Path(e.filename) if e.filename else top, _reason(e))

        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=False):
            # symbolic links to directories are listed in dirnames but not descended into
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            found.extend(Path(dirpath) / n for n in filenames if not n.startswith("."))
        for p in sorted(found):
            self.entry(p)

    def entry(self, p: Path) -> None:
        """A file found inside a directory."""
        try:
            st = p.stat()
        except FileNotFoundError:
            self.fail(p, "broken symbolic link" if p.is_symlink() else "no such file")
            return
        except OSError as e:
            self.fail(p, _reason(e))
            return
        if stat.S_ISREG(st.st_mode):
            self.add(p, walked=True)
        elif not stat.S_ISDIR(st.st_mode):
            self.fail(p, f"not a regular file ({_kind(st.st_mode)}); skipped")

    def arg(self, arg: Path | str) -> None:
        text = str(arg)
        if text == "-":
            self.add(STDIN)
            return
        p = Path(arg)
        try:
            st = p.stat()
        except FileNotFoundError:
            if _GLOB_CHARS & set(text):
                matches = sorted(glob.glob(text, recursive=True))
                if not matches:
                    self.fail(p, "no file matches this pattern")
                for m in matches:
                    mp = Path(m)
                    if mp.is_dir():
                        self.walk(mp)
                    else:
                        self.entry(mp)
                return
            self.fail(p, "broken symbolic link" if p.is_symlink()
                      else "no such file or directory")
            return
        except OSError as e:
            self.fail(p, _reason(e))
            return
        if stat.S_ISDIR(st.st_mode):
            self.walk(p)
        else:  # a regular file, or a FIFO / device named on purpose
            self.add(p)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def report_files(paths: Iterable[Path | str]) -> FileSet:
    args = list(paths)
    c = _Collector(dedupe_all=len(args) > 1)
    for arg in args:
        c.arg(arg)
    return c.found
