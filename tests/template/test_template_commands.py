"""A fresh uv render names every command as the project runs it: each command its docs,
agent commands, settings, copier's message and its hooks' messages show is run in a clean
shell (no virtual environment on PATH, only uv, git, copier and the Pythons) after the setup
its AGENTS.md gives, and none is "command not found"."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers.template import commit_all, render, run, tool
from tests.helpers.toolchain import build_wheel, current_python, interpreters, toolchain_env

pytestmark = pytest.mark.slow

IN_THE_VENV = {"agentrails", "nox", "pytest", "ruff", "mypy", "pyright", "pre-commit", "pip",
               "codespell", "mdformat", "zizmor", "hypothesis", "coverage"}
"""Programs a uv project has only in its .venv: `uv run X` in a clean shell, never X."""
PROGRAMS = IN_THE_VENV | {"uv"}
FENCE = re.compile(r"^```(?:sh|bash|shell|console)\n(.*?)^```", re.M | re.S)
SPAN = re.compile(r"`([^`\n]+)`")
ALLOWED = re.compile(r"Bash\(([^:)]+)(?::\*)?\)")
NETWORK = re.compile(r"SSL|CERT|CA_BUNDLE|PROXY", re.I)
NOT_FOUND = ("command not found", "Failed to spawn", "No such file or directory")


def commands_in(text: str) -> list[str]:
    """Command lines in Markdown: fenced shell blocks (comments dropped) and code spans,
    split at `&&` and redirections, that start with a program of the project."""
    found = []
    for block in FENCE.findall(text):
        found += [line.split("  #")[0] for line in block.splitlines()]
    found += [span for span in SPAN.findall(text) if len(span.split()) > 1]  # not a name
    parts = [part for line in found for part in re.split(r"&&|\|\||>", line)]
    return [part.strip() for part in parts if part.split()[:1] and part.split()[0] in PROGRAMS]


def documented(repo: Path, message: str) -> set[str]:
    """Every command of the render: its Markdown, copier's message, the allow-lists."""
    found = set(commands_in(message.replace("\n   ", "\n")))
    for name in run(["git", "ls-files", "*.md"], repo).stdout.split():
        found.update(commands_in((repo / name).read_text(encoding="utf-8")))
    settings = json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))
    allowed = " ".join(settings["permissions"]["allow"])  # ask and deny name both forms
    for path in repo.glob(".claude/commands/*.md"):
        allowed += " " + path.read_text(encoding="utf-8").split("\n---", 1)[0]
    found.update(c for c in ALLOWED.findall(allowed) if c.split()[0] in PROGRAMS)
    return found


def clean_shell(repo: Path, bin_dir: Path, env: dict[str, str]):
    """Run a command line as a user's shell does, without any virtual environment."""
    keep = {k: env[k] for k in ("UV_FIND_LINKS", "UV_PYTHON_DOWNLOADS", "UV_NO_PROGRESS")}
    # The machine's network settings (certificates, proxies) reach every shell; they put
    # nothing on PATH.
    keep.update({k: v for k, v in os.environ.items() if NETWORK.search(k)})
    cache = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")
    base = {"HOME": str(repo.parent / "home"), "PATH": f"{bin_dir}:/usr/bin:/bin",
            "UV_CACHE_DIR": cache, "LANG": "C.UTF-8", **keep}

    def shell(line: str, stdin: str = "", extra: dict[str, str] | None = None):
        return subprocess.run(["/bin/bash", "--noprofile", "--norc", "-c", line], cwd=repo,
                              env={**base, **(extra or {})}, input=stdin, text=True,
                              capture_output=True, timeout=600, check=False)

    return shell


def user_bin(folder: Path) -> Path:
    """What a user's PATH has besides the system: uv, git, copier and their Pythons."""
    folder.mkdir()
    for name in ("uv", "git", "copier"):
        (folder / name).symlink_to(tool(name) if name != "git" else "/usr/bin/git")
    for version, directory in interpreters().items():
        (folder / f"python{version}").symlink_to(directory / f"python{version}")
    return folder


