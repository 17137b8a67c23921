"""``copier update`` from the real release 0.2.0 to HEAD in a repository whose baseline
0.2.0 wrote: the scope-aware dead-code analysis phases in without turning it red.

The repository, rendered at the commit ``Release 0.2.0:`` of this repository's history
(tagged ``v0.2.0`` in a private clone), holds three kinds of dead code: an unused import
both analyses report, the parameters of ``__exit__`` that only 0.2.0 reported (a signature
the protocol fixes), and an unused local that only the new analysis reports (vulture's 60%
is below the repository's floor of 80). 0.2.0's own engine, exported from that commit,
writes the baseline. After the update, today's engine must: keep the import baselined,
report the local as a warning (exit 0), retire the ``__exit__`` entries instead of calling
them fixed (text, report, ``baseline --prune``), and enforce the local once the team sets
``warn = []``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from tests.helpers.template import COMBOS, commit_all, git, render, run
from tests.helpers.update import copier_update, history_clone

pytestmark = pytest.mark.slow

LEDGER = '''"""The ledger."""

import json


class Session:
    """A session that closes itself."""

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, exc_kind, exc_value, exc_trace) -> None:
        return None


def balance(cents: list[int]) -> int:
    """The sum."""
    total = 0
    return sum(cents)
'''
LEDGER_PATH = "src/acme_billing/ledger.py"


def released(clone: Path, release: str, into: Path) -> Path:
    """Tag the commit ``Release <release>:`` and export its ``src`` folder."""
    commits = git(clone, "log", "--format=%H", f"--grep=^Release {release}:").split()
    assert commits, f"no commit 'Release {release}:' in this repository's history"
    git(clone, "tag", f"v{release}", commits[-1])
    archive = subprocess.run(["git", "archive", "--format=tar", commits[-1], "src"], cwd=clone,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def engine(repo: Path, *args: str, source: Path | None = None, check: bool = False):
    """``agentrails`` in ``repo``: this checkout's, or the one whose ``src`` is ``source``."""
    env = {"XDG_CACHE_HOME": str(repo.parent / "xdg")}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return run([sys.executable, "-m", "agentrails", *args], repo, env=env, check=check)


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("dead-code-update")
    clone = history_clone(scratch / "history")
    old_engine = _export(clone, scratch)
    repo = scratch / "acme"
    render(clone, repo, COMBOS["claude-package"], vcs_ref="v0.2.0")
    (repo / LEDGER_PATH).write_text(LEDGER, encoding="utf-8")
    commit_all(repo, "agentrails v0.2.0 and the ledger")
    written = engine(repo, "baseline", "--no-cache", source=old_engine, check=True)
    assert "Wrote agentrails-baseline.json" in written.stdout
    entries = json.loads((repo / "agentrails-baseline.json").read_text())["entries"]
    ledger = sorted(e["symbol"] for e in entries if e["path"] == LEDGER_PATH)
    assert ledger == ["exc_kind", "exc_trace", "exc_value", "json"], entries
    commit_all(repo, "baseline by agentrails 0.2.0")
    copier_update(repo, "--vcs-ref", "HEAD")
    commit_all(repo, "agentrails HEAD")
    return repo


def _export(clone: Path, scratch: Path) -> Path:
    source = released(clone, "0.2.0", scratch / "engine-0.2.0")
    assert (source / "agentrails" / "__init__.py").read_text().count('"0.2.0"') == 1
    return source


def test_new_findings_warn_and_nothing_turns_red(updated: Path) -> None:
    check = engine(updated, "check", "--no-cache")
    out = check.stdout
    assert check.returncode == 0, out + check.stderr
    assert (f"{LEDGER_PATH}:18:5: AR301 unused variable 'total' (100% confidence) "
            "(warning: not failing)") in out
    assert "'json'" not in out and "exc_" not in out
    assert "stale entry" not in out and "(fixed)" not in out
    assert "3 entries no longer match findings of a rule's new analysis (not fixed debt)" in out
    assert "1 baselined finding remains in agentrails-baseline.json." in out


def test_the_report_counts_no_debt_as_paid(updated: Path) -> None:
    report = engine(updated, "report", "--no-cache", check=True)
    debt = json.loads(report.stdout)["debt"]
    assert debt["stale"] == 0 and debt["baselined"] == 1 and debt["warnings"] >= 1


def test_prune_drops_the_retired_entries_as_retired(updated: Path, tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    run(["git", "clone", "-q", str(updated), str(repo)], tmp_path)
    pruned = engine(repo, "baseline", "--prune", "--no-cache")
    assert "(0 fixed, 3 retired by a rule's new analysis)" in pruned.stdout, pruned.stdout
    entries = json.loads((repo / "agentrails-baseline.json").read_text())["entries"]
    assert [e["symbol"] for e in entries if e["path"] == LEDGER_PATH] == ["json"]
    again = engine(repo, "check", "--no-cache")
    assert again.returncode == 0 and "no longer match" not in again.stdout, again.stdout


def test_the_team_enforces_the_new_findings_with_warn_empty(updated: Path,
                                                              tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    run(["git", "clone", "-q", str(updated), str(repo)], tmp_path)
    settings = repo / "pyproject.toml"
    text = settings.read_text()
    settings.write_text(text.replace("[tool.agentrails]\n", "[tool.agentrails]\nwarn = []\n", 1))
    check = engine(repo, "check", "--no-cache")
    assert check.returncode == 1, check.stdout
    assert f"{LEDGER_PATH}:18:5: AR301 unused variable 'total' (100% confidence)\n" in check.stdout
    assert os.path.exists(repo / "agentrails-baseline.json")
