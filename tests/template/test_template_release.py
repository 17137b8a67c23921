"""release.yml of a generated package: its shape (trusted publishing, attestations, the
least privilege of each job), zizmor and GitHub's schema for both package managers, and its
tag check run for real in a git repository: the tag must be on the production branch, name
the version of pyproject.toml and have a CHANGELOG section, whose text becomes the notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.helpers.template import (
    commit_all,
    copier_config,
    git,
    load_yaml,
    render,
    run,
    tool,
    workflow_problems,
    workflows,
)
from tests.helpers.toolchain import step_named

import agentrails

pytestmark = pytest.mark.slow

OLDER = "\n## [0.0.9] - 2025-12-01\n\n- A release before.\n"


@pytest.fixture(scope="module")
def renders(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("release")
    found = {}
    for manager in ("uv", "pip"):
        repo = root / manager
        render(source, repo, {"package_manager": manager, "production_branch": "live"})
        commit_all(repo)
        found[manager] = repo
    return found


@pytest.mark.parametrize("manager", ["uv", "pip"])
def test_release_workflow_is_clean_under_zizmor_and_the_schema(
    renders: dict[str, Path], manager: str
) -> None:
    repo = renders[manager]
    files = [str(path) for path in workflows(repo)]
    assert any(name.endswith("/release.yml") for name in files)
    result = run([tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                  *files], repo, check=False)
    assert result.returncode == 0 and "No findings to report" in result.stdout + result.stderr, (
        result.stdout + result.stderr)
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files], repo)
    assert workflow_problems(repo / ".github/workflows/release.yml") == []


@pytest.mark.parametrize("manager", ["uv", "pip"])
def test_only_the_publish_job_mints_an_id_token(renders: dict[str, Path], manager: str) -> None:
    data = load_yaml(renders[manager] / ".github/workflows/release.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}}
    jobs = data["jobs"]
    assert {job: spec["permissions"] for job, spec in jobs.items()} == {
        "build": {"contents": "read"},
        "publish": {"id-token": "write", "attestations": "write"},
        "release": {"contents": "write"},
    }
    assert (jobs["publish"]["needs"], jobs["release"]["needs"]) == (["build"], ["publish"])
    assert jobs["publish"]["environment"]["name"] == "pypi"
    uses = [step["uses"].split("@")[0] for step in jobs["publish"]["steps"]]
    assert uses == ["actions/download-artifact", "actions/attest-build-provenance",
                    "pypa/gh-action-pypi-publish"]
    assert "--notes-file notes/notes.md" in jobs["release"]["steps"][-1]["run"]
    build = " ".join(str(step.get("run", "")) for step in jobs["build"]["steps"])
    assert ("uv build" in build) == (manager == "uv")


def tag_check(repo: Path, tag: str, sha: str, temp: Path) -> tuple[int, str, str]:
    """The build job's tag check, run as the runner runs it; (exit code, output, notes)."""
    script = step_named(repo / ".github/workflows/release.yml", "build", "The tag is on")
    env = {**{key: str(value) for key, value in script["env"].items()},
           "TAG": tag, "GITHUB_SHA": sha, "RUNNER_TEMP": str(temp)}
    result = run(["bash", "-e", "-c", script["run"]], repo, env=env, check=False)
    notes = temp / "notes" / "notes.md"
    return result.returncode, result.stdout + result.stderr, (
        notes.read_text() if notes.exists() else "")


def test_the_tag_check_accepts_a_promoted_release_and_cuts_its_notes(
    renders: dict[str, Path], tmp_path: Path
) -> None:
    repo = renders["uv"]
    changelog = repo / "CHANGELOG.md"
    original = changelog.read_text()
    assert "## [Unreleased]" in original
    section = original.split("## [Unreleased]\n", 1)[1]
    changelog.write_text(original.replace("## [Unreleased]",
                                          "## [Unreleased]\n\n## [0.1.0] - 2026-01-02") + OLDER)
    commit_all(repo, "release 0.1.0")
    released = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/remotes/origin/live", released)
    code, output, notes = tag_check(repo, "v0.1.0", released, tmp_path / "ok")
    assert code == 0, output
    assert notes.strip() == section.strip() and "generated from the agentrails" in notes

    code, output, _ = tag_check(repo, "v0.2.0", released, tmp_path / "mismatch")
    assert code == 1 and "pyproject.toml says version 0.1.0" in output

    git(repo, "commit", "-q", "--allow-empty", "-m", "not promoted yet")
    ahead = git(repo, "rev-parse", "HEAD")
    code, output, _ = tag_check(repo, "v0.1.0", ahead, tmp_path / "ahead")
    assert code == 1 and "v0.1.0 is not on live" in output

    git(repo, "update-ref", "refs/remotes/origin/live", ahead)
    changelog.write_text(original)
    commit_all(repo, "the section is gone")
    gone = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/remotes/origin/live", gone)
    code, output, _ = tag_check(repo, "v0.1.0", gone, tmp_path / "gone")
    assert code == 1 and "no section '## [0.1.0]'" in output


def test_no_release_workflow_for_a_proprietary_package(source: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    render(source, repo, {"license": "Proprietary"})
    assert not (repo / ".github/workflows/release.yml").exists()
    refused = render(source, tmp_path / "no", {"license": "Proprietary",
                                                "release_workflow": True}, check=False)
    assert refused.returncode != 0 and "PyPI refuses it" in refused.stderr


def test_the_package_pins_this_version_of_agentrails(renders: dict[str, Path]) -> None:
    """`agentrails==<this version>` wherever a render names the package; no git URL, no
    direct references (issue 12)."""
    config = copier_config()
    assert config["agentrails_version"]["default"] == agentrails.__version__
    for repo in renders.values():
        text = "\n".join(path.read_text() for path in repo.rglob("*")
                         if path.is_file() and ".git" not in path.parts)
        assert "git+" not in text and "allow-direct-references" not in text
        pins = set(re.findall(r"agentrails==([\w.]+)", text))
        assert pins == {agentrails.__version__}, pins
        assert f'"agentrails=={agentrails.__version__}"' in (repo / "pyproject.toml").read_text()
