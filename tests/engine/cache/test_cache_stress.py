"""The cache under stress on the Django 5.2.8 wheel: four ``agentrails check`` processes at once
sharing one cache, and runs killed with SIGKILL at random moments. After each, a cached run
must report exactly what a ``--no-cache`` run reports.

The project is the whole wheel (883 modules, 158,000 lines of Python, 3,668 files), checked
with the default rules. The figures the README quotes come from here:
``ROUNDS`` rounds of ``RUNNERS`` concurrent runs and ``KILLS`` killed runs, zero mismatches.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentrails.engine.cache import store as cache_module
from tests.helpers.corpora import DJANGO, corpus

pytestmark = [pytest.mark.corpus, pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")]

ROUNDS, RUNNERS, KILLS, MID_WRITE_KILLS = 12, 4, 12, 6
SEED = 15
COMMAND = [sys.executable, "-m", "agentrails", "check", "--format", "json"]


@pytest.fixture
def django(tmp_path: Path) -> Path:
    """A private copy of the Django wheel."""
    root = tmp_path / "django"
    shutil.copytree(corpus(*DJANGO), root, ignore=shutil.ignore_patterns(".unpacked"))
    (root / "agentrails.toml").write_text("")
    assert len(list(root.rglob("*.py"))) > 800
    return root


def start(root: Path, *extra: str) -> subprocess.Popen[str]:
    """``agentrails check`` in its own process group, so a kill reaches its pool workers."""
    return subprocess.Popen(
        [*COMMAND, *extra, str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "CI": "true"}, start_new_session=True,
    )


def findings(root: Path, *extra: str) -> list[dict]:
    """The findings of one complete run; it must exit 1 (Django has findings) and be quiet."""
    process = start(root, *extra)
    out, err = process.communicate(timeout=300)
    assert (process.returncode, err) == (1, ""), err
    return json.loads(out)


def change(root: Path, step: int, rng: random.Random) -> None:
    """Move the project on: drop the cache, or grow a random module by one long function."""
    if step % 3 == 0:
        shutil.rmtree(root / ".agentrails_cache", ignore_errors=True)
        return
    modules = sorted((root / "django").rglob("*.py"))
    target = rng.choice(modules)
    body = "".join(f"    x{n} = {n}\n" for n in range(60 + step))
    with target.open("a", encoding="utf-8") as stream:
        stream.write(f"\n\ndef added_{step}(a, b):\n{body}    return a or b\n")


def leftovers(root: Path) -> list[Path]:
    return sorted((root / ".agentrails_cache").rglob(".tmp-*"))


def test_concurrent_runs_share_one_cache_and_agree_with_no_cache(django: Path) -> None:
    rng = random.Random(SEED)
    mismatches = 0
    for step in range(ROUNDS):
        change(django, step, rng)
        processes = [start(django) for _ in range(RUNNERS)]
        outputs = [process.communicate(timeout=300) for process in processes]
        reference = findings(django, "--no-cache")
        for process, (out, err) in zip(processes, outputs, strict=True):
            assert (process.returncode, err) == (1, "")
            mismatches += json.loads(out) != reference
        mismatches += findings(django) != reference
    print(f"{ROUNDS} rounds of {RUNNERS} concurrent runs, {mismatches} mismatches")
    assert mismatches == 0
    assert leftovers(django) == []


def timed(root: Path, *extra: str) -> float:
    began = time.monotonic()
    findings(root, *extra)
    return time.monotonic() - began


def test_runs_killed_at_random_moments_leave_a_cache_that_agrees_with_no_cache(
    django: Path,
) -> None:
    rng = random.Random(SEED)
    cold, warm = timed(django), timed(django)  # a run that writes every entry; one that reads
    mismatches = interrupted = 0
    for step in range(KILLS):
        change(django, step, rng)
        process = start(django)
        time.sleep(rng.uniform(0, cold if step % 3 == 0 else warm))
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        interrupted += process.returncode == -signal.SIGKILL
        mismatches += findings(django) != findings(django, "--no-cache")
    print(f"{KILLS} kills, {interrupted} interrupted a run, {len(leftovers(django))} temporary "
          f"files left behind, {mismatches} mismatches")
    assert mismatches == 0
    assert interrupted >= KILLS * 3 // 4


def start_quietly(root: Path) -> subprocess.Popen[bytes]:
    """A run whose output nobody reads (a full pipe would stall it while it is polled)."""
    return subprocess.Popen([*COMMAND, str(root)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill_while_writing(root: Path) -> bool:
    """Start a run and kill it the moment one of its temporary files (pack, tag) appears;
    False if it finished first."""
    process = start_quietly(root)
    while process.poll() is None:
        if leftovers(root):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
    return False


def test_runs_killed_while_writing_the_cache_leave_it_valid_and_no_lasting_litter(
    django: Path,
) -> None:
    rng = random.Random(SEED)
    caught = 0
    for step in range(MID_WRITE_KILLS):
        change(django, step, rng)
        caught += kill_while_writing(django)
        assert findings(django) == findings(django, "--no-cache")
    print(f"{MID_WRITE_KILLS} runs, {caught} killed while writing the cache, 0 mismatches")
    assert caught >= 1
    stale = time.time() - cache_module.STALE_TEMPORARY_S - 1
    for leftover in leftovers(django):
        os.utime(leftover, (stale, stale))
    change(django, 1, rng)  # a run with something to save sweeps the old temporaries
    findings(django)
    assert leftovers(django) == []
