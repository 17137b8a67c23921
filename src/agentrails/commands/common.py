"""What every command shares: the exit codes, the one way an error reaches the user, the
project a command works on, and writing a report to a file or stdout.

A command returns ``EXIT_CLEAN`` or ``EXIT_FINDINGS`` and raises an
``agentrails.errors.AgentrailsError`` for anything else; ``failed`` (called by the CLI
only) prints it and picks its exit code.
"""

from __future__ import annotations

import sys

from agentrails.errors import AgentrailsError, GitHubError, Refused

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from agentrails.engine.config.settings import Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
"""Nothing found (or done); findings, drift, a stale file or a refusal; a usage,
configuration or GitHub error."""


def print_error(message: str, details: tuple[str, ...] = ()) -> None:
    """``agentrails: error: MESSAGE`` on stderr, each detail on a line of its own below."""
    lines = [f"agentrails: error: {message}", *(f"  - {detail}" for detail in details)]
    print("\n".join(lines), file=sys.stderr)


def exit_code(error: AgentrailsError) -> int:
    """The exit code of an error: 1 for a refusal (the repository fails a gate), 2 for
    everything else (usage, configuration, GitHub, hook input)."""
    return EXIT_FINDINGS if isinstance(error, Refused) else EXIT_USAGE


def failed(error: AgentrailsError) -> int:
    """Report ``error`` and return its exit code."""
    print_error(str(error), error.details)
    return exit_code(error)


def project_settings(start: Path | None = None) -> Settings:
    """The validated settings governing ``start`` (default: the working directory); raises
    ConfigError."""
    from pathlib import Path

    from agentrails.engine.config.settings import load_settings
    from agentrails.engine.registry import load_families

    return load_settings(start or Path.cwd(), load_families())


def emit(report: str, output: Path | None) -> None:
    """Write ``report`` to ``output``, else to stdout; raises UsageError when the file
    cannot be written."""
    if output is None:
        sys.stdout.write(encodable(report, getattr(sys.stdout, "encoding", None) or "utf-8"))
        return
    from agentrails.errors import UsageError

    try:
        output.write_text(encodable(report, "utf-8"), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def encodable(text: str, encoding: str) -> str:
    """``text`` with what ``encoding`` cannot hold (a file name's undecodable bytes) escaped."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        return text
    return text


class github_answers:  # noqa: N801 - used as a context manager, like contextlib's
    """Turn an answer of a shape agentrails does not know (a missing key, a wrong type or
    value) into a GitHubError that says so. (A class, not ``contextlib.contextmanager``: a warm
    check imports this module and has no other use for contextlib.)"""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 _trace: object) -> bool:
        if isinstance(error, KeyError | TypeError | AttributeError | ValueError):
            raise GitHubError("GitHub answered in a shape agentrails does not know "
                              f"({type(error).__name__}: {error})") from None
        return False
