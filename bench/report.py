"""Ratios against the radon + vulture reference, PASS/FAIL per target, the table and JSON."""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Sample, median_seconds, summarise

REFERENCE_STEPS = ("radon cc", "vulture")
REFERENCE = "radon + vulture"
TARGETS = {
    "agentrails no-cache": 0.30,
    "agentrails cold": 0.30,
    "agentrails warm": 0.03,
    "agentrails one-file": 0.06,
}
"""Issue 13's ratios to radon + vulture (no-cache held to cold's)."""
SECONDS = {"agentrails check-edit": 0.50}
"""Issue 22: the PostToolUse hook answers an edit in well under half a second (warm cache,
the edited file changed), a limit in seconds rather than a ratio."""
BASELINE_STEP, BASELINE_OVER, BASELINE_LIMIT = "agentrails warm+baseline", "agentrails warm", 1.05
"""Issue 10: a warm check reading a baseline costs at most 5% more than one without."""
FINDINGS_STEP = "agentrails cold"
EXPECTED = {"sympy": ("sympy/polys/numberfields/resolvent_lookup.py", "AR002")}
_FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+\d+) (?P<message>.*)$"
)


@dataclass(frozen=True)
class ParsedFinding:
    """One ``path:line:col: CODE message`` line of agentrails' text output."""

    path: str
    line: int
    column: int
    code: str
    message: str


def parse_findings(text: str) -> list[ParsedFinding]:
    """The findings in a text report; the summary line and anything else are skipped."""
    found = []
    for line in text.splitlines():
        match = _FINDING.match(line)
        if match:
            line_number, column = int(match["line"]), int(match["column"])
            found.append(
                ParsedFinding(match["path"], line_number, column, match["code"], match["message"])
            )
    return found


def reference_seconds(samples: Mapping[str, Sequence[Sample]]) -> float:
    """Median over rounds of radon's time plus vulture's time in the same round."""
    rounds = zip(*(samples[step] for step in REFERENCE_STEPS), strict=True)
    return statistics.median(sum(sample.seconds for sample in row) for row in rounds)


def ratios(samples: Mapping[str, Sequence[Sample]]) -> dict[str, float]:
    """Every non-reference step's median time over the reference time."""
    reference = reference_seconds(samples)
    return {
        step: round(median_seconds(runs) / reference, 4)
        for step, runs in samples.items() if step not in REFERENCE_STEPS
    }


def baseline_overhead(samples: Mapping[str, Sequence[Sample]]) -> float | None:
    """The median over rounds of warm+baseline's time over warm's in the same round (they
    run back to back on the same cache); None when the steps were not run."""
    if BASELINE_STEP not in samples or BASELINE_OVER not in samples:
        return None
    pairs = zip(samples[BASELINE_STEP], samples[BASELINE_OVER], strict=True)
    return round(statistics.median(a.seconds / b.seconds for a, b in pairs), 4)


def verdicts(step_ratios: Mapping[str, float],
             medians: Mapping[str, float] | None = None) -> dict[str, bool]:
    """PASS (True) or FAIL for every step that has a target: a ratio (``TARGETS``) or a
    median in seconds (``SECONDS``)."""
    found = {
        step: step_ratios[step] <= limit for step, limit in TARGETS.items() if step in step_ratios
    }
    found.update({step: (medians or {})[step] <= limit for step, limit in SECONDS.items()
                  if step in (medians or {})})
    return found


def expectation(corpus: str, findings: Sequence[ParsedFinding]) -> dict[str, object] | None:
    """Whether the corpus's known-bad file is named with the expected code."""
    if corpus not in EXPECTED:
        return None
    path, code = EXPECTED[corpus]
    messages = [f.message for f in findings if f.path == path and f.code == code]
    return {"path": path, "code": code, "found": bool(messages), "messages": messages}


def corpus_stats(tree: Path) -> dict[str, int]:
    """How many files, ``.py`` files and ``.py`` lines the corpus has."""
    files = [p for p in tree.rglob("*") if p.is_file()]
    python = [p for p in files if p.suffix == ".py"]
    lines = sum(len(p.read_bytes().splitlines()) for p in python)
    return {"files": len(files), "py_files": len(python), "py_lines": lines}


