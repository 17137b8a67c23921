"""copier.yml: answers are validated with helpful messages, and the generated repository pins
agentrails to the template's own ref (a tag when rendered at one, else the full SHA)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.helpers.template import REPO, SHA, copier_config, git, render, tagless_clone

import agentrails

COPIER_YML = REPO / "copier.yml"
REQUIRED_QUESTIONS = {
    "project_name", "project_slug", "description", "author_name", "github_owner",
    "python_version", "license", "agent_tools", "staging_branch", "production_branch",
    "max_file_lines", "max_function_lines", "max_complexity", "dead_code_confidence",
    "coverage_floor", "context_budget_lines", "python_package", "promote_workflow",
    "cleanup_workflow", "self_heal_workflow", "template_update_workflow", "package_manager",
    "type_checker", "test_all_pythons", "release_workflow",
}


def config() -> dict:
    return copier_config()


def test_questions_and_settings() -> None:
    data = config()
    assert set(data) >= REQUIRED_QUESTIONS
    assert data["_min_copier_version"] and data["_subdirectory"] == "template"
    assert data["_answers_file"] == ".copier-answers.yml"
    assert data["agent_tools"]["multiselect"] is True
    assert sorted(data["agent_tools"]["choices"].values()) == ["claude", "codex", "copilot",
                                                                "cursor"]
    assert data["agent_tools"]["default"] == ["claude"]
    assert (data["staging_branch"]["default"], data["production_branch"]["default"]) == (
        "main", "production")
    for name in REQUIRED_QUESTIONS:
        assert data[name].get("help"), f"{name} has no help text"


BAD_ANSWERS = [
    ({"project_slug": "Bad-Slug"}, "lowercase letters, digits and underscores"),
    ({"project_slug": "class"}, "Python keyword"),
    ({"project_name": 'Say "hi"'}, "double quotes"),
    ({"github_owner": "-nope"}, "GitHub login"),
    ({"production_branch": "main"}, "must differ from the staging branch"),
    ({"staging_branch": "a..b"}, "not a usable branch name"),
    ({"max_file_lines": 100}, "between 200"),
    ({"max_function_lines": 600}, "between 10 and 500"),
    ({"max_complexity": 1}, "between 2 and 50"),
    ({"dead_code_confidence": 50}, "from 60 to 100"),
    ({"coverage_floor": 101}, "0 to\n100"),
    ({"context_budget_lines": 5}, "between 40 and 2000"),
]


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS,
                         ids=[next(iter(a)) for a, _ in BAD_ANSWERS])
def test_bad_answers_are_refused_with_a_helpful_message(
    source: Path, tmp_path: Path, answers: dict, message: str
) -> None:
    result = render(source, tmp_path / "out", answers, check=False)
    assert result.returncode != 0
    assert " ".join(message.split()) in " ".join(result.stderr.split())
    assert not (tmp_path / "out").exists()


def test_slug_default_is_derived_from_the_name(source: Path, tmp_path: Path) -> None:
    render(source, tmp_path / "out", {"project_name": "3D Print-Farm!"})
    answers = yaml.safe_load((tmp_path / "out" / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == "p_3d_print_farm"
    assert (tmp_path / "out" / "src" / "p_3d_print_farm" / "__init__.py").is_file()


def pins(repo: Path) -> dict[str, str]:
    """The agentrails ref in each channel of a rendered repository (the package pins the
    released version, ``agentrails==X.Y.Z``, whatever the ref)."""
    hooks = (repo / ".pre-commit-config.yaml").read_text()
    ci = (repo / ".github" / "workflows" / "ci.yml").read_text()
    pyproject = (repo / "pyproject.toml").read_text()
    return {
        "pre-commit": re.search(r"agentrails/agentrails\n    rev: (\S+)", hooks)[1],
        "action": re.search(r"agentrails/agentrails/ci/check@(\S+ # .+)", ci)[1],
        "pip": re.search(r'"agentrails==([^"]+)"', pyproject)[1],
        "answers": yaml.safe_load((repo / ".copier-answers.yml").read_text())["_commit"],
    }


def test_render_at_a_tag_pins_the_tag_everywhere(source: Path, tmp_path: Path) -> None:
    clone = tagless_clone(source, tmp_path / "template")
    git(clone, "tag", "-a", "v1.2.3", "-m", "release 1.2.3")
    sha = git(clone, "rev-parse", "v1.2.3^{commit}")
    render(clone, tmp_path / "out", {}, vcs_ref="v1.2.3")
    assert pins(tmp_path / "out") == {
        "pre-commit": "v1.2.3", "action": f"{sha} # v1.2.3", "pip": agentrails.__version__,
        "answers": "v1.2.3",
    }


def test_render_of_an_untagged_commit_pins_its_full_sha(source: Path, tmp_path: Path) -> None:
    clone = tagless_clone(source, tmp_path / "template")
    git(clone, "tag", "v1.2.3", "HEAD")
    git(clone, "commit", "-q", "--allow-empty", "-m", "after the release")
    sha = git(clone, "rev-parse", "HEAD")
    render(clone, tmp_path / "out", {})
    found = pins(tmp_path / "out")
    assert SHA.match(sha)
    assert found["pre-commit"] == sha and found["pip"] == agentrails.__version__
    assert found["action"] == f"{sha} # untagged {found['answers']}"
    assert found["answers"].startswith("v1.2.3-1-g")
    assert sha.startswith(found["answers"].rsplit("-g", 1)[-1])


def test_message_after_copy_names_the_files_it_keeps(source: Path, tmp_path: Path) -> None:
    result = render(source, tmp_path / "out", {"python_package": False})
    message = " ".join(result.stderr.split())
    for name in ("README.md", "pyproject.toml", ".gitignore", "AGENTS.md",
                 ".pre-commit-config.yaml", ".claude/settings.json"):
        assert name in message
    assert "beside any CI you already have" in message
    assert "Next steps:" in message
