"""A release rolls out with ``copier update`` and no ``--trust``: from a repository rendered at
v0.1.0 and worked on by its team, to v0.2.0 (a new rule that a new pre-commit hook enforces, a
new workflow step, a tightened gate, a lower default, two renamed files). The result is a
fresh render of v0.2.0 with the repository's answers plus the team's edits, and the team's
thresholds stay the team's."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.helpers.template import (
    COMBOS,
    agentrails,
    commit_all,
    git,
    render,
    run,
    tool,
    tracked_files,
    tree_files,
)
from tests.helpers.update import (
    NEW_HOOK_ARGS,
    NEW_RULE,
    NEW_STEP,
    RENAMED_KEPT,
    RENAMED_PLAIN,
    copier_update,
    differences,
    expected_after_update,
    hook_commands,
    ownership,
    recorded_answers,
    replace_once,
    two_releases,
)

pytestmark = pytest.mark.slow

# A repository whose pyproject.toml stays its own (what every repository made before 0.3.0
# answers; test_update_tool_settings.py updates one that lets the template merge into it).
DATA = {**COMBOS["claude-package"], "merge_pyproject": False}
CURRENT_STATE = "- Billing API: invoices work, refunds are half done (see the newest handoff)."
KNOWN_ISSUE = "\n## Refunds round twice\n\nA refund of 0.005 rounds up; fix before release.\n"
OUR_HANDOFF_SECTION = "\n## Tickets\n\n- The tickets this session touched.\n"
INVOICES = '"""Invoices."""\n\n\ndef total(cents: list[int]) -> int:\n    """The sum."""\n' \
           "    return sum(cents)\n"

# The team's edits of files the template also renders: (path, old text, new text).
EDITS = [
    ("AGENTS.md", "### Mid-flight\n\n- Nothing yet.", f"### Mid-flight\n\n{CURRENT_STATE}"),
    ("pyproject.toml", "[tool.agentrails.size]\nmax-lines = 500",
     "[tool.agentrails.size]\nmax-lines = 400"),
    ("RULES.md", "# Rules\n", "# Rules of Acme Billing\n"),
    ("src/acme_billing/text.py", '"""Text helpers', '"""Our text helpers'),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_releases(tmp_path_factory.mktemp("releases"))


def work_of_the_team(repo: Path) -> None:
    """What a team does between two releases, committed: current state, a handoff, a plan,
    a known issue, code, a changed threshold, a customised handoff template, a title."""
    for path, old, new in EDITS:
        replace_once(repo / path, old, new)
    agentrails(repo, "handoff", "new", "billing-api")
    agentrails(repo, "migration", "new", "split-ledger")
    with (repo / "KNOWN_ISSUES.md").open("a", encoding="utf-8") as known:
        known.write(KNOWN_ISSUE)
    with (repo / RENAMED_KEPT[0]).open("a", encoding="utf-8") as ours:
        ours.write(OUR_HANDOFF_SECTION)
    (repo / "src/acme_billing/invoices.py").write_text(INVOICES, encoding="utf-8")
    commit_all(repo, "the team's work")


def replayed(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


@dataclass
class Rollout:
    """A repository rendered at v0.1.0, worked on, then updated to v0.2.0 (not committed)."""

    repo: Path
    old: dict[str, bytes]
    user: dict[str, bytes]
    message: str


@pytest.fixture(scope="module")
def rollout(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Rollout:
    repo = tmp_path_factory.mktemp("rollout") / "acme"
    render(template, repo, DATA, vcs_ref="v0.1.0")
    commit_all(repo, "start from agentrails v0.1.0")
    old = tracked_files(repo)
    work_of_the_team(repo)
    user = tracked_files(repo)
    result = copier_update(repo, "--vcs-ref", "v0.2.0")
    return Rollout(repo, old, user, result.stdout + result.stderr)


def test_result_is_a_fresh_render_plus_the_teams_edits(
    rollout: Rollout, template: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    render(template, fresh, recorded_answers(rollout.repo), vcs_ref="v0.2.0")
    replay = {"RULES.md": replayed("# Rules\n", "# Rules of Acme Billing\n")}
    expected = expected_after_update(rollout.old, rollout.user, tree_files(fresh),
                                     ownership(True), replay)
    assert differences(tree_files(rollout.repo), expected) == []
    assert "Updated to agentrails v0.2.0" in rollout.message


def test_the_release_arrived(rollout: Rollout, template: Path) -> None:
    repo = rollout.repo
    rules = (repo / "RULES.md").read_text()
    assert rules.startswith("# Rules of Acme Billing\n") and NEW_RULE in rules
    ci = (repo / ".github/workflows/ci.yml").read_text()
    assert NEW_STEP in ci
    sha = git(template, "rev-parse", "v0.2.0^{commit}")
    assert f"agentrails/agentrails/ci/check@{sha} # v0.2.0\n" in ci
    assert "    rev: v0.2.0\n" in (repo / ".pre-commit-config.yaml").read_text()
    assert not (repo / RENAMED_PLAIN[0]).exists() and (repo / RENAMED_PLAIN[1]).is_file()
    assert (repo / RENAMED_KEPT[1]).is_file()
    # A repository made with the toolchain questions keeps its answers (uv here).
    assert recorded_answers(repo)["package_manager"] == "uv"
    # pyproject.toml is the team's, so its pin stays as it was; copier says to move it.
    assert rollout.user["pyproject.toml"] == (repo / "pyproject.toml").read_bytes()
    assert "pin agentrails there to `agentrails==" in " ".join(rollout.message.split())


def test_every_edit_of_the_team_survived(rollout: Rollout) -> None:
    repo = rollout.repo
    for path, _, new in EDITS:
        assert new in (repo / path).read_text(), path
    assert (repo / RENAMED_KEPT[0]).read_text().endswith(OUR_HANDOFF_SECTION)
    assert KNOWN_ISSUE in (repo / "KNOWN_ISSUES.md").read_text()
    assert (repo / "src/acme_billing/invoices.py").read_text() == INVOICES
    for ours in ("handoffs/*-billing-api.md", "migrations/*-split-ledger.md"):
        (found,) = repo.glob(ours)
        assert found.read_bytes() == rollout.user[found.relative_to(repo).as_posix()]
    assert git(repo, "diff", "--name-only", "--diff-filter=U") == ""
    assert not list(repo.rglob("*.rej")) and not list(repo.rglob("*.orig"))


def test_thresholds_are_the_teams(rollout: Rollout, template: Path, tmp_path: Path) -> None:
    """v0.2.0 lowers the default complexity ceiling and tightens the module rank in the
    settings it renders. A new repository gets both; the updated one keeps its own settings
    (and the line cap the team lowered), and its answers still record the old ceiling."""
    settings = (rollout.repo / "pyproject.toml").read_text()
    assert settings.encode() == rollout.user["pyproject.toml"]
    assert "max-lines = 400\n" in settings
    assert 'max-function = 10\nmax-module-rank = "B"\n' in settings
    assert recorded_answers(rollout.repo)["max_complexity"] == 10
    new = tmp_path / "new"
    render(template, new, DATA, vcs_ref="v0.2.0")
    fresh = (new / "pyproject.toml").read_text()
    assert 'max-function = 8\nmax-module-rank = "A"\n' in fresh


def test_updated_repository_passes_its_checks(rollout: Rollout) -> None:
    commit_all(rollout.repo, "agentrails v0.2.0")
    check = agentrails(rollout.repo, "check", "--no-cache", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_new_rule_arrives_through_the_hook_config_and_fires(
    rollout: Rollout, template: Path, tmp_path: Path
) -> None:
    """v0.2.0's .pre-commit-config.yaml (the template's) runs AR503 before every commit. The
    hooks v0.1.0 configured let a code change without a handoff through; the new hook's exact
    command line stops it, and lets it through once the change has its handoff."""
    repo = tmp_path / "acme"
    shutil.copytree(rollout.repo, repo, symlinks=True)
    commit_all(repo, "agentrails v0.2.0")
    run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], repo)
    before = hook_commands(rollout.old[".pre-commit-config.yaml"].decode(),
                           git(template, "show", "v0.1.0:.pre-commit-hooks.yaml"))
    after = hook_commands((repo / ".pre-commit-config.yaml").read_text(),
                          git(template, "show", "v0.2.0:.pre-commit-hooks.yaml"))
    assert after["agentrails"] == ["agentrails", "check", *NEW_HOOK_ARGS]
    assert set(before) == set(after) - {"agentrails"} and len(before) == 5

    replace_once(repo / "src/acme_billing/invoices.py", "return sum(cents)", "return sum(cents, 0)")
    for hook_id, argv in before.items():
        old_hook = agentrails(repo, *argv[1:], check=False)
        assert old_hook.returncode == 0, (hook_id, old_hook.stdout + old_hook.stderr)
    new_hook = agentrails(repo, *after["agentrails"][1:], check=False)
    assert new_hook.returncode == 1, new_hook.stdout + new_hook.stderr
    assert "src/acme_billing/invoices.py:1:1: AR503 " in new_hook.stdout

    agentrails(repo, "handoff", "new", "refund-rounding")
    fixed = agentrails(repo, *after["agentrails"][1:], check=False)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
