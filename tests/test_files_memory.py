"""The loader's per-file bookkeeping is compact (etl/inputs/files.py: `PathList`, `FirstSeen`, the
walk without a list of every file) and behaves as the plain structures it replaced: files
in the order `sorted()` gives their Paths, the same reports, a second file of the same
document name refused naming the first."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.inputs import files as files_module
from etl.inputs.files import STDIN, FirstSeen, PathList, report_files
from etl.store.db import Database
from etl.store.load import load_paths
from tests.fixtures_make import REPORT


def _touch(top: Path, *names: str) -> None:
    for name in names:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text("x", encoding="utf-8")


def _os_walk_sorted(top: Path) -> list[Path]:
    """What the walk was before: os.walk, hidden names skipped, every file then sorted."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / n for n in filenames if not n.startswith("."))
    return sorted(p for p in found if p.is_file())


def test_walk_orders_by_path_components_not_by_string(tmp_path: Path) -> None:
    # As strings "top/c-x.txt" < "top/c/d.txt" ('-' < '/') and "top/c/d.txt" < "top/z.txt";
    # as Paths ("c",) < ("c-x.txt",): a subdirectory's files sit where its name sorts.
    top = tmp_path / "top"
    _touch(top, "z.txt", "c/d.txt", "c-x.txt", "c.txt", "a.txt", "c/b/e.txt", "C.txt",
           "中.txt", "é.txt", ".hidden.txt", ".git/config", "b/.swp")
    found = report_files([top])
    expected = ["C.txt", "a.txt", "c/b/e.txt", "c/d.txt", "c-x.txt", "c.txt", "z.txt",
                "é.txt", "中.txt"]
    assert [str(p.relative_to(top)) for p in found.files] == expected
    assert found.files == sorted(found.files) == _os_walk_sorted(top)
    assert found.missing == []


def test_walk_of_dot_and_of_a_glob_gives_the_same_paths(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "d/x.txt", "d/sub/y.txt", "d/sub-z.txt")
    monkeypatch.chdir(tmp_path / "d")
    assert report_files(["."]).files == [Path("sub/y.txt"), Path("sub-z.txt"), Path("x.txt")]
    monkeypatch.chdir(tmp_path)
    assert report_files(["d*"]).files == [Path("d/sub/y.txt"), Path("d/sub-z.txt"),
                                          Path("d/x.txt")]


_NAME = st.text(alphabet="aAbz09-_. é中", min_size=1, max_size=4).filter(
    lambda n: n not in (".", ".."))
_TREE: st.SearchStrategy[dict[str, Any]] = st.recursive(
    st.just({}),
    lambda children: st.dictionaries(_NAME, st.one_of(st.none(), children), max_size=5),
    max_leaves=25,
)  # a dict: name → None (a file) or a dict (a directory)


def _make(top: Path, tree: dict[str, Any]) -> None:
    top.mkdir(exist_ok=True)
    for name, sub in tree.items():
        if sub is None:
            (top / name).write_bytes(b"")
        else:
            _make(top / name, sub)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREE)
