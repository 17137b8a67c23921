"""What one module contributes to the dead-code join: its definitions, uses and dead ends.

Everything here is threshold-independent and plain data, so the cache keeps it across
configuration changes and a warm run only re-joins. As the cache keeps them (``cached``),
a module's definitions are their names and confidences plus the full records packed into
bytes: the join needs a record only when its name is used nowhere and its confidence
reaches the floor, so a warm run unpacks the records of the few modules that have such a
name, not the tens of thousands of others; the names it uses are a sorted tuple, which
loads faster than a set. The scope-aware analysis keeps its own facts beside them
(``ScopeFacts``, see ``agentrails.checks.deadcode.records``), packed the same way.
"""

from __future__ import annotations

from collections import namedtuple

from agentrails.checks.deadcode.records import ScopeFacts, Unreachable
from agentrails.engine.cache import memo as plain

ATTRIBUTE = "attribute"
CLASS = "class"
FUNCTION = "function"
IMPORT = "import"
METHOD = "method"
PROPERTY = "property"
VARIABLE = "variable"


class Definition(namedtuple(
    "Definition",
    ("kind", "name", "line", "column", "end_line", "confidence", "decorators", "flags"),
    defaults=((), 0),
)):
    """A definition as vulture records it."""

    __slots__ = ()

    kind: str
    name: str
    line: int
    column: int
    end_line: int
    confidence: int
    decorators: tuple[str, ...]
    flags: int


RECORD_FIELD = 1
"""Flag: a field of a dataclass, attrs, pydantic, NamedTuple or TypedDict class."""
PYTEST = 2
"""Flag: a pytest fixture or hook, or an argument of a test, fixture or hook."""


DEFAULT_MAX_DEPTH = 500
"""Where recursive analysers give up: two Python frames a level hit the recursion limit."""


class DeadCodeFacts(namedtuple(
    "DeadCodeFacts",
    ("defined", "used", "imports", "unreachable", "exported", "complete", "depth", "scope"),
    defaults=((), frozenset(), frozenset(), (), frozenset(), True, 0, None),
)):
    """One module's dead-code facts.

    ``defined`` lists what the module defines (after vulture's per-file ignores and ``# noqa``),
    ``used`` every name it uses, ``imports`` the names its imports bind (they pull in vulture's
    bundled whitelists), ``unreachable`` its dead blocks, ``exported`` the names listed in
    ``__all__`` forms vulture does not read. ``complete`` is False when only the uses are
    known (the file did not parse or was too deep); such a file reports no definitions.
    ``depth`` is how deeply the module's syntax tree nests; ``scope`` the scope-aware
    analysis's facts (None when only the uses are known).

    The collector returns ``facts.cached()``, the plain tuple the cache keeps; ``Cached``
    names its fields again.
    """

    __slots__ = ()
    defined: tuple[Definition, ...]
    used: frozenset[str]
    imports: frozenset[str]
    unreachable: tuple[Unreachable, ...]
    exported: frozenset[str]
    complete: bool
    depth: int
    scope: ScopeFacts | None

    def cached(self) -> tuple:
        """The plain tuple the collector returns and the cache keeps: ``defined`` holds
        ``(names and confidences, records)``, both pickled (see ``may_report`` and
        ``definitions``: only vulture's answer, and 0.2.0's for the phase-in, read them),
        ``used`` a sorted tuple, ``scope`` the plain tuple of ``ScopeFacts`` (or None)."""
        defined: tuple[bytes, bytes] = (b"", b"")
        if self.defined:
            names = tuple(item.name for item in self.defined)
            confidences = tuple(item.confidence for item in self.defined)
            defined = (plain.dumps((names, confidences)),
                       plain.dumps(tuple(tuple(item) for item in self.defined)))
        scope = None if self.scope is None else self.scope.plain()
        return (defined, tuple(sorted(self.used)), self.imports,
                tuple(tuple(block) for block in self.unreachable), self.exported,
                self.complete, self.depth, scope)


class Cached(namedtuple("Cached", (
    "defined", "used", "imports", "unreachable", "exported", "complete", "depth", "scope"
))):
    """A module's facts as the cache keeps them (``DeadCodeFacts.cached``)."""

    __slots__ = ()

    defined: tuple[bytes, bytes]
    used: tuple[str, ...]
    imports: frozenset[str]
    unreachable: tuple[tuple, ...]
    exported: frozenset[str]
    complete: bool
    depth: int
    scope: tuple | None


def may_report(module: Cached, used: set[str], floor: int) -> bool:
    """True when a cached module defines a name used nowhere with a confidence at or above
    ``floor``: only then are its records worth unpacking."""
    summary = plain.loads(module.defined[0]) if module.defined[0] else None
    if not isinstance(summary, tuple) or len(summary) != 2:
        return False
    names, confidences = summary
    if used.issuperset(names):
        return False
    return any(c >= floor for n, c in zip(names, confidences, strict=True) if n not in used)


def definitions(module: Cached) -> tuple[Definition, ...]:
    """The definition records of a cached module (none when they cannot be unpacked)."""
    packed = module.defined[1]
    records = plain.loads(packed) if packed else ()
    if not isinstance(records, tuple):
        return ()
    return tuple(Definition._make(record) for record in records)


def scope_facts(module: Cached) -> ScopeFacts | None:
    """The scope-aware facts of a cached module (None when there are none)."""
    scope = module.scope
    if not isinstance(scope, tuple) or len(scope) != len(ScopeFacts._fields):
        return None
    return ScopeFacts._make(scope)


_SCOPE, _BLOCKS = Cached._fields.index("scope"), Cached._fields.index("unreachable")
_SMART_BLOCKS = ScopeFacts._fields.index("unreachable")


def unreachable(module: object, *, smart: bool) -> list[Unreachable]:
    """A file's dead blocks as the cache keeps them: all of vulture's, or without the
    intentional ones (read by position: AR302 runs this once per file on a warm run)."""
    if not isinstance(module, tuple) or len(module) != len(Cached._fields):
        return []
    if smart:
        scope = module[_SCOPE]
        ok = isinstance(scope, tuple) and len(scope) == len(ScopeFacts._fields)
        blocks = scope[_SMART_BLOCKS] if ok else ()
    else:
        blocks = module[_BLOCKS]
    return [Unreachable._make(block) for block in blocks] if blocks else []
