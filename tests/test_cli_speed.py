"""What keeps a run's start cheap, without changing what the CLI does: one command's parser
built at a time, and the ``AGENTRAILS_PROFILE`` phases."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentrails.cli import COMMANDS, _chosen, build_parser

SAMPLES = [
    ["check"], ["check", "a", "b", "--select", "AR2,ar3", "--format", "json", "--jobs", "2"],
    ["check", "--no-cache", "--no-baseline", "--statistics", "--diff-base", "main"],
    ["baseline", "--prune"], ["rule", "AR201"], ["rules", "--format", "json"],
    ["handoff", "new", "a-slug"], ["sessions", "--write"], ["migration", "new", "x"],
    ["package", "new", "api"], ["sync-context"], ["hook", "stop-gate"],
    ["report", "--format", "markdown"], ["sanitize", "-", "--tail"],
    ["protect", "--dry-run"], ["promote", "--sha", "abc"], ["fleet", "--owner", "o"],
]


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def test_every_command_is_built_by_exactly_one_entry_and_listed_in_order() -> None:
    everything = _subcommands(build_parser())
    assert everything == [name for names, _ in COMMANDS for name in names]
    for names, _ in COMMANDS:
        for name in names:
            assert name in _subcommands(build_parser(name))


@pytest.mark.parametrize("argv", SAMPLES, ids=lambda argv: " ".join(argv))
def test_the_chosen_command_parses_as_the_full_parser_does(argv: list[str]) -> None:
    assert _chosen(argv) == argv[0]
    assert build_parser(_chosen(argv)).parse_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [[], ["--version"], ["-h"], ["chek"], ["--x", "check"]])
def test_anything_but_a_command_first_gets_the_full_parser(argv: list[str]) -> None:
    assert _chosen(argv) is None


PHASES = ["arguments", "imports", "families", "config", "discovery", "cache load",
          "stat and read", "analysis", "cache save", "rules", "baseline/verdict", "output",
          "total"]


def _run(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentrails", "check"], cwd=root, env=env,
                          capture_output=True, text=True, check=False)


def test_profile_prints_one_line_per_phase_on_stderr_only_when_asked(plain_dir) -> None:
    root = plain_dir({"a.py": "import os\n", "agentrails.toml": "# defaults\n"})
    env = {k: v for k, v in os.environ.items() if k != "AGENTRAILS_PROFILE"}
    quiet = _run(root, env)
    profiled = _run(root, {**env, "AGENTRAILS_PROFILE": "1"})
    assert "profile" not in quiet.stderr and quiet.stdout == profiled.stdout
    assert quiet.returncode == profiled.returncode == 1
    check_phases(profiled.stderr)


def check_phases(stderr: str) -> None:
    """One line per phase, in order, each with its milliseconds, and the total."""
    lines = [line.split(": ", 1)[1] for line in stderr.splitlines()
             if line.startswith("agentrails profile: ")]
    assert len(lines) == len(stderr.splitlines())
    names = [line.rsplit(None, 2)[0] for line in lines]
    assert [name for name in names if name != "start-up"] == PHASES
    milliseconds = [float(line.rsplit(None, 2)[1]) for line in lines]
    assert min(milliseconds) >= 0
    assert abs(sum(milliseconds[:-1]) - milliseconds[-1]) < 1  # the lines add up (rounded)


def test_profile_off_costs_no_import() -> None:
    code = ("import sys; before = set(sys.modules); import agentrails.engine.profile as p; "
            "p.mark('x'); p.report(); print(sorted(set(sys.modules) - before))")
    env = {k: v for k, v in os.environ.items() if k != "AGENTRAILS_PROFILE"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == (
        "['__future__', 'agentrails', 'agentrails.engine', 'agentrails.engine.profile']"
    )
