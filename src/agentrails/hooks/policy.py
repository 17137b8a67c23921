"""What guard-paths protects, in a way the agent it guards cannot switch off.

The protected globs of the agentrails configuration are read twice: from the work tree and
from what is committed at ``HEAD``, and a path protected by either stays protected, so an
edited (uncommitted) configuration can only add protection. Added to them: the files that
configure agentrails (``agentrails.toml`` and ``.agentrails.toml`` at the root, and the files
an ``extend`` chain names), and the folders the OS sandbox keeps read-only
(``sandbox.filesystem.denyWrite`` of ``.claude/settings.json``, again from the work tree and
from ``HEAD``), so the hook explains early what the sandbox would stop. A committed change
to the configuration still changes the policy: that is a commit a person reviews, and the
sandbox does not read it. Each added glob records why it is protected, for the refusal.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path
from typing import Any

from agentrails.checks.agents.rules import DEFAULT_PROTECTED
from agentrails.checks.agents.sandbox import deny_folder
from agentrails.engine.config.settings import Settings
from agentrails.hooks.protected import LISTED, REASONS

CONFIG_GLOBS = ("/agentrails.toml", "/.agentrails.toml")
"""The project's own configuration files (with any file an ``extend`` chain names)."""
CONFIG_FILES = (".agentrails.toml", "agentrails.toml", "pyproject.toml")
CLAUDE_SETTINGS = ".claude/settings.json"
_GIT_TIMEOUT = 5


def guarded(settings: Settings) -> Settings:
    """``settings`` with the agents family's ``protected`` globs widened to the policy."""
    root = settings.root
    agents = dict(settings.families.get("agents", {}))
    committed = _committed(root)
    listed = list(agents.get("protected", ()))
    reasons = dict.fromkeys([*CONFIG_GLOBS, *_chain(settings)], "it configures agentrails")
    head_agents = _agents_table(committed)
    if head_agents is not None:
        reasons.update(dict.fromkeys(_committed_globs(head_agents),
                                     f"{LISTED} as committed at HEAD"))
        if head_agents.get("protect-accepted-migrations", True) is True:
            agents["protect-accepted-migrations"] = True
    for text in (_read(root / CLAUDE_SETTINGS), committed.get(CLAUDE_SETTINGS)):
        for glob in _sandbox_folders(text, str(root)):
            reasons.setdefault(glob, "kept read-only by the OS sandbox of .claude/settings.json")
    reasons = {glob: reason for glob, reason in reasons.items() if glob not in listed}
    agents["protected"] = [*listed, *reasons]
    agents[REASONS] = reasons
    families = {**settings.families, "agents": agents}
    return Settings(settings.root, settings.source, settings.top, families, settings.layers)


def _committed_globs(agents: dict[str, Any]) -> list[str]:
    """The protected globs of the agents table committed at ``HEAD`` (its default when it
    sets none)."""
    globs = agents.get("protected", DEFAULT_PROTECTED)
    return [glob for glob in globs if isinstance(glob, str)] if isinstance(globs, list) else []


def _chain(settings: Settings) -> list[str]:
    """The configuration files inside the project the settings were built from."""
    found = []
    for layer in settings.layers:
        try:
            relative = layer.resolve().relative_to(settings.root.resolve()).as_posix()
        except ValueError:
            continue
        if layer.name != "pyproject.toml":
            found.append(f"/{relative}")
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _committed(root: Path) -> dict[str, str]:
    """The configuration files and the Claude settings as committed at ``HEAD`` (none
    outside git or before the first commit), read with one ``git cat-file``."""
    names = [*CONFIG_FILES, CLAUDE_SETTINGS]
    request = "".join(f"HEAD:{name}\n" for name in names).encode()
    try:
        done = subprocess.run(["git", "cat-file", "--batch"], input=request, cwd=root,
                              capture_output=True, timeout=_GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    return _parse_batch(done.stdout, names)


def _parse_batch(output: bytes, names: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    position = 0
    for name in names:
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        found[name] = output[position:position + size].decode("utf-8", "replace")
        position += size + 1
    return found


def _agents_table(committed: dict[str, str]) -> dict[str, Any] | None:
    """The agents table of the configuration committed at ``HEAD`` (the same precedence as
    in the work tree), or None when there is none that can be read."""
    for name in CONFIG_FILES:
        text = committed.get(name)
        if text is None:
            continue
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        table = data.get("tool", {}).get("agentrails") if name == "pyproject.toml" else data
        if isinstance(table, dict):
            agents = table.get("agents", {})
            return agents if isinstance(agents, dict) else None
    return None


def _sandbox_folders(text: str | None, root: str) -> list[str]:
    """The project folders and files a settings file's sandbox keeps read-only, as globs."""
    if text is None:
        return []
    try:
        data = json.loads(text)
        entries = data["sandbox"]["filesystem"]["denyWrite"]
    except (ValueError, KeyError, TypeError):
        return []
    found = []
    for entry in entries if isinstance(entries, list) else []:
        folder = deny_folder(entry, root) if isinstance(entry, str) else None
        if folder:
            found += [f"/{folder}", f"/{folder}/**"]
    return found
