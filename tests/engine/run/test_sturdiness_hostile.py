"""Hostile input, each case run as the real command line under a budget of 5 seconds and
500 MB: a YAML alias bomb, baselines and configurations with huge numbers, deep nesting or
impossible values, baselines that are not files, globs that cannot match, paths that leave
the project, control characters in file names, an unreadable folder. Each must give a clear
one-line error (exit 2) naming the file and the key, or a finding, never a silent pass."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.repo import git, write_files

SECONDS = 5.0
MEGABYTES = 500
ADDRESS_SPACE = 4 * 1024**3
"""A hard ceiling so a runaway case fails instead of swapping the machine."""
CONFIG = "[complexity]\nmax-function = 3\n"
APP = "def f(a):\n" + "".join(f"    if a == {i}:\n        return {i}\n" for i in range(4)) + (
    "    return -1\n")
BASELINE = "agentrails-baseline.json"
LONG_FUNCTION = "def long():\n" + "    x = 1\n" * 90 + "    return x\n"


@dataclass
class Run:
    """What one limited run did."""

    code: int
    out: str
    err: str
    seconds: float
    megabytes: float


def limited(root: Path, *args: str, user: list[str] | None = None,
            env: dict[str, str] | None = None) -> Run:
    """``agentrails ARGS`` in ``root``; killed past SECONDS; peak RSS from ``wait4``."""
    command = [*(user or []), sys.executable, "-m", "agentrails", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, stdout=out, stderr=err, env=env,
                                   preexec_fn=_ceiling)
        status, usage = _reap(process.pid, started, args)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Run(os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)


def _reap(pid: int, started: float, args: tuple[str, ...]) -> tuple[int, resource.struct_rusage]:
    """The process's exit status and resource usage; killed and failed when it hangs."""
    while True:
        found, status, usage = os.wait4(pid, os.WNOHANG)
        if found:
            return status, usage
        if time.perf_counter() - started > SECONDS * 4:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            pytest.fail(f"agentrails {' '.join(args)} still running after {SECONDS * 4} s")
        time.sleep(0.01)


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def within_budget(run: Run) -> None:
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.seconds <= SECONDS, f"{run.seconds:.1f} s"
    assert run.megabytes <= MEGABYTES, f"{run.megabytes:.0f} MB"


def one_line_error(run: Run, *named: str) -> None:
    """Exit 2 with exactly one line on stderr, naming each of ``named``."""
    within_budget(run)
    assert run.code == 2, run.out + run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("agentrails: error: "), run.err
    for name in named:
        assert name in lines[0], (name, lines[0])
    assert len(lines[0]) < 400, lines[0]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _baseline_entry(**changes: object) -> str:
    import json

    entry = {"code": "AR201", "path": "app.py", "symbol": "f", "hash": "", "value": 5, **changes}
    return json.dumps({"version": 1, "entries": [entry]})


def _link_loop(root: Path) -> None:
    os.symlink(BASELINE, root / BASELINE)


def _fifo(root: Path) -> None:
    os.mkfifo(root / BASELINE)


def _folder(root: Path) -> None:
    (root / BASELINE).mkdir()


def _huge(root: Path) -> None:
    with open(root / BASELINE, "w") as handle:
        handle.write('{"version": 1, "entries": []}')
        handle.write(" " * (17 * 1024 * 1024))


@dataclass
class Bad:
    """A project with one hostile thing in it, and what the error must name."""

    files: dict[str, str]
    named: tuple[str, ...]
    setup: Callable[[Path], None] | None = None
    extra: list[str] = field(default_factory=list)


