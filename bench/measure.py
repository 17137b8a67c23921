"""Timing and peak memory of one subprocess, and the tools the harness runs.

Wall-clock time is ``time.perf_counter`` around the process, from ``Popen`` to its reaping;
CPU time (user + system, the process and its reaped children) comes from the same ``wait4``.
Peak memory is ``ru_maxrss`` as ``os.wait4`` reports it for that process: on Linux the
largest resident set reached by any single process of its tree (the tool itself or one of
the workers it waited for), not the sum of processes alive at the same time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("agentrails", "radon", "vulture", "ruff")


@dataclass(frozen=True)
class Sample:
    """One timed run of one command."""

    seconds: float
    max_rss_kb: int
    returncode: int
    cpu_seconds: float = 0.0


def run_command(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path,
    stdin: bytes | None = None,
) -> Sample:
    """Run ``command`` with stdout to ``log`` and stderr to ``log.err``, ``stdin`` (when
    given) written to its standard input; time it."""
    with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE)
        if stdin is not None and process.stdin is not None:
            process.stdin.write(stdin)  # a hook event: far below a pipe's buffer
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(elapsed, usage.ru_maxrss, process.returncode, cpu)


def median_seconds(samples: Sequence[Sample]) -> float:
    """The median wall-clock time of some runs."""
    return statistics.median(sample.seconds for sample in samples)


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """The first and third quartiles (both the value itself for a single run)."""
    if len(values) < 2:
        return values[0], values[0]
    first, _, third = statistics.quantiles(values, n=4, method="inclusive")
    return first, third


def summarise(samples: Sequence[Sample]) -> dict[str, object]:
    """Median, spread (min, quartiles, max), peak memory and exit codes of one step's runs."""
    seconds = [sample.seconds for sample in samples]
    first, third = quartiles(seconds)
    return {
        "median_s": round(statistics.median(seconds), 4),
        "min_s": round(min(seconds), 4),
        "q1_s": round(first, 4),
        "q3_s": round(third, 4),
        "max_s": round(max(seconds), 4),
        "samples_s": [round(value, 4) for value in seconds],
        "cpu_median_s": round(statistics.median(sample.cpu_seconds for sample in samples), 4),
        "max_rss_mb": round(max(sample.max_rss_kb for sample in samples) / 1024, 1),
        "returncodes": sorted({sample.returncode for sample in samples}),
    }


class ToolMissing(Exception):
    """A tool the benchmark needs is not installed."""


def find_tools(names: Sequence[str] = TOOLS) -> dict[str, str]:
    """Each tool's executable: next to this Python first (the venv), else on PATH."""
    found = {}
    here = Path(sys.executable).parent
    for name in names:
        local = here / name
        path = str(local) if local.is_file() else shutil.which(name)
        if path is None:
            raise ToolMissing(f"{name} is not installed (looked in {here} and on PATH)")
        found[name] = path
    return found


def tool_versions(tools: Mapping[str, str]) -> dict[str, str]:
    """``--version`` of every tool, first line only."""
    versions = {}
    for name, path in tools.items():
        result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        lines = (result.stdout or result.stderr).strip().splitlines()
        first = lines[0] if lines else "unknown"
        versions[name] = first if first.startswith(name) else f"{name} {first}"
    return versions
