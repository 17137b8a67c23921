"""``agentrails check``: configuration, selection, the run, and the report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from agentrails.checks.common.git import resolve_base
from agentrails.engine import profile
from agentrails.engine.baseline.verdict import Verdict, judge
from agentrails.engine.cache.store import memo_folder
from agentrails.engine.config.selected import configured_selection
from agentrails.engine.config.settings import (
    TOP_LEVEL,
    ConfigError,
    Settings,
    load_file,
    load_settings,
)
from agentrails.engine.findings import Finding
from agentrails.engine.output.formats import FORMATS, render_statistics
from agentrails.engine.posix import shown
from agentrails.engine.protocol import Rule
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.engine.selection import SelectionError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _error(message: str) -> int:
    print(f"agentrails: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def load(args: argparse.Namespace) -> Settings:
    """Settings from ``--config`` or the nearest configuration above the first path."""
    families = load_families()
    profile.mark("families")
    if args.config is not None:
        return load_file(args.config, families)
    start = args.paths[0] if args.paths else Path.cwd()
    start = start if start.is_dir() else start.parent
    return load_settings(start, families)


class UsageError(Exception):
    """Bad arguments or configuration: reported on stderr with exit code 2."""


def run(args: argparse.Namespace) -> int:
    """Run the check; exit 0 clean, 1 findings, 2 usage or configuration error."""
    try:
        settings, selected = prepare(args)
    except UsageError as error:
        return _error(str(error))
    profile.mark("config")
    rules = all_rules()
    try:
        result = run_check(
            settings, load_families(), selected, args.paths, use_cache=not args.no_cache,
            jobs=args.jobs, diff_base=args.diff_base,
        )
        memo = None if args.no_cache else memo_folder(settings.cache_dir())
        verdict = judge(settings, result, rules, selected, args.paths,
                        use_baseline=not args.no_baseline, memo=memo)
        profile.mark("baseline/verdict")
    except ConfigError as error:  # a rule reading a configured file (whitelist), the baseline
        return _error(str(error))
    if args.add_noqa:
        return _add_noqa(settings.root, verdict, rules)
    shown_verdict = relative_to_cwd(verdict, settings.root) if args.format == "text" else verdict
    problem = emit(render(args, shown_verdict), args.output)
    profile.mark("output")
    if problem:
        return _error(problem)
    return EXIT_FINDINGS if verdict.errors else EXIT_CLEAN


def _add_noqa(root: Path, verdict: Verdict, rules: Mapping[str, type[Rule]]) -> int:
    """Write suppressions for every reported finding; exit 0 when all were placed."""
    from agentrails.engine.baseline.add_noqa import add_noqa

    edits = add_noqa(root, verdict.reported, rules)
    for problem in edits.problems:
        print(f"agentrails: {problem}", file=sys.stderr)
    print(f"Added {edits.added} noqa directive(s) in {edits.files} file(s).")
    return EXIT_FINDINGS if edits.problems else EXIT_CLEAN


def prepare(args: argparse.Namespace) -> tuple[Settings, frozenset[str]]:
    """Validated settings and the selected codes, or a UsageError naming what is wrong."""
    _require(args.paths, lambda p: p.exists() or p.is_symlink(), "no such file or directory")
    try:
        settings = load(args)
        selected = _selected(args, settings)
    except (ConfigError, SelectionError) as error:
        raise UsageError(str(error)) from None
    root = settings.root
    _require(args.paths, lambda p: _inside(p, root), f"outside the project at {root}")
    if not getattr(args, "no_cache", False):
        _require_cache_dir(settings)
    if args.diff_base is not None and resolve_base(root, args.diff_base) is None:
        raise UsageError(f"--diff-base: {args.diff_base!r} is not a commit in {root}")
    return settings, selected


def _require_cache_dir(settings: Settings) -> None:
    """A configured ``cache-dir`` must be a folder agentrails can create: a mistyped one
    would silently cost every run its cache. (The default may be unwritable, in a
    read-only checkout: the run then goes without a cache.)"""
    configured = settings.top["cache-dir"]
    if configured == TOP_LEVEL["cache-dir"].default:
        return
    folder = settings.cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        where = settings.source or settings.root
        raise UsageError(f"{where}: cache-dir {configured!r}: cannot create {folder}: "
                         f"{error.strerror or error}") from None


def _require(paths: list[Path], ok: Callable[[Path], bool], problem: str) -> None:
    bad = [str(path) for path in paths if not ok(path)]
    if bad:
        raise UsageError(f"{problem}: {', '.join(bad)}")


def _selected(args: argparse.Namespace, settings: Settings) -> frozenset[str]:
    """``--select`` replaces the configured selection; ``--ignore`` adds to the configured one."""
    return configured_selection(settings, args.select, args.ignore or [])


def relative_to_cwd(verdict: Verdict, root: Path) -> Verdict:
    """Text output names files relative to the current directory, as ruff does, so that
    `agentrails check sub/project` prints paths that open as they are; the machine formats
    (json, github, sarif) stay relative to the project root."""
    root, cwd = root.resolve(), Path.cwd().resolve()
    if root == cwd:
        return verdict

    def moved(findings: list[Finding]) -> list[Finding]:
        return [f.replace(path=shown(f.path, root, cwd)) for f in findings]

    worse = {f.replace(path=shown(f.path, root, cwd)): value for f, value in verdict.worse.items()}
    return verdict.replace(errors=moved(verdict.errors), warnings=moved(verdict.warnings),
                           worse=worse)


def render(args: argparse.Namespace, verdict: Verdict) -> str:
    """The report in the chosen format; ``--statistics`` replaces text findings with counts
    and goes to stderr for the machine-readable formats."""
    rules = all_rules()
    report = FORMATS[args.format](verdict, rules)
    if args.statistics and args.format == "text":
        counts = render_statistics(verdict.reported, rules)
        return counts + report.splitlines(keepends=True)[-1]
    if args.statistics:
        sys.stderr.write(render_statistics(verdict.reported, rules))
    return report


def emit(report: str, output: Path | None) -> str | None:
    """Write the report to ``output`` or stdout; return what went wrong instead of raising."""
    if output is None:
        sys.stdout.write(encodable(report, getattr(sys.stdout, "encoding", None) or "utf-8"))
        return None
    try:
        output.write_text(encodable(report, "utf-8"), encoding="utf-8")
    except OSError as error:
        return f"cannot write {output}: {error.strerror or error}"
    return None


def encodable(text: str, encoding: str) -> str:
    """``text`` with what ``encoding`` cannot hold (a file name's undecodable bytes) escaped."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        return text
    return text


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
