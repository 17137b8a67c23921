"""The content-hash cache: what it stores, when it is reused, and how it survives damage."""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentrails.engine.cache import memo as plain
from agentrails.engine.cache import store as cache_module
from agentrails.engine.cache.store import Cache
from agentrails.engine.config.settings import build_settings, load_settings
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Option, Rule
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run import analyse as analyse_module
from agentrails.engine.run import runner
from agentrails.engine.selection import select_rules
from agentrails.engine.validators import string
from tests.helpers.repo import git, write_files

CONFIG = "[size]\nmax-lines = 4\nmax-function-lines = 3\nper-glob = { '*.toml' = 0 }\n"
LONG_FUNCTION = "def long():\n    a = 1\n    b = 2\n    return a + b\n"


def _project(count: int = 6) -> dict[str, str]:
    files = {"agentrails.toml": CONFIG, "notes.md": "1\n2\n3\n4\n5\n", "left.rej": "x\n"}
    for number in range(count):
        body = LONG_FUNCTION if number % 2 else "def short():\n    return 1\n"
        files[f"pkg/mod_{number:02}.py"] = f"# module {number}\n{body}"
    return files


def _run(root: Path, use_cache: bool = True) -> runner.RunResult:
    families = load_families()
    settings = load_settings(root, families)
    selected = select_rules(all_rules(), None, [])
    return runner.run_check(settings, families, selected, (), use_cache=use_cache, jobs=1)


def _packs(root: Path) -> list[Path]:
    return sorted((root / ".agentrails_cache" / cache_module.FORMAT).glob("*.pack"))


def _pack(root: Path) -> dict:
    (path,) = _packs(root)
    return pickle.loads(path.read_bytes())


