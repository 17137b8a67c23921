"""Every channel honours the baseline and warn mode (text, json, github, sarif, the stop-gate
hook), and a baseline that cannot be used is a clear error, never an empty baseline."""

from __future__ import annotations

import io
import json

import pytest

from tests.helpers.baseline import CONFIG, tangle
from tests.helpers.repo import git

GOOD_ENTRY = {"code": "AR201", "path": "app.py", "symbol": "old", "hash": "", "value": 5}


@pytest.fixture
def project(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": CONFIG,
        "app.py": tangle("old", 4),
        "README.md": "# app\n",
    })
    assert cli("baseline", "--config", repo / "agentrails.toml").code == 0
    (repo / "new.py").write_text(tangle("fresh", 4))
    return repo


def _baseline(repo, data) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    (repo / "agentrails-baseline.json").write_text(text)


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "is not valid JSON (line 1, column 2"),
    ("", "is not valid JSON"),
    ([], "not an agentrails baseline"),
    ({"version": 1}, "not an agentrails baseline"),
    ({"version": 9, "entries": []}, "written by a newer agentrails (baseline version 9"),
    ({"version": "1", "entries": []}, "'version' must be a positive integer"),
    ({"version": True, "entries": []}, "'version' must be a positive integer"),
    ({"version": 1, "entries": {}}, "'entries' must be a list"),
    ({"version": 1, "entries": [["AR201"]]}, "entry 1: expected the keys"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "extra": 1}]}, "entry 1: expected the keys"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "code": "ar201"}]}, "entry 1: bad code"),
    ({"version": 1, "entries": [GOOD_ENTRY, {**GOOD_ENTRY, "path": ""}]}, "entry 2: bad path"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "hash": "xyz"}]}, "entry 1: bad hash"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "value": "5"}]}, "entry 1: bad value"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "value": True}]}, "entry 1: bad value"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "count": 0}]}, "entry 1: bad count"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "count": 1_000_001}]}, "entry 1: bad count"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "count": 600_000}] * 2},
     "entry 2: count 600000 takes the baseline past 1,000,000 entries"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "value": 1e16}]}, "entry 1: bad value"),
    ({"version": 1, "entries": [{**GOOD_ENTRY, "context": "nothex"}]}, "entry 1: bad context"),
    ({"version": 1, "commit": "0" * 40, "entries": []}, "unknown key 'commit' in a version 1"),
    ({"version": 2, "commit": "HEAD", "entries": []}, "'commit' must be a git commit id"),
    ({"version": 2, "entries": [], "notes": "x"}, "unknown key 'notes'"),
    ('{"version": 2, "entries": ' + "[" * 40 + "]" * 40 + "}", "key 'entries[0][0]"),
    ('{"version": 2, "entries": [' + "1" * 30 + "]}", "a number of more than 20 digits"),
])
@pytest.mark.parametrize("command", [("check",), ("baseline", "--prune"), ("baseline",)])
def test_an_unusable_baseline_is_a_clear_error(project, cli, content, problem, command):
    _baseline(project, content)
    argv = [*command, project] if command == ("check",) else [
        *command, "--config", project / "agentrails.toml"]
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith(f"agentrails: error: {project / 'agentrails-baseline.json'}: ")
    assert problem in result.err and len(result.err.splitlines()) == 1
    assert "Traceback" not in result.err


def test_a_baseline_that_is_not_utf8_is_an_error(project, cli):
    (project / "agentrails-baseline.json").write_bytes(b"\xff\xfe{}")
    result = cli("check", project)
    assert result.code == 2 and "is not UTF-8 text" in result.err


def test_a_configured_baseline_that_is_missing_is_an_error(project, cli):
    config = project / "agentrails.toml"
    config.write_text('baseline = "debt.json"\n' + CONFIG)
    result = cli("check", project)
    assert result.code == 2
    expected = "baseline 'debt.json' does not exist (create it with `agentrails baseline`)"
    assert expected in result.err


def test_update_replaces_an_unusable_baseline_when_asked(project, cli):
    _baseline(project, "{broken")
    result = cli("baseline", "--update", "--config", project / "agentrails.toml")
    assert result.code == 0 and "replacing an unusable baseline" in result.err
    assert cli("check", project).code == 0


def test_json_reports_new_findings_only(project, cli):
    result = cli("check", "--format", "json", project)
    assert result.code == 1
    assert [(f["path"], f["symbol"], f["severity"]) for f in json.loads(result.out)] == [
        ("new.py", "fresh", "error")
    ]


def test_sarif_marks_each_result_new_or_unchanged(project, cli):
    log = json.loads(cli("check", "--format", "sarif", project).out)
    states = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["baselineState"]) for r in log["runs"][0]["results"]}
    assert states == {("app.py", "unchanged"), ("new.py", "new")}


def test_sarif_without_a_baseline_has_no_baseline_state(project, cli):
    log = json.loads(cli("check", "--format", "sarif", "--no-baseline", project).out)
    assert all("baselineState" not in r for r in log["runs"][0]["results"])


def test_github_annotations_skip_baselined_and_note_stale(project, cli):
    (project / "app.py").write_text("x = 1\n")
    out = cli("check", "--format", "github", project).out
    assert out.count("::error ") == 1 and "file=new.py" in out
    assert "::notice title=stale baseline entry,file=agentrails-baseline.json::" in out


