"""Command-line interface: argument parsing only; the work happens in the engine."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from agentrails import __version__
from agentrails.engine import profile

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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``agentrails`` parser with its subcommands (just ``only``'s, when it names one:
    a run parses the arguments of one command and need not build the others)."""
    parser = argparse.ArgumentParser(
        prog="agentrails", description="Checks that keep an AI-native repository healthy."
    )
    parser.add_argument("--version", action="version", version=f"agentrails {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for names, add in COMMANDS:
        if only is None or only in names:
            add(commands)
    return parser


def _check_command(commands: argparse._SubParsersAction) -> None:
    """``check``: the rules on files or the whole project."""
    check = commands.add_parser("check", help="run the rules on files or the whole project")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    check.add_argument("--select", type=_codes, help="codes or prefixes to run, comma-separated")
    check.add_argument("--ignore", type=_codes, help="codes or prefixes to skip, comma-separated")
    check.add_argument("--format", "--output-format", choices=("text", "json", "github", "sarif"),
                       default="text", help="report format (--output-format as in ruff)")
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


def _docs_commands(commands: argparse._SubParsersAction) -> None:
    """``rule`` and ``rules``: the rules' documentation."""
    rule = commands.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code", help="a rule code such as AR201")
    rule.set_defaults(handler="agentrails.commands.docs:run_rule")

    rules = commands.add_parser("rules", help="list every rule with its summary")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler="agentrails.commands.docs:run_rules")


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
    baseline.add_argument("paths", nargs="*", type=Path,
                          help="only these files or directories (default: the whole project)")
    baseline.add_argument("--accept-worse", action="store_true",
                          help="with --update: also accept findings worse than their entry")
    baseline.add_argument("--config", type=Path, help="use this configuration file")
    baseline.add_argument("--no-cache", action="store_true",
                          help="neither read nor write the cache")
    baseline.add_argument("--jobs", type=_positive, help="worker processes (default: one per core)")
    baseline.set_defaults(handler="agentrails.commands.baseline:run")


def _context_commands(commands: argparse._SubParsersAction) -> None:
    """``handoff``, ``sessions``, ``migration``, ``package``, ``sync-context`` and ``hook``."""
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
    new.add_argument("--owner", help="its code owner (@user, @org/team or an e-mail; default: "
                                     "the `*` owner in CODEOWNERS)")
    new.set_defaults(handler="agentrails.commands.package:run")

    sync = commands.add_parser("sync-context", help="check or regenerate instruction shims")
    sync.add_argument("--write", action="store_true", help="rewrite the shims")
    sync.set_defaults(handler="agentrails.commands.sync_context:run")

    hook = commands.add_parser("hook", help="run an agent hook (reads its JSON on stdin)")
    hook.add_argument(
        "name", help="check-edit, guard-paths, session-start or stop-gate")
    hook.set_defaults(handler="agentrails.commands.hook:run")


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
    report.add_argument("--self-heal", action="store_true",
                        help="count the self-heal loop on GitHub (GH_TOKEN, GITHUB_REPOSITORY)")
    report.add_argument("--self-heal-days", type=_positive, default=90, metavar="DAYS",
                        help="the loop's window in days (default: 90)")
    report.add_argument("--repo", metavar="OWNER/NAME",
                        help="with --self-heal: default $GITHUB_REPOSITORY, else origin")
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


