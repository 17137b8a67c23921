"""A scope of the scope-aware scan: what it binds, and what is read in it or below it."""

from __future__ import annotations

import ast


class Scope:
    """A module, class or function scope: what it binds and what is read in it (or in a
    scope nested in it)."""

    __slots__ = ("kind", "parent", "bindings", "reads", "declared", "dynamic", "self_name",
                 "class_name", "class_flags")

    def __init__(self, kind: str, parent: Scope | None = None):
        self.kind = kind
        self.parent = parent
        self.bindings: list[tuple[str, str, ast.AST, ast.AST, int]] = []
        self.reads: set[str] = set()
        self.declared: set[str] = set()
        self.dynamic = False
        self.self_name: str | None = None
        self.class_name = ""
        self.class_flags = 0

    def bind(self, name: str, kind: str, where: ast.AST, *, statement: ast.AST,
             flags: int = 0) -> None:
        """``name`` is bound here (``where`` is the node to report)."""
        self.bindings.append((name, kind, where, statement, flags))

    def unread(self) -> list[tuple[str, str, ast.AST, ast.AST, int]]:
        """The bindings whose name nothing reads."""
        return [binding for binding in self.bindings if binding[0] not in self.reads]

    def absorb(self, inner: Scope) -> None:
        """A nested scope's reads count here too (closures, class bodies)."""
        self.reads |= inner.reads

    def enter_method(self, node: ast.FunctionDef | ast.AsyncFunctionDef, class_name: str,
                     class_flags: int) -> None:
        """A method: its first parameter is the instance (unless a static method)."""
        positional = [*node.args.posonlyargs, *node.args.args]
        static = any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)
        self.self_name = positional[0].arg if positional and not static else None
        self.class_name = class_name
        self.class_flags = class_flags

    def inherit_method(self, outer: Scope) -> None:
        """A function nested in a method sees the method's instance."""
        self.self_name = outer.self_name
        self.class_name = outer.class_name
        self.class_flags = outer.class_flags
