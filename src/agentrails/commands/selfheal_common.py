"""What the ``agentrails self-heal`` actions share: the event file, step outputs, the job
summary, the repository and the clock."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentrails.github.client import client_from_env
from agentrails.github.errors import ConfigError
from agentrails.github.repository import resolve_repo
from agentrails.selfheal.issues import Repository

EXIT_DONE, EXIT_USAGE = 0, 2
MAX_EVENT_BYTES = 5_000_000


def say(message: str) -> None:
    print(f"agentrails self-heal: {message}")


def warn(message: str) -> None:
    print(f"::warning title=self-heal::{message}", file=sys.stderr)


def error(message: str) -> int:
    print(f"agentrails self-heal: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def read_event(path: str | None) -> dict[str, Any]:
    """The workflow's event: ``--event``, else ``GITHUB_EVENT_PATH``."""
    name = path or os.environ.get("GITHUB_EVENT_PATH", "")
    if not name:
        raise ConfigError("no event: pass --event FILE or set GITHUB_EVENT_PATH")
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_EVENT_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"cannot read the event {name}: {error.strerror or error}") from None
    if len(raw) > MAX_EVENT_BYTES:
        raise ConfigError(f"the event {name} is larger than {MAX_EVENT_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ConfigError(f"the event {name} is not JSON") from None
    if not isinstance(data, dict):
        raise ConfigError(f"the event {name} is not a JSON object")
    return data


def set_outputs(values: Mapping[str, str]) -> None:
    """Step outputs (``GITHUB_OUTPUT``), when run in a workflow; values are our own words
    and numbers, one line each."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            handle.write(f"{name}={value}\n")


def summarize(lines: list[str]) -> None:
    """Add lines to the job summary, when run in a workflow."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target and lines:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write("\n".join(f"- {line}" for line in lines) + "\n")


def repository(args: argparse.Namespace) -> Repository:
    return Repository(client_from_env(), resolve_repo(args.repo, os.environ, Path.cwd()))


def server_url() -> str:
    return os.environ.get("GITHUB_SERVER_URL", "").strip().rstrip("/") or "https://github.com"


def now() -> datetime:
    """The clock of the intake (tests replace it)."""
    return datetime.now(UTC)
