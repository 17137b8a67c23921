"""Scope-aware facts of one module: what each scope binds and never reads.

Statements are walked recursively (their nesting is bounded by Python's indentation limit),
expressions with an explicit stack (they may nest as deeply as a file parses). Each
function scope collects its bindings and the names read in it or in any scope nested in
it; when the walk leaves the function, a binding nobody reads is a candidate (ruff's F841
and F401 reasoning, per scope). The module scope does the same for its imports and
definitions; class members are candidates for the whole-program join, which matches them
by name. Everything here depends on the file alone.
"""

from __future__ import annotations

import ast
from collections import Counter

from agentrails.checks.deadcode.records import (
    BASES,
    DECORATED,
    ENUM,
    IMPORT,
    IN_TEST,
    INTROSPECTED,
    LOCAL,
    MEMBER,
    METHOD,
    NESTED,
    PARAM,
    PRIVATE,
    PRIVATE_OWNER,
    PUBLIC,
    RECORD,
    RECORD_CLASS,
    TEST_INPUT,
    Candidate,
    ClassInfo,
)
from agentrails.checks.deadcode.scan.judgements import (
    binds_availability,
    class_flags,
    decorator_kinds,
    is_stub,
)
from agentrails.checks.deadcode.scan.scope import Scope
from agentrails.checks.deadcode.scan.walk import MODULE, ScopedWalker
from agentrails.checks.deadcode.vulture import names as rules

_BINDING = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr})
_COMPOUND = {kind: fields for kind, fields in (
    (ast.If, ("body", "orelse")), (ast.For, ("body", "orelse")),
    (ast.AsyncFor, ("body", "orelse")), (ast.While, ("body", "orelse")),
    (ast.With, ("items", "body")), (ast.AsyncWith, ("items", "body")),
    (ast.Match, ("cases",)),
)}
"""The statements that hold bodies (and ``with`` items or ``match`` cases)."""
_SKIPPED_MODULE_NAMES = frozenset({"__all__", "_", "pytestmark", "pytest_plugins", "__unittest"})
"""Module-level names that tools read from the module: pytest's marks and plugins,
unittest's marker that hides a module's frames from tracebacks."""


