"""What one module contributes to the dead-code join: its definitions, uses and dead ends.

Everything here is threshold-independent and picklable with plain tuples, so the cache keeps
it across configuration changes and a warm run only re-joins.
"""

from __future__ import annotations

from dataclasses import dataclass

ATTRIBUTE = "attribute"
CLASS = "class"
FUNCTION = "function"
IMPORT = "import"
METHOD = "method"
PROPERTY = "property"
VARIABLE = "variable"

# A definition is a plain tuple (fast to build and pickle); these name its slots.
KIND, NAME, LINE, COLUMN, END_LINE, CONFIDENCE, DECORATORS, FLAGS = range(8)
Definition = tuple[str, str, int, int, int, int, tuple[str, ...], int]

# An unreachable block is (name, message, line, column, end line).
Unreachable = tuple[str, str, int, int, int]

RECORD_FIELD = 1
"""Flag: a field of a dataclass, attrs, pydantic, NamedTuple or TypedDict class."""
PYTEST = 2
"""Flag: a pytest fixture or hook, or an argument of a test, fixture or hook."""


@dataclass(frozen=True)
class DeadCodeFacts:
    """One module's dead-code facts.

    ``defined`` lists what the module defines (after vulture's per-file ignores and ``# noqa``),
    ``used`` every name it uses, ``imports`` the names its imports bind (they pull in vulture's
    bundled whitelists), ``unreachable`` its dead blocks, ``exported`` the names listed in
    ``__all__`` forms vulture does not read. ``complete`` is False when only the uses are
    known (the file did not parse or was too deep); such a file reports no definitions.
    ``depth`` is how deeply the module's syntax tree nests.
    """

    defined: tuple[Definition, ...] = ()
    used: frozenset[str] = frozenset()
    imports: frozenset[str] = frozenset()
    unreachable: tuple[Unreachable, ...] = ()
    exported: frozenset[str] = frozenset()
    complete: bool = True
    depth: int = 0
