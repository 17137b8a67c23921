"""Which files a run sees: git's view in a work tree, a .gitignore-aware walk elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentrails.engine.config.settings import DEFAULT_EXCLUDE, build_settings
from agentrails.engine.discovery.files import discover
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Rule
from agentrails.engine.run.runner import run_check
from tests.helpers.repo import finding_lines, git, write_files

TREE = {
    "README.md": "x\n",
    "src/app.py": "x = 1\n",
    "src/app.log": "log\n",
    "src/keep.log": "kept by a negation\n",
    "build/out.txt": "ignored directory\n",
    "docs/guide.md": "x\n",
    "docs/draft/secret.md": "ignored by a nested .gitignore\n",
    "docs/draft/public.md": "re-included by a negation\n",
    "node_modules/pkg/index.js": "excluded by default\n",
    ".venv/lib/site.py": "excluded by default\n",
}
IGNORES = {
    ".gitignore": "*.log\n!keep.log\nbuild/\n",
    "docs/.gitignore": "draft/*\n!draft/public.md\n",
}
EXPECTED = [
    ".gitignore", "README.md", "docs/.gitignore", "docs/draft/public.md", "docs/guide.md",
    "src/app.py", "src/keep.log",
]


def test_git_work_tree_uses_tracked_and_untracked_not_ignored(git_repo):
    repo = git_repo({**TREE, **IGNORES}, add=False)
    git(repo, "add", "README.md", "src/app.py", ".gitignore", "docs/.gitignore")
    git(repo, "add", "-f", "src/app.log")  # tracked although ignored: git still lists it
    files = discover(repo, DEFAULT_EXCLUDE)
    assert files == sorted([*EXPECTED, "src/app.log"])


def test_a_deleted_tracked_file_is_not_discovered(git_repo):
    repo = git_repo({"a.txt": "x\n", "b.txt": "y\n"})
    (repo / "b.txt").unlink()
    assert discover(repo, DEFAULT_EXCLUDE) == ["a.txt"]


def test_outside_git_the_walk_honours_nested_gitignores_and_negations(plain_dir):
    root = plain_dir({**TREE, **IGNORES})
    assert discover(root, DEFAULT_EXCLUDE) == EXPECTED


def test_walk_and_git_agree_on_the_same_tree(plain_dir):
    root = plain_dir({**TREE, **IGNORES})
    walked = discover(root, DEFAULT_EXCLUDE)
    git(root, "init", "-q")
    assert discover(root, DEFAULT_EXCLUDE) == walked


NAMES = st.sampled_from(["a.txt", "b.log", "c.md", "keep.log", "x.py"])
DIRS = st.sampled_from(["", "d1/", "d2/", "d1/sub/", "d2/sub/"])
PATTERNS = st.sampled_from([
    "*.log", "!keep.log", "d1/", "/d2/", "sub/", "!sub/", "*.md", "!c.md", "/a.txt",
    "d1/**/x.py", "**/sub/b.log", "d2/*", "!d2/sub/", "x.*", "#comment", "", "[ab].*",
])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.sets(st.tuples(DIRS, NAMES), min_size=1, max_size=12),
    ignores=st.dictionaries(DIRS, st.lists(PATTERNS, max_size=4), max_size=3),
)
# A folder pattern speaks for the folder, not for what is in it: `!sub/` does not bring
# back a log `*.log` hides, and `d2/*` does not hide d2/sub/a.txt once `!d2/sub/` keeps sub.
@example(files={("d1/sub/", "b.log")}, ignores={"d1/": ["!sub/"], "": ["*.log"]})
@example(files={("d2/sub/", "a.txt"), ("d2/", "x.py")}, ignores={"": ["d2/*", "!d2/sub/"]})
def test_property_walk_matches_git_ls_files(tmp_path_factory, files, ignores):
    root = tmp_path_factory.mktemp("walk")
    write_files(root, {f"{d}{n}": "x\n" for d, n in files})
    write_files(root, {f"{d}.gitignore": "\n".join(lines) + "\n" for d, lines in ignores.items()})
    walked = discover(root, [])
    git(root, "init", "-q")
    listed = git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0")
    assert walked == sorted(name for name in listed if name)


@pytest.mark.parametrize("in_git", [True, False])
def test_symlinks_and_fifos_are_skipped(git_repo, plain_dir, in_git):
    files = {"real/a.txt": "x\n"}
    root = git_repo(files) if in_git else plain_dir(files)
    (root / "link.txt").symlink_to(root / "real" / "a.txt")
    (root / "loop").symlink_to(root)
    (root / "real" / "dangling").symlink_to(root / "missing")
    os.mkfifo(root / "pipe")
    if in_git:
        git(root, "add", "link.txt", "loop", "real/dangling")
    assert discover(root, DEFAULT_EXCLUDE) == ["real/a.txt"]


@pytest.mark.parametrize("in_git", [True, False])
def test_excluded_globs(git_repo, plain_dir, in_git):
    files = {"a.py": "", "gen/x.py": "", "gen/sub/y.py": "", "lib/gen/z.py": "", "n.min.js": ""}
    root = git_repo(files) if in_git else plain_dir(files)
    assert discover(root, ["/gen/", "*.min.js"]) == ["a.py", "lib/gen/z.py"]
    assert discover(root, ["gen/"]) == ["a.py", "n.min.js"]


class _SeesEverything(Rule):
    """What it finds:
    One finding per file, saying how many files the project rule saw.

    Why:
    A probe for the given-paths tests.

    Example:
        none

    How to fix:
    Nothing.
    """

    code = "ZZ002"
    summary = "probe of project-wide rules"

    def check_project(self, facts, ctx):
        for path in facts:
            yield Finding(path, 1, 1, self.code, f"saw {len(facts)} files")


def test_given_paths_limit_findings_but_project_rules_see_everything(git_repo):
    repo = git_repo({"a/one.txt": "1\n", "a/two.txt": "2\n", "b/three.txt": "3\n", "top.txt": ""})
    family = Family(name="probe", rules=(_SeesEverything,))
    settings_ = build_settings(repo, None, {}, [family])
    result = run_check(settings_, [family], frozenset({"ZZ002"}), [repo / "a", repo / "top.txt"])
    assert [(f.path, f.message) for f in result.findings] == [
        ("a/one.txt", "saw 4 files"), ("a/two.txt", "saw 4 files"), ("top.txt", "saw 4 files"),
    ]
    assert result.files == 3


def test_given_paths_limit_per_file_findings(git_repo, cli):
    repo = git_repo({"a/x.rej": "", "a/b/y.rej": "", "c/z.rej": "", "ab/w.rej": ""})
    result = cli("check", repo / "a", repo / "c" / "z.rej", cwd=repo)
    assert finding_lines(result.out) == [
        "a/b/y.rej:1:1: AR902 leftover from an update or merge",
        "a/x.rej:1:1: AR902 leftover from an update or merge",
        "c/z.rej:1:1: AR902 leftover from an update or merge",
    ]
    assert result.out.endswith("in 3 files checked.\n")


def test_a_nonexistent_path_exits_2(git_repo, cli):
    repo = git_repo({"a.txt": "x\n"})
    result = cli("check", repo / "a.txt", repo / "nope.py")
    assert result.code == 2
    assert "nope.py" in result.err and result.out == ""


def test_a_path_outside_the_project_exits_2(git_repo, cli, tmp_path):
    repo = git_repo({"a.txt": "x\n"})
    other = tmp_path / "elsewhere.txt"
    other.write_text("x\n")
    result = cli("check", repo / "a.txt", other)
    assert result.code == 2 and "outside the project" in result.err


def test_relative_paths_from_a_subdirectory(git_repo, cli, monkeypatch):
    repo = git_repo({"pkg/a.rej": "", "pkg/sub/b.rej": "", "other/c.rej": ""})
    monkeypatch.chdir(repo / "pkg")
    result = cli("check", "sub")
    assert finding_lines(result.out) == [
        "sub/b.rej:1:1: AR902 leftover from an update or merge"
    ]
    result = cli("check", ".")
    assert finding_lines(result.out) == [
        "a.rej:1:1: AR902 leftover from an update or merge",
        "sub/b.rej:1:1: AR902 leftover from an update or merge",
    ]
    as_json = cli("check", "--format", "json", ".")
    assert [f["path"] for f in json.loads(as_json.out)] == ["pkg/a.rej", "pkg/sub/b.rej"]


def test_a_file_name_that_is_not_utf8_is_checked_and_printed(git_repo):
    repo = git_repo({})
    name = os.fsdecode(b"caf\xe9.rej")
    (repo / name).write_text("x\n")
    git(repo, "add", "--", name)
    assert discover(repo, DEFAULT_EXCLUDE) == [name]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        ["agentrails", "check", str(repo)], capture_output=True, env=env, cwd=repo,
        executable=str(Path(os.sys.executable).with_name("agentrails")),
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"AR902" in result.stdout