class Scanner:
    """Walks one module and gathers its candidates, references and classes."""

    def __init__(self, path: str, suppressed, walker: ScopedWalker):
        self.path = path
        self.test = rules.is_test_file(path) or path.rsplit("/", 1)[-1] == "conftest.py"
        self.init = path.rsplit("/", 1)[-1] == "__init__.py"
        self.suppressed = suppressed
        self.walker = walker
        self.candidates: list[Candidate] = []
        self.classes: list[ClassInfo] = []
        self.methods: list[str] = []
        self.module = Scope("module")
        self.exported: set[str] = set()
        self.dynamic_module = False
        self.decorated: dict[int, tuple[str, ...]] = {}
        self.signatures: list[tuple[str, tuple[str, ...], list[Candidate]]] = []
        self._member_flags: dict[int, int] = {}

    # -- entry -----------------------------------------------------------------------------

    def scan(self, tree: ast.Module) -> None:
        """Walk the module, then judge its own bindings."""
        self._enter(self.module, MODULE)
        self.block(tree.body, self.module, None)
        self.module.reads.update(self.exported)
        self.dynamic_module = "globals" in self.walker.called
        self._judge_module()
        self._judge_parameters()
        if self.walker.introspects:
            self.candidates = [
                c._replace(flags=c.flags | INTROSPECTED) if c.rule == LOCAL else c
                for c in self.candidates
            ]

    def block(self, body: list[ast.stmt], scope: Scope, klass: ast.ClassDef | None,
              *, guarded: bool = False) -> None:
        """Every statement of a body, in the scope that owns it."""
        for statement in body:
            self.statement(statement, scope, klass, guarded=guarded)

    def statement(self, node: ast.stmt, scope: Scope, klass: ast.ClassDef | None,
                  *, guarded: bool) -> None:
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            self.function(node, scope, klass)
        elif kind is ast.ClassDef:
            self.class_(node, scope, klass)
        elif kind in (ast.Import, ast.ImportFrom):
            self.import_(node, scope, guarded=guarded)
        elif kind is ast.Try or kind is getattr(ast, "TryStar", None):
            self.try_(node, scope, klass, guarded=guarded)
        else:
            self.simple(node, scope, klass, guarded=guarded)

    # -- simple statements -------------------------------------------------------------------

    def simple(self, node: ast.stmt, scope: Scope, klass: ast.ClassDef | None,
               *, guarded: bool) -> None:
        """Any other statement: its expressions are read, its targets bound, its nested
        bodies walked."""
        kind = type(node)
        if kind in _BINDING:
            self._targets(node, scope, klass)
        elif kind is ast.Global or kind is ast.Nonlocal:
            scope.declared.update(node.names)
            self.module.reads.update(node.names)
        elif kind in _COMPOUND:
            for field in _COMPOUND[kind]:
                value = getattr(node, field)
                if value and isinstance(value[0], ast.stmt):
                    self.block(value, scope, klass, guarded=guarded)
                elif value:
                    self._read_list(value, node, scope, klass=klass, guarded=guarded)

    def _read_list(self, items: list, node: ast.stmt, scope: Scope,
                   *, klass: ast.ClassDef | None, guarded: bool) -> None:
        for item in items:
            if type(item) is ast.withitem:
                self._bind_target(item.optional_vars, scope, "variable", klass=klass,
                                  statement=node)
            elif type(item) is ast.match_case:
                self.block(item.body, scope, klass, guarded=guarded)

    def _targets(self, node: ast.stmt, scope: Scope, klass: ast.ClassDef | None) -> None:
        kind = type(node)
        if kind is ast.Expr:
            self._all_method(node.value)
            return
        targets = node.targets if kind is ast.Assign else [node.target]
        if rules_all(targets) and node.value is not None:
            self.exported.update(_strings(node.value))
        if kind is ast.AugAssign:
            scope.reads.update(t.id for t in targets if type(t) is ast.Name)  # read, then bound
        elif node.value is not None:  # an annotation alone binds nothing
            for target in targets:
                self._bind_target(target, scope, "variable", klass=klass, statement=node)

    def _all_method(self, value: ast.expr) -> None:
        """``__all__.extend([...])`` and ``__all__.append("x")`` export names too."""
        if type(value) is ast.Call and type(value.func) is ast.Attribute:
            owner = value.func.value
            if type(owner) is ast.Name and owner.id == "__all__":
                for arg in value.args:
                    self.exported.update(_strings(arg))

    def _bind_target(self, target: ast.expr | None, scope: Scope, kind: str,
                     *, klass: ast.ClassDef | None, statement: ast.stmt) -> None:
        """A single-name target binds; an unpacking target never is a finding."""
        if type(target) is ast.Name:
            scope.bind(target.id, kind, target, statement=statement)
        elif type(target) is ast.Attribute and klass is None:
            self._self_attribute(target, scope)

    def _self_attribute(self, target: ast.Attribute, scope: Scope) -> None:
        """``self.x = ...`` in a method defines the member ``x`` of the method's class."""
        owner = target.value
        if scope.self_name and type(owner) is ast.Name and owner.id == scope.self_name:
            self._member("attribute", target.attr, target, owner=scope.class_name,
                         flags=scope.class_flags, line=target.lineno)

    # -- imports ---------------------------------------------------------------------------

    def import_(self, node: ast.Import | ast.ImportFrom, scope: Scope, *, guarded: bool) -> None:
        """Bind what an import binds; note the module references it makes."""
        if type(node) is ast.ImportFrom and node.module == "__future__":
            return
        kept = guarded or self.init or self.suppressed(node.lineno, "import")
        for alias in node.names:
            if alias.name == "*":
                continue
            bound = alias.asname or alias.name.partition(".")[0]
            if kept or _reexport(alias):
                scope.reads.add(bound)
            scope.bind(bound, "import", alias, statement=node)

    def try_(self, node: ast.Try, scope: Scope, klass: ast.ClassDef | None,
             *, guarded: bool) -> None:
        """An import in a ``try`` that catches ImportError checks availability: never a
        finding (its side effect is the point)."""
        availability = binds_availability(node)
        self.block(node.body, scope, klass, guarded=guarded or availability)
        for handler in node.handlers:
            if handler.name:
                scope.bind(handler.name, "variable", handler, statement=handler)
            self.block(handler.body, scope, klass, guarded=guarded)
        self.block(node.orelse, scope, klass, guarded=guarded)
        self.block(node.finalbody, scope, klass, guarded=guarded)

    # -- definitions -----------------------------------------------------------------------

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope,
                 klass: ast.ClassDef | None) -> None:
        """A function: its decorators and defaults are read in the enclosing scope, its
        body in a scope of its own, judged when the walk leaves it."""
        kinds = decorator_kinds(node.decorator_list)
        inner = Scope("function", scope)
        self._enter(inner, id(node))
        if klass is not None:
            inner.enter_method(node, klass.name, self._member_flags.get(id(klass), 0))
        elif scope.self_name:
            inner.inherit_method(scope)
        self.block(node.body, inner, None)
        scope.absorb(inner)
        self._define_function(node, scope, klass, kinds=kinds, decorators=_decorators(node))
        if not inner.dynamic:
            self._judge_function(node, inner, klass, kinds=kinds, nested=scope.kind == "function")

    def _enter(self, scope: Scope, key: int) -> None:
        """What the walk read directly in this scope, and its walrus targets."""
        walker = self.walker
        reads = walker.reads.get(key)
        if reads is not None:
            scope.reads = reads  # the walk's own set: the walk is over
        scope.dynamic = key in walker.dynamic
        for walrus in walker.walrus.get(key, ()):
            scope.bind(walrus.target.id, "variable", walrus.target, statement=walrus)

    def _define_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope,
                         klass: ast.ClassDef | None, *, kinds: frozenset[str],
                         decorators: tuple[str, ...]) -> None:
        if klass is not None:
            self.methods.append(node.name)
            if not _protocol_member(node.name, kinds, test=self.test):
                kind = "property" if "property" in kinds else "method"
                flags = DECORATED if "registers" in kinds else 0
                self._member(kind, node.name, node, owner=klass.name,
                             flags=self._member_flags.get(id(klass), 0) | flags, line=node.lineno,
                             decorators=decorators)
            return
        if node.name.startswith("pytest_") or (self.test and _pytest_function(node.name, kinds)):
            scope.reads.add(node.name)  # a pytest hook (in a plugin or conftest) or a test
        scope.bind(node.name, "function", node, statement=node,
                   flags=DECORATED if "registers" in kinds else 0)
        self.decorated[id(node)] = decorators

    def _judge_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, inner: Scope,
                        klass: ast.ClassDef | None, *, kinds: frozenset[str], nested: bool) -> None:
        for name, kind, where, statement, flags in inner.unread():
            if name not in inner.declared:
                self._local(kind, name, where, statement=statement, flags=flags)
        if _signature_forced(node, kinds, test=self.test):
            return
        owner, flags = self._parameter_owner(node, klass, nested=nested)
        parameters = _parameters(node, bound=klass is not None and "staticmethod" not in kinds)
        unread = [
            Candidate("argument", arg.arg, arg.lineno, arg.col_offset + 1, PARAM, owner, 0, flags)
            for arg in parameters
            if arg.arg not in inner.reads and not rules.ignored_variable(arg.arg)
        ]
        self.signatures.append((node.name, tuple(arg.arg for arg in parameters), unread))

    def _parameter_owner(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                         klass: ast.ClassDef | None, *, nested: bool) -> tuple[str, int]:
        """``Class.method`` or ``function``, and the flags of its parameters."""
        flags = (IN_TEST if self.test else 0) | (NESTED if nested else 0)
        if klass is None:
            return node.name, flags | (PRIVATE_OWNER if node.name.startswith("_") else 0)
        private = node.name.startswith("_") or klass.name.startswith("_")
        return f"{klass.name}.{node.name}", flags | METHOD | (PRIVATE_OWNER if private else 0)

    def class_(self, node: ast.ClassDef, scope: Scope, klass: ast.ClassDef | None) -> None:
        """A class: bases, keywords and decorators are read where it is defined; its body
        binds its members."""
        kinds = decorator_kinds(node.decorator_list)
        own = class_flags(node, kinds)
        bases = tuple(self.walker.dotted_name(base) for base in node.bases)
        self.classes.append(ClassInfo(node.name, bases, own))
        flags = RECORD if own & (RECORD_CLASS | ENUM) else 0
        if self.test and scope.kind == "function":
            flags |= TEST_INPUT
        self._member_flags[id(node)] = flags
        body = Scope("class", scope)
        self.block(node.body, body, node)
        scope.absorb(body)
        for name, _, where, _, item_flags in body.bindings:
            self._member("attribute", name, where, owner=node.name, flags=flags | item_flags,
                         line=where.lineno)
        if klass is not None:
            self._member("class", node.name, node, owner=klass.name, flags=flags, line=node.lineno)
        else:
            self._bind_class(node, scope, kinds)

    def _bind_class(self, node: ast.ClassDef, scope: Scope, kinds: frozenset[str]) -> None:
        """A class of the module or of a function: a binding of its scope."""
        machinery = node.bases or node.decorator_list or node.keywords
        extra = (DECORATED if "registers" in kinds else 0) | (BASES if machinery else 0)
        if self.test and node.name.startswith("Test"):
            scope.reads.add(node.name)
        scope.bind(node.name, "class", node, statement=node, flags=extra)
        self.decorated[id(node)] = _decorators(node)

    @property
    def defines_all(self) -> bool:
        """The module binds ``__all__``."""
        return any(binding[0] == "__all__" for binding in self.module.bindings)

    # -- recording -------------------------------------------------------------------------

    def _member(self, kind: str, name: str, node: ast.AST, *, owner: str, flags: int,
                line: int, decorators: tuple[str, ...] = ()) -> None:
        if rules.is_special(name) or _sunder(name):
            return
        extra = PRIVATE_OWNER if owner.startswith("_") else 0
        extra |= IN_TEST if self.test else 0
        self._add(Candidate(kind, name, line, node.col_offset + 1, MEMBER, owner, 0,
                            flags | extra, decorators))

    def _local(self, kind: str, name: str, where: ast.AST, *, statement: ast.AST,
               flags: int) -> None:
        if flags & DECORATED or rules.ignored_variable(name):
            return
        group = statement.lineno if kind == "import" else 0
        self._add(Candidate(kind, name, where.lineno, where.col_offset + 1, LOCAL, "", group,
                            flags | (IN_TEST if self.test else 0)))

    def _add(self, candidate: Candidate) -> None:
        if not self.suppressed(candidate.line, candidate.kind):
            self.candidates.append(candidate)

    def _judge_parameters(self) -> None:
        """Unread parameters, unless a convention fixes the signature: the function is
        defined twice (a variant per platform or version), or another function of the
        module takes the very same parameters (a family of handlers called alike)."""
        names = Counter(name for name, _, _ in self.signatures)
        shapes = Counter(shape for _, shape, _ in self.signatures if len(shape) > 1)
        for name, shape, unread in self.signatures:
            if names[name] == 1 and shapes[shape] < 2:
                for candidate in unread:
                    self._add(candidate)

    def _judge_module(self) -> None:
        if self.dynamic_module:
            return
        reads = self.module.reads
        if any(binding[0] == "__getattr__" for binding in self.module.bindings):
            reads |= self.walker.words  # PEP 562: the module serves names it is asked for
        reads |= self.walker.code_words  # names its generated code may use
        test = IN_TEST if self.test else 0
        for name, kind, where, statement, flags in self.module.bindings:
            if name in reads or name in _SKIPPED_MODULE_NAMES or rules.is_special(name):
                continue
            rule, group = _module_rule(name, kind, statement)
            self._add(Candidate(kind, name, where.lineno, where.col_offset + 1, rule, "",
                                group, flags | test, self.decorated.get(id(where), ())))


