"""The scope-aware join: each module's candidates judged against the whole program.

Confidence follows evidence (``agentrails rule AR301`` prints the tiers):

- 100, certain: unused within its own scope (a local, a nested definition, an import its
  module never uses and no module imports from it, a private module-level name nobody
  reaches, a parameter no caller can need), and unreachable code;
- 90: a private member (``_x``) of a class whose bases are all known, used nowhere;
- 70, likely: a public definition outside a library's API that the program never uses;
- 60, possible: what a framework may reach behind the code's back: members of classes with
  bases we cannot see, record fields and enum members, definitions under a decorator that
  may register them, imports of a module that re-exports most of what it imports.

Library API (public names in a library's public modules, public members of its public
classes) is never a finding. The indexes over the whole program (references, handed-over
names, classes) are built once per run and only when a candidate needs them.
"""

from __future__ import annotations

import builtins
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache, cached_property, lru_cache

from agentrails.checks.deadcode.facts import Cached, scope_facts
from agentrails.checks.deadcode.program.layout import Layout, module_path
from agentrails.checks.deadcode.records import (
    BASES,
    DECORATED,
    ENUM,
    IMPORT,
    IN_TEST,
    INTERFACE,
    INTROSPECTED,
    LOCAL,
    MEMBER,
    METHOD,
    NESTED,
    OPAQUE,
    PARAM,
    PRIVATE,
    PRIVATE_OWNER,
    PUBLIC,
    RECORD,
    RECORD_CLASS,
    TEST_INPUT,
    Candidate,
    ClassInfo,
    lines,
)

CERTAIN, PRIVATE_MEMBER, LIKELY, POSSIBLE = 100, 90, 70, 60
INERT_BASES = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type)
) | frozenset({
    "Generic", "NamedTuple", "TypedDict", "Protocol", "ABC", "Enum", "IntEnum", "StrEnum",
    "Flag", "IntFlag", "Mapping", "MutableMapping", "Sequence", "MutableSequence", "Set",
    "MutableSet", "Iterable", "Iterator", "Callable", "Hashable", "Sized", "Container",
})
"""Bases that run nothing when a class is defined and read no member by name."""