NUMBER = "9" * 5000
ERRORS: dict[str, Bad] = {
    "baseline count 100000000": Bad({BASELINE: _baseline_entry(count=100_000_000)},
                                    (BASELINE, "entry 1", "count")),
    "baseline count 10**18": Bad({BASELINE: _baseline_entry(count=10**18)},
                                 (BASELINE, "entry 1", "count")),
    "baseline 5,000-digit number": Bad(
        {BASELINE: _baseline_entry().replace('"value": 5', f'"value": {NUMBER}')},
        (BASELINE, "'value'", "digits")),
    "baseline 5,000-digit version": Bad({BASELINE: f'{{"version": {NUMBER}, "entries": []}}'},
                                        (BASELINE, "'version'", "digits")),
    "baseline nested 50,000 deep": Bad(
        {BASELINE: f'{{"version": 1, "entries": {_nested(50_000)}}}'},
        (BASELINE, "'entries'", "nested")),
    "baseline value 1e400": Bad({BASELINE: _baseline_entry().replace('"value": 5',
                                                                     '"value": 1e400')},
                                (BASELINE, "entry 1", "value")),
    "baseline is a folder": Bad({}, (BASELINE, "not a regular file"), _folder),
    "baseline is a symlink loop": Bad({}, (BASELINE, "symbolic links"), _link_loop),
    "baseline is a FIFO": Bad({}, (BASELINE, "not a regular file"), _fifo),
    "baseline of 17 MiB": Bad({}, (BASELINE, "larger than 16 MiB"), _huge),
    "TOML nested 50,000 deep": Bad({"agentrails.toml": f"a = {_nested(50_000)}\n"},
                                   ("agentrails.toml", "'a'", "nested")),
    "TOML table nested 40 deep": Bad(
        {"agentrails.toml": "[size]\nper-glob = " + "{ a = " * 40 + "1" + " }" * 40 + "\n"},
        ("agentrails.toml", "size.per-glob", "nested")),
    "TOML 5,000-digit number": Bad({"agentrails.toml": f"[size]\nmax-lines = {NUMBER}\n"},
                                   ("agentrails.toml", "'max-lines'")),
    "max-lines = 2**70": Bad({"agentrails.toml": f"[size]\nmax-lines = {2**70}\n"},
                             ("agentrails.toml", "size.max-lines", "at most")),
    "max-file-bytes = -1": Bad({"agentrails.toml": "max-file-bytes = -1\n"},
                               ("agentrails.toml", "max-file-bytes")),
    "per-file-ignores glob '['": Bad(
        {"agentrails.toml": 'per-file-ignores = { "[" = ["AR101"] }\n'},
        ("agentrails.toml", "per-file-ignores", "'['")),
    "exclude glob 'src/[a-'": Bad({"agentrails.toml": 'exclude = ["src/[a-"]\n'},
                                  ("agentrails.toml", "exclude", "'src/[a-'")),
    "cache-dir in /proc": Bad({"agentrails.toml": 'cache-dir = "/proc/nope/cache"\n'},
                              ("agentrails.toml", "cache-dir", "/proc/nope/cache")),
    "cache-dir is a file": Bad({"agentrails.toml": 'cache-dir = "app.py"\n'},
                               ("agentrails.toml", "cache-dir", "app.py")),
    "context canonical outside": Bad(
        {"agentrails.toml": '[context]\ncanonical = "../../../etc/passwd"\n'},
        ("agentrails.toml", "context.canonical", "inside the project")),
    "context required absolute": Bad(
        {"agentrails.toml": '[context]\nrequired = ["docs/", "/etc/passwd"]\n'},
        ("agentrails.toml", "context.required", "/etc/passwd")),
    "context shim outside": Bad(
        {"agentrails.toml": '[context]\nshims = { "../x.md" = "cursor" }\n'},
        ("agentrails.toml", "context.shims", "../x.md")),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_hostile_input_is_a_one_line_error(case: str, tmp_path: Path) -> None:
    bad = ERRORS[case]
    files = {"agentrails.toml": CONFIG, "app.py": APP, **bad.files}
    write_files(tmp_path, files)
    if bad.setup is not None:
        bad.setup(tmp_path)
    one_line_error(limited(tmp_path, "check", *bad.extra), *bad.named)


ALIAS_BOMB = "---\nstatus: draft\nowner: a\n" + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9)) + "---\n# Plan\n"
"""About 640 bytes that expand to 9**9 (387 million) strings."""


