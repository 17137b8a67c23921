"""The labels: for each project, every finding any tool made, judged true or false.

``labels/<project>.toml`` maps ``path:line:name`` (see ``tools.key``) to ``dead`` (true
when the code can be deleted without changing behaviour for the project or its documented
API) and a one-line ``reason``. The files are written sorted, one label a line, so a new
label is a one-line diff.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bench.deadcode.projects import HERE, Project

FOLDER = HERE / "labels"


@dataclass(frozen=True)
class Label:
    """One judged finding."""

    dead: bool
    reason: str


def path_of(project: Project) -> Path:
    """``labels/<name>.toml``."""
    return FOLDER / f"{project.name}.toml"


def load(project: Project) -> dict[str, Label]:
    """Every label of ``project`` (none when the file does not exist yet)."""
    path = path_of(project)
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: Label(bool(value["dead"]), str(value["reason"]))
            for key, value in data.get("labels", {}).items()}


def save(project: Project, labels: dict[str, Label]) -> None:
    """Write ``labels`` sorted by path, line and name."""
    lines = [
        f"# Dead-code findings on {project.label} (sdist), judged by reading the code: dead =",
        "# true only if the code can be deleted without changing behaviour for the project or",
        "# its documented API. Keys are path:line:name (bench/deadcode/tools.py, key).",
        "",
        "[labels]",
    ]
    for key in sorted(labels, key=_order):
        label = labels[key]
        value = "true" if label.dead else "false"
        reason = json.dumps(label.reason)
        lines.append(f"{json.dumps(key)} = {{ dead = {value}, reason = {reason} }}")
    path_of(project).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _order(key: str) -> tuple[str, int, str]:
    path, line, name = key.rsplit(":", 2)
    return path, int(line), name
