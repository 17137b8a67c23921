"""The engine's own translation of plain globs agrees, path for path, with the regular
expressions pathspec makes of them, applied as the engine has always applied them (one
prefix match); pathspec still compiles every other glob."""

from __future__ import annotations

import re
import subprocess
import sys

import pathspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agentrails.engine.config.settings import DEFAULT_EXCLUDE
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
        (["x[ab"], "x[ab", False),  # an unclosed class: git and pathspec match nothing
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
        "from agentrails.engine.config.settings import DEFAULT_EXCLUDE\n"
        "assert GlobSet(DEFAULT_EXCLUDE).match('a/.git/x')\n"
        "assert 'pathspec' not in sys.modules\n"
        "assert GlobSet(['!x', 'y']).match('y') and 'pathspec' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


CLASS_SEGMENTS = ["a", "[ab]", "[!a]", "[^b]", "x[a-c]", "[]a]", "[!]]", "*", "?", "**", "[a-]",
                  "[!-a]"]
CLASS_NAMES = ["a", "b", "c", "ab", "xb", "]", "-", "x-", "xa"]


@st.composite
def class_globs(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(st.sampled_from(CLASS_SEGMENTS), min_size=1, max_size=3)))
    return draw(st.sampled_from(["", "/"])) + body + draw(st.sampled_from(["", "/"]))


def _git_ignores(tmp_path, glob: str, paths: list[str]) -> set[str]:
    (tmp_path / ".gitignore").write_text(glob + "\n", encoding="utf-8")
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"], cwd=tmp_path, input="\n".join(paths),
        capture_output=True, text=True, check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return set(done.stdout.splitlines())


@settings(max_examples=150, deadline=None)
@given(class_globs(), st.lists(st.lists(st.sampled_from(CLASS_NAMES), min_size=1, max_size=4)
                               .map("/".join), min_size=1, max_size=12, unique=True))
def test_property_character_classes_match_as_git_matches(tmp_path_factory, glob, files):
    """git itself is the reference for classes: none of them ever matches a slash."""
    assume(plain_regex(glob) is not None)
    folder = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    ignored = _git_ignores(folder, glob, files)
    ours = GlobSet([glob])
    assert {path for path in files if ours.match(path)} == ignored, glob


@pytest.mark.parametrize(("glob", "path", "expected"), [
    ("a[!a]a", "a/a", False),  # pathspec says True; git, and so the engine, say False
    ("a[!a]a", "aba", True),
    ("[!]]x", "]x", False),
    ("[]a]x", "]x", True),
])
def test_character_class_boundaries(glob, path, expected):
    assert plain_regex(glob) is not None
    assert GlobSet([glob]).match(path) is expected


@pytest.mark.parametrize("glob", ["[c-a]", "src/[z-a].py"])
def test_a_glob_no_matcher_can_compile_is_a_config_error(tmp_path, glob):
    from agentrails.engine.config.files import ConfigError
    from agentrails.engine.config.settings import load_settings

    (tmp_path / "pyproject.toml").write_text(
        f'[tool.agentrails]\nexclude = ["{glob}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"exclude: invalid glob .*bad character range"):
        load_settings(tmp_path, [])
