"""vulture's walk, which also notes what the scope-aware scan needs from expressions.

Reading every expression is the cost of a dead-code analysis, so it is done once: this
walker is ``Walker`` (vulture's definitions and uses, unchanged) plus, per function scope,
the names read directly in it (nested functions have their own; the scan absorbs them),
walrus targets and calls that make a scope dynamic (``locals()``, ``eval``); and for the
module: what it reaches through other modules (``m.x`` for an imported module ``m``,
``getattr(m, "x")``, dotted strings), names handed over as values (callbacks), prefixes of
``getattr`` names built at run time, its strings, and names in strings where types go.
The function body is walked between two ``Step`` markers that switch the current scope.
"""

from __future__ import annotations

import ast
import re

from agentrails.checks.deadcode.program.layout import module_path
from agentrails.checks.deadcode.scan.typestrings import dotted_references, type_names
from agentrails.checks.deadcode.vulture.names import IGNORED_VARIABLES, dotted_parts
from agentrails.checks.deadcode.vulture.walker import CHILD_FIELDS, Step, Walker

_DYNAMIC = frozenset({"locals", "vars", "eval", "exec"})
_RUNS_STRINGS = frozenset({"exec", "eval", "compile"})
_FRAME_WORDS = frozenset({"f_locals", "show_locals", "tracebacks_show_locals"})
"""Words of code that shows frames' locals: a traceback or debugger may read a local."""
_BY_NAME = frozenset({"getattr", "hasattr", "setattr", "delattr"})
_TYPING_CALLS = frozenset({"cast", "TypeVar", "NewType", "TypeAliasType", "ParamSpec"})
"""Calls whose string arguments are type expressions."""
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
MODULE = 0
"""The module's scope key; a function's is ``id`` of its node."""


