"""Scopes, and the reading of expressions without recursion, for the scope-aware scan.

An expression may nest as deeply as the file parses (a generated table, a long chain of
``+``), so it is read with an explicit stack. Reading notes, in the scope being read:
every name loaded, walrus targets as bindings, calls that make a scope dynamic
(``locals()``, ``eval``); and for the module: references through other modules (``m.x``
for an imported module ``m``, dotted strings), names handed over as values, and the
prefixes of ``getattr`` names built at run time.
"""

from __future__ import annotations

import ast
import re

from agentrails.checks.deadcode.typestrings import dotted_references, type_names

_DYNAMIC = frozenset({"locals", "vars", "eval", "exec"})
_RUNS_STRINGS = frozenset({"exec", "eval", "compile"})
_FRAME_WORDS = frozenset({"f_locals", "show_locals", "tracebacks_show_locals"})
_BY_NAME = frozenset({"getattr", "hasattr", "setattr", "delattr"})
_TYPING_CALLS = frozenset({"cast", "TypeVar", "NewType", "TypeAliasType", "ParamSpec"})
"""Calls whose string arguments are type expressions."""
HANDED, TYPED = 1, 2
_HANDING = frozenset({ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Yield, ast.YieldFrom})
"""Expressions whose parts are handed over as values."""
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


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

    def bind(self, name: str, kind: str, where: ast.AST, statement: ast.AST,
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


class ExpressionReader:
    """Reads expressions into scopes; keeps the module-wide references it finds."""

    def __init__(self, here: str, package: bool = False):
        self.here = here
        self.package = package
        self.aliases: dict[str, str] = {}
        self.refs: set[str] = set()
        self.passed: set[str] = set()
        self.prefixes: set[str] = set()
        self.called: set[str] = set()
        self.words: set[str] = set()
        self.strings: list[str] = []
        self.introspects = False

    @property
    def code_words(self) -> set[str]:
        """Identifiers in the module's strings, when it runs strings as code."""
        if not self.called & _RUNS_STRINGS:
            return set()
        return {word for text in self.strings for word in _IDENTIFIER.findall(text)}

    def dotted_name(self, node: ast.expr) -> str:
        """A base class as a dotted name, through the imports that bound it (``io.RawIOBase``
        for ``from io import RawIOBase``); ``?`` for an expression that is no name."""
        if type(node) is ast.Subscript:
            node = node.value
        parts = []
        while type(node) is ast.Attribute:
            parts.append(node.attr)
            node = node.value
        if type(node) is not ast.Name:
            return "?"
        module = self.aliases.get(node.id)
        head = module.replace("/", ".") if module is not None else node.id
        return ".".join([head, *reversed(parts)])

    # -- imports ---------------------------------------------------------------------------

    def import_references(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> str | None:
        """Note what an import references and the module aliases it binds; the imported
        module's path ("" for a plain ``import``), None for ``__future__``."""
        if type(node) is ast.Import:
            for alias in node.names:
                target = alias.name.replace(".", "/")
                self.aliases[alias.asname or alias.name.partition(".")[0]] = (
                    target if alias.asname else alias.name.partition(".")[0])
                package, _, module = target.rpartition("/")
                if package:
                    self.refs.add(f"{package}:{module}")  # the module is imported
            return ""
        if node.module == "__future__":
            return None
        module = self.resolve(node.module, node.level)
        for alias in node.names:
            self.refs.add(f"{module}:{alias.name}")
            if alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{module}/{alias.name}".lstrip("/")
        return module

    def resolve(self, module: str | None, level: int) -> str:
        """The path of ``from <level dots><module> import`` seen from this module."""
        dotted = (module or "").replace(".", "/")
        if level == 0:
            return dotted
        folder = self.here if self.package else self.here.rpartition("/")[0]
        for _ in range(level - 1):
            folder = folder.rpartition("/")[0]
        return f"{folder}/{dotted}".strip("/") if dotted else folder

    # -- expressions -----------------------------------------------------------------------

    def read_targets(self, targets: ast.AST | list[ast.AST] | None, scope: Scope) -> None:
        """Assignment targets: only their loads are read (``a[i] = x`` reads ``a``, ``i``)."""
        for target in targets if isinstance(targets, list) else [targets]:
            if target is not None and type(target) is not ast.Name:
                self.read(target, scope)

    def read(self, node: ast.AST | None, scope: Scope, passed: bool = False,
             store_reads: bool = False, typed: bool = False) -> None:
        """Read ``node`` and everything below it into ``scope``: ``passed`` when its value is
        handed over, ``typed`` when it is an annotation (its strings are type expressions)."""
        if node is None:
            return
        how = (HANDED if passed else 0) | (TYPED if typed else 0)
        todo: list[tuple[ast.AST, int]] = [(node, how)]
        while todo:
            item, how = todo.pop()
            kind = type(item)
            if kind is ast.Name:
                self._name(item, scope, how & HANDED, store_reads)
            elif kind is ast.Attribute:
                self._attribute(item, how & HANDED)
                todo.append((item.value, how & TYPED))
            elif kind is ast.Constant:
                self._constant(item, scope, how & TYPED)
            elif kind is ast.Call:
                self._call(item, scope, todo, how & TYPED)
            elif kind is ast.NamedExpr:
                scope.bind(item.target.id, "variable", item.target, item)
                todo.append((item.value, HANDED))
            else:
                inner = (how & TYPED) | (HANDED if kind in _HANDING else 0)
                if kind is ast.Subscript:
                    todo.append((item.slice, inner | TYPED))  # List["Forward"]: a type
                    todo.append((item.value, inner))
                else:
                    todo.extend((child, inner) for child in ast.iter_child_nodes(item))

    def _name(self, node: ast.Name, scope: Scope, handed: bool, store_reads: bool) -> None:
        if node.id in _FRAME_WORDS:
            self.introspects = True
        if type(node.ctx) is not ast.Store or store_reads:
            scope.reads.add(node.id)
            if handed:
                self.passed.add(node.id)

    def _attribute(self, node: ast.Attribute, handed: bool) -> None:
        if handed:
            self.passed.add(node.attr)
        if node.attr in _FRAME_WORDS:
            self.introspects = True
        module = self._module_of(node.value)
        if module is not None:
            self.refs.add(f"{module}:{node.attr}")

    def _module_of(self, node: ast.expr) -> str | None:
        """The module path an expression names, if it is an imported module or an
        attribute chain from one."""
        if type(node) is ast.Name:
            return self.aliases.get(node.id)
        if type(node) is ast.Attribute:
            outer = self._module_of(node.value)
            return f"{outer}/{node.attr}" if outer is not None else None
        return None

    def _constant(self, node: ast.Constant, scope: Scope, typed: int) -> None:
        value = node.value
        if type(value) is not str or not value:
            return
        self.strings.append(value)
        if value[0].isalpha() or value[0] == "_":
            if typed:
                scope.reads.update(type_names(value))
            for module, name in dotted_references(value):
                self.refs.add(f"{module}:{name}")
            if _IDENTIFIER.fullmatch(value):
                self.words.add(value)

    def _call(self, node: ast.Call, scope: Scope, todo: list, typed: int) -> None:
        func = node.func
        kind = type(func)
        name = func.id if kind is ast.Name else func.attr if kind is ast.Attribute else ""
        if type(func) is ast.Name:
            self.called.add(name)
            scope.dynamic = scope.dynamic or name in _DYNAMIC
        if name in _BY_NAME and len(node.args) >= 2:
            self._by_name(node.args[0], node.args[1], scope)
        typing = typed or (TYPED if name in _TYPING_CALLS else 0)
        todo.append((func, typed))
        todo.extend((arg, HANDED | typing) for arg in node.args)
        for keyword in node.keywords:
            if keyword.arg in _FRAME_WORDS:
                self.introspects = True
            todo.append((keyword.value, HANDED | typing))

    def _by_name(self, owner: ast.expr, attribute: ast.expr, scope: Scope) -> None:
        """``getattr(x, "name")``: the name is read (through ``x``'s module, if it is one);
        ``getattr(x, f"_on_{event}")``: every name with that prefix may be read."""
        if type(attribute) is ast.Constant and type(attribute.value) is str:
            scope.reads.add(attribute.value)
            module = self._module_of(owner)
            if module is not None:
                self.refs.add(f"{module}:{attribute.value}")
        else:
            prefix = _constant_prefix(attribute)
            if prefix:
                self.prefixes.add(prefix)


def _constant_prefix(node: ast.expr) -> str:
    """The constant start of ``f"_x_{y}"`` or ``"_x_" + y`` (+ ...)."""
    while type(node) is ast.BinOp and type(node.op) is ast.Add:
        node = node.left
    if type(node) is ast.JoinedStr and node.values:
        node = node.values[0]
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return ""
