"""``agentrails baseline`` and a check against it: adoption on existing code, the ratchet,
stale entries, and a baseline file that cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentrails.engine.baseline.entries import Entry, read, render, write
from tests.helpers.baseline import CONFIG, tangle


@pytest.fixture
def project(git_repo):
    return git_repo({
        "agentrails.toml": CONFIG,
        "app.py": tangle("old", 4) + "\n\n" + tangle("older", 5) + "\n",
        "util.py": tangle("fine", 1),
    })


def test_baseline_then_check_is_green_and_says_how_much_debt_remains(project, cli):
    assert cli("check", project, cwd=project).code == 1
    made = cli("baseline", "--config", project / "agentrails.toml")
    assert made.code == 0 and "Wrote agentrails-baseline.json: 2 entries" in made.out
    result = cli("check", project, cwd=project)
    assert result.code == 0
    assert result.out.splitlines()[-2:] == [
        "2 baselined findings remain in agentrails-baseline.json.",
        "All checks passed (3 files checked).",
    ]


def test_a_new_finding_fails_alone(project, cli):
    cli("baseline", "--config", project / "agentrails.toml")
    (project / "util.py").write_text(tangle("fine", 1) + "\n\n" + tangle("fresh", 4))
    result = cli("check", project, cwd=project)
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "AR201" in line] == [
        "util.py:7:1: AR201 function 'fresh' is too complex (5 > 3)"
    ]


def test_edits_elsewhere_and_moved_functions_stay_baselined(project, cli):
    cli("baseline", "--config", project / "agentrails.toml")
    head = "\n" * 50 + '"""Moved around."""\n# a comment\n\n\n'
    moved = head + tangle("older", 5) + "\n\n" + tangle("old", 4)
    (project / "app.py").write_text(moved)
    assert cli("check", project, cwd=project).code == 0


def test_a_finding_that_got_worse_fails_and_says_its_baselined_value(project, cli):
    cli("baseline", "--config", project / "agentrails.toml")
    (project / "app.py").write_text(tangle("old", 6) + "\n\n" + tangle("older", 5) + "\n")
    result = cli("check", project, cwd=project)
    assert result.code == 1
    assert "app.py:1:1: AR201 function 'old' is too complex (7 > 3; baselined at 5)" in result.out
    assert "'older'" not in result.out


def test_a_finding_that_got_better_stays_baselined_and_prune_tightens_it(project, cli):
    config = project / "agentrails.toml"
    cli("baseline", "--config", config)
    (project / "app.py").write_text(tangle("old", 3) + "\n\n" + tangle("older", 5) + "\n")
    assert cli("check", project, cwd=project).code == 0
    assert cli("baseline", "--prune", "--config", config).code == 0
    values = {e.symbol: e.value for e in read(project / "agentrails-baseline.json").entries}
    assert values == {"old": 4, "older": 6}
    (project / "app.py").write_text(tangle("old", 4) + "\n\n" + tangle("older", 5) + "\n")
    assert cli("check", project, cwd=project).code == 1  # back to 5: worse than the tightened 4


def test_stale_entries_are_named_and_pruned(project, cli):
    config = project / "agentrails.toml"
    cli("baseline", "--config", config)
    (project / "app.py").write_text(tangle("old", 4) + "\n")
    result = cli("check", project, cwd=project)
    assert result.code == 0
    assert "agentrails-baseline.json: stale entry: AR201 in app.py ('older')" in result.out
    assert "run `agentrails baseline --prune`" in result.out
    pruned = cli("baseline", "--prune", "--config", config)
    assert pruned.code == 0 and "2 entries before, 1 now (1 fixed)" in pruned.out
    assert [e.symbol for e in read(project / "agentrails-baseline.json").entries] == ["old"]
    assert "stale" not in cli("check", project, cwd=project).out


def test_the_baseline_only_shrinks_unless_updated_on_purpose(project, cli):
    config = project / "agentrails.toml"
    cli("baseline", "--config", config)
    (project / "util.py").write_text(tangle("fresh", 4))
    again = cli("baseline", "--config", config)
    assert again.code == 1 and "were not added" in again.err
    assert cli("check", project, cwd=project).code == 1
    assert cli("baseline", "--update", "--config", config).code == 0
    assert cli("check", project, cwd=project).code == 0
    assert len(read(project / "agentrails-baseline.json").entries) == 3


def test_stale_entries_outside_the_checked_paths_or_codes_are_not_named(project, cli):
    cli("baseline", "--config", project / "agentrails.toml")
    (project / "app.py").write_text("x = 1\n")
    assert "stale" not in cli("check", project / "util.py").out
    assert "stale" not in cli("check", "--select", "AR1", project).out
    assert "stale entry" in cli("check", project / "app.py").out


def test_no_baseline_flag_reports_everything(project, cli):
    cli("baseline", "--config", project / "agentrails.toml")
    result = cli("check", "--no-baseline", project)
    assert result.code == 1 and "baselined" not in result.out


def test_writing_twice_gives_identical_bytes(project, cli):
    config = project / "agentrails.toml"
    cli("baseline", "--config", config)
    first = (project / "agentrails-baseline.json").read_bytes()
    cli("baseline", "--update", "--config", config)
    assert (project / "agentrails-baseline.json").read_bytes() == first
    data = json.loads(first)
    assert data["version"] == 2
    assert [(e["path"], e["symbol"]) for e in data["entries"]] == [
        ("app.py", "old"), ("app.py", "older")
    ]


def test_render_folds_repeats_sorts_and_round_trips(tmp_path: Path):
    entries = [
        Entry("AR301", "b.py", "x", "0123456789abcdef", None),
        Entry("AR201", "a.py", "f", "", 12.0),
        Entry("AR301", "b.py", "x", "0123456789abcdef", None),
        Entry("AR202", "a.py", "", "", 7.25),
    ]
    path = tmp_path / "b.json"
    write(path, entries)
    assert sorted(read(path).entries, key=repr) == sorted(entries, key=repr)
    text = path.read_text()
    assert text == render(reversed(entries))
    assert '"count": 2' in text and '"value": 12}' in text and '"value": 7.25' in text
    assert text.index('"a.py"') < text.index('"b.py"')


def test_the_baseline_file_is_not_itself_checked(project, cli):
    (project / "agentrails.toml").write_text(CONFIG + "[size]\nmax-lines = 2\n")
    cli("baseline", "--config", project / "agentrails.toml")
    assert "agentrails-baseline.json:" not in cli("check", "--no-baseline", project).out


def test_a_configured_baseline_path_is_used(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": 'baseline = "quality/debt.json"\n' + CONFIG,
        "app.py": tangle("old", 4),
    })
    assert cli("baseline", "--config", repo / "agentrails.toml").code == 0
    assert (repo / "quality" / "debt.json").is_file()
    assert "1 baselined finding remains in quality/debt.json." in cli("check", repo).out


def test_prune_keeps_the_entry_of_a_finding_that_got_worse(project, cli):
    config = project / "agentrails.toml"
    cli("baseline", "--config", config)
    (project / "app.py").write_text(tangle("old", 6) + "\n\n" + tangle("older", 5) + "\n")
    result = cli("check", project, cwd=project)
    assert result.code == 1 and "stale" not in result.out
    assert cli("baseline", "--prune", "--config", config).code == 1
    (project / "app.py").write_text(tangle("old", 4) + "\n\n" + tangle("older", 5) + "\n")
    assert cli("check", project, cwd=project).code == 0


def test_identical_entries_of_a_moved_file_all_follow_it_by_content(plain_dir, cli):
    project = plain_dir({
        "agentrails.toml": 'select = ["AR403"]\n[context]\nfiles = ["notes.md"]\n',
        "notes.md": "# Notes\n\n" + "[a](missing.md)\n" * 3,
    })
    config = project / "agentrails.toml"
    assert cli("baseline", "--config", config).code == 0
    (project / "notes.md").rename(project / "renamed.md")
    config.write_text('select = ["AR403"]\n[context]\nfiles = ["renamed.md"]\n')
    result = cli("check", project, cwd=project)
    assert result.code == 0, result.out
    assert "entries followed renamed files (notes.md -> renamed.md)" in result.out
    assert cli("baseline", "--prune", "--config", config).code == 0
    assert [e.path for e in read(project / "agentrails-baseline.json").entries] == [
        "renamed.md"] * 3
