"""Seed dead code into a copy of a real project, at places and with names a fixed seed picks.

Per project, ten items of the kinds a maintainer deletes: two unused private functions, two
unused imports, two unused locals, one unused private class, one unreachable statement, one
unused private method and one unused private constant, each in a module of the published
package (never a test). Every item is dead by construction and changes no behaviour:

- definitions (functions, class, method, constant) get a name that no file of the project
  mentions, so nothing can reach them and no existing name is shadowed or overridden; their
  bodies use only their parameters, literals and builtins, so they make no name look used;
- an import binds a standard-library module (or a name from one) that its module does not
  mention but the package imports elsewhere already (so no module is loaded that was not
  before: click's suite checks which modules it loads); other modules use the same name;
- a local is assigned a literal at the top of a function that does not mention its name,
  which is picked among the names its module uses elsewhere;
- the unreachable statement repeats a function's final ``return`` (or returns None after a
  final ``raise``).

The copy's own test suite must still pass (``run.py --suites`` runs it).
"""

from __future__ import annotations

import ast
import builtins
import keyword
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SEED = 19
KINDS = (
    "function", "function", "import", "import", "variable", "variable", "class",
    "unreachable", "method", "constant",
)
VERBS = ("parse", "build", "format", "resolve", "normalize", "render", "merge", "split",
         "load", "encode", "decode", "collect", "check", "scan", "strip", "wrap", "count")
NOUNS = ("header", "value", "token", "chunk", "option", "path", "record", "entry", "field",
         "limit", "prefix", "suffix", "block", "item", "state", "label", "width", "margin")
MODULES = ("json", "os", "re", "sys", "time", "warnings", "functools", "itertools",
           "collections", "io", "math", "string", "struct", "copy", "inspect", "textwrap",
           "types", "contextlib", "enum", "operator", "base64", "hashlib", "datetime",
           "tempfile", "logging", "codecs", "zlib", "uuid", "platform", "typing")
FROM_IMPORTS = (("typing", "Any"), ("typing", "Optional"), ("os.path", "join"),
                ("functools", "partial"), ("collections", "OrderedDict"),
                ("itertools", "chain"), ("dataclasses", "dataclass"), ("pathlib", "Path"))
CLASS_ROLES = ("Error", "Cache", "Builder", "Reader", "Handler")
BODIES = (
    ["return len(value) > {n}"],
    ["return [item for item in value if item]"],
    ["if value is None:", "    return {n}", "return value"],
    ["return str(value).strip() or None"],
    ["return tuple(sorted(value))[:{n}]"],
)
LITERALS = ("None", "0", "{n}", "''", "()", "False")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Seeded:
    """One seeded item: where it is in the copy, its name and kind."""

    path: str
    line: int
    name: str
    kind: str

    @property
    def key(self) -> str:
        """The label key of the finding that reports it."""
        name = "unreachable" if self.kind == "unreachable" else self.name
        return f"{self.path}:{self.line}:{name}"


@dataclass
class _Module:
    """A module being seeded: its lines, with each line's line in the original."""

    path: str
    lines: list[str]
    origin: list[int | None] = field(default_factory=list)
    original: str = ""
    """The module's text before seeding (what its syntax tree's positions refer to)."""

    def __post_init__(self) -> None:
        self.origin = list(range(1, len(self.lines) + 1))
        self.original = "\n".join(self.lines)

    def original_line(self, number: int) -> str:
        """Line ``number`` of the original text."""
        return self.lines[self.origin.index(number)]

    def insert(self, after: int, new: list[str], first: bool = False) -> None:
        """Insert ``new`` after original line ``after`` (0: at the top): after what was
        inserted there before, or before it when ``first`` (a method goes right after the
        last line of its class, before a function seeded at the end of the module)."""
        index = 0 if after == 0 else self.origin.index(after) + 1
        while not first and index < len(self.origin) and self.origin[index] is None:
            index += 1
        self.lines[index:index] = new
        self.origin[index:index] = [None] * len(new)

    def line_of(self, marker: str) -> int:
        """The copy's line holding ``marker`` (unique by construction)."""
        for number, text in enumerate(self.lines, start=1):
            if text == marker and self.origin[number - 1] is None:
                return number
        raise LookupError(marker)


