"""The remembered walk outside git: a warm walk lists only what changed and always finds
what a fresh walk finds, whatever changed in between (files, folders, .gitignore files)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.engine.config.settings import DEFAULT_EXCLUDE
from agentrails.engine.discovery import files as discovery
from agentrails.engine.discovery.walk import Walk, settled
from agentrails.engine.globs import GlobSet
from tests.helpers.repo import write_files

OLD = 1_500_000_000  # 2017


class _Later:
    """Walks that start ten seconds after the real time, so the files a test has just made
    look settled (their change time cannot be set back). A change made after such a walk
    must not fall into the clock tick the walk saw, hence the short sleep."""

    def __init__(self, monkeypatch):
        clock = time.time_ns
        monkeypatch.setattr(discovery.time, "time_ns", lambda: clock() + 10_000_000_000)

    @staticmethod
    def tick() -> None:
        time.sleep(0.02)


@pytest.fixture
def later(monkeypatch) -> _Later:
    return _Later(monkeypatch)


def _age(root: Path) -> None:
    """Give every directory an old modification time (the change time stays "now")."""
    for folder, directories, _ in os.walk(root):
        for name in directories:
            os.utime(os.path.join(folder, name), (OLD, OLD))
    os.utime(root, (OLD, OLD))


def _memo_folder(root: Path) -> str:
    return str(root.parent / f"{root.name}-memo")


def _memo_path(root: Path) -> str:
    return os.path.join(_memo_folder(root), discovery.TREE_MEMO)


def _fresh(root: Path) -> list[str]:
    return discovery.discover(root, DEFAULT_EXCLUDE)


def _remembered(root: Path) -> list[str]:
    return discovery.discover(root, DEFAULT_EXCLUDE, _memo_folder(root))


def _relisted(root: Path) -> int:
    """How many directories a walk from the saved memo would list again now."""
    key, memo = discovery.plain.load(_memo_path(root))
    walk = Walk(str(root), GlobSet(DEFAULT_EXCLUDE), memo)
    walk.files()
    return walk.relisted


TREE = {
    "a.py": "x\n", "docs/guide.md": "x\n", "docs/draft/secret.md": "x\n",
    "src/pkg/mod.py": "x\n", "src/pkg/deep/more.py": "x\n", "build/out.txt": "x\n",
    ".gitignore": "build/\n", "docs/.gitignore": "draft/\n",
}


def test_an_unchanged_tree_is_not_listed_again(plain_dir, later):
    root = plain_dir(TREE)
    assert _remembered(root) == _fresh(root)
    assert _relisted(root) == 0
    assert _remembered(root) == _fresh(root) == [
        ".gitignore", "a.py", "docs/.gitignore", "docs/guide.md", "src/pkg/deep/more.py",
        "src/pkg/mod.py",
    ]


def test_a_new_file_relists_its_folder_only(plain_dir, later):
    root = plain_dir(TREE)
    _remembered(root)
    later.tick()
    (root / "src" / "pkg" / "new.py").write_text("x\n")
    assert _relisted(root) == 1
    assert "src/pkg/new.py" in _remembered(root) == _fresh(root)


def test_a_gitignore_edited_in_place_is_noticed(plain_dir, later):
    root = plain_dir(TREE)
    _age(root)
    _remembered(root)
    later.tick()
    (root / "docs" / ".gitignore").write_text("guide.md\n")
    os.utime(root / "docs", (OLD, OLD))  # the folder's listing did not change
    assert _remembered(root) == _fresh(root)
    assert "docs/draft/secret.md" in _fresh(root) and "docs/guide.md" not in _fresh(root)


def test_a_new_or_removed_gitignore_refilters_the_folders_below(plain_dir, later):
    root = plain_dir(TREE)
    _remembered(root)
    later.tick()
    (root / "src" / ".gitignore").write_text("deep/\n")
    assert "src/pkg/deep/more.py" not in _remembered(root) == _fresh(root)
    later.tick()
    (root / "src" / ".gitignore").unlink()
    assert "src/pkg/deep/more.py" in _remembered(root) == _fresh(root)


def test_signatures_from_just_before_the_walk_are_not_trusted(plain_dir):
    """A change in the same clock tick as the walk could leave a folder's times as they
    were, so a folder changed that recently is listed again next time."""
    root = plain_dir(TREE)
    _remembered(root)  # the tree is brand new: nothing is settled yet
    assert _relisted(root) == 5  # the root, docs, src, src/pkg, src/pkg/deep


def test_settled_needs_a_tick_for_fine_times_and_two_seconds_for_whole_seconds():
    now = 1_700_000_000_000_000_000
    assert settled((now - 100_000_001, now - 100_000_001, 1, 1), now)
    assert not settled((now - 99_999_999, now - 200_000_000, 1, 1), now)
    assert not settled((now - 200_000_000, now - 99_999_999, 1, 1), now)
    whole = now - 1_000_000_000
    assert not settled((whole, whole, 1, 1), now)
    assert settled((now - 3_000_000_000, now - 3_000_000_000, 1, 1), now)


def test_a_memo_for_other_excludes_or_another_root_is_not_used(plain_dir, later):
    root = plain_dir(TREE)
    _remembered(root)
    assert discovery.discover(root, [*DEFAULT_EXCLUDE, "src/"], _memo_folder(root)) == [
        ".gitignore", "a.py", "docs/.gitignore", "docs/guide.md",
    ]
    moved = root.parent / "moved"
    shutil.copytree(root, moved)
    shutil.copytree(_memo_folder(root), _memo_folder(moved))
    shutil.rmtree(root / "src")
    assert discovery.discover(moved, DEFAULT_EXCLUDE, _memo_folder(moved)) == _fresh(moved)


def test_a_damaged_or_foreign_memo_is_a_fresh_walk(plain_dir):
    root = plain_dir(TREE)
    expected = _fresh(root)
    for planted in (b"garbage", b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94.",
                    b"cos\nsystem\n(S'echo hacked'\ntR."):
        Path(_memo_folder(root)).mkdir(exist_ok=True)
        Path(_memo_path(root)).write_bytes(planted)
        assert _remembered(root) == expected


def test_no_git_process_outside_a_work_tree(plain_dir, monkeypatch):
    root = plain_dir(TREE)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    assert not discovery.in_work_tree(str(root))
    (root / ".git").mkdir()
    assert discovery.in_work_tree(str(root / "src"))


NAMES = st.sampled_from(["a.txt", "b.log", "c.md", "keep.log", "x.py"])
DIRS = st.sampled_from(["", "d1/", "d2/", "d1/sub/", "d2/sub/", "d1/sub/deep/"])
PATTERNS = st.sampled_from(["*.log", "!keep.log", "d1/", "/d2/", "sub/", "!sub/", "*.md", "x.*"])
CHANGES = st.lists(st.tuples(
    st.sampled_from(["add", "remove", "ignore", "unignore", "rmdir"]), DIRS, NAMES,
    st.lists(PATTERNS, max_size=3), st.booleans(),
), max_size=4)


def _add(root: Path, folder: str, name: str, patterns: list[str]) -> None:
    write_files(root, {f"{folder}{name}": "x\n"})


def _remove(root: Path, folder: str, name: str, patterns: list[str]) -> None:
    (root / folder / name).unlink(missing_ok=True)


def _ignore(root: Path, folder: str, name: str, patterns: list[str]) -> None:
    write_files(root, {f"{folder}.gitignore": "\n".join(patterns) + "\n"})


def _unignore(root: Path, folder: str, name: str, patterns: list[str]) -> None:
    (root / folder / ".gitignore").unlink(missing_ok=True)


def _rmdir(root: Path, folder: str, name: str, patterns: list[str]) -> None:
    if folder:
        shutil.rmtree(root / folder, ignore_errors=True)


ACTIONS = {"add": _add, "remove": _remove, "ignore": _ignore, "unignore": _unignore,
           "rmdir": _rmdir}


def _apply(root: Path, change: tuple[str, str, str, list[str], bool]) -> None:
    """One change to the tree; ``keep_times`` puts the folder's times back afterwards, as a
    change in the same clock tick as the last walk would look."""
    action, folder, name, patterns, keep_times = change
    directory = root / folder
    before = directory.stat() if directory.is_dir() else None
    ACTIONS[action](root, folder, name, patterns)
    if keep_times and before is not None and directory.is_dir():
        os.utime(directory, ns=(before.st_atime_ns, before.st_mtime_ns))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.sets(st.tuples(DIRS, NAMES), min_size=1, max_size=10),
    ignores=st.dictionaries(DIRS, st.lists(PATTERNS, max_size=3), max_size=2),
    settle=st.booleans(),
    rounds=st.lists(CHANGES, min_size=1, max_size=3),
)
def test_property_the_remembered_walk_finds_what_a_fresh_walk_finds(
    tmp_path_factory, monkeypatch, files, ignores, settle, rounds
):
    """With ``settle`` the walks start later than the changes (so the memo is trusted where
    the times say nothing changed); without it, at the real time (so little is)."""
    root = tmp_path_factory.mktemp("memo")
    write_files(root, {f"{d}{n}": "x\n" for d, n in files})
    write_files(root, {f"{d}.gitignore": "\n".join(lines) + "\n" for d, lines in ignores.items()})
    with monkeypatch.context() as patch:
        if settle:
            _age(root)
            _Later(patch)
        assert _remembered(root) == _fresh(root)
        for changes in rounds:
            _Later.tick()
            for change in changes:
                _apply(root, change)
            assert _remembered(root) == _fresh(root)
