"""Whole-program facts: private names reached through their module, members matched by name,
confidence that follows the evidence, and a library's API left alone."""

from __future__ import annotations

from pathlib import Path

from tests.checks.deadcode.scope import found, names, src

LIBRARY = '[project]\nname = "demo"\nversion = "1"\n'


def test_private_module_names_are_certain_and_any_reach_clears_them() -> None:
    lib = src("""
        _LIMIT = 3
        def _helper(value):
            return value
        class _Cache:
            pass
        """)
    alone = {"pkg/__init__.py": "", "pkg/lib.py": lib}
    assert found(alone) == [
        "pkg/lib.py:1: unused variable '_LIMIT' (100% confidence)",
        "pkg/lib.py:2: unused function '_helper' (100% confidence)",
        "pkg/lib.py:4: unused class '_Cache' (100% confidence)",
    ]
    reaches = [
        "from pkg.lib import _LIMIT, _helper, _Cache\nprint(_LIMIT, _helper, _Cache)\n",
        "from pkg import lib\nprint(lib._LIMIT, lib._helper, lib._Cache)\n",
        "import pkg.lib as lib\nprint(getattr(lib, '_LIMIT'), lib._helper, lib._Cache)\n",
        "from unittest import mock\nmock.patch('pkg.lib._LIMIT')\nmock.patch('pkg.lib._helper')\n"
        "mock.patch('pkg.lib._Cache')\n",
    ]
    for text in reaches:
        assert found({**alone, "tests/test_lib.py": text}) == [], text


def test_a_module_that_does_not_parse_may_hold_the_use_so_only_local_scopes_are_judged() -> None:
    lib = src("""
        import json
        _LIMIT = 3
        def _helper(value):
            unused = value
            return value
        """)
    broken = "from pkg.lib import _helper, _LIMIT\ndef broken(:\n    return _helper\n"
    files = {"pkg/__init__.py": "", "pkg/lib.py": lib, "pkg/use.py": broken}
    assert found(files) == [
        "pkg/lib.py:1: unused import 'json' (100% confidence)",
        "pkg/lib.py:4: unused variable 'unused' (100% confidence)",
    ]
    fixed = "from pkg.lib import _helper\nprint(_helper)\n"
    assert found({**files, "pkg/use.py": fixed}) == [
        "pkg/lib.py:1: unused import 'json' (100% confidence)",
        "pkg/lib.py:2: unused variable '_LIMIT' (100% confidence)",
        "pkg/lib.py:4: unused variable 'unused' (100% confidence)",
    ]


def test_another_modules_private_name_of_the_same_spelling_does_not_clear_it() -> None:
    files = {"a.py": "_cache = {}\n", "b.py": "_cache = {}\nprint(_cache)\n"}
    assert found(files) == ["a.py:1: unused variable '_cache' (100% confidence)"]
    assert found(files, smart_ignores=False, floor=0) == []


def test_members_private_ones_are_90_public_ones_70_in_an_application() -> None:
    files = {"app.py": src("""
        class Store:
            limit = 10
            def __init__(self):
                self._items = []
            def _evict(self):
                return 1
            def size(self):
                return 0
        Store()
        """)}
    assert found(files, floor=70) == [
        "app.py:2: unused attribute 'limit' (70% confidence)",
        "app.py:4: unused attribute '_items' (90% confidence)",
        "app.py:5: unused method '_evict' (90% confidence)",
        "app.py:7: unused method 'size' (70% confidence)",
    ]
    other = "def f(x):\n    return x.size() + x._evict() + len(x._items) + x.limit\nprint(f)\n"
    used = {**files, "other.py": other}
    assert names(used, floor=0) == set()


def test_a_getattr_built_at_run_time_reaches_every_name_with_its_prefix() -> None:
    files = {"app.py": src("""
        class Parser:
            def _parse_int(self, text):
                return int(text)
            def _parse_str(self, text):
                return text
            def _other(self):
                return 0
            def parse(self, kind, text):
                return getattr(self, f"_parse_{kind}")(text)
        Parser().parse("int", "1")
        """)}
    assert names(files) == {"_other"}


def test_bases_decide_what_a_member_may_be() -> None:
    files = {"app.py": src("""
        import io
        from framework import View
        class Reader(io.RawIOBase):
            def readinto(self, buffer):
                return 0
            def _fill(self):
                return 0
        class Page(View):
            template = "page.html"
            def _render(self):
                return ""
        Reader(); Page()
        """)}
    assert found(files) == ["app.py:6: unused method '_fill' (90% confidence)"]
    assert names(files, floor=60) == {"_fill", "template", "_render"}


def test_record_fields_and_enum_members_are_possible_only() -> None:
    files = {"app.py": src("""
        import enum
        from dataclasses import dataclass
        @dataclass
        class Point:
            x: int
            y: int = 0
        class Color(enum.Enum):
            RED = 1
        print(Point, Color)
        """)}
    assert found(files) == []
    assert names(files, floor=60) == {"y", "RED"}  # a bare annotation binds nothing


def test_a_librarys_api_is_not_dead_code(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(LIBRARY)
    files = {
        "src/demo/__init__.py": "",
        "src/demo/api.py": "def public():\n    pass\nclass Client:\n    def send(self):\n"
                           "        pass\n",
        "src/demo/_impl.py": "def unused_helper():\n    pass\n",
        "tests/helpers.py": "def unused_in_tests():\n    pass\n",
        "tests/test_api.py": "from tests.helpers import unused_in_tests as _\n",
    }
    assert found(files, tmp_path, floor=70) == [
        "src/demo/_impl.py:1: unused function 'unused_helper' (70% confidence)",
    ]
    assert found(files, tmp_path) == []  # likely only: below the default floor
    assert found(files, tmp_path, floor=70, application=True) == [
        "src/demo/_impl.py:1: unused function 'unused_helper' (70% confidence)",
        "src/demo/api.py:1: unused function 'public' (70% confidence)",
        "src/demo/api.py:3: unused class 'Client' (70% confidence)",
        "src/demo/api.py:4: unused method 'send' (70% confidence)",
    ]


def test_entry_points_and_sphinx_configuration_are_uses(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        LIBRARY + '[project.scripts]\ndemo = "demo._cli:main"\n')
    files = {
        "demo/__init__.py": "",
        "demo/_cli.py": "def main():\n    pass\ndef other():\n    pass\n",
        "docs/conf.py": "project = 'demo'\nhtml_theme = 'furo'\ndef setup(app):\n    pass\n",
        "docs/index.rst": "Demo\n",
    }
    assert found(files, tmp_path, floor=70) == [
        "demo/_cli.py:3: unused function 'other' (70% confidence)"]


def test_a_helper_module_of_the_tests_nobody_imports_is_an_input() -> None:
    files = {
        "tests/typing_example.py": "def checked_by_mypy() -> None:\n    pass\n",
        "tests/helpers.py": "def stale() -> None:\n    pass\n",
        "tests/test_a.py": "import tests.helpers as helpers\nprint(helpers)\n",
    }
    assert found(files, floor=70) == [
        "tests/helpers.py:1: unused function 'stale' (70% confidence)"]
    assert names(files, floor=60) == {"stale", "checked_by_mypy"}


def test_names_in_generated_code_are_uses() -> None:
    files = {"gen.py": src("""
        _CACHE = {}
        def make():
            source = "def f():\\n    return _CACHE"
            namespace = {}
            exec(compile(source, "gen", "exec"), globals(), namespace)
            return namespace["f"]
        make()
        """)}
    assert found(files) == []
