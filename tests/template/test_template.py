"""Render the template for every meaningful combination of answers and run each rendered
repository's own gates: its tests with the coverage floor, ``agentrails check``, pre-commit's
config validation, zizmor and GitHub's workflow schema."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from tests.helpers.template import (
    COMBOS,
    agentrails,
    commit_all,
    copier_config,
    copier_config_files,
    git,
    load_yaml,
    render,
    run,
    tool,
    tracked_files,
    tree_files,
    workflow_problems,
    workflows,
)
from tests.helpers.toolchain import hook_repositories, requirement_names, tool_stack_names

pytestmark = pytest.mark.slow

PACKAGE_COMBOS = [name for name, data in COMBOS.items() if data["python_package"]]
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|%\}|\{#|#\}")


@pytest.fixture(scope="session")
def rendered(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every combination rendered once, then ``git init`` and committed."""
    root = tmp_path_factory.mktemp("rendered")
    repos = {}
    for name, data in COMBOS.items():
        repo = root / name
        render(source, repo, data)
        commit_all(repo)
        repos[name] = repo
    return repos


def expected_paths(data: dict) -> dict[str, bool]:
    """Files whose presence follows from the answers (True: present, False: absent)."""
    tools, package = data["agent_tools"], data["python_package"]
    slug = re.sub(r"[^a-z0-9]+", "_", data["project_name"].lower()).strip("_")
    return {
        "CLAUDE.md": "claude" in tools,
        ".claude/settings.json": "claude" in tools,
        ".claude/agents/code-reviewer.md": "claude" in tools,
        ".claude/commands/adversarial-review.md": "claude" in tools,
        ".codex/config.toml": "codex" in tools,
        ".github/copilot-instructions.md": "copilot" in tools,
        ".cursor/rules/agentrails.mdc": "cursor" in tools,
        "pyproject.toml": package,
        "noxfile.py": package,
        "CHANGELOG.md": package,
        f"src/{slug}/__init__.py": package,
        f"src/{slug}/text.py": package,
        f"tests/test_{slug}.py": package,
        "agentrails.toml": not package,
        ".github/workflows/ci.yml": package,
        ".github/workflows/agentrails.yml": not package,
        ".github/workflows/promote.yml": data["promote_workflow"],
        ".github/workflows/cleanup.yml": data["cleanup_workflow"],
        ".github/workflows/self-heal.yml": data["self_heal_workflow"],
        ".github/workflows/production-error.yml": data["self_heal_workflow"],
        ".github/workflows/self-heal-agent.yml": (data["self_heal_workflow"] and "claude" in tools
                                                 and data.get("self_heal_agent", False)),
        ".github/ISSUE_TEMPLATE/self-heal.yml": data["self_heal_workflow"],
        "docs/self-heal.md": data["self_heal_workflow"],
        ".github/workflows/template-update.yml": data.get("template_update_workflow", True),
        ".github/workflows/release.yml": package and data.get("release_workflow", True),
    }


ALWAYS = [
    ".github/renovate.json",
    "AGENTS.md", "ARCHITECTURE.md", "VISION.md", "RULES.md", "KNOWN_ISSUES.md", "SESSIONS.md",
    "README.md", "LICENSE", ".gitignore", ".pre-commit-config.yaml", ".copier-answers.yml",
    "handoffs/README.md", "handoffs/TEMPLATE.md", "migrations/README.md",
    "migrations/TEMPLATE.md", ".github/CODEOWNERS", ".github/dependabot.yml",
    ".github/pull_request_template.md", ".github/rulesets/staging.json",
    ".github/rulesets/production.json", ".github/rulesets/production-promotion.json",
]


def layout_problems(files: set[str], data: dict) -> list[str]:
    """Files that should be there and are not, or should not be and are."""
    problems = [f"missing {name}" for name in ALWAYS if name not in files]
    problems += [f"{name}: expected {'present' if want else 'absent'}"
                 for name, want in expected_paths(data).items() if (name in files) != want]
    return problems + [f"rendered {name}" for name in files if name.startswith("_includes")]


@pytest.mark.parametrize("combo", COMBOS)
def test_layout_follows_the_answers(rendered: dict[str, Path], combo: str) -> None:
    repo = rendered[combo]
    problems = layout_problems(set(tracked_files(repo)), COMBOS[combo])
    assert not problems, f"{combo}: {problems}"
    assert ".agentrails_cache/" in (repo / ".gitignore").read_text().splitlines()
    assert "## Current state" in (repo / "AGENTS.md").read_text()
    if "claude" in COMBOS[combo]["agent_tools"]:
        assert (repo / "CLAUDE.md").read_text().startswith("@AGENTS.md\n")