def test_a_yaml_alias_bomb_is_a_finding(tmp_path: Path) -> None:
    write_files(tmp_path, {"migrations/2025-03-01-bomb.md": ALIAS_BOMB, "good.py": "x = 1\n"})
    assert len(ALIAS_BOMB) < 700
    run = limited(tmp_path, "check", "--no-cache")
    within_budget(run)
    assert run.code == 1, run.out + run.err
    assert "migrations/2025-03-01-bomb.md:2:1: AR601" in run.out and "alias" in run.out


def test_a_huge_front_matter_is_a_finding(tmp_path: Path) -> None:
    text = "---\nstatus: draft\nowner: a\n" + "k: v\n" * 100_000 + "---\n"
    write_files(tmp_path, {"migrations/2025-03-01-long.md": text})
    run = limited(tmp_path, "check", "--no-cache")
    within_budget(run)
    assert run.code == 1 and "front matter longer than" in run.out, run.out + run.err


def test_control_characters_in_file_names_are_escaped_in_text(tmp_path: Path) -> None:
    name = "\x1b]0;owned\x07\x1b[2J\u202ereadme.py"
    write_files(tmp_path, {name: LONG_FUNCTION})
    run = limited(tmp_path, "check", "--no-cache")
    within_budget(run)
    assert run.code == 1
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202ereadme.py:1:1: AR102" in run.out, run.out
    assert not any(char in run.out for char in "\x1b\x07\u202e")


def _as_nobody() -> list[str]:
    """The prefix that runs a command without root's power to read anything (setpriv to
    nobody), [] when the tests do not run as root; skips where neither is possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a chmod 000 folder would still be read")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.parametrize("with_git", [True, False], ids=["git", "plain"])
def test_a_file_in_an_unreadable_folder_is_ar002(with_git: bool) -> None:
    user = _as_nobody()
    root = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        root.chmod(0o755)
        write_files(root, {"secret/bad.py": "def broken(:\n", "good.py": LONG_FUNCTION})
        if with_git:
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-qm", "files")
        if user:
            subprocess.run(["chown", "-R", "65534:65534", str(root)], check=True)
        (root / "secret").chmod(0)
        env = {**os.environ, "XDG_CACHE_HOME": str(root / ".cache"), "HOME": str(root)}
        run = limited(root, "check", user=user, env=env)
        within_budget(run)
        assert run.code == 1, run.out + run.err
        problem = "secret/bad.py" if with_git else "secret"
        assert f"{problem}:1:1: AR002 cannot read: Permission denied" in run.out, run.out
        assert "good.py:1:1: AR102" in run.out
        again = limited(root, "check", user=user, env=env)  # warm: still named
        assert f"{problem}:1:1: AR002" in again.out, again.out
    finally:
        (root / "secret").chmod(0o755)
        shutil.rmtree(root)


def test_twenty_thousand_identical_findings_stay_fast(tmp_path: Path) -> None:
    """Pairing identical lines is linear: a baseline of 20,000 identical findings and a
    check against it each take well under the budget."""
    write_files(tmp_path, {
        "agentrails.toml": 'select = ["AR403"]\n[context]\nfiles = ["notes.md"]\n',
        "notes.md": "# Notes\n\n" + "[a](missing.md)\n" * 20_000,
    })
    made = limited(tmp_path, "baseline")
    within_budget(made)
    assert made.code == 0 and "20000 entries" in made.out
    edited = "# Notes\n\n[b](missing.md)\n" + "[a](missing.md)\n" * 19_999
    (tmp_path / "notes.md").write_text(edited)
    run = limited(tmp_path, "check")
    within_budget(run)
    assert run.code == 1
    assert run.out.splitlines()[0] == "notes.md:3:5: AR403 broken link: missing.md does not exist"
