"""The benchmark's command line: fetch the corpora, time every step, print and save figures."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from bench.measure import ToolMissing, find_tools, tool_versions
from bench.report import FINDINGS_STEP, corpus_result, corpus_stats, passed, render
from bench.scenarios import NO_BYTECODE, Workspace, build_steps, run_steps

ROOT = Path(__file__).resolve().parent.parent
CHOICES = {"django": ("django",), "sympy": ("sympy",), "both": ("django", "sympy")}
MEMORY_METHOD = (
    "ru_maxrss from os.wait4 on the tool's process: the peak resident set of the largest "
    "single process in its tree (the tool or one of its reaped workers), not a sum"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The harness's options."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Time agentrails against radon cc + vulture and ruff."
    )
    parser.add_argument("--corpus", choices=sorted(CHOICES), default="django")
    parser.add_argument("--repeat", type=_positive, default=3, help="rounds; the median counts")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--tree", type=Path, help="benchmark this directory instead of a corpus")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args(argv)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _corpora_module() -> ModuleType:
    """``tests/helpers/corpora.py``, imported by path (the harness runs without the test suite)."""
    path = ROOT / "tests" / "helpers" / "corpora.py"
    spec = importlib.util.spec_from_file_location("agentrails_bench_corpora", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sources(args: argparse.Namespace) -> list[tuple[tuple[str, str], Path]]:
    """(name, version) and the unpacked directory of every corpus to benchmark."""
    if args.tree is not None:
        return [((args.tree.resolve().name, "local"), args.tree.resolve())]
    corpora = _corpora_module()
    pinned = {"django": corpora.DJANGO, "sympy": corpora.SYMPY}
    return [(pinned[name], corpora.corpus(*pinned[name])) for name in CHOICES[args.corpus]]


def bench_corpus(
    corpus: tuple[str, str], source: Path, tools: Mapping[str, str], repeat: int, keep: bool
) -> dict[str, object]:
    """Copy one corpus to a fresh work directory, run every step, and sum it up."""
    work = Path(tempfile.mkdtemp(prefix=f"agentrails-bench-{corpus[0]}-"))
    try:
        workspace = Workspace.create(source, work, corpus[0])
        stats = corpus_stats(workspace.tree)
        samples = run_steps(workspace, build_steps(workspace, tools), repeat)
        report = workspace.log(FINDINGS_STEP).read_text(encoding="utf-8", errors="replace")
        profile = workspace.warm_profile(tools["agentrails"])
        return corpus_result(corpus, stats, samples, report, workspace.baseline_entries(),
                             profile)
    finally:
        if keep:
            print(f"kept the work directory {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def machine(tools: Mapping[str, str], repeat: int) -> dict[str, object]:
    """Where and how the figures were taken."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "repeat": repeat,
        "statistic": "median wall-clock seconds (time.perf_counter around the subprocess)",
        "memory": MEMORY_METHOD,
        "bytecode": f"{NO_BYTECODE} removed from the tools' environment (an installed tool has "
                    "its bytecode written; without it each run compiles its modules again)",
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "tools": tool_versions(tools),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 0 when every target is met, 1 when one is not, 2 on errors."""
    args = parse_args(argv)
    try:
        tools = find_tools()
    except ToolMissing as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    about = machine(tools, args.repeat)
    load = about["load_average"][0]
    print(f"{about['cores']} cores (load {load}), Python {about['python']}, "
          f"median of {args.repeat}; " + ", ".join(about["tools"].values()))
    if os.environ.get(NO_BYTECODE):
        print(f"note: {NO_BYTECODE} is set here; the tools run without it, as installed",
              file=sys.stderr)
    if load > (about["cores"] or 1) / 2:
        print("warning: the machine is busy; wall-clock figures will be noisy", file=sys.stderr)
    results = []
    for corpus, source in sources(args):
        results.append(bench_corpus(corpus, source, tools, args.repeat, args.keep))
        print(render(results[-1]), flush=True)
    if args.json is not None:
        document = {"machine": about, "corpora": results}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0 if all(passed(result) for result in results) else 1
