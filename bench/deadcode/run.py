"""The dead-code benchmark: precision and recall of agentrails, vulture and skylos.

    python -m bench.deadcode.run [--project NAME ...] [--tools LIST] [--unlabelled]
                                 [--suites] [--json OUT]

For each project of ``projects.toml`` (sdists from PyPI, see ``projects.py``) it runs every
tool on a copy of the project as published and on a copy with dead code seeded into it
(``seed.py``, fixed seed), then prints precision (labelled findings on the published code,
``labels/``), recall (seeded items found) and precision on the seeded copies, side by side.
``--unlabelled`` lists the findings no label covers yet, with their line of code, and exits
1 when there are any. ``--suites`` runs each seeded project's own test suite on both copies
(in a virtual environment per project, in the corpora cache) and fails unless the seeded
copy passes as the original does. skylos is ``$SKYLOS`` or ``skylos`` on PATH (install
skylos 5.1.2 into a virtual environment of its own); without it its column is left out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench.deadcode import labels as label_files
from bench.deadcode.memo import recall, remember, seed_digest
from bench.deadcode.projects import Project, load_projects, sdist
from bench.deadcode.score import Score, judge_published, judge_seeded, keys
from bench.deadcode.seed import seeded_copy
from bench.deadcode.tools import (
    TOOLS,
    Found,
    released_source,
    run_agentrails,
    run_skylos,
    run_vulture,
    skylos_command,
)

ROOT = Path(__file__).resolve().parent.parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.deadcode.run",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", action="append", help="only this project (repeatable)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated columns")
    parser.add_argument("--unlabelled", action="store_true", help="list unlabelled findings")
    parser.add_argument("--suites", action="store_true", help="run the projects' test suites")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show", action="store_true", help="list false findings and misses")
    parser.add_argument("--fresh", action="store_true",
                        help="ask the reference tools again, not their remembered answers")
    return parser.parse_args(argv)


class Runner:
    """Runs the chosen tools on a tree."""

    def __init__(self, tools: list[str], work: Path, fresh: bool = False):
        self.tools = tools
        self.fresh = fresh
        self.skylos = skylos_command()
        if "skylos" in tools and self.skylos is None:
            print("note: skylos not found ($SKYLOS or PATH): its column is left out",
                  file=sys.stderr)
            self.tools = [tool for tool in tools if tool != "skylos"]
        self.released = None
        if "agentrails 0.2.0" in self.tools:
            self.released = released_source(ROOT, "0.2.0", work / "agentrails-0.2.0")

    def run(self, tree: Path, memo: str) -> dict[str, list[Found]]:
        """Every tool's findings on ``tree``; the reference tools' are remembered under
        ``memo`` (their answer on a pinned project never changes), agentrails' never."""
        found: dict[str, list[Found]] = {}
        for tool in self.tools:
            remembered = None if tool == "agentrails" or self.fresh else recall(tool, memo)
            if remembered is not None:
                found[tool] = remembered
                continue
            found[tool] = self._run(tool, tree)
            if tool != "agentrails":
                remember(tool, memo, found[tool])
        return found

    def _run(self, tool: str, tree: Path) -> list[Found]:
        if tool == "agentrails":
            return run_agentrails(tree)
        if tool == "agentrails 0.2.0":
            return run_agentrails(tree, self.released)
        if tool == "vulture":
            return run_vulture(tree, 60)
        if tool == "vulture 80%":
            return run_vulture(tree, 80)
        assert tool == "skylos" and self.skylos is not None
        return run_skylos(tree, self.skylos)


