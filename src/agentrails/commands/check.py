"""``agentrails check``: configuration, selection, the run, and the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agentrails.checks import all_rules, load_families
from agentrails.checks.selection import SelectionError, select_rules
from agentrails.config import ConfigError, Settings, load_file, load_settings
from agentrails.engine.output import FORMATS, render_statistics
from agentrails.engine.runner import run_check

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _error(message: str) -> int:
    print(f"agentrails: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def load(args: argparse.Namespace) -> Settings:
    """Settings from ``--config`` or the nearest configuration above the first path."""
    families = load_families()
    if args.config is not None:
        return load_file(args.config, families)
    start = args.paths[0] if args.paths else Path.cwd()
    start = start if start.is_dir() else start.parent
    return load_settings(start, families)


def enabled_opt_in(settings: Settings) -> set[str]:
    """Opt-in rules that configuration switches on (a floor set turns on AR202)."""
    complexity = settings.families.get("complexity", {})
    return {"AR202"} if complexity.get("min-maintainability") is not None else set()


def run(args: argparse.Namespace) -> int:
    """Run the check; exit 0 clean, 1 findings, 2 usage or configuration error."""
    missing = [str(p) for p in args.paths if not p.exists() and not p.is_symlink()]
    if missing:
        return _error(f"no such file or directory: {', '.join(missing)}")
    try:
        settings = load(args)
    except ConfigError as error:
        return _error(str(error))
    rules = all_rules()
    select = args.select if args.select is not None else settings.top["select"]
    ignore = settings.top["ignore"] + (args.ignore or [])
    try:
        selected = select_rules(rules, select, ignore, enabled_opt_in(settings))
    except SelectionError as error:
        return _error(str(error))
    outside = [str(p) for p in args.paths if not _inside(p, settings.root)]
    if outside:
        return _error(f"outside the project at {settings.root}: {', '.join(outside)}")
    result = run_check(
        settings, load_families(), selected, args.paths, use_cache=not args.no_cache, jobs=args.jobs
    )
    report = FORMATS[args.format](result.findings, rules, result.files)
    if args.statistics and args.format == "text":
        report = render_statistics(result.findings, rules) + report.splitlines(keepends=True)[-1]
    elif args.statistics:
        sys.stderr.write(render_statistics(result.findings, rules))
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