@pytest.mark.parametrize("combo", COMBOS)
def test_text_files_are_clean(rendered: dict[str, Path], combo: str) -> None:
    """What the generated pre-commit hygiene hooks demand, and no Jinja left over."""
    for name, data in tracked_files(rendered[combo]).items():
        if name.endswith("py.typed"):
            assert data == b""
            continue
        text = data.decode("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), f"{name}: end of file"
        assert "\r" not in text, f"{name}: CR line ending"
        for number, line in enumerate(text.splitlines(), 1):
            assert line == line.rstrip(), f"{name}:{number}: trailing whitespace"
            assert not JINJA_LEFTOVER.search(line), f"{name}:{number}: Jinja left over"


@pytest.mark.parametrize("combo", PACKAGE_COMBOS)
def test_generated_tests_and_lint_pass(rendered: dict[str, Path], combo: str) -> None:
    repo = rendered[combo]
    floor = COMBOS[combo].get("coverage_floor", 90)
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], repo)
    assert f"Required test coverage of {floor}" in result.stdout
    (test_file,) = (repo / "tests").glob("test_*.py")
    assert "from hypothesis import given" in test_file.read_text()
    run([tool("ruff"), "check", "--no-cache", "."], repo)
    run([tool("ruff"), "format", "--no-cache", "--check", "."], repo)


def test_coverage_floor_is_enforced(rendered: dict[str, Path], tmp_path: Path) -> None:
    """Untested code drops coverage below the floor and the generated pytest run fails."""
    repo = tmp_path / "repo"
    shutil.copytree(rendered["claude-package"], repo, ignore=shutil.ignore_patterns(".git"))
    module = next((repo / "src").glob("*/text.py"))
    untested = "".join(f"\n\ndef extra_{i}(x: int) -> int:\n    return x + {i}\n" for i in range(8))
    module.write_text(module.read_text() + untested)
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "-k", "examples"], repo, check=False)
    assert result.returncode != 0
    assert "FAIL Required test coverage of 90" in result.stdout


@pytest.mark.parametrize("combo", COMBOS)
def test_agentrails_check_is_clean(rendered: dict[str, Path], combo: str) -> None:
    result = agentrails(rendered[combo], "check", "--no-cache", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("combo", COMBOS)
def test_precommit_config_validates(rendered: dict[str, Path], combo: str) -> None:
    repo = rendered[combo]
    run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], repo)
    config = (repo / ".pre-commit-config.yaml").read_text()
    for hook in ("agentrails-size", "agentrails-complexity", "agentrails-dead-code",
                 "agentrails-context", "agentrails-update-hygiene"):
        assert f"- id: {hook}\n" in config
    assert ("ruff-check" in config) == COMBOS[combo]["python_package"]


@pytest.mark.parametrize("combo", PACKAGE_COMBOS)
def test_precommit_ci_block_skips_only_the_local_hooks(rendered: dict[str, Path],
                                                       combo: str) -> None:
    """pre-commit.ci's settings: monthly updates with messages, and it skips exactly the
    hooks it cannot run (local ones, which need the project's environment)."""
    config = yaml.safe_load((rendered[combo] / ".pre-commit-config.yaml").read_text())
    local = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    assert local and all(hook["language"] == "system" for hook in local)
    ci = config["ci"]
    assert ci["autoupdate_schedule"] == "monthly"
    assert ci["autoupdate_commit_msg"] and ci["autofix_commit_msg"]
    assert sorted(ci["skip"]) == sorted(hook["id"] for hook in local)


