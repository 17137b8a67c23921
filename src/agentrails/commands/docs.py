"""``agentrails rule CODE`` and ``agentrails rules``."""

from __future__ import annotations

import argparse
import json

from agentrails.commands.common import EXIT_CLEAN
from agentrails.engine.protocol import Rule
from agentrails.engine.registry import all_rules
from agentrails.errors import UsageError


def run_rule(args: argparse.Namespace) -> int:
    """Print one rule's documentation; exit 2 for an unknown code."""
    rules = all_rules()
    code = args.code.upper()
    if code not in rules:
        raise UsageError(f"unknown rule {args.code!r} (see `agentrails rules`)")
    rule = rules[code]
    print(f"{code}: {rule.summary}{_marks(rule, ' ')}\n\n{rule.documentation()}")
    return EXIT_CLEAN


def run_rules(args: argparse.Namespace) -> int:
    """List every rule: code and summary."""
    rules = all_rules()
    if args.format == "json":
        rows = [{"code": c, "summary": r.summary, "opt_in": r.opt_in,
                 "warn_by_default": r.warn_by_default} for c, r in rules.items()]
        print(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    for code, rule in rules.items():
        print(f"{code}  {rule.summary}{_marks(rule, '  ')}")
    return EXIT_CLEAN


def _marks(rule: type[Rule], gap: str) -> str:
    """`` (opt-in)``, `` (warn mode in this release)``: how a rule runs by default."""
    marks = [("opt-in", rule.opt_in), ("warn mode in this release", rule.warn_by_default)]
    return "".join(f"{gap}({text})" for text, on in marks if on)