def corpus_result(
    corpus: tuple[str, str], stats: Mapping[str, int], samples: Mapping[str, Sequence[Sample]],
    report: str, baseline_entries: int = 0, profile: Sequence[str] = (),
) -> dict[str, object]:
    """Everything measured on one (name, version) corpus, ready for JSON."""
    findings = parse_findings(report)
    step_ratios = ratios(samples)
    overhead = baseline_overhead(samples)
    return {
        "corpus": corpus[0],
        "version": corpus[1],
        "stats": dict(stats),
        "steps": {step: summarise(runs) for step, runs in samples.items()},
        "reference_s": round(reference_seconds(samples), 4),
        "ratios": step_ratios,
        "targets": dict(TARGETS),
        "seconds_targets": dict(SECONDS),
        "verdicts": verdicts(step_ratios, {step: median_seconds(runs)
                                           for step, runs in samples.items()}),
        "findings": {"total": len(findings), "files": len({f.path for f in findings})},
        "expected": expectation(corpus[0], findings),
        "baseline": None if overhead is None else {
            "entries": baseline_entries, "overhead": overhead, "limit": BASELINE_LIMIT,
            "passed": overhead <= BASELINE_LIMIT,
        },
        "warm_profile": list(profile),
    }


def passed(result: Mapping[str, object]) -> bool:
    """Every target met, the expected file named, and the baseline's cost within bounds."""
    expected, baseline = result["expected"], result.get("baseline")
    return (all(result["verdicts"].values()) and (expected is None or expected["found"])
            and (baseline is None or baseline["passed"]))


def render(result: Mapping[str, object]) -> str:
    """A fixed-width table of one corpus's figures with PASS/FAIL per target."""
    stats, steps = result["stats"], result["steps"]
    lines = [
        f"{result['corpus']} {result['version']}: {stats['py_files']} .py files, "
        f"{stats['py_lines']:,} lines ({stats['files']} files in all)",
        f"{'step':<25}{'median s':>10}{'min s':>8}{'q1 s':>8}{'q3 s':>8}{'max s':>8}"
        f"{'cpu s':>8}{'RSS MB':>8}{'exit':>6}{'ratio':>8}{'target':>8}  verdict",
    ]
    for step, summary in steps.items():
        if step in REFERENCE_STEPS:
            lines.append(_row(step, summary, "", "", ""))
    lines.append(f"{REFERENCE + ' (ref)':<25}{result['reference_s']:>10.3f}")
    for step, summary in steps.items():
        if step not in REFERENCE_STEPS:
            limit, seconds = TARGETS.get(step), SECONDS.get(step)
            known = step in result["verdicts"]
            verdict = ("PASS" if result["verdicts"][step] else "FAIL") if known else ""
            target = (f"<={limit:.2f}" if limit is not None
                      else f"<={seconds:.2f}s" if seconds is not None else "")
            lines.append(_row(step, summary, f"{result['ratios'][step]:.3f}", target, verdict))
    lines.extend(_expected_lines(result["expected"]))
    lines.extend(_baseline_lines(result.get("baseline")))
    lines.extend(_profile_lines(result.get("warm_profile") or []))
    return "\n".join(lines) + "\n"


def _row(step: str, summary: Mapping[str, object], ratio: str, target: str, verdict: str) -> str:
    codes = ",".join(str(code) for code in summary["returncodes"])
    first, third = summary.get("q1_s", summary["min_s"]), summary.get("q3_s", summary["max_s"])
    return (
        f"{step:<25}{summary['median_s']:>10.3f}{summary['min_s']:>8.3f}"
        f"{first:>8.3f}{third:>8.3f}{summary['max_s']:>8.3f}{summary['cpu_median_s']:>8.3f}{summary['max_rss_mb']:>8.1f}"
        f"{codes:>6}{ratio:>8}{target:>8}  {verdict}".rstrip()
    )


def _baseline_lines(baseline: Mapping[str, object] | None) -> list[str]:
    if baseline is None:
        return []
    verdict = "PASS" if baseline["passed"] else "FAIL"
    return [f"baseline of {baseline['entries']} entries: warm+baseline / warm = "
            f"{baseline['overhead']:.3f} (median of rounds; target <= {baseline['limit']:.2f})"
            f"  {verdict}"]


def _profile_lines(profile: Sequence[str]) -> list[str]:
    """Where a warm run's time goes (AGENTRAILS_PROFILE=1 of one more warm run)."""
    if not profile:
        return []
    return ["warm run by phase (AGENTRAILS_PROFILE=1):", *(f"  {line}" for line in profile)]


def _expected_lines(expected: Mapping[str, object] | None) -> list[str]:
    if expected is None:
        return []
    if expected["found"]:
        return [f"{expected['code']} {expected['path']}: PASS ({expected['messages'][0]})"]
    return [f"{expected['code']} {expected['path']}: FAIL (not named by agentrails)"]
