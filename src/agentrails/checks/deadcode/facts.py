"""What one module contributes to the dead-code join: its definitions, uses and dead ends.

Everything here is threshold-independent and plain data, so the cache keeps it across
configuration changes and a warm run only re-joins. As the cache keeps them (``cached``),
a module's definitions are their names and confidences plus the full records packed into
bytes: the join needs a record only when its name is used nowhere and its confidence
reaches the floor, so a warm run unpacks the records of the few modules that have such a
name, not the tens of thousands of others; the names it uses are a sorted tuple, which
loads faster than a set.
"""

from __future__ import annotations

from collections import namedtuple

from agentrails.engine.cache import memo as plain

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

    def cached(self) -> tuple:
        """The plain tuple the collector returns and the cache keeps: ``DEFINED`` holds
        ``(names, confidences, packed records)`` (see ``definitions``), ``USED`` a sorted
        tuple."""
        names = tuple(item[NAME] for item in self.defined)
        confidences = tuple(item[CONFIDENCE] for item in self.defined)
        packed = plain.dumps(tuple(self.defined)) if self.defined else b""
        return ((names, confidences, packed), tuple(sorted(self.used)), self.imports,
                self.unreachable, self.exported, self.complete, self.depth)


def may_report(module: tuple, used: set[str], floor: int) -> bool:
    """True when a cached module defines a name used nowhere with a confidence at or above
    ``floor``: only then are its records worth unpacking."""
    names, confidences, _ = module[DEFINED]
    if used.issuperset(names):
        return False
    return any(c >= floor for n, c in zip(names, confidences, strict=True) if n not in used)


def definitions(module: tuple) -> tuple[Definition, ...]:
    """The definition records of a cached module (none when they cannot be unpacked)."""
    packed = module[DEFINED][2]
    records = plain.loads(packed) if packed else ()
    return records if isinstance(records, tuple) else ()