class ScopedWalker(Walker):
    """``Walker`` plus the expression facts of the scope-aware scan."""

    def __init__(self, path: str, noqa: dict[int, frozenset[str]]):
        super().__init__(path, noqa)
        self.here = module_path(path)
        self.aliases: dict[str, str] = {}
        self.refs: set[str] = set()
        self.passed: set[str] = set()
        self.prefixes: set[str] = set()
        self.called: set[str] = set()
        self.strings: list[str] = []
        self.introspects = False
        self.reads: dict[int, set[str]] = {MODULE: set()}
        self.walrus: dict[int, list[ast.NamedExpr]] = {}
        self.dynamic: set[int] = set()
        self.scope = MODULE
        self.scope_reads = self.reads[MODULE]
        self.dispatch.update({
            ast.Constant: self._constant, ast.NamedExpr: self._walrus,
            ast.Subscript: self._subscript, ast.List: self._display, ast.Tuple: self._display,
            ast.Set: self._display, ast.Dict: self._display, ast.Yield: self._display,
            ast.YieldFrom: self._display, ast.Return: self._display,
        })

    # -- scopes ---------------------------------------------------------------------------

    def _push_function_children(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Children in the field order (arguments, body, decorators, returns), the body
        between a step that enters the function's scope and one that leaves it."""
        stack = self.stack
        outer = self.scope
        if node.returns is not None:
            stack.append(node.returns)
        stack.extend(reversed(node.decorator_list))
        stack.append(Step(lambda: self._enter(outer)))
        stack.extend(reversed(node.body))
        stack.append(Step(lambda: self._enter(id(node))))
        stack.append(node.args)
        self._type_strings(node.returns)

    def _enter(self, key: int) -> None:
        self.scope = key
        reads = self.reads.get(key)
        if reads is None:
            reads = self.reads[key] = set()
        self.scope_reads = reads

    # -- handlers (each calls vulture's own first) -----------------------------------------

    def _name(self, node: ast.Name) -> None:
        if type(node.ctx) is ast.Store:
            Walker._name(self, node)
            return
        name = node.id
        if name not in IGNORED_VARIABLES:  # as Walker._name does for a load
            self.used.add(name)
        self.scope_reads.add(name)

    def _attribute(self, node: ast.Attribute) -> None:
        Walker._attribute(self, node)
        attr = node.attr
        if attr in _FRAME_WORDS:
            self.introspects = True
        module = self._module_of(node.value)
        if module is not None:
            self.refs.add(f"{module}:{attr}")

    def _arg(self, node: ast.arg) -> None:
        Walker._arg(self, node)
        self._type_strings(node.annotation)

    def _assign(self, node: ast.Assign) -> None:
        Walker._assign(self, node)
        self._hand_over(node.value)

    def _annotated(self, node: ast.AnnAssign) -> None:
        Walker._annotated(self, node)
        self._type_strings(node.annotation)

    def _call(self, node: ast.Call) -> None:
        Walker._call(self, node)
        func = node.func
        kind = type(func)
        name = func.id if kind is ast.Name else func.attr if kind is ast.Attribute else ""
        if kind is ast.Name:
            self.called.add(name)
            if name in _DYNAMIC:
                self.dynamic.add(self.scope)
        args = node.args
        if name in _BY_NAME and len(args) >= 2:
            self._by_name(args[0], args[1])
        self._arguments(args, node.keywords)
        if name in _TYPING_CALLS:
            for value in (*args, *(keyword.value for keyword in node.keywords)):
                self._type_strings(value)

    def _arguments(self, args: list[ast.expr], keywords: list[ast.keyword]) -> None:
        """A call's arguments are handed over; ``show_locals=`` shows frames' locals."""
        passed = self.passed
        for arg in args:
            kind = type(arg)
            if kind is ast.Name:
                passed.add(arg.id)
            elif kind is ast.Attribute:
                passed.add(arg.attr)
        for keyword in keywords:
            self._hand_over(keyword.value)
            if keyword.arg in _FRAME_WORDS:
                self.introspects = True

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        Walker._import(self, node)
        if type(node) is ast.Import:
            for alias in node.names:
                target = alias.name.replace(".", "/")
                top = alias.name.partition(".")[0]
                self.aliases[alias.asname or top] = target if alias.asname else top
                package, _, module = target.rpartition("/")
                if package:
                    self.refs.add(f"{package}:{module}")  # the module is imported
            return
        if node.module == "__future__":
            return
        module = self.resolve(node.module, node.level)
        for alias in node.names:
            self.refs.add(f"{module}:{alias.name}")
            if alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{module}/{alias.name}".lstrip("/")

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is str and value:
            self.strings.append(value)
            if "." in value and len(value) < 200:
                for module, name in dotted_references(value):
                    self.refs.add(f"{module}:{name}")

    def _walrus(self, node: ast.NamedExpr) -> None:
        self.walrus.setdefault(self.scope, []).append(node)
        self._hand_over(node.value)
        self._push_children(node)

    def _subscript(self, node: ast.Subscript) -> None:
        """``List["Forward"]``, ``Union["URL", str]``: strings in a subscript are types
        (``d["key"]`` too, which only ever makes a use more)."""
        index = node.slice
        kind = type(index)
        if kind is ast.Constant or kind is ast.Tuple:
            for part in index.elts if kind is ast.Tuple else (index,):
                if type(part) is ast.Constant and type(part.value) is str:
                    self.scope_reads.update(type_names(part.value))
        self._push_children(node)

    def _display(self, node: ast.AST) -> None:
        """The parts of a list, tuple, set, dict or yield are handed over as values."""
        for field in CHILD_FIELDS.get(type(node), ()):
            value = getattr(node, field)
            for item in value if type(value) is list else (value,):
                self._hand_over(item)
        self._push_children(node)

    # -- helpers ----------------------------------------------------------------------------

    def _hand_over(self, value: ast.AST | None) -> None:
        """A name handed over as a value (a callback its receiver calls back)."""
        kind = type(value)
        if kind is ast.Name:
            self.passed.add(value.id)
        elif kind is ast.Attribute:
            self.passed.add(value.attr)

    def _type_strings(self, node: ast.AST | None) -> None:
        """The names in the strings of a type expression are read (small trees only)."""
        todo = [node]
        while todo:
            inner = todo.pop()
            kind = type(inner)
            if kind is ast.Constant:
                if type(inner.value) is str:
                    self.scope_reads.update(type_names(inner.value))
            elif kind is not ast.Name and inner is not None:
                for field in CHILD_FIELDS.get(kind, ()):
                    child = getattr(inner, field)
                    todo.extend(child) if type(child) is list else todo.append(child)

    def _by_name(self, owner: ast.expr, attribute: ast.expr) -> None:
        """``getattr(x, "name")``: the name is read (through ``x``'s module, if it is one);
        ``getattr(x, f"_on_{event}")``: every name with that prefix may be read."""
        if type(attribute) is ast.Constant and type(attribute.value) is str:
            self.scope_reads.add(attribute.value)
            module = self._module_of(owner)
            if module is not None:
                self.refs.add(f"{module}:{attribute.value}")
        else:
            prefix = constant_prefix(attribute)
            if prefix:
                self.prefixes.add(prefix)

    def _module_of(self, node: ast.expr) -> str | None:
        """The module path an expression names: an imported module or an attribute chain
        from one."""
        parts = []
        while type(node) is ast.Attribute:
            parts.append(node.attr)
            node = node.value
        if type(node) is not ast.Name:
            return None
        module = self.aliases.get(node.id)
        if module is None:
            return None
        return "/".join([module, *reversed(parts)])

    def resolve(self, module: str | None, level: int) -> str:
        """The path of ``from <level dots><module> import`` seen from this module."""
        dotted = (module or "").replace(".", "/")
        if level == 0:
            return dotted
        folder = self.here if self.init_file else self.here.rpartition("/")[0]
        for _ in range(level - 1):
            folder = folder.rpartition("/")[0]
        return f"{folder}/{dotted}".strip("/") if dotted else folder

    def dotted_name(self, node: ast.expr) -> str:
        """A base class as a dotted name, through the imports that bound it (``io.RawIOBase``
        for ``from io import RawIOBase``); ``?`` for an expression that is no name."""
        parts = dotted_parts(node.value if type(node) is ast.Subscript else node)
        if parts is None:
            return "?"
        module = self.aliases.get(parts[0])
        if module is not None:
            parts[0] = module.replace("/", ".")
        return ".".join(parts)

    @property
    def code_words(self) -> set[str]:
        """Identifiers in the module's strings, when it runs strings as code."""
        if not self.called & _RUNS_STRINGS:
            return set()
        return {word for text in self.strings for word in _IDENTIFIER.findall(text)}

    @property
    def words(self) -> set[str]:
        """The module's strings that are identifiers."""
        return {text for text in self.strings if _IDENTIFIER.fullmatch(text)}


def constant_prefix(node: ast.expr) -> str:
    """The constant start of ``f"_x_{y}"`` or ``"_x_" + y`` (+ ...)."""
    while type(node) is ast.BinOp and type(node.op) is ast.Add:
        node = node.left
    if type(node) is ast.JoinedStr and node.values:
        node = node.values[0]
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return ""

