"""The rules a configuration selects: its ``select``/``ignore``, the command line's, and the
opt-in rules its settings switch on."""

from __future__ import annotations

from collections.abc import Iterable

from agentrails.engine.config.settings import Settings
from agentrails.engine.registry import all_rules
from agentrails.engine.selection import select_rules


def enabled_opt_in(settings: Settings) -> set[str]:
    """Opt-in rules that configuration switches on (a floor set turns on AR202)."""
    complexity = settings.families.get("complexity", {})
    return {"AR202"} if complexity.get("min-maintainability") is not None else set()


def configured_selection(
    settings: Settings, select: list[str] | None = None, ignore: Iterable[str] = ()
) -> frozenset[str]:
    """The codes a run checks: ``select`` replaces the configured selection, ``ignore`` adds
    to the configured one. Raises SelectionError for a selector that names no rule."""
    chosen = select if select is not None else settings.top["select"]
    skipped = settings.top["ignore"] + list(ignore)
    return select_rules(all_rules(), chosen, skipped, enabled_opt_in(settings))
