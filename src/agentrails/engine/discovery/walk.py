"""Discovery outside git: a scandir walk honouring every ``.gitignore`` it meets, remembered
between runs so that a warm run stats directories instead of listing them.

The memo holds, per directory, its signature (modification and change times, inode, size),
the signature of its ``.gitignore`` and the subdirectories and files the walk kept there.
Adding, removing or renaming an entry changes a directory's times, so a directory whose
signature is unchanged lists as before and its remembered entries are used; any other is
listed again, and a changed ``.gitignore`` has everything below it listed again. As in
git's index, a signature too close to the time the memo was taken cannot be trusted (a
change in the same clock tick would leave it equal), so such a directory is listed again.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from agentrails.engine.globs import GlobSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Leftovers of an update or merge (AR902) are found even where .gitignore hides them: an
# ignored *.rej is a half-merged update that would otherwise pass unnoticed.
LEFTOVER_SUFFIXES = (".rej", ".orig")

MEMO_VERSION = 1
Signature = tuple[int, int, int, int]
"""(mtime in ns, ctime in ns, inode, size) of a directory or a ``.gitignore``."""
Listing = tuple[Signature, "Signature | None", tuple[str, ...], tuple[str, ...]]
"""A directory's signature, its ``.gitignore``'s (None without one), and the
subdirectories and files kept there (paths relative to the root)."""
Memo = dict[str, Listing]

_FINE_WINDOW_NS = 100_000_000
"""How close to the memo's time a sub-second timestamp is still racy (a clock tick is at
most 10 ms)."""
_COARSE_WINDOW_NS = 2_000_000_000
"""The same for whole-second timestamps (FAT keeps two-second times)."""


def signature(path: str) -> Signature | None:
    """The signature of ``path``, None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size


UNSETTLED: Signature = (-1, -1, -1, -1)
"""Stands for a signature that was too recent to trust: no file has it."""


def settled(sig: Signature, taken: int) -> bool:
    """True when a change after ``taken`` (ns since the epoch) must give another signature."""
    newest = max(sig[0], sig[1])
    whole_seconds = sig[0] % 1_000_000_000 == 0 and sig[1] % 1_000_000_000 == 0
    return newest < taken - (_COARSE_WINDOW_NS if whole_seconds else _FINE_WINDOW_NS)


def trusted(sig: Signature | None, taken: int) -> Signature | None:
    """``sig`` to remember, or ``UNSETTLED`` when it is too recent to trust (None stays)."""
    return sig if sig is None or settled(sig, taken) else UNSETTLED


