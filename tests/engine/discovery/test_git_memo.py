"""Discovery in a git work tree without a git process: the index read directly equals
``git ls-files --cached``, and the remembered answer equals git's after any change to the
work tree, the index or the ignore rules."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.engine.config.settings import DEFAULT_EXCLUDE
from agentrails.engine.discovery import files as discovery
from agentrails.engine.discovery import gitindex, gitmemo
from tests.helpers.repo import git, write_files


def _listed(root: Path) -> list[str]:
    return sorted(n for n in git(root, "ls-files", "-z", "--cached").split("\0") if n)


def _repository(git_repo) -> Path:
    root = git_repo({"a/b/x.py": "x\n", "a/y.txt": "y\n", "sp ace/é.md": "z\n", "z.py": "z\n",
                     ".gitignore": "*.log\nbuild/\n"})
    write_files(root, {"itoa.py": "new\n", "late.log": "ignored\n"})
    git(root, "add", "-N", "itoa.py")  # intent to add: an extended flag
    git(root, "update-index", "--skip-worktree", "a/y.txt")
    sha = git(root, "hash-object", "-w", "z.py").strip()
    long_path = "/".join(["d" * 200] * 25) + "/f.txt"  # past the 12 bits of a name's length
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{sha},{long_path}")
    return root


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_the_index_read_directly_lists_what_git_lists(git_repo, version):
    root = _repository(git_repo)
    git(root, "update-index", "--index-version", version)
    paths = gitindex.tracked_paths(str(root / ".git" / "index"))
    assert paths is not None and sorted(paths) == _listed(root)
    assert max(len(path) for path in paths) > 4095


def test_a_merge_conflict_lists_its_path(git_repo):
    root = git_repo({"c.txt": "base\n"})
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "other")
    write_files(root, {"c.txt": "other\n"})
    git(root, "commit", "-qam", "other")
    git(root, "checkout", "-q", "-")
    write_files(root, {"c.txt": "mine\n"})
    git(root, "commit", "-qam", "mine")
    merged = subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True,
                            check=False)
    assert merged.returncode != 0  # a conflict: c.txt has stages 1, 2 and 3
    paths = gitindex.tracked_paths(str(root / ".git" / "index"))
    assert paths is not None and sorted(set(paths)) == sorted(set(_listed(root)))


def test_indexes_it_does_not_read_are_left_to_git(git_repo, tmp_path, monkeypatch):
    root = _repository(git_repo)
    git(root, "update-index", "--split-index")
    assert gitindex.tracked_paths(str(root / ".git" / "index")) is None
    assert gitindex.tracked_paths(str(tmp_path / "missing")) is None
    (tmp_path / "garbage").write_bytes(b"DIRC\0\0\0\2\0\0\0\5short")
    assert gitindex.tracked_paths(str(tmp_path / "garbage")) is None
    assert gitindex.index_file(str(root)) is not None
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "other"))
    assert gitindex.index_file(str(root)) is None
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.setenv("GIT_SSL_NO_VERIFY", "1")  # transport only: still read
    assert gitindex.index_file(str(root)) is not None
    sha256 = tmp_path / "sha256"
    sha256.mkdir()
    git(sha256, "init", "-q", "--object-format=sha256")
    assert gitindex.index_file(str(sha256)) is None


class _Counted:
    """``git ls-files`` for the untracked files, counting the calls."""

    def __init__(self, monkeypatch):
        self.calls = 0
        real = discovery._untracked

        def counted(root: str):
            self.calls += 1
            return real(root)

        monkeypatch.setattr(discovery, "_untracked", counted)


def _later(monkeypatch) -> None:
    """Memos taken ten seconds after the real time, so a tree just made counts as settled;
    a change made afterwards must not share a clock tick with the walk (see ``_tick``)."""
    clock = time.time_ns
    monkeypatch.setattr(gitmemo.time, "time_ns", lambda: clock() + 10_000_000_000)


def _tick() -> None:
    time.sleep(0.02)


def _remembered(root: Path) -> list[str]:
    return discovery.discover(root, DEFAULT_EXCLUDE, str(root.parent / f"{root.name}-memo"))


def _fresh(root: Path) -> list[str]:
    return discovery.discover(root, DEFAULT_EXCLUDE)


def test_an_unchanged_work_tree_starts_no_git(git_repo, monkeypatch):
    root = _repository(git_repo)
    _later(monkeypatch)
    counted = _Counted(monkeypatch)
    first = _remembered(root)
    assert first == _fresh(root) and counted.calls == 1
    assert _remembered(root) == first and counted.calls == 1
    _tick()
    write_files(root, {"a/b/new.py": "x\n"})
    assert "a/b/new.py" in _remembered(root) == _fresh(root)
    assert counted.calls == 2
    _tick()
    git(root, "add", "a/b/new.py")  # the index gains a path: still no git
    assert _remembered(root) == _fresh(root) and counted.calls == 2


@pytest.mark.parametrize("rule", ["info/exclude", "global ignore", ".gitignore in place"])
def test_a_new_ignore_rule_anywhere_is_noticed(git_repo, tmp_path, monkeypatch, rule):
    root = _repository(git_repo)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    _later(monkeypatch)
    write_files(root, {"notes/draft.txt": "x\n"})
    assert "notes/draft.txt" in _remembered(root)
    _tick()
    if rule == "info/exclude":
        (root / ".git" / "info" / "exclude").write_text("draft.txt\n")
    elif rule == "global ignore":
        write_files(tmp_path / "config", {"git/ignore": "draft.txt\n"})
    else:
        stamp = (root / ".gitignore").stat()
        (root / ".gitignore").write_text("*.log\nbuild/\ndraft.txt\n")
        os.utime(root, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert "notes/draft.txt" not in _remembered(root) == _fresh(root)


def test_a_git_variable_sends_discovery_to_git(git_repo, monkeypatch):
    root = _repository(git_repo)
    _later(monkeypatch)
    counted = _Counted(monkeypatch)
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.excludesfile=/nowhere'")
    assert _remembered(root) == _remembered(root) == _fresh(root)
    assert counted.calls == 0  # not the memo's path at all


def _add(root: Path, name: str) -> None:
    write_files(root, {name: "x\n"})


def _stage(root: Path, name: str) -> None:
    write_files(root, {name: "x\n"})
    git(root, "add", "-f", name)


def _unstage(root: Path, name: str) -> None:
    if name in _listed(root):
        git(root, "rm", "-q", "--cached", name)


def _delete(root: Path, name: str) -> None:
    (root / name).unlink(missing_ok=True)


def _ignore(root: Path, name: str) -> None:
    folder = (root / name).parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".gitignore", "a", encoding="utf-8") as handle:
        handle.write(Path(name).name + "\n")


def _exclude(root: Path, name: str) -> None:
    with open(root / ".git" / "info" / "exclude", "a", encoding="utf-8") as handle:
        handle.write(name + "\n")


def _drop_folder(root: Path, name: str) -> None:
    folder = (root / name).parent
    if folder != root:
        shutil.rmtree(folder, ignore_errors=True)


ACTIONS = {"add": _add, "stage": _stage, "unstage": _unstage, "delete": _delete,
           "ignore": _ignore, "exclude": _exclude, "drop folder": _drop_folder}
NAMES = st.sampled_from(["a.py", "b.log", "c.rej", "d/e.py", "d/f.orig", "d/g/h.py",
                         "build/i.py", "build/j.rej"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.lists(st.tuples(st.sampled_from(sorted(ACTIONS)), NAMES),
                               min_size=1, max_size=3), min_size=1, max_size=4))
def test_property_the_remembered_answer_is_gits(tmp_path_factory, monkeypatch, steps):
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q")
    write_files(root, {"a.py": "x\n", "d/e.py": "x\n", ".gitignore": "*.log\nbuild/\n"})
    git(root, "add", "-A")
    with monkeypatch.context() as patch:
        _later(patch)
        assert _remembered(root) == _fresh(root)
        for changes in steps:
            _tick()
            for action, name in changes:
                ACTIONS[action](root, name)
            assert _remembered(root) == _fresh(root), changes
