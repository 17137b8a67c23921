"""``agentrails check``: configuration, selection, the run, and the report."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

from agentrails.checks.common.git import resolve_base
from agentrails.engine.config import ConfigError, Settings, load_file, load_settings
from agentrails.engine.findings import Finding
from agentrails.engine.output import FORMATS, render_statistics
from agentrails.engine.posix import shown
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.runner import run_check
from agentrails.engine.selection import SelectionError, configured_selection

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


class UsageError(Exception):
    """Bad arguments or configuration: reported on stderr with exit code 2."""


def run(args: argparse.Namespace) -> int:
    """Run the check; exit 0 clean, 1 findings, 2 usage or configuration error."""
    try:
        settings, selected = prepare(args)
    except UsageError as error:
        return _error(str(error))
    try:
        result = run_check(
            settings, load_families(), selected, args.paths, use_cache=not args.no_cache,
            jobs=args.jobs, diff_base=args.diff_base,
        )
    except ConfigError as error:  # raised by a rule reading a configured file (whitelist)
        return _error(str(error))
    findings = result.findings
    if args.format == "text":
        findings = relative_to_cwd(findings, settings.root)
    problem = emit(render(args, findings, result.files), args.output)
    if problem:
        return _error(problem)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


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
    if args.diff_base is not None and resolve_base(root, args.diff_base) is None:
        raise UsageError(f"--diff-base: {args.diff_base!r} is not a commit in {root}")
    return settings, selected


def _require(paths: list[Path], ok: Callable[[Path], bool], problem: str) -> None:
    bad = [str(path) for path in paths if not ok(path)]
    if bad:
        raise UsageError(f"{problem}: {', '.join(bad)}")


def _selected(args: argparse.Namespace, settings: Settings) -> frozenset[str]:
    """``--select`` replaces the configured selection; ``--ignore`` adds to the configured one."""
    return configured_selection(settings, args.select, args.ignore or [])


def relative_to_cwd(findings: list[Finding], root: Path) -> list[Finding]:
    """Text output names files relative to the current directory, as ruff does, so that
    `agentrails check sub/project` prints paths that open as they are; the machine formats
    (json, github, sarif) stay relative to the project root."""
    root, cwd = root.resolve(), Path.cwd().resolve()
    if root == cwd:
        return findings
    return [dataclasses.replace(f, path=shown(f.path, root, cwd)) for f in findings]


def render(args: argparse.Namespace, findings: list[Finding], files: int) -> str:
    """The report in the chosen format; ``--statistics`` replaces text findings with counts
    and goes to stderr for the machine-readable formats."""
    rules = all_rules()
    report = FORMATS[args.format](findings, rules, files)
    if args.statistics and args.format == "text":
        return render_statistics(findings, rules) + report.splitlines(keepends=True)[-1]
    if args.statistics:
        sys.stderr.write(render_statistics(findings, rules))
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
