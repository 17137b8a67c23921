"""The self-heal loop as rendered: with the loop on, every workflow passes zizmor (default and
pedantic, no suppression) and GitHub's workflow schema, every action is pinned by a 40-hex
SHA with its release in a comment, nothing runs on ``pull_request_target`` or
``workflow_run``, and the agent's conditions, read from the workflow, let no outsider's issue
start it; the permissions of each job, the bounds of the agent, the issue form, the docs and
the copier questions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.gh_expressions import evaluate
from tests.helpers.template import (
    PINNED_ACTIONS,
    agentrails,
    load_yaml,
    render,
    run,
    tool,
    workflow_problems,
    workflows,
)

pytestmark = pytest.mark.slow

VARIANTS: dict[str, dict[str, Any]] = {
    # uv, Slack, telemetry, another staging branch, bounds of its own.
    "agent-uv": {"project_name": "Acme Billing", "agent_tools": ["claude"],
                 "python_package": True, "staging_branch": "develop",
                 "self_heal_workflow": True, "self_heal_agent": True,
                 "self_heal_notify": "slack", "self_heal_issues_per_hour": 5,
                 "self_heal_max_turns": 12, "self_heal_minutes": 20,
                 "telemetry": "langsmith", "cleanup_workflow": False},
    # Adopted into an existing repository (pip, no package), GitHub's notifications only.
    "agent-adopt": {"project_name": "Old Service", "agent_tools": ["claude", "codex"],
                    "python_package": False, "self_heal_workflow": True,
                    "self_heal_agent": True, "promote_workflow": False},
    # pip with dependency groups, a monorepo.
    "agent-pip": {"project_name": "Shop", "agent_tools": ["claude"], "python_package": True,
                  "package_manager": "pip", "layout": "monorepo", "package_name": "api",
                  "self_heal_workflow": True, "self_heal_agent": True,
                  "cleanup_workflow": False, "template_update_workflow": False},
    # The loop without an agent (Codex only: the question is not even asked).
    "loop-only": {"project_name": "Lean", "agent_tools": ["codex"], "python_package": True,
                  "package_manager": "pip", "self_heal_workflow": True,
                  "self_heal_agent": True, "cleanup_workflow": False},
}
CLAUDE_ACTION = "anthropics/claude-code-action"


@pytest.fixture(scope="module")
def rendered(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("self-heal")
    for name, data in VARIANTS.items():
        render(source, root / name, data)
    return {name: root / name for name in VARIANTS}


def workflow(repo: Path, name: str) -> dict[str, Any]:
    return load_yaml(repo / ".github" / "workflows" / name)


def agent_on(variant: str) -> bool:
    return variant != "loop-only"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("persona", [[], ["--persona", "pedantic"]], ids=["default", "pedantic"])
def test_zizmor_finds_nothing_and_nothing_is_suppressed(
    rendered: dict[str, Path], variant: str, persona: list[str]
) -> None:
    files = workflows(rendered[variant])
    mine = [path for path in files if path.name in (
        "self-heal.yml", "production-error.yml", "self-heal-agent.yml")]
    assert [path.name for path in mine if "zizmor:" in path.read_text()] == []
    result = run([tool("zizmor"), "--offline", "--no-progress", "--no-ignores", *persona,
                  *map(str, files)], rendered[variant], check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("variant", VARIANTS)
def test_githubs_schemas(rendered: dict[str, Path], variant: str) -> None:
    repo = rendered[variant]
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         *map(str, workflows(repo))], repo)
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms",
         str(repo / ".github" / "ISSUE_TEMPLATE" / "self-heal.yml")], repo)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_workflow_rules_and_the_pins(rendered: dict[str, Path], variant: str) -> None:
    """Least privilege, timeouts, no ${{ }} in run:, every action pinned by a full SHA with
    its release in a comment (the shared list of reviewed pins)."""
    problems = [problem for path in workflows(rendered[variant])
                for problem in workflow_problems(path)]
    assert problems == []
    agent = rendered[variant] / ".github/workflows/self-heal-agent.yml"
    assert agent.exists() == agent_on(variant)
    if agent.exists():
        sha, tag = PINNED_ACTIONS[CLAUDE_ACTION]
        assert re.fullmatch(r"[0-9a-f]{40}", sha)
        assert f"uses: {CLAUDE_ACTION}@{sha} # {tag}\n" in agent.read_text()


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_workflow_runs_on_a_dangerous_trigger(rendered: dict[str, Path],
                                                 variant: str) -> None:
    for path in workflows(rendered[variant]):
        triggers = load_yaml(path)["on"]
        names = set(triggers) if isinstance(triggers, dict) else set(
            triggers if isinstance(triggers, list) else [triggers])
        assert not names & {"pull_request_target", "workflow_run"}, path.name
    agent = rendered["agent-uv"] / ".github/workflows/self-heal-agent.yml"
    assert set(load_yaml(agent)["on"]) == {"issues", "workflow_dispatch"}
    assert load_yaml(agent)["on"]["issues"] == {"types": ["labeled"]}


def issue_event(author: str, association: str, sender: str = "maya",
                sender_type: str = "User", label: str = "self-heal",
                author_type: str = "User") -> dict[str, Any]:
    return {"event_name": "issues", "event": {
        "action": "labeled", "label": {"name": label},
        "sender": {"login": sender, "type": sender_type},
        "issue": {"number": 7, "user": {"login": author, "type": author_type},
                  "author_association": association}}}


OUTSIDER_ISSUES = [
    issue_event("mallory", "NONE"),
    issue_event("mallory", "CONTRIBUTOR"),
    issue_event("mallory", "FIRST_TIME_CONTRIBUTOR"),
    issue_event("mallory", "FIRST_TIMER"),
    issue_event("mallory", "NONE", sender="mallory"),
    issue_event("github-actions", "NONE"),  # a user with a look-alike name
]
TRUSTED_START = [
    issue_event("github-actions[bot]", "NONE", author_type="Bot"),
    issue_event("maya", "OWNER"),
    issue_event("wes", "MEMBER"),
    issue_event("cleo", "COLLABORATOR"),
]
OTHER_EVENTS = [
    issue_event("maya", "OWNER", label="bug"),
    issue_event("maya", "OWNER", sender="some-app[bot]", sender_type="Bot"),
]


@pytest.mark.parametrize("context", OUTSIDER_ISSUES + OTHER_EVENTS)
def test_an_outsiders_issue_cannot_start_the_agent(rendered: dict[str, Path],
                                                   context: dict[str, Any]) -> None:
    """Read from the rendered workflow: the only job that can run first (``trust``, which
    holds no secret) does not run for an issue an outsider opened, whoever labels it, nor for
    another label or a label an app added; every later job needs its verdict."""
    jobs = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]
    assert evaluate(jobs["trust"]["if"], {"github": context}) is False


@pytest.mark.parametrize("context", TRUSTED_START)
def test_the_bot_or_a_maintainer_may_ask_the_api(rendered: dict[str, Path],
                                                 context: dict[str, Any]) -> None:
    jobs = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]
    assert evaluate(jobs["trust"]["if"], {"github": context}) is True


def test_every_job_that_holds_a_secret_needs_the_api_verdict(rendered: dict[str, Path]) -> None:
    jobs = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]
    assert list(jobs) == ["trust", "agent", "propose"]
    assert "secrets." not in str(jobs["trust"])
    assert jobs["agent"]["needs"] == "trust"
    assert jobs["agent"]["if"] == "needs.trust.outputs.trusted == 'true'"
    assert jobs["propose"]["needs"] == ["trust", "agent"]
    assert jobs["propose"]["if"] == "always() && needs.trust.outputs.trusted == 'true'"
    untrusted = {"needs": {"trust": {"outputs": {"trusted": "false"}}}}
    assert not evaluate(jobs["agent"]["if"], untrusted)
    assert not evaluate(jobs["propose"]["if"], untrusted)
    trust_steps = jobs["trust"]["steps"]
    assert trust_steps[-1]["run"] == 'agentrails self-heal trust ${ISSUE:+--issue "$ISSUE"}'


def test_each_job_has_only_what_it_needs(rendered: dict[str, Path]) -> None:
    jobs = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "trust": {"issues": "read"},
        "agent": {"contents": "read", "issues": "read"},
        "propose": {"contents": "write", "pull-requests": "write", "issues": "write"},
    }
    intake = workflow(rendered["agent-uv"], "production-error.yml")["jobs"]["intake"]
    assert intake["permissions"] == {"actions": "write", "issues": "write"}
    lean = workflow(rendered["loop-only"], "production-error.yml")["jobs"]["intake"]
    assert lean["permissions"] == {"issues": "write"}


def _step(job: dict[str, Any], uses: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if str(step.get("uses", "")).startswith(uses))


def test_the_agent_is_bounded_and_uses_the_repositorys_settings(
    rendered: dict[str, Path]
) -> None:
    job = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]["agent"]
    assert job["timeout-minutes"] == 20
    action = _step(job, CLAUDE_ACTION)
    assert action["with"] == {
        "prompt": "${{ steps.task.outputs.prompt }}",
        "anthropic_api_key": "${{ secrets.ANTHROPIC_API_KEY }}",
        "github_token": "${{ github.token }}",
        "allowed_bots": "github-actions",
        "claude_args": "--max-turns 12 --permission-mode acceptEdits",
    }
    assert "setting-sources" not in str(action)  # the project's .claude/settings.json loads
    checkout = _step(job, "actions/checkout")
    assert checkout["with"] == {"ref": "develop", "persist-credentials": False}
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert "uv run agentrails self-heal prompt --issue \"$ISSUE\" --base develop" in scripts
    assert "bubblewrap socat" in scripts and "git bundle create" in scripts
    assert action["env"] == {"OTEL_EXPORTER_OTLP_HEADERS":
                             "${{ secrets.OTEL_EXPORTER_OTLP_HEADERS }}"}


def test_the_agent_job_installs_the_project_as_its_agents_md_says(
    rendered: dict[str, Path]
) -> None:
    scripts = {variant: "\n".join(step.get("run", "") for step in workflow(
        rendered[variant], "self-heal-agent.yml")["jobs"]["agent"]["steps"])
        for variant in ("agent-uv", "agent-pip", "agent-adopt")}
    assert "uv sync --locked" in scripts["agent-uv"]
    assert ".venv/bin/python -m pip install --disable-pip-version-check -e . --group dev" in \
        scripts["agent-pip"]  # in .venv: the hooks of .claude/settings.json run from there
    settings = (rendered["agent-pip"] / ".claude/settings.json").read_text()
    assert '/.venv/bin/agentrails hook guard-paths' in settings
    assert '"agentrails==' in scripts["agent-adopt"]
    assert "agentrails self-heal prompt" in scripts["agent-pip"]
    assert "uv run" not in scripts["agent-pip"] + scripts["agent-adopt"]


def test_propose_pushes_nothing_but_a_new_branch_and_never_merges(
    rendered: dict[str, Path]
) -> None:
    job = workflow(rendered["agent-uv"], "self-heal-agent.yml")["jobs"]["propose"]
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert "agentrails self-heal propose --issue \"$ISSUE\" --base develop" in scripts
    for never in ("merge", "git push", "--force", "uv run", "pip install -e"):
        assert never not in scripts, never
    assert _step(job, "actions/download-artifact")["if"] == "needs.agent.result == 'success'"
    assert job["steps"][-1]["env"]["SLACK_WEBHOOK_URL"] == "${{ secrets.SLACK_WEBHOOK_URL }}"


def test_the_dispatch_payload_never_reaches_an_expression(rendered: dict[str, Path]) -> None:
    for variant in VARIANTS:
        text = (rendered[variant] / ".github/workflows/production-error.yml").read_text()
        assert "client_payload" not in text.replace(
            "$GITHUB_EVENT_PATH", "").split("name: production-error")[1]
        assert "github.event" not in text
    intake = workflow(rendered["agent-uv"], "production-error.yml")
    assert intake["on"] == {"repository_dispatch": {"types": ["production-error"]}}
    assert intake["concurrency"] == {"group": "production-error", "cancel-in-progress": False}
    (step,) = [step for step in intake["jobs"]["intake"]["steps"] if "run" in step][-1:]
    assert step["run"] == ("agentrails self-heal intake --max-issues-per-hour 5 "
                           "--agent-workflow self-heal-agent.yml --ref develop")
    assert set(step["env"]) == {"GH_TOKEN", "SLACK_WEBHOOK_URL"}


def test_the_ci_path_announces_new_issues(rendered: dict[str, Path]) -> None:
    heal = workflow(rendered["agent-uv"], "self-heal.yml")
    assert heal["on"]["workflow_call"]["secrets"] == {"SLACK_WEBHOOK_URL": {
        "description": "The Slack incoming webhook that hears of each new self-heal issue",
        "required": False}}
    (job,) = heal["jobs"].values()
    assert job["permissions"] == {"actions": "write", "issues": "write"}
    script = job["steps"][-1]["run"]
    assert 'agentrails self-heal announce --issue "${url##*/}"' in script
    assert "--agent-workflow self-heal-agent.yml --ref \"$STAGING\"" in script
    caller = workflow(rendered["agent-uv"], "ci.yml")["jobs"]["self-heal"]
    assert caller["permissions"] == {"actions": "write", "issues": "write"}
    assert caller["secrets"] == {"SLACK_WEBHOOK_URL": "${{ secrets.SLACK_WEBHOOK_URL }}"}
    plain = workflow(rendered["loop-only"], "self-heal.yml")["jobs"]["issues"]
    assert "announce" not in plain["steps"][-1]["run"]
    assert workflow(rendered["loop-only"], "ci.yml")["jobs"]["self-heal"]["permissions"] == {
        "actions": "read", "issues": "write"}


def test_the_issue_form_adds_no_label_and_says_where_the_loop_ends(
    rendered: dict[str, Path]
) -> None:
    form = load_yaml(rendered["agent-uv"] / ".github/ISSUE_TEMPLATE/self-heal.yml")
    assert "labels" not in form
    text = (rendered["agent-uv"] / ".github/ISSUE_TEMPLATE/self-heal.yml").read_text()
    for words in ("one failing test", "several", "data migration", "protected path"):
        assert words in " ".join(text.split())


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_docs_say_where_the_loop_ends(rendered: dict[str, Path], variant: str) -> None:
    docs = " ".join((rendered[variant] / "docs/observability.md").read_text().split())
    assert "### Where the loop ends" in docs
    assert "one failing behaviour with a clean stack trace" in docs
    for hand_back in ("several modules", "data migration", "protected path"):
        assert hand_back in docs
    guide = " ".join((rendered[variant] / "docs/self-heal.md").read_text().split())
    assert "Sentry-Hook-Signature" in guide and "agentrails.selfheal.forwarder" in guide
    assert ("self-heal-agent.yml` starts Claude Code" in guide) == agent_on(variant)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_docs_are_as_the_mdformat_hook_formats_them(rendered: dict[str, Path],
                                                        variant: str) -> None:
    repo = rendered[variant]
    run([tool("mdformat"), "--check", "--number", "--compact-tables", "docs/self-heal.md",
         "docs/observability.md"], repo)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_rendered_repository_passes_its_own_checks(rendered: dict[str, Path],
                                                       variant: str) -> None:
    """The new files fit every cap the answers allow (the smallest file cap is 200)."""
    repo = rendered[variant]
    run(["git", "init", "-q", "-b", "main"], repo)
    run(["git", "add", "-A"], repo)
    result = agentrails(repo, "check", "--no-cache", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in [*workflows(repo), repo / "docs/self-heal.md", repo / "docs/observability.md"]:
        assert len(path.read_text().splitlines()) <= 200, path.name


@pytest.mark.parametrize(("answers", "message"), [
    ({"self_heal_issues_per_hour": 0}, "Choose 1 to 50 issues an hour"),
    ({"self_heal_agent": True, "self_heal_max_turns": 1}, "Choose 5 to 200 turns"),
    ({"self_heal_agent": True, "self_heal_minutes": 600}, "Choose 5 to 180 minutes"),
])
def test_bad_answers_are_refused(source: Path, tmp_path: Path, answers: dict,
                                 message: str) -> None:
    data = {"agent_tools": ["claude"], "self_heal_workflow": True, **answers}
    result = render(source, tmp_path / "out", data, check=False)
    assert result.returncode != 0
    assert message in " ".join(result.stderr.split())


def test_the_agent_is_off_by_default_and_its_help_gives_the_cost() -> None:
    from tests.helpers.template import copier_config

    questions = copier_config()
    agent = questions["self_heal_agent"]
    assert agent["default"] is False
    assert "ANTHROPIC_API_KEY" in agent["help"] and "US$" in agent["help"]
    assert questions["self_heal_notify"]["default"] == "none"
