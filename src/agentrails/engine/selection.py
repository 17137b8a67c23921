"""Which rules run: ``select``/``ignore`` prefixes in the ruff style, and per-file ignores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.engine.globs import GlobSet
from agentrails.engine.protocol import Rule


class SelectionError(ValueError):
    """A selector that names no rule."""


def _matches(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _check_selectors(selectors: Iterable[str], codes: Iterable[str], what: str) -> None:
    codes = list(codes)
    for selector in selectors:
        if not any(_matches(code, selector) for code in codes):
            raise SelectionError(f"{what}: {selector!r} matches no rule (see `agentrails rules`)")


def select_rules(
    rules: Mapping[str, type[Rule]],
    select: list[str] | None,
    ignore: list[str],
    enabled_opt_in: Iterable[str] = (),
) -> frozenset[str]:
    """Codes that run. Opt-in rules run only when selected by full code or enabled by config."""
    _check_selectors(select or [], rules, "select")
    _check_selectors(ignore, rules, "ignore")
    enabled = set(enabled_opt_in)
    return frozenset(
        code for code, rule in rules.items()
        if _picked(code, rule.opt_in, select, enabled) and not any_match(code, ignore)
    )


def any_match(code: str, selectors: Iterable[str]) -> bool:
    """True when a selector (a code, a prefix or ``ALL``) names ``code``."""
    return any(_matches(code, selector) for selector in selectors)


def _picked(code: str, opt_in: bool, select: list[str] | None, enabled: set[str]) -> bool:
    matched = select is None or any_match(code, select)
    if not opt_in:
        return matched
    return code in (select or ()) or (code in enabled and matched)


class PerFileIgnores:
    """``per-file-ignores``: glob -> codes (or prefixes) not reported for matching paths."""

    def __init__(self, table: Mapping[str, list[str]]):
        self._entries = [(GlobSet([glob]), tuple(codes)) for glob, codes in table.items()]

    def ignored(self, path: str, code: str) -> bool:
        """True when a matching glob lists this code or a prefix of it."""
        return any(
            globs.match(path) and any(_matches(code, selector) for selector in codes)
            for globs, codes in self._entries
        )