class Seeder:
    """Seeds ten items into the modules of ``packages`` below ``tree`` (a copy)."""

    def __init__(self, tree: Path, packages: tuple[str, ...], project: str):
        self.tree = tree
        self.random = random.Random(f"{SEED}:{project}")
        self.paths = sorted(
            path.relative_to(tree).as_posix()
            for package in packages for path in (tree / package).rglob("*.py")
        )
        self.words = set()
        for path in self.paths_everywhere():
            self.words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
        self.modules: dict[str, _Module] = {}
        self.trees: dict[str, ast.Module] = {}
        self.items: list[Seeded] = []
        self.markers: list[tuple[str, str, str, str]] = []

    def paths_everywhere(self) -> list[Path]:
        """Every Python file of the project, tests included."""
        return sorted(self.tree.rglob("*.py"))

    def imported_modules(self) -> set[str]:
        """The top-level modules the published packages import already: an import seeded
        from among them loads no module the project did not load before."""
        found = set()
        for path in self.paths:
            for node in ast.walk(ast.parse((self.tree / path).read_bytes())):
                if isinstance(node, ast.Import):
                    found.update(alias.name.partition(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.partition(".")[0])
        return found

    def module(self, path: str) -> _Module:
        if path not in self.modules:
            text = (self.tree / path).read_text(encoding="utf-8")
            self.modules[path] = _Module(path, text.splitlines())
            self.trees[path] = ast.parse(text)
        return self.modules[path]

    def fresh(self, make) -> str:
        """A name ``make(verb, noun)`` that no file of the project mentions yet."""
        while True:
            name = make(self.random.choice(VERBS), self.random.choice(NOUNS))
            if name not in self.words:
                self.words.add(name)
                return name

    def seed(self) -> list[Seeded]:
        """Place every item, write the modules back, and say where each item landed."""
        for kind in KINDS:
            getattr(self, f"_{kind}")()
        for path, module in self.modules.items():
            (self.tree / path).write_text("\n".join(module.lines) + "\n", encoding="utf-8")
        for path, marker, name, kind in self.markers:
            self.items.append(Seeded(path, self.modules[path].line_of(marker), name, kind))
        return sorted(self.items, key=lambda item: (item.path, item.line))

    # -- where things go -----------------------------------------------------------------

    def _pick_module(self, need) -> tuple[str, ast.Module]:
        candidates = list(self.paths)
        self.random.shuffle(candidates)
        for path in candidates:
            self.module(path)
            if need(path, self.trees[path]):
                return path, self.trees[path]
        raise LookupError("no module fits")

    @staticmethod
    def _after_imports(tree: ast.Module) -> int:
        """The last line of the module's leading docstring and top-level imports."""
        last = 0
        for index, statement in enumerate(tree.body):
            docstring = index == 0 and isinstance(statement, ast.Expr) and isinstance(
                getattr(statement, "value", None), ast.Constant)
            if docstring or isinstance(statement, ast.Import | ast.ImportFrom):
                last = statement.end_lineno or statement.lineno
            else:
                break
        return last

    def _top(self, path: str, lines: list[str], name: str, kind: str) -> None:
        tree = self.trees[path]
        self.module(path).insert(self._after_imports(tree), ["", *lines, ""])
        self.markers.append((path, lines[0], name, kind))

    def _body(self, indent: str) -> list[str]:
        number = self.random.randint(2, 9)
        return [f"{indent}    {line.format(n=number)}" for line in self.random.choice(BODIES)]

    # -- the kinds -------------------------------------------------------------------------

    def _function(self) -> None:
        name = self.fresh(lambda verb, noun: f"_{verb}_{noun}")
        path, _ = self._pick_module(lambda path, tree: True)
        lines = [f"def {name}(value):", f'    """{name[1:].replace("_", " ").capitalize()}."""',
                 *self._body("")]
        self._at_end(path, lines, name, "function")

    def _at_end(self, path: str, lines: list[str], name: str, kind: str) -> None:
        """``lines`` (a definition) at the end of the module, after two blank lines."""
        module = self.module(path)
        module.insert(len([o for o in module.origin if o is not None]), ["", "", *lines])
        self.markers.append((path, lines[0], name, kind))

    def _constant(self) -> None:
        name = self.fresh(lambda verb, noun: f"_{noun.upper()}_{verb.upper()}S")
        path, _ = self._pick_module(lambda path, tree: True)
        value = self.random.choice(("3", "0.5", "', '", "('a', 'b')", "1024"))
        self._top(path, [f"{name} = {value}"], name, "constant")

    def _class(self) -> None:
        role = self.random.choice(CLASS_ROLES)
        name = self.fresh(lambda verb, noun: f"_{noun.capitalize()}{role}")
        path, _ = self._pick_module(lambda path, tree: True)
        noun = name[1:-len(role)].lower()
        if role == "Error":
            lines = [f"class {name}(Exception):", f'    """Raised when a {noun} is invalid."""']
        else:
            lines = [f"class {name}:", f'    """A {role.lower()} of {noun}s."""', "",
                     "    __slots__ = ()"]
        self._at_end(path, lines, name, "class")

    def _import(self) -> None:
        def fits(path: str, tree: ast.Module) -> bool:
            return not path.endswith("__init__.py")

        path, tree = self._pick_module(fits)
        mentioned = set(_WORD.findall("\n".join(self.module(path).lines)))
        loaded = self.imported_modules()
        if self.random.random() < 0.6:
            choices = [m for m in MODULES if m not in mentioned and m in loaded]
            name = self.random.choice(choices)
            line = f"import {name}"
        else:
            choices = [(m, n) for m, n in FROM_IMPORTS
                       if n not in mentioned and m.partition(".")[0] in loaded]
            module, name = self.random.choice(choices)
            line = f"from {module} import {name}"
        self.words.add(name)
        at = self._after_imports(tree)
        self.module(path).insert(at, [line])
        self.markers.append((path, line, name, "import"))

    def _variable(self) -> None:
        def place(path: str, node: ast.FunctionDef | ast.AsyncFunctionDef):
            return _local_place(node, self.module(path).original.splitlines())

        path, tree = self._pick_module(
            lambda path, tree: any(place(path, node) for node in _functions(tree)))
        functions = sorted((node for node in _functions(tree) if place(path, node)),
                           key=lambda node: node.lineno)
        function = self.random.choice(functions)
        source = self.module(path).original
        inside = set(_WORD.findall(ast.get_source_segment(source, function) or ""))
        names = sorted(
            name for name in set(_WORD.findall(source)) - inside - _RESERVED
            if name.islower() and not name.startswith("_") and len(name) > 3
        )
        name = self.random.choice(names)
        after, anchor = place(path, function)
        value = self.random.choice(LITERALS).format(n=self.random.randint(2, 9))
        line = f"{' ' * anchor.col_offset}{name} = {value}"
        self.module(path).insert(after, [line])
        self.markers.append((path, line, name, "variable"))

    def _unreachable(self) -> None:
        def ends(node: ast.AST) -> bool:
            last = node.body[-1]
            return (isinstance(last, ast.Return | ast.Raise) and last.lineno == last.end_lineno
                    and not _is_generator(node))

        path, tree = self._pick_module(
            lambda path, tree: any(ends(node) for node in _functions(tree)))
        function = self.random.choice(sorted(
            (node for node in _functions(tree) if ends(node)), key=lambda n: n.lineno))
        last = function.body[-1]
        text = self.module(path).original_line(last.lineno)
        indent = text[: len(text) - len(text.lstrip())]
        statement = text.strip() if isinstance(last, ast.Return) else "return None"
        marker = f"{indent}{statement}"
        self.module(path).insert(last.end_lineno, [marker])
        self.markers.append((path, marker, "unreachable", "unreachable"))

    def _method(self) -> None:
        def classes(tree: ast.Module) -> list[ast.ClassDef]:
            return [node for node in tree.body if isinstance(node, ast.ClassDef)
                    and any(isinstance(s, ast.FunctionDef) for s in node.body)]

        path, tree = self._pick_module(lambda path, tree: bool(classes(tree)))
        klass = self.random.choice(classes(tree))
        name = self.fresh(lambda verb, noun: f"_{verb}_{noun}")
        method = next(s for s in klass.body if isinstance(s, ast.FunctionDef))
        indent = " " * method.col_offset
        lines = [f"{indent}def {name}(self, value):",
                 f'{indent}    """{name[1:].replace("_", " ").capitalize()}."""',
                 *[f"{indent}{line}" for line in self._body("")], ""]
        self.module(path).insert(klass.end_lineno, [""] + lines[:-1], first=True)
        self.markers.append((path, lines[0], name, "method"))


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def _local_place(node: ast.FunctionDef | ast.AsyncFunctionDef,
                 lines: list[str]) -> tuple[int, ast.stmt] | None:
    """Where a local goes: (the line to insert after, the statement it goes before), at
    the top of the body after the docstring, when that statement starts a line of its own
    (not ``...`` at the end of a signature)."""
    body = node.body
    docstring = _is_docstring(body[0])
    if docstring and len(body) < 2:
        return None
    anchor = body[1] if docstring else body[0]
    own_line = not lines[anchor.lineno - 1][: anchor.col_offset].strip()
    after = (body[0].end_lineno or body[0].lineno) if docstring else anchor.lineno - 1
    if not own_line or anchor.lineno <= after or anchor.lineno <= node.lineno:
        return None
    return after, anchor


def _is_docstring(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def _is_generator(node: ast.AST) -> bool:
    return any(isinstance(inner, ast.Yield | ast.YieldFrom) for inner in ast.walk(node))


_RESERVED = frozenset(keyword.kwlist) | frozenset(dir(builtins)) | {"self", "cls"}


Origins = dict[str, list[int | None]]
"""Per seeded module, each line's line in the original (None for a seeded line)."""


def seeded_copy(source: Path, target: Path, packages: tuple[str, ...],
                project: str) -> tuple[list[Seeded], Origins]:
    """Copy ``source`` to ``target`` and seed it: the seeded items (at the copy's lines) and
    where the lines of the seeded modules came from."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".unpacked", "__pycache__"))
    seeder = Seeder(target, packages, project)
    items = seeder.seed()
    return items, {path: module.origin for path, module in seeder.modules.items()}
