"""Per-scope facts: unused locals (ruff's F841 reasoning) and unused imports (F401's), each
judged within its own scope whatever other modules do."""

from __future__ import annotations

from tests.checks.deadcode.scope import found, names, src


def test_each_form_of_an_unused_local_is_found_at_100() -> None:
    files = {"app.py": src("""
        def work(path):
            plain = 1
            annotated: int = 2
            with open(path) as handle:
                pass
            try:
                pass
            except ValueError as error:
                pass
            if (walrus := 3):
                pass
            first = second = 4
            def nested():
                pass
            return second
        work("x")
        """)}
    assert found(files) == [
        "app.py:10: unused variable 'walrus' (100% confidence)",
        "app.py:12: unused variable 'first' (100% confidence)",
        "app.py:13: unused function 'nested' (100% confidence)",
        "app.py:2: unused variable 'plain' (100% confidence)",
        "app.py:3: unused variable 'annotated' (100% confidence)",
        "app.py:4: unused variable 'handle' (100% confidence)",
        "app.py:8: unused variable 'error' (100% confidence)",
    ]


def test_a_local_is_judged_in_its_own_scope_whatever_else_uses_the_name() -> None:
    files = {
        "a.py": "def f():\n    value = 1\n    return 2\nf()\n",
        "b.py": "value = 3\nprint(value)\ndef g(value):\n    return value\ng(1)\n",
    }
    assert found(files) == ["a.py:2: unused variable 'value' (100% confidence)"]


def test_reads_that_keep_a_local() -> None:
    files = {"app.py": src("""
        def closure():
            kept = 1
            def inner():
                return kept
            return inner
        def augmented():
            count = 0
            count += 1
        def deleted():
            gone = 1
            del gone
        def unpacked():
            a, b = divmod(7, 2)
            for item in range(3):
                pass
            _ignored = 5
        def dynamic():
            hidden = 1
            return locals()
        def declared():
            global counter
            counter = 1
        closure(); augmented(); deleted(); unpacked(); dynamic(); declared()
        """)}
    assert found(files) == []


def test_a_module_that_shows_frame_locals_makes_unused_locals_possible_only() -> None:
    files = {"demo.py": src("""
        from rich.traceback import install
        install(show_locals=True)
        def crash():
            shown = {"x": 1}
            return 1 / 0
        crash()
        """)}
    assert found(files) == []
    assert found(files, floor=60) == ["demo.py:4: unused variable 'shown' (60% confidence)"]


def test_an_import_is_judged_in_its_own_module() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import json\nimport os\nprint(os.sep)\n",
        "pkg/b.py": "import json\nprint(json.dumps(1))\n",
    }
    assert found(files) == ["pkg/a.py:1: unused import 'json' (100% confidence)"]
    assert found(files, smart_ignores=False) == []  # vulture matches the name anywhere


def test_what_counts_as_a_use_of_an_import() -> None:
    files = {
        "pkg/__init__.py": "from pkg.a import helper\n",
        "pkg/a.py": src("""
            from __future__ import annotations
            from typing import TYPE_CHECKING
            import json as json
            from os import sep as sep
            from collections import OrderedDict, deque
            import re, shlex
            if TYPE_CHECKING:
                from pathlib import Path
            try:
                import simplejson
            except ImportError:
                pass
            __all__ = ["deque"]
            def helper(path: "Path") -> "list[re.Pattern[str]]":
                return []
            """),
        "pkg/b.py": "from pkg.a import OrderedDict\nprint(OrderedDict)\n",
        "pkg/c.py": "import pkg.a\nprint(pkg.a.shlex)\n",
    }
    assert found(files) == []


def test_unused_imports_inside_functions_and_noqa() -> None:
    files = {"app.py": src("""
        from os import (  # noqa: F401
            sep,
            pathsep,
        )
        import sys  # noqa
        def run():
            import json
            import re
            return re.compile("x")
        run()
        """)}
    assert found(files) == ["app.py:7: unused import 'json' (100% confidence)"]


def test_a_module_that_re_exports_most_of_its_imports_keeps_the_rest() -> None:
    compat = src("""
        from urllib.parse import quote, urlparse, urldefrag
        from collections import OrderedDict
        from io import StringIO
        import json
        """)
    users = ("from pkg.compat import quote, urlparse, OrderedDict\n"
             "print(quote, urlparse, OrderedDict)\n")
    files = {"pkg/__init__.py": "", "pkg/compat.py": compat, "pkg/users.py": users}
    assert found(files) == []
    assert names(files, floor=60) == {"urldefrag", "StringIO", "json"}
    few = {**files, "pkg/users.py": "from pkg.compat import quote\nprint(quote)\n"}
    assert found(few) == [  # urldefrag shares its statement with a re-export: kept
        "pkg/compat.py:2: unused import 'OrderedDict' (100% confidence)",
        "pkg/compat.py:3: unused import 'StringIO' (100% confidence)",
        "pkg/compat.py:4: unused import 'json' (100% confidence)",
    ]


def test_a_star_import_re_exports_what_all_lists_or_every_public_name() -> None:
    open_module = "import json\nfrom os import sep\n"
    closed = "import json\nfrom os import sep\n__all__ = ['sep']\n"
    for text, expected in ((open_module, []), (closed, ["json"])):
        files = {"pkg/__init__.py": "", "pkg/inner.py": text,
                 "pkg/outer.py": "from pkg.inner import *\n"}
        assert sorted(names(files)) == expected


def test_only_strings_in_type_positions_are_read_as_annotations() -> None:
    files = {"app.py": src("""
        from typing import TypeVar, cast
        import json, decimal, fractions, pathlib, re
        Number = TypeVar("Number", bound="decimal.Decimal")
        Pair = tuple["fractions.Fraction", int]
        def load(path: "pathlib.Path") -> None:
            cast("re.Pattern[str]", path)
        theme = "json"
        print(Number, Pair, load, theme)
        """)}
    assert found(files) == ["app.py:2: unused import 'json' (100% confidence)"]