def test_warn_mode_reports_without_failing_in_every_format(git_repo, cli):
    repo = git_repo({"agentrails.toml": 'warn = ["AR2"]\n' + CONFIG, "app.py": tangle("old", 4)})
    text = cli("check", repo)
    assert text.code == 0
    expected = "app.py:1:1: AR201 function 'old' is too complex (5 > 3) (warning: not failing)"
    assert expected in text.out
    assert text.out.endswith("All checks passed (2 files checked). 1 warning (warn mode, "
                             "not failing).\n")
    rows = json.loads(cli("check", "--format", "json", repo).out)
    assert [row["severity"] for row in rows] == ["warning"]
    assert cli("check", "--format", "github", repo).out.startswith("::warning title=AR201")
    sarif = json.loads(cli("check", "--format", "sarif", repo).out)
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["warning"]


def test_warn_mode_does_not_hide_other_findings(git_repo, cli):
    repo = git_repo({"agentrails.toml": 'warn = ["AR201"]\n' + CONFIG + "[size]\nmax-lines = 2\n",
                     "app.py": tangle("old", 4)})
    result = cli("check", repo)
    assert result.code == 1 and "AR101" in result.out and "(warning: not failing)" in result.out


def test_a_warn_selector_that_names_no_rule_is_a_config_error(git_repo, cli):
    repo = git_repo({"agentrails.toml": 'warn = ["AR999"]\n', "a.py": "x = 1\n"})
    result = cli("check", repo)
    assert result.code == 2 and "warn: 'AR999' matches no rule" in result.err


def test_rules_shipped_in_warn_mode_warn_until_the_project_says_otherwise(git_repo, cli,
                                                                          monkeypatch):
    from agentrails.checks.complexity.rules import ComplexFunction

    monkeypatch.setattr(ComplexFunction, "warn_by_default", True)
    repo = git_repo({"agentrails.toml": CONFIG, "app.py": tangle("old", 4)})
    assert cli("check", repo).code == 0
    (repo / "agentrails.toml").write_text("warn = []\n" + CONFIG)
    assert cli("check", repo).code == 1


def test_the_stop_gate_honours_the_baseline(project, monkeypatch):
    from agentrails.hooks import stop_gate

    event = io.BytesIO(json.dumps({"hook_event_name": "Stop", "cwd": str(project)}).encode())
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
    assert stop_gate.main(event) == stop_gate.EXIT_CONTINUE  # new.py is new
    (project / "new.py").unlink()
    event.seek(0)
    assert stop_gate.main(event) == stop_gate.EXIT_STOP  # app.py's debt is baselined


def test_report_counts_baselined_findings_as_debt_and_shows_the_trend(project, cli):
    first = project / "old.json"
    assert cli("report", "--output", first, project).code == 0
    old = json.loads(first.read_text())
    assert old["findings"]["by_code"] == {"AR201": 1}  # new.py only
    assert old["debt"] == {"baseline": "agentrails-baseline.json", "baselined": 1,
                           "by_code": {"AR201": 1}, "stale": 0, "warnings": 0}
    (project / "app.py").write_text("x = 1\n")  # the debt is paid
    now = json.loads(cli("report", "--compare", first, project).out)
    rows = {row["measure"]: (row["old"], row["new"]) for row in now["delta"]["measures"]}
    assert rows["debt.baselined"] == (1, 0) and rows["debt.stale"] == (0, 1)
    markdown = cli("report", "--format", "markdown", project).out
    assert "## Debt\n\n0 findings are accepted as debt in `agentrails-baseline.json`; 1 of" in (
        markdown)


def test_a_report_from_before_the_debt_section_still_compares(project, cli):
    first = project / "old.json"
    cli("report", "--output", first, project)
    data = json.loads(first.read_text())
    del data["debt"]
    first.write_text(json.dumps(data))
    rows = json.loads(cli("report", "--compare", first, project).out)["delta"]["measures"]
    assert {"measure": "debt.baselined", "old": 0, "new": 1, "change": 1} in rows


def test_rules_lists_the_rules_that_ship_in_warn_mode(cli, monkeypatch):
    from agentrails.checks.complexity.rules import ComplexFunction

    line = "AR201  function too complex (cyclomatic complexity)"
    assert line in cli("rules").out.splitlines()
    monkeypatch.setattr(ComplexFunction, "warn_by_default", True)
    assert "AR201  function too complex (cyclomatic complexity)  (warn mode in this release)" in (
        cli("rules").out.splitlines())
    rows = json.loads(cli("rules", "--format", "json").out)
    assert [row["code"] for row in rows if row["warn_by_default"]] == ["AR201", "AR406"]


def test_a_version_1_baseline_is_still_read_and_written_as_version_2(project, cli):
    git(project, "add", "-A")
    git(project, "commit", "-qm", "adopt")
    _baseline(project, {"version": 1, "entries": [GOOD_ENTRY]})
    assert cli("check", project).code == 1  # new.py's finding; app.py's is baselined
    assert cli("baseline", "--prune", "--config", project / "agentrails.toml").code == 1
    data = json.loads((project / "agentrails-baseline.json").read_text())
    assert data["version"] == 2 and len(data["commit"]) == 40
    assert [entry["symbol"] for entry in data["entries"]] == ["old"]


@pytest.mark.parametrize("count", [1, 1_000_000])
def test_counts_up_to_the_bound_are_read(tmp_path, count):
    from agentrails.engine.baseline.entries import read

    path = tmp_path / "b.json"
    path.write_text(json.dumps({"version": 2, "entries": [{**GOOD_ENTRY, "count": count}]}))
    assert len(read(path).entries) == count
