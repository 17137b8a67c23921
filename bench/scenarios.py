"""The steps the harness times, on a private copy of a corpus.

The copy lives in a temporary work directory with an ``agentrails.toml`` that pins the
project root there, so agentrails' and ruff's caches (and ``XDG_CACHE_HOME``) stay inside it.
Before the first round ``agentrails baseline`` records every finding in the copy's
``agentrails-baseline.json``: the agentrails steps run with ``--no-baseline`` (so they
measure and print what they always did) except ``agentrails warm+baseline``, which runs
right after ``agentrails warm`` on the same cache and reads the baseline.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Sample, run_command

CACHE_DIR = ".agentrails_cache"
BASELINE = "agentrails-baseline.json"
BENCH_LINE = "# bench {token}\n"
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"
"""Dropped from the tools' environment: with it every run of a Python tool compiles the
modules it imports again, which an installed tool (pip writes bytecode) never does."""


@dataclass
class Workspace:
    """A corpus copy and the environment every step runs in."""

    tree: Path
    logs: Path
    env: dict[str, str]
    touched: Path
    original: bytes = b""

    @classmethod
    def create(cls, source: Path, work: Path, name: str) -> Workspace:
        """Copy ``source`` to ``work/name``, pin agentrails' root there, pick the file to touch."""
        tree = work / name
        shutil.copytree(source, tree, ignore=shutil.ignore_patterns(".unpacked"), symlinks=True)
        (tree / "agentrails.toml").write_text("# defaults: every default rule\n", encoding="utf-8")
        logs = work / "logs"
        logs.mkdir()
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg-cache"))
        env.pop(NO_BYTECODE, None)
        return cls(tree=tree, logs=logs, env=env, touched=mid_sized_file(tree))

    def baseline_entries(self) -> int:
        """How many findings the baseline written before the first round records."""
        try:
            data = json.loads((self.tree / BASELINE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return 0
        return sum(entry.get("count", 1) for entry in entries if isinstance(entry, dict))

    def read_baseline(self, ours: str) -> None:
        """One untimed run that reads the baseline, so the timed one is warm for it too (the
        cold step emptied the cache, the parsed baseline with it)."""
        run_command([ours, "check"], self.tree, self.env, self.log("agentrails baseline read"))

    def warm_profile(self, ours: str) -> list[str]:
        """Where a warm run's time goes: the ``AGENTRAILS_PROFILE=1`` lines of one more
        untimed warm run (after one that settles the cache again: the last round restored
        the touched file)."""
        log = self.log("agentrails warm profile")
        run_command([ours, "check", "--no-baseline"], self.tree, self.env, log)
        env = dict(self.env, AGENTRAILS_PROFILE="1")
        run_command([ours, "check", "--no-baseline"], self.tree, env, log)
        lines = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
        return [line.split(": ", 1)[1] for line in lines.splitlines()
                if line.startswith("agentrails profile: ")]

    def clear_cache(self, _: int = 0) -> None:
        """Empty agentrails' cache so the next run is cold (and writes it). The folder
        itself stays, as a project's does: removing it would change the root's listing,
        which the next (warm) run would then list again."""
        cache = self.tree / CACHE_DIR
        for child in cache.iterdir() if cache.is_dir() else ():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    def touch(self, repeat: int) -> None:
        """Append a line no earlier run has seen, so the cache cannot already hold it."""
        self.original = self.touched.read_bytes()
        token = f"{repeat}-{time.time_ns()}"
        self.touched.write_bytes(self.original + BENCH_LINE.format(token=token).encode())

    def edit_event(self) -> bytes:
        """The PostToolUse event Claude Code sends after an Edit of the touched file."""
        return json.dumps({
            "hook_event_name": "PostToolUse", "cwd": str(self.tree), "tool_name": "Edit",
            "tool_input": {"file_path": str(self.touched), "old_string": "", "new_string": ""},
        }).encode()

    def restore(self) -> None:
        """Put the touched file back as it was."""
        self.touched.write_bytes(self.original)

    def log(self, step: str) -> Path:
        """Where a step's last stdout goes (stderr next to it, ``.err``)."""
        return self.logs / (step.replace(" ", "_").replace("/", "_") + ".out")


def mid_sized_file(tree: Path) -> Path:
    """The median-sized ``.py`` file of the tree (ties broken by path)."""
    files = sorted((p.stat().st_size, p.as_posix()) for p in tree.rglob("*.py") if p.is_file())
    if not files:
        raise ValueError(f"no .py files under {tree}")
    return Path(files[len(files) // 2][1])


@dataclass
class Step:
    """One timed command with untimed preparation around it."""

    name: str
    command: list[str]
    before: Callable[[int], None] | None = None
    after: Callable[[], None] | None = None
    prime: list[str] | None = None
    stdin: Callable[[], bytes] | None = None


def build_steps(ws: Workspace, tools: Mapping[str, str]) -> list[Step]:
    """Every step, in the order one round runs them (the order keeps cache states right)."""
    ours, ruff = tools["agentrails"], tools["ruff"]
    check = [ours, "check", "--no-baseline"]
    return [
        Step("radon cc", [tools["radon"], "cc", "-s", "."]),
        Step("vulture", [tools["vulture"], "."]),
        Step("agentrails no-cache", [*check, "--no-cache"]),
        Step("agentrails cold", check, before=ws.clear_cache),
        Step("agentrails warm", check),
        Step("agentrails warm+baseline", [ours, "check"], prime=[ours, "baseline"],
             before=lambda _: ws.read_baseline(ours)),
        Step("agentrails one-file", check, before=ws.touch, after=ws.restore),
        Step("agentrails check-edit", [ours, "hook", "check-edit"], before=ws.touch,
             after=ws.restore, stdin=ws.edit_event),
        Step("ruff C901 cold", [ruff, "check", "--no-cache", "--select", "C901", "."]),
        Step("ruff C901 warm", [ruff, "check", "--select", "C901", "."],
             prime=[ruff, "check", "--select", "C901", "."]),
    ]


def run_steps(ws: Workspace, steps: list[Step], repeat: int) -> dict[str, list[Sample]]:
    """Prime what needs priming, then run every step once per round, ``repeat`` rounds."""
    for step in steps:
        if step.prime:
            run_command(step.prime, ws.tree, ws.env, ws.log(step.name + " prime"))
    samples: dict[str, list[Sample]] = {step.name: [] for step in steps}
    for round_index in range(repeat):
        for step in steps:
            if step.before is not None:
                step.before(round_index)
            try:
                stdin = step.stdin() if step.stdin is not None else None
                sample = run_command(step.command, ws.tree, ws.env, ws.log(step.name), stdin)
            finally:
                if step.after is not None:
                    step.after()
            samples[step.name].append(sample)
    return samples
