"""Rule families, found through the ``agentrails.families`` entry-point group."""

from __future__ import annotations

import importlib
from functools import cache, reduce

from agentrails.engine.cache import entry_points as registry_memo
from agentrails.engine.protocol import Family, Rule

ENTRY_POINT_GROUP = "agentrails.families"


@cache
def load_families() -> tuple[Family, ...]:
    """Every installed family, in entry-point name order (plugins may add their own)."""
    families = tuple(_load(value) for _, value in entry_points())
    codes: dict[str, str] = {}
    for family in families:
        for rule in family.rules:
            if rule.code in codes:
                owners = f"{codes[rule.code]} and {family.name}"
                raise RuntimeError(f"rule {rule.code} defined by {owners}")
            codes[rule.code] = family.name
    return families


def entry_points() -> list[tuple[str, str]]:
    """(name, "module:attribute") of every family, sorted by name; from the memo when true."""
    found = registry_memo.read(ENTRY_POINT_GROUP)
    if found is None:
        from importlib.metadata import entry_points as installed

        found = sorted((ep.name, ep.value) for ep in installed(group=ENTRY_POINT_GROUP))
        registry_memo.write(ENTRY_POINT_GROUP, found)
    return found


def _load(value: str) -> Family:
    """What an entry point names: ``module`` or ``module:attribute.path``."""
    module_name, _, attribute = value.partition(":")
    module = importlib.import_module(module_name.strip())
    return reduce(getattr, filter(None, attribute.strip().split(".")), module)


def all_rules() -> dict[str, type[Rule]]:
    """Every rule by code, sorted by code."""
    rules = {rule.code: rule for family in load_families() for rule in family.rules}
    return dict(sorted(rules.items()))
