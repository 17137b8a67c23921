"""The translation from Claude Code's settings to the sandbox runtime's policy
(``tests.helpers.sandbox_policy``), which the sandbox matrix runs under: each rule of it on
its own, and the rendered settings as a whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers.sandbox_policy import CLAUDE_TMP, PolicyError, excluded, srt_settings
from tests.helpers.template import COMBOS, render

ROOT, HOME = Path("/work/proj"), Path("/home/me")


def policy(sandbox: dict, permissions: dict | None = None) -> dict:
    settings = {"sandbox": {"enabled": True, **sandbox}, "permissions": permissions or {}}
    found = srt_settings(settings, ROOT, HOME)
    assert found is not None
    return found


@pytest.mark.parametrize("sandbox", [{}, {"enabled": False}, {"enabled": "true"}])
def test_no_sandbox_unless_enabled_is_true(sandbox: dict) -> None:
    assert srt_settings({"sandbox": sandbox}, ROOT, HOME) is None
    assert srt_settings({}, ROOT, HOME) is None


def test_writes_start_from_the_project_and_claudes_temporary_folder() -> None:
    files = policy({})["filesystem"]
    assert files == {"allowWrite": [str(ROOT), CLAUDE_TMP], "denyWrite": [], "denyRead": [],
                     "allowRead": []}


@pytest.mark.parametrize(("entry", "path"), [
    ("./.github/workflows", "/work/proj/.github/workflows"),
    (".venv", "/work/proj/.venv"),
    ("./", "/work/proj"),
    ("~/.cache/uv", "/home/me/.cache/uv"),
    ("~", "/home/me"),
    ("//etc/x", "/etc/x"),
    ("./.github/workflows/**", "/work/proj/.github/workflows/**"),
])
def test_path_prefixes(entry: str, path: str) -> None:
    assert policy({"filesystem": {"denyWrite": [entry]}})["filesystem"]["denyWrite"] == [path]


def test_a_single_leading_slash_is_refused_not_guessed() -> None:
    with pytest.raises(PolicyError, match="single leading"):
        policy({"filesystem": {"allowWrite": ["/tmp/build"]}})


def test_permission_rules_join_the_sandbox_lists() -> None:
    found = policy(
        {"filesystem": {"denyWrite": ["./a"], "allowWrite": ["~/.cache/uv"],
                        "denyRead": ["~/.ssh"]},
         "network": {"allowedDomains": ["pypi.org"], "deniedDomains": ["evil.example"],
                     "allowLocalBinding": True}},
        {"allow": ["Edit(./src/**)", "WebFetch(domain:docs.python.org)", "Bash(ls:*)"],
         "deny": ["Edit(./a)", "Edit(./.github/**)", "Read(./.env)", "Bash(curl:*)"]},
    )
    files = found["filesystem"]
    assert files["allowWrite"] == [str(ROOT), CLAUDE_TMP, "/home/me/.cache/uv", "/work/proj/src/**"]
    assert files["denyWrite"] == ["/work/proj/a", "/work/proj/.github/**"]
    assert files["denyRead"] == ["/home/me/.ssh", "/work/proj/.env"]
    assert found["network"] == {"allowedDomains": ["pypi.org", "docs.python.org"],
                                "deniedDomains": ["evil.example"], "allowLocalBinding": True}


@pytest.mark.parametrize(("command", "runs_outside"), [
    ("docker ps", True), ("docker", True), ("dockerd", False), ("git push", True),
    ("git pull", False), ("echo docker", False), ("  docker compose up", True),
])
def test_excluded_commands_match_whole_leading_words(command: str, runs_outside: bool) -> None:
    settings = {"sandbox": {"excludedCommands": ["docker", "git push:*"]}}
    assert excluded(command, settings) is runs_outside


@pytest.mark.slow
def test_the_rendered_settings_translate_to_the_protected_paths(source: Path,
                                                                tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    render(source, repo, COMBOS["claude-package"])
    settings = json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))
    found = srt_settings(settings, repo, HOME)
    assert found is not None
    denied = found["filesystem"]["denyWrite"]
    for path in (".github/workflows", ".github/rulesets", ".github/CODEOWNERS",
                 ".claude/settings.json", ".claude/settings.local.json", "agentrails.toml",
                 ".agentrails.toml", ".venv", ".git/hooks", ".git/config"):
        assert str(repo / path) in denied, path
    assert found["filesystem"]["allowWrite"][:2] == [str(repo), CLAUDE_TMP]
    assert "/home/me/.cache/uv" in found["filesystem"]["allowWrite"]
    assert found["network"]["allowedDomains"] == ["pypi.org", "files.pythonhosted.org",
                                                  "github.com", "api.github.com"]
    assert not any(excluded(command, settings) for command in ("uv sync", "git commit"))
