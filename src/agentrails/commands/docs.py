"""``agentrails rule CODE`` and ``agentrails rules``."""

from __future__ import annotations

import argparse
import json
import sys

from agentrails.engine.registry import all_rules


def run_rule(args: argparse.Namespace) -> int:
    """Print one rule's documentation; exit 2 for an unknown code."""
    rules = all_rules()
    code = args.code.upper()
    if code not in rules:
        print(f"agentrails: unknown rule {args.code!r} (see `agentrails rules`)", file=sys.stderr)
        return 2
    rule = rules[code]
    opt_in = " (opt-in)" if rule.opt_in else ""
    print(f"{code}: {rule.summary}{opt_in}\n\n{rule.documentation()}")
    return 0


def run_rules(args: argparse.Namespace) -> int:
    """List every rule: code and summary."""
    rules = all_rules()
    if args.format == "json":
        rows = [{"code": c, "summary": r.summary, "opt_in": r.opt_in} for c, r in rules.items()]
        print(json.dumps(rows, indent=2))
        return 0
    for code, rule in rules.items():
        print(f"{code}  {rule.summary}{'  (opt-in)' if rule.opt_in else ''}")
    return 0