def _module_rule(name: str, kind: str, statement: ast.AST) -> tuple[str, int]:
    """How the join judges a module-level binding, and an import's statement line."""
    if kind == "import":
        return IMPORT, statement.lineno
    return (PRIVATE if name.startswith("_") else PUBLIC), 0


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, *, bound: bool) -> tuple[ast.arg,
                                                                                       ...]:
    """The parameters a caller names (the instance of a bound method left out)."""
    positional = [*node.args.posonlyargs, *node.args.args]
    if bound and positional:
        positional = positional[1:]
    return (*positional, *node.args.kwonlyargs)


def _reexport(alias: ast.alias) -> bool:
    """``import x as x``, ``from m import y as y``: an explicit re-export (PEP 484)."""
    return alias.asname is not None and alias.asname == alias.name.rpartition(".")[2]


def rules_all(targets: list[ast.expr]) -> bool:
    """An assignment to ``__all__``."""
    return any(type(t) is ast.Name and t.id == "__all__" for t in targets)


def _strings(node: ast.expr | None) -> list[str]:
    from agentrails.checks.deadcode.vulture.walker import string_items

    return string_items(node)


def _sunder(name: str) -> bool:
    """``_repr_html_``, ``_missing_``: hooks that tools and the enum module call by name."""
    return len(name) > 2 and name[0] == "_" and name[-1] == "_" and name[1] != "_"


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
    return tuple(rules.decorator_name(d) for d in node.decorator_list)


def _pytest_function(name: str, kinds: frozenset[str]) -> bool:
    """What pytest or unittest calls in a test module: tests, hooks, ``load_tests``."""
    return (name.startswith(("test", "pytest_", "setup_", "teardown_")) or name == "load_tests"
            or "registers" in kinds)


def _protocol_member(name: str, kinds: frozenset[str], *, test: bool) -> bool:
    """Members that something outside the code calls by convention."""
    if "accessor" in kinds or "interface" in kinds:
        return True
    return test and (name.startswith("test") or name in rules.PYTEST_METHODS)


def _signature_forced(node: ast.FunctionDef | ast.AsyncFunctionDef, kinds: frozenset[str],
                      *, test: bool) -> bool:
    """A signature someone else fixes: dunders, overloads, abstract methods and overrides
    marked as such, registered callbacks, stubs, and pytest's tests, fixtures and hooks."""
    if rules.is_special(node.name) or kinds & {"interface", "registers", "accessor"}:
        return True
    if is_stub(node.body) or node.name.startswith("pytest_"):
        return True
    return test and _pytest_function(node.name, kinds)

