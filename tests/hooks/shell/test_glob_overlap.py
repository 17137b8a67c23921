"""Whether a shell glob could match a protected path, decided from the patterns alone:
checked against the engine's own glob matcher and against fnmatch on generated paths."""

from __future__ import annotations

import fnmatch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.engine.globs import GlobSet
from agentrails.hooks.protected import _gitignore_shapes
from agentrails.hooks.shell.glob_overlap import (
    glob_matcher,
    has_glob,
    patterns_overlap,
    unescape,
)
from agentrails.hooks.shell.paths import escape, expand_braces
from agentrails.hooks.shell.words import TooComplex

DEFAULTS = [".github/workflows/**", ".github/rulesets/**", ".github/CODEOWNERS",
            ".claude/settings.json"]


@pytest.mark.parametrize(("glob", "could"), [
    (".github/workflows/*", True),
    (".github/*/ci.yml", True),
    (".github/*", True),  # .github/CODEOWNERS
    (".g*/w*/*.yml", True),
    (".github/workflows/[a-c]i.yml", True),
    (".github/[!w]*/x", True),  # .github/rulesets/x
    ("**/ci.yml", True),
    (".GITHUB/Workflows/*", True),  # case is ignored
    (".claude/*.json", True),
    ("*/workflows/ci.yml", False),  # a shell * never matches the leading dot of .github
    ("?github/workflows/ci.yml", False),
    ("[.]github/workflows/ci.yml", False),  # nor a bracket (bash needs a literal dot)
    ("*", False),
    ("src/*.py", False),
    (".github/*.yml", False),
    (".claude/settings.local.json", False),
])
def test_a_glob_is_refused_when_it_could_reach_a_protected_path(glob: str, could: bool) -> None:
    shapes = [s for g in DEFAULTS for s in _gitignore_shapes(g)]
    assert any(patterns_overlap(glob, s, hidden_dots=True) for s in shapes) is could


@pytest.mark.parametrize(("protected", "glob", "could"), [
    ("*.lock", "*", True),
    ("*.lock", "*/workflows/ci.yml", True),  # a folder x.lock/ holds workflows/ci.yml
    ("/secrets/", "*", False),  # the folder itself is not protected, what is in it is
    ("/secrets/", "*/*", True),
    ("docs/*.md", "docs/*/x.txt", True),  # under a folder named a.md
    ("docs/*.md", "docs/a/x.md", False),
    ("docs/**/*.md", "docs/*.md", True),
])
def test_gitignore_semantics_of_the_protected_globs(protected: str, glob: str, could: bool) -> None:
    shapes = _gitignore_shapes(protected)
    assert any(patterns_overlap(glob, s, hidden_dots=True) for s in shapes) is could


SEGMENT = st.text(".abcgw", min_size=1, max_size=4).filter(lambda s: s.strip("."))
PATHS = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join)
GLOB_SEGMENT = st.lists(st.sampled_from(["a", "b", "c", ".", "g", "w", "*", "?", "[ab]",
                                         "[!a]"]), min_size=1, max_size=4).map("".join).filter(
    lambda s: s.strip("."))
GLOBS = st.lists(GLOB_SEGMENT, min_size=1, max_size=4).map("/".join)
GITIGNORE = st.one_of(PATHS, GLOBS, GLOBS.map(lambda g: g + "/**"), GLOBS.map(lambda g: "/" + g),
                       PATHS.map(lambda g: g + "/"))


@settings(max_examples=500, deadline=None)
@given(PATHS, GITIGNORE)
def test_a_literal_path_overlaps_exactly_when_the_engine_matches_it(path: str, glob: str) -> None:
    engine = GlobSet([glob.lower()]).match(path.lower())
    ours = any(patterns_overlap(escape(path), shape) for shape in _gitignore_shapes(glob))
    assert ours == engine


@settings(max_examples=500, deadline=None)
@given(GLOBS, PATHS, GITIGNORE)
def test_a_path_both_patterns_match_proves_an_overlap(glob: str, path: str, protected: str) -> None:
    """Soundness: if some path matches the shell glob and a protected glob, overlap is found."""
    segments, parts = glob.split("/"), path.split("/")
    shell_match = len(segments) == len(parts) and all(
        fnmatch.fnmatchcase(p, s) and not (p.startswith(".") and s[0] in "*?[")
        for p, s in zip(parts, segments, strict=True))
    if shell_match and GlobSet([protected]).match(path):
        shapes = _gitignore_shapes(protected)
        assert any(patterns_overlap(glob, s, hidden_dots=True) for s in shapes)


def test_escapes_braces_and_helpers() -> None:
    assert not patterns_overlap("\\*", "x") and patterns_overlap("\\*", "\\*")
    assert has_glob("a*") and not has_glob("a\\*") and unescape("a\\*\\\\b") == "a*\\b"
    assert expand_braces("a/{b,c{d,e}}/f") == ["a/b/f", "a/cd/f", "a/ce/f"]
    assert expand_braces("a\\{b,c}") == ["a\\{b,c}"]
    assert len(expand_braces("{a,b}" * 8)) == 256
    assert expand_braces("x{1..3}y{b..a}") == ["x1yb", "x1ya", "x2yb", "x2ya", "x3yb", "x3ya"]
    assert expand_braces("{08..10}{1..x}") == ["08{1..x}", "09{1..x}", "10{1..x}"]
    for too_many in ("{a,b}" * 9, "{1..257}", "{a,b}{1..200}"):
        with pytest.raises(TooComplex):
            expand_braces(too_many)


@given(GLOBS, PATHS, st.booleans())
def test_the_compiled_matcher_answers_as_the_overlap_does(glob: str, path: str,
                                                          hidden: bool) -> None:
    assert glob_matcher(glob, hidden)(path) == patterns_overlap(glob, escape(path), hidden)
