"""Property: for generated multi-module programs, AR301/AR302 report exactly what vulture 2.16
reports (vulture's own API as the reference, bundled whitelists included, smart ignores off).

The generator mixes every construct the analysis treats specially: definitions of each kind,
decorators, imports (aliases, stars, ``__future__``, bundled-whitelist modules), attributes,
arguments, ``__all__``, ``getattr``/``hasattr``, format strings, ``match``, type comments,
constant and unknown conditions, every kind of early exit, ``# noqa`` comments, test files
and ``__init__.py`` files, plus random ``ignore-names``/``ignore-decorators`` patterns.
"""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.helpers.deadcode import reports, vulture_reports

NAMES = [
    "alpha", "beta", "gamma", "run", "name", "_private", "__dunder__", "__mangled", "self",
    "object", "test_case", "TestThing", "threading", "string", "sys", "Thing", "setup_module",
    "delta", "epsilon", "lonely_one", "lonely_two",
]
MODULES = ["os", "threading", "string", "sys", "pkg.util", "collections.abc", "ast"]
CONDITIONS = [
    "True", "False", "0", "1", "None", "()", "(1,)", "[]", "''", "'x'", "$N", "not $N",
    "$N and False", "$N or True", "not 0", "1 and $N", "not ($N or 1)", "{1: 2}", "set()",
    "-1", "1 + 2j", "$N.$N", "$N == 1",
]
EXPRESSIONS = [
    "$N", "$N.$N", "$N()", "$N.$N($N)", "1", "'text'", "[$N, 2]", "($N, $N)",
    "$N if $C else $N", "lambda $N: $N", "($N := 3)", "getattr($N, '$N')",
    "hasattr($N, '$N')", "getattr($N, '$N', None)", "'%($N)s' % locals()",
    "'{$N.$N[0]}'.format(**locals())", "[$N for $N in $N if $N]", "$N[$N]",
    "{$N: $N for $N in $N}", "await $N", "f'{$N}'", "*$N, $N",
]
NOQA = ["", "", "", "  # noqa", "  # noqa: F401", "  # noqa: V103,V107", "  # noqa: F841",
        "  # noqa:V201", "  # noqa: V104 V105", "  # NOQA: E501"]
DECORATORS = ["@property", "@staticmethod", "@classmethod", "@$N", "@$N.$N", "@$N()",
              "@$N.$N($N)", "@$N[0]"]
FILES = ["main.py", "pkg/__init__.py", "pkg/util.py", "tests/test_util.py", "conftest.py",
         "pkg/thing_test.py"]


@st.composite
def fill(draw: st.DrawFn, template: str) -> str:
    """Replace ``$C`` with conditions, then ``$N`` with names."""
    out = template
    while "$C" in out:
        out = out.replace("$C", draw(st.sampled_from(CONDITIONS)), 1)
    while "$N" in out:
        out = out.replace("$N", draw(st.sampled_from(NAMES)), 1)
    return out


def expression(draw: st.DrawFn) -> str:
    return draw(fill(draw(st.sampled_from(EXPRESSIONS))))


def condition(draw: st.DrawFn) -> str:
    return draw(fill(draw(st.sampled_from(CONDITIONS))))


def name(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(NAMES))


SIMPLE = [
    "$N = $E", "$N.$N = $E", "$N += 1", "print($E)", "import $M", "import $M as $N",
    "from $M import $N", "from $M import $N as $N", "from os import *", "return", "raise $N",
    "break", "continue", "pass", "__all__ = ['$N', '$N']", "$N = []  # type: $N", "del $N",
    "global $N",
]


def simple(draw: st.DrawFn) -> list[str]:
    """One line: an assignment, a use, an import, an early exit, ``__all__``..."""
    line = draw(st.sampled_from(SIMPLE))
    while "$E" in line:
        line = line.replace("$E", draw(st.sampled_from(EXPRESSIONS)), 1)
    while "$M" in line:
        line = line.replace("$M", draw(st.sampled_from(MODULES)), 1)
    return [draw(fill(line)) + draw(st.sampled_from(NOQA))]


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def block(draw: st.DrawFn, depth: int) -> list[str]:
    """A non-empty statement list."""
    count = draw(st.integers(1, 3 if depth else 5))
    out: list[str] = []
    for _ in range(count):
        out.extend(statement(draw, depth))
    return out


