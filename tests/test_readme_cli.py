"""The README's *Command line* section and the CLI agree: every command and option it names
exists, and every command exists in it. A user copies these lines; a renamed flag or an
undocumented verb is a bug they meet first."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from etl.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
              ) -> dict[tuple[str, ...], set[str]]:
    """Every command path (('db', 'status'), ('alias', 'add')…) → the options it takes.
    A positional with fixed choices (`db ACTION`) counts as sub-commands too."""
    options = {o for a in parser._actions for o in a.option_strings if o.startswith("--")}
    found: dict[tuple[str, ...], set[str]] = {path: options}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for sub_path, sub_opts in _commands(sub, (*path, name)).items():
                    found[sub_path] = sub_opts | options
        elif not action.option_strings and action.choices:
            for choice in action.choices:
                found[(*path, str(choice))] = options
    return found


def _readme_lines() -> list[str]:
    """The `parkstat …` lines of the README's *Command line* code blocks."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith("parkstat ")]


def _words_head(words: list[str]) -> list[str]:
    head: list[str] = []
    for w in words:
        if not re.fullmatch(r"[a-z][a-z-]*", w):
            break
        head.append(w)
    return head


def _readme_commands() -> dict[tuple[str, ...], set[str]]:
    """Each command path a line names → the options named with it. ` | ` separates
    alternatives: `parkstat db start | stop | status` names three commands,
    `corrections list [--json] | export --out DIR` two, each with its own options, and
    `correct DOC … | --confirm | --reject` one command with several options."""
    named: dict[tuple[str, ...], set[str]] = {}
    for line in _readme_lines():
        words = line.split()[1:]
        while words and words[0].startswith("--"):  # parkstat --database-url URL COMMAND
            words = words[2:]
        first, *others = " ".join(words).split(" | ")
        head = _words_head(first.split())
        named.setdefault(tuple(head), set()).update(re.findall(r"--[a-z][a-z-]*", first))
        for segment in others:
            alt = _words_head(segment.split())[:1]
            path = (*head[:-1], *alt) if alt else tuple(head)
            named.setdefault(path, set()).update(re.findall(r"--[a-z][a-z-]*", segment))
    return named


def test_every_command_and_option_in_the_readme_exists() -> None:
    cli = _commands(build_parser())
    missing = []
    for path, options in _readme_commands().items():
        if path not in cli:
            missing.append(" ".join(path))
            continue
        missing += [f"{' '.join(path)} {o}" for o in sorted(options - cli[path])]
    assert not missing, f"named in README.md but not in the CLI: {missing}"


def test_every_command_appears_in_the_readme() -> None:
    documented = set(_readme_commands())
    commands = {p for p in _commands(build_parser()) if p}
    undocumented = sorted(" ".join(p) for p in commands if p not in documented
                          and not any(d[:len(p)] == p for d in documented))
    assert not undocumented, f"CLI commands the README's Command line section omits: {undocumented}"
