"""The benchmark harness's parsing, ratio and reporting code, and one untimed end-to-end run
on a tiny corpus (no timing is asserted: the harness itself is not run in CI)."""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.paths import REPO

ROOT = REPO


def _bench(name: str) -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"bench.{name}")


measure = _bench("measure")
report = _bench("report")
scenarios = _bench("scenarios")
harness = _bench("harness")


def samples(*seconds: float) -> list:
    return [measure.Sample(value, 1024 * (index + 1), 1) for index, value in enumerate(seconds)]


TIMES = {
    "radon cc": samples(4.0, 5.0, 3.0),
    "vulture": samples(6.0, 5.0, 8.0),
    "agentrails no-cache": samples(2.0, 2.5, 2.9),
    "agentrails cold": samples(2.8, 3.0, 2.7),
    "agentrails warm": samples(0.2, 0.3, 0.25),
    "agentrails warm+baseline": samples(0.21, 0.33, 0.25),
    "agentrails one-file": samples(1.0, 0.55, 0.5),
    "ruff C901 cold": samples(0.2, 0.3, 0.25),
}


def test_parse_findings_reads_finding_lines_only() -> None:
    text = (
        "a/b.py:3:1: AR001 syntax error: invalid syntax\n"
        "odd:name.py:10:5: AR201 function 'f' has complexity 12 (max 10)\n"
        "Found 2 findings in 7 files checked.\n"
    )
    found = report.parse_findings(text)
    complexity = "function 'f' has complexity 12 (max 10)"
    assert found == [
        report.ParsedFinding("a/b.py", 3, 1, "AR001", "syntax error: invalid syntax"),
        report.ParsedFinding("odd:name.py", 10, 5, "AR201", complexity),
    ]
    assert report.parse_findings("All checks passed (3 files checked).\n") == []


def test_reference_is_the_median_of_per_round_sums() -> None:
    # rounds: 4+6=10, 5+5=10, 3+8=11 -> median 10 (the sum of the medians would be 4+6=10
    # too, so check a case where they differ)
    assert report.reference_seconds(TIMES) == 10.0
    skewed = {"radon cc": samples(1.0, 9.0, 5.0), "vulture": samples(9.0, 1.0, 1.0)}
    assert report.reference_seconds(skewed) == 10.0  # sums 10, 10, 6
    assert measure.median_seconds(skewed["radon cc"]) + measure.median_seconds(
        skewed["vulture"]
    ) == 6.0


def test_ratios_and_verdicts() -> None:
    ratios = report.ratios(TIMES)
    assert "radon cc" not in ratios and "vulture" not in ratios
    assert ratios["agentrails no-cache"] == 0.25
    assert ratios["agentrails cold"] == 0.28
    assert ratios["agentrails warm"] == 0.025
    assert ratios["agentrails one-file"] == 0.055
    assert ratios["ruff C901 cold"] == 0.025
    verdicts = report.verdicts(ratios)
    assert verdicts == {
        "agentrails no-cache": True, "agentrails cold": True,
        "agentrails warm": True, "agentrails one-file": True,
    }
    assert report.verdicts({**ratios, "agentrails warm": 0.031})["agentrails warm"] is False


def test_baseline_overhead_is_the_median_of_paired_rounds() -> None:
    # rounds: 0.21/0.2 = 1.05, 0.33/0.3 = 1.1, 0.25/0.25 = 1.0 -> median 1.05 (the ratio of
    # the medians, 0.25/0.25, would hide the slower rounds)
    assert report.baseline_overhead(TIMES) == 1.05
    assert report.baseline_overhead({"agentrails warm": samples(0.2)}) is None
    result = report.corpus_result(("demo", "1.0"), {"files": 1, "py_files": 1, "py_lines": 1},
                                  TIMES, "", baseline_entries=812)
    assert result["baseline"] == {"entries": 812, "overhead": 1.05, "limit": 1.05,
                                  "passed": True}
    assert "baseline of 812 entries: warm+baseline / warm = 1.050" in report.render(result)
    slower = {**TIMES, "agentrails warm+baseline": samples(0.3, 0.33, 0.3)}
    worse = report.corpus_result(("demo", "1.0"), {"files": 1, "py_files": 1, "py_lines": 1},
                                 slower, "", baseline_entries=812)
    assert not worse["baseline"]["passed"] and not report.passed(worse)


def row(table: str, step: str) -> str:
    """The table line of one step."""
    return next(line for line in table.splitlines() if line.startswith(step))


def test_summary_states_the_spread() -> None:
    summary = measure.summarise(TIMES["agentrails warm"])
    assert (summary["median_s"], summary["min_s"], summary["max_s"]) == (0.25, 0.2, 0.3)
    assert (summary["q1_s"], summary["q3_s"]) == (0.225, 0.275)
    assert measure.quartiles([0.5]) == (0.5, 0.5)
    assert (summary["max_rss_mb"], summary["returncodes"]) == (3.0, [1])


