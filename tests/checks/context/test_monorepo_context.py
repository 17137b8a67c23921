"""Nested context in a monorepo (tests/fixtures/monorepo): AR401 counts what an agent in a
package reads (the root's file, then the package's), AR403 checks nested links, packages
keep their own budget, lanes and seams, and a check from the root and a check from inside a
package agree."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.paths import FIXTURES
from tests.helpers.repo import git

FIXTURE = FIXTURES / "monorepo"
Found = list[tuple[str, int, str, str, str]]


@pytest.fixture
def mono(tmp_path: Path) -> Path:
    """A copy of the monorepo fixture as a git work tree with one commit."""
    root = shutil.copytree(FIXTURE, tmp_path / "mono")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def check(cli: Callable, where: Path, *extra: str) -> tuple[int, Found]:
    outcome = cli("check", where, "--no-cache", "--format", "json", *extra)
    assert outcome.code in (0, 1), outcome.err
    found = [(f["path"], f["line"], f["code"], f["message"], f["severity"])
             for f in json.loads(outcome.out)]
    return outcome.code, found


def lines(path: Path) -> int:
    return len(path.read_bytes().splitlines())


def grow(path: Path, count: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"- detail {n}\n" for n in range(count)))


def test_the_fixture_passes_from_the_root_and_from_each_package(mono: Path, cli) -> None:
    assert check(cli, mono) == (0, [])
    for package in ("api", "web"):
        assert check(cli, mono / "packages" / package) == (0, [])


def test_a_grown_package_file_fires_ar401_on_that_file_only(mono: Path, cli) -> None:
    api = mono / "packages" / "api" / "AGENTS.md"
    grow(api, 30 - lines(mono / "AGENTS.md") - lines(api) + 1)  # one line over, root counted
    total = lines(mono / "AGENTS.md") + lines(api)
    assert total == 31 and lines(api) < 30  # over only because the root's file counts
    assert check(cli, mono, "--select", "AR401") == (1, [(
        "packages/api/AGENTS.md", 1, "AR401",
        "packages/api/AGENTS.md plus AGENTS.md above it is 31 lines (budget 30)", "error")])
    inside = check(cli, mono / "packages" / "api", "--select", "AR401")
    assert inside == (1, [("AGENTS.md", 1, "AR401",
                           "AGENTS.md plus ../../AGENTS.md above it is 31 lines (budget 30)",
                           "error")])


def test_a_package_budget_of_its_own_governs_its_file(mono: Path, cli) -> None:
    web = mono / "packages" / "web" / "AGENTS.md"
    grow(web, 20 - lines(mono / "AGENTS.md") - lines(web) + 1)
    code, found = check(cli, mono, "--select", "AR401")
    assert [(f[0], f[3]) for f in found] == [
        ("packages/web/AGENTS.md", "packages/web/AGENTS.md plus AGENTS.md above it is 21 lines "
                                   "(budget 20)")]
    assert code == 1 and check(cli, mono / "packages" / "web", "--select", "AR401")[0] == 1


def test_imports_and_folders_between_count_once(mono: Path, cli) -> None:
    (mono / "packages" / "AGENTS.md").write_text("# packages\n\n@../docs/architecture.md\n")
    api = mono / "packages" / "api" / "AGENTS.md"
    api.write_text(api.read_text() + "@../../docs/architecture.md\n")
    expected = sum(lines(p) for p in (mono / "AGENTS.md", mono / "packages" / "AGENTS.md",
                                      mono / "docs" / "architecture.md", api))
    (mono / "agentrails.toml").write_text(
        (mono / "agentrails.toml").read_text().replace("max-lines = 30", "max-lines = 5"))
    _, found = check(cli, mono, "--select", "AR401")
    messages = {path: message for path, _, _, message, _ in found}
    assert messages["packages/api/AGENTS.md"] == (
        "packages/api/AGENTS.md with 1 imported file(s) plus AGENTS.md, packages/AGENTS.md "
        f"above it is {expected} lines (budget 5)")
    _, inside = check(cli, mono / "packages" / "api", "--select", "AR401")
    assert inside[0][3].endswith(f"above it is {expected} lines (budget 5)")


def test_a_broken_link_in_a_nested_file_fires_ar403_there(mono: Path, cli) -> None:
    api = mono / "packages" / "api" / "AGENTS.md"
    api.write_text(api.read_text() + "See [the runbook](docs/runbook.md).\n")
    web_claude = mono / "packages" / "web" / "CLAUDE.md"
    web_claude.write_text("@AGENTS.md\n@notes.md\n")
    code, found = check(cli, mono, "--select", "AR403")
    assert code == 1
    assert [(p, line, message) for p, line, _, message, _ in found] == [
        ("packages/api/AGENTS.md", 5,
         "broken link: docs/runbook.md (packages/api/docs/runbook.md) does not exist"),
        ("packages/web/CLAUDE.md", 2,
         "broken @import: notes.md (packages/web/notes.md) does not exist"),
    ]
    _, inside = check(cli, mono / "packages" / "api", "--select", "AR403")
    assert [(p, line) for p, line, *_ in inside] == [("AGENTS.md", 5)]


def test_nested_findings_are_warnings_by_default_and_can_be_turned_off(mono: Path, cli) -> None:
    config = mono / "agentrails.toml"
    config.write_text(config.read_text().replace('nested = "error"\n', ""))
    api = mono / "packages" / "api" / "AGENTS.md"
    api.write_text(api.read_text() + "[gone](gone.md)\n")
    code, found = check(cli, mono, "--select", "AR403")
    assert code == 0 and [f[4] for f in found] == ["warning"]
    config.write_text(config.read_text() + 'nested = "off"\n')
    assert check(cli, mono, "--select", "AR403") == (0, [])
    (mono / "AGENTS.md").write_text((mono / "AGENTS.md").read_text() + "[gone](gone.md)\n")
    assert check(cli, mono, "--select", "AR403")[0] == 1  # the root's own file still fails


def test_a_nested_folder_without_configuration_takes_the_roots(mono: Path, cli) -> None:
    tools = mono / "tools" / "AGENTS.md"
    tools.parent.mkdir()
    tools.write_text("# tools\n" + "- x\n" * 18)
    _, found = check(cli, mono, "--select", "AR401")
    assert [(f[0], f[3].rsplit("(", 1)[1]) for f in found] == [
        ("tools/AGENTS.md", "budget 30)")]


def test_lanes_are_per_package(mono: Path, cli) -> None:
    stray = mono / "packages" / "api" / "src" / "stray.py"
    stray.write_text("X = 1\n")
    (mono / "packages" / "web" / "src" / "extra.py").write_text("Y = 1\n")  # web: no lanes
    code, found = check(cli, mono, "--select", "AR703")
    assert (code, [(f[0], f[3]) for f in found]) == (
        1, [("packages/api/src/stray.py", "in no lane")])
    inside = check(cli, mono / "packages" / "api", "--select", "AR703")
    assert [(f[0], f[3]) for f in inside[1]] == [("src/stray.py", "in no lane")]


def test_seams_are_per_package(mono: Path, cli) -> None:
    api = mono / "packages" / "api" / "src"
    (api / "schema.py").write_text("VERSION = 2\n")
    (mono / "packages" / "web" / "src" / "pages.py").write_text("PAGES = ['home']\n")
    assert check(cli, mono, "--select", "AR704", "--diff-base", "HEAD") == (0, [])
    (api / "core" / "orders.py").write_text("def total():\n    return 3\n")
    message = "seam changed together with lane code: packages/api/src/core/orders.py"
    assert check(cli, mono, "--select", "AR704", "--diff-base", "HEAD") == (
        1, [("packages/api/src/schema.py", 1, "AR704", message, "error")])
    _, inside = check(cli, mono / "packages" / "api", "--select", "AR704", "--diff-base", "HEAD")
    assert [(f[0], f[3]) for f in inside] == [
        ("src/schema.py", "seam changed together with lane code: src/core/orders.py")]


def test_a_broken_package_configuration_stops_the_roots_check(mono: Path, cli) -> None:
    (mono / "packages" / "web" / "agentrails.toml").write_text("extend = '../../agentrails.toml'\n"
                                                              "colour = 'blue'\n")
    outcome = cli("check", mono, "--no-cache")
    assert outcome.code == 2
    assert "packages/web/agentrails.toml: unknown key colour" in outcome.err
