"""The front matter parser against PyYAML, the reference, on what PyYAML itself writes."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.common.frontmatter import parse_front_matter
from agentrails.engine.text import split_lines

KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True)
WORDS = st.from_regex(r"[A-Za-z][A-Za-z0-9,._-]{0,8}( [A-Za-z0-9,._-]{1,8}){0,6}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
SCALARS = st.one_of(WORDS, TEXT, st.integers(-10**6, 10**6), st.booleans(), st.none())
VALUES = st.one_of(SCALARS, st.lists(st.one_of(WORDS, TEXT), max_size=4))


def front(data: dict, **dump: object) -> list[str]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, **dump)
    return ["---", *split_lines(text), "---", "", "# Body"]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6), st.sampled_from([False, None]))
def test_reads_what_pyyaml_writes(data: dict, flow: bool | None) -> None:
    if flow is None:  # flow style for the lists only, not for the whole mapping
        data = {**data, "zz-list": ["a b", "c"]}
    lines = front(data, default_flow_style=flow, width=10**6)
    parsed = parse_front_matter(lines)
    assert parsed is not None and parsed.error is None, (lines, parsed)
    assert parsed.values == data


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(KEYS, st.one_of(WORDS, st.lists(WORDS, max_size=3)), min_size=1, max_size=4),
       st.integers(min_value=10, max_value=30))
def test_reads_lines_folded_by_pyyaml(data: dict, width: int) -> None:
    lines = front(data, default_flow_style=False, width=width)
    parsed = parse_front_matter(lines)
    assert parsed is not None and parsed.error is None
    assert parsed.values == data


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(string.printable.replace("\n", "").replace("\r", ""), max_size=40),
                max_size=12))
def test_never_raises_on_arbitrary_lines(lines: list[str]) -> None:
    parsed = parse_front_matter(["---", *lines, "---"])
    assert parsed is not None
    if parsed.error:
        assert 1 <= parsed.error_line <= len(lines) + 2


def test_block_scalars_lists_and_comments_as_pyyaml_reads_them() -> None:
    text = """---
name: code-reviewer   # the id
description: >-
  Read-only reviewer,
  never edits.
notes: |
  first
  second
tools:
  - Read
  - Grep  # no edits
hooks:
  Stop: [a, b]
empty:
quoted: "tab\\there \\u00e9"
---
"""
    parsed = parse_front_matter(text.splitlines())
    assert parsed is not None and parsed.error is None
    assert parsed.values == yaml.safe_load(text.split("---")[1])
    assert parsed.lines["tools"] == 9
    assert parsed.end == 16


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\nstatus: draft\n", 1, "no closing"),
        ("---\nstatus draft\n---\n", 2, "expected 'key: value'"),
        ("---\nstatus: draft\nstatus: done\n---\n", 3, "duplicate key"),
        ("---\nowner: 'alice\n---\n", 2, "unexpected end of stream"),
        ("---\ntools: [Read, Grep\n---\n", 2, "expected ',' or ']'"),
        ("---\nstatus draft\nowner: x\n---\n", 3, "mapping values are not allowed"),
        ("---\nowner: \x01\n---\n", 2, "special characters are not allowed"),
    ],
)
def test_errors_name_their_line(text: str, line: int, message: str) -> None:
    parsed = parse_front_matter(text.splitlines())
    assert parsed is not None and parsed.error is not None
    assert message in parsed.error and parsed.error_line == line


def test_no_front_matter_is_none() -> None:
    assert parse_front_matter(["# Title", "---"]) is None
    assert parse_front_matter([]) is None


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x1c"])
def test_a_unicode_line_separator_in_a_value_is_not_a_line_break(separator: str) -> None:
    lines = front({"a": f"x{separator}y"}, default_flow_style=False, width=10**6)
    parsed = parse_front_matter(lines)
    assert parsed is not None and parsed.values == {"a": f"x{separator}y"}


def test_aliases_are_an_error_not_expanded() -> None:
    """A few hundred bytes of nested aliases would expand to gigabytes."""
    pairs = zip("abcdefgh", "bcdefghi", strict=True)
    bomb = ["---", "a: &a [x, x, x, x, x, x, x, x, x]",
            *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in pairs),
            "status: accepted", "---"]
    for lines in (bomb, ["---", "a: &x 1", "b: *x", "---"]):
        found = parse_front_matter(lines)
        assert found is not None and found.values == {}
        assert found.error == "front matter uses a YAML alias (*name); write the value out instead"
