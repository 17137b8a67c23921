"""The OS sandbox in rendered Claude Code settings: on by default with every protected path,
the guard's configuration, the hook program's environment and git's code-running files
read-only, the toolchain's caches writable, the network limited to the package index and
GitHub, no unsandboxed fallback; off when ``agent_sandbox`` says so, with AR701 told. The
runtime itself runs these settings in tests/template/test_sandbox_matrix.py."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from agentrails.checks.agents.rules import DEFAULT_PROTECTED
from agentrails.checks.agents.sandbox import deny_folder, literal_folder
from tests.helpers.template import agentrails, render

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox-renders")]  # one render set
BASE = {"project_name": "Acme Billing", "agent_tools": ["claude"]}
CASES = {
    "uv": {},
    "off": {"agent_sandbox": False},
    "pip with telemetry": {"package_manager": "pip", "telemetry": "otlp",
                           "telemetry_endpoint": "http://localhost:4318"},
    "adopted": {"python_package": False, "agent_tools": ["claude", "codex"]},
}


@pytest.fixture(scope="module")
def renders(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sandbox-renders")
    found = {}
    for name, answers in CASES.items():
        found[name] = root / name.replace(" ", "-")
        render(source, found[name], {**BASE, **answers})
    return found


def settings(repo: Path) -> dict[str, Any]:
    return json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))


def agents_options(repo: Path) -> dict[str, Any]:
    if (repo / "pyproject.toml").is_file():
        data = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
        return data["tool"]["agentrails"]["agents"]
    return tomllib.loads((repo / "agentrails.toml").read_text(encoding="utf-8"))["agents"]


@pytest.mark.parametrize("name", ["uv", "pip with telemetry", "adopted"])
def test_the_sandbox_is_on_with_every_protected_path_read_only(renders: dict[str, Path],
                                                                 name: str) -> None:
    repo = renders[name]
    sandbox = settings(repo)["sandbox"]
    switches = ("enabled", "allowUnsandboxedCommands", "autoAllowBashIfSandboxed",
                "excludedCommands")
    assert [sandbox[key] for key in switches] == [True, False, False, []]
    denied = {deny_folder(entry, str(repo)) for entry in sandbox["filesystem"]["denyWrite"]}
    wanted = {literal_folder(glob) for glob in DEFAULT_PROTECTED}
    wanted |= {"agentrails.toml", ".agentrails.toml", ".git/hooks", ".git/config"}
    assert wanted <= denied
    assert (".venv" in denied) is (name != "adopted")
    assert sandbox["network"]["allowedDomains"] == ["pypi.org", "files.pythonhosted.org",
                                                    "github.com", "api.github.com"]
    assert agents_options(repo)["sandbox"] == "error"
    check = agentrails(repo, "check", "--no-cache", "--select", "AR7", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_caches_and_environment_follow_the_package_manager(renders: dict[str, Path]) -> None:
    uv, pip = settings(renders["uv"]), settings(renders["pip with telemetry"])
    assert uv["sandbox"]["filesystem"]["allowWrite"] == [
        "~/.cache/uv", "~/.cache/pre-commit", "~/.cache/agentrails"]
    assert uv["env"] == {"UV_NO_SYNC": "1"}
    assert pip["sandbox"]["filesystem"]["allowWrite"] == [
        "~/.cache/pip", "~/Library/Caches/pip", "~/.cache/pre-commit", "~/.cache/agentrails"]
    assert "UV_NO_SYNC" not in pip["env"] and pip["env"]["CLAUDE_CODE_ENABLE_TELEMETRY"] == "1"
    deny = settings(renders["uv"])["permissions"]["deny"]
    for path in ("./.claude/settings.local.json", "./agentrails.toml", "./.agentrails.toml"):
        assert f"Edit({path})" in deny


def test_answering_no_leaves_the_sandbox_out_and_tells_ar701(renders: dict[str, Path]) -> None:
    repo = renders["off"]
    assert "sandbox" not in settings(repo) and "env" not in settings(repo)
    assert agents_options(repo)["sandbox"] == "off"
    check = agentrails(repo, "check", "--no-cache", "--select", "AR7", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    hooks = settings(repo)["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    assert hooks.endswith("agentrails hook guard-paths")


def test_codex_keeps_its_workspace_sandbox(renders: dict[str, Path]) -> None:
    config = tomllib.loads((renders["adopted"] / ".codex/config.toml").read_text("utf-8"))
    assert config["sandbox_mode"] == "workspace-write"
    assert config["sandbox_workspace_write"] == {"network_access": False}
