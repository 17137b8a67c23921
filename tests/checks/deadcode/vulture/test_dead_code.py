"""AR301/AR302: each kind of dead code, as vulture 2.16 reports it and as we do.

Every ``agree`` call asserts both that vulture itself reports exactly the expected lines and
that agentrails (smart ignores off) does; the expectations are written out by hand.
"""

from __future__ import annotations

import textwrap

from tests.helpers.deadcode import agree, reports


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_each_kind_of_unused_definition() -> None:
    files = {"a.py": src("""
        import os, sys as system
        from collections import OrderedDict
        class Thing:
            def method(self):
                return 1
            @property
            def prop(self):
                self.attr = 2
            @staticmethod
            def static(value):
                pass
        def func(arg, _hidden):
            var = 1
        """)}
    agree(files, [
        "a.py:1: unused import 'os' (90% confidence)",
        "a.py:1: unused import 'system' (90% confidence)",
        "a.py:2: unused import 'OrderedDict' (90% confidence)",
        "a.py:3: unused class 'Thing' (60% confidence)",
        "a.py:4: unused method 'method' (60% confidence)",
        "a.py:6: unused property 'prop' (60% confidence)",
        "a.py:8: unused attribute 'attr' (60% confidence)",
        "a.py:9: unused method 'static' (60% confidence)",
        "a.py:10: unused variable 'value' (100% confidence)",
        "a.py:12: unused function 'func' (60% confidence)",
        "a.py:12: unused variable 'arg' (100% confidence)",
        "a.py:13: unused variable 'var' (60% confidence)",
    ])


def test_used_names_are_not_reported_and_kinds_follow_the_first_argument() -> None:
    files = {"a.py": src("""
        import json
        class Box:
            def __init__(self, size):
                self.size = size
            def area(self):
                return self.size * 2
            def no_self(cls):
                return cls
        print(Box(1).area(), json)
        """)}
    agree(files, [
        "a.py:7: unused function 'no_self' (60% confidence)",
    ])


def test_a_decorated_definition_starts_at_its_first_decorator() -> None:
    files = {"a.py": src("""
        import functools
        @functools.lru_cache
        @functools.wraps(print)
        def cached():
            pass
        """)}
    agree(files, ["a.py:2: unused function 'cached' (60% confidence)"])


def test_names_used_in_strings_count() -> None:
    files = {"a.py": src("""
        def by_getattr(): pass
        def by_hasattr(): pass
        def in_all(): pass
        def in_format(): pass
        def in_percent(): pass
        def not_used(): pass
        __all__ = ["in_all"]
        getattr(object, "by_getattr")
        hasattr(object, "by_hasattr")
        def f():
            in_format = in_percent = 1
            print("{in_format.x[0]}".format(**locals()), "%(in_percent)s" % locals())
        f()
        """)}
    agree(files, ["a.py:6: unused function 'not_used' (60% confidence)"])


def test_a_name_defined_in_one_file_and_used_in_another_is_used() -> None:
    files = {
        "pkg/defs.py": "def shared():\n    pass\n\ndef lonely():\n    pass\n",
        "pkg/user.py": "from pkg.defs import shared\nshared()\n",
    }
    agree(files, ["pkg/defs.py:4: unused function 'lonely' (60% confidence)"])


def test_vulture_per_file_ignores() -> None:
    files = {
        "pkg/__init__.py": "from pkg.mod import helper\n",
        "pkg/mod.py": src("""
            from os import *
            _private = 1
            __dunder__ = 2
            __mangled = 3
            class Klass:
                def __repr__(self):
                    return ""
            def helper(self, object):
                pass
            """),
        "tests/test_x.py": src("""
            class TestThing:
                def test_method(self):
                    pass
                def setup_method(self):
                    pass
            def test_function():
                pass
            def setup_module():
                pass
            def helper_in_tests():
                pass
            """),
    }
    agree(files, [
        "pkg/mod.py:4: unused variable '__mangled' (60% confidence)",
        "pkg/mod.py:5: unused class 'Klass' (60% confidence)",
        "pkg/mod.py:8: unused method 'helper' (60% confidence)",
        "tests/test_x.py:10: unused function 'helper_in_tests' (60% confidence)",
    ])


def test_test_file_patterns() -> None:
    body = "def test_a():\n    pass\n"
    files = {
        "test_top.py": body, "pkg/test/mod.py": body, "pkg/tests/mod.py": body,
        "pkg/thing_test.py": body, "pkg/thing-test.py": body, "pkg/testing.py": body,
        "pkg/contest.py": body,
    }
    agree(files, ["pkg/contest.py:1: unused function 'test_a' (60% confidence)"])


def test_bundled_whitelists_follow_the_imports() -> None:
    worker = "class Worker:\n    def run(self):\n        pass\n    def stop(self):\n        pass\n"
    agree({"a.py": worker + "print(Worker)\n"}, [
        "a.py:2: unused method 'run' (60% confidence)",
        "a.py:4: unused method 'stop' (60% confidence)",
    ])
    agree({"a.py": "import threading\n" + worker + "print(Worker, threading)\n"}, [
        "a.py:5: unused method 'stop' (60% confidence)",
    ])


