"""Properties of the scope-aware analysis on generated programs (hypothesis).

A program is a package of a few modules built from statements that import each other's
names, define functions, classes (with project bases or none) and methods, and use them.
Into it goes one private definition of a fresh name: a function, a class or a constant at
the top of some module, or a method of some class. Whatever the program, the definition is
reported at the default floor (80); and once a use of it is added anywhere it can reach
(its own module, another module importing it or reaching it through its module, any
attribute of that name for a method), it is not reported any more.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.checks.deadcode.scope import names

MODULES = ["pkg/a.py", "pkg/b.py", "pkg/c.py"]
WORDS = ["alpha", "beta", "gamma", "delta", "omega"]
FRESH = "_seeded_unused"


@st.composite
def statement(draw: st.DrawFn, module: int) -> list[str]:
    word = draw(st.sampled_from(WORDS))
    other = draw(st.sampled_from([m for m in range(len(MODULES)) if m != module]))
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return ["import json", f"print(json.dumps({word!r}))"]
    if kind == 1:
        return [f"from pkg.{'abc'[other]} import {word}_func", f"print({word}_func(1))"]
    if kind == 2:
        return [f"def {word}_func(value):", f"    {word} = value + 1", f"    return {word}"]
    if kind == 3:
        base = draw(st.sampled_from(["", "(Exception)", f"({word.title()}Base)"]))
        return [f"class {word.title()}Base:", "    pass",
                f"class {word.title()}{base}:", f"    def {word}(self):", "        return 1"]
    if kind == 4:
        return [f"{word.upper()} = {len(word)}", f"print({word.upper()})"]
    if kind == 5:
        return [f"def _{word}_private():", "    return 2", f"print(_{word}_private())"]
    return [f"print({word!r})"]


@st.composite
def program(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    """Each module as a list of top-level blocks."""
    return {
        path: draw(st.lists(statement(index), min_size=1, max_size=5))
        for index, path in enumerate(MODULES)
    }


def render(blocks: dict[str, list[list[str]]]) -> dict[str, str]:
    files = {"pkg/__init__.py": ""}
    for path, module in blocks.items():
        lines = [line for block in module for line in block]
        files[path] = "\n".join(lines) + "\n"
    return files


DEFINITIONS = {
    "function": [f"def {FRESH}(value):", "    return value"],
    "class": [f"class {FRESH}:", "    limit = 3"],
    "constant": [f"{FRESH} = 42"],
}


@st.composite
def seeded(draw: st.DrawFn) -> tuple[dict[str, list[list[str]]], str, int, str]:
    """A program with one unused private definition: (blocks, kind, module, where)."""
    blocks = draw(program())
    module = draw(st.sampled_from(MODULES))
    classes = [i for i, block in enumerate(blocks[module]) if block[0].startswith("class")]
    kinds = ["function", "class", "constant"] + (["method"] if classes else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "method":
        index = draw(st.sampled_from(classes))
        block = blocks[module][index]
        blocks[module][index] = [*block, f"    def {FRESH}(self):", "        return self"]
    else:
        at = draw(st.integers(0, len(blocks[module])))
        blocks[module].insert(at, DEFINITIONS[kind])
    return blocks, kind, MODULES.index(module), module


def uses(kind: str, module: str) -> list[tuple[str, list[str]]]:
    """(module, lines) that each use the seeded definition."""
    dotted = module[:-3].replace("/", ".")
    if kind == "method":
        return [(path, ["def caller(thing):", f"    return thing.{FRESH}()", "print(caller)"])
                for path in MODULES]
    others = [path for path in MODULES if path != module]
    return [
        (module, [f"print({FRESH})"]),
        (module, ["def caller():", f"    return {FRESH}", "print(caller)"]),
        (others[0], [f"from {dotted} import {FRESH}", f"print({FRESH})"]),
        (others[1], [f"import {dotted}", f"print({dotted}.{FRESH})"]),
        (others[0], ["from unittest import mock", f"mock.patch('{dotted}.{FRESH}')"]),
    ]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(seeded())
def test_an_unused_private_definition_is_always_found(case) -> None:
    blocks, _, _, _ = case
    assert FRESH in names(render(blocks))


@SETTINGS
@given(seeded(), st.data())
def test_a_use_anywhere_always_clears_it(case, data) -> None:
    blocks, kind, _, module = case
    where, lines = data.draw(st.sampled_from(uses(kind, module)))
    at = data.draw(st.integers(0, len(blocks[where])))
    blocks[where].insert(at, lines)
    assert FRESH not in names(render(blocks), floor=0)
