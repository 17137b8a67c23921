"""Running the checks for a hook: the findings that fail the gate on some files, or the
one-line reason they could not be checked, and the report an agent reads."""

from __future__ import annotations

from collections.abc import Container, Sequence
from pathlib import Path

from agentrails.engine.baseline.verdict import Verdict, judge
from agentrails.engine.cache.store import memo_folder
from agentrails.engine.config.selected import configured_selection
from agentrails.engine.config.settings import ConfigError, Settings
from agentrails.engine.output.formats import FORMATS
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.engine.selection import SelectionError

MAX_SHOWN = 40


def file_level_codes() -> frozenset[str]:
    """The rules that judge a file from its own content alone (no other file, no history)."""
    return frozenset(code for code, rule in all_rules().items() if not rule.is_project_rule())


def failing(settings: Settings, given: Sequence[Path],
            only: Container[str] | None = None) -> Verdict | str:
    """The verdict of the configured rules (those in ``only`` when given) on ``given`` (the
    whole project when empty), or why the checks could not run."""
    rules = all_rules()
    try:
        selected = configured_selection(settings)
    except SelectionError as error:
        return f"the agentrails configuration is invalid: {error}"
    if only is not None:
        selected = frozenset(code for code in selected if code in only)
    try:
        result = run_check(settings, load_families(), selected, given)
        return judge(settings, result, rules, selected, given,
                     memo=memo_folder(settings.cache_dir()))
    except ConfigError as error:
        return f"the agentrails configuration is invalid: {error}"


def report(verdict: Verdict, command: str) -> str:
    """The failing findings as ``agentrails check`` prints them, at most ``MAX_SHOWN``."""
    shown = Verdict(errors=verdict.errors[:MAX_SHOWN], files=verdict.files, worse=verdict.worse)
    text = FORMATS["text"](shown, all_rules())
    more = len(verdict.errors) - len(shown.errors)
    return text + (f"... and {more} more (run `{command} check`)\n" if more > 0 else "")
