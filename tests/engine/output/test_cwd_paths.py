"""Where a report names files: text output relative to the current directory, as ruff prints
them, so a path printed by ``agentrails check sub/project`` opens as it is; JSON, SARIF and
GitHub annotations stay relative to the project root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.repo import finding_lines

LONG = "def f():\n" + "".join(f"    x{n} = {n}\n" for n in range(6))
FILES = {
    "pyproject.toml": "[tool.agentrails]\nselect = ['AR102']\n"
                      "[tool.agentrails.size]\nmax-function-lines = 3\n",
    "src/app.py": LONG,
    "top.py": LONG,
}


@pytest.fixture
def outer(plain_dir, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding ``sub/project``; the current directory is the folder."""
    base = plain_dir({f"sub/project/{name}": text for name, text in FILES.items()}, name="outer")
    monkeypatch.chdir(base)
    return base


def paths_of(text: str) -> list[str]:
    return [line.split(":", 1)[0] for line in finding_lines(text)]


def test_text_paths_open_from_the_current_directory(outer: Path, cli) -> None:
    result = cli("check", "--no-cache", "sub/project")
    assert result.code == 1, result.err
    assert paths_of(result.out) == ["sub/project/src/app.py", "sub/project/top.py"]
    assert all((outer / path).is_file() for path in paths_of(result.out))


def test_machine_formats_stay_relative_to_the_project_root(outer: Path, cli) -> None:
    as_json = cli("check", "--no-cache", "--format", "json", "sub/project")
    assert [f["path"] for f in json.loads(as_json.out)] == ["src/app.py", "top.py"]
    sarif = json.loads(cli("check", "--no-cache", "--format", "sarif", "sub/project").out)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in sarif["runs"][0]["results"]]
    assert [loc["uri"] for loc in locations] == ["src/app.py", "top.py"]
    github = cli("check", "--no-cache", "--format", "github", "sub/project").out
    assert "file=src/app.py," in github and "sub/project" not in github


def test_below_the_root_files_outside_the_cwd_are_absolute(outer: Path, cli,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from ``sub/project/src``: its own file relative, the others absolute (ruff's way)."""
    monkeypatch.chdir(outer / "sub" / "project" / "src")
    result = cli("check", "--no-cache", "..")
    shown = paths_of(result.out)
    assert "app.py" in shown and len(shown) == 2
    absolute = Path(next(path for path in shown if path != "app.py"))
    assert absolute.is_absolute() and absolute == outer / "sub/project/top.py"


def test_unchanged_at_the_project_root(outer: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(outer / "sub" / "project")
    assert paths_of(cli("check", "--no-cache").out) == ["src/app.py", "top.py"]


def test_output_file_uses_the_same_paths(outer: Path, cli) -> None:
    report = outer / "report.txt"
    assert cli("check", "--no-cache", "--output", report, "sub/project").code == 1
    assert paths_of(report.read_text()) == ["sub/project/src/app.py", "sub/project/top.py"]
