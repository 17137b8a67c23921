"""Git's view of a work tree's files, without a git process when nothing that decides it
changed.

``git ls-files --cached --others --exclude-standard`` lists the tracked files and the
untracked ones no ignore rule hides. The tracked ones are read from the index file
(``agentrails.engine.discovery.gitindex``); the untracked ones are git's answer of an earlier run,
kept in a memo with what could change it: every folder of the work tree (a new file changes
its folder's times; see ``agentrails.engine.discovery.walk``, here walked without applying the
.gitignore files, so git's reading of them never has to be matched), every .gitignore,
``.git/info/exclude``, git's configuration files and the global ignore file. When one of
them changed, or a path left the index (an untracked file git may list again), git is
asked again. A configuration that names an excludes file or includes other files, a
``GIT_*`` variable, a work tree whose root is not where ``.git`` is, or an index this
reader does not understand: git is asked every time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from agentrails.engine.cache import memo as plain
from agentrails.engine.discovery import gitindex
from agentrails.engine.discovery.walk import Walk, signature, trusted
from agentrails.engine.globs import GlobSet

MEMO_VERSION = 1
MAX_FOLDERS = 50_000
"""A work tree with more folders than this is left to git (stat'ing them would cost more)."""

Untracked = Callable[[str], "list[str] | None"]
Keep = Callable[[str], bool]


def git_files(root: str, excluded: GlobSet, memo: str | None, untracked: Untracked,
              keep: Keep) -> list[str] | None:
    """The tracked and untracked-not-ignored files that ``keep`` keeps (``untracked(root)``
    asks git for the untracked ones), or None when ``root`` has no index this reader can
    use. When nothing changed, the files kept last time are the answer: a file that
    appeared, went or changed its kind (a link for a file) changed its folder."""
    read = _read_index(root) if memo else None
    if read is None:
        return None
    sources, tracked = read
    key = (MEMO_VERSION, os.path.abspath(root), tuple(excluded.globs), sources)
    old = _remembered(memo, key)
    started = time.time_ns()
    extras = {path: signature(path) for path in sources}
    walk = _watch(root, excluded, old[2] if old else None)
    answer = _same_answer(old, extras, walk, tracked, keep)
    if answer is not None:
        return answer
    found = untracked(root)
    if found is None:
        return None
    kept = sorted(path for path in {*tracked, *found} if keep(path))
    if len(walk.memo) <= MAX_FOLDERS:
        _save(memo, (key, _settled(extras, started), walk.remembered(started), tracked, kept))
    return kept


def _read_index(root: str) -> tuple[tuple[str, ...], list[str]] | None:
    """The files that decide what git ignores, and the tracked paths; None when the memo
    cannot be used here (see the module's doc)."""
    index = gitindex.index_file(root)
    sources = _sources(root) if index else None
    tracked = gitindex.tracked_paths(index) if index and sources is not None else None
    return None if tracked is None else (sources, tracked)  # type: ignore[return-value]


def _watch(root: str, excluded: GlobSet, folders: object) -> Walk:
    """Every folder the excludes leave, stat'ed against the remembered ones."""
    walk = Walk(root, excluded, folders if isinstance(folders, dict) else None, gitignore=False)
    try:
        walk.files()
    except (TypeError, ValueError, IndexError):  # a memo of another shape
        walk = Walk(root, excluded, gitignore=False)
        walk.files()
    return walk


def _remembered(memo: str, key: tuple[object, ...]) -> tuple | None:
    """The memo when it is one for ``key``."""
    old = plain.load(memo)
    return old if isinstance(old, tuple) and len(old) == 5 and old[0] == key else None


def _same_answer(old: tuple | None, extras: dict[str, object], walk: Walk,
                 tracked: list[str], keep: Keep) -> list[str] | None:
    """Last run's answer when no folder and no ignore source changed and the index gained
    paths at most, else None: a path that left the index may be listed or not, as git
    decides."""
    if old is None or walk.relisted or old[1] != extras:
        return None
    known, kept = old[3], old[4]
    before, now = set(known), set(tracked)
    if before == now:
        return kept
    if before < now:  # paths only added to the index (a new file, or git add -f)
        return sorted({*kept, *(path for path in now - before if keep(path))})
    return None


def _sources(root: str) -> tuple[str, ...] | None:
    """The files besides the work tree's own that decide what git ignores: the repository's
    exclude file and configuration, the global ignore file and configuration files. None
    when a configuration names another excludes file or includes other files."""
    home = os.path.expanduser("~")
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    git_dir = os.path.join(root, ".git")
    configs = (os.path.join(git_dir, "config"), *_global_configs(home, config_home))
    for config in configs:
        try:
            with open(config, "rb") as handle:
                text = handle.read().lower()
        except OSError:
            continue
        if b"excludesfile" in text or b"include" in text:
            return None
    ignores = (os.path.join(git_dir, "info", "exclude"), os.path.join(config_home, "git", "ignore"))
    return (*configs, *ignores)


def _global_configs(home: str, config_home: str) -> tuple[str, ...]:
    """The user's and the system's configuration files, where git looks for them."""
    environ = os.environ
    user = environ.get("GIT_CONFIG_GLOBAL")
    found = (user,) if user else (os.path.join(home, ".gitconfig"),
                                  os.path.join(config_home, "git", "config"))
    if environ.get("GIT_CONFIG_NOSYSTEM", "").lower() not in ("", "0", "false", "no", "off"):
        return found
    return (*found, environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig")


def _settled(extras: dict[str, object], started: int) -> dict[str, object]:
    """The signatures, a too recent one replaced by one no file has."""
    return {path: trusted(sig, started) for path, sig in extras.items()}


def _save(memo: str, value: object) -> None:
    try:
        os.makedirs(os.path.dirname(memo), exist_ok=True)
        plain.dump(memo, value)
    except OSError:
        pass  # an unwritable cache only means asking git next time
