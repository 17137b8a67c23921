"""What one module contributes to the dead-code join: its definitions, uses and dead ends.

Everything here is threshold-independent and picklable with plain tuples, so the cache keeps
it across configuration changes and a warm run only re-joins.
"""

from __future__ import annotations

from collections import namedtuple

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


DEFAULT_MAX_DEPTH = 500
"""Where recursive analysers give up: two Python frames a level hit the recursion limit."""

# A module's facts are kept as a plain tuple (see ``DeadCodeFacts``); these name its slots.
DEFINED, USED, IMPORTS, UNREACHABLE, EXPORTED, COMPLETE, DEPTH = range(7)


class DeadCodeFacts(namedtuple(
    "DeadCodeFacts", ("defined", "used", "imports", "unreachable", "exported", "complete", "depth"),
    defaults=((), frozenset(), frozenset(), (), frozenset(), True, 0),
)):
    """One module's dead-code facts.

    ``defined`` lists what the module defines (after vulture's per-file ignores and ``# noqa``),
    ``used`` every name it uses, ``imports`` the names its imports bind (they pull in vulture's
    bundled whitelists), ``unreachable`` its dead blocks, ``exported`` the names listed in
    ``__all__`` forms vulture does not read. ``complete`` is False when only the uses are
    known (the file did not parse or was too deep); such a file reports no definitions.
    ``depth`` is how deeply the module's syntax tree nests.

    The collector returns ``tuple(facts)``, the plain tuple the cache keeps; the slot names
    above (``USED`` ...) index it, and ``DeadCodeFacts(*plain)`` names the fields again.
    """

    __slots__ = ()
    defined: tuple[Definition, ...]
    used: frozenset[str]
    imports: frozenset[str]
    unreachable: tuple[Unreachable, ...]
    exported: frozenset[str]
    complete: bool
    depth: int
