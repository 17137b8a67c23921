"""Configuration files read through the memo of parsed documents: the same document as
tomllib gives, for the file as it is now, whatever changed since it was remembered."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.engine.cache import memo as plain
from agentrails.engine.config import tomlfile


@pytest.fixture
def memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return Path(tomlfile.memo_path())


def _later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads that happen ten seconds after the real time: a file just written is settled."""
    clock = time.time_ns
    monkeypatch.setattr(tomlfile.time, "time_ns", lambda: clock() + 10_000_000_000)


def _remembered(memo: Path) -> dict:
    found = plain.load(str(memo))
    return found[1] if isinstance(found, tuple) else {}


def test_a_settled_file_is_remembered_and_read_without_tomllib(memo, tmp_path, monkeypatch):
    _later(monkeypatch)
    config = tmp_path / "agentrails.toml"
    config.write_text("select = ['AR1']\n[size]\nmax-lines = 10\n")
    assert tomlfile.read_toml(config) == {"select": ["AR1"], "size": {"max-lines": 10}}
    assert str(config) in _remembered(memo)
    code = ("import sys; from agentrails.engine.config.tomlfile import read_toml; "
            f"print(read_toml({str(config)!r})); print('tomllib' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out == ["{'select': ['AR1'], 'size': {'max-lines': 10}}", "False"]


def test_an_edit_is_read_again(memo, tmp_path, monkeypatch):
    _later(monkeypatch)
    config = tmp_path / "agentrails.toml"
    config.write_text("a = 1\n")
    assert tomlfile.read_toml(config) == {"a": 1}
    time.sleep(0.02)  # past the clock tick of the first write
    config.write_text("a = 2\n")  # same size
    assert tomlfile.read_toml(config) == {"a": 2}


def test_a_file_just_written_or_holding_dates_is_not_remembered(memo, tmp_path):
    config = tmp_path / "fresh.toml"
    config.write_text("a = 1\n")
    assert tomlfile.read_toml(config) == {"a": 1} and str(config) not in _remembered(memo)
    dated = tmp_path / "dated.toml"
    dated.write_text("when = 2024-01-02\n")
    os.utime(dated, ns=(0, 0))
    assert tomlfile.read_toml(dated) == tomllib.loads("when = 2024-01-02\n")
    assert str(dated) not in _remembered(memo)


def test_errors_are_tomllibs(memo, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("a = [\n")
    with pytest.raises(tomlfile.TomlError) as caught:
        tomlfile.read_toml(broken)
    with pytest.raises(tomllib.TOMLDecodeError) as real:
        tomllib.loads("a = [\n")
    assert str(caught.value) == str(real.value) and caught.value.text == "a = [\n"
    with pytest.raises(FileNotFoundError):
        tomlfile.read_toml(tmp_path / "missing.toml")
    (tmp_path / "latin.toml").write_bytes(b"a = '\xe9'\n")
    with pytest.raises(UnicodeDecodeError):
        tomlfile.read_toml(tmp_path / "latin.toml")


def test_a_damaged_or_planted_memo_is_ignored(memo, tmp_path, monkeypatch):
    _later(monkeypatch)
    config = tmp_path / "agentrails.toml"
    config.write_text("a = 1\n")
    memo.parent.mkdir(parents=True)
    for planted in (b"garbage", plain.dumps(("other key", {})), plain.dumps([1])):
        memo.write_bytes(planted)
        assert tomlfile.read_toml(config) == {"a": 1}


VALUES = st.recursive(
    st.one_of(st.integers(-5, 5), st.booleans(), st.text(alphabet="ab c", max_size=4)),
    lambda inner: st.lists(inner, max_size=3), max_leaves=6,
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c-d"]), VALUES, max_size=3))
def test_property_remembered_documents_equal_tomllibs(table):
    import json
    import tempfile

    text = "".join(f"{key} = {json.dumps(value)}\n" for key, value in table.items())
    saved = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CACHE_HOME"] = folder
        try:
            path = Path(folder) / "c.toml"
            path.write_text(text)
            os.utime(path, ns=(0, 0))  # an old modification time; the change time is now
            first = tomlfile.read_toml(path)
            assert first == tomlfile.read_toml(path) == tomllib.loads(text)
        finally:
            if saved is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = saved
