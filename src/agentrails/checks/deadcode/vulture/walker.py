"""One iterative pass over a module: what it defines and what it uses, as vulture counts them.

The walk is pre-order with an explicit stack, children pushed so that they pop in the AST's
field order. For two definitions on one line that vulture would merge (an argument and a
walrus target of the same name), the first seen wins, as in vulture's post-order visit.
No recursion: a file of any depth that parsed can be walked.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from agentrails.checks.deadcode.facts import (
    ATTRIBUTE,
    CLASS,
    FUNCTION,
    IMPORT,
    METHOD,
    PROPERTY,
    PYTEST,
    RECORD_FIELD,
    VARIABLE,
    Definition,
)
from agentrails.checks.deadcode.vulture import smart
from agentrails.checks.deadcode.vulture.names import (
    ALL_CODES,
    CODES,
    IGNORED_VARIABLES,
    decorator_name,
    format_names,
    ignored_function,
    ignored_method,
    ignored_variable,
    is_locals_call,
    is_test_file,
    percent_names,
)

_SCALAR_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "module", "level", "is_async",
    "conversion", "kind", "type_comment", "tag", "rest", "simple", "kwd_attrs", "type_ignores",
})
_SCALAR_BY_CLASS = {ast.Constant: {"value"}, ast.MatchSingleton: {"value"},
                    ast.Global: {"names"}, ast.Nonlocal: {"names"}}
_NODE_BY_CLASS_NAME = {"TypeAlias": {"name"}}
"""Fields named like scalars that hold a node (``type X = ...`` binds a ``Name``; 3.12+)."""


def _child_fields() -> dict[type, tuple[str, ...]]:
    """Per node class, the fields that may hold child nodes, last field first."""
    table: dict[type, tuple[str, ...]] = {}
    for value in vars(ast).values():
        if isinstance(value, type) and issubclass(value, ast.AST):
            skip = (_SCALAR_FIELDS - _NODE_BY_CLASS_NAME.get(value.__name__, set())) | (
                _SCALAR_BY_CLASS.get(value, set())
            )
            table[value] = tuple(reversed([f for f in value._fields if f not in skip]))
    return table


CHILD_FIELDS = _child_fields()
_STORE, _LOAD = ast.Store, ast.Load
_STRING_SEQUENCES = (ast.List, ast.Tuple)


def string_items(node: ast.expr | None) -> list[str]:
    """String constants of a list or tuple display, or of such displays added together."""
    found: list[str] = []
    todo = [node]
    while todo:
        item = todo.pop()
        if type(item) in _STRING_SEQUENCES:
            todo.extend(reversed(item.elts))
        elif type(item) is ast.BinOp and type(item.op) is ast.Add:
            todo.extend((item.right, item.left))
        elif type(item) is ast.Constant and type(item.value) is str:
            found.append(item.value)
    return found


def _bound_name(alias: ast.alias) -> str:
    """The name an import binds: its alias, else the top-level module (``os`` of ``os.path``)."""
    return alias.asname or alias.name.partition(".")[0]


def _names_all(targets: list[ast.expr]) -> bool:
    return any(type(t) is ast.Name and t.id == "__all__" for t in targets)


_UP = object()
"""Pushed below a node's children: popping it means the walk climbs back one level."""


class Step:
    """An action pushed among the nodes: popping it runs it (a subclass's bookkeeping,
    such as entering and leaving a scope); it is not walked and does not nest."""

    __slots__ = ("action",)

    def __init__(self, action: Callable[[], None]):
        self.action = action


