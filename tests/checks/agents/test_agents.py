"""AR701-AR704 beyond their fixtures: each least-privilege problem, each definition problem,
lanes and seams, and AR704 on a real git diff."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.helpers.repo import git, write_files

GOOD_DENY = ["Read(./.env)", "Read(./.env.*)", "Read(**/*.key)", "Read(**/*.pem)",
             "Read(./secrets/**)"]


def findings(cli: Callable, root: Path, *extra: str) -> list[tuple[str, int, str, str]]:
    """The failing findings (AR701's sandbox findings are warnings by default: see
    test_agents_sandbox.py)."""
    outcome = cli("check", root, "--no-cache", "--format", "json", *extra)
    assert outcome.code in (0, 1), outcome.err
    return [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(outcome.out)
            if f["severity"] == "error"]


def settings(permissions: dict) -> str:
    return json.dumps({"permissions": permissions}, indent=2) + "\n"


def test_every_least_privilege_problem(plain_dir, cli) -> None:
    shared = settings({
        "defaultMode": "bypassPermissions",
        "allow": ["Bash", "Edit(**)", "Write", "*", "Bash(npm test:*)", "Edit(src/**)"],
        "ask": ["Glob(./**)"],
        "deny": ["Write(./.env)", "Read(./.env)"],
    })
    local = settings({"defaultMode": "dontAsk", "allow": ["Bash(:*)", "Edit(./**)"]})
    root = plain_dir({"agentrails.toml": "", ".claude/settings.json": shared,
                      ".claude/settings.local.json": local})
    scope = "approves edits to every file; scope it to paths"
    assert [(f[0][8:], f[1], f[3]) for f in findings(cli, root)] == [
        ("settings.json", 2, "no Read deny rule covers private keys, secrets"),
        ("settings.json", 2, 'permissions.disableBypassPermissionsMode is not "disable"'),
        ("settings.json", 3, "defaultMode 'bypassPermissions' runs tools without asking"),
        ("settings.json", 5, "allow 'Bash' approves every shell command"),
        ("settings.json", 6, f"allow 'Edit(**)' {scope}"),
        ("settings.json", 7, f"allow 'Write' {scope}"),
        ("settings.json", 8, "allow '*' approves every tool"),
        ("settings.json", 13, "Glob(...) rules are ignored by Claude Code; use Read(...)"),
        ("settings.json", 16, "Write(...) rules are ignored by Claude Code; use Edit(...)"),
        ("settings.local.json", 3, "defaultMode 'dontAsk' runs tools without asking"),
        ("settings.local.json", 5, "allow 'Bash(:*)' approves every shell command"),
        ("settings.local.json", 6, f"allow 'Edit(./**)' {scope}"),
    ]


def test_unreadable_settings_and_per_file_ignores(plain_dir, cli) -> None:
    root = plain_dir({"agentrails.toml": "", ".claude/settings.json": '{\n  "permissions": [\n'})
    assert [f[1:3] for f in findings(cli, root)] == [(3, "AR701")]
    (root / ".claude/settings.json").write_text('{"permissions": {"allow": "Bash"}}')
    assert [f[3] for f in findings(cli, root)][0] == "permissions.allow must be a list of strings"
    (root / "agentrails.toml").write_text('per-file-ignores = { ".claude/*.json" = ["AR701"] }\n')
    assert findings(cli, root) == []


def test_a_bare_read_deny_covers_every_secret(plain_dir, cli) -> None:
    text = settings({"disableBypassPermissionsMode": "disable", "deny": ["Read"]})
    root = plain_dir({"agentrails.toml": "", ".claude/settings.json": text})
    assert findings(cli, root) == []
    (root / ".claude/settings.json").write_text(settings({
        "disableBypassPermissionsMode": "disable",
        "deny": ["Read(//etc/**)", "Edit(./.env)", *GOOD_DENY[2:]]}))
    assert [f[3] for f in findings(cli, root)] == ["no Read deny rule covers .env files"]


AGENT = "---\nname: {name}\ndescription: {description}\n{extra}---\n\nPrompt.\n"


def test_definition_problems(plain_dir, cli) -> None:
    root = plain_dir({
        "agentrails.toml": "",
        ".claude/agents/reviewer.md": AGENT.format(
            name="reviewer", description="Read only reviewer.", extra=""),
        ".claude/agents/auditor.md": AGENT.format(
            name="reviewer", description="A read-only auditor.",
            extra="tools: Read, grep, Bash(git diff:*), Edit\ndisallowedTools: Edit\n"
                  "model: gpt-4\npermissionMode: bypassPermissions\n"),
        ".claude/agents/Bad.md": "---\nname: Bad Name\n---\n",
        ".claude/agents/none.md": "Just a prompt.\n",
        ".claude/commands/review.md": "---\nallowed_tools: Read\nallowed-tools: Bash(git diff:*\n"
                                      "model: claude-sonnet-4-5\n---\nReview $ARGUMENTS\n",
        ".claude/commands/plain.md": "A command without front matter is fine.\n",
        ".claude/commands/broken.md": "---\ndescription: 'unclosed\n---\n",
    })
    model = "model 'gpt-4' is not sonnet, opus, haiku, inherit or a claude- id"
    inherits = ("read-only subagent inherits every tool, including Edit, MultiEdit, Write, "
                "NotebookEdit")
    assert [(f[0][8:], f[1], f[3]) for f in findings(cli, root)] == [
        ("agents/Bad.md", 1, "subagent needs a description (when to use it)"),
        ("agents/Bad.md", 2, "subagent needs a name of lowercase words joined by hyphens"),
        ("agents/auditor.md", 4, "tools: 'grep' should be spelled 'Grep'"),
        ("agents/auditor.md", 6, model),
        ("agents/auditor.md", 7, "subagent bypasses permission checks"),
        ("agents/none.md", 1, "subagent has no YAML front matter (name, description)"),
        ("agents/reviewer.md", 2, inherits),
        ("agents/reviewer.md", 2, "subagent 'reviewer' also in .claude/agents/auditor.md"),
        ("commands/broken.md", 2, "front matter: found unexpected end of stream"),
        ("commands/review.md", 2, "unknown key 'allowed_tools'; did you mean 'allowed-tools'?"),
        ("commands/review.md", 3,
         "allowed-tools: 'Bash(git diff:*' is not a tool or a Tool(spec) rule"),
    ]


def test_definition_noqa_in_front_matter(plain_dir, cli) -> None:
    text = AGENT.format(name="explore", description="Read-only explorer.",
                        extra="tools: Read, Edit  # noqa: AR702\n")
    root = plain_dir({"agentrails.toml": "", ".claude/agents/explore.md": text})
    assert findings(cli, root) == []


LANES = '[lanes]\napi = ["src/api/**"]\ncore = ["src/core/**"]\n'


def test_unowned_source_files(plain_dir, cli) -> None:
    root = plain_dir({"agentrails.toml": 'seams = ["src/schema.py"]\n' + LANES,
                      "src/api/a.py": "", "src/core/b.py": "", "src/schema.py": "",
                      "scripts/deploy.sh": "", "docs/guide.md": "# Guide\n"})
    assert findings(cli, root) == [("scripts/deploy.sh", 1, "AR703", "in no lane")]
    (root / "agentrails.toml").write_text(LANES + '\n[agents]\nsources = ["src/**"]\n')
    assert findings(cli, root) == [("src/schema.py", 1, "AR703", "in no lane")]


def test_bad_lanes_configuration_is_a_usage_error(plain_dir, cli) -> None:
    root = plain_dir({"agentrails.toml": '[lanes]\napi = "src/api/**"\n'})
    outcome = cli("check", root)
    assert outcome.code == 2 and "lanes" in outcome.err


def test_seam_changed_with_lane_code(git_repo, cli) -> None:
    config = 'seams = ["src/schema.py"]\n' + LANES
    root = git_repo({"agentrails.toml": config, "src/api/a.py": "", "src/core/b.py": "",
                     "src/schema.py": "", "README.md": "# x\n"})
    git(root, "commit", "-q", "-m", "start")
    git(root, "branch", "base")
    write_files(root, {"src/schema.py": "FIELDS = ()\n", "README.md": "# y\n"})
    assert findings(cli, root, "--diff-base", "base", "--select", "AR7") == []
    write_files(root, {"src/api/a.py": "ROUTES = ()\n"})
    message = "seam changed together with lane code: src/api/a.py"
    assert findings(cli, root, "--diff-base", "base", "--select", "AR7") == [
        ("src/schema.py", 1, "AR704", message)]
    assert findings(cli, root, "--select", "AR7") == []
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "seam")
    git(root, "branch", "-f", "base")
    write_files(root, {"src/core/b.py": "B = 1\n"})
    assert findings(cli, root, "--diff-base", "base", "--select", "AR7") == []
