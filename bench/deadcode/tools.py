"""Run agentrails, vulture and skylos on one tree and read their findings alike.

Every finding becomes a ``Found``: the tool, the path below the tree, the line, the kind and
the name (``unreachable`` for unreachable code). The tools report one definition at
different lines (vulture a decorated function at its first decorator, skylos a name of a
multi-line import at its own line), so ``key`` moves each finding to one canonical line: a
definition's ``def``/``class`` line, an import's first line. Labels are kept by that key,
``path:line:name``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TOOLS = ("agentrails", "agentrails 0.2.0", "vulture", "vulture 80%", "skylos")
"""The columns of the table: agentrails with its defaults, agentrails 0.2.0 with its
defaults (vulture's answer at 80% plus its smart ignores), vulture at 60% (what its default
of 0 reports too) and at 80%, skylos 5.1.2 with its defaults (confidence 60)."""

_VULTURE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+) \((?P<confidence>\d+)% confidence"
)
_UNUSED = re.compile(r"^unused (?P<kind>\w+) '(?P<name>[^']+)'")
SKYLOS_LISTS = {
    "unused_functions": "function", "unused_imports": "import", "unused_classes": "class",
    "unused_variables": "variable", "unused_parameters": "parameter",
}


@dataclass(frozen=True, order=True)
class Found:
    """One finding of one tool, at the tool's own line."""

    path: str
    line: int
    name: str
    kind: str
    confidence: int = 0


def parse_message(message: str) -> tuple[str, str]:
    """(kind, name) of a vulture-style message; unreachable code is named ``unreachable``."""
    match = _UNUSED.match(message)
    if match:
        return match["kind"], match["name"]
    return "unreachable", "unreachable"


def run_agentrails(tree: Path, source: Path | None = None) -> list[Found]:
    """``agentrails check --select AR301,AR302`` with the defaults; ``source`` is the
    ``src`` folder of another agentrails to run (0.2.0's, see ``released_source``)."""
    command = [sys.executable, "-m", "agentrails", "check", "--no-cache", "--no-baseline",
               "--format", "json", "--select", "AR301,AR302"]
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, env=env,
                            timeout=600, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"agentrails failed in {tree}: {result.stderr.strip()}")
    found = []
    for item in json.loads(result.stdout):
        kind, name = parse_message(item["message"])
        found.append(Found(item["path"], item["line"], name, kind, int(item.get("value") or 0)))
    return found


def released_source(repository: Path, release: str, into: Path) -> Path:
    """The ``src`` folder of agentrails ``release`` (the commit whose subject is
    ``Release <release>:``), exported from this repository's history into ``into``."""
    commits = subprocess.run(
        ["git", "-C", str(repository), "log", "--format=%H", f"--grep=^Release {release}:"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    if not commits:
        raise SystemExit(f"no commit 'Release {release}:' in {repository}")
    archive = subprocess.run(
        ["git", "-C", str(repository), "archive", commits[-1], "src"],
        capture_output=True, check=True,
    ).stdout
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_vulture(tree: Path, floor: int = 60) -> list[Found]:
    """``vulture . --min-confidence floor``."""
    result = subprocess.run(
        [sys.executable, "-m", "vulture", ".", "--min-confidence", str(floor)],
        cwd=tree, capture_output=True, text=True, timeout=600, check=False,
    )
    if result.returncode not in (0, 3):
        raise SystemExit(f"vulture failed in {tree}: {result.stderr.strip()}")
    found = []
    for line in result.stdout.splitlines():
        match = _VULTURE.match(line)
        if match is None:
            continue
        kind, name = parse_message(match["message"])
        found.append(Found(match["path"], int(match["line"]), name, kind,
                           int(match["confidence"])))
    return found


def skylos_command() -> str | None:
    """The skylos executable: ``$SKYLOS``, else ``skylos`` on PATH."""
    return os.environ.get("SKYLOS") or shutil.which("skylos")


def run_skylos(tree: Path, executable: str) -> list[Found]:
    """``skylos . --json`` with its defaults (nothing uploaded)."""
    result = subprocess.run(
        [executable, ".", "--json", "--no-upload"], cwd=tree, capture_output=True, text=True,
        timeout=900, check=False,
    )
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"skylos printed no JSON in {tree}: {result.stderr[-500:]}") from None
    found = []
    root = str(tree.resolve())
    for key, kind in SKYLOS_LISTS.items():
        for item in data.get(key, []):
            path = os.path.relpath(item["file"], root).replace(os.sep, "/")
            name = item.get("simple_name") or item["name"].rsplit(".", 1)[-1]
            found.append(Found(path, int(item["line"]), name, kind,
                               int(item.get("confidence") or 0)))
    return found


def key(tree: Path, found: Found) -> str:
    """``path:line:name`` with the line moved to the definition's canonical line."""
    if found.kind == "unreachable":
        return f"{found.path}:{found.line}:unreachable"
    line = _anchors(str(tree / found.path)).get((found.line, found.name), found.line)
    return f"{found.path}:{line}:{found.name}"


@cache
def _anchors(path: str) -> dict[tuple[int, str], int]:
    """(reported line, name) -> canonical line, for every line a tool may report a
    definition at: a decorator's or an import alias's line."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    moved: dict[tuple[int, str], int] = {}
    for node in ast.walk(tree):
        for line, name in _reported_lines(node):
            moved[(line, name)] = node.lineno
    return moved


def _reported_lines(node: ast.AST) -> list[tuple[int, str]]:
    """(line, name) a tool may report the definition ``node`` starts at ``node.lineno``."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        first = min((d.lineno for d in node.decorator_list), default=node.lineno)
        return [(line, node.name) for line in range(first, node.lineno)]
    if isinstance(node, ast.Import | ast.ImportFrom):
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        return [(line, alias.asname or alias.name.partition(".")[0])
                for alias in node.names for line in lines]
    return []
