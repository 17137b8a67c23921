"""Small judgements of the scope-aware scan: decorators, classes, stubs, guarded imports.

Decorators are sorted by what they mean for the function below them:

- ``wraps``: a wrapper we know (``functools.lru_cache``, ``contextlib.contextmanager``,
  ``property``, ...): the function is still judged as written;
- ``interface``: ``typing.overload``, ``typing.override``, ``abc.abstractmethod``: the
  signature belongs to an interface;
- ``accessor``: ``@x.setter``, ``@x.getter``, ``@x.deleter`` of a property;
- ``registers``: anything else, which may register the function and call it later (a
  route, a signal receiver, a pytest fixture, a click command).
"""

from __future__ import annotations

import ast

from agentrails.checks.deadcode.records import ENUM, INTERFACE, OPAQUE, RECORD_CLASS
from agentrails.checks.deadcode.vulture.names import decorator_name
from agentrails.checks.deadcode.vulture.smart import RECORD_BASES, RECORD_DECORATORS

WRAPPERS = frozenset({
    "property", "staticmethod", "classmethod", "wraps", "lru_cache", "cache",
    "cached_property", "contextmanager", "asynccontextmanager", "total_ordering", "final",
    "no_type_check", "deprecated", "runtime_checkable", "dataclass", "singledispatch",
    "singledispatchmethod", "unique", "coroutine",
})
INTERFACES = frozenset({
    "overload", "override", "abstractmethod", "abstractproperty", "abstractclassmethod",
    "abstractstaticmethod",
})
ACCESSORS = frozenset({"setter", "getter", "deleter"})
INTERFACE_BASES = frozenset({"Protocol", "ABC"})
ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"})
_KINDS_OF_CLASS = ((INTERFACE_BASES, INTERFACE), (ENUM_BASES, ENUM),
                   (RECORD_BASES | RECORD_DECORATORS, RECORD_CLASS))
"""Base names (and ``@decorator`` names) that make a class an interface, an enum, a record."""
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def decorator_kinds(decorators: list[ast.expr]) -> frozenset[str]:
    """What a definition's decorators mean (see the module docstring); ``property`` and
    ``staticmethod`` are named as such too."""
    kinds: set[str] = set()
    for decorator in decorators:
        dotted = decorator_name(decorator)[1:]
        last = dotted.rpartition(".")[2]
        if last in INTERFACES:
            kinds.add("interface")
        elif last in ACCESSORS and "." in dotted:
            kinds.add("accessor")
        elif last in WRAPPERS or f"@{dotted}" in RECORD_DECORATORS:
            kinds.add("wraps")
            if last in ("property", "cached_property"):
                kinds.add("property")
            elif last == "staticmethod":
                kinds.add("staticmethod")
        else:
            kinds.add("registers")
    return frozenset(kinds)


def class_flags(node: ast.ClassDef, kinds: frozenset[str]) -> int:
    """Interface, enum, record, or opaque (a metaclass or a registering decorator)."""
    flags = OPAQUE if "registers" in kinds else 0
    names = {_last_name(base.value if type(base) is ast.Subscript else base)
             for base in node.bases}
    names.update(decorator_name(d) for d in node.decorator_list)
    for kind, flag in _KINDS_OF_CLASS:
        if names & kind:
            flags |= flag
    for keyword in node.keywords:
        if keyword.arg == "metaclass":
            flags |= INTERFACE if _last_name(keyword.value) == "ABCMeta" else OPAQUE
    return flags


def _last_name(node: ast.expr) -> str:
    """``b`` of ``a.b``, ``a`` of ``a``; ``?`` for anything else."""
    if type(node) is ast.Attribute:
        return node.attr
    return node.id if type(node) is ast.Name else "?"


def is_stub(body: list[ast.stmt]) -> bool:
    """A body that only documents a signature: a docstring, ``...``, ``pass``,
    ``raise NotImplementedError``, or returning a constant (a fallback stub)."""
    for statement in body:
        if type(statement) is ast.Pass:
            continue
        if type(statement) is ast.Return and (
            statement.value is None or type(statement.value) is ast.Constant
        ):
            continue
        if type(statement) is ast.Expr and type(statement.value) is ast.Constant:
            continue  # a docstring or ...
        if type(statement) is ast.Raise and _not_implemented(statement.exc):
            continue
        return False
    return True


def _not_implemented(exc: ast.expr | None) -> bool:
    if type(exc) is ast.Call:
        exc = exc.func
    return type(exc) is ast.Name and exc.id in ("NotImplementedError", "NotImplemented")


def binds_availability(node: ast.Try) -> bool:
    """A ``try`` whose handlers catch ImportError: the imports in its body test whether a
    module is there."""
    for handler in node.handlers:
        caught = handler.type
        if caught is None:
            return True
        names = caught.elts if type(caught) is ast.Tuple else [caught]
        for name in names:
            last = name.attr if type(name) is ast.Attribute else getattr(name, "id", "")
            if last in _IMPORT_ERRORS:
                return True
    return False
