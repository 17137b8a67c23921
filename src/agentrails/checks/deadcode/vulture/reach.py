"""Unreachable code as vulture 2.16 finds it (AR302), from statement lists alone.

A statement "falls through" unless it is ``return``/``raise``/``break``/``continue``, an
``if`` whose taken branches all stop, a ``while`` whose condition is always true and whose
body has no ``break`` for it, or a ``try`` whose body and every handler stop. Only the
bodies vulture examines are examined: module, function, ``with`` and loop bodies, the
branches of ``if``, and the body and handlers of ``try`` (handlers until the first that
falls through). Conditions count as constant when ``ast.literal_eval`` can read them, with
``and``/``or``/``not`` combining known and unknown parts.
"""

from __future__ import annotations

import ast
from typing import Any

from agentrails.checks.deadcode.records import Unreachable
from agentrails.checks.deadcode.vulture.names import ALL_CODES, CODES

_STOPS = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_LITERALS = (ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Call, ast.UnaryOp, ast.BinOp)
_OWN_LOOP_OR_SCOPE = (
    ast.While, ast.For, ast.AsyncFor, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
)
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def truth(node: ast.expr, *, unknown: bool) -> Any:
    """The value of a constant condition, with ``unknown`` standing in for what is not."""
    kind = type(node)
    if kind is ast.BoolOp:
        results = [truth(value, unknown=unknown) for value in node.values]
        return all(results) if type(node.op) is ast.And else any(results)
    if kind is ast.UnaryOp and type(node.op) is ast.Not:
        return not truth(node.operand, unknown=not unknown)
    if kind is ast.Constant:
        return node.value
    if kind not in _LITERALS:
        return unknown
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError):
        return unknown


def always_false(node: ast.expr) -> bool:
    """False whatever the unknown parts are."""
    return not truth(node, unknown=True)


def always_true(node: ast.expr) -> bool:
    """True whatever the unknown parts are."""
    return bool(truth(node, unknown=False))


def has_break(statements: list[ast.AST]) -> bool:
    """A ``break`` that leaves the enclosing loop (nested loops and scopes do not count)."""
    for statement in statements:
        if type(statement) is ast.Break:
            return True
        if isinstance(statement, _OWN_LOOP_OR_SCOPE):
            continue
        for field in _STATEMENT_LISTS:
            inner = getattr(statement, field, None)
            if inner and has_break(inner):
                return True
    return False


def first_line(node: ast.AST) -> int:
    """The first line as vulture reports it: the first decorator's, if any."""
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


class Reachability:
    """Collects the unreachable blocks of one module, ``# noqa`` applied."""

    def __init__(self, noqa: dict[int, frozenset[str]]):
        self.noqa = noqa
        self.found: list[Unreachable] = []
        self._compound = {
            ast.If: self._if, ast.While: self._while, ast.Try: self._try,
            ast.FunctionDef: self._scope, ast.AsyncFunctionDef: self._scope,
            ast.With: self._scope, ast.AsyncWith: self._scope, ast.For: self._loop,
            ast.AsyncFor: self._loop, ast.ClassDef: self._unexamined,
            ast.TryStar: self._unexamined, ast.Match: self._unexamined,
        }

    def report(self, name: str, first: ast.AST, last: ast.AST, *, message: str) -> None:
        """One unreachable block from ``first`` to ``last``, unless ``# noqa`` hides it."""
        line = first_line(first)
        codes = self.noqa.get(line)
        if codes is not None and (ALL_CODES in codes or CODES["unreachable"] in codes):
            return
        self.found.append(Unreachable(name, message, line, first.col_offset + 1,
                                      last.end_lineno or line))

    def module(self, tree: ast.Module) -> None:
        """Examine a module's body and everything inside it."""
        self.body(tree.body)

    def ternary(self, node: ast.IfExp) -> None:
        """A conditional expression with a constant condition."""
        if always_false(node.test):
            self.report("ternary", node, node.body, message="unsatisfiable 'ternary' condition")
        elif always_true(node.test):
            self.report("ternary", node.orelse, node.orelse,
                        message="unreachable 'else' expression")

    def body(self, statements: list[ast.stmt]) -> bool:
        """Examine a body: report what follows its first stop; True if it falls through."""
        flows = [self.statement(statement) for statement in statements]
        if all(flows):
            return True
        stop = flows.index(False)
        if stop + 1 < len(statements):
            kind = type(statements[stop]).__name__.lower()
            self.report(kind, statements[stop + 1], statements[-1],
                        message=f"unreachable code after '{kind}'")
        return False

    def visit(self, statements: list[ast.stmt]) -> None:
        """Look inside statements without examining the list itself."""
        for statement in statements:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> bool:
        """True if control can fall through ``node``."""
        if isinstance(node, _STOPS):
            return False
        handler = self._compound.get(type(node))
        return True if handler is None else handler(node)

    def _scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.With) -> bool:
        self.body(node.body)
        return True

    def _loop(self, node: ast.For | ast.AsyncFor) -> bool:
        self.body(node.body)
        self.visit(node.orelse)
        return True

    def _unexamined(self, node: ast.ClassDef | ast.TryStar | ast.Match) -> bool:
        for field in _STATEMENT_LISTS:
            for inner in getattr(node, field, None) or ():
                if isinstance(inner, ast.stmt):
                    self.statement(inner)
                else:
                    self.visit(inner.body)
        return True

    def _if(self, node: ast.If) -> bool:
        test, orelse = node.test, node.orelse
        if always_false(test):
            self.report("if", node, node.body[-1], message="unsatisfiable 'if' condition")
            self.visit(node.body)
            self._else(orelse, condition_true=False)
            return True
        if not always_true(test):
            return self.body(node.body) | self._else(orelse, condition_true=False)
        flows = self.body(node.body) | self._else(orelse, condition_true=True)
        if orelse:
            self.report("else", orelse[0], orelse[-1], message="unreachable 'else' block")
        else:
            self.report("if", node, node, message="redundant if-condition")
        return flows

    def _else(self, orelse: list[ast.stmt], *, condition_true: bool) -> bool:
        if not orelse:
            return not condition_true
        return self.body(orelse)

    def _while(self, node: ast.While) -> bool:
        endless = False
        if always_false(node.test):
            self.report("while", node, node.body[-1], message="unsatisfiable 'while' condition")
        elif always_true(node.test):
            if node.orelse:
                self.report("else", node.orelse[0], node.orelse[-1],
                            message="unreachable 'else' block")
            endless = not has_break(node.body)
        self.body(node.body)
        self.visit(node.orelse)
        return not endless

    def _try(self, node: ast.Try) -> bool:
        body_flows = self.body(node.body)
        if not body_flows and node.orelse:
            self.report("else", node.orelse[0], node.orelse[-1], message="unreachable 'else' block")
        handler_flows = False
        for handler in node.handlers:
            if handler_flows:
                self.visit(handler.body)
            else:
                handler_flows = self.body(handler.body)
        self.visit(node.orelse)
        self.visit(node.finalbody)
        return body_flows or handler_flows

