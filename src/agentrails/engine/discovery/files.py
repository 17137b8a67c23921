"""Find the files to check: git's view in a work tree, else a walk honouring .gitignore.

Both are remembered between runs in a memo folder (the cache's): outside git the walk
(``agentrails.engine.discovery.walk``), in git the untracked files git listed
(``agentrails.engine.discovery.gitmemo``, the tracked ones read from the index), so a warm run stats
folders instead of listing them or starting git.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable

from agentrails.engine.cache.memo import recall, remember
from agentrails.engine.discovery.gitmemo import git_files
from agentrails.engine.discovery.walk import LEFTOVER_SUFFIXES, MEMO_VERSION, walked
from agentrails.engine.globs import GlobSet

TREE_MEMO, GIT_MEMO = "tree.memo", "git.memo"


def discover(root: os.PathLike[str] | str, exclude: Iterable[str],
             memo: str | None = None) -> list[str]:
    """Every regular (non-symlink) file under ``root``, as sorted POSIX paths relative to it.

    Tracked and untracked-but-not-ignored files come from git when ``root`` is in a work
    tree; otherwise a walk applies every ``.gitignore`` it meets. ``memo`` (when given) is
    the folder where either remembers what it saw, so the next run lists only what changed.
    Symlinks, sockets and FIFOs are skipped (a link's target is checked where it lives), so
    link loops cannot trap the walk and a FIFO cannot block a read.
    """
    excluded = GlobSet(exclude)
    base = os.fspath(root)
    if not in_work_tree(base):
        return sorted(_walk(base, excluded, memo and os.path.join(memo, TREE_MEMO)))

    def keep(path: str) -> bool:
        return not excluded.match(path) and _is_regular(os.path.join(base, path))

    if memo:
        found = git_files(base, excluded, os.path.join(memo, GIT_MEMO), untracked=_untracked,
                          keep=keep)
        if found is not None:
            return found
    paths = _git_files(base)
    if paths is None:
        return sorted(_walk(base, excluded, memo and os.path.join(memo, TREE_MEMO)))
    return sorted(p for p in paths if keep(p))


def in_work_tree(root: str) -> bool:
    """False when git certainly sees no work tree at ``root``: no ``.git`` there or above
    and no ``GIT_DIR`` or ``GIT_WORK_TREE`` in the environment (so no git process is
    started just to fail)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    return work_tree_top(root) is not None


def work_tree_top(start: str) -> str | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a folder, or the file of
    a linked work tree), None outside git."""
    folder = os.path.abspath(start)
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _is_regular(path: str) -> bool:
    """True for a regular file, and for a tracked file that cannot be looked at (inside a
    folder without permission): reading it then names it (AR002), never a silent pass."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


_EVERYTHING = ("--cached", "--others", "--exclude-standard")
_UNTRACKED = ("--others", "--exclude-standard")
# Leftovers of an update or merge (AR902) are found even where .gitignore hides them: an
# ignored *.rej is a half-merged update that would otherwise pass unnoticed.
_LEFTOVERS = ("--others", "--ignored", "--exclude-standard", "--directory", "--",
              *(f"*{suffix}" for suffix in LEFTOVER_SUFFIXES))


def _git_files(root: str) -> list[str] | None:
    """Files git knows of under ``root`` (relative to it), or None outside a work tree."""
    return _ls_files(root, _EVERYTHING)


def _untracked(root: str) -> list[str] | None:
    """The untracked files git does not ignore, and ignored leftovers (None: no git)."""
    return _ls_files(root, _UNTRACKED)


def _ls_files(root: str, listing: tuple[str, ...]) -> list[str] | None:
    """``git ls-files -z LISTING`` and the leftovers query, run at once (each is a walk of
    the work tree); None when the first fails."""
    import subprocess

    try:
        runs = [
            subprocess.Popen(["git", "ls-files", "-z", *options], cwd=root,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for options in (listing, _LEFTOVERS)
        ]
    except OSError:
        return None
    outputs = [(run.communicate()[0], run.returncode) for run in runs]
    (names, status), (hidden, hidden_status) = outputs
    if status != 0:
        return None
    leftovers = _names(hidden) if hidden_status == 0 else []
    return list({*_names(names), *(name for name in leftovers if name.endswith(LEFTOVER_SUFFIXES))})


def _names(output: bytes) -> list[str]:
    return [name for name in output.decode("utf-8", "surrogateescape").split("\0") if name]


def _walk(root: str, excluded: GlobSet, memo: str | None) -> list[str]:
    """The walk, starting from the memo of the last one if it is for this root and exclude."""
    key = (MEMO_VERSION, os.path.abspath(root), tuple(excluded.globs))
    old = recall(memo, key) if memo else None
    started = time.time_ns()
    walk, files = walked(root, excluded, old)
    if memo and walk.relisted:  # an unwritable memo only costs the next run a full walk
        remember(memo, key, walk.remembered(started))
    return files
