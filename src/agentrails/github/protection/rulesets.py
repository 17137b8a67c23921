"""Rulesets as code: the request bodies in ``.github/rulesets/*.json`` of a project."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentrails.github.errors import ConfigError
from agentrails.github.validate import body_errors

RULESETS_DIR = Path(".github") / "rulesets"
HEADS = "refs/heads/"


@dataclass(frozen=True)
class RulesetFile:
    """One ruleset file: where it is and the body it holds (valid against our schema)."""

    path: Path
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.body["name"])


def find_rulesets_dir(start: Path) -> Path | None:
    """``.github/rulesets`` of ``start`` or of the nearest folder above it that has one."""
    for folder in (start, *start.parents):
        candidate = folder / RULESETS_DIR
        if candidate.is_dir():
            return candidate
    return None


def read_ruleset(path: Path) -> RulesetFile:
    """One file, parsed and checked against the strict schema; ``ConfigError`` if it is not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from None
    return parse_ruleset(text, path)


def parse_ruleset(text: str, path: Path) -> RulesetFile:
    """The ruleset file ``path`` holding ``text``, checked against the strict schema;
    ``ConfigError`` if it is not one (also for files read from GitHub by the fleet view)."""
    try:
        body = json.loads(text)
    except ValueError as error:
        raise ConfigError(f"{path}: not valid JSON ({error})") from None
    problems = body_errors("ruleset", body)
    if problems:
        listed = "\n  ".join(problems)
        raise ConfigError(f"{path}: not a ruleset agentrails can apply:\n  {listed}")
    return RulesetFile(path, body)


def load_rulesets(folder: Path) -> list[RulesetFile]:
    """Every ``*.json`` of ``folder``, in name order, each with a distinct ruleset name."""
    files = [read_ruleset(path) for path in sorted(folder.glob("*.json"))]
    if not files:
        raise ConfigError(f"{folder}: no *.json ruleset files")
    return unique_rulesets(files)


def unique_rulesets(files: list[RulesetFile]) -> list[RulesetFile]:
    """``files``, or ``ConfigError`` when two of them name the same ruleset."""
    seen: dict[str, Path] = {}
    for item in files:
        if item.name in seen:
            raise ConfigError(f"{item.path} and {seen[item.name]} both name the ruleset "
                              f"{item.name!r}; names must be unique")
        seen[item.name] = item.path
    return files


def branches_of(body: dict[str, Any]) -> list[str]:
    """The exact branch names a branch ruleset includes (patterns and ``~`` tokens left out)."""
    if body.get("target", "branch") != "branch":
        return []
    conditions = body.get("conditions")
    ref_name = conditions.get("ref_name") if isinstance(conditions, dict) else None
    include = ref_name.get("include") if isinstance(ref_name, dict) else None
    if not isinstance(include, list):
        return []
    return [ref[len(HEADS):] for ref in include if isinstance(ref, str)
            and ref.startswith(HEADS) and not any(char in ref for char in "*?[")]


def default_branches(start: Path) -> tuple[str, str]:
    """(staging, production) from the rulesets named ``staging`` and ``production`` of the
    project around ``start``; ``main`` and ``production`` where they say nothing."""
    found = {"staging": "main", "production": "production"}
    folder = find_rulesets_dir(start)
    if folder is None:
        return found["staging"], found["production"]
    for path in sorted(folder.glob("*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        name = body.get("name") if isinstance(body, dict) else None
        branches = branches_of(body) if name in found else []
        if len(branches) == 1:
            found[str(name)] = branches[0]
    return found["staging"], found["production"]
