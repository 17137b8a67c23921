"""Bounds on configuration and baseline files (``engine.limits``), the bounded validators,
unclosed glob classes, and paths that must stay inside the project: properties, plus the
boundaries as examples."""

from __future__ import annotations

import json
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.engine.config.limits import MAX_DEPTH, MAX_DIGITS, LimitError, load_json, too_deep
from agentrails.engine.globs import unclosed_class
from agentrails.engine.validators import MAX_NUMBER, inside_project, integer, number, shown

SCALARS = st.one_of(st.none(), st.booleans(), st.text(max_size=8),
                    st.integers(-(10**MAX_DIGITS) + 1, 10**MAX_DIGITS - 1),
                    st.floats(allow_nan=False, allow_infinity=False))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=20)


@given(VALUES)
def test_property_json_within_the_bounds_reads_as_json_does(value) -> None:
    text = json.dumps(value)
    assert load_json(text) == json.loads(text)


def _nested(depth: int) -> str:
    return '{"key": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 500, 50_000])
def test_nesting_past_the_bound_names_the_key(depth: int) -> None:
    text = _nested(depth)
    if depth <= MAX_DEPTH:
        assert load_json(text) == json.loads(text)
        return
    with pytest.raises(LimitError, match=f"'key.*nested more than {MAX_DEPTH} levels"):
        load_json(text)


@pytest.mark.parametrize(("digits", "bad"), [(MAX_DIGITS, False), (MAX_DIGITS + 1, True),
                                             (5000, True)])
def test_long_numbers_past_the_bound_name_the_key(digits: int, bad: bool) -> None:
    text = '{"a": 1,\n "count": ' + "7" * digits + "}"
    if not bad:
        assert load_json(text)["count"] == int("7" * digits)
        return
    expected = f"line 2, key 'count': a number of more than {MAX_DIGITS}"
    with pytest.raises(LimitError, match=expected):
        load_json(text)


def test_too_deep_walks_any_depth_without_recursion() -> None:
    value: list = []
    for _ in range(100_000):
        value = [value]
    assert too_deep(value) == "[0]" * 10 + "..."
    assert too_deep({"a": {"b": [1]}}) is None


@given(st.one_of(VALUES, st.integers(), st.text(max_size=500)))
def test_property_shown_is_short_and_never_fails(value) -> None:
    assert len(shown(value)) <= 60


def test_shown_names_huge_numbers_and_containers_without_printing_them() -> None:
    assert shown(10**5000) == "a number of thousands of digits"
    assert shown(10**40) == "a number of 41 digits"
    assert shown(2**70) == str(2**70)
    assert shown([[1]] * 3) == "a list of 3 items"


@pytest.mark.parametrize("check", [integer(minimum=1), number(minimum=1)])
@pytest.mark.parametrize(("value", "ok"), [(1, True), (MAX_NUMBER, True), (MAX_NUMBER + 1, False),
                                           (2**70, False), (0, False), (True, False)])
def test_numbers_are_bounded(check, value, ok: bool) -> None:
    if ok:
        assert check(value) == value
    else:
        with pytest.raises(ValueError, match="expected"):
            check(value)


def test_nan_is_no_number() -> None:
    with pytest.raises(ValueError, match="at most"):
        number()(float("nan"))


@pytest.mark.parametrize(("glob", "unclosed"), [
    ("[", True), ("a[b", True), ("[!", True), ("a[/]b", True), ("src/[a-", True),
    ("[]]", False), ("[!]]x", False), ("[a-z]*.py", False), ("\\[x", False), ("x]", False),
    ("*.py", False), ("docs/**", False),
])
def test_unclosed_classes(glob: str, unclosed: bool) -> None:
    assert unclosed_class(glob) is unclosed


SEGMENTS = st.lists(st.sampled_from(["a", "b.md", "..", ".", "", "c d"]), min_size=1, max_size=6)


@given(SEGMENTS, st.booleans())
def test_property_inside_project_agrees_with_resolving_the_path(segments, absolute) -> None:
    path = ("/" if absolute else "") + "/".join(segments)
    depth, escapes = 0, False
    for segment in segments:
        if segment == "..":
            depth -= 1
            escapes |= depth < 0
        elif segment not in ("", "."):
            depth += 1
    expected = bool(path) and not path.startswith("/") and not escapes
    assert inside_project(path) is expected, posixpath.normpath(path or ".")


@pytest.mark.parametrize(("path", "inside"), [
    ("AGENTS.md", True), ("docs/../AGENTS.md", True), ("docs/", True), ("../x", False),
    ("a/../../x", False), ("/etc/passwd", False), ("C:/x", False), ("..\\x", False),
    ("", False), ("a\0b", False),
])
def test_inside_project_examples(path: str, inside: bool) -> None:
    assert inside_project(path) is inside
