"""The engine's own translation of plain globs agrees, path for path, with the regular
expressions pathspec makes of them, applied as the engine has always applied them (one
prefix match); pathspec still compiles every other glob."""

from __future__ import annotations

import re
import subprocess
import sys

import pathspec
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agentrails.engine.config import DEFAULT_EXCLUDE
from agentrails.engine.globs import GlobSet, plain_regex

SEGMENTS = ["a", "b", "ab", "x.py", ".git", "*", "?", "a*", "*.py", "*b", "x?y", "**", "a.b-c"]
NAMES = ["a", "b", "ab", "x.py", ".git", "xzy", "a.b-c", "abb", "y.py", "p"]


@st.composite
def globs(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4)))
    return draw(st.sampled_from(["", "/"])) + body + draw(st.sampled_from(["", "/"]))


@st.composite
def paths(draw: st.DrawFn) -> str:
    path = "/".join(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5)))
    return path + draw(st.sampled_from(["", "/"]))  # a folder is given with its slash


def _pathspec_says(patterns: list[str], path: str) -> bool:
    return pathspec.GitIgnoreSpec.from_lines(patterns).match_file(path)


def _pathspec_regexes_say(patterns: list[str], path: str) -> bool:
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return any(re.match(p.regex.pattern, path) for p in spec.patterns if p.include)


@settings(max_examples=1500, deadline=None)
@given(st.lists(globs(), min_size=1, max_size=3), st.lists(paths(), min_size=1, max_size=8))
def test_property_plain_globs_match_as_pathspec_matches(patterns, candidates):
    assume(all(plain_regex(glob) is not None for glob in patterns))
    ours = GlobSet(patterns)
    for path in candidates:
        assert ours.match(path) == _pathspec_regexes_say(patterns, path), (patterns, path)
        if not path.endswith("/"):  # files: pathspec's own matching agrees too
            assert ours.match(path) == _pathspec_says(patterns, path), (patterns, path)


def test_the_defaults_and_the_data_file_globs_are_plain():
    from agentrails.checks.size.rules import DATA_FILES

    assert all(plain_regex(glob) is not None for glob in [*DEFAULT_EXCLUDE, *DATA_FILES])


def test_other_globs_fall_back_to_pathspec_with_the_same_answers():
    for patterns, path, expected in [
        (["*.log", "!keep.log"], "keep.log", False),
        (["*.log", "!keep.log"], "other.log", True),
        (["[ab].txt"], "b.txt", True),
        (["\\#file"], "#file", True),
        (["# a comment"], "# a comment", False),
        (["a/**/"], "a/b/", True),
    ]:
        assert plain_regex(patterns[-1]) is None
        assert GlobSet(patterns).match(path) == expected == _pathspec_says(patterns, path)


def test_matching_plain_globs_does_not_import_pathspec():
    code = (
        "import sys\n"
        "from agentrails.engine.globs import GlobSet\n"
        "from agentrails.engine.config import DEFAULT_EXCLUDE\n"
        "assert GlobSet(DEFAULT_EXCLUDE).match('a/.git/x')\n"
        "assert 'pathspec' not in sys.modules\n"
        "assert GlobSet(['!x', 'y']).match('y') and 'pathspec' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
