"""The entry-point memo: true memos are used, stale or broken ones are replaced."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from agentrails.engine.registry import ENTRY_POINT_GROUP, entry_points, registry_memo


def test_a_memo_is_written_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    found = entry_points()
    assert ("size", "agentrails.checks.size.rules:FAMILY") in found
    assert registry_memo.memo_path().is_relative_to(tmp_path)
    assert registry_memo.read(ENTRY_POINT_GROUP) == found


def test_a_stale_or_broken_memo_is_asked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    real = entry_points()
    path = registry_memo.memo_path()
    stale = {"key": ["another environment"], "groups": {ENTRY_POINT_GROUP: [["x", "os:sep"]]}}
    for data in (pickle.dumps(stale), b"not a pickle", pickle.dumps([1, 2]),
                 pickle.dumps({"key": registry_memo.environment_key(), "groups": [1]}),
                 pickle.dumps(Path("planted"))):
        path.write_bytes(data)
        assert registry_memo.read(ENTRY_POINT_GROUP) is None
        assert entry_points() == real  # and the memo is true again
        assert registry_memo.read(ENTRY_POINT_GROUP) == real


def test_a_new_distribution_changes_the_key(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(site)])
    before = registry_memo.environment_key()
    (site / "plugin-1.0.dist-info").mkdir()
    os.utime(site, ns=(0, before[-1][1] + 1_000_000_000))
    assert registry_memo.environment_key() != before


def test_a_warm_check_does_not_import_importlib_metadata(tmp_path):
    code = (
        "import sys; from agentrails.cli import main; main(['rules']); main(['rules']);"
        "print('importlib.metadata' in sys.modules)"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True)
    assert second.stdout.strip().splitlines()[-1] == "False"
