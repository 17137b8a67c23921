"""The whole-program join: every file's definitions against every file's uses.

Cheap by design: a union of per-file name sets, then one membership test per definition.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from agentrails.checks.deadcode import smart
from agentrails.checks.deadcode.bundled import BUNDLED_WHITELISTS
from agentrails.checks.deadcode.facts import (
    COMPLETE,
    CONFIDENCE,
    DECORATORS,
    EXPORTED,
    FLAGS,
    IMPORTS,
    NAME,
    USED,
    Definition,
    definitions,
    may_report,
)
from agentrails.checks.deadcode.names import matches
from agentrails.engine.config.settings import ConfigError
from agentrails.engine.facts import FileFacts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FAMILY_NAME = "dead-code"


Module = tuple
"""A module's dead-code facts, a plain tuple indexed by ``DEFINED``, ``USED`` ... (see
``agentrails.checks.deadcode.facts.DeadCodeFacts``)."""


def modules(facts: Mapping[str, FileFacts]) -> dict[str, Module]:
    """The dead-code facts of every Python module among ``facts``."""
    found = {}
    for path, file_facts in facts.items():
        module = file_facts.families.get(FAMILY_NAME)
        if isinstance(module, tuple):
            found[path] = module
    return found


def used_names(found: Mapping[str, Module], options: Mapping[str, Any],
               root: str) -> set[str]:
    """Every name the project uses, vulture's whitelists and the smart ignores included."""
    used: set[str] = set().union(*(module[USED] for module in found.values()))
    imports: set[str] = set().union(*(module[IMPORTS] for module in found.values()))
    for path in options["whitelist"]:
        whitelist = whitelist_facts(root, path, found)
        used.update(whitelist[USED])
        imports.update(whitelist[IMPORTS])
    ignore_names = options["ignore-names"]
    for module_name, names in BUNDLED_WHITELISTS.items():
        if module_name in imports and not matches(module_name, ignore_names):
            used |= names
    if options["smart-ignores"]:
        used.update(*(module[EXPORTED] for module in found.values()))
        used |= smart.entry_point_names(root)
    return used


def whitelist_facts(root: str, path: str, found: Mapping[str, Module]) -> Module:
    """A whitelist file's facts: from the run if it was checked, else read and parsed now."""
    from agentrails.checks.deadcode.collect import analyse_module
    from agentrails.engine.run.analyse import decode, parse_python

    relative = os.path.normpath(path).replace(os.sep, "/")
    if relative in found:
        return found[relative]
    try:
        data = (Path(root) / relative).read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(f"dead-code.whitelist: cannot read {path!r}: {reason}") from None
    tree, problem = parse_python(relative, data)
    if tree is None:
        reason = problem.message if problem else "no Python"
        raise ConfigError(f"dead-code.whitelist: {path!r} does not parse: {reason}")
    return analyse_module(tree, relative, decode(data)).cached()


def unused(facts: Mapping[str, FileFacts], options: Mapping[str, Any],
           root: str) -> Iterator[tuple[str, Definition]]:
    """(path, definition) for every unused definition at or above ``min-confidence``."""
    found = modules(facts)
    used = used_names(found, options, root)
    settings = (
        options["min-confidence"], options["ignore-names"], options["ignore-decorators"],
        options["smart-ignores"],
    )
    for path, module in found.items():
        if module[COMPLETE] and may_report(module, used, settings[0]):
            for item in definitions(module):  # unpacked only where some name is unused
                if item[NAME] not in used and _reported(item, *settings):
                    yield path, item


def _reported(item: Definition, floor: int, ignore_names: list[str],
              ignore_decorators: list[str], smart_ignores: bool) -> bool:
    """An unused definition passes the confidence floor and no ignore hides it."""
    if item[CONFIDENCE] < floor or (ignore_names and matches(item[NAME], ignore_names)):
        return False
    decorators = item[DECORATORS]
    if decorators and ignore_decorators and _decorated(decorators, ignore_decorators):
        return False
    return not (smart_ignores and _smartly_ignored(item))


def _smartly_ignored(item: Definition) -> bool:
    """Flagged while collecting (pytest, record fields) or under a framework decorator."""
    return bool(item[FLAGS]) or _decorated(item[DECORATORS], smart.FRAMEWORK_DECORATORS)


def _decorated(decorators: tuple[str, ...], patterns: list[str] | tuple[str, ...]) -> bool:
    return any(matches(name, patterns) for name in decorators)
