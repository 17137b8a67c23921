"""AR701: Claude Code's ``.claude/settings.json`` read for least privilege.

Facts keep each permission rule with its list and line; the judgement (which rules are too
broad, which do nothing, what is missing) happens in the rule, so it can change without a
cache flush."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator

from agentrails.checks.agents.sandbox import SandboxFacts, parse_sandbox
from agentrails.checks.common.paths import glob_set
from agentrails.engine.regex import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SHARED = ".claude/settings.json"
LOCAL = ".claude/settings.local.json"
SETTINGS_FILES = (SHARED, LOCAL)
BUCKETS = ("allow", "deny", "ask")
WIDE_MODES = ("bypassPermissions", "dontAsk")
_RULE = lazy(r"^\s*([A-Za-z0-9_*-]+)\s*(?:\((.*)\))?\s*$", re.S)
_STRING = lazy(r'"(?:[^"\\]|\\.)*"')
_EVERYTHING = ("", "*", "**", "**/*", ":*")
SECRET_SAMPLES = {
    ".env files": (".env", ".env.local", "config/.env"),
    "private keys": ("id_rsa", ".ssh/id_ed25519", "certs/server.key", "certs/server.pem"),
    "secrets": ("secrets/token", "config/secrets.json", "credentials.json"),
}
"""Paths a deny rule must cover, by kind: one match per kind is enough."""


class Permission(namedtuple("Permission", ("bucket", "rule", "line"))):
    """One permission rule: its list (allow, deny, ask), text and line."""

    __slots__ = ()
    bucket: str
    rule: str
    line: int


class SettingsFacts(namedtuple(
    "SettingsFacts",
    ("problems", "rules", "default_mode", "mode_line", "disable_bypass", "disable_line",
     "permissions_line", "sandbox"),
    defaults=((), (), None, 1, None, 1, 1, SandboxFacts(line=0)),
)):
    """What AR701 reads from a settings file; ``problems`` are (line, message) pairs for
    what could not be read; ``sandbox`` the sandbox block (``checks.agents.sandbox``)."""

    __slots__ = ()
    problems: tuple[tuple[int, str], ...]
    rules: tuple[Permission, ...]
    default_mode: str | None
    mode_line: int
    disable_bypass: Any
    disable_line: int
    permissions_line: int
    sandbox: SandboxFacts


def parse_settings(text: str) -> SettingsFacts:
    """The permission facts of a settings file's JSON text."""
    import json  # only analysing a settings file needs it

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return SettingsFacts(problems=((error.lineno, f"invalid JSON: {error.msg}"),))
    if not isinstance(data, dict):
        return SettingsFacts(problems=((1, "settings must be a JSON object"),))
    lines = _string_lines(text)
    sandbox = parse_sandbox(data, lambda value: _line(lines, value, consume=False))
    permissions = data.get("permissions", {})
    if not isinstance(permissions, dict):
        problem = (_line(lines, "permissions"), "permissions must be an object")
        return SettingsFacts(problems=(problem,), sandbox=sandbox)
    problems: list[tuple[int, str]] = []
    rules: list[Permission] = []
    for bucket in BUCKETS:
        entries = permissions.get(bucket, [])
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            message = f"permissions.{bucket} must be a list of strings"
            problems.append((_line(lines, bucket), message))
            continue
        rules.extend(Permission(bucket, entry, _line(lines, entry)) for entry in entries)
    mode = permissions.get("defaultMode")
    return SettingsFacts(
        problems=tuple(problems), rules=tuple(rules),
        default_mode=mode if isinstance(mode, str) else None,
        mode_line=_line(lines, "defaultMode", consume=False),
        disable_bypass=permissions.get("disableBypassPermissionsMode"),
        disable_line=_line(lines, "disableBypassPermissionsMode", consume=False),
        permissions_line=_line(lines, "permissions", consume=False),
        sandbox=sandbox,
    )


def _string_lines(text: str) -> dict[str, list[int]]:
    """Each JSON string's value -> the lines it appears on, in order."""
    import json

    found: dict[str, list[int]] = {}
    for match in _STRING.finditer(text):
        try:
            value = json.loads(match.group())
        except json.JSONDecodeError:
            continue
        found.setdefault(value, []).append(text.count("\n", 0, match.start()) + 1)
    return found


def _line(lines: dict[str, list[int]], value: str, consume: bool = True) -> int:
    places = lines.get(value)
    if not places:
        return 1
    return places.pop(0) if consume and len(places) > 1 else places[0]


def split_rule(rule: str) -> tuple[str, str | None] | None:
    """``Tool(spec)`` -> (tool, spec); ``Tool`` -> (tool, None); None if unreadable."""
    match = _RULE.match(rule)
    return (match.group(1), match.group(2)) if match else None


def _unscoped(spec: str | None) -> bool:
    if spec is None:
        return True
    path = spec.strip()
    for prefix in ("./", "//", "~/", "/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
            break
    return path in _EVERYTHING


def rule_problems(facts: SettingsFacts) -> Iterator[tuple[int, str]]:
    """Rules that grant too much or do nothing, and a mode that skips the prompts."""
    yield from facts.problems
    if facts.default_mode in WIDE_MODES:
        yield facts.mode_line, f"defaultMode {facts.default_mode!r} runs tools without asking"
    for permission in facts.rules:
        parts = split_rule(permission.rule)
        if parts is None:
            continue
        tool, spec = parts
        if tool in ("Write", "Glob") and spec is not None:
            instead = "Edit(...)" if tool == "Write" else "Read(...)"
            yield permission.line, f"{tool}(...) rules are ignored by Claude Code; use {instead}"
        elif permission.bucket == "allow":
            yield from _too_broad(permission, tool, spec)


def _too_broad(permission: Permission, tool: str, spec: str | None) -> Iterator[tuple[int, str]]:
    text = permission.rule.strip()
    if tool == "*":
        yield permission.line, f"allow {text!r} approves every tool"
    elif tool == "Bash" and (spec is None or spec.strip() in _EVERYTHING):
        yield permission.line, f"allow {text!r} approves every shell command"
    elif tool in ("Edit", "MultiEdit", "Write") and _unscoped(spec):
        yield permission.line, f"allow {text!r} approves edits to every file; scope it to paths"


def missing_guards(facts: SettingsFacts) -> Iterator[tuple[int, str]]:
    """What the shared settings must hold: bypass mode disabled, secrets denied."""
    if facts.problems and not facts.rules:
        return
    if facts.disable_bypass != "disable":
        yield (facts.disable_line if facts.disable_bypass is not None else facts.permissions_line,
               'permissions.disableBypassPermissionsMode is not "disable"')
    uncovered = [kind for kind, samples in SECRET_SAMPLES.items()
                 if not any(_denies_read(p, samples) for p in facts.rules if p.bucket == "deny")]
    if uncovered:
        yield facts.permissions_line, f"no Read deny rule covers {', '.join(uncovered)}"


def _denies_read(permission: Permission, samples: tuple[str, ...]) -> bool:
    parts = split_rule(permission.rule)
    if parts is None or parts[0] != "Read":
        return False
    spec = parts[1]
    if spec is None or _unscoped(spec):
        return True
    pattern = spec.strip()
    if pattern.startswith("//"):
        return False  # an absolute path says nothing about this repository's files
    for prefix in ("./", "~/"):
        if pattern.startswith(prefix):
            pattern = pattern[len(prefix):]
    globs = glob_set((pattern,))
    return any(globs.match(sample) for sample in samples)
