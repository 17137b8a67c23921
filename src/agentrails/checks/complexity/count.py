"""Cyclomatic complexity as radon 6.0.1 counts it, in one iterative pass over a parsed tree.

A function's complexity is 1 plus the decision points in its body: ``if``/``elif`` and
conditional expressions 1 each, a boolean operation one less than its operands, loops 1 plus
1 for an ``else``, a comprehension 1 plus its ``if`` clauses, a ``try`` its handlers plus 1
for an ``else``, an ``assert`` 1 (its expression not looked into), a ``match`` its cases less
one irrefutable case. Decorators, defaults and annotations of a ``def`` count nowhere; a
nested ``def`` or ``class`` is measured on its own and adds nothing to its parent; a lambda's
body counts in the function around it. Two deliberate differences from radon: ``try`` with
``except*`` counts like ``try``, and every ``case ... if guard`` adds 1.

The walk is a loop over an explicit stack (no recursion), driven by a table from node type to
the fields that can hold a counted node, so contexts, operators, names, constants, patterns
and import aliases are never visited.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

# ASDL field types that can never contain a counted node or a nested scope.
_INERT_TYPES = frozenset({
    "expr_context", "boolop", "operator", "unaryop", "cmpop", "identifier", "string",
    "constant", "int", "type_ignore", "alias", "pattern", "arg",
})
_STATEMENT_TYPES = frozenset({"stmt", "excepthandler", "match_case"})
_SIGNATURE = re.compile(r"^(\w+)\((.*)\)$")
_FIELD = re.compile(r"(\w+)([*?]?) (\w+)")


class FunctionComplexity(NamedTuple):
    """One function or method: qualified name, ``def`` position (1-based) and complexity.

    A named tuple, not a dataclass: thousands of them sit in the cache, and tuples load
    several times faster."""

    name: str
    line: int
    column: int
    complexity: int


@dataclass(frozen=True)
class ComplexityFacts:
    """A module's threshold-independent complexity facts.

    ``functions`` holds every function, method and closure; ``blocks`` the complexities of
    the blocks radon's ``cc_visit`` returns (module functions, classes, their methods), whose
    mean is xenon's module average; ``maintainability`` radon's MI, when it was asked for.
    """

    functions: tuple[FunctionComplexity, ...]
    blocks: tuple[int, ...]
    maintainability: float | None = None


Found = list[ast.stmt]
Weigher = Callable[[ast.AST, Found], int]


def _branch(node: ast.AST, found: Found) -> int:
    return 1


def _bool_op(node: ast.BoolOp, found: Found) -> int:
    return len(node.values) - 1


def _loop(node: ast.For | ast.AsyncFor | ast.While, found: Found) -> int:
    return 2 if node.orelse else 1


def _comprehension(node: ast.comprehension, found: Found) -> int:
    return 1 + len(node.ifs)


def _try(node: ast.Try, found: Found) -> int:
    return len(node.handlers) + (1 if node.orelse else 0)


def _match(node: ast.Match, found: Found) -> int:
    irrefutable = any(
        type(case.pattern) is ast.MatchAs and case.pattern.pattern is None for case in node.cases
    )
    return max(0, len(node.cases) - irrefutable)


def _guard(node: ast.match_case, found: Found) -> int:
    return 0 if node.guard is None else 1


def _scope(node: ast.stmt, found: Found) -> int:
    found.append(node)
    return 0


_WEIGHERS: dict[str, Weigher] = {
    "If": _branch, "IfExp": _branch, "Assert": _branch, "BoolOp": _bool_op,
    "For": _loop, "AsyncFor": _loop, "While": _loop, "comprehension": _comprehension,
    "Try": _try, "TryStar": _try, "Match": _match, "match_case": _guard,
    "FunctionDef": _scope, "AsyncFunctionDef": _scope, "ClassDef": _scope,
}
_OPAQUE = frozenset({"Assert", "FunctionDef", "AsyncFunctionDef", "ClassDef"})
"""Node types whose children are never looked into: counted (or recorded) as a whole."""

Spec = tuple[tuple[str, ...], tuple[str, ...], Weigher | None]


def _node_types() -> Iterable[type[ast.AST]]:
    pending = [ast.AST]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        yield cls


def _fields(cls: type[ast.AST]) -> list[tuple[str, str, bool]] | None:
    """(field, ASDL type, is a list) for a concrete node class, from its ASDL docstring."""
    match = _SIGNATURE.match((cls.__doc__ or "").strip())
    if match is None or match.group(1) != cls.__name__:
        return None
    return [(name, kind, mark == "*") for kind, mark, name in _FIELD.findall(match.group(2))]


def _walked(cls: type[ast.AST], keep: Callable[[str], bool]) -> tuple[tuple[str, ...], ...]:
    """The single-node fields and the list fields of ``cls`` that the walk descends into."""
    if cls.__name__ in _OPAQUE:
        return (), ()
    fields = _fields(cls) or []
    singles = tuple(name for name, kind, is_list in fields if keep(kind) and not is_list)
    lists = tuple(name for name, kind, is_list in fields if keep(kind) and is_list)
    return singles, lists


def _build(keep: Callable[[str], bool], weighers: dict[str, Weigher]) -> dict[type, Spec]:
    """Node type -> (single fields, list fields, weigher), for every type worth a visit."""
    table: dict[type, Spec] = {}
    for cls in _node_types():
        if _fields(cls) is None:
            continue
        singles, lists = _walked(cls, keep)
        weigher = weighers.get(cls.__name__)
        if singles or lists or weigher is not None:
            table[cls] = (singles, lists, weigher)
    return table


COUNTING = _build(lambda kind: kind not in _INERT_TYPES, _WEIGHERS)
"""Every node that may hold a counted node: the walk inside a function or class body."""

STATEMENTS = _build(
    lambda kind: kind in _STATEMENT_TYPES, dict.fromkeys(_OPAQUE - {"Assert"}, _scope)
)
"""Statements only: enough to find the functions and classes of a module's top level."""


