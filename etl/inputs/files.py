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

import bisect
import glob
import hashlib
import operator
import os
import stat
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from etl.inputs.read import STDIN

__all__ = ["STDIN", "FileSet", "FirstSeen", "PathList", "report_files"]

_GLOB_CHARS = frozenset("*?[")


class PathList(Sequence[Path]):
    """Paths held compactly, as a Sequence[Path] (a load of 100,000 files holds them all;
    benchmarks/README.md, bench_memory): a Path object costs ~300 bytes, its string ~100.
    Here a path is its last component's UTF-8 bytes in one buffer plus a 4-byte offset,
    and its directory part is shared by the run of consecutive paths that have it (a
    directory's files): ~15 bytes a path of a flat corpus. A Path is made on access."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._names = bytearray()  # each path's last component, UTF-8, end to end
        self._ends: array[int] = array("I")  # where each path's bytes end in _names
        self._run_starts: array[int] = array("Q")  # first index of each run of paths …
        self._prefixes: list[str] = []  # … that share this directory part ("a/b/")
        for p in paths:
            self.append(p)

    def append(self, p: Path) -> None:
        text = str(p)
        cut = text.rfind("/") + 1  # any cut point gives the path back; this one shares
        prefix, name = text[:cut], text[cut:]
        if not self._prefixes or self._prefixes[-1] != prefix:
            self._prefixes.append(prefix)
            self._run_starts.append(len(self._ends))
        self._names += name.encode("utf-8", "surrogatepass")  # any str, undecodable
        if len(self._names) > 0xFFFF_FFFF and self._ends.typecode == "I":  # bytes too
            self._ends = array("Q", self._ends)
        self._ends.append(len(self._names))

    def _text(self, i: int, run: int) -> str:
        start = self._ends[i - 1] if i else 0
        return self._prefixes[run] + self._names[start : self._ends[i]].decode(
            "utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> Path: ...
    @overload
    def __getitem__(self, i: slice) -> list[Path]: ...
    def __getitem__(self, i: int | slice) -> Path | list[Path]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self._ends)
        k = operator.index(i)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("PathList index out of range")
        return Path(self._text(k, bisect.bisect_right(self._run_starts, k) - 1))

    def __iter__(self) -> Iterator[Path]:
        run, next_run = -1, 0
        for i in range(len(self._ends)):
            while next_run < len(self._run_starts) and self._run_starts[next_run] <= i:
                run, next_run = next_run, next_run + 1
            yield Path(self._text(i, run))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PathList({[str(p) for p in self]!r})"


def _tag(key: str) -> int:
    """28 bits of a key's hash (blake2b: the same in every process and on every platform)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> (32 - _TAG_BITS)


_TAG_BITS = 28
_INDEX_BITS = 36  # up to 68 billion items
_INDEX_MASK = (1 << _INDEX_BITS) - 1


