"""Where a Markdown reference points, whether it exists, and the ``@`` import closure of a
context file (what Claude Code loads with it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping

from agentrails.checks.common.markdown import MarkdownFacts, Reference, markdown_of
from agentrails.checks.common.paths import folder, normalize
from agentrails.engine.facts import FileFacts

MARKDOWN_SUFFIXES = (".md", ".mdc", ".markdown")


def target_path(ref: Reference, source: str) -> str:
    """``ref``'s target as a path relative to the project root (it may climb out with
    ``..``): links starting with ``/`` are root-relative, as GitHub renders them; links
    and imports are otherwise relative to the file that holds them; backticked paths are
    taken from the root."""
    target = ref.target
    if ref.kind == "link" and target.startswith("/"):
        return target.lstrip("/")
    if ref.kind == "path":
        return target[2:] if target.startswith("./") else target
    return folder(source) + target


def exists(root: str, path: str) -> bool:
    """True when ``path`` (relative to ``root``, ``..`` allowed) is a file or folder."""
    return os.path.exists(os.path.join(root, path))


def is_broken(ref: Reference, source: str, root: str) -> bool:
    """True when ``ref`` in file ``source`` points at nothing.

    A backticked path counts only when it looks like this repository's: it ends in ``.md``
    or its first folder exists (at the root or next to ``source``); it may be written
    relative to the root or to ``source``'s folder.
    """
    if ref.kind != "path":
        return not exists(root, target_path(ref, source))
    path = target_path(ref, source)
    local = folder(source) + path
    if exists(root, path) or exists(root, local):
        return False
    if "/" not in path.rstrip("/"):
        return path.endswith(".md")
    first = path.split("/", 1)[0]
    return exists(root, first) or exists(root, folder(source) + first)


def import_closure(start: str, facts: Mapping[str, FileFacts], root: str) -> list[str]:
    """``start`` and every file its ``@`` imports reach, each once (cycles stop), in the
    order they are first met. Only existing files inside the project are followed."""

    def imports_of(path: str) -> Iterable[str]:
        markdown = markdown_of(facts.get(path))
        return () if markdown is None else imported(path, markdown)

    return follow_imports(start, root, imports_of)


def follow_imports(start: str, root: str, imports_of: Callable[[str], Iterable[str]]) -> list[str]:
    """``start`` and the existing files ``imports_of`` leads to from it, breadth first, each
    once (cycles stop), in the order they are first met."""
    seen = [start]
    queue = [start]
    while queue:
        current = queue.pop(0)
        for target in imports_of(current):
            if target not in seen and exists(root, target):
                seen.append(target)
                queue.append(target)
    return seen


def imported(path: str, markdown: MarkdownFacts) -> Iterator[str]:
    """The project paths that ``path``'s ``@`` imports name (those inside the root)."""
    for ref in markdown.references:
        if ref.kind == "import":
            target = normalize(target_path(ref, path))
            if target:
                yield target


def measure(path: str, facts: Mapping[str, FileFacts], root: str) -> tuple[int, int]:
    """Lines and bytes of ``path``: from its facts, else from disk."""
    file_facts = facts.get(path)
    markdown = markdown_of(file_facts)
    if file_facts is not None and markdown is not None:
        return file_facts.line_count, markdown.size
    try:
        with open(os.path.join(root, path), "rb") as handle:
            data = handle.read()
    except OSError:
        return 0, 0
    return len(data.splitlines()), len(data)