def test_walk_equals_os_walk_then_sorted(tree: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / "top"
        _make(top, tree)
        found = report_files([top])
        assert list(found.files) == _os_walk_sorted(top)
        assert found.missing == []


def test_walk_reports_unlistable_directories_before_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory that cannot be listed (even midway) is skipped whole and reported, and
    the walk's reports come before those of its files, as with os.walk. Permissions do
    not stop root: the failures are made by a scandir that raises."""
    top = tmp_path / "top"
    _touch(top, "a.txt", "b/locked.txt", "c/half.txt", "c/half2.txt", "d.txt")
    (top / "a-dangling.txt").symlink_to(tmp_path / "gone")
    real_scandir = os.scandir

    class HalfListing:  # its first entry, then an error
        def __init__(self, path: Any) -> None:
            self.path = path
            self.it = real_scandir(path)
            self.given = 0

        def __enter__(self) -> HalfListing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.it.close()

        def __iter__(self) -> HalfListing:
            return self

        def __next__(self) -> os.DirEntry[str]:
            self.given += 1
            if self.given > 1:
                raise OSError(5, "Input/output error", self.path)
            return next(self.it)

    def scandir(path: Any) -> Any:
        if Path(path).name == "b":
            raise PermissionError(13, "Permission denied", path)
        if Path(path).name == "c":
            return HalfListing(path)
        return real_scandir(path)

    monkeypatch.setattr(files_module.os, "scandir", scandir)
    found = report_files([top])
    assert found.files == [top / "a.txt", top / "d.txt"]
    assert found.missing == [
        (top / "b", "permission denied"),
        (top / "c", "input/output error"),
        (top / "a-dangling.txt", "broken symbolic link"),
    ]


def test_links_to_directories_are_not_walked_nor_listed(tmp_path: Path) -> None:
    top = tmp_path / "top"
    _touch(top, "a/x.txt", "b.txt")
    (top / "link").symlink_to(top / "a")
    (top / "b-link.txt").symlink_to(top / "b.txt")
    assert report_files([top]).files == [top / "a/x.txt", top / "b-link.txt", top / "b.txt"]
    # with two arguments every file is deduped by its real path; a link's target counts
    assert report_files([top, top / "a"]).files == [top / "a/x.txt", top / "b-link.txt"]


_PATH = st.builds(Path, st.text(min_size=1, max_size=30).filter(lambda t: "\0" not in t))


@given(paths=st.lists(st.one_of(_PATH, st.just(STDIN)), max_size=40), data=st.data())
def test_path_list_is_a_sequence_of_its_paths(paths: list[Path], data: st.DataObject) -> None:
    held = PathList(paths)
    assert len(held) == len(paths)
    assert list(held) == paths and held == paths and held == PathList(paths)
    assert list(held) != [*paths, Path("x")]
    for i in range(-len(paths), len(paths)):
        assert held[i] == paths[i]
    s = slice(data.draw(st.integers(-50, 50) | st.none()),
              data.draw(st.integers(-50, 50) | st.none()),
              data.draw(st.integers(-5, 5).filter(bool) | st.none()))
    assert held[s] == paths[s]
    for bad in (len(paths), -len(paths) - 1):
        with pytest.raises(IndexError):
            held[bad]


def test_path_list_keeps_undecodable_names(tmp_path: Path) -> None:
    name = os.fsdecode(b"r\xff\xfe.txt")  # surrogate escapes: not UTF-8 on disk
    held = PathList([tmp_path / name, tmp_path / "中.txt", Path("/x"), Path("x")])
    assert list(held) == [tmp_path / name, tmp_path / "中.txt", Path("/x"), Path("x")]
    assert os.fsencode(held[0].name) == b"r\xff\xfe.txt"


@settings(max_examples=200)
@given(keys=st.lists(st.text(alphabet="abc", max_size=3), max_size=200),
       degenerate=st.booleans())
def test_first_seen_is_a_dict_of_first_indexes(keys: list[str], degenerate: bool) -> None:
    """Against a dict; with a degenerate hash (a few tags for all keys) every probe meets
    slots of other keys, which the key of the item recorded there tells apart."""
    original = files_module._tag
    if degenerate:
        files_module._tag = lambda key: len(key) % 3  # type: ignore[assignment]
    try:
        seen = FirstSeen(lambda i: keys[i])  # small at first: it grows
        expected: dict[str, int] = {}
        for i, key in enumerate(keys):
            assert seen.check(key, i) == expected.get(key)
            expected.setdefault(key, i)
        assert len(seen) == len(expected)
    finally:
        files_module._tag = original


def test_first_seen_sized_for_its_items_does_not_grow() -> None:
    names = [f"r{i:06d}.txt" for i in range(10_000)]
    seen = FirstSeen(names.__getitem__, len(names))
    size = len(seen._slots)
    assert all(seen.check(n, i) is None for i, n in enumerate(names))
    assert len(seen._slots) == size == 15_001
    assert seen.check("r000123.txt", 10_000) == 123


@pytest.mark.db
def test_same_name_in_two_directories_is_two_documents_same_identity_is_refused(
        db_url: str, tmp_path: Path) -> None:
    """Documents are (source, path within it), not file names (issue 15): a/x.txt and
    b/x.txt are two documents; two files at the same path of one --source are refused,
    naming the first."""
    top = tmp_path / "in"
    for sub in ("a", "b", "b/c"):
        (top / sub).mkdir(parents=True)
        shutil.copy(REPORT, top / sub / "x.txt")
    shutil.copy(REPORT, top / "b" / "y.txt")
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(REPORT, other / "y.txt")
    summary = load_paths([top, other], Database(db_url))
    assert (summary.status, summary.documents_new, summary.documents_failed) == (
        "succeeded", 5, 0)
    same = load_paths([top / "a", top / "b" / "c", other], Database(db_url), source="one")
    assert (same.documents_new, same.documents_failed) == (2, 1)
    assert [(f.path, f.reason) for f in same.failures] == [
        (str(top / "b" / "c" / "x.txt"),
         f"another file in this load has the same path (x.txt) in source one: "
         f"{top / 'a' / 'x.txt'}"),
    ]
