"""What agents may not change, and why: the agents family's ``protected`` globs (workflows,
rulesets, CODEOWNERS, agent settings by default), matched without regard to case, and
migration plans whose status is ``accepted`` or ``done``, and a file that is a hard link to
a protected one (writing it writes the protected file).

A path is asked about directly; a shell pattern (``.github/*/ci.yml``, or a folder removed
with everything under it) is protected when it *could* reach a protected path, decided from
the patterns, not from what the disk holds now."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from agentrails.checks.common.frontmatter import parse_front_matter
from agentrails.checks.common.paths import dir_prefix, glob_set
from agentrails.checks.migrations.rules import GATED, plan_path
from agentrails.engine.config.settings import Settings
from agentrails.engine.globs import GlobSet
from agentrails.engine.text import split_lines
from agentrails.hooks.shell.glob_overlap import (
    glob_matcher,
    has_glob,
    patterns_overlap,
    unescape,
)
from agentrails.hooks.shell.paths import escape
from agentrails.hooks.shell.words import check_time

LISTED = "listed in [tool.agentrails.agents] protected"
REASONS = "protected-why"
"""The agents option where ``hooks.policy`` records why it added a glob (never configured)."""


def protection(relative: str, settings: Settings) -> str | None:
    """Why ``relative`` (a path inside the project) is protected, or None."""
    options = settings.families.get("agents", {})
    globs = glob_set(tuple(g.lower() for g in options.get("protected", ())))
    if globs.match(relative.lower()):
        return why(relative, settings)
    linked = _hard_link(relative, settings)
    if linked is not None:
        return linked
    if not options.get("protect-accepted-migrations", True):
        return None
    prefix = dir_prefix(settings.families.get("migrations", {}).get("dir", "migrations"))
    if not plan_path(relative, prefix):
        return None
    try:
        text = (settings.root / relative).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    front = parse_front_matter(split_lines(text))
    status = str(front.values.get("status", "")).lower() if front is not None else ""
    return f"a migration plan with status {status}" if status in GATED else None


def why(path: str, settings: Settings) -> str:
    """Why a protected path (or glob) is: the configuration lists it, or the policy of
    ``hooks.policy`` added it for a reason it recorded."""
    options = settings.families.get("agents", {})
    reasons = options.get(REASONS, {})
    listed = tuple(glob.lower() for glob in options.get("protected", ()) if glob not in reasons)
    if not reasons or path in listed or glob_set(listed).match(path.lower()):
        return LISTED
    for glob, reason in reasons.items():
        if glob == path or glob_set((glob.lower(),)).match(path.lower()):
            return reason
    return LISTED


def _hard_link(relative: str, settings: Settings) -> str | None:
    """Why a file with more than one name is protected: one of its names is."""
    try:
        info = os.stat(settings.root / relative)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_nlink < 2:
        return None
    for other in existing_protected(settings):
        try:
            found = os.stat(settings.root / other)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino) and other != relative:
            return f"a hard link to {other}, {why(other, settings)}"
    return None


def pattern_protection(
    pattern: str, recursive: bool, settings: Settings, on_disk: bool = False
) -> str | None:
    """Why a shell pattern relative to the root (``""``: the root itself) could reach a
    protected path, or None. ``recursive``: everything under it is written too. ``on_disk``:
    the pattern stands for what exists now (``find``), so only existing files count."""
    if not has_glob(pattern) and pattern:
        found = protection(unescape(pattern), settings)
        if found is not None:
            return found
    candidates = _candidates(pattern, recursive)
    if on_disk:
        return _existing_protection(candidates, settings)
    return _glob_protection(candidates, settings) or _plan_protection(
        candidates, settings, hidden_dots=True)


def _candidates(pattern: str, recursive: bool) -> list[str]:
    """The patterns a write covers beyond a literal path: a glob, everything under it."""
    found = [pattern] if has_glob(pattern) else []
    if recursive:
        found.append(f"{pattern}/**" if pattern else "**")
    return found


def _glob_protection(candidates: list[str], settings: Settings) -> str | None:
    for glob in settings.families.get("agents", {}).get("protected", ()):
        shapes = _gitignore_shapes(glob)
        if any(patterns_overlap(c, s, hidden_dots=True) for s in shapes for c in candidates):
            return f"it could reach {glob}, {why(glob, settings)}"
    return None


def _existing_protection(candidates: list[str], settings: Settings) -> str | None:
    found = existing_protected_files(settings)
    tests = [glob_matcher(candidate) for candidate in candidates]
    for path in found.files:
        if any(test(path) for test in tests):
            return f"it reaches {path}, {why(path, settings)}"
    for folder in found.crowded:
        if any(patterns_overlap(c, escape(folder) + "/**") for c in candidates):
            return f"it could reach what {folder} holds, {why(folder, settings)}"
    return _plan_protection(candidates, settings, hidden_dots=False)


def _plan_protection(candidates: list[str], settings: Settings, hidden_dots: bool) -> str | None:
    for plan, reason in _gated_plans(settings):
        if any(patterns_overlap(c, escape(plan), hidden_dots) for c in candidates):
            return f"it could reach {plan}, {reason}"
    return None


MOST_LISTED = 5000
"""A protected folder holding more files than this (a virtual environment) is not listed:
a ``find`` that could reach into it is refused."""


class Existing(NamedTuple):
    """The protected files that exist, and the protected folders too full to list."""

    files: list[str]
    crowded: list[str]


def existing_protected(settings: Settings) -> list[str]:
    """The files that exist now and match the protected globs (a crowded folder's files
    left out: see ``existing_protected_files``)."""
    return existing_protected_files(settings).files


def existing_protected_files(settings: Settings) -> Existing:
    """The files that exist now and match the protected globs. Folders that cannot hold one
    are not entered; a protected folder is listed without matching each file, up to
    ``MOST_LISTED`` files."""
    listing = _Listing(tuple(settings.families.get("agents", {}).get("protected", ())))
    for folder, folders, files in os.walk(settings.root):
        here = Path(folder).relative_to(settings.root).as_posix()
        folders[:] = listing.visit("" if here == "." else f"{here}/", folders, files)
    return listing.result()


class _Listing:
    """One walk of the project collecting protected files."""

    def __init__(self, globs: tuple[str, ...]):
        self.literal = {path for glob in globs if (path := _literal_path(glob)) is not None}
        self.shapes = [shape for glob in globs if _literal_path(glob) is None
                       for shape in _gitignore_shapes(glob)]
        self.matcher = glob_set(tuple(glob.lower() for glob in globs))
        self.found: list[str] = []
        self.crowded: list[str] = []
        self.counts: dict[str, int] = {}

    def visit(self, prefix: str, folders: list[str], files: list[str]) -> list[str]:
        """Collect the protected files of one folder; returns the subfolders to enter."""
        check_time()
        inside = self._inside(prefix)
        if inside is not None and self._crowds(inside, len(files)):
            return []
        names = [f"{prefix}{name}" for name in files]
        self.found.extend(names if inside is not None else _matching(names, self.matcher))
        folders = [name for name in folders if name != ".git"]
        if inside is not None:
            return folders
        return [name for name in folders if _may_hold(f"{prefix}{name}", self.literal,
                                                      self.shapes)]

    def _inside(self, prefix: str) -> str | None:
        """The protected folder ``prefix`` lies in, if any."""
        key = prefix.lower()
        return next((path for path in self.literal if key.startswith(path + "/")), None)

    def _crowds(self, folder: str, more: int) -> bool:
        """Count ``more`` files in a protected folder; True once it holds too many."""
        self.counts[folder] = self.counts.get(folder, 0) + more
        if self.counts[folder] <= MOST_LISTED:
            return False
        self.crowded.append(folder)
        self.literal.discard(folder)
        return True

    def result(self) -> Existing:
        files = [path for path in self.found
                 if not any(path.lower().startswith(c + "/") for c in self.crowded)]
        return Existing(sorted(files), self.crowded)


def _literal_path(glob: str) -> str | None:
    """The path a glob names when it is a literal path anchored at the root (a trailing
    ``/**`` dropped: it and everything under it): ``.github/workflows/**``, ``/.venv``."""
    text = glob.strip()
    anchored = text.startswith("/") or "/" in text.rstrip("/")
    text = text.strip("/").removesuffix("/**")
    if not anchored or not text or text.startswith(("#", "!")) or has_glob(text) or (
            "\\" in text or "{" in text):
        return None
    return text.lower()


def _matching(paths: list[str], matcher: GlobSet) -> list[str]:
    return [path for path in paths if matcher.match(path.lower())]


def _may_hold(folder: str, literal: set[str], shapes: list[str]) -> bool:
    """True when a protected path could lie under ``folder``."""
    key = folder.lower()
    if any(path == key or path.startswith(key + "/") for path in literal):
        return True
    return any(patterns_overlap(escape(folder) + "/**", shape) for shape in shapes)


def _gitignore_shapes(glob: str) -> list[str]:
    """A gitignore-style glob as plain patterns: unanchored names match at any depth, a match
    covers everything under it, ``dir/`` and ``dir/**`` only what is under ``dir`` (as in git
    and the engine's GlobSet)."""
    text = glob.strip()
    if not text or text.startswith(("#", "!")):
        return []
    anchored = text.startswith("/") or "/" in text.rstrip("/")
    contents_only = text.endswith("/")
    text = text.strip("/")
    if text.endswith("/**") or text == "**":
        text, contents_only = text[:-3] or "**", True
    if not anchored:
        text = f"**/{text}"
    under = f"{text}/*/**"
    return [under] if contents_only else [text, under]


def _gated_plans(settings: Settings) -> list[tuple[str, str]]:
    """Accepted and done migration plans on disk, with the reason each is protected."""
    options = settings.families.get("agents", {})
    if not options.get("protect-accepted-migrations", True):
        return []
    prefix = dir_prefix(settings.families.get("migrations", {}).get("dir", "migrations"))
    folder = settings.root / prefix
    try:
        names = sorted(path.name for path in folder.iterdir() if path.is_file())
    except OSError:
        return []
    found = []
    for name in names:
        reason = protection(f"{prefix}{name}", settings)
        if reason is not None:
            found.append((f"{prefix}{name}", reason))
    return found
