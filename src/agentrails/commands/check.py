"""``agentrails check``: configuration, selection, the run, and the report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from agentrails.checks.common.git import resolve_base
from agentrails.commands.common import EXIT_CLEAN, EXIT_FINDINGS, emit
from agentrails.engine import profile
from agentrails.engine.baseline.verdict import Verdict, judge
from agentrails.engine.cache.store import memo_folder
from agentrails.engine.config.selected import configured_selection
from agentrails.engine.config.settings import TOP_LEVEL, Settings, load_file, load_settings
from agentrails.engine.findings import Finding
from agentrails.engine.output.formats import FORMATS, render_statistics
from agentrails.engine.posix import shown
from agentrails.engine.protocol import Rule
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.errors import UsageError


def load(paths: Sequence[Path], *, config: Path | None) -> Settings:
    """Settings from ``config`` or the nearest configuration above the first path."""
    families = load_families()
    profile.mark("families")
    if config is not None:
        return load_file(config, families)
    start = paths[0] if paths else Path.cwd()
    start = start if start.is_dir() else start.parent
    return load_settings(start, families)


def run(args: argparse.Namespace) -> int:
    """Run the check; exit 0 clean, 1 findings, 2 usage or configuration error."""
    settings, selected = prepare(args.paths, config=args.config, select=args.select,
                                 ignore=args.ignore, diff_base=args.diff_base,
                                 no_cache=args.no_cache)
    profile.mark("config")
    rules = all_rules()
    result = run_check(
        settings, load_families(), selected, given=args.paths, use_cache=not args.no_cache,
        jobs=args.jobs, diff_base=args.diff_base,
    )
    memo = None if args.no_cache else memo_folder(settings.cache_dir())
    verdict = judge(settings, result, rules, selected=selected, given=args.paths,
                    use_baseline=not args.no_baseline, memo=memo)
    profile.mark("baseline/verdict")
    if args.add_noqa:
        return _add_noqa(settings.root, verdict, rules)
    shown_verdict = relative_to_cwd(verdict, settings.root) if args.format == "text" else verdict
    emit(render(args, shown_verdict), args.output)
    profile.mark("output")
    return EXIT_FINDINGS if verdict.errors else EXIT_CLEAN


def _add_noqa(root: Path, verdict: Verdict, rules: Mapping[str, type[Rule]]) -> int:
    """Write suppressions for every reported finding; exit 0 when all were placed."""
    from agentrails.engine.baseline.add_noqa import add_noqa

    edits = add_noqa(root, verdict.reported, rules)
    for problem in edits.problems:
        print(f"agentrails: {problem}", file=sys.stderr)
    print(f"Added {edits.added} noqa directive(s) in {edits.files} file(s).")
    return EXIT_FINDINGS if edits.problems else EXIT_CLEAN


def prepare(
    paths: Sequence[Path], *, config: Path | None, select: list[str] | None = None,
    ignore: list[str] | None = None, diff_base: str | None = None, no_cache: bool = False,
) -> tuple[Settings, frozenset[str]]:
    """Validated settings and the selected codes for a run on ``paths`` (the project when
    empty): ``config`` names the configuration file (else the nearest one is used),
    ``select`` replaces the configured selection and ``ignore`` adds to it; ``diff_base``
    must be a commit; a configured cache folder must be one agentrails can create, unless
    the run goes without the cache (``no_cache``). Raises UsageError or ConfigError naming
    what is wrong."""
    _require(paths, lambda p: p.exists() or p.is_symlink(), "no such file or directory")
    settings = load(paths, config=config)
    selected = configured_selection(settings, select, ignore or [])
    root = settings.root
    _require(paths, lambda p: _inside(p, root), f"outside the project at {root}")
    if not no_cache:
        _require_cache_dir(settings)
    if diff_base is not None and resolve_base(root, diff_base) is None:
        raise UsageError(f"--diff-base: {diff_base!r} is not a commit in {root}")
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


def _require(paths: Sequence[Path], ok: Callable[[Path], bool], problem: str) -> None:
    bad = [str(path) for path in paths if not ok(path)]
    if bad:
        raise UsageError(f"{problem}: {', '.join(bad)}")


def relative_to_cwd(verdict: Verdict, root: Path) -> Verdict:
    """Text output names files relative to the current directory, as ruff does, so that
    `agentrails check sub/project` prints paths that open as they are; the machine formats
    (json, github, sarif) stay relative to the project root."""
    root, cwd = root.resolve(), Path.cwd().resolve()
    if root == cwd:
        return verdict

    def moved(findings: Sequence[Finding]) -> list[Finding]:
        return [f.replace(path=shown(f.path, root, cwd)) for f in findings]

    worse = {f.replace(path=shown(f.path, root, cwd)): value for f, value in verdict.worse.items()}
    return verdict._replace(errors=moved(verdict.errors), warnings=moved(verdict.warnings),
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


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