def test_first_run_writes_tag_gitignore_and_one_entry_per_file(git_repo):
    repo = git_repo(_project())
    result = _run(repo)
    cache_dir = repo / ".agentrails_cache"
    tag = (cache_dir / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    ignore = (cache_dir / ".gitignore").read_text().splitlines()
    assert "*" in ignore
    assert len(_pack(repo)) == result.files == result.analysed == 9
    assert set(_pack(repo)) == set(result.facts)
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert ".agentrails_cache" not in status
    assert not [p for p in cache_dir.rglob(".tmp-*")]


def test_unchanged_files_are_never_analysed_twice(git_repo, monkeypatch):
    repo = git_repo(_project())
    calls: list[str] = []
    real = analyse_module.analyse

    def counting(path, *args, **kwargs):
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(analyse_module, "analyse", counting)
    cold = _run(repo)
    assert sorted(calls) == sorted(cold.facts) and cold.analysed == 9
    calls.clear()
    warm = _run(repo)
    assert warm.analysed == 0 and calls == []
    assert warm.findings == cold.findings
    assert {f.code for f in warm.findings} == {"AR101", "AR102", "AR902"}


def test_one_changed_file_is_the_only_one_analysed(git_repo):
    repo = git_repo(_project())
    before = _run(repo)
    (repo / "pkg/mod_00.py").write_text("# module 0\n" + LONG_FUNCTION)
    after = _run(repo)
    assert after.analysed == 1
    new = sorted((f.path, f.code) for f in set(after.findings) - set(before.findings))
    assert new == [("pkg/mod_00.py", "AR101"), ("pkg/mod_00.py", "AR102")]
    write_files(repo, {"pkg/new.py": "x = 1\n"})
    assert _run(repo).analysed == 1
    (repo / "pkg/mod_00.py").write_text("# module 0\ndef short():\n    return 1\n")
    reverted = _run(repo)
    assert reverted.analysed == 1
    assert reverted.findings == before.findings


def test_threshold_changes_reuse_the_cached_facts(git_repo):
    repo = git_repo(_project())
    _run(repo)
    relaxed = CONFIG.replace("max-function-lines = 3", "max-function-lines = 80")
    (repo / "agentrails.toml").write_text(relaxed)
    result = _run(repo)
    assert result.analysed == 1, "only the edited config file itself"
    assert "AR102" not in {f.code for f in result.findings}


def test_key_depends_on_path_content_fingerprint_and_version(tmp_path, monkeypatch):
    base = Cache(tmp_path, "size:")
    key = base.key("a.py", b"x = 1\n")
    assert key == Cache(tmp_path, "size:").key("a.py", b"x = 1\n")
    assert key != base.key("b.py", b"x = 1\n")
    assert key != base.key("a.py", b"x = 2\n")
    assert key != Cache(tmp_path, "size:strict").key("a.py", b"x = 1\n")
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert key != Cache(tmp_path, "size:").key("a.py", b"x = 1\n")


def test_a_new_version_invalidates_every_entry(git_repo, monkeypatch):
    repo = git_repo(_project())
    first = _run(repo)
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    second = _run(repo)
    assert second.analysed == first.analysed == 9
    assert second.findings == first.findings


class _ProbeRule(Rule):
    """What it finds:
    Nothing: a probe for the cache tests.

    Why:
    To see when facts are recomputed.

    Example:
        none

    How to fix:
    Nothing to fix.
    """

    code = "ZZ001"
    summary = "probe"


def _probe_family(calls: list[str]) -> Family:
    def collect(source, ctx):
        calls.append(source.path)
        return (ctx.options["mode"], len(source.data))

    return Family(
        name="probe", section="probe", rules=(_ProbeRule,), collect=collect,
        options={"mode": Option("fast", string, "how facts are collected")},
        fingerprint=lambda ctx: f"mode={ctx.options['mode']}",
    )


def test_the_collectors_fingerprint_is_part_of_the_key(git_repo):
    repo = git_repo({"a.py": "x = 1\n", "b.txt": "hello\n"})
    calls: list[str] = []
    families = (_probe_family(calls),)

    def run(mode: str) -> runner.RunResult:
        settings = build_settings(repo, None, {"probe": {"mode": mode}}, families)
        return runner.run_check(settings, families, frozenset({"ZZ001"}), jobs=1)

    assert run("fast").analysed == 2
    assert run("fast").analysed == 0
    assert run("thorough").analysed == 2
    assert run("thorough").facts["a.py"].families["probe"] == ("thorough", 6)
    assert sorted(calls) == ["a.py", "a.py", "b.txt", "b.txt"]


class _RunsCode:
    """Unpickling this would run ``os.system``: the cache must refuse it."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class _CallsAgentrails:
    """Unpickling this would call a function of agentrails itself, not build a value."""

    def __reduce__(self):
        from agentrails.cli import main

        return (main, (["rules"],))


def _damage(mode: str, pack: Path, sentinel: Path) -> None:
    data = pack.read_bytes()
    entries = pickle.loads(data)
    first = sorted(entries)[0]
    payloads = {
        "garbage": b"\x00\xffnot a pickle at all",
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "one-byte-short": data[:-1],
        "os-system": pickle.dumps(_RunsCode(f"touch {sentinel}")),
        "agentrails-function": pickle.dumps(_CallsAgentrails()),
        "function-inside-pack": pickle.dumps({**entries, first: _CallsAgentrails()}),
        "foreign-value": pickle.dumps({first: ("k", None, Finding("x", 1, 1, "AR101", "planted"))}),
        "plain-int": pickle.dumps(42),
    }
    pack.write_bytes(payloads[mode])


@pytest.mark.parametrize(
    "mode",
    ["garbage", "empty", "truncated", "one-byte-short", "os-system", "agentrails-function",
     "function-inside-pack", "foreign-value", "plain-int"],
)
def test_a_damaged_pack_is_rebuilt_silently(git_repo, tmp_path, capsys, mode):
    repo = git_repo(_project())
    clean = _run(repo)
    sentinel = tmp_path / "pwned"
    (pack,) = _packs(repo)
    _damage(mode, pack, sentinel)
    capsys.readouterr()
    rebuilt = _run(repo)
    captured = capsys.readouterr()
    assert not sentinel.exists()
    assert captured.out == captured.err == ""
    assert rebuilt.analysed == 9
    assert rebuilt.findings == clean.findings
    assert _run(repo).analysed == 0, "the rebuilt pack is good again"


def test_the_safe_unpickler_refuses_non_agentrails_classes_and_functions(tmp_path):
    cache = Cache(tmp_path, "")
    key = cache.key("a.py", b"")
    cache.pack_path.parent.mkdir(parents=True)
    good = FileFacts(path="a.py", line_count=3, noqa={2: frozenset({"AR101"})})
    cache.pack_path.write_bytes(pickle.dumps({"a.py": (key, None, good.row())}))
    assert cache.get("a.py", key) == good
    for bad in (_RunsCode("true"), _CallsAgentrails(), Path("x"), object):
        cache.pack_path.write_bytes(pickle.dumps({"a.py": (key, None, good.row()), "b": bad}))
        assert Cache(tmp_path, "").get("a.py", key) is None


def test_the_pack_holds_plain_rows_that_load_as_the_same_facts(git_repo):
    """A row is the facts as plain data (no object to build while loading); a family's facts
    that are objects (the context family's Markdown facts) survive the round trip too."""
    repo = git_repo({**_project(), "AGENTS.md": "# Agents\n\nSee @notes.md.\n"})
    cold = _run(repo)
    for path, (_, _, row) in _pack(repo).items():
        assert type(row) is tuple and FileFacts.from_row(path, row) == cold.facts[path]
    sizes = _pack(repo)["pkg/mod_01.py"][2][-1]["size"]
    assert sizes == (("long", 2, 1, 5),) and type(sizes[0]) is tuple
    warm = _run(repo)
    assert warm.analysed == 0 and warm.facts == cold.facts and warm.findings == cold.findings


def test_no_cache_reads_and_writes_nothing(git_repo, cli):
    repo = git_repo(_project())
    assert cli("check", "--no-cache", repo).code == 1
    assert not (repo / ".agentrails_cache").exists()
    # Plant believable but false facts: a run that reads the cache reports them.
    _run(repo)
    (pack,) = _packs(repo)
    planted = {
        path: (key, signature, (*row[:3], 9999, *row[4:]))
        for path, (key, signature, row) in pickle.loads(pack.read_bytes()).items()
    }
    pack.write_bytes(pickle.dumps(planted))
    stamp = pack.stat().st_mtime_ns
    assert "9999 non-blank lines" in cli("check", repo).out
    honest = cli("check", "--no-cache", repo)
    assert "9999" not in honest.out
    assert "notes.md:1:1: AR101 file has 5 non-blank lines" in honest.out
    assert pack.stat().st_mtime_ns == stamp and _packs(repo) == [pack]


def test_a_configured_cache_dir_that_cannot_be_created_is_a_configuration_error(git_repo, cli):
    """Issue 20: a mistyped cache-dir would silently cost every run its cache."""
    repo = git_repo({**_project(), "blocker": "a file\n"})
    (repo / "agentrails.toml").write_text("cache-dir = 'blocker/cache'\n" + CONFIG)
    result = cli("check", repo)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "cache-dir 'blocker/cache': cannot create" in result.err
    assert cli("check", "--no-cache", repo).code == 1  # nothing to write: the run goes on
    assert (repo / "blocker").is_file()


def test_a_read_only_file_system_does_not_fail_the_run(git_repo, cli, monkeypatch):
    repo = git_repo(_project())
    cli("check", repo)
    (repo / "pkg/mod_00.py").write_text(LONG_FUNCTION)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(plain, "atomic_write", read_only)
    result = cli("check", repo)
    expected = cli("check", "--no-cache", repo)
    assert (result.code, result.out, result.err) == (expected.code, expected.out, "")
    assert "pkg/mod_00.py:1:1: AR102" in result.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_cache_does_not_fail_the_run(git_repo, cli):
    repo = git_repo(_project())
    cli("check", repo)
    (repo / "pkg/mod_00.py").write_text(LONG_FUNCTION)
    cache_dir = repo / ".agentrails_cache"
    folders = [cache_dir, *[p for p in cache_dir.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = cli("check", repo)
        expected = cli("check", "--no-cache", repo)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert (result.code, result.out, result.err) == (expected.code, expected.out, "")


def _concurrent_round(repo: Path) -> list[tuple[int, str, str]]:
    command = [sys.executable, "-m", "agentrails", "check", "--format", "json", str(repo)]
    env = {**os.environ, "CI": "true"}
    procs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    return [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]


def test_two_runs_at_once_never_corrupt_the_cache(git_repo):
    repo = git_repo(_project(count=40))
    for round_number in range(4):
        if round_number % 2 == 0:
            shutil.rmtree(repo / ".agentrails_cache", ignore_errors=True)
        else:
            path = repo / f"pkg/mod_{round_number:02}.py"
            path.write_text(path.read_text() + f"\n\ndef extra_{round_number}():\n    pass\n")
        results = _concurrent_round(repo)
        fresh = subprocess.run(
            [sys.executable, "-m", "agentrails", "check", "--format", "json", "--no-cache",
             str(repo)], capture_output=True, text=True,
        )
        for code, out, err in results:
            assert (code, err) == (1, "")
            assert json.loads(out) == json.loads(fresh.stdout)
        warm = _run(repo)
        assert warm.analysed == 0
        reported = [{**f.as_dict(), "severity": "error"} for f in warm.findings]
        assert reported == json.loads(fresh.stdout)
    assert not list((repo / ".agentrails_cache").rglob(".tmp-*"))
