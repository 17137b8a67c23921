"""``AGENTRAILS_PROFILE=1``: the wall time of each phase of a run, one line each on stderr.

Code marks the end of a phase with ``mark("name")``; the phase's time is the wall time
since the previous mark. When the variable is unset, ``mark`` returns at once and nothing
else runs or is imported. The first line, ``start-up``, is the time from the process's
start (as the kernel records it, in clock ticks of 10 ms on most systems) to this
module's import, the interpreter's own start-up; it is omitted where ``/proc`` does not
say when the process started.
"""

from __future__ import annotations

import os
import sys
import time

ENABLED = bool(os.environ.get("AGENTRAILS_PROFILE"))

_phases: list[tuple[str, float]] = []
_last = time.perf_counter()


def _process_age() -> float | None:
    """Seconds since this process started (None where ``/proc`` does not say)."""
    try:
        with open(f"/proc/{os.getpid()}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22, starttime (fields[0] is field 3, state)
        return max(time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK"), 0)
    except (OSError, ValueError, IndexError, AttributeError):
        return None


if ENABLED:
    _age = _process_age()
    if _age is not None:
        _phases.append(("start-up", _age))


def mark(phase: str) -> None:
    """End ``phase`` now: it lasted from the previous mark (or this module's import)."""
    global _last
    if not ENABLED:
        return
    now = time.perf_counter()
    _phases.append((phase, now - _last))
    _last = now


def report() -> None:
    """Print every phase and the total to stderr (nothing when profiling is off)."""
    if not ENABLED or not _phases:
        return
    width = max(len(name) for name, _ in _phases)
    total = sum(seconds for _, seconds in _phases)
    lines = [f"agentrails profile: {name:<{width}} {seconds * 1000:8.1f} ms"
             for name, seconds in _phases]
    lines.append(f"agentrails profile: {'total':<{width}} {total * 1000:8.1f} ms")
    sys.stderr.write("\n".join(lines) + "\n")
    _phases.clear()
