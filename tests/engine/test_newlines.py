"""Line counts with every newline convention: LF, CRLF (Windows), lone CR (classic Mac) and any
mix of them within one file. AR101 (file length), AR102 (function length) and AR401 (context
budget, imports included) count a line where an editor shows one, whatever ends it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.size.rules import FAMILY as SIZE
from agentrails.checks.size.rules import FileTooLong, FunctionTooLong
from agentrails.engine.config.settings import load_settings
from agentrails.engine.protocol import RuleContext
from agentrails.engine.registry import load_families
from agentrails.engine.run.analyse import analyse, count_lines
from agentrails.engine.run.runner import run_check

NEWLINES = [b"\n", b"\r\n", b"\r"]
newline = st.sampled_from(NEWLINES)
# Text of one line: anything but the bytes that end a line (or a NUL, which makes it binary).
line_text = st.binary(max_size=12).map(
    lambda b: b.replace(b"\r", b"x").replace(b"\n", b"y").replace(b"\0", b"z"))


def size_facts(path: str, data: bytes):
    families = [f for f in load_families() if f.name == "size"]
    return analyse(path, data, families, {"size": RuleContext({}, ".")}, 10**7)


def size_ctx(max_lines: int = 500, max_function_lines: int = 80) -> RuleContext:
    """The size family's defaults with these two caps."""
    options = {name: option.default for name, option in SIZE.options.items()}
    options.update({"max-lines": max_lines, "max-function-lines": max_function_lines})
    return RuleContext(options, ".")


def join_lines(lines: list[tuple[bytes, bytes]]) -> bytes:
    """Each line's text followed by its ending. A CR followed directly by LF is one CRLF to
    every reader, so an empty line after a CR ends with CR itself rather than LF or CRLF."""
    out = b""
    for text, end in lines:
        if not text and out.endswith(b"\r") and end.startswith(b"\n"):
            end = b"\r"
        out += text + end
    return out


@st.composite
def mixed_text(draw) -> tuple[bytes, int]:
    """Lines each ended by its own newline, maybe a last one without: (bytes, lines shown)."""
    lines = draw(st.lists(st.tuples(line_text, newline), max_size=40))
    data = join_lines(lines)
    count = len(lines)
    last = draw(line_text)
    if last:
        data, count = data + last, count + 1
    return data, count


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (b"", 0), (b"\r", 1), (b"\r\n", 1), (b"\n\r", 2), (b"\r\r\n", 2), (b"\r\n\n", 2),
        (b"\n\r\n\r", 3), (b"a\rb", 2), (b"a\r\nb\rc\nd", 4), (b"a\r\n\r", 2),
        (b"\r" * 5, 5), (b"\r\n" * 5, 5),
    ],
)
def test_boundary_examples(data: bytes, count: int) -> None:
    assert count_lines(data) == count
    assert size_facts("notes.txt", data).line_count == count


@given(mixed_text())
def test_property_mixed_newlines_count_as_lines(sample: tuple[bytes, int]) -> None:
    data, count = sample
    assert count_lines(data) == count


@given(mixed_text(), st.integers(min_value=0, max_value=45))
def test_property_ar101_fires_exactly_above_the_cap(sample: tuple[bytes, int], cap: int) -> None:
    data, _ = sample
    count = sum(1 for line in data.splitlines() if line.strip(b" \t\f\v"))  # non-blank
    cap = max(cap, 1)
    findings = list(FileTooLong().check_file(size_facts("notes.md", data), size_ctx(cap)))
    assert bool(findings) == (count > cap)
    if findings:
        assert (findings[0].value, findings[0].limit) == (count, cap)


@st.composite
def function_source(draw) -> tuple[bytes, int]:
    """A module with one function of a drawn length, each line ended by a drawn newline."""
    body = draw(st.integers(min_value=1, max_value=30))
    lines = [b"import os", b"", b"@decorator", b"def f(a):"]
    lines += [b"    x%d = %d" % (n, n) if n % 4 else b"" for n in range(body - 1)]
    lines += [b"    return a", b"", b"y = 1"]
    ends = draw(st.lists(newline, min_size=len(lines), max_size=len(lines)))
    return join_lines(list(zip(lines, ends, strict=True))), body + 1


@given(function_source(), st.integers(min_value=1, max_value=35))
def test_property_ar102_measures_the_same_lines_with_any_newlines(
    sample: tuple[bytes, int], cap: int
) -> None:
    data, length = sample
    facts = size_facts("m.py", data)
    assert facts.problem is None
    findings = list(FunctionTooLong().check_file(facts, size_ctx(max_function_lines=cap)))
    assert bool(findings) == (length > cap)
    if findings:
        assert (findings[0].line, findings[0].value) == (4, length)
    lf = size_facts("m.py", data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    assert facts.families["size"] == lf.families["size"]


def ar401(files: dict[str, bytes], budget: int) -> list[tuple[object, object]]:
    """AR401's (measured lines, budget) on a fresh project holding ``files``."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = f"[context]\nmax-lines = {budget}\nmax-bytes = 1000000\n"
        (root / "agentrails.toml").write_text(config)
        for name, data in files.items():
            (root / name).write_bytes(data)
        settings_ = load_settings(root, load_families())
        result = run_check(settings_, load_families(), frozenset({"AR401"}), use_cache=False,
                           jobs=1)
        return [(f.value, f.limit) for f in result.findings]


@settings(max_examples=40, deadline=None)
@given(mixed_text(), mixed_text(), st.integers(min_value=1, max_value=90))
def test_property_ar401_budget_with_mixed_newlines(
    agents: tuple[bytes, int], imported: tuple[bytes, int], budget: int
) -> None:
    """AGENTS.md with an ``@`` import: both files' lines count, whatever ends them."""
    head = b"# Agents\r@docs.md\r\n"
    (own, own_count), (other, other_count) = agents, imported
    total = 2 + own_count + other_count
    found = ar401({"AGENTS.md": head + own, "docs.md": other}, budget)
    assert found == ([(total, budget)] if total > budget else [])


@pytest.mark.parametrize("end", NEWLINES, ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize(("lines", "flagged"), [(9, False), (10, False), (11, True)])
def test_ar401_budget_boundary(end: bytes, lines: int, flagged: bool) -> None:
    data = b"".join(b"line %d" % n + end for n in range(lines))
    assert ar401({"AGENTS.md": data}, 10) == ([(lines, 10)] if flagged else [])
