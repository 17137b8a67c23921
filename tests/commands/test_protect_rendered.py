"""A repository rendered by copier from this template: ``agentrails protect`` applies its
rulesets to the local GitHub, the promotion App may then fast-forward production, and the
generated README and promote workflow say how."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.github_testing import github_env, history
from tests.helpers.repo import Outcome
from tests.helpers.template import COMBOS, load_yaml, render, template_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    source = template_source(tmp_path_factory.mktemp("source"))
    root = tmp_path_factory.mktemp("rendered")
    found = {}
    for combo in ("claude-package", "others-package"):
        render(source, root / combo, COMBOS[combo])
        found[combo] = root / combo
    return found


def test_protect_then_promote(rendered: dict[str, Path], cli: Callable[..., Outcome],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    world = history()  # the token is the App's (id 123456, as in the answers)
    world.repo.add_run(world.head)
    with github_env(monkeypatch, rendered["claude-package"], world.repo) as env:
        assert cli("protect").code == 0
        assert cli("protect", "--check").code == 0
        assert [w.method for w in env.server.writes] == ["POST"] * 3
        outcome = cli("promote")
    assert outcome.code == 0, outcome
    assert world.repo.branches["production"] == world.head


def test_a_person_cannot_move_production(rendered: dict[str, Path], cli: Callable[..., Outcome],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    world = history("develop", "release")
    world.repo.actor_app_id = None
    world.repo.add_run(world.head)
    with github_env(monkeypatch, rendered["others-package"], world.repo):
        assert cli("protect").code == 0
        outcome = cli("promote")
    assert outcome.code == 1 and "Cannot update this protected ref" in outcome.err
    assert world.repo.branches["release"] == world.base


def test_the_workflow_passes_an_optional_sha(rendered: dict[str, Path]) -> None:
    workflow = load_yaml(rendered["claude-package"] / ".github" / "workflows" / "promote.yml")
    sha = workflow["on"]["workflow_dispatch"]["inputs"]["sha"]
    assert sha["required"] is False and sha["type"] == "string"
    step = workflow["jobs"]["promote"]["steps"][1]
    assert step["with"]["sha"] == "${{ inputs.sha }}"
    assert (step["with"]["from"], step["with"]["to"]) == ("main", "production")


def test_the_readme_says_how(rendered: dict[str, Path]) -> None:
    with_app = (rendered["claude-package"] / "README.md").read_text()
    assert "## Protection and promotion" in with_app
    assert "agentrails protect --check" in with_app and "PROMOTION_APP_PRIVATE_KEY" in with_app
    assert "Its numeric ID, 123456, is the bypass actor" in with_app
    assert "5/10" in with_app and "10/10" in with_app
    without = (rendered["others-package"] / "README.md").read_text()
    assert "agentrails protect" in without and "PROMOTION_APP" not in without
    assert "default branch, `develop`" in without
