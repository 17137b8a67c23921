"""The records of the scope-aware analysis: a candidate finding and a module's facts.

``collect`` builds them once per file; the cache keeps them as plain tuples (a named tuple
pickles as its class, which the cache's loader refuses), so ``ScopeFacts.plain`` and
``Candidate`` rebuild them by field name where the join needs them.
"""

from __future__ import annotations

from collections import namedtuple

# What decides a candidate in the whole-program join (``Candidate.rule``).
LOCAL = "local"
"""Unused within its function (a local, a nested definition, a function-level import):
certain from the file alone."""
IMPORT = "import"
"""A module-level import its module never uses: dead unless another module imports it
from here (a re-export)."""
PRIVATE = "private"
"""A private (``_x``) module-level name its module never uses: dead unless another module
reaches it by its module (``from m import _x``, ``m._x``, a dotted string)."""
PUBLIC = "public"
"""A public module-level name its module never uses: dead unless any module uses the name;
library API when its module is published."""
MEMBER = "member"
"""A class member: dead when no module uses the name anywhere (attributes are matched by
name, as their types are unknown)."""
PARAM = "param"
"""A parameter its function never reads: a finding only when nothing forces the signature."""

# Candidate flags.
DECORATED = 1
"""Under a decorator that may register it (not one of the wrappers we know)."""
RECORD = 2
"""A field of a record class (dataclass, attrs, NamedTuple, TypedDict, pydantic) or an
enum member: data read by its class's machinery."""
METHOD = 4
"""A parameter of a method (``owner`` is the class)."""
PRIVATE_OWNER = 8
"""A member or parameter whose function or class is private."""
IN_TEST = 16
"""Defined in a test module."""
NESTED = 32
"""A parameter of a function nested in another function."""
BASES = 64
"""A class with bases or decorators: defining it runs their machinery (a metaclass,
``__init_subclass__``, a class decorator)."""
TEST_INPUT = 128
"""A member of a class a test defines inside a function: input for the code under test,
which may look its members up by introspection."""
INTROSPECTED = 256
"""A local of a module that shows frames' locals (``show_locals``, ``f_locals``): a
traceback or debugger may read it."""

# Class flags (``ScopeFacts.classes``).
INTERFACE = 1
"""A Protocol or an abstract base class: its methods are signatures to implement."""
ENUM = 2
RECORD_CLASS = 4
OPAQUE = 8
"""A metaclass or decorator we do not know: it may read or register anything."""


class Candidate(namedtuple(
    "Candidate",
    ("kind", "name", "line", "column", "rule", "owner", "group", "flags", "decorators"),
    defaults=("", 0, 0, ()),
)):
    """Something a module defines and never uses itself."""

    __slots__ = ()

    kind: str
    """What it is in the message: import, variable, argument, function, class, method,
    property or attribute."""
    name: str
    line: int
    column: int
    rule: str
    owner: str
    """The class of a member, the function of a parameter (``Class.method`` for a method)."""
    group: int
    """For an import, the line of its statement (its siblings share it)."""
    flags: int
    decorators: tuple[str, ...]
    """``@a.b`` for each decorator of a decorated definition."""


class ClassInfo(namedtuple(
    "ClassInfo", ("name", "bases", "flags")
)):
    """A class as the join needs it: its name, the names of its bases (the last part of a
    dotted base; ``?`` for one that is not a name) and its class flags."""

    __slots__ = ()

    name: str
    bases: tuple[str, ...]
    flags: int


class Unreachable(namedtuple(
    "Unreachable", ("name", "message", "line", "column", "end_line")
)):
    """A block of code that can never run."""

    __slots__ = ()

    name: str
    message: str
    line: int
    column: int
    end_line: int


class ScopeFacts(namedtuple(
    "ScopeFacts",
    ("refs", "passed", "classes", "methods", "prefixes", "code_words", "closed", "names", "local",
     "packed", "api", "unreachable"),
    defaults=("", "", (), "", "", "", False, (), 0, b"", b"", ()),
)):
    """One module's facts for the scope-aware analysis. Lists of names are kept as one
    string, a name a line (``lines``): one object loads faster than thousands."""

    __slots__ = ()

    refs: str
    """``module:name`` for everything the module reaches through another module (imports,
    ``module.attribute``, dotted strings), the module as a ``/``-separated path."""
    passed: str
    """Names handed over as values (arguments, assignments, displays, returns): a
    function named so may be a callback whose signature its caller fixes."""
    classes: tuple[ClassInfo, ...]
    methods: str
    """The name of every method, once per class that defines it."""
    prefixes: str
    """Constant prefixes of ``getattr`` names built at run time (``f"_process_{x}"``)."""
    code_words: str
    """Identifiers in the strings of a module that runs code from strings (``exec``,
    ``eval``, ``compile``): the code it generates may use them."""
    closed: bool
    """The module defines ``__all__``: a star import takes only those names."""
    names: tuple[str, ...]
    """The names of the member and public candidates in ``packed``: when the program uses
    them all and ``local`` is 0, the records need not be unpacked."""
    local: int
    """How many candidates in ``packed`` the join judges whatever the program uses
    (locals, imports, private names, parameters)."""
    packed: bytes
    """The candidates (``Candidate`` rows), pickled, but for the API ones."""
    api: bytes
    """The candidates that are API if the project is a library (public names of a public
    module, public members of public classes and the parameters of public functions and
    methods, in a published module), pickled apart: a library's join never unpacks them."""
    unreachable: tuple[Unreachable, ...]
    """Dead blocks, without the intentional ones (a generator's ``yield`` after ``raise``,
    ``# pragma: no cover``)."""

    def plain(self) -> tuple:
        """The plain tuple the cache keeps."""
        return (self.refs, self.passed, tuple(tuple(c) for c in self.classes), self.methods,
                self.prefixes, self.code_words, self.closed, self.names, self.local,
                self.packed, self.api, tuple(tuple(u) for u in self.unreachable))


def lines(text: str) -> list[str]:
    """The names a ``ScopeFacts`` string holds, a name a line."""
    return text.split("\n") if text else []
