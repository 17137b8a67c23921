"""``agentrails check --add-noqa``: suppressions where findings are, code still valid, twice
changing nothing."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.engine.baseline.add_noqa import SourceText, comment_style, with_line_noqa
from agentrails.engine.noqa import parse_noqa
from tests.helpers.baseline import CONFIG, tangle


@pytest.mark.parametrize(("line", "expected"), [
    ("def f(a):", "def f(a):  # noqa: AR201"),
    ("def f(a):   ", "def f(a):  # noqa: AR201"),
    ("def f(a):  # noqa: AR102", "def f(a):  # noqa: AR102, AR201"),
    ("def f(a):  # noqa:AR301 trailing", "def f(a):  # noqa: AR201, AR301 trailing"),
    ("def f(a):  # noqa", "def f(a):  # noqa"),
    ("x = 1  # type: ignore", "x = 1  # type: ignore  # noqa: AR201"),
])
def test_a_line_directive_is_added_or_merged(line, expected):
    assert with_line_noqa(line, {"AR201"}) == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_source_text_round_trips_any_bytes(data: bytes) -> None:
    assert SourceText(data).encoded() == data


@pytest.mark.parametrize(("path", "style"), [
    ("a.py", ("#", "")), ("x/b.js", ("//", "")), ("c.css", ("/*", " */")),
    ("AGENTS.md", ("<!--", " -->")), ("Makefile", ("#", "")), ("data.json", None),
])
def test_comment_styles(path, style):
    assert comment_style(path) == style


SHEBANG = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"


@pytest.fixture
def noisy(git_repo):
    text = '"""Doc."""\n\n' + tangle("old", 4) + "\n\nS = '''\n" + "x\n" * 30 + "'''\n"
    return git_repo({
        "agentrails.toml": CONFIG + "[size]\nmax-lines = 20\n",
        "app.py": SHEBANG + text,
        "crlf.py": tangle("win", 4).replace("\n", "\r\n"),
        "docs/long.md": "line\n" * 25,
        "style.css": "a {}\n" * 25,
    })


def test_add_noqa_then_check_is_clean(noisy, cli):
    assert cli("check", noisy).code == 1
    added = cli("check", "--add-noqa", noisy)
    assert added.code == 0 and "Added" in added.out
    assert cli("check", noisy).code == 0
    app = (noisy / "app.py").read_text()
    assert app.startswith(SHEBANG + "# agentrails: noqa: AR101\n")
    assert "def old(a):  # noqa: AR201\n" in app
    ast.parse(app)
    crlf = (noisy / "crlf.py").read_bytes()
    assert crlf.startswith(b"def win(a):  # noqa: AR201\r\n")
    assert b"\n" not in crlf.replace(b"\r\n", b"")
    assert (noisy / "docs/long.md").read_text().startswith("<!-- agentrails: noqa: AR101 -->\n")
    assert (noisy / "style.css").read_text().startswith("/* agentrails: noqa: AR101 */\n")


def test_a_second_add_noqa_changes_nothing(noisy, cli):
    cli("check", "--add-noqa", noisy)
    files = [p for p in noisy.rglob("*")
             if p.is_file() and not {".git", ".agentrails_cache"} & set(p.parts)]
    before = {p: p.read_bytes() for p in files}
    again = cli("check", "--add-noqa", noisy)
    assert again.code == 0 and "Added 0 noqa directive(s) in 0 file(s)." in again.out
    assert {p: p.read_bytes() for p in files} == before


def test_a_line_inside_a_string_gets_a_file_directive(git_repo, cli):
    repo = git_repo({"agentrails.toml": "", "m.py": 'S = """\n<<<<<<< HEAD\n"""\n'})
    assert cli("check", "--select", "AR901", repo).code == 1
    assert cli("check", "--add-noqa", "--select", "AR901", repo).code == 0
    text = (repo / "m.py").read_text()
    assert text == '# agentrails: noqa: AR901\nS = """\n<<<<<<< HEAD\n"""\n'
    assert cli("check", "--select", "AR901", repo).code == 0


def test_a_file_without_comment_syntax_is_named_and_left_alone(git_repo, cli):
    config = "[size]\nmax-lines = 2\ndata-files = []\n"  # JSON is a data file by default
    repo = git_repo({"agentrails.toml": config, "d.json": "[\n1,\n2\n]\n"})
    result = cli("check", "--add-noqa", repo)
    assert result.code == 1
    assert "d.json: cannot add noqa: no comment syntax known for this file (AR101)" in result.err
    assert (repo / "d.json").read_text() == "[\n1,\n2\n]\n"


def test_baselined_findings_get_no_noqa(git_repo, cli):
    repo = git_repo({"agentrails.toml": CONFIG, "app.py": tangle("old", 4)})
    cli("baseline", "--config", repo / "agentrails.toml")
    (repo / "new.py").write_text(tangle("fresh", 4))
    cli("check", "--add-noqa", repo)
    assert "noqa" not in (repo / "app.py").read_text()
    assert parse_noqa((repo / "new.py").read_text())[0] == {1: frozenset({"AR201"})}