class Program:
    """The whole program's indexes, each built on first use."""

    def __init__(self, found: Mapping[str, Cached], used: set[str], layout: Layout):
        self.scopes = {path: scope_facts(module) for path, module in found.items()
                       if module.complete and module.scope is not None}
        self.code_words = self._names("code_words")
        self.used = used | self.code_words if self.code_words else used
        self.layout = layout
        self.unseen: frozenset[str] = frozenset().union(
            *(module.used for module in found.values() if not module.complete))
        """The words of the modules that could not be analysed (a syntax error, too deep):
        a name one of them mentions may be used there."""
        self._inert: dict[str, bool] = {}
        self._flags: dict[str, int] = {}

    def _joined(self, field: str) -> str:
        """One field of every module's facts (a name a line), as one text."""
        return "\n".join(filter(None, (getattr(scope, field) for scope in self.scopes.values())))

    def _names(self, field: str) -> frozenset[str]:
        return frozenset(lines(self._joined(field)))

    @cached_property
    def refs(self) -> frozenset[str]:
        """``module:name`` for everything some module reaches through a module (and the
        entry points)."""
        return self._names("refs") | self.layout.entry_points

    @cached_property
    def passed(self) -> frozenset[str]:
        return self._names("passed")

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(self._names("prefixes"))

    @cached_property
    def method_counts(self) -> Counter[str]:
        return Counter(lines(self._joined("methods")))

    @cached_property
    def classes(self) -> dict[str, list[ClassInfo]]:
        """Class name -> its definitions, as plain ``ClassInfo`` rows (name, bases, flags)."""
        table: dict[str, list[ClassInfo]] = {}
        for scope in self.scopes.values():
            for row in scope.classes:
                table.setdefault(row[0], []).append(row)
        return table

    @cached_property
    def closed(self) -> frozenset[str]:
        """The modules that define ``__all__`` (a star import takes only those names)."""
        return frozenset(module_path(path) for path, scope in self.scopes.items()
                         if scope.closed)

    @cached_property
    def targets(self) -> frozenset[str]:
        """Every module (or module attribute) some module reaches, as a path."""
        found = set()
        for ref in self.refs:
            module, _, name = ref.rpartition(":")
            found.add(module)
            found.add(f"{module}/{name}")
        return frozenset(found)

    def referenced(self, module: str, name: str) -> bool:
        """Some module reaches ``name`` through ``module`` (an import from it, ``m.name``,
        a dotted string, a star import of a public name, an entry point): through the
        module's path or any tail of it (``pkg/mod`` for ``src/pkg/mod``)."""
        refs = self.refs
        tails = _tails(module)
        if any(f"{tail}:{name}" in refs for tail in tails):
            return True
        if name.startswith("_") or module in self.closed:
            return False
        return any(f"{tail}:*" in refs for tail in tails)

    def imported(self, module: str) -> bool:
        """Some module imports ``module`` (by any of its dotted tails)."""
        return not self.targets.isdisjoint(_tails(module))

    def inert(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Defining a class of that name runs nothing we cannot see: every base is a class
        of the project that is inert too, a builtin, or a standard-library class, and no
        metaclass or registering decorator is involved."""
        if name in self._inert:
            return self._inert[name]
        definitions = self.classes.get(name)
        if definitions is None or name in seen:
            return name in INERT_BASES
        result = all(
            not info[2] & OPAQUE and all(self._inert_base(base, seen | {name})
                                         for base in info[1])
            for info in definitions
        )
        self._inert[name] = result
        return result

    def _inert_base(self, base: str, seen: frozenset[str]) -> bool:
        module, _, last = base.rpartition(".")
        if _standard(module):
            return known_class(base) is not None
        return self.inert(last, seen) if last in self.classes else last in INERT_BASES

    def bases_define(self, name: str, member: str,
                     seen: frozenset[str] = frozenset()) -> bool | None:
        """Whether a base outside the project defines ``member`` (the class overrides it):
        None when some base cannot be seen (a third-party class, a metaclass)."""
        found = False
        for info in self.classes.get(name, ()):
            if info[2] & OPAQUE:
                return None
            for base in info[1]:
                answer = self._base_defines(base, member, seen | {name})
                if answer is None:
                    return None
                found = found or answer
        return found

    def _base_defines(self, base: str, member: str, seen: frozenset[str]) -> bool | None:
        module, _, last = base.rpartition(".")
        if not _standard(module) and last in self.classes:
            return False if last in seen else self.bases_define(last, member, seen)
        klass = known_class(base)
        return None if klass is None else hasattr(klass, member)

    def class_flags(self, name: str, seen: frozenset[str] = frozenset()) -> int:
        """A class's flags with those of its project ancestors."""
        if name in self._flags:
            return self._flags[name]
        flags = 0
        for info in self.classes.get(name, ()):
            flags |= info[2]
            for base in info[1]:
                if base in self.classes and base not in seen:
                    flags |= self.class_flags(base, seen | {name})
        self._flags[name] = flags
        return flags

    def used_by_prefix(self, name: str) -> bool:
        return any(name.startswith(prefix) for prefix in self.prefixes)


@lru_cache(maxsize=4096)
def _tails(module: str) -> frozenset[str]:
    """``a/b/c``, ``b/c`` and ``c``."""
    parts = module.split("/")
    return frozenset("/".join(parts[start:]) for start in range(len(parts)))


def _standard(module: str) -> bool:
    """A module of the standard library (``io``, ``os.path``)."""
    return bool(module) and module.partition(".")[0] in sys.stdlib_module_names


@cache
def known_class(dotted: str) -> type | None:
    """The builtin, typing or standard-library class a dotted base names, if it is one."""
    import importlib

    module, _, name = dotted.rpartition(".")
    if not module:
        found = getattr(builtins, name, None)
        if isinstance(found, type) or name not in INERT_BASES:
            return found if isinstance(found, type) else None
        homes = ("typing", "collections.abc", "enum", "abc")
        return next((getattr(importlib.import_module(home), name) for home in homes
                     if isinstance(getattr(importlib.import_module(home), name, None), type)),
                    None)
    if not _standard(module):
        return None
    try:
        found = getattr(importlib.import_module(module), name, None)
    except Exception:  # noqa: BLE001 - a module that does not import here is not known
        return None
    return found if isinstance(found, type) else None


def judged(program: Program, floor: int) -> Iterator[tuple[str, Candidate, int]]:
    """(path, candidate, confidence) for every finding at or above ``floor``."""
    used = program.used
    library = program.layout.library
    for path, scope in program.scopes.items():
        candidates = []
        if scope.local or not used.issuperset(scope.names):
            candidates = _unpack(scope.packed, used)
        if not library and scope.api:
            candidates += _unpack(scope.api, used)  # a library's API is never unpacked
        if not candidates:
            continue
        reexports = _reexport_groups(program, path, candidates)
        for candidate in candidates:
            tier = _tier(program, path, candidate, reexports=reexports)
            if tier is not None and tier >= floor:
                yield path, candidate, tier


_BY_NAME_ONLY = frozenset({MEMBER, PUBLIC})
_RULE, _NAME = Candidate._fields.index("rule"), Candidate._fields.index("name")


def _unpack(packed: bytes, used: set[str]) -> list[Candidate]:
    """The candidates of a packed blob, but for the members and public names the program
    uses (most of them), which are dropped before they are built."""
    from agentrails.engine.cache import memo as plain

    rows = plain.loads(packed) if packed else ()
    if not isinstance(rows, tuple):
        return []
    return [Candidate._make(row) for row in rows
            if not (row[_RULE] in _BY_NAME_ONLY and row[_NAME] in used)]


def _reexport_groups(program: Program, path: str,
                     candidates: list[Candidate]) -> frozenset[int] | None:
    """The import statements whose unused names are presumed re-exports: a statement
    other modules import a sibling name from, or every statement of a module that
    re-exports at least as many of its unused imports as it leaves unused (None)."""
    imports = [c for c in candidates if c.rule == IMPORT]
    if not imports:
        return frozenset()
    module = module_path(path)
    reexported = [c for c in imports if program.referenced(module, c.name)]
    if reexported and 2 * len(reexported) >= len(imports):
        return None
    return frozenset(c.group for c in reexported)


def _tier(program: Program, path: str, candidate: Candidate,
          *, reexports: frozenset[int] | None) -> int | None:
    rule = candidate.rule
    if rule == LOCAL:
        return _local_tier(candidate)
    if _mentioned_unseen(program, candidate):
        return None
    judge = _JUDGES.get(rule)
    if judge is not None:
        return judge(program, path, candidate)
    if rule == PUBLIC and program.layout.api(path):
        return None  # a library's API
    if program.referenced(module_path(path), candidate.name):
        return None
    if rule == IMPORT:
        return POSSIBLE if reexports is None or candidate.group in reexports else CERTAIN
    return _module_name_tier(program, path, candidate, private=rule == PRIVATE)


def _mentioned_unseen(program: Program, candidate: Candidate) -> bool:
    """A module that could not be analysed mentions the name (for a parameter, its
    function's): its one use may be there, so nothing outside a local scope is certain."""
    if not program.unseen:
        return False
    name = candidate.owner.rpartition(".")[2] if candidate.rule == PARAM else candidate.name
    return name in program.unseen


def _local_tier(candidate: Candidate) -> int:
    if candidate.kind == "class" and candidate.flags & BASES:
        return POSSIBLE  # defining it runs its bases' machinery (often what a test checks)
    if candidate.flags & INTROSPECTED:
        return POSSIBLE  # the module shows frames' locals
    return CERTAIN


def _module_name_tier(program: Program, path: str, candidate: Candidate,
                      *, private: bool) -> int | None:
    layout = program.layout
    if layout.sphinx_conf(path) or candidate.name in program.code_words:
        return None
    if not private and (candidate.name in program.used or layout.api(path)):
        return None
    if _possible_only(program, path, candidate, private=private):
        return POSSIBLE
    if private:
        return CERTAIN
    return POSSIBLE if candidate.kind == "variable" else LIKELY  # data modules are read by name


def _possible_only(program: Program, path: str, candidate: Candidate, *, private: bool) -> bool:
    """A module-level name something may reach behind the code's back: one under a
    registering decorator, a class whose definition runs machinery (a metaclass, a class
    decorator, a test's point), a public name of a test module nobody imports (an input,
    such as a type-check example)."""
    flags = candidate.flags
    if flags & DECORATED:
        return True
    if candidate.kind == "class" and flags & BASES:
        return bool(flags & IN_TEST) or not program.inert(candidate.name)
    return bool(flags & IN_TEST) and not private and _input_module(program, path)


def _input_module(program: Program, path: str) -> bool:
    name = path.rpartition("/")[2]
    if name.startswith("test") or name.endswith("_test.py") or name == "conftest.py":
        return False
    return not program.imported(module_path(path))


def _member_tier(program: Program, path: str, candidate: Candidate) -> int | None:
    name = candidate.name
    if name in program.used or program.used_by_prefix(name):
        return None
    owner = candidate.owner
    if _api_member(program.layout, path, candidate):
        return None  # a public member of a public class of a library: API
    if program.class_flags(owner) & (RECORD_CLASS | ENUM | INTERFACE | OPAQUE) or (
            candidate.flags & (RECORD | DECORATED | TEST_INPUT)):
        return POSSIBLE
    seen = program.bases_define(owner, name)
    if seen is None:
        return POSSIBLE  # a base we cannot see may read or override it
    if seen:
        return None  # it overrides a member of a standard-library base
    return PRIVATE_MEMBER if name.startswith("_") else LIKELY


def _api_member(layout: Layout, path: str, candidate: Candidate) -> bool:
    if not layout.library or candidate.flags & PRIVATE_OWNER or candidate.name.startswith("_"):
        return False
    return layout.published(path)


def _param_tier(program: Program, path: str, candidate: Candidate) -> int | None:
    owner = candidate.owner
    function = owner.rpartition(".")[2]
    flags = candidate.flags
    layout = program.layout
    if layout.library and layout.published(path) and not flags & (PRIVATE_OWNER | NESTED):
        return None  # part of a public signature of a library
    if function in program.passed:
        return None  # handed over as a callback: its caller fixes the signature
    if flags & METHOD:
        klass = owner.partition(".")[0]
        if program.class_flags(klass) & (INTERFACE | OPAQUE) or not program.inert(klass):
            return None
        if program.method_counts[function] > 1:
            return None  # another class defines it too: an override, or overridden
    return CERTAIN


_JUDGES = {MEMBER: _member_tier, PARAM: _param_tier}
"""The rules whose tier a judge of their own decides (after the unseen modules' words)."""
