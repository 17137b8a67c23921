"""The generated cleanup.yml and self-heal.yml: each part follows its copier switch, every job
has least privilege, self-heal is a reusable workflow the CI workflow calls (no dangerous
trigger) and never runs untrusted code, all pass zizmor (default and pedantic personas, no
suppression) and GitHub's workflow schema; and the telemetry option wires Claude Code's
OpenTelemetry export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.helpers.template import load_yaml, render, run, tool, workflow_problems

pytestmark = pytest.mark.slow

UPLOAD_ARTIFACT = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0"
ALL_PARTS = {"cleanup_branches": True, "cleanup_dead_code": True, "cleanup_report": True,
             "cleanup_audit": True}
VARIANTS: dict[str, dict] = {
    "everything": {"project_name": "Acme Billing", "agent_tools": ["claude"],
                   "python_package": True, "cleanup_workflow": True, **ALL_PARTS,
                   "self_heal_workflow": True, "telemetry": "langsmith"},
    "report-adopt": {"project_name": "Old Service", "agent_tools": ["claude", "codex"],
                     "python_package": False, "staging_branch": "develop",
                     "cleanup_workflow": True, **ALL_PARTS, "cleanup_branches": False,
                     "cleanup_dead_code": False, "cleanup_audit": False,
                     "self_heal_workflow": True, "telemetry": "otlp",
                     "telemetry_endpoint": "https://otel.example.com:4317",
                     "telemetry_protocol": "grpc"},
    "audit-only": {"project_name": "Lean", "agent_tools": ["claude"], "python_package": True,
                   "cleanup_workflow": True, **ALL_PARTS, "cleanup_branches": False,
                   "cleanup_dead_code": False, "cleanup_report": False,
                   "self_heal_workflow": False},
}
JOBS = {"cleanup_branches": "merged-branches", "cleanup_dead_code": "dead-code",
        "cleanup_report": "report", "cleanup_audit": "audit"}
OPTIONS = {"cleanup_branches": "branches", "cleanup_dead_code": "dead-code",
           "cleanup_report": "report", "cleanup_audit": "audit"}
PERMISSIONS = {
    "merged-branches": {"contents": "write", "pull-requests": "read"},
    "dead-code": {"contents": "read", "issues": "write"},
    "report": {"contents": "read", "actions": "read"},
    "audit": {"contents": "read"},
}


@pytest.fixture(scope="module")
def rendered(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("variants")
    for name, data in VARIANTS.items():
        render(source, root / name, data)
    return {name: root / name for name in VARIANTS}


def workflow(repo: Path, name: str) -> dict:
    return load_yaml(repo / ".github" / "workflows" / name)


def expected_crons(data: dict) -> set[str]:
    """Mondays for branches and dead code, Wednesdays for the report, the 1st for the audit."""
    wanted = {"23 4 * * 1": data["cleanup_branches"] or data["cleanup_dead_code"],
              "47 4 * * 3": data["cleanup_report"], "11 5 1 * *": data["cleanup_audit"]}
    return {cron for cron, on in wanted.items() if on}


@pytest.mark.parametrize("variant", VARIANTS)
def test_cleanup_parts_follow_their_switches(rendered: dict[str, Path], variant: str) -> None:
    data = VARIANTS[variant]
    cleanup = workflow(rendered[variant], "cleanup.yml")
    on = [switch for switch in JOBS if data[switch]]
    assert set(cleanup["jobs"]) == {JOBS[switch] for switch in on}
    assert {entry["cron"] for entry in cleanup["on"]["schedule"]} == expected_crons(data)
    inputs = cleanup["on"]["workflow_dispatch"]["inputs"]
    assert inputs["part"]["options"] == [OPTIONS[switch] for switch in on]
    assert ("dry-run" in inputs) == data["cleanup_branches"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_job_has_least_privilege_and_its_trigger(
    rendered: dict[str, Path], variant: str
) -> None:
    jobs = workflow(rendered[variant], "cleanup.yml")["jobs"]
    loop = {"issues": "read", "pull-requests": "read"} if VARIANTS[variant][
        "self_heal_workflow"] else {}
    assert {job_id: job["permissions"] for job_id, job in jobs.items()} == {
        job_id: {**PERMISSIONS[job_id], **(loop if job_id == "report" else {})}
        for job_id in jobs}
    assert all(f"inputs.part == '{OPTIONS[_switch(job_id)]}'" in job["if"]
               for job_id, job in jobs.items())


def _switch(job_id: str) -> str:
    return next(switch for switch, job in JOBS.items() if job == job_id)


def test_only_the_dead_code_job_may_write_issues(rendered: dict[str, Path]) -> None:
    cleanup = workflow(rendered["everything"], "cleanup.yml")
    writers = [job_id for job_id, job in cleanup["jobs"].items()
               if job["permissions"].get("issues") == "write"]
    assert writers == ["dead-code"]
    steps = cleanup["jobs"]["dead-code"]["steps"]
    with_token = [step.get("name") for step in steps if "GH_TOKEN" in step.get("env", {})]
    assert with_token == ["Open, update or close the dead-code issue"]
    assert steps[-1]["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_report_job_is_biweekly_compares_and_uploads(rendered: dict[str, Path]) -> None:
    text = (rendered["everything"] / ".github/workflows/cleanup.yml").read_text()
    steps = workflow(rendered["everything"], "cleanup.yml")["jobs"]["report"]["steps"]
    report = next(step for step in steps if step.get("id") == "report")
    script = report["run"]
    assert "%V" in script and "gh run download" in script and "--compare" in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script and 'echo "done=true"' in script
    assert f"uses: {UPLOAD_ARTIFACT}\n" in text
    upload = steps[-1]
    assert upload["if"] == "steps.report.outputs.done == 'true'"
    assert upload["with"]["name"] == "agentrails-report"
    assert upload["with"]["if-no-files-found"] == "error"


def test_cleanup_fits_the_smallest_file_cap(rendered: dict[str, Path]) -> None:
    """copier.yml allows a file cap of 200 lines: every part on must still fit (AR101)."""
    text = (rendered["everything"] / ".github/workflows/cleanup.yml").read_text()
    assert len(text.splitlines()) <= 200


def test_audit_runs_pip_audit_zizmor_and_the_agent_rules(rendered: dict[str, Path]) -> None:
    steps = workflow(rendered["audit-only"], "cleanup.yml")["jobs"]["audit"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert '"pip-audit==' in scripts and '"zizmor==' in scripts
    assert "pip-audit . " in scripts and "pip-audit --requirement" in scripts
    assert "zizmor --format github .github/workflows" in scripts
    assert "agentrails check --select AR7" in scripts
    assert [step.get("if") for step in steps[-2:]] == ["success() || failure()"] * 2


def ci_name(data: dict) -> str:
    return "ci.yml" if data["python_package"] else "agentrails.yml"


@pytest.mark.parametrize("variant", ["everything", "report-adopt"])
def test_self_heal_is_called_by_ci_on_failed_pushes_to_staging_only(
    rendered: dict[str, Path], variant: str
) -> None:
    data = VARIANTS[variant]
    staging = data.get("staging_branch", "main")
    heal = workflow(rendered[variant], "self-heal.yml")
    assert heal["on"] == {"workflow_call": None}  # no workflow_run, no dangerous trigger
    (job,) = heal["jobs"].values()
    assert job["if"] == f"github.event_name == 'push' && github.ref == 'refs/heads/{staging}'"
    assert job["permissions"] == {"actions": "read", "issues": "write"}
    jobs = workflow(rendered[variant], ci_name(data))["jobs"]
    caller = jobs["self-heal"]
    assert caller == {
        "needs": [job_id for job_id in jobs if job_id not in ("gate", "self-heal")],
        "if": f"failure() && github.event_name == 'push' && github.ref == 'refs/heads/{staging}'",
        "permissions": {"actions": "read", "issues": "write"},
        "uses": "$/.github/workflows/self-heal.yml",
    }
    assert "self-heal" not in jobs["gate"]["needs"]  # never part of the required check


def test_ci_has_no_self_heal_job_when_it_is_off(rendered: dict[str, Path]) -> None:
    assert not (rendered["audit-only"] / ".github/workflows/self-heal.yml").exists()
    assert "self-heal" not in workflow(rendered["audit-only"], "ci.yml")["jobs"]


def test_self_heal_never_runs_untrusted_code(rendered: dict[str, Path]) -> None:
    text = (rendered["everything"] / ".github/workflows/self-heal.yml").read_text()
    (job,) = workflow(rendered["everything"], "self-heal.yml")["jobs"].values()
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/setup-python"]  # no checkout, no artifact download
    scripts = _scripts(job)
    assert [word for word in ("gh run download", "GITHUB_ENV", "GITHUB_OUTPUT", "eval ")
            if word in scripts] == []
    assert "agentrails sanitize --tail" in scripts
    assert '.name != "gate"' in scripts and 'startswith("self-heal")' in scripts
    env = job["steps"][-1]["env"]
    assert {value for value in env.values() if "${{" in str(value)} == {
        "${{ github.token }}", "${{ github.repository }}", "${{ github.server_url }}",
        "${{ github.run_id }}", "${{ github.sha }}",
    }
    assert "zizmor:" not in text  # no suppression of any audit
    assert "secrets" not in text


def _scripts(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def zizmor(repo: Path, files: list[Path], *persona: str) -> str:
    result = run([tool("zizmor"), "--offline", "--no-progress", *persona,
                  *map(str, files)], repo, check=False)
    assert result.returncode in (0, 13, 14), result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("persona", [[], ["--persona", "pedantic"]], ids=["default", "pedantic"])
def test_zizmor_and_githubs_schema(rendered: dict[str, Path], variant: str,
                                   persona: list[str]) -> None:
    repo = rendered[variant]
    files = [p for p in (repo / ".github/workflows/cleanup.yml",
                         repo / ".github/workflows/self-heal.yml",
                         repo / ".github/workflows" / ci_name(VARIANTS[variant])) if p.exists()]
    out = zizmor(repo, files, *persona)
    assert "No findings to report" in out, out
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         *map(str, files)], repo)


@pytest.mark.parametrize("variant", ["everything", "report-adopt"])
@pytest.mark.parametrize("persona", [[], ["--persona", "pedantic"]], ids=["default", "pedantic"])
def test_self_heal_needs_no_suppression(
    rendered: dict[str, Path], variant: str, persona: list[str]
) -> None:
    """self-heal.yml and the CI workflow calling it carry no zizmor ignore comment, and zizmor
    finds nothing in them even when told to disregard every ignore (--no-ignores)."""
    workflows = rendered[variant] / ".github" / "workflows"
    files = [workflows / "self-heal.yml", workflows / ci_name(VARIANTS[variant])]
    assert [path.name for path in files if "zizmor: ignore" in path.read_text()] == []
    out = zizmor(rendered[variant], files, "--no-ignores", *persona)
    assert "No findings to report" in out, out
    assert re.findall(r"^(?:error|warning|help|info)\[([a-z-]+)\]", out, re.M) == []


def test_agentrails_is_pinned_like_every_other_channel(rendered: dict[str, Path]) -> None:
    repo = rendered["everything"]
    pyproject_pin = re.search(r'"agentrails==([^"]+)"', (repo / "pyproject.toml")
                              .read_text())[1]
    for name in ("cleanup.yml", "self-heal.yml"):
        pins = set(re.findall(r'"agentrails==([^"]+)"',
                              (repo / ".github/workflows" / name).read_text()))
        assert pins == {pyproject_pin}, name


@pytest.mark.parametrize("variant", VARIANTS)
def test_workflow_rules_of_the_template(rendered: dict[str, Path], variant: str) -> None:
    """The template's own rules (permissions, timeouts, SHA pins, no ${{ }} in run:); the
    upload-artifact pin is reviewed here until the shared list of pins has it."""
    workflows = rendered[variant] / ".github" / "workflows"
    names = ("cleanup.yml", "self-heal.yml", ci_name(VARIANTS[variant]))
    problems = [problem for name in names
                if (workflows / name).exists() for problem in workflow_problems(workflows / name)
                if "actions/upload-artifact is not a reviewed action" not in problem]
    assert problems == []


@pytest.mark.parametrize(
    ("variant", "env"),
    [
        ("everything", {  # uv: UV_NO_SYNC keeps `uv run` off the sandbox's read-only .venv
            "UV_NO_SYNC": "1",
            "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none",
            "OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/json",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":
                "https://api.smith.langchain.com/otel/v1/claude_code"}),
        ("report-adopt", {
            "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "otlp",
            "OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.com:4317"}),
        ("audit-only", {"UV_NO_SYNC": "1"}),
    ],
)
def test_telemetry_wiring(rendered: dict[str, Path], variant: str, env: dict) -> None:
    repo = rendered[variant]
    settings = json.loads((repo / ".claude" / "settings.json").read_text())
    assert settings.get("env") == env
    assert "OTEL_EXPORTER_OTLP_HEADERS" not in json.dumps(settings)  # secrets stay out
    docs = (repo / "docs" / "observability.md").read_text()
    assert "OTEL_EXPORTER_OTLP_HEADERS" in docs
    assert ("Off (`telemetry`)" in docs) == ("CLAUDE_CODE_ENABLE_TELEMETRY" not in env)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"cleanup_branches": False, "cleanup_dead_code": False, "cleanup_report": False,
          "cleanup_audit": False}, "cleanup.yml needs at least one part"),
        ({"telemetry": "otlp", "telemetry_endpoint": "http://user:secret@collector"},
         "without credentials"),
        ({"telemetry": "otlp", "telemetry_endpoint": "collector:4317"}, "http:// or https://"),
    ],
)
def test_bad_answers_are_refused(source: Path, tmp_path: Path, answers: dict,
                                 message: str) -> None:
    result = render(source, tmp_path / "out", answers, check=False)
    assert result.returncode != 0
    assert message in " ".join(result.stderr.split())
