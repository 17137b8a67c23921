"""Every rule of the context, sessions, migrations and agents families that needs no git
history has a fixture that passes the whole check and one that fails it on exactly that
rule's code (tests/fixtures/rules/CODE/{pass,fail}). The git-based rules (AR404, AR503,
AR704) build their repositories in their own tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.paths import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"
STATIC = ["AR401", "AR402", "AR403", "AR405", "AR501", "AR502", "AR601", "AR602", "AR701",
          "AR702", "AR703"]


def codes(cli: Callable, root: Path) -> list[str]:
    """The codes of every finding of a full check of ``root``."""
    outcome = cli("check", root, "--no-cache", "--format", "json")
    assert outcome.code in (0, 1), outcome.err
    return [finding["code"] for finding in json.loads(outcome.out)]


def test_fixtures_exist_for_every_static_rule() -> None:
    assert sorted(p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()) == STATIC
    for code in STATIC:
        assert (RULE_FIXTURES / code / "pass").is_dir() and (RULE_FIXTURES / code / "fail").is_dir()


@pytest.mark.parametrize("code", STATIC)
def test_pass_fixture_is_clean(code: str, tmp_path: Path, cli: Callable) -> None:
    root = shutil.copytree(RULE_FIXTURES / code / "pass", tmp_path / "repo")
    assert codes(cli, root) == []


@pytest.mark.parametrize("code", STATIC)
def test_fail_fixture_fails_on_exactly_its_code(code: str, tmp_path: Path, cli: Callable) -> None:
    root = shutil.copytree(RULE_FIXTURES / code / "fail", tmp_path / "repo")
    found = codes(cli, root)
    assert found and set(found) == {code}


@pytest.mark.parametrize("code", STATIC)
def test_rule_has_documentation(code: str, cli: Callable) -> None:
    outcome = cli("rule", code)
    assert outcome.code == 0
    for part in ("What it finds:", "Why:", "Example:", "How to fix:"):
        assert part in outcome.out
