"""What counts as source code for the context, sessions and lane rules, and small path helpers
shared by them."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import cache

from agentrails.engine.globs import GlobSet

SOURCE_SUFFIXES = frozenset({
    ".py", ".pyi", ".pyx", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts",
    ".vue", ".svelte", ".go", ".rs", ".java", ".kt", ".kts", ".scala", ".groovy", ".rb",
    ".php", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".cs", ".fs", ".swift", ".m",
    ".mm", ".dart", ".lua", ".pl", ".pm", ".r", ".jl", ".ex", ".exs", ".erl", ".hs", ".ml",
    ".clj", ".elm", ".zig", ".nim", ".sh", ".bash", ".zsh", ".fish", ".ps1", ".sql", ".tf",
})
"""File suffixes that make a file source code when no ``sources`` globs are configured."""


class SourceMatcher:
    """Decides whether a path is source code: by the configured globs, else by suffix."""

    def __init__(self, globs: Iterable[str] = ()):
        globs = list(globs)
        self._globs = GlobSet(globs) if globs else None

    def __call__(self, path: str) -> bool:
        if self._globs is not None:
            return self._globs.match(path)
        name = path.rsplit("/", 1)[-1]
        dot = name.rfind(".")
        return dot > 0 and name[dot:].lower() in SOURCE_SUFFIXES


@cache
def source_matcher(globs: tuple[str, ...]) -> SourceMatcher:
    """A shared matcher per glob list (rules build one per run)."""
    return SourceMatcher(globs)


@cache
def glob_set(globs: tuple[str, ...]) -> GlobSet:
    """A shared compiled glob set per glob list."""
    return GlobSet(globs)


def normalize(path: str) -> str | None:
    """``path`` (POSIX, relative to the project root) with ``.`` and ``..`` folded away;
    None when it climbs out of the root."""
    folded = posixpath.normpath(path)
    if folded == ".":
        return ""
    if folded.startswith("../") or folded == ".." or folded.startswith("/"):
        return None
    return folded


def folder(path: str) -> str:
    """``path``'s folder with a trailing slash ("" for a top-level file)."""
    head = path.rpartition("/")[0]
    return head + "/" if head else ""


def dir_prefix(name: str) -> str:
    """A configured folder name as a path prefix: ``handoffs`` and ``handoffs/`` both give
    ``handoffs/``; ``.`` or an empty name gives ``""`` (the root)."""
    clean = normalize(name.strip().strip("/") or ".")
    return f"{clean}/" if clean else ""