def test_summary_and_table() -> None:
    stats = {"files": 3, "py_files": 2, "py_lines": 1234}
    failing = {**TIMES, "agentrails warm": samples(0.6, 0.7, 0.8)}
    text = "Found 1 finding in 2 files checked.\n"
    result = report.corpus_result(("demo", "1.0"), stats, failing, text)
    table = report.render(result)
    assert table.startswith("demo 1.0: 2 .py files, 1,234 lines (3 files in all)")
    assert row(table, "agentrails warm ").endswith("FAIL")
    assert "0.070" in row(table, "agentrails warm ")
    assert row(table, "agentrails cold").endswith("PASS")
    assert not report.passed(result)
    assert report.passed(report.corpus_result(("demo", "1.0"), stats, TIMES, text))


def test_sympy_expectation() -> None:
    path = "sympy/polys/numberfields/resolvent_lookup.py"
    named = report.parse_findings(f"{path}:1:1: AR002 too deeply nested to analyse\n")
    assert report.expectation("sympy", named)["found"] is True
    other = report.parse_findings(f"{path}:1:1: AR101 file has 900 non-blank lines (cap 500)\n")
    assert report.expectation("sympy", other)["found"] is False
    assert report.expectation("django", named) is None
    result = report.corpus_result(("sympy", "1.14.0"), {"files": 1, "py_files": 1, "py_lines": 1},
                                  TIMES, "")
    assert not report.passed(result)
    assert "FAIL (not named by agentrails)" in report.render(result)


def tiny_corpus(root: Path) -> Path:
    """Three small files: one with a dead import and a long branchy function, one Python 2."""
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(12))
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": f"import os\n\n\ndef f(x):\n{branches}    return -1\n",
        "pkg/old.py": 'print "x"\n',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_workspace_touch_is_new_every_round_and_restored(tmp_path: Path) -> None:
    source = tiny_corpus(tmp_path / "src")
    work = tmp_path / "work"
    work.mkdir()
    workspace = scenarios.Workspace.create(source, work, "tiny")
    assert workspace.touched == workspace.tree / "pkg" / "old.py"  # the median-sized one
    before = workspace.touched.read_bytes()
    seen = set()
    for round_index in range(3):
        workspace.touch(round_index)
        seen.add(workspace.touched.read_bytes())
        workspace.restore()
        assert workspace.touched.read_bytes() == before
    assert len(seen) == 3
    assert (workspace.tree / "agentrails.toml").is_file()
    assert (source / "pkg" / "old.py").read_bytes() == before


def test_workspace_empties_the_cache_but_keeps_its_folder_and_writes_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    work = tmp_path / "work"
    work.mkdir()
    workspace = scenarios.Workspace.create(tiny_corpus(tmp_path / "src"), work, "tiny")
    assert "PYTHONDONTWRITEBYTECODE" not in workspace.env
    cache = workspace.tree / scenarios.CACHE_DIR
    (cache / "v4").mkdir(parents=True)
    (cache / "v4" / "x.pack").write_bytes(b"x")
    (cache / "CACHEDIR.TAG").write_text("tag")
    workspace.clear_cache()
    assert cache.is_dir() and list(cache.iterdir()) == []
    assert workspace.baseline_entries() == 0  # none written yet


STEPS = {
    "radon cc", "vulture", "agentrails no-cache", "agentrails cold", "agentrails warm",
    "agentrails warm+baseline", "agentrails one-file", "agentrails check-edit",
    "ruff C901 cold", "ruff C901 warm",
}


def test_harness_end_to_end_on_a_tiny_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tiny_corpus(tmp_path / "tiny")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "figures.json"
    code = harness.main(["--tree", str(source), "--repeat", "1", "--json", str(out)])
    assert list(scratch.iterdir()) == [], "the work directory must be removed"
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["machine"]["repeat"] == 1
    assert "wait4" in document["machine"]["memory"]
    (result,) = document["corpora"]
    check_tiny_result(result)
    assert code == (0 if report.passed(result) else 1)
    assert "agentrails warm" in capsys.readouterr().out


def check_tiny_result(result: dict) -> None:
    """What one round on the tiny corpus must record (times are not judged)."""
    steps = result["steps"]
    assert result["stats"] == {"files": 4, "py_files": 3, "py_lines": 30}
    assert set(steps) == STEPS
    assert steps["vulture"]["returncodes"] == [3]  # vulture found the unused import
    assert {tuple(steps[name]["returncodes"]) for name in report.TARGETS} == {(1,)}
    assert min(min(s["max_rss_mb"], s["cpu_median_s"]) for s in steps.values()) > 0
    check_tiny_baseline_and_profile(result)
    assert set(result["verdicts"]) == set(report.TARGETS) | set(report.SECONDS)
    assert steps["agentrails check-edit"]["returncodes"] == [0]  # the hook always exits 0
    assert result["findings"]["total"] >= 1
    assert result["expected"] is None


def check_tiny_baseline_and_profile(result: dict) -> None:
    """The baseline written before the first round holds every finding, so the step that
    reads it passes; the profiled warm run names its phases."""
    assert result["steps"]["agentrails warm+baseline"]["returncodes"] == [0]
    assert result["baseline"]["entries"] == result["findings"]["total"]
    assert any(line.startswith("total") for line in result["warm_profile"])
