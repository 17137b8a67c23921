"""Rule families, found through the ``agentrails.families`` entry-point group."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from agentrails.checks.base import Family, Rule

ENTRY_POINT_GROUP = "agentrails.families"


@cache
def load_families() -> tuple[Family, ...]:
    """Every installed family, in entry-point name order (plugins may add their own)."""
    found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    families = tuple(ep.load() for ep in found)
    codes: dict[str, str] = {}
    for family in families:
        for rule in family.rules:
            if rule.code in codes:
                owners = f"{codes[rule.code]} and {family.name}"
                raise RuntimeError(f"rule {rule.code} defined by {owners}")
            codes[rule.code] = family.name
    return families


def all_rules() -> dict[str, type[Rule]]:
    """Every rule by code, sorted by code."""
    rules = {rule.code: rule for family in load_families() for rule in family.rules}
    return dict(sorted(rules.items()))
