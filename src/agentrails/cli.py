"""Command-line interface: argument parsing only; the work happens in the engine."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from agentrails import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The ``agentrails`` parser with its subcommands."""
    parser = argparse.ArgumentParser(
        prog="agentrails", description="Checks that keep an AI-native repository healthy."
    )
    parser.add_argument("--version", action="version", version=f"agentrails {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser("check", help="run the rules on files or the whole project")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    check.add_argument("--select", type=_codes, help="codes or prefixes to run, comma-separated")
    check.add_argument("--ignore", type=_codes, help="codes or prefixes to skip, comma-separated")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    check.add_argument("--output", type=Path, help="write the report to this file")
    check.add_argument("--statistics", action="store_true", help="count findings by code")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument("--config", type=Path, help="use this configuration file")
    check.add_argument("--jobs", type=_positive, help="worker processes (default: one per core)")
    check.add_argument("--diff-base", metavar="REF", help="git ref for diff rules (AR503, AR704)")
    check.add_argument("--no-baseline", action="store_true",
                       help="report baselined findings too (ignore the baseline file)")
    check.add_argument("--add-noqa", action="store_true",
                       help="write a noqa directive for every reported finding, then stop")
    check.set_defaults(handler="agentrails.commands.check:run")

    _baseline_command(commands)

    rule = commands.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", help="a rule code such as AR201")
    rule.set_defaults(handler="agentrails.commands.docs:run_rule")

    rules = commands.add_parser("rules", help="list every rule with its summary")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler="agentrails.commands.docs:run_rules")
    _context_commands(commands)
    _github_commands(commands)
    return parser


def _baseline_command(commands: argparse._SubParsersAction) -> None:
    """``baseline``: accepted debt for adopting on existing code (a ratchet)."""
    baseline = commands.add_parser(
        "baseline", help="record current findings as accepted debt; later, only shrink it"
    )
    mode = baseline.add_mutually_exclusive_group()
    mode.add_argument("--prune", action="store_true",
                      help="drop entries that match nothing (the default when the file exists)")
    mode.add_argument("--update", action="store_true",
                      help="rewrite the baseline from today's findings, adding new ones")
    baseline.add_argument("--config", type=Path, help="use this configuration file")
    baseline.add_argument("--no-cache", action="store_true",
                          help="neither read nor write the cache")
    baseline.add_argument("--jobs", type=_positive, help="worker processes (default: one per core)")
    baseline.set_defaults(handler="agentrails.commands.baseline:run")


def _context_commands(commands: argparse._SubParsersAction) -> None:
    """``handoff``, ``sessions``, ``migration``, ``sync-context`` and ``hook``."""
    handoff = commands.add_parser("handoff", help="session handoffs")
    handoff_new = handoff.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = handoff_new.add_parser("new", help="create handoffs/YYYY-MM-DD-HHMM-SLUG.md")
    new.add_argument("slug", help="lowercase words joined by hyphens")
    new.set_defaults(handler="agentrails.commands.handoff:run")

    sessions = commands.add_parser("sessions", help="check or rewrite the SESSIONS.md index")
    sessions.add_argument("--write", action="store_true", help="rewrite SESSIONS.md")
    sessions.set_defaults(handler="agentrails.commands.sessions:run")

    migration = commands.add_parser("migration", help="migration plans")
    migration_new = migration.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = migration_new.add_parser("new", help="create migrations/YYYY-MM-DD-SLUG.md")
    new.add_argument("slug", help="lowercase words joined by hyphens")
    new.set_defaults(handler="agentrails.commands.migration:run")

    package = commands.add_parser("package", help="monorepo packages")
    package_new = package.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = package_new.add_parser(
        "new", help="create packages/NAME/ with its AGENTS.md and a configuration extending "
                    "the repository's (never overwrites)")
    new.add_argument("name", help="the folder name: lowercase letters, digits, '-' or '_'")
    new.set_defaults(handler="agentrails.commands.package:run")

    sync = commands.add_parser("sync-context", help="check or regenerate instruction shims")
    sync.add_argument("--write", action="store_true", help="rewrite the shims")
    sync.set_defaults(handler="agentrails.commands.sync_context:run")

    hook = commands.add_parser("hook", help="run an agent hook (reads its JSON on stdin)")
    hook.add_argument("name", help="guard-paths or stop-gate")
    hook.set_defaults(handler="agentrails.commands.hook:run")
    _report_commands(commands)


