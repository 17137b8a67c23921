"""Conventions the whole source keeps, checked by reading it: keyword-only parameters, one
record convention, and a warm run that imports nothing it does not need."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.helpers.paths import SRC

POSITIONAL_MAX = 3
"""A function takes at most this many parameters by position (``self``/``cls`` aside)."""

FIXED_SIGNATURES = {
    "engine/findings.py:Finding.__new__":
        "the rule API: every family (plugins too) builds a Finding by position (path, line, "
        "column, code, message, ...), and pickle rebuilds a named tuple by position",
    "checks/common/frontmatter.py:FrontMatter.__new__":
        "cached facts: pickle rebuilds a named tuple by calling __new__ with every field in order",
    "github/transport.py:SameOriginRedirects.redirect_request":
        "urllib.request.HTTPRedirectHandler calls it with six positional arguments",
}
"""Functions whose signature an outside protocol fixes, and which protocol."""

BUILDERS = {
    "engine/baseline/add_noqa.py:Edits": "counts filled in file by file",
    "github/fleet/survey.py:RepoStatus": "filled in as each answer about the repository comes",
    "github/fleet/survey.py:Fleet": "counts and repositories added as the listing is read",
    "hooks/shell/options.py:Options": "filled in word by word as a command line is read",
    "hooks/shell/commands.py:Command": "words added as they are read; the pipe feeding it set "
                                       "when the next command starts",
}
"""Dataclasses built up step by step (so not frozen), and what fills them in."""


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((SRC / "agentrails").rglob("*.py")):
        yield path.relative_to(SRC / "agentrails").as_posix(), ast.parse(path.read_text("utf-8"))


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.Module) -> Iterator[tuple[str, Function, bool]]:
    """Every function with its qualified name, and whether it is a method taking
    ``self`` or ``cls`` first."""
    Found = Iterator[tuple[str, Function, bool]]

    def visit(node: ast.AST, prefix: str, in_class: bool) -> Found:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                static = any(isinstance(d, ast.Name) and d.id == "staticmethod"
                             for d in child.decorator_list)
                yield f"{prefix}{child.name}", child, in_class and not static
                yield from visit(child, f"{prefix}{child.name}.", False)
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.", True)

    yield from visit(tree, "", False)


def _is_bool(argument: ast.arg, default: ast.expr | None) -> bool:
    annotation = ast.unparse(argument.annotation) if argument.annotation else ""
    flag = isinstance(default, ast.Constant) and isinstance(default.value, bool)
    return annotation in ("bool", "bool | None") or flag


def signature_problems(module: str, tree: ast.Module) -> list[str]:
    """Functions of ``tree`` that take more than ``POSITIONAL_MAX`` parameters, or a
    boolean, by position."""
    problems = []
    for name, function, method in _functions(tree):
        where = f"{module}:{name}"
        if where in FIXED_SIGNATURES:
            continue
        arguments = function.args
        positional = [*arguments.posonlyargs, *arguments.args][1 if method else 0:]
        defaults = [None] * (len(positional) - len(arguments.defaults)) + arguments.defaults
        if len(positional) > POSITIONAL_MAX:
            problems.append(f"{where}: {len(positional)} parameters by position")
        flags = [arg.arg for arg, default in zip(positional, defaults, strict=True)
                 if _is_bool(arg, default)]
        if flags:
            problems.append(f"{where}: boolean {', '.join(flags)} by position")
    return problems


def test_long_signatures_and_booleans_are_keyword_only() -> None:
    found = [problem for module, tree in _sources() for problem in signature_problems(module, tree)]
    assert found == []


def test_the_scan_sees_what_it_must() -> None:
    tree = ast.parse(
        "def many(a, b, c, d): ...\n"
        "def flag(path, recursive=False): ...\n"
        "def fine(a, b, c, *, d, flag: bool = False): ...\n"
        "class C:\n"
        "    def method(self, a, b, c): ...\n"
        "    def typed(self, on: bool): ...\n"
        "    @staticmethod\n"
        "    def static(a, b, c, d): ...\n"
    )
    assert signature_problems("m.py", tree) == [
        "m.py:many: 4 parameters by position",
        "m.py:flag: boolean recursive by position",
        "m.py:C.typed: boolean on by position",
        "m.py:C.static: 4 parameters by position",
    ]


def _dataclass_options(node: ast.ClassDef) -> set[str] | None:
    """The options set true on a class's ``@dataclass(...)``, None when it is not one."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = call.func if call is not None else decorator
        if isinstance(name, ast.Name) and name.id == "dataclass":
            keywords = call.keywords if call is not None else []
            return {k.arg for k in keywords if k.arg and ast.literal_eval(k.value) is True}
    return None


def test_records_are_frozen_slotted_keyword_only_dataclasses_or_named_tuples() -> None:
    """Off a warm run's path a record is ``@dataclass(frozen=True, slots=True,
    kw_only=True)`` (a builder filled in step by step is not frozen); on it, a named
    tuple (see the next test)."""
    found = []
    for module, tree in _sources():
        for node in ast.walk(tree):
            options = _dataclass_options(node) if isinstance(node, ast.ClassDef) else None
            if options is None:
                continue
            where = f"{module}:{node.name}"  # type: ignore[attr-defined]
            wanted = {"slots", "kw_only"} if where in BUILDERS else {"frozen", "slots", "kw_only"}
            if options != wanted:
                found.append(f"{where}: @dataclass with {sorted(options)}, not {sorted(wanted)}")
    assert found == []


def test_a_warm_check_imports_neither_dataclasses_nor_typing(tmp_path: Path) -> None:
    """What a warm run imports is its start-up cost: ``dataclasses`` brings ``inspect``
    (about 17 ms, a sixth of a warm run), so the records on its path are named tuples."""
    (tmp_path / "a.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    (tmp_path / "agentrails.toml").write_text("# defaults\n", encoding="utf-8")
    code = ("import sys; from agentrails.cli import main; main(['check', '.']); "
            "print(sorted(m for m in ('dataclasses', 'inspect', 'typing') if m in sys.modules))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    # the first run is cold and fills the cache; what it changed within the settle window
    # (the cache folder it made, on a fast machine) is read again once, by the second
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[-1] == "[]", run.stdout
