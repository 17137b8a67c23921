"""Move a gitignore-style glob from the folder it was written for to another one.

A glob in a configuration is relative to the folder of the file that defines it, as in
ruff. When a package's configuration extends the root's, the root's globs must match the
package's paths (relative to the package); when the root looks at a package's lanes, the
package's globs must match paths relative to the root. ``relocate`` does both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from agentrails.engine.globs import GlobSet

EVERYTHING = "**"


def relocate(glob: str, origin: Path, root: Path) -> list[str]:
    """``glob``, written for folder ``origin``, as globs for paths relative to ``root``.

    The result matches exactly the files below ``root`` that ``glob`` matches below
    ``origin``. When ``root`` lies outside ``origin`` (a shared configuration next to the
    package rather than above it), a glob anchored to ``origin`` cannot match and is
    dropped, while a bare name (``*.md``, ``build/``) keeps matching at any depth.
    """
    if origin == root:
        return [glob]
    if root.is_relative_to(origin):
        return rebase_down(glob, root.relative_to(origin).as_posix())
    if origin.is_relative_to(root):
        return [rebase_up(glob, origin.relative_to(root).as_posix())]
    return [glob] if _is_comment(glob) or not _anchored(_body(glob)[1]) else []


def rebase_down(glob: str, sub: str) -> list[str]:
    """Globs that match ``p`` exactly when ``glob`` matches ``sub/p`` (``sub`` is a folder
    below the glob's own, ``/``-separated). Empty when no path below ``sub`` can match."""
    if _is_comment(glob):
        return [glob]
    negated, body = _body(glob)
    steps = tuple(part for part in sub.split("/") if part)
    parts, directory_only = _parts(body)
    rests = sorted(_consume(parts, 0, steps=steps, step=0))
    if rests == [parts] and not _anchored(body):
        return [glob]  # no folder of sub matched: the bare name is unchanged
    bang = "!" if negated else ""
    if () in rests:
        return [bang + EVERYTHING]  # it matched a folder holding the new root
    found: list[str] = []
    for rest in rests:
        text = bang + _joined(rest, directory_only=directory_only)
        if text not in found:
            found.append(text)
    return found


def _parts(body: str) -> tuple[tuple[str, ...], bool]:
    """The glob's segments (a bare name gets a leading ``**``: it matches at any depth)
    and whether it names folders only. A trailing ``**/`` adds nothing, as pathspec reads
    it (``a/**/`` is ``a/``)."""
    parts = tuple(body.strip("/").split("/"))
    directory_only = body.endswith("/")
    if not _anchored(body):
        parts = (EVERYTHING, *parts)
    while directory_only and len(parts) > 1 and parts[-1] == EVERYTHING:
        parts = parts[:-1]
    return parts, directory_only


def _joined(rest: tuple[str, ...], *, directory_only: bool) -> str:
    """A glob anchored at the new root from what is left of the old one. A rest of
    wildcards only says "at least so many levels", written without the folder-only
    ``**/`` forms that pathspec reads as matching nothing."""
    if any(part not in ("*", EVERYTHING) for part in rest):
        return "/" + "/".join(rest) + ("/" if directory_only else "")
    levels = rest.count("*") + (rest[-1] == EVERYTHING)  # a trailing ** is "inside": one more
    if directory_only:
        return "/" + "/".join(["*"] * max(levels, 1)) + "/"
    return EVERYTHING if levels <= 1 else "/" + "/".join(["*"] * levels)


def rebase_up(glob: str, sub: str) -> str:
    """A glob that matches ``sub/p`` exactly when ``glob`` matches ``p``, and nothing
    outside ``sub``."""
    if _is_comment(glob):
        return glob
    negated, body = _body(glob)
    head = sub.strip("/")
    text = f"/{head}/{body.lstrip('/')}" if _anchored(body) else f"/{head}/**/{body}"
    return ("!" if negated else "") + text


def _consume(
    parts: tuple[str, ...], index: int, *, steps: tuple[str, ...], step: int
) -> set[tuple[str, ...]]:
    """What is left of glob ``parts[index:]`` after it matched the folders ``steps[step:]``;
    an empty tuple means the glob matched a folder holding the new root (so everything)."""
    if index == len(parts):
        return {()}
    if step == len(steps):
        return {parts[index:]}
    part = parts[index]
    if part == EVERYTHING:
        return (_consume(parts, index + 1, steps=steps, step=step)
                | _consume(parts, index, steps=steps, step=step + 1))
    if not _segment(part).match(steps[step]):
        return set()
    return _consume(parts, index + 1, steps=steps, step=step + 1)


@cache
def _segment(part: str) -> GlobSet:
    """A matcher for one folder name against one segment of a glob."""
    return GlobSet(["/" + part])


def _body(glob: str) -> tuple[bool, str]:
    """Whether ``glob`` is a negation, and the pattern without its ``!``."""
    return (True, glob[1:]) if glob.startswith("!") else (False, glob)


def _anchored(body: str) -> bool:
    """True when a slash other than a trailing one ties the glob to its folder."""
    return "/" in body.rstrip("/")


def _is_comment(glob: str) -> bool:
    return not glob.strip() or glob.startswith("#")