@pytest.fixture(scope="module")
def project(source: Path, tmp_path_factory: pytest.TempPathFactory):
    """A committed default render, set up as AGENTS.md says, and its copier message."""
    root = tmp_path_factory.mktemp("commands")
    repo = root / "acme"
    made = render(source, repo, {"project_name": "Acme Billing",
                                 "python_version": current_python()})
    commit_all(repo)
    env = toolchain_env(build_wheel(root / "wheels"), root)
    shell = clean_shell(repo, user_bin(root / "bin"), env)
    for step in ("uv sync", "uv run pre-commit install"):
        result = shell(step)
        assert result.returncode == 0, result.stdout + result.stderr
    return repo, made.stdout + made.stderr, shell


def test_no_command_names_a_tool_the_shell_cannot_find(project) -> None:
    repo, message, _ = project
    commands = documented(repo, message)
    assert {"uv run agentrails check", "uv run nox", "uv run agentrails protect --check",
            "uv run agentrails handoff new SLUG"} <= commands
    bare = sorted(c for c in commands if c.split()[0] in IN_THE_VENV)
    assert bare == [], f"bare commands of the .venv: {bare}"


def test_each_documented_command_runs_in_a_clean_shell(project) -> None:
    repo, message, shell = project
    missing = {}
    for command in sorted(documented(repo, message)):
        words = shlex.split(command)
        if words[:2] in (["uv", "sync"], ["uv", "lock"]):
            line = command  # the setup itself: run as written
        else:
            line = shlex.join([*words, "--help"])
        result = shell(line)
        if result.returncode == 127 or any(s in result.stderr for s in NOT_FOUND):
            missing[command] = result.stderr.strip()[-300:]
    assert missing == {}


def test_the_hooks_run_and_their_messages_name_runnable_commands(project) -> None:
    repo, _, shell = project
    settings = json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))
    hooks = {hook["command"].rsplit(" ", 1)[1]: hook["command"]
             for entries in settings["hooks"].values() for entry in entries
             for hook in entry["hooks"]}
    assert set(hooks) == {"guard-paths", "check-edit", "session-start", "stop-gate"}
    assert all(not c.startswith("uv run") for c in hooks.values())  # nothing synced unasked
    claude = {"CLAUDE_PROJECT_DIR": str(repo)}
    start = shell(hooks["session-start"], json.dumps({"cwd": str(repo)}), claude)
    context = json.loads(start.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "`uv run agentrails check` passes." in context, start.stderr
    module = next(repo.glob("src/*/text.py"))
    module.write_text(module.read_text() + "\n\ndef unused():\n    return 1\n    x = 2\n")
    stop = shell(hooks["stop-gate"], json.dumps({"cwd": str(repo)}), claude)
    assert stop.returncode == 2 and "run `uv run agentrails check` to see them" in stop.stderr
    named = re.search(r"`(uv run agentrails check)`", stop.stderr).group(1)
    assert shell(named).returncode == 1  # runs, and finds what the hook found
    run(["git", "checkout", "--", "."], repo)
    _before_the_setup_each_hook_says_what_to_run(repo, hooks, shell, claude)


def _before_the_setup_each_hook_says_what_to_run(repo: Path, hooks: dict[str, str], shell,
                                                 claude: dict[str, str]) -> None:
    """Without .venv/bin/agentrails (a fresh clone), each hook prints one line naming the
    set-up and exits 1 (Claude Code shows it and goes on), never the shell's "not found"."""
    program = repo / ".venv/bin/agentrails"
    aside = program.with_name("agentrails.aside")
    program.rename(aside)
    try:
        for name, command in sorted(hooks.items()):
            result = shell(command, json.dumps({"cwd": str(repo)}), claude)
            assert (result.returncode, result.stdout, result.stderr) == (1, "", (
                f"agentrails hook {name}: .venv/bin/agentrails is missing: run uv sync first\n"))
            assert shell("uv sync --help").returncode == 0  # the command it names runs
    finally:
        aside.rename(program)
