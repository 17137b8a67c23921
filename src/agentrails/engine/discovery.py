"""Find the files to check: ``git ls-files`` in a work tree, else a walk honouring .gitignore."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pathspec

from agentrails.engine.globs import GlobSet


def discover(root: Path, exclude: Iterable[str]) -> list[str]:
    """Every regular (non-symlink) file under ``root``, as sorted POSIX paths relative to it.

    Tracked and untracked-but-not-ignored files come from git when ``root`` is in a work
    tree; otherwise a walk applies every ``.gitignore`` it meets. Symlinks are skipped (the
    file they point to is checked where it lives), so link loops cannot trap the walk.
    """
    excluded = GlobSet(exclude)
    paths = _git_files(root)
    if paths is None:
        paths = _walk(root)
    return sorted(p for p in paths if not excluded.match(p) and _is_regular(root / p))


def _is_regular(path: Path) -> bool:
    try:
        return path.is_file() and not path.is_symlink()
    except OSError:
        return False


def _git_files(root: Path) -> list[str] | None:
    """Files git knows of under ``root`` (relative to it), or None outside a work tree."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({name for name in names if name})


def _walk(root: Path) -> list[str]:
    """A walk that applies each directory's .gitignore to the paths below it."""
    found: list[str] = []
    specs: list[tuple[str, pathspec.PathSpec]] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(directory).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        specs = [(base, spec) for base, spec in specs if _within(rel_dir, base)]
        ignore_file = Path(directory) / ".gitignore"
        if ignore_file.is_file():
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
            specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
        dirnames[:] = sorted(
            d for d in dirnames
            if d != ".git" and not _ignored(_join(rel_dir, d) + "/", specs)
        )
        found.extend(
            _join(rel_dir, f) for f in filenames if not _ignored(_join(rel_dir, f), specs)
        )
    return found


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _within(path: str, base: str) -> bool:
    return not base or path == base or path.startswith(base + "/")


def _ignored(path: str, specs: list[tuple[str, pathspec.PathSpec]]) -> bool:
    ignored = False
    for base, spec in specs:
        relative = path[len(base) + 1:] if base else path
        result = spec.check_file(relative)
        if result.include is not None:
            ignored = result.include
    return ignored
