"""Adoption on a real codebase, the Django 5.2.8 wheel: baseline, a new violation, edits that
shift every line, a paid debt, and ``--add-noqa`` (issue: baseline must-show 1 and 3)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.corpora import DJANGO, corpus

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

TANGLE = "\n\ndef adoption_probe(a):\n" + "".join(
    f"    if a == {i}:\n        return {i}\n" for i in range(11)
) + "    return -1\n"


def agentrails(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentrails", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def django(tmp_path: Path) -> Path:
    root = tmp_path / "django"
    shutil.copytree(corpus(*DJANGO), root, ignore=shutil.ignore_patterns(".unpacked"))
    return root


def test_baseline_ratchet_on_django(django: Path) -> None:
    assert agentrails(django, "check").returncode == 1
    made = agentrails(django, "baseline")
    assert made.returncode == 0, made.stderr
    entries = json.loads((django / "agentrails-baseline.json").read_text())["entries"]
    assert len(entries) > 500
    assert agentrails(django, "check").returncode == 0

    probe = django / "django" / "utils" / "datastructures.py"  # short, 43 simple functions
    probe.write_text(probe.read_text() + TANGLE)
    result = agentrails(django, "check")
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if ": AR" in line] == [
        f"django/utils/datastructures.py:{_probe_line(probe)}:1: AR201 function 'adoption_probe' "
        "is too "
        "complex (12 > 10)"
    ]


def test_fifty_blank_lines_on_top_of_every_baselined_file_stay_green(django: Path) -> None:
    assert agentrails(django, "baseline").returncode == 0
    entries = json.loads((django / "agentrails-baseline.json").read_text())["entries"]
    for path in sorted({entry["path"] for entry in entries}):
        target = django / path
        target.write_bytes(b"\n" * 50 + target.read_bytes())
    shifted = agentrails(django, "check")
    assert shifted.returncode == 0, shifted.stdout[-2000:]
    assert "stale" not in shifted.stdout


def test_paying_debt_names_the_stale_entry_and_prune_removes_it(django: Path) -> None:
    agentrails(django, "baseline")
    entries = json.loads((django / "agentrails-baseline.json").read_text())["entries"]
    entry = next(e for e in entries
                 if e["code"] == "AR201" and e["path"].startswith("django/utils/")
                 and "\ndef " + e["symbol"] + "(" in (django / e["path"]).read_text())
    module = django / entry["path"]
    module.write_text(_without_function(module.read_text(), entry["symbol"]))
    result = agentrails(django, "check")
    assert result.returncode == 0
    stale = f"agentrails-baseline.json: stale entry: AR201 in {entry['path']} ({entry['symbol']!r})"
    assert stale in result.stdout
    before = len(json.loads((django / "agentrails-baseline.json").read_text())["entries"])
    pruned = agentrails(django, "baseline", "--prune")
    assert pruned.returncode == 0 and "(1 fixed)" in pruned.stdout
    after = json.loads((django / "agentrails-baseline.json").read_text())["entries"]
    assert entry not in after and len(after) == before - 1
    assert "stale" not in agentrails(django, "check").stdout


def test_add_noqa_on_django_then_check_is_clean_and_twice_changes_nothing(django: Path) -> None:
    first = agentrails(django, "check", "--add-noqa")
    assert first.returncode == 0, first.stderr
    assert agentrails(django, "check").returncode == 0
    snapshot = _tree(django)
    second = agentrails(django, "check", "--add-noqa")
    assert second.returncode == 0 and "Added 0 noqa directive(s)" in second.stdout
    assert _tree(django) == snapshot
    compiled = subprocess.run([sys.executable, "-m", "compileall", "-q", "django"], cwd=django,
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stdout[-2000:]


def _probe_line(path: Path) -> int:
    return path.read_text().splitlines().index("def adoption_probe(a):") + 1


def _without_function(text: str, name: str) -> str:
    """``text`` without the top-level function ``name`` (its def line through its body)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}("))
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t)"):
        end += 1
    return "".join(lines[:start] + lines[end:])


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".agentrails_cache" not in p.parts}
