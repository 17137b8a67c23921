"""AR301/AR302 options: min-confidence, ignore-names, ignore-decorators, noqa, whitelist, and
every smart ignore (each checked on, off, and against what vulture says without it)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from agentrails.engine.config.settings import ConfigError
from tests.helpers.deadcode import agree, findings, reports, vulture_reports


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


MIXED = {"a.py": src("""
    import os
    def f(arg):
        return 1
        print("never")
    """)}


@pytest.mark.parametrize("floor", [0, 60, 61, 90, 91, 100])
def test_min_confidence_keeps_items_at_or_above_it(floor: int) -> None:
    everything = [
        "a.py:1: unused import 'os' (90% confidence)",
        "a.py:2: unused function 'f' (60% confidence)",
        "a.py:2: unused variable 'arg' (100% confidence)",
        "a.py:4: unreachable code after 'return' (100% confidence)",
    ]
    kept = [line for line in everything if int(line.rsplit("(", 1)[1].split("%")[0]) >= floor]
    agree(MIXED, kept, min_confidence=floor)


def test_findings_carry_confidence_and_floor() -> None:
    found = findings(MIXED, min_confidence=60, smart_ignores=False)
    assert {(f.code, f.value, f.limit) for f in found} == {
        ("AR301", 90, 60), ("AR301", 60, 60), ("AR301", 100, 60), ("AR302", 100, 60),
    }
    assert {(f.line, f.column) for f in found if f.code == "AR302"} == {(4, 5)}


def test_ignore_names_uses_globs_on_every_kind() -> None:
    agree(MIXED, ["a.py:2: unused variable 'arg' (100% confidence)"],
          ignore_names=["o?", "f", "ret*"])


def test_ignore_names_on_an_import_skips_its_bundled_whitelist() -> None:
    files = {"a.py": "import threading\nclass W:\n    def run(self):\n        pass\nprint(W)\n"}
    agree(files, [], ignore_names=["nothing"])
    agree(files, ["a.py:3: unused method 'run' (60% confidence)"], ignore_names=["threading"])


def test_ignore_decorators() -> None:
    files = {"a.py": src("""
        import app
        @app.route("/")
        def index():
            pass
        @app.cli.command()
        class Command:
            pass
        @other
        def kept():
            pass
        """)}
    agree(files, ["a.py:8: unused function 'kept' (60% confidence)"],
          ignore_decorators=["@app.route", "@*.command"])


def test_noqa_codes_as_vulture_reads_them() -> None:
    files = {"a.py": src("""
        import os  # noqa
        import sys  # noqa: F401
        import json  # noqa: E501
        import re  # noqa:V104,E501
        from x import (  # noqa: F401
            a,
            b,
        )
        def f():  # noqa: V103
            x = 1  # noqa: F841
            y = 2  # NOQA
            z = 3  # noqa: F401 F841
            return
            print()  # noqa: V201
        def g(w):  # noqa: v103
            pass
        def h():
            return
            print()  # noqa: V201, V107
        """)}
    agree(files, [
        "a.py:3: unused import 'json' (90% confidence)",
        "a.py:12: unused variable 'z' (60% confidence)",
        "a.py:15: unused function 'g' (60% confidence)",
        "a.py:15: unused variable 'w' (100% confidence)",
        "a.py:17: unused function 'h' (60% confidence)",
    ])


def test_whitelist_files_count_their_uses(tmp_path: Path) -> None:
    files = {"a.py": "class A:\n    def hook(self):\n        pass\ndef plain():\n    pass\nA()\n"}
    (tmp_path / "tools").mkdir()
    whitelist = "from vulture.whitelist_utils import _\n_.hook\n"
    (tmp_path / "tools" / "whitelist.py").write_text(whitelist)
    assert reports(files, tmp_path) == [
        "a.py:2: unused method 'hook' (70% confidence)",
        "a.py:4: unused function 'plain' (70% confidence)",
    ]
    assert reports(files, tmp_path, whitelist=["./tools/whitelist.py"]) == [
        "a.py:4: unused function 'plain' (70% confidence)",
    ]
    checked = {**files, "tools/whitelist.py": "plain\n"}
    assert reports(checked, tmp_path, whitelist=["tools/whitelist.py"]) == [
        "a.py:2: unused method 'hook' (70% confidence)",
    ]
    assert reports(checked, tmp_path, whitelist=["tools/whitelist.py"], smart_ignores=False) == [
        "a.py:2: unused method 'hook' (60% confidence)",
    ]


@pytest.mark.parametrize("content", [None, "def broken(:\n"])
def test_a_missing_or_broken_whitelist_is_a_config_error(
    tmp_path: Path, content: str | None
) -> None:
    if content is not None:
        (tmp_path / "wl.py").write_text(content)
    with pytest.raises(ConfigError, match=r"dead-code\.whitelist: .*'wl\.py'"):
        findings({"a.py": "x = 1\n"}, tmp_path, whitelist=["wl.py"])


def check_smart(files: dict[str, str], without: list[str], root: str | Path = ".",
                remaining: list[str] | None = None, **options: object) -> None:
    """Vulture and smart-ignores=false report ``without``; the scope-aware analysis leaves
    ``remaining`` (every tier: the default floor of 80 drops the 60% ones)."""
    if root == ".":
        assert vulture_reports(files) == sorted(without)
    assert reports(files, root, smart_ignores=False) == sorted(without)
    assert reports(files, root, **options) == sorted(remaining or [])


def test_smart_pytest_fixtures_hooks_and_test_arguments() -> None:
    files = {
        "tests/conftest.py": src("""
            import pytest
            @pytest.fixture
            def database(tmp_path):
                return tmp_path
            def pytest_configure(config):
                pass
            def helper(value):
                pass
            """),
        "tests/test_db.py": "def test_query(database, capsys):\n    pass\n",
        "plugin.py": "def pytest_addoption(parser):\n    pass\n",
    }
    check_smart(files, [
        "plugin.py:1: unused function 'pytest_addoption' (60% confidence)",
        "plugin.py:1: unused variable 'parser' (100% confidence)",
        "tests/conftest.py:2: unused function 'database' (60% confidence)",
        "tests/conftest.py:5: unused function 'pytest_configure' (60% confidence)",
        "tests/conftest.py:5: unused variable 'config' (100% confidence)",
        "tests/conftest.py:7: unused function 'helper' (60% confidence)",
        "tests/conftest.py:7: unused variable 'value' (100% confidence)",
        "tests/test_db.py:1: unused variable 'capsys' (100% confidence)",
        "tests/test_db.py:1: unused variable 'database' (100% confidence)",
    ], remaining=[  # its stub body (pass) says the signature is an interface's
        "tests/conftest.py:7: unused function 'helper' (70% confidence)",
    ])


def test_smart_record_class_fields() -> None:
    files = {"models.py": src("""
        from dataclasses import dataclass
        import typing, pydantic
        @dataclass(frozen=True)
        class Point:
            x: int
            y: int = 0
        class Row(typing.NamedTuple):
            first: str
        class Options(typing.TypedDict, total=False):
            verbose: bool
        class User(pydantic.BaseModel):
            name: str
            model_config = {}
        class Plain:
            field: int = 0
        print(Point, Row, Options, User, Plain)
        """)}
    fields = [("5", "x"), ("6", "y"), ("8", "first"), ("10", "verbose"), ("12", "name"),
              ("13", "model_config")]
    check_smart(
        files,
        [f"models.py:{line}: unused variable '{name}' (60% confidence)" for line, name in fields]
        + ["models.py:15: unused variable 'field' (60% confidence)"],
        remaining=["models.py:13: unused attribute 'model_config' (60% confidence)",
                   "models.py:15: unused attribute 'field' (70% confidence)",
                   "models.py:6: unused attribute 'y' (60% confidence)"],
    )


def test_smart_all_in_every_form() -> None:
    files = {"api.py": src("""
        def one(): pass
        def two(): pass
        def three(): pass
        def four(): pass
        def five(): pass
        __all__: list[str] = ["one"]
        __all__ += ["two"]
        __all__.extend(["three"])
        __all__.append("four")
        __all__ = __all__ + ["five"]
        """)}
    check_smart(files, [
        f"api.py:{line}: unused function '{name}' (60% confidence)"
        for line, name in enumerate(["one", "two", "three", "four", "five"], start=1)
    ])


def test_smart_entry_points_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(src("""
        [project]
        name = "demo"
        [project.scripts]
        demo = "demo.cli:main"
        [project.entry-points."demo.plugins"]
        extra = "demo.plugins:Plugin.load [fancy]"
        [tool.poetry.scripts]
        legacy = "demo.cli:legacy"
        """))
    files = {"demo/cli.py": "def main(): pass\ndef legacy(): pass\ndef other(): pass\n",
             "demo/plugins.py": "class Plugin:\n    @classmethod\n    def load(cls): return cls\n"}
    check_smart(files, [
        "demo/cli.py:1: unused function 'main' (60% confidence)",
        "demo/cli.py:2: unused function 'legacy' (60% confidence)",
        "demo/cli.py:3: unused function 'other' (60% confidence)",
        "demo/plugins.py:1: unused class 'Plugin' (60% confidence)",
        "demo/plugins.py:2: unused method 'load' (60% confidence)",
    ], tmp_path, remaining=["demo/cli.py:3: unused function 'other' (70% confidence)"],
       application=True)


def test_smart_framework_decorators() -> None:
    files = {"views.py": src("""
        from flask import Flask
        from django.dispatch import receiver
        import click
        app = Flask(__name__)
        @app.route("/")
        def index(): pass
        @app.get("/items")
        async def items(): pass
        @receiver(print)
        def on_save(): pass
        @click.command()
        def cli(): pass
        @other
        def plain(): pass
        """)}
    check_smart(files, [
        "views.py:5: unused function 'index' (60% confidence)",
        "views.py:7: unused function 'items' (60% confidence)",
        "views.py:9: unused function 'on_save' (60% confidence)",
        "views.py:11: unused function 'cli' (60% confidence)",
        "views.py:13: unused function 'plain' (60% confidence)",
    ], remaining=[f"views.py:{line}: unused function '{name}' (60% confidence)" for line, name in
                  ((6, "index"), (8, "items"), (10, "on_save"), (12, "cli"), (14, "plain"))])