class Walk:
    """One walk of ``root``; ``memo`` (from ``remembered`` of an earlier walk) saves listing
    the directories that did not change. With ``gitignore=False`` the .gitignore files are
    watched (a changed one relists its folder) but not applied: every folder the excludes
    leave is walked."""

    def __init__(self, root: str, excluded: GlobSet, memo: Memo | None = None,
                 gitignore: bool = True):
        self.root = root
        self.excluded = excluded
        self.gitignore = gitignore
        self.old = memo or {}
        self.memo: Memo = {}
        self.relisted = 0
        self._specs: dict[str, GitIgnoreSpec | None] = {}

    def files(self) -> list[str]:
        """Every kept file below the root (unsorted); fills ``memo`` and ``relisted``."""
        found: list[str] = []
        old, memo, root = self.old, self.memo, self.root
        stack: list[tuple[str, tuple[str, ...], bool]] = [("", (), True)]
        pop, push = stack.pop, stack.append
        while stack:
            rel, chain, trusted = pop()
            full = f"{root}/{rel}" if rel else root
            listing = old.get(rel) if trusted else None
            rules_kept = listing is not None and _same_rules(listing, full)
            if not rules_kept or signature(full) != listing[0]:  # type: ignore[index]
                listing, rules_kept = self._relisted(rel, full, chain, listing, rules_kept)
                if listing is None:
                    continue
            memo[rel] = listing
            found.extend(listing[3])
            below = (*chain, rel) if listing[1] is not None else chain
            for directory in listing[2]:
                push((directory, below, rules_kept))
        return found

    def remembered(self, started: int) -> Memo:
        """The memo to keep, for a walk that started at ``started`` (ns since the epoch):
        a signature too recent to be trusted is replaced by one that never matches."""
        return {rel: (trusted(sig, started), trusted(ignore_sig, started), directories, files)
                for rel, (sig, ignore_sig, directories, files) in self.memo.items()}

    def _relisted(self, rel: str, full: str, chain: tuple[str, ...], old: Listing | None,
                  rules_kept: bool) -> tuple[Listing | None, bool]:
        """A fresh listing of a directory (None when it is gone), and whether the ignore
        rules below it are still the remembered ones."""
        sig = signature(full)
        if sig is None:
            return None, False
        self.relisted += 1
        fresh = self._scan(rel, full, sig, chain)
        return fresh, rules_kept and old is not None and fresh[1] == old[1]

    def _scan(self, rel: str, full: str, sig: Signature, chain: tuple[str, ...]) -> Listing:
        """List one directory, keeping what neither ``exclude`` nor a .gitignore hides. A
        directory that cannot be listed is kept as if it were a file, so reading it names
        it (AR002) instead of passing over what it holds."""
        entries = _entries(full)
        if entries is None:
            return sig, None, (), (rel,) if rel else ()
        ignore_sig, chain = _own_rules(entries, full, rel, chain)
        ignored = self._ignored_by(chain) if self.gitignore else _nothing
        directories, files = [], []
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            kind = _kind(entry)
            if kind == "dir" and self._kept(path + "/", ignored):
                directories.append(path)
            elif kind == "file" and self._kept(path, ignored):
                files.append(path)
        return sig, ignore_sig, tuple(directories), tuple(files)

    def _kept(self, path: str, ignored: Callable[[str], bool]) -> bool:
        if self.excluded.match(path):
            return False
        return path.endswith(LEFTOVER_SUFFIXES) or not ignored(path)

    def _ignored_by(self, chain: tuple[str, ...]) -> Callable[[str], bool]:
        """A test of the .gitignore files of ``chain`` (directories, outermost first): the
        last one with an opinion on a path decides."""
        specs = [(base, spec) for base in chain if (spec := self._spec(base)) is not None]
        if not specs:
            return _nothing

        def ignored(path: str) -> bool:
            verdict = False
            for base, spec in specs:
                verdict = _own_verdict(spec, path[len(base) + 1:] if base else path, verdict)
            return verdict

        return ignored

    def _spec(self, base: str) -> GitIgnoreSpec | None:
        """The parsed .gitignore of directory ``base`` (None if it cannot be read)."""
        if base not in self._specs:
            self._specs[base] = _read_gitignore(os.path.join(self.root, base, ".gitignore"))
        return self._specs[base]


def _own_rules(entries: list[os.DirEntry[str]], full: str, rel: str,
               chain: tuple[str, ...]) -> tuple[Signature | None, tuple[str, ...]]:
    """The signature of the folder's .gitignore (None without one) and the chain of
    folders whose .gitignore applies below it."""
    if not any(entry.name == ".gitignore" for entry in entries):
        return None, chain
    return signature(os.path.join(full, ".gitignore")), (*chain, rel)


def _own_verdict(spec: GitIgnoreSpec, path: str, verdict: bool) -> bool:
    """``verdict`` after the patterns of ``spec`` that match ``path`` itself, the last one
    deciding. A pattern that matches only a folder above ``path`` has no say, as in git:
    the walk reached ``path``, so that folder was kept, and ``!sub/`` does not bring back
    ``sub/b.log`` that ``*.log`` hides (pathspec alone lets it)."""
    for pattern in spec.patterns:
        if pattern.include is None or pattern.regex is None:
            continue
        found = pattern.regex.match(path)
        if found is None:
            continue
        folder_end = found.end("ps_d") if "ps_d" in pattern.regex.groupindex else -1
        if folder_end in (-1, len(path)):
            verdict = pattern.include
    return verdict


def _same_rules(listing: Listing, full: str) -> bool:
    """The folder's .gitignore is as remembered (or it had none and the folder is unchanged,
    which the caller checks: adding one changes the folder)."""
    return listing[1] is None or signature(f"{full}/.gitignore") == listing[1]


def _nothing(path: str) -> bool:
    return False


def _entries(directory: str) -> list[os.DirEntry[str]] | None:
    """The directory's entries: none when it went away, None when it cannot be listed."""
    try:
        with os.scandir(directory) as found:
            return list(found)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return None


def _kind(entry: os.DirEntry[str]) -> str:
    """"dir", "file" (regular, not a link) or "other" (links, FIFOs, sockets, vanished)."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        return "file" if entry.is_file(follow_symlinks=False) else "other"
    except OSError:
        return "other"


def _read_gitignore(path: str) -> GitIgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)
