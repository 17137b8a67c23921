"""``agentrails report`` on the Django 5.2.8 wheel: the same counts as ``agentrails check``
with the same configuration, and ``--compare`` of two snapshots shows exactly what changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.corpora import DJANGO, corpus

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

CONFIG = """\
[size]
max-lines = 1500
max-function-lines = 120

[complexity]
max-function = 15

[context]
max-lines = 20
"""


def agentrails(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentrails", *args], cwd=root, capture_output=True, text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def django(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Django wheel with a configuration and a context file that imports
    another, over its line budget."""
    root = tmp_path_factory.mktemp("django") / "django"
    shutil.copytree(corpus(*DJANGO), root, ignore=shutil.ignore_patterns(".unpacked"))
    (root / "agentrails.toml").write_text(CONFIG)
    (root / "AGENTS.md").write_text("# Django\n\n@CONTRIBUTING.md\n" + "rule\n" * 12)
    (root / "CONTRIBUTING.md").write_text("Be kind.\n" * 10)
    return root


def check_counts(root: Path) -> Counter:
    result = agentrails(root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    return Counter(finding["code"] for finding in json.loads(result.stdout))


def snapshot(root: Path, *args: str) -> dict:
    result = agentrails(root, "report", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_report_counts_are_checks(django: Path) -> None:
    counts = check_counts(django)
    report = snapshot(django)
    assert report["findings"] == {"total": sum(counts.values()),
                                  "by_code": dict(sorted(counts.items()))}
    assert sum(counts.values()) > 100 and counts["AR101"] and counts["AR201"]
    measured = {
        "AR101": len(report["size"]["over"]),
        "AR201": report["complexity"]["over_ceiling"],
        "AR3": report["dead_code"]["total"],
    }
    assert measured == {"AR101": counts["AR101"], "AR201": counts["AR201"],
                        "AR3": counts["AR301"] + counts["AR302"]}


def test_report_distribution_and_context(django: Path) -> None:
    report = snapshot(django)
    complexity, context = report["complexity"], report["context"]
    assert complexity["functions"] == sum(complexity["by_rank"].values()) > 8000
    worst = [function["complexity"] for function in complexity["most_complex"]]
    assert len(worst) == 10 and worst == sorted(worst, reverse=True) and worst[-1] > 15
    assert (context["lines"], context["max_lines"]) == (25, 20)
    assert context["files"] == ["AGENTS.md", "CONTRIBUTING.md"]
    assert report["findings"]["by_code"]["AR401"] == 1


@pytest.fixture
def changed(django: Path, tmp_path: Path):
    """Django before a change (a snapshot and the check counts), then with one more
    function of complexity 21 and one new file over its cap; undone afterwards."""
    before = tmp_path / "before.json"
    result = agentrails(django, "report", "--output", str(before))
    assert result.returncode == 0, result.stderr
    old_counts = check_counts(django)
    victim = django / "django" / "utils" / "text.py"
    original = victim.read_text()
    victim.write_text(original + _complex_function(20))
    long_file = django / "django" / "big_generated_table.py"
    long_file.write_text("".join(f"X{n} = {n}\n" for n in range(2000)))
    yield before, old_counts
    victim.write_text(original)
    long_file.unlink()


def test_compare_shows_the_delta(django: Path, changed) -> None:
    before, old_counts = changed
    after = snapshot(django, "--compare", str(before))
    new_counts = check_counts(django)
    rows = {row["measure"]: row["change"] for row in after["delta"]["measures"]}
    expected = {"files": 1, "complexity.functions": 1, "complexity.rank.D": 1,
                "complexity.over_ceiling": 1, "size.over": 1}
    expected.update({f"findings.{code}": new_counts[code] - old_counts[code]
                     for code in set(old_counts) | set(new_counts)})
    assert {name: rows[name] for name in expected} == expected
    assert after["delta"]["newly_over_cap"] == ["django/big_generated_table.py"]
    markdown = agentrails(django, "report", "--format", "markdown", "--compare", str(before))
    assert "| complexity.rank.D | " in markdown.stdout and "```mermaid" in markdown.stdout


def _complex_function(branches: int) -> str:
    body = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(branches))
    return f"\n\ndef report_probe(x):\n{body}    return -1\n"