def bench_project(project: Project, runner: Runner, work: Path) -> dict[str, Score]:
    """Every tool's score on one project."""
    source = sdist(project)
    published = work / project.name / "published"
    shutil.copytree(source, published, ignore=shutil.ignore_patterns(".unpacked"))
    labels = label_files.load(project)
    prefix = f"{project.name}: "
    scores = {}
    on_published = runner.run(published, f"{project.name}-{project.version}-published")
    seeded_found: dict[str, list[Found]] = {}
    seeds, origins, seeded = [], {}, None
    if project.seed:
        seeded = work / project.name / "seeded"
        seeds, origins = seeded_copy(source, seeded, project.packages, project.name)
        memo = f"{project.name}-{project.version}-seeded-{seed_digest()}"
        seeded_found = runner.run(seeded, memo)
    for tool, findings in on_published.items():
        score = judge_published(keys(published, findings), labels, prefix)
        if seeded is not None:
            score.add(judge_seeded(keys(seeded, seeded_found[tool]), seeds, origins, labels,
                                   prefix))
        scores[tool] = score
    return scores


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render(totals: dict[str, Score], per_project: dict[str, dict[str, Score]]) -> str:
    """The side-by-side table, totals first."""
    tools = list(totals)
    width = max(len(tool) for tool in tools) + 2
    head = "".ljust(22) + "".join(tool.rjust(width) for tool in tools)
    rows = [head]

    def row(title: str, values: list[str]) -> None:
        rows.append(title.ljust(22) + "".join(value.rjust(width) for value in values))

    row("precision (published)", [_figure(totals[t].precision) for t in tools])
    row("  true / findings",
        [f"{totals[t].true}/{totals[t].true + totals[t].false}" for t in tools])
    row("recall (seeded)", [_figure(totals[t].recall) for t in tools])
    row("  found / seeded", [f"{totals[t].found}/{totals[t].seeded}" for t in tools])
    row("precision (seeded)", [_figure(totals[t].copy_precision) for t in tools])
    rows.append("")
    rows.append("per project: precision (published) / recall (seeded)")
    for name, scores in per_project.items():
        row(f"  {name}", [f"{_figure(scores[t].precision)}/{_figure(scores[t].recall)}"
                          for t in tools])
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    projects = [p for p in load_projects() if not args.project or p.name in args.project]
    if args.suites:
        from bench.deadcode.suites import check_suites

        return check_suites(projects)
    work = Path(tempfile.mkdtemp(prefix="agentrails-deadcode-bench-"))
    try:
        runner = Runner([t.strip() for t in args.tools.split(",") if t.strip()], work, args.fresh)
        per_project = {p.name: bench_project(p, runner, work) for p in projects}
        if args.unlabelled:
            return _list_unlabelled(projects, per_project, work)
        return _report(args, runner.tools, per_project)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(args: argparse.Namespace, tools: list[str],
            per_project: dict[str, dict[str, Score]]) -> int:
    """Print the table (and the false findings and misses with ``--show``); 1 when a
    finding has no label."""
    totals = {tool: Score() for tool in tools}
    for scores in per_project.values():
        for tool, score in scores.items():
            totals[tool].add(score)
    print(render(totals, per_project))
    if args.show:
        _show(totals)
    missing = set().union(*(score.unlabelled for score in totals.values()))
    if missing:
        print(f"\n{len(missing)} findings have no label: run with --unlabelled")
    if args.json:
        args.json.write_text(json.dumps(_as_json(totals, per_project), indent=2) + "\n")
    return 1 if missing else 0


def _show(totals: dict[str, Score]) -> None:
    for tool, score in totals.items():
        print(f"\n{tool}: false findings")
        for item in score.false_keys:
            print(f"  {item}")
        print(f"{tool}: seeded items missed")
        for item in score.missed:
            print(f"  {item}")


def _list_unlabelled(projects: list[Project], per_project: dict[str, dict[str, Score]],
                     work: Path) -> int:
    count = 0
    for project in projects:
        scores = per_project[project.name]
        missing = sorted(set().union(*(s.unlabelled for s in scores.values())))
        tree = work / project.name / "published"
        for item in missing:
            path, line, name = item.rsplit(":", 2)
            text = (tree / path).read_text(encoding="utf-8", errors="replace").splitlines()
            code = text[int(line) - 1].strip() if int(line) <= len(text) else ""
            tools = [t for t, s in scores.items() if item in s.unlabelled]
            print(f"{project.name}\t{item}\t{','.join(tools)}\t{code}")
            count += 1
    return 1 if count else 0


def _as_json(totals: dict[str, Score], per_project: dict[str, dict[str, Score]]) -> dict:
    def figures(score: Score) -> dict:
        return {"precision": score.precision, "true": score.true, "false": score.false,
                "recall": score.recall, "found": score.found, "seeded": score.seeded,
                "seeded_precision": score.copy_precision}

    return {
        "total": {tool: figures(score) for tool, score in totals.items()},
        "projects": {name: {tool: figures(score) for tool, score in scores.items()}
                     for name, scores in per_project.items()},
    }


if __name__ == "__main__":
    sys.exit(main())
