"""The attack matrix (``tests.helpers.attacks``) against guard-paths alone, on a rendered
repository: each attack is first run with nothing protecting anything, to prove it really
changes a protected path; the hook is asked about each of its Bash calls as Claude Code
would ask. Every form docs/guardrails.md lists must be refused, and the count of refusals is
the one docs/guardrails.md and the README publish (no claim that it is all of them: the OS
sandbox, tested in tests/template/test_sandbox_matrix.py, stops the rest)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.helpers.attacks import ATTACKS, Attack
from tests.helpers.paths import REPO
from tests.helpers.sandbox import (
    FAKE_VENV,
    MISSING_TOOLS,
    attack_repo,
    changed,
    fresh_copy,
    guard_refuses,
    protected_paths,
    run_call,
    shell_env,
    unprotected_state,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("guard-matrix"),  # its module fixture is built once
    pytest.mark.skipif(
        (sys.platform != "linux" or bool(MISSING_TOOLS))
        and not os.environ.get("AGENTRAILS_REQUIRE_SANDBOX"),
        reason=f"the attacks are GNU/Linux shell commands; missing: {MISSING_TOOLS}"),
]
Outcome = tuple[Attack, bool, list[str]]


@pytest.fixture(scope="module")
def outcomes(source: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    base = attack_repo(source, tmp_path_factory.mktemp("matrix") / "acme")
    for name, text in FAKE_VENV.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text, encoding="utf-8")
    work, home = tmp_path_factory.mktemp("runs"), tmp_path_factory.mktemp("home")
    paths = protected_paths(base)
    found = []
    for number, attack in enumerate(ATTACKS):
        repo = fresh_copy(base, work / f"repo-{number}")
        env = shell_env(repo, home)
        before = unprotected_state(repo, paths)
        refused = False
        for call in attack.calls:
            refused = guard_refuses(call, repo, env) or refused
            run_call(call, repo, env)
        found.append((attack, refused, changed(before, unprotected_state(repo, paths))))
    return found


def test_the_matrix_is_large_and_covers_every_class() -> None:
    assert len(ATTACKS) >= 200
    assert len({attack.calls for attack in ATTACKS}) == len(ATTACKS), "an attack is listed twice"


def test_every_attack_changes_a_protected_path_when_nothing_stops_it(
        outcomes: list[Outcome]) -> None:
    duds = [attack.calls for attack, _, paths in outcomes if not paths]
    assert not duds, f"{len(duds)} attacks change nothing even unprotected: {duds}"


def test_guard_paths_refuses_every_documented_form(outcomes: list[Outcome]) -> None:
    missed = [(attack.kind, attack.calls) for attack, refused, _ in outcomes
              if attack.documented and not refused]
    assert not missed, f"guard-paths let {len(missed)} documented forms through: {missed}"


def test_the_published_count_is_the_measured_one(outcomes: list[Outcome]) -> None:
    refused = sum(1 for _, was_refused, _ in outcomes if was_refused)
    figure = f"{refused} of the {len(outcomes)}"
    for page in ("docs/guardrails.md", "README.md"):
        text = re.sub(r"\s+", " ", (REPO / page).read_text(encoding="utf-8"))
        assert figure in text, f"{page} should say guard-paths refuses {figure} attacks"
