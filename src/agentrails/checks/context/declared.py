"""What a project declares it depends on: the requirements of pyproject.toml (runtime,
optional extras, PEP 735 dependency groups) and the hook repositories of
.pre-commit-config.yaml, each with the line that names it."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

from agentrails.checks.context.stack_table import canonical_name
from agentrails.engine.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_REQUIREMENT = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_REPO_AFFIXES = lazy(r"^(?:mirrors-|pre-commit-)|(?:-pre-commit|-mirror)$")


class Declared(namedtuple("Declared", ("name", "aliases", "line", "where"))):
    """One dependency: its name as written, the names it may be listed under, where."""

    __slots__ = ()
    name: str
    aliases: frozenset[str]
    line: int
    where: str


def from_pyproject(text: str) -> Iterator[Declared]:
    """Requirements of ``[project]`` (dependencies, optional-dependencies) and of
    ``[dependency-groups]``; an unreadable file declares nothing (other rules own it)."""
    import tomllib  # read only where RULES.md has a tool-stack table

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    lines = text.splitlines()
    own = _table(data, "project").get("name")
    itself = canonical_name(own) if isinstance(own, str) else None
    for where, value in _requirements(data):
        match = _REQUIREMENT.match(value)
        # `app[test]` in an extra of app itself names other extras, not a dependency.
        if match and canonical_name(match.group(1)) != itself:
            name = match.group(1)
            yield Declared(name, frozenset({canonical_name(name)}), _line_of(lines, value), where)


def _requirements(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(table, requirement string) of every requirement list pyproject.toml may hold."""
    project = _table(data, "project")
    groups = [("project.dependencies", project.get("dependencies"))]
    for table, key in ((project, "optional-dependencies"), (data, "dependency-groups")):
        groups += [(f"{key}.{name}", values) for name, values in _table(table, key).items()]
    for where, values in groups:
        if isinstance(values, list):
            yield from ((where, value) for value in values if isinstance(value, str))


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    found = data.get(key)
    return found if isinstance(found, dict) else {}


def from_pre_commit(text: str) -> Iterator[Declared]:
    """Each hook repository (not ``local`` or ``meta``), listed by its name, its name
    without ``mirrors-``/``-pre-commit`` affixes, or any of its hook ids."""
    import yaml  # read only where RULES.md has a tool-stack table

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    lines = text.splitlines()
    for url, ids in _repositories(data):
        name = url.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
        aliases = {name, _REPO_AFFIXES.sub("", name), *ids}
        yield Declared(name, frozenset(canonical_name(a) for a in aliases if a),
                       _line_of(lines, url), "pre-commit repos")


def _repositories(data: Any) -> Iterator[tuple[str, set[str]]]:
    """(repository URL, hook ids) of every remote hook repository."""
    repos = data.get("repos") if isinstance(data, dict) else None
    for repo in repos if isinstance(repos, list) else ():
        url = repo.get("repo") if isinstance(repo, dict) else None
        if isinstance(url, str) and url not in ("local", "meta"):
            hooks = repo.get("hooks") if isinstance(repo.get("hooks"), list) else []
            yield url, {hook["id"] for hook in hooks if _has_id(hook)}


def _has_id(hook: Any) -> bool:
    return isinstance(hook, dict) and isinstance(hook.get("id"), str)


def _line_of(lines: list[str], text: str) -> int:
    """The first line holding ``text`` (1-based), else 1."""
    for number, line in enumerate(lines, start=1):
        if text in line:
            return number
    return 1
