"""Moving a glob between folders (``extend``): the moved glob matches exactly what the
original matched, checked against the engine's own gitignore matcher."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agentrails.engine.globs import GlobSet
from agentrails.engine.rebase import rebase_down, rebase_up, relocate

NAMES = st.sampled_from(["a", "b", "ab", "x.py", "x.md"])
SEGMENTS = st.sampled_from(["a", "b", "ab", "x.py", "*", "?", "**", "a*", "[ab]", "*.py"])
FOLDERS = st.lists(st.sampled_from(["a", "b", "ab"]), min_size=1, max_size=3).map("/".join)
PATHS = st.lists(NAMES, min_size=1, max_size=4).map("/".join)


@st.composite
def globs(draw: st.DrawFn) -> str:
    body = "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=4)))
    lead = draw(st.sampled_from(["", "", "/"]))
    trail = draw(st.sampled_from(["", "", "/"]))
    # pathspec reads some globs made of wildcards only (`*/`, `**/`, `**/*/**`) as matching
    # nothing; they say nothing about a path, so they are left out here
    wild = set(body.split("/")) <= {"*", "**"}
    assume(not (wild and (trail or body.count("/") > 1)))
    return lead + body + trail


def matches(patterns: list[str], path: str) -> bool:
    return bool(patterns) and GlobSet(patterns).match(path)


@settings(max_examples=600, deadline=None)
@given(globs(), FOLDERS, PATHS)
def test_down_matches_what_the_original_matched_below_the_folder(glob, sub, path) -> None:
    assert matches(rebase_down(glob, sub), path) == matches([glob], f"{sub}/{path}")


@settings(max_examples=400, deadline=None)
@given(globs(), FOLDERS, PATHS)
def test_down_matches_folders_as_the_original_did(glob, sub, path) -> None:
    folder = path + "/"
    assert matches(rebase_down(glob, sub), folder) == matches([glob], f"{sub}/{folder}")


@settings(max_examples=600, deadline=None)
@given(globs(), FOLDERS, PATHS, PATHS)
def test_up_matches_inside_the_folder_only(glob, sub, path, elsewhere) -> None:
    moved = [rebase_up(glob, sub)]
    assert matches(moved, f"{sub}/{path}") == matches([glob], path)
    if not (elsewhere + "/").startswith(sub + "/"):
        assert not matches(moved, elsewhere)


def test_examples_at_the_boundaries() -> None:
    assert rebase_down("src/**", "packages/api") == []
    assert rebase_down("packages/api/tests/**", "packages/api") == ["/tests/**"]
    assert rebase_down("packages/*/tests/**", "packages/api") == ["/tests/**"]
    assert rebase_down("packages/", "packages/api") == ["**"]  # a folder above: everything
    assert rebase_down("*.md", "packages/api") == ["*.md"]  # a bare name stays
    assert rebase_down("!packages/api/keep.py", "packages/api") == ["!/keep.py"]
    assert rebase_down("# a comment", "packages/api") == ["# a comment"]
    assert rebase_up("tests/**", "packages/api") == "/packages/api/tests/**"
    assert rebase_up("*.md", "packages/api") == "/packages/api/**/*.md"


def test_relocate_between_unrelated_folders_keeps_bare_names_only(tmp_path: Path) -> None:
    shared, package = tmp_path / "shared", tmp_path / "packages" / "api"
    assert relocate("*.md", shared, package) == ["*.md"]
    assert relocate("docs/**", shared, package) == []
    assert relocate("docs/**", package, package) == ["docs/**"]
    assert relocate("docs/**", tmp_path, package) == []
    assert relocate("docs/**", package, tmp_path) == ["/packages/api/docs/**"]
