"""guard-paths against Bash on a rendered repository, run as Claude Code runs it: the command
the rendered ``.claude/settings.json`` names for ``PreToolUse`` on Bash (the real console
script), the JSON event on stdin. Every write to a protected path is refused with exit 2 and
one line saying what and why; reads and writes elsewhere pass with exit 0; malformed payloads
exit 2 with one line."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers.template import COMBOS, commit_all, render, tool

pytestmark = pytest.mark.slow

PLAN = "migrations/2025-01-01-split-billing.md"

REFUSED = [
    "echo x > .github/workflows/ci.yml",
    "echo x >> .github/CODEOWNERS",
    "sed -i s/push/pull_request/ .github/workflows/ci.yml",
    "printf '{}' | tee .claude/settings.json",
    "rm -rf .github/rulesets",
    "rm -rf .github",
    "mv .github/workflows/promote.yml /tmp/",
    "cp /etc/hostname .github/workflows/",
    "truncate -s 0 .github/rulesets/staging.json",
    "chmod 000 .github/CODEOWNERS",
    "ln -sf /tmp/evil .github/workflows/ci.yml",
    "dd if=/dev/zero of=.github/CODEOWNERS count=1",
    "git checkout HEAD~1 -- .github/workflows/ci.yml",
    "git restore .github/rulesets",
    "perl -pi -e 's/a/b/' .claude/settings.json",
    "python3 -c \"open('.github/CODEOWNERS', 'w').write('')\"",
    "echo x > src/../.github/CODEOWNERS",  # ..
    "echo x > './.github//workflows'/\"ci.yml\"",  # quotes and //
    "rm .github/workflows/*",  # globs
    "sed -i s/a/b/ .github/*/ci.yml",
    "echo x > links/ci.yml",  # a symlink to a protected file
    "touch workflows-link/new.yml",  # a symlink to a protected folder
    "cd .github && echo '* @me' > CODEOWNERS",
    "bash -c 'echo x > .github/workflows/ci.yml'",
    "true && (cd src; rm ../.github/CODEOWNERS)",
    f"echo status: draft > {PLAN}",  # an accepted migration plan
    "cat > .github/workflows/new.yml <<'EOF'\non: push\nEOF",
    "find .github -name '*.yml' -exec sed -i s/a/b/ {} +",
]
ALLOWED = [
    "cat .github/workflows/ci.yml",
    "grep -n 'on:' .github/workflows/*.yml",
    "less .github/CODEOWNERS",
    "sed -n 1,5p .github/workflows/ci.yml",
    "git diff -- .github",
    "git log --oneline -- .claude/settings.json",
    "cp .github/workflows/ci.yml /tmp/ci-copy.yml",
    "cat links/ci.yml > /tmp/ci-copy.yml",
    "echo x > src/notes.txt",
    "sed -i s/a/b/ src/acme_billing/text.py",
    "rm -rf build dist .pytest_cache",
    "mkdir -p docs/adr && touch docs/adr/0001.md",
    "cd .github && cat CODEOWNERS > ../docs/owners.txt",
    "python3 -c \"print(open('.github/CODEOWNERS').read())\"",
    "echo '> .github/workflows/ci.yml'",
    "git add -A && git commit -m 'docs: notes'",
    "find . -name '*.pyc' -delete",
]
REFUSAL = re.compile(r"agentrails hook guard-paths: `[^`]+` would write \S.* which is "
                     r"protected \(.+\)\. .*ask a human")
MALFORMED = [b"", b"not json", b"[1]", b'{"tool_name": "Bash"}',
             b'{"tool_name": "Bash", "tool_input": {"command": ""}}',
             b'{"tool_name": "Bash", "tool_input": {"command": 7}}', b"\xff\xfe"]


@pytest.fixture(scope="module")
def repo(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A default Claude render, committed, with an accepted plan and links into .github."""
    root = tmp_path_factory.mktemp("guard") / "acme"
    render(source, root, COMBOS["claude-package"])
    (root / PLAN).write_text("---\nstatus: accepted\nowner: ana\n---\n# Split billing\n")
    (root / "links").mkdir()
    (root / "links/ci.yml").symlink_to("../.github/workflows/ci.yml")
    (root / "workflows-link").symlink_to(".github/workflows")
    commit_all(root)
    return root


def hook_command(repo: Path) -> list[str]:
    """The command the rendered settings run before a Bash call."""
    settings = json.loads((repo / ".claude/settings.json").read_text())
    commands = [hook["command"] for entry in settings["hooks"]["PreToolUse"]
                if "Bash" in entry["matcher"].split("|") for hook in entry["hooks"]]
    venv = '"$CLAUDE_PROJECT_DIR"/.venv/bin/agentrails'
    missing = ("[ -x {venv} ] || {{ echo 'agentrails hook guard-paths: .venv/bin/agentrails is "
               "missing: run {setup} first' >&2; exit 1; }}; {venv} hook guard-paths")
    assert commands in (["agentrails hook guard-paths"],
                        [missing.format(venv=venv, setup="uv sync")],
                        [missing.format(venv=venv, setup="the set-up in AGENTS.md")])
    program, *args = shlex.split(commands[0].rpartition("; ")[2])
    # The project's own console script in its .venv (never `uv run`, which would install
    # the project first); the test's environment holds the same agentrails, so that script
    # is called directly.
    return [tool(Path(program).name), *args]


def call(repo: Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "CLAUDE_PROJECT_DIR": str(repo)}
    return subprocess.run(hook_command(repo), input=stdin, cwd=repo, env=env,
                          capture_output=True, timeout=60, check=False)


def bash_event(repo: Path, command: str) -> bytes:
    return json.dumps({
        "session_id": "s1", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": command, "description": "run it"}, "tool_use_id": "t1",
    }).encode()


def one_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


def unexpected(outcomes: dict[str, subprocess.CompletedProcess[bytes]]) -> dict[str, str]:
    """Commands whose outcome is not the expected one, with what the hook said."""
    refused = [c for c in REFUSED if outcomes[c].returncode != 2]
    allowed = [c for c in ALLOWED if (outcomes[c].returncode, outcomes[c].stderr) != (0, b"")]
    return {c: outcomes[c].stderr.decode() for c in refused + allowed}


def protected_files(repo: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (repo / ".github").rglob("*") if p.is_file()}


def test_the_matrix_of_bash_commands(repo: Path) -> None:
    assert len(REFUSED) + len(ALLOWED) >= 30
    before = protected_files(repo)
    outcomes = {command: call(repo, bash_event(repo, command)) for command in REFUSED + ALLOWED}
    assert unexpected(outcomes) == {}
    for command in REFUSED:
        line = one_line(outcomes[command].stderr)
        assert REFUSAL.match(line), line
    assert protected_files(repo) == before  # the hook only reads


@pytest.mark.parametrize("stdin", MALFORMED)
def test_malformed_payloads_exit_2_with_one_line(repo: Path, stdin: bytes) -> None:
    result = call(repo, stdin)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("agentrails hook guard-paths: cannot read the hook")
