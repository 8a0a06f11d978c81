"""What a loaded document is: its source and its path within that source.

A file's name alone does not identify a report: publishers name every page `index.html`
or `报告.doc`, and `a/report.txt` loaded after a different `b/report.txt` must not replace
it. So `source_document` is unique on (`source`, `path_in_source`) (revision 0008):

- `source`: the `--source NAME` of the load, else the folder the file was found under —
  the directory given to `load` (its absolute path), a file's own folder when the file is
  given alone, a glob's folder before its first wildcard; `stdin` for standard input;
- `path_in_source`: the file's path relative to that folder, `/`-separated
  (`2012/index.html`); `stdin` for standard input.

Both are stored as valid Unicode (`etl.messages.stored_name`: bytes that are not UTF-8
become `\\xNN`). A scheduled load of several publishers, or a corpus that moves, names its
source (`--source`) so that identities stay the same wherever the files lie.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from etl.inputs.read import STDIN
from etl.messages import stored_name

STDIN_NAME = "stdin"


@dataclass(frozen=True)
class Identity:
    source: str
    path_in_source: str

    def key(self) -> str:
        """One string per identity (a load refuses a second file with the same one)."""
        return f"{self.source}\x00{self.path_in_source}"

    def __str__(self) -> str:
        return f"{self.source}: {self.path_in_source}"


def check_source_name(name: str) -> str:
    """A `--source` name as given; ValueError when it is empty or not printable text."""
    if not name.strip():
        raise ValueError("a source name cannot be empty")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise ValueError("a source name cannot hold control characters")
    return stored_name(name)


def identity(path: Path, base: Path | None, source: str | None = None) -> Identity:
    """The identity of the file `path` found under the folder `base` (etl.inputs.files,
    `FileSet.base_of`), in the source named `source` (None: the folder itself)."""
    if path == STDIN:
        return Identity(source or STDIN_NAME, STDIN_NAME)
    folder = os.path.abspath(base if base is not None else path.parent)
    full = os.path.abspath(path)
    rel = os.path.relpath(full, folder)
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        folder, rel = os.path.dirname(full), os.path.basename(full)  # not under base
    return Identity(source if source is not None else stored_name(folder),
                    stored_name(rel).replace(os.sep, "/"))
