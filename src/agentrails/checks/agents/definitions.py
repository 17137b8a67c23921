"""AR702: subagent (``.claude/agents/*.md``) and command (``.claude/commands/*.md``)
definitions: their front matter, and read-only agents that can edit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from agentrails.checks.common.frontmatter import FrontMatter

AGENTS_DIR = ".claude/agents/"
COMMANDS_DIR = ".claude/commands/"
AGENT_KEYS = (
    "name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
    "skills", "mcpServers", "hooks", "memory", "background", "isolation", "color",
)
COMMAND_KEYS = ("description", "allowed-tools", "argument-hint", "model",
                "disable-model-invocation")
MODELS = ("sonnet", "opus", "haiku", "inherit")
EDIT_TOOLS = ("Edit", "MultiEdit", "Write", "NotebookEdit")
KNOWN_TOOLS = (
    "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "NotebookRead", "Glob", "Grep", "LS",
    "Bash", "BashOutput", "KillShell", "KillBash", "WebFetch", "WebSearch", "Task", "Agent",
    "TodoWrite", "TodoRead", "ExitPlanMode", "SlashCommand", "Skill", "AskUserQuestion",
)
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_READ_ONLY = re.compile(r"\bread[- ]?only\b", re.I)
_TOOL = re.compile(r"^[A-Za-z_][\w-]*(?:\(.*\))?$", re.S)


@dataclass(frozen=True)
class Definition:
    """A subagent or command file: ``kind`` is ``agent`` or ``command``."""

    kind: str
    front: FrontMatter | None


def definition_kind(path: str) -> str | None:
    """``agent`` or ``command`` for a definition file's path, else None."""
    if not path.endswith(".md"):
        return None
    if path.startswith(AGENTS_DIR):
        return "agent"
    if path.startswith(COMMANDS_DIR):
        return "command"
    return None


def split_tools(value: Any) -> list[str] | None:
    """A ``tools`` value as a list: a YAML list, or a string split at commas outside
    parentheses; None when it is neither."""
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    if not isinstance(value, str):
        return None
    parts, depth, current = [], 0, []
    for char in value:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts if any(parts) else []


def problems(definition: Definition) -> Iterator[tuple[int, str]]:
    """(line, message) for everything wrong with one definition."""
    front = definition.front
    if front is None:
        if definition.kind == "agent":
            yield 1, "subagent has no YAML front matter (name, description)"
        return
    if front.error:
        yield front.error_line, f"front matter: {front.error}"
    known = AGENT_KEYS if definition.kind == "agent" else COMMAND_KEYS
    yield from _misspelled(front, known)
    tools_key = "tools" if definition.kind == "agent" else "allowed-tools"
    yield from _tool_problems(front, tools_key)
    yield from _model_problems(front)
    if definition.kind == "agent":
        yield from _agent_problems(front)


def _normal(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def _misspelled(front: FrontMatter, known: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    by_normal = {_normal(key): key for key in known}
    for key in front.values:
        right = by_normal.get(_normal(key))
        if right is not None and right != key:
            yield front.line_of(key), f"unknown key {key!r}; did you mean {right!r}?"


def _tool_problems(front: FrontMatter, key: str) -> Iterator[tuple[int, str]]:
    if key not in front.values:
        return
    tools = split_tools(front.values[key])
    line = front.line_of(key)
    if tools is None:
        yield line, f"{key} must be a comma-separated string or a list"
        return
    by_lower = {tool.lower(): tool for tool in KNOWN_TOOLS}
    for tool in tools:
        name = tool.split("(", 1)[0]
        if not tool or not _TOOL.match(tool) or tool.count("(") != tool.count(")"):
            yield line, f"{key}: {tool!r} is not a tool or a Tool(spec) rule"
        elif name not in KNOWN_TOOLS and name.lower() in by_lower:
            yield line, f"{key}: {name!r} should be spelled {by_lower[name.lower()]!r}"


def _model_problems(front: FrontMatter) -> Iterator[tuple[int, str]]:
    model = front.values.get("model")
    if model is None:
        return
    if not isinstance(model, str) or not (model in MODELS or model.startswith("claude-")):
        yield front.line_of("model"), f"model {model!r} is not {', '.join(MODELS)} or a claude- id"


def _agent_problems(front: FrontMatter) -> Iterator[tuple[int, str]]:
    name = front.values.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        yield front.line_of("name"), "subagent needs a name of lowercase words joined by hyphens"
    description = front.values.get("description")
    if not isinstance(description, str) or not description.strip():
        yield front.line_of("description"), "subagent needs a description (when to use it)"
        description = ""
    if front.values.get("permissionMode") == "bypassPermissions":
        yield front.line_of("permissionMode"), "subagent bypasses permission checks"
    if _READ_ONLY.search(description):
        editing = _edit_tools(front)
        if editing:
            line = front.line_of("tools") if "tools" in front.values else front.line_of("name")
            how = "has" if "tools" in front.values else "inherits every tool, including"
            yield line, f"read-only subagent {how} {', '.join(editing)}"


def _edit_tools(front: FrontMatter) -> list[str]:
    """Edit tools the agent can use: its ``tools`` (all when omitted) minus disallowed."""
    listed = split_tools(front.values["tools"]) if "tools" in front.values else None
    denied = {t.split("(", 1)[0] for t in split_tools(front.values.get("disallowedTools")) or []}
    names = {t.split("(", 1)[0] for t in listed} if listed is not None else set(EDIT_TOOLS)
    return [tool for tool in EDIT_TOOLS if tool in names and tool not in denied]
