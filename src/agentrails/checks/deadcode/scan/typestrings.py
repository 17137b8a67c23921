"""Names hidden in strings: forward references in annotations and dotted paths.

A string such as ``"PathLike[str]"`` or ``"t.Callable[P, R]"`` is a type expression that a
type checker reads, so the names in it are used (ruff's F401 accepts them too). A string
such as ``"requests.sessions.Session"`` (``mock.patch``) or ``"pkg.cli:main"`` (an entry
point) names a module and an object in it.
"""

from __future__ import annotations

import re

_TYPE_LIKE = re.compile(r"[A-Za-z_][\w.]*(?:\s*[\[\],|]\s*[\w.\"'\[\]]*)*\]*")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?::[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)?")
_REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_LONGEST = 200


def type_names(text: str) -> list[str]:
    """The names a string used as a type expression mentions (none when it is not one)."""
    if len(text) > _LONGEST or not _TYPE_LIKE.fullmatch(text.strip()):
        return []
    import ast  # the collector's: a run that analyses nothing never parses a string

    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if type(node) is ast.Name:
            found.append(node.id)
        elif type(node) is ast.Constant and type(node.value) is str and node.value != text:
            found.extend(type_names(node.value))
    return found


def dotted_references(text: str) -> list[tuple[str, str]]:
    """(module path, name) pairs a dotted string may point at: ``"a.b.c"`` gives
    ``("a/b", "c")`` and ``("a", "b")``; ``"a.b:c.d"`` gives ``("a/b", "c")`` too."""
    if len(text) > _LONGEST or not _DOTTED.fullmatch(text):
        return []
    module, _, target = text.partition(":")
    parts = module.split(".")
    found = [("/".join(parts[:end]), parts[end]) for end in range(1, len(parts))]
    if target:
        found.append(("/".join(parts), target.split(".")[0]))
    return found


def references_in(text: str) -> list[tuple[str, str]]:
    """Entry-point references (``name = pkg.mod:obj``) anywhere in a text."""
    found = []
    for match in _REFERENCE.finditer(text):
        found.extend(dotted_references(match.group()))
    return found
