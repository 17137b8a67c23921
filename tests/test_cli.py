"""The command line: exit codes, usage errors, the console script, and progress on stderr."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentrails import __version__
from agentrails.cli import main
from agentrails.commands import check as check_command
from agentrails.engine.output import progress as progress_module
from agentrails.engine.output.progress import Progress, shown_here
from agentrails.engine.run import runner

SCRIPT = str(Path(sys.executable).with_name("agentrails"))


def test_exit_codes(git_repo, cli):
    clean = git_repo({"a.py": "x = 1\n"}, name="clean")
    dirty = git_repo({"a.rej": ""}, name="dirty")
    assert cli("check", clean).code == 0
    assert cli("check", dirty).code == 1
    assert cli("check", dirty / "missing").code == 2
    assert cli("check", "--select", "AR99999", clean).code == 2


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["check", "--format", "xml"],
        ["check", "--jobs", "many"],
        ["check", "--jobs", "0"],
        ["check", "--jobs", "-2"],
        ["check", "--no-such-flag"],
        ["rule"],
        ["rules", "--format", "sarif"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert "usage: agentrails" in captured.err and captured.out == ""


@pytest.mark.parametrize(("argv", "command"), [
    (["check", "--no-such-flag"], "agentrails check"),
    (["baseline", "--bogus"], "agentrails baseline"),
    (["report", "x", "--bogus"], "agentrails report"),
])
def test_an_unknown_option_shows_its_commands_usage(argv, command, capsys):
    """As with a bad value: the error names the command and prints that command's usage."""
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {command} ")
    assert f"{command}: error: unrecognized arguments: {argv[-1]}" in err


def test_output_format_is_accepted_as_in_ruff(tmp_path, capsys):
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["check", "--output-format", "json", "--no-cache", str(tmp_path)]) == 0
    assert capsys.readouterr().out.lstrip().startswith("[")


def test_version(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out == f"agentrails {__version__}\n"


def _script(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true"}
    return subprocess.run(
        [SCRIPT, *map(str, argv)], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_console_script_exit_codes_without_tracebacks(git_repo, tmp_path):
    clean = git_repo({"a.py": "x = 1\n"}, name="clean")
    dirty = git_repo({"a.rej": "", "broken.py": "def f(:\n"}, name="dirty")
    bad = git_repo({"agentrails.toml": "[size]\nmax-lines = []\n"}, name="bad")
    cases = [
        (["check", clean], 0, "All checks passed"),
        (["check", dirty], 1, "broken.py:1:7: AR001"),
        (["check", bad], 2, "size.max-lines"),
        (["check", dirty / "missing.py"], 2, "no such file"),
        (["check", "--output", tmp_path / "no" / "dir.txt", dirty], 2, "cannot write"),
        (["rule", "AR000"], 2, "unknown rule"),
        (["check", "--format", "xml"], 2, "invalid choice"),
        ([], 2, "usage:"),
    ]
    for argv, code, text in cases:
        result = _script(*argv)
        assert result.returncode == code, (argv, result.stderr)
        assert "Traceback" not in result.stderr, argv
        assert text in result.stdout + result.stderr, (argv, result.stdout, result.stderr)


def test_python_dash_m_runs_the_same_cli(git_repo):
    repo = git_repo({"a.rej": ""})
    result = subprocess.run(
        [sys.executable, "-m", "agentrails", "check", str(repo)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "a.rej:1:1: AR902" in result.stdout


def test_keyboard_interrupt_and_broken_pipe(git_repo, cli, monkeypatch):
    repo = git_repo({"a.rej": ""})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(check_command, "run_check", interrupted)
    result = cli("check", repo)
    assert result.code == 130 and "interrupted" in result.err

    def broken(*args, **kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(check_command, "run_check", broken)
    assert cli("check", repo).code == 0


def test_a_process_pool_gives_the_same_answer_as_one_process(git_repo, cli):
    files = {f"pkg/m{n:02}.py": "def f():\n" + "    x = 1\n" * (n % 5) + "    return 0\n"
             for n in range(40)}
    repo = git_repo({**files, "agentrails.toml": "size = { max-function-lines = 4 }\n"})
    pooled = cli("check", "--no-cache", "--jobs", "2", repo)
    serial = cli("check", "--no-cache", "--jobs", "1", repo)
    assert pooled.code == serial.code == 1
    assert pooled.out == serial.out
    assert pooled.out.count("AR102") == 16


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch) -> _FakeTTY:
    """Make stderr claim to be a terminal, outside CI. Called in the test body, because
    pytest's own capture replaces ``sys.stderr`` again after fixtures are set up."""
    fake = _FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return fake


def test_progress_is_shown_only_on_a_terminal_outside_ci(monkeypatch):
    _terminal(monkeypatch)
    assert shown_here()
    monkeypatch.setenv("CI", "true")
    assert not shown_here()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert not shown_here()
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not shown_here()


def test_progress_draws_then_erases_itself(monkeypatch):
    terminal = _terminal(monkeypatch)
    progress = Progress(3, delay=0)
    progress.advance()
    progress.close()
    output = terminal.getvalue()
    assert output.startswith("\ragentrails: analysed 1/3 files")
    assert output.endswith("\r\033[K")


def test_progress_writes_nothing_when_not_shown(monkeypatch):
    terminal = _terminal(monkeypatch)
    monkeypatch.setenv("CI", "1")
    progress = Progress(3, delay=0)
    for _ in range(3):
        progress.advance()
    progress.close()
    assert terminal.getvalue() == "" and progress.done == 3


def test_a_run_in_ci_keeps_stderr_clean_even_on_a_terminal(git_repo, cli, monkeypatch):
    monkeypatch.setattr(runner, "Progress", functools.partial(Progress, delay=0))
    repo = git_repo({f"f{n}.txt": "x\n" for n in range(5)})
    terminal = _terminal(monkeypatch)
    monkeypatch.setenv("CI", "true")
    cli("check", "--no-cache", repo)
    assert terminal.getvalue() == ""
    monkeypatch.delenv("CI")
    cli("check", "--no-cache", repo)
    assert "agentrails: analysed" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\033[K")
    assert progress_module.shown_here()


def test_an_internal_error_is_a_message_and_exit_2(git_repo, cli, monkeypatch):
    """A bug in a rule ends in one clear line (exit 2), a traceback only when asked for."""
    from agentrails.checks.deadcode.rules import UnusedCode

    def broken(self, facts, ctx):
        raise LookupError("join lost its way")

    monkeypatch.setattr(UnusedCode, "check_project", broken)
    repo = git_repo({"a.py": "x = 1\n"})
    outcome = cli("check", "--no-cache", repo)
    assert outcome.code == 2
    assert "internal error: LookupError: join lost its way" in outcome.err
    assert "Traceback" not in outcome.err
    monkeypatch.setenv("AGENTRAILS_DEBUG", "1")
    with pytest.raises(LookupError):
        main(["check", "--no-cache", str(repo)])


def test_the_cyclic_collector_is_restored_after_a_run(git_repo):
    import gc

    assert gc.isenabled()
    main(["check", "--no-cache", str(git_repo({"a.py": "x = 1\n"}))])
    assert gc.isenabled()