def test_unreachable_code_after_stops() -> None:
    files = {"a.py": src("""
        def f(x):
            for item in x:
                if item:
                    continue
                    print(1)
                else:
                    break
                    print(2)
            while x:
                if x:
                    raise ValueError
                else:
                    return 1
                print(3)
            return 2
            @print
            def never():
                pass
        """)}
    agree(files, [
        "a.py:1: unused function 'f' (60% confidence)",
        "a.py:5: unreachable code after 'continue' (100% confidence)",
        "a.py:8: unreachable code after 'break' (100% confidence)",
        "a.py:14: unreachable code after 'if' (100% confidence)",
        "a.py:16: unreachable code after 'return' (100% confidence)",
        "a.py:16: unused function 'never' (60% confidence)",
    ])


def test_constant_conditions() -> None:
    files = {"a.py": src("""
        x = y = 1
        if 0:
            pass
        if x and ():
            pass
        if True:
            pass
        if not [] or x:
            pass
        else:
            pass
        while None:
            pass
        while 1:
            pass
        else:
            pass
        z = x if "" else y
        z = x if (1, 2) else y
        print(z)
        """)}
    agree(files, [
        "a.py:2: unsatisfiable 'if' condition (100% confidence)",
        "a.py:4: unsatisfiable 'if' condition (100% confidence)",
        "a.py:6: redundant if-condition (100% confidence)",
        "a.py:11: unreachable 'else' block (100% confidence)",
        "a.py:12: unsatisfiable 'while' condition (100% confidence)",
        "a.py:17: unreachable 'else' block (100% confidence)",
        "a.py:18: unreachable code after 'while' (100% confidence)",
        "a.py:18: unsatisfiable 'ternary' condition (100% confidence)",
        "a.py:19: unreachable 'else' expression (100% confidence)",
    ])


def test_endless_loops_and_try_blocks() -> None:
    files = {"a.py": src("""
        def endless():
            while True:
                pass
            print("after")
        def breaks():
            while True:
                for i in range(3):
                    break
                if breaks:
                    break
            print("after")
        def tried():
            try:
                return 1
            except ValueError:
                raise
            except KeyError:
                return 2
                print(2)
            else:
                print(3)
            print(4)
        print(endless, tried)
        """)}
    agree(files, [
        "a.py:4: unreachable code after 'while' (100% confidence)",
        "a.py:7: unused variable 'i' (60% confidence)",
        "a.py:19: unreachable code after 'return' (100% confidence)",
        "a.py:21: unreachable 'else' block (100% confidence)",
        "a.py:22: unreachable code after 'try' (100% confidence)",
    ])


def test_only_the_first_falling_through_handler_ends_the_examination() -> None:
    files = {"a.py": src("""
        try:
            pass
        except ValueError:
            pass
        except KeyError:
            return_ = 1
            raise
            print(return_)
        """)}
    agree(files, [])


def test_type_comments_use_names() -> None:
    files = {"a.py": src("""
        from typing import List
        class Item: pass
        class Other: pass
        def f(a,  # type: int
              ):
            # type: (...) -> Other
            x = []  # type: List[Item]
            return x, a
        f(1)
        """)}
    agree(files, [])


def test_match_class_keywords_count_as_used() -> None:
    files = {"a.py": src("""
        class Point:
            def __init__(self):
                self.x = 1
                self.unused_y = 2
        match Point():
            case Point(x=0):
                pass
        """)}
    agree(files, ["a.py:4: unused attribute 'unused_y' (60% confidence)"])


def test_a_file_that_does_not_parse_still_uses_its_names() -> None:
    files = {
        "defs.py": "def only_used_by_broken():\n    pass\ndef really_unused():\n    pass\n",
        "broken.py": "def broken(:\n    only_used_by_broken()\n",
    }
    assert reports(files, smart_ignores=False) == [
        "defs.py:3: unused function 'really_unused' (60% confidence)"]
    assert reports(files) == ["defs.py:3: unused function 'really_unused' (70% confidence)"]


def test_stub_and_non_python_files_are_not_read() -> None:
    files = {
        "a.py": "def f():\n    pass\n",
        "a.pyi": "def g() -> None: ...\nf()\n",
        "notes.txt": "f()\n",
    }
    assert reports(files, smart_ignores=False) == ["a.py:1: unused function 'f' (60% confidence)"]
    assert reports(files) == ["a.py:1: unused function 'f' (70% confidence)"]


def test_rule_documentation_has_every_section() -> None:
    from agentrails.checks.deadcode.rules import UnreachableCode, UnusedCode

    for rule in (UnusedCode, UnreachableCode):
        doc = rule.documentation()
        for heading in ("What it finds:", "Why:", "Example:", "How to fix:"):
            assert heading in doc, (rule.code, heading)
    doc = UnusedCode.documentation()
    for needle in ("100%", "90%", "70%", "60%", "certain", "likely", "possible", "application",
                   "library", "__all__", "TYPE_CHECKING", "smart-ignores", "vulture", "pytest",
                   "Protocol", "warn"):
        assert needle in doc, needle
    assert "pragma: no cover" in UnreachableCode.documentation()
