"""Each seeded project's own test suite, run on the copy as published and on the seeded copy.

Seeded dead code must change no behaviour, so the seeded copy has to pass its project's
suite exactly as the published copy does: the same tests pass, fail and skip. Each project
gets a virtual environment (in the corpora cache) with the packages its suite needs and the
project's own release (for its metadata); the copy under test comes first on ``PYTHONPATH``,
so its code is the code that runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from bench.deadcode.projects import Project, cache_root, sdist
from bench.deadcode.seed import seeded_copy


def environment(project: Project) -> Path:
    """The project's test environment, made on first use."""
    folder = cache_root() / "deadcode-venvs" / f"{project.name}-{project.version}"
    python = folder / "bin" / "python"
    if not (folder / ".ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        venv.create(folder, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        f"{project.name}=={project.version}", *project.test_deps], check=True)
        (folder / ".ready").touch()
    return python


def outcomes(python: Path, tree: Path, project: Project) -> tuple[int, dict[str, str]]:
    """Run the suite in ``tree``: its exit code and every test's outcome (from JUnit XML)."""
    env = dict(os.environ, PYTHONPATH=str(tree / project.pythonpath), PYTHONDONTWRITEBYTECODE="1")
    report = tree.parent / f"{tree.name}-junit.xml"
    result = subprocess.run(
        [str(python), "-m", "pytest", *project.tests, "-o", "addopts=", "-p", "no:randomly",
         f"--junitxml={report}"],
        cwd=tree, env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    found = {test.replace(str(tree), "<copy>"): outcome
             for test, outcome in _junit_outcomes(report).items()}
    summary = result.stdout.strip().splitlines()[-1:] or ["(no output)"]
    print(f"  {tree.name}: exit {result.returncode}, {summary[0]}")
    return result.returncode, found


def _junit_outcomes(report: Path) -> dict[str, str]:
    """``class::name`` -> passed, failure, error or skipped, for every test case."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.parse(report).getroot()
    except (OSError, ElementTree.ParseError):
        return {}
    found = {}
    for case in root.iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        found[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    return found


def check_suites(projects: list[Project]) -> int:
    """Run every seeded project's suite on both copies; 1 when any outcome differs."""
    failed = 0
    for project in projects:
        if not project.seed:
            continue
        print(f"{project.label}:")
        python = environment(project)
        with tempfile.TemporaryDirectory(prefix="agentrails-suites-") as work:
            published = Path(work) / "published"
            shutil.copytree(sdist(project), published, ignore=shutil.ignore_patterns(".unpacked"))
            seeds, _ = seeded_copy(sdist(project), Path(work) / "seeded", project.packages,
                                   project.name)
            before = outcomes(python, published, project)
            after = outcomes(python, Path(work) / "seeded", project)
        same = before == after and before[1]
        print(f"  {len(seeds)} items seeded; {len(before[1])} tests; "
              f"{'same outcome for every test' if same else 'OUTCOMES DIFFER'}")
        if not same:
            failed += 1
            for test in sorted(set(before[1]) | set(after[1])):
                if before[1].get(test) != after[1].get(test):
                    print(f"    {test}: {before[1].get(test)} -> {after[1].get(test)}")
    print(f"python {sys.version.split()[0]}")
    return 1 if failed else 0
