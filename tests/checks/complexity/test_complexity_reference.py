"""The reference helpers' own checks: they find what radon drops and counts differently."""

from __future__ import annotations

import ast

from tests.helpers.radon_reference import dropped_by_radon, extras, radon_functions


def test_flatten_finds_closures_methods_and_inner_classes() -> None:
    source = (
        "def f():\n    def g():\n        pass\n"
        "class A:\n    def m(self):\n        def h():\n            pass\n"
        "    class B:\n        def n(self):\n            pass\n"
    )
    assert sorted(radon_functions(source)) == [1, 2, 5, 6, 9]


def test_dropped_functions_and_extras_are_found() -> None:
    tree = ast.parse(
        "def f(v):\n"
        "    class L:\n        def m(self):\n            class M:\n"
        "                def n(self):\n                    pass\n"
        "    match v:\n        case 1 if v:\n            pass\n"
        "    try:\n        pass\n    except* E:\n        pass\n    else:\n        pass\n"
    )
    assert dropped_by_radon(tree) == {3: 1, 5: 1}
    assert extras(tree.body[0]) == 1 + 2
    assert radon_functions(ast.unparse(tree)) == {1: 2}