def decorated(draw: st.DrawFn, most: int) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(DECORATORS), max_size=most))
    return [draw(fill(decorator)) for decorator in chosen]


def function(draw: st.DrawFn, inner: int) -> list[str]:
    params = ", ".join(draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True)))
    asyncness = draw(st.sampled_from(["", "async "]))
    head = f"{asyncness}def {name(draw)}({params}):{draw(st.sampled_from(NOQA))}"
    return [*decorated(draw, 2), head, *indent(block(draw, inner))]


def klass(draw: st.DrawFn, inner: int) -> list[str]:
    bases = draw(fill(draw(st.sampled_from(["", "(object)", "($N)", "($N.$N)"]))))
    return [*decorated(draw, 1), f"class {name(draw)}{bases}:", *indent(block(draw, inner))]


def branch(draw: st.DrawFn, inner: int) -> list[str]:
    lines = [f"if {condition(draw)}:", *indent(block(draw, inner))]
    if draw(st.booleans()):
        lines += [f"elif {condition(draw)}:", *indent(block(draw, inner))]
    if draw(st.booleans()):
        lines += ["else:", *indent(block(draw, inner))]
    return lines


def loop(draw: st.DrawFn, inner: int) -> list[str]:
    heads = [f"while {condition(draw)}:", f"for {name(draw)} in {name(draw)}:"]
    lines = [draw(st.sampled_from(heads)), *indent(block(draw, inner))]
    return lines + (["else:", *indent(block(draw, inner))] if draw(st.booleans()) else [])


def attempt(draw: st.DrawFn, inner: int) -> list[str]:
    lines = ["try:", *indent(block(draw, inner))]
    handlers = draw(st.integers(0, 2))
    for _ in range(handlers):
        lines += [f"except {name(draw)} as {name(draw)}:", *indent(block(draw, inner))]
    if handlers and draw(st.booleans()):
        lines += ["else:", *indent(block(draw, inner))]
    if not handlers or draw(st.booleans()):
        lines += ["finally:", *indent(block(draw, inner))]
    return lines


def context_manager(draw: st.DrawFn, inner: int) -> list[str]:
    return [f"with {expression(draw)} as {name(draw)}:", *indent(block(draw, inner))]


def matching(draw: st.DrawFn, inner: int) -> list[str]:
    first = indent(indent(block(draw, inner)))
    rest = indent(indent(block(draw, inner)))
    return [f"match {name(draw)}:", f"    case {name(draw)}({name(draw)}=1):", *first,
            "    case _:", *rest]


def ternary(draw: st.DrawFn, inner: int) -> list[str]:
    return [f"x = {expression(draw)} if {condition(draw)} else {expression(draw)}"]


COMPOUND = [function, klass, branch, loop, attempt, context_manager, matching, ternary]


def statement(draw: st.DrawFn, depth: int) -> list[str]:
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        return simple(draw)
    return draw(st.sampled_from(COMPOUND))(draw, depth + 1)


@st.composite
def program(draw: st.DrawFn) -> dict[str, str]:
    paths = draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=4, unique=True))
    files = {}
    for path in paths:
        header = ["from __future__ import annotations"] if draw(st.booleans()) else []
        files[path] = "\n".join(header + block(draw, 0)) + "\n"
    return files


def parses(files: dict[str, str]) -> bool:
    try:
        for text in files.values():
            ast.parse(text, type_comments=True)
    except SyntaxError:
        return False
    return True


PATTERNS = st.lists(st.sampled_from(["alpha", "_*", "t*", "*a", "run", "if", "ret*", "th?ead*"]),
                    max_size=2)
DECORATOR_PATTERNS = st.lists(st.sampled_from(["@property", "@*", "@alpha.*", "@beta", "@"]),
                              max_size=2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program(), PATTERNS, DECORATOR_PATTERNS)
def test_same_answer_as_vulture(files: dict[str, str], names: list[str],
                                decorators: list[str]) -> None:
    assume(parses(files))
    expected = vulture_reports(files, ignore_names=names, ignore_decorators=decorators)
    ours = reports(files, smart_ignores=False, ignore_names=names, ignore_decorators=decorators)
    assert ours == expected
