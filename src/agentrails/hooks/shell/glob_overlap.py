"""Whether two path patterns can match one path, decided from the patterns alone.

The guard needs this for shell globs: ``rm .github/*/ci.yml`` must be refused because the
glob *could* name a protected file, whatever the disk holds now. Patterns are POSIX paths
split at ``/``; a segment ``**`` matches any number of segments, and inside a segment ``*``,
``?``, ``[...]`` and ``\\``-escapes work as in the shell. Comparison ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

GLOB_CHARS = frozenset("*?[")
_LARGEST_CLASS = 4096


@dataclass(frozen=True)
class CharClass:
    """One character from ``chars`` (or, when ``negated``, any character not in it)."""

    chars: frozenset[str]
    negated: bool = False

    def admits(self, char: str) -> bool:
        return (char in self.chars) != self.negated


Atom = str | CharClass | None
"""A literal character, a class, ``None`` for ``*`` (any run)."""
ANY = CharClass(frozenset(), negated=True)
NOT_DOT = CharClass(frozenset("."), negated=True)


def patterns_overlap(first: str, second: str, hidden_dots: bool = False) -> bool:
    """True when some path matches both patterns. With ``hidden_dots``, a wildcard at the
    start of a segment of ``first`` does not match a leading dot (the shell's rule). Patterns
    too deep to compare (thousands of segments or characters) are taken to overlap."""
    try:
        return _segments_overlap(_segments(first, hidden_dots), _segments(second, False))
    except RecursionError:
        return True


def glob_matcher(pattern: str, hidden_dots: bool = False) -> Callable[[str], bool]:
    """A test of whether a path matches ``pattern``: what ``patterns_overlap(pattern,
    escape(path))`` answers, as one compiled regular expression (for many paths)."""
    parts = []
    for segment in _segments(pattern, hidden_dots):
        if segment is None:
            parts.append("(?:/[^/]+)*")
            continue
        atoms, no_dot = segment
        parts.append("/" + ("(?!\\.)" if no_dot else "") + "".join(map(_atom_regex, atoms)))
    compiled = re.compile("".join(parts) + "/?", re.DOTALL)
    return lambda path: compiled.fullmatch("/" + "/".join(
        name for name in path.casefold().split("/") if name and name != ".")) is not None


def _atom_regex(atom: Atom) -> str:
    if atom is None:
        return "[^/]*"
    if isinstance(atom, str):
        return re.escape(atom)
    chars = "".join(re.escape(char) for char in sorted(atom.chars - {"/"}))
    if atom.negated:
        return f"[^/{chars}]"
    return f"[{chars}]" if chars else "(?!)"


def has_glob(pattern: str) -> bool:
    """True when ``pattern`` holds an unescaped ``*``, ``?`` or ``[``."""
    escaped = False
    for char in pattern:
        if not escaped and char in GLOB_CHARS:
            return True
        escaped = not escaped and char == "\\"
    return False


def unescape(pattern: str) -> str:
    """``pattern`` with its backslash escapes removed (a literal path)."""
    out, escaped = [], False
    for char in pattern:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


Segment = tuple[tuple[Atom, ...], bool] | None
"""A segment's atoms and whether its first character may not be a dot; ``None`` is ``**``."""


def _segments(pattern: str, hidden_dots: bool) -> tuple[Segment, ...]:
    names = [name for name in pattern.casefold().split("/") if name and name != "."]
    return tuple(None if name == "**" else _segment(name, hidden_dots) for name in names)


def _segment(name: str, hidden_dots: bool) -> Segment:
    atoms: list[Atom] = []
    index = 0
    while index < len(name):
        atom, index = _next_atom(name, index)
        atoms.append(atom)
    return tuple(atoms), hidden_dots and bool(atoms) and not isinstance(atoms[0], str)


def _next_atom(segment: str, index: int) -> tuple[Atom, int]:
    char = segment[index]
    if char == "\\" and index + 1 < len(segment):
        return segment[index + 1], index + 2
    if char == "*":
        return None, index + 1
    if char == "?":
        return ANY, index + 1
    if char == "[":
        parsed = _char_class(segment, index)
        if parsed is not None:
            return parsed
    return char, index + 1


def _char_class(segment: str, index: int) -> tuple[CharClass, int] | None:
    """The class opening at ``segment[index] == "["``, or None when it never closes."""
    position = index + 1
    negated = position < len(segment) and segment[position] in "!^"
    position += negated
    chars: set[str] = set()
    first = True
    while position < len(segment) and (first or segment[position] != "]"):
        first = False
        ranged = segment[position + 1:position + 3]
        if len(ranged) == 2 and ranged[0] == "-" and ranged[1] != "]":
            chars.update(_char_range(segment[position], ranged[1]))
            position += 3
        else:
            chars.add(segment[position])
            position += 1
    if position >= len(segment):
        return None
    return CharClass(frozenset(chars), negated), position + 1


def _char_range(low: str, high: str) -> set[str]:
    top = min(ord(high), ord(low) + _LARGEST_CLASS)
    return {chr(code) for code in range(ord(low), top + 1)}


@cache
def _segments_overlap(first: tuple, second: tuple) -> bool:
    if not first or not second:
        return all(segment is None for segment in first + second)
    if first[0] is None:
        return _segments_overlap(first[1:], second) or _segments_overlap(first, second[1:])
    if second[0] is None:
        return _segments_overlap(first, second[1:]) or _segments_overlap(first[1:], second)
    (atoms, no_dot), (others, _) = first[0], second[0]
    return _atoms_overlap(atoms, others, no_dot) and _segments_overlap(first[1:], second[1:])


@cache
def _atoms_overlap(first: tuple[Atom, ...], second: tuple[Atom, ...], no_dot: bool) -> bool:
    """True when some string matches both segment patterns (``no_dot``: its first character,
    if it is still to come, is not a dot)."""
    if not first or not second:
        return _only_stars(first + second)
    head, other = first[0], second[0]
    if head is None and other is None:
        return _stars_overlap(first, second, no_dot)
    if head is None:
        return _star_overlap(first, second, no_dot)
    if other is None:
        return _star_overlap(second, first, no_dot)
    start = NOT_DOT if no_dot else ANY
    return _chars_overlap(head, other, start) and _atoms_overlap(first[1:], second[1:], False)


def _stars_overlap(first: tuple[Atom, ...], second: tuple[Atom, ...], no_dot: bool) -> bool:
    """Both begin with ``*``: either star ends here, or both take a first non-dot."""
    return (_atoms_overlap(first[1:], second, no_dot)
            or _atoms_overlap(first, second[1:], no_dot)
            or (no_dot and _atoms_overlap(first, second, False)))


def _only_stars(atoms: tuple[Atom, ...]) -> bool:
    return all(atom is None for atom in atoms)


def _star_overlap(starred: tuple[Atom, ...], other: tuple[Atom, ...], no_dot: bool) -> bool:
    """``starred`` begins with ``*`` and ``other`` with one character: the star ends here, or
    it takes that character."""
    if _atoms_overlap(starred[1:], other, no_dot):
        return True
    char = other[0]
    assert char is not None
    return _chars_overlap(char, NOT_DOT if no_dot else ANY) and _atoms_overlap(
        starred, other[1:], False)


def _chars_overlap(*atoms: str | CharClass) -> bool:
    """True when one character is admitted by every atom."""
    literals = {atom for atom in atoms if isinstance(atom, str)}
    classes = [atom for atom in atoms if isinstance(atom, CharClass)]
    candidates = literals or _class_candidates(classes)
    if candidates is None:
        return True  # negated classes exclude finitely many characters
    return len(literals) <= 1 and any(_admitted(char, classes) for char in candidates)


def _class_candidates(classes: list[CharClass]) -> frozenset[str] | None:
    return next((c.chars for c in classes if not c.negated), None)


def _admitted(char: str, classes: list[CharClass]) -> bool:
    return all(c.admits(char) for c in classes)
