"""Context files below the root and above it: a monorepo's packages each keep an AGENTS.md
(or CLAUDE.md), and an agent working in a package reads every context file from the
repository's top down to the package's, each with its ``@`` imports.

Paths are relative to the project root; files above it (the repository a package sits in)
are named with ``../`` and read from disk.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path

from agentrails.checks.common.markdown import MarkdownFacts, markdown_of, parse_markdown
from agentrails.checks.context.refs import follow_imports, import_closure, target_path
from agentrails.engine.facts import FileFacts
from agentrails.engine.protocol import RuleContext

CLAUDE = "CLAUDE.md"
MODES = ("error", "warn", "off")
"""``nested``: findings on context files below the root fail, are warnings, or are not
looked for."""


def context_file(folder: str, name: str, facts: Mapping[str, FileFacts]) -> str | None:
    """The context file of ``folder`` ("" for the root): its ``name`` (the canonical
    file's name), else its CLAUDE.md; None when it has neither."""
    for candidate in (name, CLAUDE):
        path = f"{folder}/{candidate}" if folder else candidate
        if markdown_of(facts.get(path)) is not None:
            return path
    return None


def nested_folders(facts: Mapping[str, FileFacts], name: str, canonical: str) -> list[str]:
    """Folders below the root that hold a context file (``name`` or CLAUDE.md), the
    canonical file's own place left out, outermost first."""
    folders = set()
    for path, file_facts in facts.items():
        folder, _, base = path.rpartition("/")
        if folder and base in (name, CLAUDE) and path != canonical and markdown_of(file_facts):
            folders.add(folder)
    return sorted(folders)


def folders_between(folder: str) -> list[str]:
    """The folders strictly between the root and ``folder``, outermost first."""
    parts = folder.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


def enclosing_files(ctx: RuleContext, name: str) -> list[str]:
    """Context files above the root that an agent here reads too: one per folder from the
    outermost configuration this one extends down to the root's parent (``../``-paths)."""
    if not ctx.enclosing:
        return []
    root = Path(ctx.root).resolve()
    top = Path(ctx.enclosing[0])
    found = []
    for folder in sorted((p for p in root.parents if p.is_relative_to(top)),
                         key=lambda p: len(p.parts)):
        relative = Path(os.path.relpath(folder, root)).as_posix()
        for candidate in (name, CLAUDE):
            if (folder / candidate).is_file():
                found.append(f"{relative}/{candidate}")
                break
    return found


def above(folder: str, ctx: RuleContext, *, facts: Mapping[str, FileFacts], name: str) -> list[str]:
    """The context files read before ``folder``'s: those above the root, the root's
    (the canonical file, else the root's CLAUDE.md) and those of the folders between."""
    canonical = ctx.options["canonical"]
    root_file = canonical if markdown_of(facts.get(canonical)) else context_file("", name, facts)
    between = [context_file(f, name, facts) for f in folders_between(folder)]
    return [*enclosing_files(ctx, name), *(p for p in [root_file, *between] if p)]


def reading(
    before: list[str], own: list[str], *, facts: Mapping[str, FileFacts], root: str
) -> list[str]:
    """Every file read for a context file, each once: the closures of the files ``before``
    it (those above the root followed from disk), then its own closure ``own``."""
    files: list[str] = []
    seen: set[str] = set()
    for entry in before:
        inside = not entry.startswith("../")
        _add(import_closure(entry, facts, root) if inside else disk_closure(entry, root),
             files, seen=seen, root=root)
    _add(own, files, seen=seen, root=root)
    return files


def _add(paths: list[str], files: list[str], *, seen: set[str], root: str) -> None:
    for path in paths:
        key = os.path.normpath(os.path.join(root, path))
        if key not in seen:
            seen.add(key)
            files.append(path)


def disk_closure(start: str, root: str) -> list[str]:
    """``start`` (a ``../``-path above the root) and the files its ``@`` imports reach,
    read from disk, each once."""
    return follow_imports(start, root, lambda path: _imports(path, root))


def _imports(path: str, root: str) -> Iterator[str]:
    markdown = _read_markdown(root, path)
    if markdown is None:
        return
    for ref in markdown.references:
        if ref.kind == "import":
            yield posixpath.normpath(target_path(ref, path))


def _read_markdown(root: str, path: str) -> MarkdownFacts | None:
    try:
        with open(os.path.join(root, path), "rb") as handle:
            data = handle.read()
        return parse_markdown(data.decode("utf-8-sig"), len(data))
    except (OSError, UnicodeDecodeError):
        return None