def _report_commands(commands: argparse._SubParsersAction) -> None:
    """``report`` (health snapshot and delta) and ``sanitize`` (defang untrusted text)."""
    report = commands.add_parser("report", help="health snapshot, and its change since another")
    report.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    report.add_argument("--compare", type=Path, metavar="OLD.json", help="an earlier JSON report")
    report.add_argument("--format", choices=("json", "markdown"), default="json")
    report.add_argument("--output", type=Path, help="write the report to this file")
    report.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    report.add_argument("--config", type=Path, help="use this configuration file")
    report.add_argument("--jobs", type=_positive, help="worker processes (default: one per core)")
    report.set_defaults(handler="agentrails.commands.report:run")

    sanitize = commands.add_parser("sanitize", help="make untrusted text safe to post or hand on")
    sanitize.add_argument("file", nargs="?", default="-", help="a file, or - for stdin (default)")
    sanitize.add_argument("--max-chars", type=int, default=20_000, help="bound (default 20000)")
    sanitize.add_argument("--no-fence", action="store_true", help="no code fence around it")
    sanitize.add_argument("--tail", action="store_true", help="keep the end when cutting (logs)")
    sanitize.set_defaults(handler="agentrails.commands.sanitize:run")


def _github_commands(commands: argparse._SubParsersAction) -> None:
    """``protect``, ``promote`` and ``fleet`` (GitHub's REST API; token from GH_TOKEN or
    GITHUB_TOKEN)."""
    repo_help = "default: $GITHUB_REPOSITORY, else the origin remote"
    protect = commands.add_parser("protect", help="apply .github/rulesets/*.json on GitHub")
    protect.add_argument("--repo", metavar="OWNER/NAME", help=repo_help)
    protect.add_argument("--dry-run", action="store_true", help="say what would change only")
    protect.add_argument("--check", action="store_true", help="exit 1 if GitHub differs (drift)")
    protect.set_defaults(handler="agentrails.commands.protect:run")

    promote = commands.add_parser("promote", help="fast-forward production to a green staging SHA")
    promote.add_argument("--repo", metavar="OWNER/NAME", help=repo_help)
    promote.add_argument("--from", dest="source", metavar="BRANCH",
                         help="default: the staging ruleset's branch, else main")
    promote.add_argument("--to", dest="target", metavar="BRANCH",
                         help="default: the production ruleset's branch, else production")
    promote.add_argument("--sha", help="a commit of --from to promote (default: its head)")
    promote.add_argument("--dry-run", action="store_true", help="check everything, move nothing")
    promote.set_defaults(handler="agentrails.commands.promote:run")

    fleet = commands.add_parser("fleet", help="where an owner's repositories made from the "
                                "template stand (release, update PR, gate, ruleset drift)")
    fleet.add_argument("--owner", required=True, metavar="ORG", help="a user or organisation")
    fleet.add_argument("--topic", metavar="T", help="only repositories with this topic")
    fleet.add_argument("--template", metavar="URL",
                       help="the template's source (default: "
                            "https://github.com/agentrails/agentrails)")
    fleet.add_argument("--format", choices=("markdown", "json"), default="markdown")
    fleet.add_argument("--output", type=Path, help="write the report to this file")
    fleet.set_defaults(handler="agentrails.commands.fleet:run")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if os.environ.get("AGENTRAILS_START_METHOD"):
        from agentrails.engine.pool import start_method_problem

        problem = start_method_problem()
        if problem:
            print(f"agentrails: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    module_name, _, function_name = args.handler.partition(":")
    module = __import__(module_name, fromlist=[function_name])
    collecting = gc.isenabled()
    # A run is short and builds many objects but few reference cycles: the cyclic
    # collector's passes cost 10-15% of the CPU time and free almost nothing.
    gc.disable()
    try:
        return getattr(module, function_name)(args)
    except KeyboardInterrupt:
        print("agentrails: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as error:  # noqa: BLE001 - a bug of ours must still end in a clear message
        if os.environ.get("AGENTRAILS_DEBUG"):
            raise
        print(f"agentrails: internal error: {type(error).__name__}: {error}\n"
              "Set AGENTRAILS_DEBUG=1 to see where, and please report it.", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if collecting:
            gc.enable()
