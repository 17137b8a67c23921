"""A release that changes a line the team changed too: ``copier update`` leaves inline
conflict markers (or a ``.rej`` file with ``--conflict rej``), and ``agentrails check`` fails
with AR901 (AR902) until the team resolves them, so a half-merged update cannot land."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tests.helpers.template import COMBOS, agentrails, commit_all, git, render
from tests.helpers.update import SECRETS_LINE, SECRETS_V2, copier_update, replace_once, two_releases

pytestmark = pytest.mark.slow

FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):\d+: (?P<code>AR\d+) ", re.M)
OURS = "- Secrets live in the environment or the CI secret store, never in git."


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository adopted at v0.1.0 whose team reworded the secrets rule and relaxed the
    module rank in agentrails.toml: both are lines that v0.2.0 changes as well."""
    root = tmp_path_factory.mktemp("conflicts")
    template = two_releases(root)
    repo = root / "service"
    render(template, repo, COMBOS["bare-adopt"], vcs_ref="v0.1.0")
    commit_all(repo)
    replace_once(repo / "RULES.md", SECRETS_LINE, OURS)
    replace_once(repo / "agentrails.toml", 'max-module-rank = "B"', 'max-module-rank = "C"')
    commit_all(repo, "our wording, our rank")
    return repo


def updated(edited: Path, tmp_path: Path, *extra: str) -> Path:
    repo = tmp_path / "service"
    shutil.copytree(edited, repo, symlinks=True)
    copier_update(repo, "--vcs-ref", "v0.2.0", *extra)
    return repo


def codes(output: str) -> list[tuple[str, str]]:
    """(path:line, code) of each finding line of ``agentrails check``'s text output."""
    return [(f"{m['path']}:{m['line']}", m["code"]) for m in FINDING.finditer(output)]


def test_inline_markers_fail_the_check_until_resolved(edited: Path, tmp_path: Path) -> None:
    repo = updated(edited, tmp_path)
    rules = (repo / "RULES.md").read_text()
    conflict = f"<<<<<<< before updating\n{OURS}\n=======\n{SECRETS_V2}\n"
    assert conflict in rules and "\n>>>>>>> after updating\n" in rules
    assert git(repo, "diff", "--name-only", "--diff-filter=U") == "RULES.md"
    toml = (edited / "agentrails.toml").read_text()
    assert (repo / "agentrails.toml").read_text() == toml  # the team's settings: no merge

    check = agentrails(repo, "check", "--no-cache", check=False)
    assert check.returncode == 1, check.stdout + check.stderr
    markers = [(f"RULES.md:{number}", "AR901") for number, line in enumerate(rules.splitlines(), 1)
               if line.split(" ")[0] in ("<<<<<<<", "=======", ">>>>>>>")]
    assert len(markers) == 3 and codes(check.stdout) == markers
    hook = agentrails(repo, "check", "--no-cache", "--select", "AR9", "RULES.md", check=False)
    assert hook.returncode == 1  # what the pre-commit hook runs on the staged file

    resolved = rules.replace(conflict, f"{OURS}\n").replace(">>>>>>> after updating\n", "")
    (repo / "RULES.md").write_text(resolved)
    commit_all(repo, "update to v0.2.0, conflict resolved")
    check = agentrails(repo, "check", "--no-cache", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_rejected_hunks_fail_the_check(edited: Path, tmp_path: Path) -> None:
    repo = updated(edited, tmp_path, "--conflict", "rej")
    assert SECRETS_V2 in (repo / "RULES.md").read_text()
    assert f"+{OURS}\n" in (repo / "RULES.md.rej").read_text()  # the team's line is only here
    check = agentrails(repo, "check", "--no-cache", check=False)
    assert ("RULES.md.rej:1", "AR902") in codes(check.stdout), check.stdout + check.stderr
    assert check.returncode == 1
