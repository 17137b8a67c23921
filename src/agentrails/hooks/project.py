"""The project a command or hook works on: its root and validated configuration."""

from __future__ import annotations

import sys
from pathlib import Path

from agentrails.engine.config.settings import ConfigError, Settings, load_settings
from agentrails.engine.registry import load_families

EXIT_USAGE = 2


def load_project(start: Path | None = None) -> Settings | None:
    """Settings governing ``start`` (default: the working directory), or None after printing
    the configuration error."""
    try:
        return load_settings(start or Path.cwd(), load_families())
    except ConfigError as error:
        print(f"agentrails: error: {error}", file=sys.stderr)
        return None


def fail(message: str) -> int:
    """Print an error and return the usage exit code."""
    print(f"agentrails: error: {message}", file=sys.stderr)
    return EXIT_USAGE
