"""AR701 on Claude Code's OS sandbox: a settings file with the sandbox off, a protected path
missing from ``denyWrite``, an excluded command or an unsandboxed fallback fails the check
when ``[agents] sandbox = "error"`` (what new repositories render), is a warning by default
in this release, and is not looked at with ``"off"``."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.agents.sandbox import deny_folder, literal_folder

PERMISSIONS = {"disableBypassPermissionsMode": "disable",
               "deny": ["Read(./.env)", "Read(./.env.*)", "Read(**/*.key)", "Read(**/*.pem)",
                        "Read(./secrets/**)"]}
DENIED = ["./.github/workflows", "./.github/rulesets", "./.github/CODEOWNERS",
          "./.claude/settings.json", "./.claude/settings.local.json", "./agentrails.toml",
          "./.agentrails.toml"]
NAMES = itertools.count()
GOOD = {"enabled": True, "allowUnsandboxedCommands": False,
        "filesystem": {"denyWrite": DENIED}}


def check(cli: Callable, plain_dir: Callable, sandbox: dict | None, mode: str | None = "error",
          local: dict | None = None, extra: str = "") -> tuple[int, list[tuple[int, str, str]]]:
    """Exit code and AR701 (line, message, severity) of a project with this sandbox block."""
    settings = {"permissions": PERMISSIONS, **({"sandbox": sandbox} if sandbox is not None else {})}
    files = {".claude/settings.json": json.dumps(settings, indent=2) + "\n",
             "agentrails.toml": "[agents]\n" + (f'sandbox = "{mode}"\n' if mode else "") + extra}
    if local is not None:
        files[".claude/settings.local.json"] = json.dumps({"sandbox": local}, indent=2)
    root = plain_dir(files, name=f"project{next(NAMES)}")
    outcome = cli("check", root, "--no-cache", "--format", "json", "--select", "AR7")
    assert outcome.code in (0, 1), outcome.err
    return outcome.code, [(f["line"], f["message"], f["severity"]) for f in json.loads(outcome.out)
                          if f["code"] == "AR701"]


def messages(found: list[tuple[int, str, str]]) -> list[str]:
    return [message for _, message, _ in found]


def test_a_good_sandbox_passes(cli, plain_dir) -> None:
    assert check(cli, plain_dir, GOOD) == (0, [])


def test_the_sandbox_off_fails(cli, plain_dir) -> None:
    code, found = check(cli, plain_dir, {**GOOD, "enabled": False})
    assert code == 1
    assert messages(found) == ["sandbox.enabled is not true: Bash commands run outside the OS "
                               "sandbox"]
    assert check(cli, plain_dir, None)[1][0][1] == ("no sandbox block: Bash commands run outside "
                                                    "the OS sandbox")


def test_a_protected_path_missing_from_deny_write_fails(cli, plain_dir) -> None:
    block = {**GOOD, "filesystem": {"denyWrite": [d for d in DENIED if "rulesets" not in d]}}
    code, found = check(cli, plain_dir, block)
    assert code == 1
    assert messages(found) == ["sandbox.filesystem.denyWrite does not cover .github/rulesets "
                               "(protected: .github/rulesets/**)"]
    code, found = check(cli, plain_dir, {**GOOD, "filesystem": {"denyWrite": DENIED[:-2]}})
    assert messages(found) == [
        "sandbox.filesystem.denyWrite does not cover .agentrails.toml (it configures the guard)",
        "sandbox.filesystem.denyWrite does not cover agentrails.toml (it configures the guard)",
    ]


def test_an_excluded_command_that_writes_fails(cli, plain_dir) -> None:
    code, found = check(cli, plain_dir, {**GOOD, "excludedCommands": ["sed -i", "docker"]})
    assert code == 1
    assert [message.split(" outside")[0] for message in messages(found)] == [
        "sandbox.excludedCommands runs 'sed -i'", "sandbox.excludedCommands runs 'docker'"]


def test_an_unsandboxed_fallback_fails(cli, plain_dir) -> None:
    expected = ("sandbox.allowUnsandboxedCommands is not false: a command the sandbox stops "
                "can be run again outside it")
    assert messages(check(cli, plain_dir, {**GOOD, "allowUnsandboxedCommands": True})[1]) == [
        expected]
    unset = {key: value for key, value in GOOD.items() if key != "allowUnsandboxedCommands"}
    assert messages(check(cli, plain_dir, unset)[1]) == [expected]


def test_a_local_file_may_not_turn_the_sandbox_off(cli, plain_dir) -> None:
    code, found = check(cli, plain_dir, GOOD, local={"enabled": False,
                                                    "excludedCommands": ["bash"]})
    assert code == 1 and len(found) == 2
    assert check(cli, plain_dir, GOOD, local={"network": {"allowedDomains": ["x.org"]}}) == (0, [])


def test_warn_by_default_and_nothing_when_off(cli, plain_dir) -> None:
    code, found = check(cli, plain_dir, {"enabled": False}, mode=None)
    assert code == 0 and found and {severity for _, _, severity in found} == {"warning"}
    assert check(cli, plain_dir, {"enabled": False}, mode="off") == (0, [])


def test_protected_globs_of_the_project_must_be_covered(cli, plain_dir) -> None:
    extra = 'protected = [".github/*/ci.yml", "deploy/**", "*.lock"]\n'
    block = {**GOOD, "filesystem": {"denyWrite": [*DENIED, "./.github", "./deploy/**"]}}
    assert messages(check(cli, plain_dir, block, extra=extra)[1]) == [
        "sandbox.filesystem.denyWrite does not cover the project root (protected: *.lock)"]


@pytest.mark.parametrize(("glob", "folder"), [
    (".github/workflows/**", ".github/workflows"), ("/.venv", ".venv"),
    (".github/*/ci.yml", ".github"), ("CODEOWNERS", ""), ("docs/", ""), ("/docs/", "docs"),
    ("# a comment", None), ("!keep.md", None), ("  ", None), ("./a/./b", "a/b"),
])
def test_literal_folder(glob: str, folder: str | None) -> None:
    assert literal_folder(glob) == folder


@pytest.mark.parametrize(("entry", "folder"), [
    ("./.venv", ".venv"), (".venv/**", ".venv"), ("~/.cache/uv", None), ("./a/*.py", None),
    ("//work/proj/.git/config", ".git/config"), ("/work/proj", ""), ("//etc/x", None),
    ("./a/../b", "b"), (".", ""),
])
def test_deny_folder(entry: str, folder: str | None) -> None:
    assert deny_folder(entry, "/work/proj") == folder


NAME = st.text(st.sampled_from("abcXYZ._-0"), min_size=1, max_size=6).filter(
    lambda name: name not in (".", ".."))


@given(st.lists(NAME, min_size=1, max_size=4), st.booleans())
def test_a_literal_folder_is_covered_by_its_own_deny_entry(parts: list[str], deep: bool) -> None:
    path = "/".join(parts)
    glob = f"{path}/**" if deep else (path if len(parts) > 1 else f"/{path}")
    assert literal_folder(glob) == path
    assert deny_folder(f"./{path}", "/work/proj") == path