@pytest.mark.parametrize("combo", PACKAGE_COMBOS)
def test_precommit_spell_checks_and_shows_ruffs_fixes(rendered: dict[str, Path],
                                                      combo: str) -> None:
    config = yaml.safe_load((rendered[combo] / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert "codespell" in hooks
    ruff = hooks["ruff-check"]
    assert "--show-fixes" in str(ruff.get("entry", "")) + str(ruff.get("args", ""))


@pytest.mark.parametrize("combo", COMBOS)
def test_rules_tool_stack_names_every_dependency(rendered: dict[str, Path], combo: str) -> None:
    """RULES.md lists each package of pyproject.toml and each hook repository of the
    pre-commit config, by its exact name, and nothing that the render does not use."""
    repo = rendered[combo]
    used = hook_repositories(repo)
    if COMBOS[combo]["python_package"]:
        used |= requirement_names(repo)
    assert tool_stack_names((repo / "RULES.md").read_text()) == used
    unlisted = agentrails(repo, "check", "--no-cache", "--select", "AR406")
    assert "AR406" not in unlisted.stdout, unlisted.stdout


def test_the_dependency_rule_fires_on_an_unlisted_dependency_until_rules_md_names_it(
        rendered: dict[str, Path], tmp_path: Path) -> None:
    """AR406 on a real render: a new library in pyproject.toml is reported (in warn mode this
    release) until the tool-stack table of RULES.md names it."""
    repo = tmp_path / "repo"
    shutil.copytree(rendered["claude-package"], repo, symlinks=True)
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace("dependencies = [", 'dependencies = [\n  "attrs>=23",', 1))
    found = agentrails(repo, "check", "--no-cache", "--select", "AR406", "--format", "json",
                       check=False)
    rows = json.loads(found.stdout)
    assert [(row["symbol"], row["severity"]) for row in rows] == [("attrs", "warning")]
    rules = repo / "RULES.md"
    rules.write_text(rules.read_text().replace(
        "| -- | -- | -- | -- |",
        "| -- | -- | -- | -- |\n| data classes | attrs | `attrs` | pyproject.toml |", 1))
    assert json.loads(agentrails(repo, "check", "--no-cache", "--select", "AR406",
                                 "--format", "json").stdout) == []


@pytest.mark.parametrize("combo", COMBOS)
def test_zizmor_finds_nothing(rendered: dict[str, Path], combo: str) -> None:
    """Every workflow and the dependabot config, under zizmor's strictest persona."""
    repo = rendered[combo]
    files = [str(p) for p in workflows(repo)] + [str(repo / ".github" / "dependabot.yml")]
    result = run([tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                  *files], repo, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("combo", COMBOS)
def test_workflows_match_githubs_schema(rendered: dict[str, Path], combo: str) -> None:
    repo = rendered[combo]
    jsonschema = tool("check-jsonschema")
    files = [str(p) for p in workflows(repo)]
    run([jsonschema, "--builtin-schema", "vendor.github-workflows", *files], repo)
    run([jsonschema, "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml"], repo)


@pytest.mark.parametrize("combo", COMBOS)
def test_agent_settings_and_rulesets_are_valid_json(rendered: dict[str, Path], combo: str) -> None:
    repo = rendered[combo]
    for path in [*repo.glob(".github/rulesets/*.json"), *repo.glob(".claude/*.json")]:
        json.loads(path.read_text())
    for path in repo.glob("*.toml"):
        tomllib.loads(path.read_text())
    for path in repo.glob(".codex/*.toml"):
        tomllib.loads(path.read_text())


def test_rerender_is_byte_identical(rendered: dict[str, Path], source: Path,
                                    tmp_path: Path) -> None:
    for combo in ("claude-package", "all-tools-adopt"):
        again = tmp_path / combo
        render(source, again, COMBOS[combo])
        assert tree_files(again) == tracked_files(rendered[combo]), combo


def test_render_never_needs_trust() -> None:
    """No feature that makes copier ask for --trust: tasks, migrations, Jinja extensions."""
    for path in copier_config_files():
        config = path.read_text()
        for key in ("_tasks", "_migrations", "_jinja_extensions", "_external_data"):
            assert not re.search(rf"^{key}\s*:", config, re.M), f"{key} in {path.name}"
    assert not {"_tasks", "_migrations", "_jinja_extensions", "_external_data"} & set(
        copier_config())


def test_shims_are_what_sync_context_writes(rendered: dict[str, Path], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(rendered["all-tools-adopt"], repo)
    agentrails(repo, "sync-context", "--write")
    agentrails(repo, "sessions", "--write")
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("combo", COMBOS)
def test_workflows_follow_the_rules(rendered: dict[str, Path], combo: str) -> None:
    """Top-level permissions {}, least privilege per job, SHA pins, no ${{ }} in run:."""
    problems = [p for path in workflows(rendered[combo]) for p in workflow_problems(path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("combo", COMBOS)
def test_gate_needs_every_job(rendered: dict[str, Path], combo: str) -> None:
    name = "ci.yml" if COMBOS[combo]["python_package"] else "agentrails.yml"
    jobs = load_yaml(rendered[combo] / ".github" / "workflows" / name)["jobs"]
    gate = jobs["gate"]
    assert gate["name"] == "gate" and gate["if"] == "always()"
    others = [job for job in jobs if job not in ("gate", "self-heal")]
    assert sorted(gate["needs"]) == sorted(others)
    assert gate["steps"][0]["env"]["RESULTS"] == "${{ join(needs.*.result, ' ') }}"


@pytest.mark.parametrize("combo", COMBOS)
def test_self_heal_job_stays_out_of_the_gate(rendered: dict[str, Path], combo: str) -> None:
    """self-heal (a reusable workflow) reports failures only: it is not one of gate's needs."""
    name = "ci.yml" if COMBOS[combo]["python_package"] else "agentrails.yml"
    jobs = load_yaml(rendered[combo] / ".github" / "workflows" / name)["jobs"]
    assert ("self-heal" in jobs) == COMBOS[combo]["self_heal_workflow"]
    if "self-heal" in jobs:
        assert "self-heal" not in jobs["gate"]["needs"]
        assert jobs["self-heal"]["needs"] == jobs["gate"]["needs"]
        assert jobs["self-heal"]["uses"] == "$/.github/workflows/self-heal.yml"


@pytest.mark.parametrize(
    ("results", "passes"),
    [("success success success", True), ("success failure success", False),
     ("success skipped success", False), ("cancelled", False), ("success", True)],
)
def test_gate_script_fails_unless_every_job_succeeded(
    rendered: dict[str, Path], results: str, passes: bool
) -> None:
    jobs = load_yaml(rendered["claude-package"] / ".github" / "workflows" / "ci.yml")["jobs"]
    script = jobs["gate"]["steps"][0]["run"]
    result = run(["bash", "-e", "-c", script], rendered["claude-package"],
                 env={"RESULTS": results}, check=False)
    assert (result.returncode == 0) == passes, result.stdout


GATE_CHECK = [{"context": "gate", "integration_id": 15368}]


def rules_of(ruleset: dict) -> dict:
    """Rule type -> parameters."""
    return {rule["type"]: rule.get("parameters") for rule in ruleset["rules"]}


def rulesets_of(repo: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (repo / ".github/rulesets").glob("*.json")}


@pytest.mark.parametrize("combo", ["claude-package", "others-package"])
def test_staging_ruleset(rendered: dict[str, Path], combo: str) -> None:
    staging = rulesets_of(rendered[combo])["staging"]
    branch = COMBOS[combo].get("staging_branch", "main")
    assert staging["conditions"]["ref_name"]["include"] == [f"refs/heads/{branch}"]
    assert staging["bypass_actors"] == []
    rules = rules_of(staging)
    assert set(rules) == {"deletion", "non_fast_forward", "pull_request", "required_status_checks"}
    assert rules["pull_request"] == {
        "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": True,
        "require_code_owner_review": True, "require_last_push_approval": True,
        "required_review_thread_resolution": True,
    }
    assert rules["required_status_checks"]["required_status_checks"] == GATE_CHECK


@pytest.mark.parametrize(("combo", "app"), [("claude-package", 123456), ("others-package", None)])
def test_production_rulesets(rendered: dict[str, Path], combo: str, app: int | None) -> None:
    found = rulesets_of(rendered[combo])
    production, promotion = found["production"], found["production-promotion"]
    branch = COMBOS[combo].get("production_branch", "production")
    for ruleset in (production, promotion):
        assert ruleset["conditions"]["ref_name"]["include"] == [f"refs/heads/{branch}"]
    rules = rules_of(production)
    assert set(rules) == {"deletion", "non_fast_forward", "required_status_checks"}
    assert rules["required_status_checks"] == {
        "strict_required_status_checks_policy": True, "required_status_checks": GATE_CHECK}
    assert production["bypass_actors"] == []  # the gate and fast-forward bind the App too
    assert rules_of(promotion) == {"update": {"update_allows_fetch_and_merge": False}}
    actors = [{"actor_id": app, "actor_type": "Integration", "bypass_mode": "always"}]
    assert promotion["bypass_actors"] == (actors if app else [])


REVIEW_PASS = """
## Review pass {n}

| Severity | Finding | Status | Resolution |
| --- | --- | --- | --- |
| High | The backfill locks the orders table | resolved | Batches of 1000 rows |
| Low | Name the new table in the plan | open | |
"""


def test_documented_workflow_passes_the_checks(rendered: dict[str, Path], tmp_path: Path) -> None:
    """A handoff and a plan made from the templates as the READMEs describe stay green; a
    plan accepted before its two review passes does not."""
    repo = tmp_path / "repo"
    shutil.copytree(rendered["claude-package"], repo)
    agentrails(repo, "handoff", "new", "first-session")
    agentrails(repo, "migration", "new", "split-storage")
    agentrails(repo, "check", "--no-cache")
    (plan,) = (repo / "migrations").glob("*-split-storage.md")
    plan.write_text(plan.read_text().replace("status: draft", "status: accepted"))
    early = agentrails(repo, "check", "--no-cache", check=False)
    assert early.returncode == 1 and "AR602" in early.stdout
    plan.write_text(plan.read_text() + REVIEW_PASS.format(n=1) + REVIEW_PASS.format(n=2))
    agentrails(repo, "check", "--no-cache")
