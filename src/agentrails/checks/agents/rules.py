"""AR701-AR704: agent guardrails. Least-privilege Claude Code settings, valid subagent and
command definitions, and ownership lanes with seams."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.checks.agents.definitions import Definition, definition_kind, problems
from agentrails.checks.agents.lanes import LaneCoverage, SeamChange
from agentrails.checks.agents.sandbox import sandbox_problems
from agentrails.checks.agents.settings import (
    SETTINGS_FILES,
    SHARED,
    SettingsFacts,
    missing_guards,
    parse_settings,
    rule_problems,
)
from agentrails.checks.common.frontmatter import parse_front_matter
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import GLOB_LIST, Family, Option, Rule, RuleContext, SourceFile
from agentrails.engine.validators import boolean, choice, string_list

FAMILY_NAME = "agents"
DEFAULT_PROTECTED = [
    ".github/workflows/**", ".github/rulesets/**", ".github/CODEOWNERS",
    ".claude/settings.json", ".claude/settings.local.json",
]


def collect(source: SourceFile, ctx: RuleContext) -> SettingsFacts | Definition | None:
    """Settings facts for ``.claude/settings*.json``; front matter for definitions."""
    if source.text is None:
        return None
    if source.path in SETTINGS_FILES:
        return parse_settings(source.text)
    kind = definition_kind(source.path)
    if kind is None:
        return None
    return Definition(kind, parse_front_matter(source.lines))


class LeastPrivilege(Rule):
    """What it finds:
    In `.claude/settings.json` and `.claude/settings.local.json`: `defaultMode`
    `bypassPermissions` or `dontAsk`; `Bash`, `Bash(*)` or `*` allowed; `Edit`,
    `Edit(*)`, `Edit(**)` (or `Write`, `MultiEdit`) allowed without a path scope;
    `Write(...)` and `Glob(...)` rules, which Claude Code ignores (path rules are `Edit(...)`
    and `Read(...)`); JSON it cannot read. In the shared `.claude/settings.json` also: no
    `"disableBypassPermissionsMode": "disable"` under `permissions`, and no `Read(...)` deny
    rule covering `.env` files, private keys (`*.key`, `*.pem`, `id_rsa`) and secrets
    (`secrets/`, `secrets.json`, `credentials.json`).

    The OS sandbox (`sandbox` in `[agents]`: `"error"`, `"warn"`, the default in this
    release, or `"off"`): the shared file without `"sandbox": {"enabled": true}` or without
    `"allowUnsandboxedCommands": false`, a protected glob or `agentrails.toml` /
    `.agentrails.toml` that no `sandbox.filesystem.denyWrite` entry covers (an entry names a
    literal folder: `./.github/workflows` covers `.github/workflows/**`), and in either
    file a `sandbox.excludedCommands` entry (it runs outside the sandbox), a sandbox turned
    off or an unsandboxed fallback turned on.

    Why:
    An agent runs with what this file grants. Broad grants turn one bad instruction (or a
    prompt injected through a web page or an issue) into any command or edit; a rule that
    does nothing gives false comfort. A shell reaches a protected file in more ways than any
    hook can read (`tar -x`, `git apply`, a script file): only the operating system's
    sandbox stops every one of them.

    Example:
        {"permissions": {"allow": ["Bash(*)", "Edit(**)"], "defaultMode": "bypassPermissions"}}

    How to fix:
    Allow only the commands the project needs (`Bash(pytest:*)`), scope edits to paths
    (`Edit(src/**)`), deny `Read(./.env)`, `Read(./.env.*)`, `Read(**/*.key)`,
    `Read(**/*.pem)` and `Read(./secrets/**)`, and set `disableBypassPermissionsMode`. Turn
    the sandbox on with every protected folder under `denyWrite` (docs/guardrails.md shows
    the block). JSON has no comments: suppress with `per-file-ignores`.
    """

    code = "AR701"
    summary = "agent settings break least privilege"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        for path in SETTINGS_FILES:
            settings = facts[path].families.get(FAMILY_NAME) if path in facts else None
            if not isinstance(settings, SettingsFacts):
                continue
            found = list(rule_problems(settings))
            if path == SHARED:
                found.extend(missing_guards(settings))
            for line, message in sorted(found):
                yield Finding(path, line, 1, self.code, message)
            yield from self._sandbox(path, settings, ctx)

    def _sandbox(self, path: str, settings: SettingsFacts, ctx: RuleContext) -> Iterable[
            Finding]:
        mode = ctx.options["sandbox"]
        if mode == "off" or (settings.problems and not settings.rules):
            return
        protected = ctx.options["protected"]
        found = sandbox_problems(settings.sandbox, path == SHARED, protected, ctx.root)
        for line, message in sorted(set(found)):
            yield Finding(path, line, 1, self.code, message, warn=mode == "warn")


class AgentDefinition(Rule):
    """What it finds:
    In `.claude/agents/*.md` (subagents): no front matter, no `name` (lowercase words
    joined by hyphens) or `description`, `permissionMode: bypassPermissions`, or an agent
    described as read-only that can use Edit, MultiEdit, Write or NotebookEdit (listed in
    `tools`, or inherited because `tools` is omitted). In both subagents and
    `.claude/commands/*.md`: front matter that cannot be read, a misspelled key
    (`allowed_tools`), a malformed `tools`/`allowed-tools` entry, or an unknown `model`.
    A second subagent with the same name is also reported.

    Why:
    Claude Code skips a definition it cannot read, silently. A "read-only" reviewer that
    can edit is the agent you trusted not to change anything.

    Example:
        ---
        name: code-reviewer
        description: Read-only review of a diff.
        ---                      # no tools: it inherits Edit and Write

    How to fix:
    Fix the front matter; give read-only agents an explicit `tools: Read, Grep, Glob`.
    Suppress a line with a YAML comment: `tools: Read, Edit  # noqa: AR702`.
    """

    code = "AR702"
    file_level = True
    summary = "invalid subagent or command definition"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        names: dict[str, str] = {}
        for path in sorted(facts):
            definition = facts[path].families.get(FAMILY_NAME)
            if not isinstance(definition, Definition):
                continue
            for line, message in problems(definition):
                yield Finding(path, line, 1, self.code, message)
            name = definition.front.values.get("name") if definition.front else None
            if definition.kind == "agent" and isinstance(name, str):
                if name in names:
                    line = definition.front.line_of("name")
                    message = f"subagent {name!r} also in {names[name]}"
                    yield Finding(path, line, 1, self.code, message)
                names.setdefault(name, path)


def _options() -> dict[str, Option]:
    return {
        "sources": Option([], string_list, "globs of source files (default: by suffix) (AR703)",
                          GLOB_LIST),
        "protected": Option(DEFAULT_PROTECTED, string_list,
                            "globs agents may not edit (hook guard-paths)", GLOB_LIST),
        "protect-accepted-migrations": Option(
            True, boolean, "guard-paths also blocks accepted and done migration plans"
        ),
        "sandbox": Option(
            "warn", choice("error", "warn", "off"),
            "AR701 on Claude Code's OS sandbox: error, warn (this release's default) or off",
        ),
    }


FAMILY = Family(
    name=FAMILY_NAME,
    section="agents",
    options=_options(),
    rules=(LeastPrivilege, AgentDefinition, LaneCoverage, SeamChange),
    collect=collect,
)
