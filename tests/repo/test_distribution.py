"""agentrails as a distribution: ``python -m build`` gives an sdist holding the whole product
of a tag (tests, template, pre-commit manifest, actions, docs) and a wheel holding the whole
package; ``twine check --strict`` passes; and the wheel, installed into a fresh virtual
environment with no checkout of this repository around, runs ``agentrails check`` on small
projects, ``agentrails rules`` and every command's ``--help``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import agentrails
from agentrails.cli import build_parser
from tests.helpers.repo import write_files
from tests.helpers.template import REPO, run

pytestmark = pytest.mark.slow

VERSION = agentrails.__version__
SDIST_MUST_HOLD = ["copier.yml", "questions/toolchain.yml", "questions/pins.yml",
                   ".pre-commit-hooks.yaml", "ci/check/action.yml", "ci/promote/action.yml",
                   "docs/adopt.md", "docs/update.md", "README.md", "CHANGELOG.md", "LICENSE",
                   "pyproject.toml", "tests/conftest.py", "scripts/check_release_version.py",
                   ".github/workflows/release.yml"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel that ``python -m build`` makes of this checkout."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], out)
    found = {"sdist": sorted(out.glob("*.tar.gz")), "wheel": sorted(out.glob("*.whl"))}
    assert [len(files) for files in found.values()] == [1, 1], found
    return {kind: files[0] for kind, files in found.items()}


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment minus anything that points back at this checkout or its venv."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    here = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep)
                                  if part and Path(part) != Path(here))
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def fresh(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment, outside any git work tree, with only the wheel installed."""
    home = tmp_path_factory.mktemp("fresh")
    assert subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=home,
                          capture_output=True, check=False).returncode != 0
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    run([str(bindir / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", str(dist["wheel"])], home,
        env=_clean_env({"XDG_CACHE_HOME": str(home / "cache")}))
    return bindir


def in_fresh(bindir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the fresh environment's ``agentrails`` console script in ``cwd``."""
    env = _clean_env({"PATH": os.pathsep.join([str(bindir), os.environ.get("PATH", "")]),
                      "XDG_CACHE_HOME": str(bindir.parent.parent / "cache")})
    return subprocess.run([str(bindir / "agentrails"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple]:
    """Every command and subcommand of the parser, as argument tuples (``("handoff", "new")``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from commands(sub, (*prefix, name))


def sdist_names(sdist: Path) -> set[str]:
    """The paths in the sdist, relative to its top folder."""
    with tarfile.open(sdist) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def tracked(*folders: str) -> list[str]:
    """The files git tracks under ``folders`` of this checkout."""
    listing = subprocess.run(["git", "ls-files", "-z", *folders], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout
    return [name for name in listing.split("\0") if name]


def test_sdist_holds_the_whole_product(dist: dict[str, Path]) -> None:
    names = sdist_names(dist["sdist"])
    expected = [*SDIST_MUST_HOLD, *tracked("template", "tests", "src")]
    assert len(expected) > 100
    assert [name for name in expected if name not in names] == []
    junk = [name for name in names if "__pycache__" in name or name.startswith(".venv/")]
    assert junk == []


def test_wheel_holds_the_package_and_its_entry_points(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as archive:
        names = set(archive.namelist())
        info = f"agentrails-{VERSION}.dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    package = REPO / "src"
    modules = {path.relative_to(package).as_posix() for path in package.rglob("*.py")
               if "__pycache__" not in path.parts}
    assert modules - names == set()
    assert {name.split("/")[0] for name in names} == {"agentrails", info}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for name, target in project["scripts"].items():
        assert f"{name} = {target}" in entry_points
    for family, target in project["entry-points"]["agentrails.families"].items():
        assert f"{family} = {target}" in entry_points


def test_twine_check_passes(dist: dict[str, Path]) -> None:
    result = run([sys.executable, "-m", "twine", "check", "--strict",
                  str(dist["sdist"]), str(dist["wheel"])], dist["wheel"].parent)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_wheel_works_without_a_checkout(fresh: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(fresh / "python"), "-c",
                            "import agentrails; print(agentrails.__file__)"], cwd=tmp_path,
                           env=_clean_env({}), capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(fresh.parent)
    version = in_fresh(fresh, tmp_path, "--version")
    assert version.stdout.strip() == f"agentrails {VERSION}", version.stderr


def test_check_on_small_projects(fresh: Path, tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(100))
    clean = tmp_path / "clean"
    write_files(clean, {"app.py": "def main() -> int:\n    return 0\n\n\nmain()\n",
                        "agentrails.toml": "select = ['AR1', 'AR2', 'AR9']\n"})
    result = in_fresh(fresh, clean, "check")
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    dirty = tmp_path / "dirty"
    write_files(dirty, {"app.py": f"def long() -> None:\n{body}\n\nlong()\n",
                        "notes.txt.rej": "leftover\n",
                        "agentrails.toml": "select = ['AR1', 'AR2', 'AR9']\n"})
    subprocess.run(["git", "init", "-q"], cwd=dirty, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dirty, check=True)
    result = in_fresh(fresh, dirty, "check", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert '"AR102"' in result.stdout and '"AR902"' in result.stdout


def test_rules_lists_every_rule(fresh: Path, tmp_path: Path) -> None:
    result = in_fresh(fresh, tmp_path, "rules")
    assert result.returncode == 0, result.stderr
    here = subprocess.run([sys.executable, "-m", "agentrails", "rules"], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert result.stdout == here.stdout
    assert "AR101" in result.stdout and "AR902" in result.stdout


@pytest.mark.parametrize("command", list(commands(build_parser())), ids=" ".join)
def test_every_command_has_help(fresh: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    result = in_fresh(fresh, tmp_path, *command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: agentrails {' '.join(command)}"), result.stdout
    assert result.stderr == ""


def test_package_new_works_from_the_wheel(fresh: Path, tmp_path: Path) -> None:
    """The scaffold the template includes ships in the wheel, so `package new` needs no
    checkout of this repository."""
    repo = tmp_path / "mono"
    write_files(repo, {"agentrails.toml": "[size]\nmax-lines = 400\n", "AGENTS.md": "# x\n"})
    result = in_fresh(fresh, repo, "package", "new", "api")
    assert result.returncode == 0, result.stderr
    assert (repo / "packages" / "api" / "AGENTS.md").read_text().startswith("# api: agent guide")
    assert in_fresh(fresh, repo / "packages" / "api", "check").returncode == 0
