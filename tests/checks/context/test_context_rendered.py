"""On a freshly rendered repository (copier, this checkout's HEAD), the context, sessions,
migrations and agents rules pass out of the box; each edit below makes exactly its rule fire,
and undoing it makes the check clean again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

ROOT = REPO
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (ROOT / "copier.yml").is_file(),
                       reason="copier.yml does not exist yet: nothing to render"),
]


def render(target: Path, *data: str) -> Path:
    copier = Path(sys.executable).with_name("copier")
    answers = [arg for pair in zip(["--data"] * len(data), data, strict=True) for arg in pair]
    result = subprocess.run(
        [str(copier), "copy", "--vcs-ref", "HEAD", "--defaults", "--data", "project_name=demo",
         *answers, str(ROOT), str(target)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One render per module; tests work on copies of it."""
    return render(tmp_path_factory.mktemp("render") / "demo")


@pytest.fixture
def repo(rendered: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(rendered, tmp_path / "demo", symlinks=True))


def codes(cli: Callable, root: Path) -> set[str]:
    outcome = cli("check", root, "--no-cache", "--format", "json")
    assert outcome.code in (0, 1), outcome.err
    return {finding["code"] for finding in json.loads(outcome.out)}


def edit_and_undo(cli: Callable, root: Path, path: str, change: Callable[[str], str],
                  code: str) -> None:
    """``change`` the file, expect exactly ``code``; restore it, expect a clean check."""
    target = root / path
    original = target.read_text(encoding="utf-8") if target.exists() else None
    assert codes(cli, root) == set()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(change(original or ""), encoding="utf-8")
    assert codes(cli, root) == {code}
    if original is None:
        target.unlink()
    else:
        target.write_text(original, encoding="utf-8")
    assert codes(cli, root) == set()


def test_rendered_repository_is_clean(repo: Path, cli: Callable) -> None:
    outcome = cli("check", repo, "--no-cache")
    assert outcome.code == 0, outcome.out + outcome.err
    for path in ("AGENTS.md", "SESSIONS.md", "handoffs/TEMPLATE.md", "migrations/TEMPLATE.md",
                 ".claude/settings.json", ".claude/agents/code-reviewer.md"):
        assert (repo / path).is_file(), path


def test_agents_md_over_budget(repo: Path, cli: Callable) -> None:
    def grow(text: str) -> str:
        lines = text.splitlines()
        lines += [f"- Filler line {n}." for n in range(400 - len(lines))]
        return "\n".join(lines) + "\n"

    edit_and_undo(cli, repo, "AGENTS.md", grow, "AR401")


def test_link_to_a_missing_file(repo: Path, cli: Callable) -> None:
    edit_and_undo(cli, repo, "ARCHITECTURE.md",
                  lambda text: text + "\nSee [the storage notes](docs/storage.md).\n", "AR403")


def test_bash_star_allowed(repo: Path, cli: Callable) -> None:
    def allow_everything(text: str) -> str:
        settings = json.loads(text)
        settings["permissions"]["allow"].append("Bash(*)")
        return json.dumps(settings, indent=2) + "\n"

    edit_and_undo(cli, repo, ".claude/settings.json", allow_everything, "AR701")


def test_two_lanes_claim_src(repo: Path, cli: Callable) -> None:
    def overlap(text: str) -> str:
        lines = text.splitlines()
        lanes = ['first = ["src/**"]', 'second = ["src/**"]']
        if "[tool.agentrails.lanes]" in lines:  # a table of its own, not a comment
            at = lines.index("[tool.agentrails.lanes]") + 1
            return "\n".join([*lines[:at], *lanes, *lines[at:]]) + "\n"
        return "\n".join([*lines, "", "[tool.agentrails.lanes]", *lanes]) + "\n"

    edit_and_undo(cli, repo, "pyproject.toml", overlap, "AR703")


def test_accepted_migration_with_an_open_high(repo: Path, cli: Callable, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    created = cli("migration", "new", "split-orders")
    assert created.code == 0, created.err
    plan = created.out.strip()
    table = "| Severity | Finding | Status |\n| --- | --- | --- |\n"
    passes = (f"\n## Review pass 1\n\n{table}| High | Backfill locks the table | open |\n"
              f"\n## Review pass 2\n\n{table}| Low | Naming | resolved |\n")
    text = (repo / plan).read_text(encoding="utf-8")
    text = text.split("\n## Review pass 1", 1)[0].rstrip("\n") + "\n" + passes
    (repo / plan).write_text(text, encoding="utf-8")
    edit_and_undo(cli, repo, plan,
                  lambda draft: draft.replace("status: draft", "status: accepted", 1), "AR602")


def test_handoff_without_sessions_entry(repo: Path, cli: Callable, monkeypatch) -> None:
    assert codes(cli, repo) == set()
    template = (repo / "handoffs/TEMPLATE.md").read_text(encoding="utf-8")
    (repo / "handoffs/2025-01-02-0930-parser-errors.md").write_text(template, encoding="utf-8")
    assert codes(cli, repo) == {"AR502"}
    monkeypatch.chdir(repo)
    assert cli("sessions").code == 1
    assert cli("sessions", "--write").code == 0
    assert codes(cli, repo) == set()
    assert "handoffs/2025-01-02-0930-parser-errors.md" in (repo / "SESSIONS.md").read_text()


def test_every_agent_tool_without_a_package(tmp_path: Path, cli: Callable, monkeypatch) -> None:
    root = render(tmp_path / "adopted", 'agent_tools=["claude", "copilot", "cursor", "codex"]',
                  "python_package=false")
    assert codes(cli, root) == set()
    monkeypatch.chdir(root)
    assert cli("sync-context").code == 0
    agents = root / "AGENTS.md"
    agents.write_text(agents.read_text(encoding="utf-8") + "\n- One more rule.\n")
    assert codes(cli, root) == {"AR405"}
    assert cli("sync-context", "--write").code == 0
    assert codes(cli, root) == set()
