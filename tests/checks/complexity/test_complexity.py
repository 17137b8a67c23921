"""AR201/AR203 counting against radon 6.0.1 itself, snippet by snippet, and the rules' output."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st
from radon.complexity import cc_rank

from agentrails.checks.complexity.count import COUNTING, measure, rank
from agentrails.checks.complexity.rules import FAMILY, ComplexFunction, ComplexModule
from agentrails.engine.facts import FileFacts
from agentrails.engine.protocol import RuleContext
from tests.helpers.radon_reference import radon_blocks, radon_functions

SNIPPETS = {
    "plain": "def f():\n    return 1\n",
    "if-elif-else": """
        def f(a, b):
            if a:
                return 1
            elif b:
                return 2
            else:
                return 3
        """,
    "nested ifs": """
        def f(a, b, c):
            if a:
                if b:
                    if c:
                        pass
        """,
    "conditional expression": "def f(a):\n    return 1 if a else (2 if a > 1 else 3)\n",
    "bool ops": "def f(a, b, c, d):\n    return a and b or c and d and a\n",
    "not and compare": "def f(a, b):\n    return not (a < b < 3) and b\n",
    "for else": """
        def f(xs):
            for x in xs:
                if x:
                    break
            else:
                return 0
            for y in xs:
                pass
        """,
    "while else": """
        def f(n):
            while n:
                n -= 1
            else:
                n = 3
            while n > 1:
                n //= 2
        """,
    "comprehensions": """
        def f(xs):
            a = [x for x in xs if x if x > 1]
            b = {x: y for x in xs for y in xs if y}
            c = {x for x in xs}
            d = list(x for x in xs if x or not x)
            return a, b, c, d
        """,
    "try": """
        def f():
            try:
                pass
            except ValueError:
                pass
            except (TypeError, KeyError) as error:
                raise error
            else:
                pass
            finally:
                pass
            try:
                pass
            finally:
                pass
        """,
    "assert": """
        def f(a, b):
            assert a
            assert a and b or (b if a else a), [x for x in a if x]
        """,
    "with and others not counted": """
        def f(a, b):
            with a as x, b as y:
                del x
            global g
            raise ValueError(a) from b
        """,
    "match": """
        def f(v):
            match v:
                case 1:
                    pass
                case [a, *rest]:
                    pass
                case {"k": 1} | {"j": 2}:
                    pass
                case Point(x=0):
                    pass
                case (1 as one):
                    pass
                case _:
                    pass
        """,
    "match capture is irrefutable": """
        def f(v):
            match v:
                case 1:
                    pass
                case other:
                    pass
        """,
    "match only wildcard": "def f(v):\n    match v:\n        case _:\n            pass\n",
    "match no wildcard": "def f(v):\n    match v:\n        case 1 | 2:\n            pass\n",
    "lambda counts in its function": """
        def f(xs):
            key = lambda x, d=(1 if xs else 2): x if x else d and x
            return sorted(xs, key=lambda x: [y for y in x if y])
        """,
    "decorators, defaults, annotations not counted": """
        @deco(1 if x else 2)
        def f(a=(1 if x else 2), *, b: (int if x else str) = a or b) -> (a or b):
            pass
        """,
    "closures are measured alone": """
        def outer(a):
            if a:
                pass
            @wrap(a or a)
            def inner(b=a or b):
                if b and a:
                    def innermost():
                        return [x for x in b]
                return b
            return inner
        """,
    "async": """
        async def f(xs):
            async for x in xs:
                if x:
                    pass
            else:
                pass
            async with xs as y:
                await y
            return [x async for x in xs if x]
        """,
    "expressions anywhere": """
        def f(a, b):
            x = f"{a if b else a} {[c for c in b]!r:{b or a}}"
            y = (z := a or b)
            a[b if b else a:a or b] = {1: a or b, **(b or {})}
            print(*(a or b), sep=b and a, **(a or {}))
            return (yield from (a or b))
        """,
    "methods, nested classes, class bodies": """
        class A(Base if x else Other, metaclass=M or N):
            attr = 1 if x else 2
            assert attr
            def m(self, a):
                return a or self
            if x:
                def n(self):
                    pass
            else:
                async def n(self):
                    for i in self:
                        pass
            class Inner:
                flag = a and b
                def deep(self):
                    if self:
                        return [y for y in self if y]
                class Innermost:
                    def m(self):
                        return self or 1
            @property
            def p(self):
                def helper():
                    return 1 if self else 2
                return helper
        """,
    "class without methods": "class A:\n    x = a or b or c\n    y = [z for z in q]\n",
    "class with one method": """
        class A:
            x = 1 if a else 2
            def m(self):
                if self:
                    pass
        """,
    "module-level code and guarded definitions": """
        import os
        X = [x for x in os.environ if x or not x]
        if X:
            def f():
                return X and X
        else:
            class C:
                def m(self):
                    pass
        try:
            def g():
                pass
        except ImportError:
            def g():
                if X:
                    pass
        for name in X:
            def h():
                pass
        while X:
            class D:
                pass
            break
        with open(X) as handle:
            def w():
                return handle or X
        match X:
            case []:
                def mm():
                    pass
        """,
}


def _source(snippet: str) -> str:
    return textwrap.dedent(snippet).lstrip("\n")


def _ours(source: str) -> dict[int, int]:
    return {f.line: f.complexity for f in measure(ast.parse(source)).functions}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_function_complexity_equals_radon(name: str) -> None:
    source = _source(SNIPPETS[name])
    assert _ours(source) == radon_functions(source)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_module_blocks_equal_radon_cc_visit(name: str) -> None:
    source = _source(SNIPPETS[name])
    assert sorted(measure(ast.parse(source)).blocks) == radon_blocks(source)


def test_counts_known_values() -> None:
    """A few numbers worked out by hand, so radon itself is checked too."""
    ours = _ours(_source(SNIPPETS["closures are measured alone"]))
    assert ours == {1: 2, 5: 3, 7: 2}
    assert _ours(_source(SNIPPETS["match"])) == {1: 6}
    assert _ours(_source(SNIPPETS["assert"])) == {1: 3}
    assert _ours(_source(SNIPPETS["try"])) == {1: 4}


def test_names_positions_and_nested_class_methods() -> None:
    source = _source(SNIPPETS["methods, nested classes, class bodies"])
    found = [(f.name, f.line, f.column) for f in measure(ast.parse(source)).functions]
    assert found == [
        ("A.m", 4, 5), ("A.n", 7, 9), ("A.n", 10, 9), ("A.Inner.deep", 15, 9),
        ("A.Inner.Innermost.m", 19, 13), ("A.p", 22, 5), ("A.p.helper", 23, 9),
    ]


def test_methods_of_classes_inside_functions_are_reported_radon_drops_them() -> None:
    source = _source("""
        def factory(a):
            class Local:
                def method(self):
                    if a or self:
                        pass
            return Local
        """)
    ours = {f.name: f.complexity for f in measure(ast.parse(source)).functions}
    assert ours == {"factory": 1, "factory.Local.method": 3}
    assert radon_functions(source) == {1: 1}


def test_try_star_counts_like_try() -> None:
    """radon counts nothing for ``except*``; we count it as ``except``, and nothing else differs."""
    star = _source("""
        def f():
            try:
                pass
            except* ValueError:
                if x:
                    pass
            except* (TypeError, KeyError):
                pass
            else:
                pass
        """)
    plain = star.replace("except*", "except")
    assert radon_functions(star) == {1: 2}
    assert _ours(star) == {1: 2 + 3}
    assert _ours(star) == _ours(plain) == radon_functions(plain)


def test_each_case_guard_adds_one() -> None:
    """radon ignores guards; each one adds 1 here, and nothing else differs."""
    guarded = _source("""
        def f(v):
            match v:
                case 1 if v > 0:
                    pass
                case [a] if a or v:
                    pass
                case int():
                    pass
                case _ if v:
                    pass
        """)
    unguarded = guarded
    for guard in (" if v > 0:", " if a or v:", " if v:"):
        unguarded = unguarded.replace(guard, ":")
    assert radon_functions(guarded) == {1: 1 + 3 + 1}
    assert _ours(guarded) == {1: 1 + 3 + 1 + 3}
    assert _ours(unguarded) == radon_functions(unguarded) == {1: 4}


def test_deep_nesting_does_not_recurse() -> None:
    depth = 98  # the tokenizer allows 100 indentation levels
    lines = ["def f(x):", *(" " * (i + 1) + "if x:" for i in range(depth)), " " * 99 + "pass"]
    assert _ours("\n".join(lines)) == radon_functions("\n".join(lines)) == {1: depth + 1}
    # radon's recursive visitor hits RecursionError on this one
    chain = ast.parse("def g(a):\n    return " + "a if a else " * 2000 + "a\n")
    long_bool = ast.parse("def h(a):\n    return " + " and ".join(["a"] * 50_000) + "\n")
    assert _ours_tree(chain) == {1: 2001}
    assert _ours_tree(long_bool) == {1: 50_000}


def _ours_tree(tree: ast.Module) -> dict[int, int]:
    return {f.line: f.complexity for f in measure(tree).functions}


def test_every_concrete_node_type_is_known() -> None:
    """The field table comes from the ASDL docstrings; a node type it missed would be skipped."""
    skipped = {"Load", "Store", "Del", "And", "Or", "Name", "Constant", "Pass", "Break",
               "Continue", "Import", "ImportFrom", "Global", "Nonlocal", "alias",
               "TypeIgnore", "MatchSingleton", "MatchSequence", "MatchStar", "MatchAs",
               "MatchOr"}
    walked = {cls.__name__ for cls in COUNTING}
    for cls in (ast.If, ast.Call, ast.Lambda, ast.arguments, ast.keyword, ast.withitem,
                ast.comprehension, ast.ExceptHandler, ast.match_case, ast.JoinedStr,
                ast.FormattedValue, ast.Slice, ast.Starred, ast.NamedExpr, ast.Dict):
        assert cls.__name__ in walked
    assert not walked & skipped
    assert COUNTING[ast.Call][:2] == (("func",), ("args", "keywords"))
    assert COUNTING[ast.FunctionDef][:2] == ((), ())


@given(st.one_of(
    st.integers(min_value=0, max_value=200),
    st.fractions(min_value=0, max_value=200, max_denominator=400).map(float),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
))
def test_rank_equals_radon_cc_rank(value: float) -> None:
    assert rank(value) == cc_rank(value)


def _facts(source: str) -> FileFacts:
    facts = FileFacts(path="m.py", is_python=True)
    facts.families["complexity"] = measure(ast.parse(_source(source)))
    return facts


def _ctx(**options: object) -> RuleContext:
    clean = {key: option.default for key, option in FAMILY.options.items()}
    clean.update({key.replace("_", "-"): value for key, value in options.items()})
    return RuleContext(clean, "/", frozenset())


def test_ar201_reports_functions_above_the_ceiling_only() -> None:
    facts = _facts(SNIPPETS["methods, nested classes, class bodies"])
    findings = list(ComplexFunction().check_file(facts, _ctx(max_function=2)))
    assert [(f.line, f.column, f.value, f.limit) for f in findings] == [(15, 9, 4, 2)]
    assert findings[0].message == "function 'A.Inner.deep' is too complex (4 > 2)"
    assert findings[0].code == "AR201"
    assert list(ComplexFunction().check_file(facts, _ctx(max_function=4))) == []
    assert list(ComplexFunction().check_file(FileFacts(path="x.txt"), _ctx())) == []


def test_ar203_ranks_the_module_average() -> None:
    # blocks: f (1 + 5 ifs = 6) and g (1): average 3.5, rank A
    source = "def f(a):\n" + "    if a: pass\n" * 5 + "def g(): pass\n"
    facts = _facts(source)
    assert sorted(facts.families["complexity"].blocks) == [1, 6] == radon_blocks(source)
    assert list(ComplexModule().check_file(facts, _ctx(max_module_rank="A"))) == []
    heavy = _facts("def f(a):\n" + "    if a: pass\n" * 11)
    (finding,) = ComplexModule().check_file(heavy, _ctx(max_module_rank="B"))
    assert (finding.line, finding.column, finding.value, finding.limit) == (1, 1, 12.0, "B")
    assert finding.message == "module average complexity 12.00 ranks C, worse than B"
    assert list(ComplexModule().check_file(heavy, _ctx(max_module_rank="C"))) == []


def test_ar203_empty_module_averages_zero() -> None:
    facts = _facts("X = 1 if a else 2\n")
    assert facts.families["complexity"].blocks == ()
    assert list(ComplexModule().check_file(facts, _ctx(max_module_rank="A"))) == []
