"""Find the files to check: ``git ls-files`` in a work tree, else a walk honouring .gitignore."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pathspec

from agentrails.engine.globs import GlobSet

IgnoreSpecs = list[tuple[str, pathspec.PathSpec]]


def discover(root: Path, exclude: Iterable[str]) -> list[str]:
    """Every regular (non-symlink) file under ``root``, as sorted POSIX paths relative to it.

    Tracked and untracked-but-not-ignored files come from git when ``root`` is in a work
    tree; otherwise a walk applies every ``.gitignore`` it meets. Symlinks, sockets and
    FIFOs are skipped (a link's target is checked where it lives), so link loops cannot
    trap the walk and a FIFO cannot block a read.
    """
    excluded = GlobSet(exclude)
    base = os.fspath(root)
    paths = _git_files(base)
    if paths is None:
        return sorted(_walk(base, excluded))
    return sorted(p for p in paths if not excluded.match(p) and _is_regular(os.path.join(base, p)))


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# Leftovers of an update or merge (AR902) are found even where .gitignore hides them: an
# ignored *.rej is a half-merged update that would otherwise pass unnoticed.
LEFTOVER_SUFFIXES = (".rej", ".orig")
_LEFTOVERS = ("--others", "--ignored", "--exclude-standard", "--directory", "--",
              *(f"*{suffix}" for suffix in LEFTOVER_SUFFIXES))


def _git_files(root: str) -> list[str] | None:
    """Files git knows of under ``root`` (relative to it), or None outside a work tree."""
    names = _ls_files(root, ("--cached", "--others", "--exclude-standard"))
    if names is None:
        return None
    hidden = _ls_files(root, _LEFTOVERS) or []
    return list({*names, *(name for name in hidden if name.endswith(LEFTOVER_SUFFIXES))})


def _ls_files(root: str, options: tuple[str, ...]) -> list[str] | None:
    """``git ls-files -z OPTIONS`` in ``root``, or None when git fails (not a work tree)."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", *options], cwd=root, capture_output=True, check=False
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [name for name in names if name]


def _walk(root: str, excluded: GlobSet) -> list[str]:
    """A scandir walk that prunes excluded directories and applies each .gitignore below it."""
    found: list[str] = []
    stack: list[tuple[str, IgnoreSpecs]] = [("", [])]
    while stack:
        rel_dir, specs = stack.pop()
        directories, files, specs = _children(root, rel_dir, specs, excluded)
        stack.extend((directory, specs) for directory in directories)
        found.extend(files)
    return found


def _children(
    root: str, rel_dir: str, specs: IgnoreSpecs, excluded: GlobSet
) -> tuple[list[str], list[str], IgnoreSpecs]:
    """The kept subdirectories and files of one directory, and the ignore rules below it."""
    entries = _scan(os.path.join(root, rel_dir) if rel_dir else root)
    if any(entry.name == ".gitignore" for entry in entries):
        specs = _with_gitignore(root, rel_dir, specs)
    directories, files = [], []
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        kind = _kind(entry)
        if kind == "dir" and _kept(rel + "/", excluded, specs):
            directories.append(rel)
        elif kind == "file" and _kept(rel, excluded, specs):
            files.append(rel)
    return directories, files, specs


def _scan(directory: str) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(directory))
    except OSError:
        return []


def _kind(entry: os.DirEntry[str]) -> str:
    """"dir", "file" (regular, not a link) or "other" (links, FIFOs, sockets, vanished)."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        return "file" if entry.is_file(follow_symlinks=False) else "other"
    except OSError:
        return "other"


def _kept(rel: str, excluded: GlobSet, specs: IgnoreSpecs) -> bool:
    if excluded.match(rel):
        return False
    return rel.endswith(LEFTOVER_SUFFIXES) or not _ignored(rel, specs)


def _with_gitignore(root: str, rel_dir: str, specs: IgnoreSpecs) -> IgnoreSpecs:
    path = os.path.join(root, rel_dir, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return specs
    return [*specs, (rel_dir, pathspec.GitIgnoreSpec.from_lines(lines))]


def _ignored(path: str, specs: IgnoreSpecs) -> bool:
    ignored = False
    for base, spec in specs:
        result = spec.check_file(path[len(base) + 1:] if base else path)
        if result.include is not None:
            ignored = result.include
    return ignored
