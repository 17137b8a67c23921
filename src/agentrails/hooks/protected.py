"""What agents may not change, and why: the agents family's ``protected`` globs (workflows,
rulesets, CODEOWNERS, agent settings by default), matched without regard to case, and
migration plans whose status is ``accepted`` or ``done``.

A path is asked about directly; a shell pattern (``.github/*/ci.yml``, or a folder removed
with everything under it) is protected when it *could* reach a protected path, decided from
the patterns, not from what the disk holds now."""

from __future__ import annotations

import os
from pathlib import Path

from agentrails.checks.common.frontmatter import parse_front_matter
from agentrails.checks.common.paths import dir_prefix, glob_set
from agentrails.checks.migrations.rules import GATED, plan_path
from agentrails.engine.config.settings import Settings
from agentrails.engine.globs import GlobSet
from agentrails.engine.text import split_lines
from agentrails.hooks.shell.glob_overlap import has_glob, patterns_overlap, unescape
from agentrails.hooks.shell.paths import escape

LISTED = "listed in [tool.agentrails.agents] protected"


def protection(relative: str, settings: Settings) -> str | None:
    """Why ``relative`` (a path inside the project) is protected, or None."""
    options = settings.families.get("agents", {})
    globs = glob_set(tuple(g.lower() for g in options.get("protected", ())))
    if globs.match(relative.lower()):
        return LISTED
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
            return f"it could reach {glob}, {LISTED}"
    return None


def _existing_protection(candidates: list[str], settings: Settings) -> str | None:
    for path in existing_protected(settings):
        if any(patterns_overlap(c, escape(path)) for c in candidates):
            return f"it reaches {path}, {LISTED}"
    return _plan_protection(candidates, settings, hidden_dots=False)


def _plan_protection(candidates: list[str], settings: Settings, hidden_dots: bool) -> str | None:
    for plan, reason in _gated_plans(settings):
        if any(patterns_overlap(c, escape(plan), hidden_dots) for c in candidates):
            return f"it could reach {plan}, {reason}"
    return None


def existing_protected(settings: Settings) -> list[str]:
    """The files that exist now and match the protected globs (folders that cannot hold one
    are not entered)."""
    globs = tuple(settings.families.get("agents", {}).get("protected", ()))
    shapes = [shape for glob in globs for shape in _gitignore_shapes(glob)]
    matcher = glob_set(tuple(glob.lower() for glob in globs))
    found: list[str] = []
    for folder, folders, files in os.walk(settings.root):
        here = Path(folder).relative_to(settings.root).as_posix()
        prefix = "" if here == "." else f"{here}/"
        folders[:] = [name for name in folders if _may_hold(f"{prefix}{name}", shapes)]
        found.extend(_matching([f"{prefix}{name}" for name in files], matcher))
    return sorted(found)


def _matching(paths: list[str], matcher: GlobSet) -> list[str]:
    return [path for path in paths if matcher.match(path.lower())]


def _may_hold(folder: str, shapes: list[str]) -> bool:
    """True when a protected path could lie under ``folder`` (never inside ``.git``)."""
    if folder.rsplit("/", 1)[-1] == ".git":
        return False
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
