"""Property: on random nested programs our complexities equal radon's, function by function;
where ``except*`` and ``case`` guards appear, they differ by exactly those."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.checks.complexity.count import measure
from tests.helpers.radon_reference import dropped_by_radon, extras, radon_blocks, radon_functions

ATOMS = st.sampled_from(["a", "b", "1", "None", "x.y", "f(a)", "d[0]", '"s"'])
PATTERNS = st.sampled_from(
    ["1", '"s"', "None", "[p, *rest]", '{"k": p}', "Point(x=0)", "1 | 2", "(3 as q)"]
)
SIMPLE = ("x = {e}", "print({e})", "assert {e}", "assert {e}, {e}", "pass", "del x", "y: int = {e}")


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    triple = st.tuples(inner, inner, inner)
    comprehension = st.tuples(
        st.sampled_from(["[{}]", "({})", "{{{}}}"]), inner, inner, st.lists(inner, max_size=2)
    ).map(lambda t: t[0].format(f"{t[1]} for v in {t[2]}" + "".join(f" if {c}" for c in t[3])))
    return st.one_of(
        pair.map(lambda p: f"({p[0]} and {p[1]})"),
        triple.map(lambda p: f"({p[0]} or {p[1]} or {p[2]})"),
        triple.map(lambda p: f"({p[0]} if {p[1]} else {p[2]})"),
        comprehension,
        inner.map(lambda e: f"(lambda q=({e}): q)"),
        inner.map(lambda e: f"(not {e})"),
        pair.map(lambda p: f"g({p[0]}, k={p[1]})"),
        pair.map(lambda p: f"{{{p[0]}: {p[1]}}}"),
        inner.map(lambda e: e if "'" in e else f"f'{{ {e} }}'"),
    )


EXPRESSIONS = st.recursive(ATOMS, _extend, max_leaves=4)


@dataclass(frozen=True)
class Shape:
    """What the statements being drawn may use."""

    depth: int
    indent: int
    extras: bool
    is_async: bool = False

    def inner(self) -> Shape:
        return Shape(self.depth - 1, self.indent + 1, self.extras, self.is_async)

    @property
    def pad(self) -> str:
        return "    " * self.indent


@st.composite
def block(draw: st.DrawFn, shape: Shape) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 2))):
        lines += draw(statement(shape))
    return lines


@st.composite
def statement(draw: st.DrawFn, shape: Shape) -> list[str]:
    kinds = ["simple"]
    if shape.depth > 0:
        kinds += ["if", "loop", "try", "with", "match", "def", "class"]
    kind = draw(st.sampled_from(kinds))
    if kind == "simple":
        template = draw(st.sampled_from(SIMPLE)).replace("{e}", "{}")
        values = [draw(EXPRESSIONS) for _ in range(template.count("{}"))]
        return [shape.pad + template.format(*values)]
    return draw(COMPOUND[kind](shape))


@st.composite
def if_statement(draw: st.DrawFn, shape: Shape) -> list[str]:
    lines = [f"{shape.pad}if {draw(EXPRESSIONS)}:", *draw(block(shape.inner()))]
    for _ in range(draw(st.integers(0, 1))):
        lines += [f"{shape.pad}elif {draw(EXPRESSIONS)}:", *draw(block(shape.inner()))]
    if draw(st.booleans()):
        lines += [f"{shape.pad}else:", *draw(block(shape.inner()))]
    return lines


@st.composite
def loop(draw: st.DrawFn, shape: Shape) -> list[str]:
    heads = [f"for v in {draw(EXPRESSIONS)}:", f"while {draw(EXPRESSIONS)}:"]
    if shape.is_async:
        heads.append(f"async for v in {draw(EXPRESSIONS)}:")
    lines = [shape.pad + draw(st.sampled_from(heads)), *draw(block(shape.inner()))]
    if draw(st.booleans()):
        lines += [f"{shape.pad}else:", *draw(block(shape.inner()))]
    return lines


@st.composite
def try_statement(draw: st.DrawFn, shape: Shape) -> list[str]:
    star = shape.extras and draw(st.booleans())
    handlers = draw(st.integers(1 if star else 0, 3))
    lines = [f"{shape.pad}try:", *draw(block(shape.inner()))]
    for index in range(handlers):
        clause = draw(st.sampled_from([f"E{index}", "(E, F) as err"]))
        lines += [f"{shape.pad}except{'*' if star else ''} {clause}:", *draw(block(shape.inner()))]
    if handlers and draw(st.booleans()):
        lines += [f"{shape.pad}else:", *draw(block(shape.inner()))]
    if not handlers or draw(st.booleans()):
        lines += [f"{shape.pad}finally:", *draw(block(shape.inner()))]
    return lines


@st.composite
def with_statement(draw: st.DrawFn, shape: Shape) -> list[str]:
    keyword = draw(st.sampled_from(["with", "async with"] if shape.is_async else ["with"]))
    return [f"{shape.pad}{keyword} {draw(EXPRESSIONS)} as w:", *draw(block(shape.inner()))]


@st.composite
def match_statement(draw: st.DrawFn, shape: Shape) -> list[str]:
    inner = shape.inner()
    patterns = draw(st.lists(PATTERNS, min_size=1, max_size=3))
    patterns += draw(st.sampled_from([[], ["_"], ["z"]]))
    lines = [f"{shape.pad}match {draw(EXPRESSIONS)}:"]
    for pattern in patterns:
        guard = f" if {draw(EXPRESSIONS)}" if shape.extras and draw(st.booleans()) else ""
        lines += [f"{inner.pad}case {pattern}{guard}:", *draw(block(inner.inner()))]
    return lines


@st.composite
def function(draw: st.DrawFn, shape: Shape, name: str = "fn") -> list[str]:
    is_async = draw(st.booleans())
    lines = [f"{shape.pad}@deco({draw(EXPRESSIONS)})"] if draw(st.booleans()) else []
    keyword = "async def" if is_async else "def"
    head = f"{keyword} {name}(self, p={draw(EXPRESSIONS)}) -> {draw(EXPRESSIONS)}:"
    body = Shape(shape.depth - 1, shape.indent + 1, shape.extras, is_async)
    return [*lines, shape.pad + head, *draw(block(body))]


@st.composite
def klass(draw: st.DrawFn, shape: Shape) -> list[str]:
    inner = shape.inner()
    lines = [f"{shape.pad}class K({draw(EXPRESSIONS)}):"]
    if draw(st.booleans()):
        lines.append(f"{inner.pad}attr = {draw(EXPRESSIONS)}")
    for index in range(draw(st.integers(0, 2))):
        member = draw(st.sampled_from(["method", "guarded", "class"]))
        if member == "method" or inner.depth <= 0:
            lines += draw(function(inner, f"m{index}"))
        elif member == "guarded":
            guarded = draw(function(inner.inner(), f"g{index}"))
            lines += [f"{inner.pad}if {draw(EXPRESSIONS)}:", *guarded]
        else:
            lines += draw(klass(inner))
    return lines if len(lines) > 1 else [*lines, f"{inner.pad}pass"]


COMPOUND = {
    "if": if_statement, "loop": loop, "try": try_statement, "with": with_statement,
    "match": match_statement, "def": function, "class": klass,
}


@st.composite
def module(draw: st.DrawFn, extras: bool) -> str:
    top = Shape(depth=3, indent=0, extras=extras)
    lines: list[str] = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["def", "class", "guarded"]))
        if kind == "def":
            lines += draw(function(top, f"f{index}"))
        elif kind == "class":
            lines += draw(klass(top))
        else:
            lines += [f"if {draw(EXPRESSIONS)}:", *draw(function(top.inner(), f"h{index}"))]
    return "\n".join(lines) + "\n"


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(module(extras=False))
def test_every_function_equals_radon(source: str) -> None:
    tree = ast.parse(source)
    ours = {f.line: f.complexity for f in measure(tree).functions}
    radon = radon_functions(source)
    dropped = dropped_by_radon(tree)
    assert not radon.keys() & dropped.keys()
    assert ours == radon | dropped
    assert sorted(measure(tree).blocks) == radon_blocks(source)


@PROPERTY
@given(module(extras=True))
def test_difference_from_radon_is_exactly_except_star_and_guards(source: str) -> None:
    tree = ast.parse(source)
    ours = {f.line: f.complexity for f in measure(tree).functions}
    reference = radon_functions(source) | dropped_by_radon(tree)
    definitions = {
        node.lineno: node for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert ours.keys() == reference.keys() == definitions.keys()
    assert ours == {line: value + extras(definitions[line]) for line, value in reference.items()}
