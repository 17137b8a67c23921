"""vulture's whole-program join: every file's definitions against every file's uses.

Cheap by design: a union of per-file name sets, then one membership test per definition.
This is the answer of ``smart-ignores = false`` (vulture's, item for item) and, with the
smart ignores of agentrails 0.2.0 (``LEGACY``), the answer that release gave, which the
phase-in of the scope-aware analysis compares against
(``agentrails.checks.deadcode.program.phasein``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from agentrails.checks.deadcode.facts import Cached, Definition, definitions, may_report
from agentrails.checks.deadcode.vulture import smart
from agentrails.checks.deadcode.vulture.bundled import BUNDLED_WHITELISTS
from agentrails.checks.deadcode.vulture.names import matches
from agentrails.engine.config.settings import ConfigError
from agentrails.engine.facts import FileFacts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FAMILY_NAME = "dead-code"
VULTURE, LEGACY = "vulture", "0.2.0"
"""The two answers this module gives: vulture's, and agentrails 0.2.0's (vulture's with the
smart ignores of that release)."""


def modules(facts: Mapping[str, FileFacts]) -> dict[str, Cached]:
    """The dead-code facts of every Python module among ``facts``."""
    found = {}
    for path, file_facts in facts.items():
        module = file_facts.families.get(FAMILY_NAME)
        if isinstance(module, tuple) and len(module) == len(Cached._fields):
            found[path] = Cached._make(module)
    return found


def used_names(found: Mapping[str, Cached], options: Mapping[str, Any], root: str,
               *, answer: str = VULTURE) -> set[str]:
    """Every name the project uses, vulture's whitelists included, and for the ``LEGACY``
    answer the names 0.2.0's smart ignores counted as used."""
    used: set[str] = set().union(*(module.used for module in found.values()))
    imports: set[str] = set().union(*(module.imports for module in found.values()))
    for path in options["whitelist"]:
        whitelist = whitelist_facts(root, path, found)
        used.update(whitelist.used)
        imports.update(whitelist.imports)
    ignore_names = options["ignore-names"]
    for module_name, names in BUNDLED_WHITELISTS.items():
        if module_name in imports and not matches(module_name, ignore_names):
            used |= names
    if answer == LEGACY:
        used.update(*(module.exported for module in found.values()))
        used |= smart.entry_point_names(root)
    return used


def whitelist_facts(root: str, path: str, found: Mapping[str, Cached]) -> Cached:
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
    return Cached._make(analyse_module(tree, relative, decode(data)).cached())


def unused(found: Mapping[str, Cached], used: set[str], options: Mapping[str, Any],
           *, answer: str = VULTURE) -> Iterator[tuple[str, Definition]]:
    """(path, definition) for every unused definition at or above ``min-confidence``."""
    for path, module in found.items():
        yield from ((path, item) for item in unused_in(module, used, options, answer=answer))


def unused_in(module: Cached, used: set[str], options: Mapping[str, Any],
              *, answer: str = VULTURE) -> Iterator[Definition]:
    """The unused definitions of one module at or above ``min-confidence``."""
    floor = options["min-confidence"]
    if not module.complete or not may_report(module, used, floor):
        return
    settings = {"ignore_names": options["ignore-names"],
                "ignore_decorators": options["ignore-decorators"], "legacy": answer == LEGACY}
    for item in definitions(module):  # unpacked only where some name is unused
        if item.name not in used and _reported(item, floor, **settings):
            yield item


def _reported(item: Definition, floor: int, *, ignore_names: list[str],
              ignore_decorators: list[str], legacy: bool) -> bool:
    """An unused definition passes the confidence floor and no ignore hides it."""
    if item.confidence < floor or (ignore_names and matches(item.name, ignore_names)):
        return False
    decorators = item.decorators
    if decorators and ignore_decorators and decorated(decorators, ignore_decorators):
        return False
    return not (legacy and _smartly_ignored(item))


def _smartly_ignored(item: Definition) -> bool:
    """Flagged while collecting (pytest, record fields) or under a framework decorator."""
    return bool(item.flags) or decorated(item.decorators, smart.FRAMEWORK_DECORATORS)


def decorated(decorators: tuple[str, ...], patterns: list[str] | tuple[str, ...]) -> bool:
    """Any decorator matches any pattern."""
    return any(matches(name, patterns) for name in decorators)
