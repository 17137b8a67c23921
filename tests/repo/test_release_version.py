"""scripts/check_release_version.py, the release workflow's first gate: the tag,
``agentrails.__version__``, the CHANGELOG heading and the template's pinned version agree, or
the release stops. Runs on copies of this repository's real files, and runs the workflow's own
step the way the runner does."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import agentrails
from tests.helpers.template import REPO, load_yaml

SCRIPT = REPO / "scripts" / "check_release_version.py"
_spec = importlib.util.spec_from_file_location("check_release_version", SCRIPT)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

VERSION = agentrails.__version__
TAG = f"v{VERSION}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The files the check reads, copied from this checkout."""
    root = tmp_path / "repo"
    for name in ("src/agentrails/__init__.py", "CHANGELOG.md", "copier.yml",
                 "scripts/check_release_version.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "template", root / "template")
    shutil.copytree(REPO / "questions", root / "questions")  # copier.yml includes them
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_this_checkout_agrees_with_its_own_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["--tag", TAG]) == 0
    assert "agree" in capsys.readouterr().out


def test_a_mismatched_tag_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["--tag", "v99.0.0", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert f"__version__ is {VERSION}, the tag v99.0.0 says 99.0.0" in err
    assert "no '## [99.0.0] - YYYY-MM-DD' heading" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("tag", ["0.1.0", "v0.1", "release-0.1.0", "v0.1.0-dirty", ""])
def test_a_tag_that_is_not_a_version_fails(repo: Path, tag: str) -> None:
    assert check.main(["--tag", tag, "--root", str(repo)]) in (1, 2)


def test_no_tag_is_a_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GITHUB_REF_NAME", raising=False)
    assert check.main(["--root", str(repo)]) == 2
    assert "give --tag" in capsys.readouterr().err


def test_tag_from_the_runner_environment(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REF_NAME", TAG)
    assert check.main(["--root", str(repo)]) == 0
    monkeypatch.setenv("GITHUB_REF_NAME", "v99.0.0")
    assert check.main(["--root", str(repo)]) == 1


def test_version_bumped_without_a_changelog_entry_fails(repo: Path) -> None:
    edit(repo / "src/agentrails/__init__.py", VERSION, "99.0.0")
    edit(repo / "questions/pins.yml", f'default: "{VERSION}"', 'default: "99.0.0"')
    assert check.main(["--tag", "v99.0.0", "--root", str(repo)]) == 1
    edit(repo / "CHANGELOG.md", f"## [{VERSION}]", f"## [99.0.0] - 2030-01-02\n\n- Something."
         f"\n\n## [{VERSION}]")
    assert check.main(["--tag", "v99.0.0", "--root", str(repo)]) == 0


def test_an_older_changelog_heading_or_empty_section_fails(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "CHANGELOG.md", f"## [{VERSION}]", f"## [99.0.0] - 2030-01-02\n\n## [{VERSION}]")
    assert check.main(["--tag", TAG, "--root", str(repo)]) == 1
    assert f"newest release heading is 99.0.0, not {VERSION}" in capsys.readouterr().err
    edit(repo / "src/agentrails/__init__.py", VERSION, "99.0.0")
    assert check.main(["--tag", "v99.0.0", "--root", str(repo)]) == 1
    assert "the section of 99.0.0 is empty" in capsys.readouterr().err


def test_the_copier_pin_variable_must_agree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When copier.yml defines the variable the template renders its pin from, its default
    is the template's pinned version."""
    copier = repo / "copier.yml"
    base = copier.read_text(encoding="utf-8")
    variable = f"\n{check.PIN_VARIABLE}:\n  type: str\n  when: false\n  default: \"{{}}\"\n"
    copier.write_text(base + variable.format(VERSION), encoding="utf-8")
    assert check.main(["--tag", TAG, "--root", str(repo)]) == 0
    copier.write_text(base + variable.format("0.0.1"), encoding="utf-8")
    assert check.main(["--tag", TAG, "--root", str(repo)]) == 1
    assert f"copier.yml: {check.PIN_VARIABLE}: the template pins agentrails==0.0.1" in (
        capsys.readouterr().err)


def test_a_stale_literal_pin_in_the_template_fails(repo: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "template" / "requirements-dev.txt.jinja").write_text("agentrails==0.0.1\n")
    assert check.main(["--tag", TAG, "--root", str(repo)]) == 1
    assert "template/requirements-dev.txt.jinja: the template pins agentrails==0.0.1" in (
        capsys.readouterr().err)


def test_missing_file_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "CHANGELOG.md").unlink()
    assert check.main(["--tag", TAG, "--root", str(repo)]) == 2
    assert "cannot read CHANGELOG.md" in capsys.readouterr().err


def test_notes_are_the_changelog_section(repo: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    assert check.main(["--tag", TAG, "--root", str(repo), "--notes", str(notes)]) == 0
    text = notes.read_text(encoding="utf-8")
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.strip() and text.strip() in changelog
    assert not re.search(r"^## ", text, re.M)


def _workflow_step(job: str, needle: str) -> str:
    release = load_yaml(REPO / ".github" / "workflows" / "release.yml")
    return next(step["run"] for step in release["jobs"][job]["steps"]
                if needle in str(step.get("run", "")))


@pytest.mark.skipif(shutil.which("bash") is None, reason="the release runs on ubuntu (bash)")
@pytest.mark.parametrize(("tag", "status"), [(TAG, 0), ("v99.0.0", 1), ("v0.0.0", 1)])
def test_the_release_workflow_step_fails_on_a_mismatched_tag(
    repo: Path, tag: str, status: int
) -> None:
    """The build job's own `run:` text, with the tag in GITHUB_REF_NAME as the runner sets it."""
    command = _workflow_step("build", "check_release_version.py").replace("python ", "\"$PY\" ")
    result = subprocess.run([shutil.which("bash"), "-eo", "pipefail", "-c", command], cwd=repo,
                            env={"GITHUB_REF_NAME": tag, "PY": sys.executable, "PATH": ""},
                            capture_output=True, text=True, check=False)
    assert result.returncode == status, result.stdout + result.stderr


heading_versions = st.lists(
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)).map(
        lambda parts: ".".join(map(str, parts))),
    min_size=1, max_size=6, unique=True)


@given(heading_versions, st.text(alphabet=st.characters(blacklist_categories=("Cs",)),
                                 max_size=40))
def test_changelog_sections_property(versions: list[str], body: str) -> None:
    """Whatever the bodies, each release's section is its own body, and the newest release is
    the first heading below Unreleased."""
    body = body.replace("#", "").strip()
    text = "# Changelog\n\n## [Unreleased]\n\n- next\n\n" + "".join(
        f"## [{version}] - 2030-01-0{index % 9 + 1}\n\n{version}: {body}\n\n"
        for index, version in enumerate(versions))
    assert check.newest_release(text) == versions[0]
    for version in versions:
        assert check.changelog_section(text, version) == f"{version}: {body}".strip()
    assert check.changelog_section(text, "100.0.0") is None
