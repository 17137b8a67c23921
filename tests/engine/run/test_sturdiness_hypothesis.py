"""Property tests: whatever bytes a file holds, the per-file analysis returns facts and never
raises, and a Python file either parses or carries the problem that says why not."""

from __future__ import annotations

import ast
import tempfile
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import agentrails
from agentrails.engine.cache.store import Cache
from agentrails.engine.config.settings import build_settings
from agentrails.engine.facts import FileFacts, Problem
from agentrails.engine.protocol import Family, RuleContext
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.analyse import PYTHON_SUFFIXES, analyse

MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = (".py", ".pyi", ".txt", ".md", ".toml")
HANDWRITTEN = (
    b"import os\nfrom . import x as y\n\n\n@decorator(1)\nclass A(B, metaclass=M):\n"
    b"    attr: int = 0\n\n    async def run(self, *a, **k) -> None:  # type: (...) -> None\n"
    b"        async with lock:\n            await go(lambda q: q + 1)\n",
    b"def f(x):\n    match x:\n        case [1, *rest] if rest:\n            return rest\n"
    b"        case {'k': v}:\n            return v\n        case _:\n            pass\n",
    b"try:\n    pass\nexcept* (ValueError, TypeError) as group:\n    raise\n"
    b"finally:\n    del group\n",
    b"x = [i for i in range(3) if (j := i) > 0]\nprint(f'{x!r:>{10}}', end='')\n"
    b"global g\nwhile True:\n    break\nelse:\n    pass\n",
    b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
    b"\xef\xbb\xbfdef g():\r\n    yield from range(2)\r\n",
)


def _real_sources() -> tuple[bytes, ...]:
    """agentrails' own modules: real code with every common construct."""
    package = Path(agentrails.__file__).parent
    return tuple(path.read_bytes() for path in sorted(package.rglob("*.py"))[:20])


SNIPPETS = HANDWRITTEN + _real_sources()


@cache
def families_and_contexts() -> tuple[tuple[Family, ...], dict[str, RuleContext]]:
    """Every installed family with default options and every rule selected."""
    from agentrails.engine.run.runner import rule_contexts

    families = load_families()
    project = build_settings(Path(tempfile.gettempdir()), None, {}, families)
    return families, rule_contexts(project, families, frozenset(all_rules()))


def run_analyse(path: str, data: bytes) -> FileFacts:
    """``analyse`` as a worker runs it."""
    families, contexts = families_and_contexts()
    return analyse(path, data, families, contexts, MAX_BYTES)


def assert_sound(path: str, data: bytes, facts: FileFacts) -> None:
    """What must hold of the facts of any file."""
    assert isinstance(facts, FileFacts)
    assert facts.path == path
    assert facts.line_count == len(data.splitlines())
    problem = facts.problem
    if problem is not None:
        assert problem.code in ("AR001", "AR002"), problem
        assert min(problem.line, problem.column) >= 1, problem
        assert problem.message, problem
    if path.endswith(PYTHON_SUFFIXES):
        assert_parse_agrees(data, problem)
    else:
        assert problem is None or problem.code == "AR002", problem


def assert_parse_agrees(data: bytes, problem: Problem | None) -> None:
    """No problem: ``ast.parse`` succeeds. AR001: it fails. (AR002 may go either way.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if problem is None:
            ast.parse(data)
        elif problem.code == "AR001":
            with pytest.raises((SyntaxError, ValueError)):
                ast.parse(data)


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    index = draw(st.integers(0, len(data) - 1))
    return data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1:]


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _insert_nul(draw: st.DrawFn, data: bytes) -> bytes:
    index = draw(st.integers(0, len(data)))
    return data[:index] + b"\0" + data[index:]


def _insert_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    index = draw(st.integers(0, len(data)))
    return data[:index] + draw(st.binary(min_size=1, max_size=8)) + data[index:]


def _reindent(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines[index] = draw(st.sampled_from([b" ", b"\t", b"    ", b"\t ", b"\x0c"])) + lines[index]
    return b"\n".join(lines)


def _crlf(draw: st.DrawFn, data: bytes) -> bytes:
    return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))


MUTATIONS: tuple[Callable[[st.DrawFn, bytes], bytes], ...] = (
    _flip, _truncate, _insert_nul, _insert_bytes, _reindent, _crlf,
)


@st.composite
def mutated_python(draw: st.DrawFn) -> bytes:
    """A real snippet after up to five random byte-level mutations."""
    data = draw(st.sampled_from(SNIPPETS))
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), max_size=5)):
        data = mutate(draw, data)
    return data


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_raise(data: bytes, suffix: str) -> None:
    path = f"pkg/file{suffix}"
    assert_sound(path, data, run_analyse(path, data))


@settings(max_examples=100, deadline=None)
@given(data=mutated_python(), suffix=st.sampled_from((".py", ".pyi")))
@example(data=b"x = 1  # type:\x80(...) -> None\n", suffix=".py")  # not UTF-8, yet it parses
def test_mutated_python_never_raises(data: bytes, suffix: str) -> None:
    path = f"mutated{suffix}"
    assert_sound(path, data, run_analyse(path, data))


@settings(max_examples=50, deadline=None)
@given(data=mutated_python())
def test_facts_of_any_file_survive_the_cache(data: bytes) -> None:
    facts = run_analyse("m.py", data)
    with tempfile.TemporaryDirectory() as directory:
        writer = Cache(Path(directory), "fingerprint")
        key = writer.key("m.py", data)
        writer.put("m.py", key, facts)
        writer.save()
        assert Cache(Path(directory), "fingerprint").get("m.py", key) == facts


def test_unmutated_snippets_parse_cleanly() -> None:
    """The seeds themselves are valid, so mutations, not the seeds, make the broken files."""
    for data in SNIPPETS:
        facts = run_analyse("seed.py", data)
        assert facts.problem is None, facts.problem
        assert_sound("seed.py", data, facts)
