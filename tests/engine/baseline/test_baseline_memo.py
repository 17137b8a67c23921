"""The baseline as a warm run reads it: the parsed entries remembered in the cache while the
file is unchanged, the file itself read (and checked) whenever it changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from agentrails.engine.baseline import entries as baseline
from agentrails.engine.baseline.entries import Entry
from agentrails.engine.cache import memo as plain

ENTRIES = [Entry("AR201", "a.py", "f", "", 14.0), Entry("AR101", "b.md", "", "", 600.0)]


@pytest.fixture
def counted(monkeypatch) -> list[Path]:
    """Every real read of a baseline file."""
    calls: list[Path] = []
    real = baseline.read

    def read(path: Path) -> baseline.Baseline:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(baseline, "read", read)
    return calls


def _write_old(path: Path, entries: list[Entry]) -> None:
    baseline.write(path, entries)
    os.utime(path, ns=(0, 0))  # its change time is now: see _later


def _later(monkeypatch) -> None:
    clock = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: clock() + 10_000_000_000)


def test_an_unchanged_baseline_is_read_once(tmp_path, counted, monkeypatch):
    path, memo = tmp_path / "agentrails-baseline.json", str(tmp_path / "memo")
    _write_old(path, ENTRIES)
    with monkeypatch.context() as patch:
        _later(patch)
        assert baseline.read_remembered(path, memo).entries == sorted(ENTRIES, key=lambda e: e.path)
    assert baseline.read_remembered(path, memo) == baseline.read(path)
    assert len(counted) == 2  # the first read, then the comparison's own


def test_an_edit_or_a_damaged_memo_reads_the_file(tmp_path, counted, monkeypatch):
    path, memo = tmp_path / "agentrails-baseline.json", str(tmp_path / "memo")
    _write_old(path, ENTRIES)
    with monkeypatch.context() as patch:
        _later(patch)
        baseline.read_remembered(path, memo)
    time.sleep(0.02)
    baseline.write(path, ENTRIES[:1])
    assert baseline.read_remembered(path, memo).entries == ENTRIES[:1]
    head = (baseline.MEMO_VERSION, str(path))
    for planted in (b"garbage", plain.dumps((head, None, None, [])),
                    plain.dumps((head, path.stat(), None, [("x",)]))):
        Path(memo, baseline.MEMO_NAME).write_bytes(planted)
        assert baseline.read_remembered(path, memo).entries == ENTRIES[:1]


def test_a_bad_baseline_is_never_remembered(tmp_path, monkeypatch):
    path, memo = tmp_path / "agentrails-baseline.json", str(tmp_path / "memo")
    path.write_text('{"version": 1, "entries": [{"code": "bad"}]}')
    os.utime(path, ns=(0, 0))
    _later(monkeypatch)
    for _ in range(2):
        with pytest.raises(baseline.BaselineError, match="entry 1"):
            baseline.read_remembered(path, memo)
    assert not Path(memo, baseline.MEMO_NAME).exists()


def test_no_memo_folder_reads_the_file(tmp_path, counted):
    path = tmp_path / "agentrails-baseline.json"
    _write_old(path, ENTRIES)
    baseline.read_remembered(path, None)
    baseline.read_remembered(path, None)
    assert len(counted) == 2