class FirstSeen:
    """key → index of the first item with that key, for items seen in index order, in one
    8-byte slot an item: a hash table (open addressing, linear probing) whose slots hold
    28 bits of the key's hash and the item's index + 1, not the key. A slot whose hash bits
    match is confirmed by `key_at(index)` — the key recomputed from the item (its name,
    from the PathList) — so a collision of hash bits never makes two keys one.

    For the document names of a load (a second file with a name fails) and for the real
    paths that `report_files` dedupes: a dict of strings cost ~100 bytes an item."""

    def __init__(self, key_at: Callable[[int], str], expected: int = 0) -> None:
        self._key_at = key_at
        self._count = 0
        self._slots = array("Q", [0]) * max(16, expected * 3 // 2 + 1)  # 0: empty

    def __len__(self) -> int:
        return self._count

    def check(self, key: str, index: int) -> int | None:
        """The index recorded for `key` if there is one; else None, and `index` is
        recorded for it."""
        if not 0 <= index < _INDEX_MASK:
            raise ValueError(f"index out of range: {index}")
        tag = _tag(key)
        slots = self._slots
        pos = self._home(tag, len(slots))
        while slot := slots[pos]:
            if slot >> _INDEX_BITS == tag:
                first = (slot & _INDEX_MASK) - 1
                if self._key_at(first) == key:
                    return first
            pos = pos + 1 if pos + 1 < len(slots) else 0
        slots[pos] = tag << _INDEX_BITS | (index + 1)
        self._count += 1
        if 3 * self._count > 2 * len(slots):  # at most 2/3 full: short probe sequences
            self._grow()
        return None

    @staticmethod
    def _home(tag: int, size: int) -> int:
        return tag * size >> _TAG_BITS  # where it would lie were the table sorted by tag

    def _grow(self) -> None:
        old = self._slots
        size = 2 * len(old)
        slots = array("Q", [0]) * size
        for slot in old:  # the hash bits are in the slot: no key is recomputed
            if slot:
                pos = self._home(slot >> _INDEX_BITS, size)
                while slots[pos]:
                    pos = pos + 1 if pos + 1 < size else 0
                slots[pos] = slot
        self._slots = slots


@dataclass
class FileSet:
    files: PathList = field(default_factory=PathList)
    missing: list[tuple[Path, str]] = field(default_factory=list)
    # The folder each argument's files are found under, which their paths within their
    # source are relative to (etl/store/load.py, document identity): the directory walked; a
    # file's own folder; a glob's folder before its first wildcard; None for stdin. The
    # files of one argument are consecutive: argument k's start at arg_starts[k].
    arg_starts: list[int] = field(default_factory=list)
    arg_bases: list[Path | None] = field(default_factory=list)

    def base_of(self, i: int) -> Path | None:
        """The folder file i was found under (the argument that named it)."""
        k = bisect.bisect_right(self.arg_starts, i) - 1
        return self.arg_bases[k] if k >= 0 else None


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


class _Collector:
    """dedupe_all: more than one argument, which may name the same file twice; with one
    directory only its symbolic links can (and only they are remembered: memory)."""

    def __init__(self, dedupe_all: bool = True) -> None:
        self.found = FileSet()
        # real path → index of the file in found.files: a file named twice is listed once
        self._seen = FirstSeen(lambda i: self._key(self.found.files[i]))
        self._dedupe_all = dedupe_all

    @staticmethod
    def _key(p: Path) -> str:
        return str(p) if p == STDIN else os.path.realpath(p)

    def add(self, p: Path, *, walked: bool = False) -> None:
        if walked and not self._dedupe_all and not p.is_symlink():
            self.found.files.append(p)  # a directory lists each of its files once
            return
        if self._seen.check(self._key(p), len(self.found.files)) is None:
            self.found.files.append(p)

    def fail(self, p: Path, reason: str) -> None:
        self.found.missing.append((p, reason))

    def walk(self, top: Path) -> None:
        """The files under `top` in the order `sorted()` gives their Paths (by path
        components) without making them all first: each directory's names are sorted,
        and a subdirectory's files take its place among them. Only the listings of the
        directories on the way down are held at once.

        As `os.walk(top, followlinks=False)` does: a directory that cannot be listed, or
        whose listing fails midway, is reported and skipped whole; links to directories
        are not followed; hidden names are skipped. The walk's reports come before its
        files' (broken links, FIFOs), as when the files were looked at after the walk."""
        walk_errors: list[tuple[Path, str]] = []
        before = len(self.found.missing)
        stack = [_listing(top, walk_errors)]
        directories = [top]
        while stack:
            names, subdirectories = stack[-1]
            if not names:
                stack.pop()
                directories.pop()
                continue
            name = names.pop()
            path = directories[-1] / name
            if name in subdirectories:
                stack.append(_listing(path, walk_errors))
                directories.append(path)
            else:
                self.entry(path)
        self.found.missing[before:before] = walk_errors

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
        self.found.arg_starts.append(len(self.found.files))
        self.found.arg_bases.append(_base(text))
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


def _base(arg: str) -> Path | None:
    """The folder an argument's files are found under: itself for a directory, a file's
    own folder, a glob's folder before its first wildcard (`reports/**/*.htm` → reports)."""
    if arg == "-":
        return None
    p = Path(arg)
    if os.path.isdir(p):
        return p
    if not os.path.lexists(p) and _GLOB_CHARS & set(arg):
        fixed: list[str] = []
        for part in p.parts:
            if _GLOB_CHARS & set(part):
                break
            fixed.append(part)
        return Path(*fixed) if fixed else Path(".")
    return p.parent


def _listing(directory: Path, errors: list[tuple[Path, str]]) -> tuple[list[str], set[str]]:
    """A directory's visible names, sorted last first, and which of them are directories
    to walk into (not links to directories: they are skipped, as files and as
    directories). If it cannot be listed, no names and the reason in `errors`."""
    names: list[str] = []
    subdirectories: set[str] = set()
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    names.append(name)
                elif not os.path.islink(entry.path):
                    names.append(name)
                    subdirectories.add(name)
    except OSError as e:
        errors.append((Path(e.filename) if e.filename else directory, _reason(e)))
        return [], set()
    names.sort(reverse=True)
    return names, subdirectories


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
