"""From a repository's ``.claude/settings.json`` to the settings file the sandbox runtime
(``srt``, npm ``@anthropic-ai/sandbox-runtime``) takes: what Claude Code hands the runtime
when it runs a Bash command in that repository.

What Claude Code does, and so what this does:

- ``sandbox.enabled`` not true: no sandbox at all (``None``).
- Writes: the project folder and Claude Code's temporary folder, plus
  ``sandbox.filesystem.allowWrite`` and the paths of ``Edit(...)`` allow rules; minus
  ``sandbox.filesystem.denyWrite`` and the paths of ``Edit(...)`` deny rules.
- Reads: everything, minus ``sandbox.filesystem.denyRead`` and the paths of ``Read(...)``
  deny rules, plus ``sandbox.filesystem.allowRead``.
- Network: ``sandbox.network.allowedDomains`` and the domains of ``WebFetch(domain:...)``
  allow rules; ``deniedDomains``; the socket and binding switches as they are.
- Paths: ``~/`` is the home folder, ``//`` the file system's root, ``./`` and a bare name
  the project. A single leading ``/`` meant the settings file's folder in some Claude Code
  versions and the file system's root in others, so it is refused here rather than
  guessed. A trailing ``/**`` is kept: the runtime reads it as the folder itself.
- ``sandbox.excludedCommands``: those commands run outside the sandbox (``excluded``).

The runtime itself adds the paths it always keeps read-only (``.git/hooks``, ``.git/config``,
shell start-up files, ...), so they are not listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CLAUDE_TMP = "/tmp/claude"
"""Where Claude Code's sandbox points ``TMPDIR``; the runtime keeps it writable."""
_RULE = re.compile(r"^\s*(Edit|Read|WebFetch)\((.*)\)\s*$", re.S)


class PolicyError(ValueError):
    """A setting this translation cannot render faithfully."""


def srt_settings(settings: Mapping[str, Any], root: Path, home: Path) -> dict[str, Any] | None:
    """The runtime's settings for ``settings`` of the project at ``root``; None when the
    sandbox is off."""
    sandbox = settings.get("sandbox") or {}
    if sandbox.get("enabled") is not True:
        return None
    rules = _permission_rules(settings.get("permissions") or {})
    files = sandbox.get("filesystem") or {}
    resolve = _Resolver(root, home)
    policy: dict[str, Any] = {
        "filesystem": {
            "allowWrite": [str(root), CLAUDE_TMP, *resolve.all(
                [*files.get("allowWrite", []), *rules[("allow", "Edit")]])],
            "denyWrite": resolve.all([*files.get("denyWrite", []), *rules[("deny", "Edit")]]),
            "denyRead": resolve.all([*files.get("denyRead", []), *rules[("deny", "Read")]]),
            "allowRead": resolve.all(files.get("allowRead", [])),
        },
        "network": _network(sandbox.get("network") or {}, rules[("allow", "WebFetch")]),
    }
    if sandbox.get("enableWeakerNestedSandbox") is True:
        policy["enableWeakerNestedSandbox"] = True
    return policy


def _network(network: Mapping[str, Any], fetches: Iterable[str]) -> dict[str, Any]:
    domains = [spec.removeprefix("domain:") for spec in fetches if spec.startswith("domain:")]
    found: dict[str, Any] = {
        "allowedDomains": list(dict.fromkeys([*network.get("allowedDomains", []), *domains])),
        "deniedDomains": list(network.get("deniedDomains", [])),
    }
    for key in ("allowUnixSockets", "allowAllUnixSockets", "allowLocalBinding"):
        if key in network:
            found[key] = network[key]
    return found


def _permission_rules(permissions: Mapping[str, Any]) -> dict[tuple[str, str], list[str]]:
    """The specifiers of Edit, Read and WebFetch rules, by (list, tool)."""
    found: dict[tuple[str, str], list[str]] = {
        (bucket, tool): [] for bucket in ("allow", "deny") for tool in ("Edit", "Read", "WebFetch")
    }
    for bucket in ("allow", "deny"):
        for rule in permissions.get(bucket, []):
            match = _RULE.match(rule)
            if match:
                found[(bucket, match[1])].append(match[2].strip())
    return found


class _Resolver:
    """Claude Code's path prefixes, made absolute."""

    def __init__(self, root: Path, home: Path):
        self.root, self.home = root, home

    def all(self, entries: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(self.one(entry) for entry in entries))

    def one(self, entry: str) -> str:
        text = entry.strip()
        if text.startswith("//"):
            return "/" + text.lstrip("/")
        if text.startswith("/"):
            raise PolicyError(f"{entry!r}: a single leading '/' means different folders in "
                              "different Claude Code versions; write './' or '//'")
        if text == "~" or text.startswith("~/"):
            return str(self.home / text[2:]) if text != "~" else str(self.home)
        return str(self.root / text.removeprefix("./")) if text not in (".", "./") else str(
            self.root)


def excluded(command: str, settings: Mapping[str, Any]) -> bool:
    """Whether Claude Code runs ``command`` outside the sandbox: it starts with an
    ``excludedCommands`` entry (``docker``, ``docker compose:*``) as a whole word."""
    patterns = (settings.get("sandbox") or {}).get("excludedCommands", [])
    text = command.strip()
    for pattern in patterns:
        prefix = pattern.removesuffix(":*").removesuffix(" *").strip()
        if text == prefix or text.startswith(prefix + " "):
            return True
    return False
