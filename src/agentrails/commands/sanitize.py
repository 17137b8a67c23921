"""``agentrails sanitize [FILE|-]``: print untrusted text made safe to post or hand to an agent."""

from __future__ import annotations

import argparse
import sys

from agentrails.commands.common import EXIT_CLEAN
from agentrails.errors import UsageError
from agentrails.sanitize import MIN_MAX_CHARS, sanitize


def read_input(name: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``."""
    if name == "-":
        return sys.stdin.buffer.read()
    with open(name, "rb") as handle:
        return handle.read()


def run(args: argparse.Namespace) -> int:
    """Read, sanitize and print as UTF-8; exit 2 on a bad bound or an unreadable input."""
    if args.max_chars < MIN_MAX_CHARS:
        raise UsageError(f"--max-chars must be at least {MIN_MAX_CHARS}, got {args.max_chars}")
    try:
        data = read_input(args.file)
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from None
    text = data.decode("utf-8", errors="replace")
    keep = "tail" if args.tail else "head"
    result = sanitize(text, args.max_chars, fence=not args.no_fence, keep=keep)
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(result)
    else:
        sys.stdout.flush()
        stream.write(result.encode("utf-8"))
        stream.flush()
    return EXIT_CLEAN