class Walker:
    """Definitions (vulture's per-file ignores and ``# noqa`` applied) and uses of one module."""

    def __init__(self, path: str, noqa: dict[int, frozenset[str]]):
        self.test_file = is_test_file(path)
        self.init_file = path.rsplit("/", 1)[-1] == "__init__.py"
        self.noqa = noqa
        self.used: set[str] = set()
        self.defined: dict[tuple[str, int, str], Definition] = {}
        self.imports: set[str] = set()
        self.exported: set[str] = set()
        self.ternaries: list[ast.IfExp] = []
        self.flags: dict[int, int] = {}
        self.stack: list[object] = []
        self.depth = 0
        self.dispatch = self._handlers()

    def _handlers(self) -> dict[type, Callable[[ast.AST], None]]:
        table: dict[type, Callable[[ast.AST], None]] = {
            type(None): self._leaf, ast.Constant: self._leaf, ast.Name: self._name,
            ast.Attribute: self._attribute, ast.arg: self._arg, ast.Call: self._call,
            ast.BinOp: self._binop, ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function, ast.ClassDef: self._class,
            ast.Import: self._import, ast.ImportFrom: self._import, ast.Assign: self._assign,
            ast.AugAssign: self._augmented, ast.AnnAssign: self._annotated,
            ast.MatchClass: self._match_class, ast.IfExp: self._if_expression,
            ast.Global: self._leaf, ast.Nonlocal: self._leaf, ast.Pass: self._leaf,
        }
        for commented in (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith):
            table[commented] = self._commented
        return table

    def run(self, tree: ast.AST) -> None:
        """Walk ``tree`` and everything below it, type comments included, and note in
        ``depth`` how deeply the tree nests (an end-of-children marker tracks the level)."""
        stack = self.stack
        stack.append(tree)
        pop, push = stack.pop, stack.append
        handler = self.dispatch.get
        generic = self._generic
        depth = deepest = 0
        while stack:
            node = pop()
            if node is _UP:
                depth -= 1
                continue
            if type(node) is Step:
                node.action()
                continue
            depth += 1
            if depth > deepest:
                deepest = depth
            push(_UP)
            handler(type(node), generic)(node)
        self.depth = deepest

    # -- recording ---------------------------------------------------------------------

    def define(self, kind: str, name: str, node: ast.AST, *, line: int, confidence: int,
               decorators: tuple[str, ...] = (), flags: int = 0) -> None:
        """Record a definition unless ``# noqa`` hides it; the first of equal ones wins."""
        if self.noqa and self.suppressed(line, kind):
            return
        key = (kind, line, name)
        if key not in self.defined:
            self.defined[key] = Definition(
                kind, name, line, node.col_offset + 1, node.end_lineno or line, confidence,
                decorators, flags,
            )

    def suppressed(self, line: int, kind: str) -> bool:
        """A ``# noqa`` on ``line`` that covers ``kind`` (bare, or its vulture/flake8 code)."""
        codes = self.noqa.get(line)
        return codes is not None and (ALL_CODES in codes or CODES[kind] in codes)

    def _push_children(self, node: ast.AST) -> None:
        stack = self.stack
        for field in CHILD_FIELDS.get(type(node), ()):
            value = getattr(node, field)
            if type(value) is list:
                stack.extend(reversed(value))
            else:
                stack.append(value)

    def _type_comment(self, comment: str | None, mode: str) -> None:
        """Queue a type comment's expression; it is visited after the node, as vulture does.

        A type comment that does not parse is skipped (vulture stops reading the file there).
        """
        if comment is None:
            return
        try:
            self.stack.append(ast.parse(comment, "<type_comment>", mode))
        except (SyntaxError, ValueError):
            return

    # -- handlers ------------------------------------------------------------------------

    def _leaf(self, node: object) -> None:
        return None

    def _generic(self, node: ast.AST) -> None:
        self._push_children(node)

    def _commented(self, node: ast.For | ast.AsyncFor | ast.With | ast.AsyncWith) -> None:
        self._type_comment(node.type_comment, "eval")
        self._push_children(node)

    def _name(self, node: ast.Name) -> None:
        name = node.id
        if type(node.ctx) is not _STORE:
            if name not in IGNORED_VARIABLES:
                self.used.add(name)
        elif not ignored_variable(name):
            flags = self.flags.get(id(node), 0) if self.flags else 0
            self.define(VARIABLE, name, node, line=node.lineno, confidence=60, flags=flags)

    def _attribute(self, node: ast.Attribute) -> None:
        context = type(node.ctx)
        if context is _LOAD:
            self.used.add(node.attr)
        elif context is _STORE:
            self.define(ATTRIBUTE, node.attr, node, line=node.lineno, confidence=60)
        self.stack.append(node.value)

    def _arg(self, node: ast.arg) -> None:
        if not ignored_variable(node.arg):
            flags = self.flags.get(id(node), 0) if self.flags else 0
            self.define(VARIABLE, node.arg, node, line=node.lineno, confidence=100, flags=flags)
        self._type_comment(node.type_comment, "eval")
        self.stack.append(node.annotation)

    def _call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is ast.Name:
            self._attribute_by_string(func.id, node.args)
        elif type(func) is ast.Attribute:
            self._method_call(func, node)
        stack = self.stack
        stack.extend(reversed(node.keywords))
        stack.extend(reversed(node.args))
        stack.append(func)

    def _attribute_by_string(self, function: str, args: list[ast.expr]) -> None:
        """``getattr(x, "name"[, default])`` and ``hasattr(x, "name")`` use ``name``."""
        count = len(args)
        if (function == "getattr" and 2 <= count <= 3) or (function == "hasattr" and count == 2):
            name = args[1]
            if type(name) is ast.Constant and type(name.value) is str:
                self.used.add(name.value)

    def _method_call(self, func: ast.Attribute, node: ast.Call) -> None:
        """``"{x}".format(**locals())`` uses ``x``; ``__all__.extend([...])`` exports."""
        owner = func.value
        if func.attr == "format" and type(owner) is ast.Constant and type(owner.value) is str:
            if any(kw.arg is None and is_locals_call(kw.value) for kw in node.keywords):
                self.used.update(format_names(owner.value))
        elif func.attr in ("extend", "append") and _names_all([owner]):
            for arg in node.args:
                self.exported.update(string_items(arg))

    def _binop(self, node: ast.BinOp) -> None:
        left = node.left
        if (type(node.op) is ast.Mod and type(left) is ast.Constant
                and type(left.value) is str and is_locals_call(node.right)):
            self.used.update(percent_names(left.value))
        self.stack.append(node.right)
        self.stack.append(left)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        decorators = tuple(decorator_name(d) for d in node.decorator_list)
        line = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        kind = self._function_kind(node, decorators)
        flags = self._pytest_flags(node, decorators)
        name = node.name
        if kind == PROPERTY or not (
            ignored_method(name, test_file=self.test_file) if kind == METHOD
            else ignored_function(name, test_file=self.test_file)
        ):
            self.define(kind, name, node, line=line, confidence=60, decorators=decorators,
                        flags=flags)
        self._type_comment(node.type_comment, "func_type")
        self._push_function_children(node)

    def _push_function_children(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A function's children, in the AST's field order (a subclass marks its body)."""
        self._push_children(node)

    @staticmethod
    def _function_kind(node: ast.FunctionDef | ast.AsyncFunctionDef,
                       decorators: tuple[str, ...]) -> str:
        if "@property" in decorators:
            return PROPERTY
        if "@staticmethod" in decorators or "@classmethod" in decorators:
            return METHOD
        positional = node.args.args
        return METHOD if positional and positional[0].arg == "self" else FUNCTION

    def _pytest_flags(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                      decorators: tuple[str, ...]) -> int:
        """Flag fixtures, hooks and their arguments, and the arguments of tests."""
        is_hook = node.name.startswith("pytest_") or smart.is_fixture(decorators)
        if not (is_hook or (self.test_file and node.name.startswith("test_"))):
            return 0
        args = node.args
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None:
                self.flags[id(arg)] = PYTEST
        return PYTEST if is_hook else 0

    def _class(self, node: ast.ClassDef) -> None:
        decorators = tuple(decorator_name(d) for d in node.decorator_list)
        line = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        if not (self.test_file and "Test" in node.name):
            self.define(CLASS, node.name, node, line=line, confidence=60, decorators=decorators)
        if smart.is_record_class(node, decorators):
            for target in smart.record_fields(node):
                self.flags[id(target)] = RECORD_FIELD
        self._push_children(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if type(node) is ast.ImportFrom and node.module == "__future__":
            return
        line = node.lineno
        hidden = self.init_file or self.suppressed(line, IMPORT)
        for alias in node.names:
            bound = _bound_name(alias)
            if alias.asname is not None:
                self.used.add(alias.name)
            if not hidden and bound != "*":
                self.imports.add(bound)
                self.define(IMPORT, bound, node, line=line, confidence=90)

    def _assign(self, node: ast.Assign) -> None:
        if _names_all(node.targets):
            value = node.value
            if type(value) in _STRING_SEQUENCES:
                self.used.update(
                    e.value for e in value.elts if type(e) is ast.Constant and type(e.value) is str
                )
            else:
                self.exported.update(string_items(node.value))
        self._type_comment(node.type_comment, "eval")
        self._push_children(node)

    def _augmented(self, node: ast.AugAssign) -> None:
        if _names_all([node.target]):
            self.exported.update(string_items(node.value))
        self._push_children(node)

    def _annotated(self, node: ast.AnnAssign) -> None:
        if node.value is not None and _names_all([node.target]):
            self.exported.update(string_items(node.value))
        self._push_children(node)

    def _match_class(self, node: ast.MatchClass) -> None:
        self.used.update(node.kwd_attrs)
        self._push_children(node)

    def _if_expression(self, node: ast.IfExp) -> None:
        self.ternaries.append(node)
        self._push_children(node)
