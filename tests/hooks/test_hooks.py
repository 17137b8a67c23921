"""The Claude Code hooks, fed the JSON Claude Code sends: guard-paths and stop-gate."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentrails.hooks import guard_paths, stop_gate
from tests.helpers.repo import git, write_files


def edit_event(root: Path, file_path: str, tool: str = "Edit") -> dict:
    """A PreToolUse event as Claude Code sends it for an Edit."""
    return {
        "session_id": "abc123",
        "transcript_path": str(root / "transcript.jsonl"),
        "cwd": str(root),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": {"file_path": file_path, "old_string": "a", "new_string": "b"},
        "tool_use_id": "toolu_01",
    }


def run_hook(name: str, stdin: bytes, cwd: Path) -> subprocess.CompletedProcess:
    """The real console entry point, as Claude Code runs it."""
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_PROJECT_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "agentrails", "hook", name], input=stdin, cwd=cwd, env=env,
        capture_output=True, timeout=120, check=False,
    )


@pytest.fixture
def project(plain_dir) -> Path:
    return plain_dir({"agentrails.toml": "", "src/x.py": "",
                      ".github/workflows/ci.yml": "on: push\n"})


def test_guard_paths_blocks_a_workflow_edit_and_allows_source(project: Path) -> None:
    blocked = run_hook("guard-paths", json.dumps(
        edit_event(project, str(project / ".github/workflows/ci.yml"))).encode(), project)
    assert blocked.returncode == 2
    assert b".github/workflows/ci.yml is protected" in blocked.stderr
    allowed = run_hook("guard-paths", json.dumps(
        edit_event(project, str(project / "src/x.py"))).encode(), project)
    assert allowed.returncode == 0 and allowed.stderr == b""


@pytest.mark.parametrize("stdin", [b"garbage{", b"", b"[1, 2]", b"\xff\xfe\x00",
                                   b'{"tool_name": "Edit"}',
                                   b'{"tool_name": "Write", "tool_input": {"content": "x"}}',
                                   b'{"tool_name": ["Edit"], "tool_input": {"file_path": "a"}}',
                                   b'{"tool_name": "Edit", "tool_input": {"file_path": "\\u0000"}}',
                                   b'{"tool_name": "Edit", "tool_input": [1]}', b"[" * 100000])
def test_guard_paths_fails_closed_with_a_clear_error(project: Path, stdin: bytes) -> None:
    result = run_hook("guard-paths", stdin, project)
    assert result.returncode == 2
    assert result.stderr.startswith(b"agentrails hook guard-paths: cannot read the hook input")
    assert b"Traceback" not in result.stderr


def guard(event: dict, environ: dict | None = None) -> int:
    return guard_paths.main(io.BytesIO(json.dumps(event).encode()), environ or {})


def test_guard_paths_paths(project: Path, tmp_path: Path, capsys) -> None:
    assert guard(edit_event(project, "src/x.py", "Write")) == 0
    assert guard(edit_event(project, ".claude/settings.json", "Write")) == 2
    assert guard(edit_event(project, str(project / ".GitHub/Workflows/New.yml"), "MultiEdit")) == 2
    assert guard(edit_event(project, str(project / "src/../.github/CODEOWNERS"))) == 2
    assert guard(edit_event(project, str(tmp_path / "elsewhere.txt"))) == 0
    assert "protected" in capsys.readouterr().err


def test_guard_paths_other_tools_links_and_relative_paths(project: Path, capsys) -> None:
    bash = {**edit_event(project, "x"), "tool_name": "Bash", "tool_input": {"command": "ls"}}
    assert guard(bash) == 0
    notebook = {**edit_event(project, "x", "NotebookEdit"),
                "tool_input": {"notebook_path": ".github/workflows/n.ipynb"}}
    assert guard(notebook) == 2
    (project / "link.yml").symlink_to(project / ".github/workflows/ci.yml")
    assert guard(edit_event(project, str(project / "link.yml"))) == 2
    event = edit_event(project, "ci.yml")
    event["cwd"] = str(project / ".github/workflows")
    assert guard(event, {"CLAUDE_PROJECT_DIR": str(project)}) == 2
    assert "protected" in capsys.readouterr().err


def test_guard_paths_protects_accepted_plans_and_honours_config(project: Path) -> None:
    plan = "migrations/2025-01-01-split.md"
    write_files(project, {plan: "---\nstatus: draft\nowner: a\n---\n"})
    assert guard(edit_event(project, plan)) == 0
    write_files(project, {plan: "---\nstatus: accepted\nowner: a\n---\n"})
    assert guard(edit_event(project, plan)) == 2
    assert guard(edit_event(project, "migrations/README.md")) == 0
    write_files(project, {"agentrails.toml": '[agents]\nprotected = ["src/**"]\n'
                                             "protect-accepted-migrations = false\n"})
    assert guard(edit_event(project, plan)) == 0
    assert guard(edit_event(project, ".github/workflows/ci.yml")) == 0
    assert guard(edit_event(project, "src/x.py")) == 2
    write_files(project, {"agentrails.toml": "[agents]\nunknown = 1\n"})
    assert guard(edit_event(project, "src/x.py")) == 2


def stop(root: Path, active: bool = False) -> int:
    event = {"session_id": "abc", "transcript_path": "/tmp/t.jsonl", "cwd": str(root),
             "hook_event_name": "Stop", "stop_hook_active": active}
    return stop_gate.main(io.BytesIO(json.dumps(event).encode()), {})


def test_stop_gate_checks_the_changed_files(git_repo, capsys) -> None:
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 3\n", "old.txt": "1\n2\n3\n4\n5\n",
                     "src/a.py": ""})
    git(root, "commit", "-q", "-m", "start")
    assert stop(root) == 0  # nothing changed; old.txt's finding is not this session's
    write_files(root, {"src/a.py": "A = 1\nB = 2\nC = 3\nD = 4\n"})
    assert stop(root) == 2
    err = capsys.readouterr().err
    assert "src/a.py:1:1: AR101" in err and "old.txt" not in err
    assert stop(root, active=True) == 0
    write_files(root, {"src/a.py": "A = 1\n"})
    assert stop(root) == 0


def test_stop_gate_outside_git_checks_everything(plain_dir, capsys) -> None:
    root = plain_dir({"agentrails.toml": "[size]\nmax-lines = 1\n", "a.txt": "1\n2\n"})
    assert stop(root) == 2
    assert "a.txt:1:1: AR101" in capsys.readouterr().err


LONG_NUMBER = b'{"hook_event_name": "Stop", "cwd": ' + b"9" * 5000 + b"}"


@pytest.mark.parametrize("stdin", [b"not json", b"", b"[1]", b"\xff", b"[" * 100000, LONG_NUMBER,
                                   b'{"a": "\\ud800"}' * 2])
def test_stop_gate_survives_bad_input(project: Path, stdin: bytes) -> None:
    """Every malformed input exits 1 (the documented code: Claude Code shows the error and
    lets the agent stop) with one line, never a traceback."""
    result = run_hook("stop-gate", stdin, project)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(b"agentrails hook stop-gate: cannot read the hook input")
    assert result.stderr.count(b"\n") == 1


def test_guard_paths_refuses_a_number_too_long_to_read(project: Path) -> None:
    result = run_hook("guard-paths", LONG_NUMBER.replace(b"Stop", b"PreToolUse"), project)
    assert result.returncode == 2
    assert result.stderr.startswith(b"agentrails hook guard-paths: cannot read the hook input")


def test_unknown_hook(project: Path) -> None:
    result = run_hook("nope", b"{}", project)
    known = b"check-edit, guard-paths, session-start, stop-gate"
    assert result.returncode == 2 and known in result.stderr