def _self_heal_commands(commands: argparse._SubParsersAction) -> None:
    """``self-heal ACTION``: the steps of the self-heal workflows (docs/observability.md of a
    generated repository)."""
    heal = commands.add_parser("self-heal", help="the self-heal loop's workflow steps")
    actions = heal.add_subparsers(dest="action", metavar="ACTION", required=True)
    repo = argparse.ArgumentParser(add_help=False)
    repo.add_argument("--repo", metavar="OWNER/NAME",
                      help="default: $GITHUB_REPOSITORY, else the origin remote")
    event = argparse.ArgumentParser(add_help=False)
    event.add_argument("--event", metavar="FILE", help="default: $GITHUB_EVENT_PATH")
    start = argparse.ArgumentParser(add_help=False)
    start.add_argument("--agent-workflow", metavar="FILE",
                       help="start this workflow (workflow_dispatch) on a new issue")
    start.add_argument("--ref", default="main", help="the branch it runs on (default: main)")
    issue = argparse.ArgumentParser(add_help=False)
    issue.add_argument("--issue", type=_positive, metavar="N", help="the issue number")

    intake = actions.add_parser("intake", parents=[repo, event, start],
                                help="a production-error dispatch becomes an issue")
    intake.add_argument("--max-issues-per-hour", type=_positive, default=3)
    intake.add_argument("--max-comments-per-hour", type=_positive, default=4)
    intake.add_argument("--link-host", action="append", metavar="HOST",
                        help="event links to this host stay clickable (default: sentry.io)")
    actions.add_parser("announce", parents=[repo, start, issue],
                       help="start the agent on a new issue and notify the team")
    trust = actions.add_parser("trust", parents=[repo, event, issue],
                               help="may the agent work on the issue? (step outputs)")
    trust.add_argument("--event-name", help="default: $GITHUB_EVENT_NAME")
    prompt = actions.add_parser("prompt", parents=[repo, issue],
                                help="the agent's task, from the sanitized issue")
    prompt.add_argument("--base", default="main", help="the staging branch (default: main)")
    prompt.add_argument("--branch", help="the agent's branch (default: self-heal/issue-N)")
    prompt.add_argument("--cli", default="agentrails", help="how the project runs agentrails")
    prompt.add_argument("--output", type=Path, help="write it to this file")
    prompt.add_argument("--github-output", metavar="NAME", help="set it as this step output")
    propose = actions.add_parser("propose", parents=[repo, issue],
                                 help="the agent's commits become a pull request")
    propose.add_argument("--base", default="main", help="the staging branch (default: main)")
    propose.add_argument("--bundle-dir", type=Path, help="the agent job's artifact")
    propose.add_argument("--agent-result", default="", help="the agent job's result")
    propose.add_argument("--remote", help="push here (default: the repository on GitHub)")
    propose.add_argument("--max-files", type=_positive, default=20)
    forward = actions.add_parser("forward", help="serve the Sentry webhook forwarder")
    forward.add_argument("--host", default="0.0.0.0")
    forward.add_argument("--port", type=int, default=8080)
    for parser in actions.choices.values():
        parser.set_defaults(handler="agentrails.commands.selfheal:run")


COMMANDS: tuple[tuple[tuple[str, ...], Callable[[argparse._SubParsersAction], None]], ...] = (
    (("check",), _check_command),
    (("baseline",), _baseline_command),
    (("rule", "rules"), _docs_commands),
    (("handoff", "sessions", "migration", "package", "sync-context", "hook"), _context_commands),
    (("report", "sanitize"), _report_commands),
    (("protect", "promote", "fleet"), _github_commands),
    (("self-heal",), _self_heal_commands),
)
"""The subcommands in the order ``--help`` lists them, with what adds their parsers."""


def _chosen(argv: Sequence[str]) -> str | None:
    """The command the arguments start with, if they start with one."""
    if argv and any(argv[0] in names for names, _ in COMMANDS):
        return argv[0]
    return None


def _innermost(parser: argparse.ArgumentParser,
               args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub)command parser ``args`` came from, so an error shows that command's usage."""
    while True:
        chosen = [action for action in parser._actions
                  if isinstance(action, argparse._SubParsersAction)
                  and getattr(args, action.dest or "", None) in action.choices]
        if not chosen:
            return parser
        parser = chosen[0].choices[getattr(args, chosen[0].dest)]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_chosen(arguments))
    args, unknown = parser.parse_known_args(arguments)
    if unknown:
        _innermost(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    profile.mark("arguments")
    if os.environ.get("AGENTRAILS_START_METHOD"):
        from agentrails.engine.run.pool import start_method_problem

        problem = start_method_problem()
        if problem:
            print(f"agentrails: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    module_name, _, function_name = args.handler.partition(":")
    module = __import__(module_name, fromlist=[function_name])
    profile.mark("imports")
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
        profile.report()