def scan(nodes: Iterable[ast.AST], found: Found, table: dict[type, Spec] = COUNTING) -> int:
    """The decision points under ``nodes``, appending each nested def or class to ``found``."""
    total = 0
    stack = list(nodes)
    pop, push, extend, spec_of = stack.pop, stack.append, stack.extend, table.get
    while stack:
        node = pop()
        spec = spec_of(type(node))
        if spec is None:
            continue
        singles, lists, weigher = spec
        if weigher is not None:
            total += weigher(node, found)
        for name in singles:
            push(getattr(node, name))
        for name in lists:
            extend(getattr(node, name))
    return total


class _Collector:
    """Measures every scope of one module without recursion: each ``def`` or ``class`` found
    in a body is queued with its qualified-name prefix and measured in turn."""

    def __init__(self) -> None:
        self.functions: list[FunctionComplexity] = []
        self.pending: list[tuple[ast.stmt, str]] = []

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, prefix: str) -> int:
        found: Found = []
        complexity = 1 + scan(node.body, found)
        name = prefix + node.name
        record = FunctionComplexity(name, node.lineno, node.col_offset + 1, complexity)
        self.functions.append(record)
        self.pending.extend((child, name + ".") for child in found)
        return complexity

    def klass(self, node: ast.ClassDef, prefix: str) -> list[int]:
        """The class's complexity as radon computes it, then its methods' complexities."""
        found: Found = []
        real = 1 + scan(node.body, found)
        name = prefix + node.name + "."
        methods = []
        for child in found:
            if isinstance(child, ast.ClassDef):
                self.pending.append((child, name))
            else:
                methods.append(self.function(child, name))
        real += sum(methods)
        if not methods:
            return [real]
        return [real // len(methods) + (len(methods) > 1), *methods]

    def scope(self, node: ast.stmt, prefix: str) -> list[int]:
        if isinstance(node, ast.ClassDef):
            return self.klass(node, prefix)
        return [self.function(node, prefix)]  # type: ignore[arg-type]


def measure(tree: ast.Module) -> ComplexityFacts:
    """Every function's complexity and the module's radon blocks, from the one parse."""
    collector = _Collector()
    found: Found = []
    scan(tree.body, found, STATEMENTS)
    blocks: list[int] = []
    for node in found:
        blocks.extend(collector.scope(node, ""))
    while collector.pending:
        node, prefix = collector.pending.pop()
        collector.scope(node, prefix)
    functions = sorted(collector.functions, key=lambda f: (f.line, f.column))
    return ComplexityFacts(tuple(functions), tuple(blocks))


def rank(average: float) -> str:
    """radon's letter for a complexity: A up to 5, B to 10, C to 20, D to 30, E to 40, else F."""
    index = max(math.ceil(average / 10.0), 1) - (0 if 5 - average < 0 else 1)
    return "ABCDEF"[min(index, 5)]
