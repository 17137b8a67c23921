"""Report formats: text, json, github workflow commands and SARIF 2.1.0 (schema-validated)."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.engine.baseline.verdict import Verdict
from agentrails.engine.findings import Finding
from agentrails.engine.output.formats import render_github, render_sarif
from agentrails.engine.registry import all_rules
from tests.helpers.repo import git
from tests.helpers.sarif import sarif_validator as published_validator

CONFLICT = "<<<<<<< before updating\nold\n=======\nnew\n>>>>>>> after updating\n"


@pytest.fixture(scope="session")
def sarif_validator():
    return published_validator()


def _weird_repo(git_repo) -> Path:
    repo = git_repo({
        "agentrails.toml": "size = { max-lines = 4, per-glob = { '*.toml' = 0 } }\n",
        "docs/long notes.md": "1\n2\n3\n4\n5\n6\n",
        "we,ird:100% #1?.rej": "x\n",
        "café/merge.md": CONFLICT,
        "ok.py": "x = 1\n",
    })
    name = os.fsdecode(b"latin-\xe9.orig")
    (repo / name).write_text("x\n")
    git(repo, "add", "--", name)
    return repo


def _github_requirements(log: dict, raw: str, repo: Path) -> None:
    """What GitHub code scanning checks beyond the schema (its SARIF support page and limits)."""
    assert log["version"] == "2.1.0" and log["$schema"]
    assert len(gzip.compress(raw.encode("utf-8"))) <= 10 * 1024 * 1024
    assert 1 <= len(log["runs"]) <= 20
    for run in log["runs"]:
        rules = _driver_rules(run["tool"]["driver"])
        assert len(run["results"]) <= 25_000
        for result in run["results"]:
            _check_result(result, rules, repo)


def _check_result(result: dict, rules: list[dict], repo: Path) -> None:
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert result["message"]["text"]
    assert 1 <= len(result["locations"]) <= 1000
    for location in result["locations"]:
        _check_location(location["physicalLocation"], repo)


def _driver_rules(driver: dict) -> list[dict]:
    assert driver["name"] == "agentrails" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)) <= 25_000
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert len(rule.get("properties", {}).get("tags", [])) <= 20
    return driver["rules"]


def _check_location(physical: dict, repo: Path) -> None:
    uri = physical["artifactLocation"]["uri"]
    assert not urlsplit(uri).scheme and not uri.startswith("/"), uri
    assert (repo / unquote(uri, errors="surrogateescape")).is_file(), uri
    assert physical["region"]["startLine"] >= 1
    assert physical["region"].get("startColumn", 1) >= 1


def test_sarif_validates_against_the_published_schema(sarif_validator, git_repo, cli):
    repo = _weird_repo(git_repo)
    result = cli("check", "--format", "sarif", repo)
    assert result.code == 1
    log = json.loads(result.out)
    errors = [error.message for error in sarif_validator.iter_errors(log)]
    assert errors == []
    _github_requirements(log, result.out, repo)
    as_json = json.loads(cli("check", "--format", "json", repo).out)
    assert len(log["runs"][0]["results"]) == len(as_json) == 7
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert "we%2Cird%3A100%25%20%231%3F.rej" in uris and "latin-%E9.orig" in uris


def test_clean_sarif_is_valid_too(sarif_validator, git_repo, cli):
    repo = git_repo({"ok.py": "x = 1\n"})
    result = cli("check", "--format", "sarif", repo)
    log = json.loads(result.out)
    assert result.code == 0 and log["runs"][0]["results"] == []
    assert list(sarif_validator.iter_errors(log)) == []
    assert {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]} == set(all_rules())


def test_the_schema_check_is_not_a_rubber_stamp(sarif_validator):
    finding = Finding("a.rej", 1, 1, "AR902", "leftover")
    log = json.loads(render_sarif(Verdict([finding], 1), all_rules()))
    assert list(sarif_validator.iter_errors(log)) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "has space.rej"
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    messages = " ".join(error.message for error in sarif_validator.iter_errors(log))
    assert "'fatal' is not one of" in messages
    assert "is not a 'uri-reference'" in messages
    assert "'name' is a required property" in messages


def test_text_format(git_repo, cli):
    repo = git_repo({"b.rej": "", "a.md": CONFLICT, "ok.txt": "fine\n"})
    result = cli("check", repo, cwd=repo)
    assert result.code == 1
    assert result.out == (
        "a.md:1:1: AR901 conflict marker '<<<<<<<'\n"
        "a.md:3:1: AR901 conflict marker '======='\n"
        "a.md:5:1: AR901 conflict marker '>>>>>>>'\n"
        "b.rej:1:1: AR902 leftover from an update or merge\n"
        "Found 4 findings in 3 files checked.\n"
    )
    one = cli("check", repo / "b.rej", cwd=repo)
    assert one.out.endswith("Found 1 finding in 1 file checked.\n")
    assert cli("check", repo / "ok.txt", cwd=repo).out == "All checks passed (1 file checked).\n"


def test_json_format(git_repo, cli):
    repo = git_repo({"agentrails.toml": "size = { max-lines = 2 }\n", "b.rej": "1\n2\n3\n"})
    result = cli("check", "--format", "json", repo / "b.rej")
    assert result.code == 1
    assert json.loads(result.out) == [
        {"path": "b.rej", "line": 1, "column": 1, "code": "AR101",
         "message": "file has 3 non-blank lines (cap 2)", "value": 3, "limit": 2,
         "severity": "error"},
        {"path": "b.rej", "line": 1, "column": 1, "code": "AR902",
         "message": "leftover from an update or merge", "severity": "error"},
    ]
    clean = cli("check", "--format", "json", repo / "agentrails.toml")
    assert clean.code == 0 and json.loads(clean.out) == []


def test_github_format(git_repo, cli):
    repo = git_repo({"we,ird:100%.rej": "", "a.md": "<<<<<<< HEAD\n"})
    result = cli("check", "--format", "github", repo)
    assert result.code == 1
    assert result.out.splitlines() == [
        "::error title=AR901 conflict marker left in a file,file=a.md,line=1,col=1"
        "::AR901 conflict marker '<<<<<<<'",
        "::error title=AR902 *.rej or *.orig file left by an update,"
        "file=we%2Cird%3A100%25.rej,line=1,col=1::AR902 leftover from an update or merge",
    ]
    assert cli("check", "--format", "github", repo / "a.md", "--ignore", "AR9").out == ""


def _unescape(value: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), value)


@given(path=st.text(min_size=1, max_size=30), message=st.text(max_size=60))
def test_property_github_commands_escape_and_round_trip(path, message):
    out = render_github(Verdict([Finding(path, 7, 3, "AR902", message)], 1), all_rules())
    assert out.endswith("\n") and out.count("\n") == 1 and "\r" not in out
    head, _, data = out[:-1].partition("::")[2].partition("::")
    command, _, properties = head.partition(" ")
    assert command == "error"
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert set(fields) == {"title", "file", "line", "col"}
    assert all(":" not in value for value in fields.values())
    assert _unescape(fields["file"]) == path
    assert (fields["line"], fields["col"]) == ("7", "3")
    assert _unescape(data) == f"AR902 {message}"


def test_statistics(git_repo, cli):
    repo = git_repo({"a.md": CONFLICT, "b.rej": "", "c.orig": ""})
    text = cli("check", "--statistics", repo)
    assert text.code == 1
    assert text.out == (
        "    3\tAR901\tconflict marker left in a file\n"
        "    2\tAR902\t*.rej or *.orig file left by an update\n"
        "Found 5 findings in 3 files checked.\n"
    )
    as_json = cli("check", "--statistics", "--format", "json", repo)
    assert len(json.loads(as_json.out)) == 5
    assert as_json.err.splitlines() == [
        "    3\tAR901\tconflict marker left in a file",
        "    2\tAR902\t*.rej or *.orig file left by an update",
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_output_file(git_repo, cli, tmp_path, fmt):
    repo = git_repo({"a.rej": ""})
    expected = cli("check", "--format", fmt, repo).out
    target = tmp_path / f"report.{fmt}"
    result = cli("check", "--format", fmt, "--output", target, repo)
    assert (result.code, result.out) == (1, "")
    assert target.read_text(encoding="utf-8") == expected


def test_output_file_that_cannot_be_written_exits_2(git_repo, cli, tmp_path):
    repo = git_repo({"a.rej": ""})
    for target in (tmp_path / "missing" / "report.txt", tmp_path):
        result = cli("check", "--output", target, repo)
        assert result.code == 2
        assert result.err.startswith("agentrails: error: cannot write") and result.out == ""


@given(st.text())
def test_property_escaped_text_holds_no_control_character(text: str) -> None:
    from agentrails.engine.output.formats import escaped

    shown = escaped(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029\u202e"
                   for c in shown)
    assert escaped(shown.replace("\\", "")) == shown.replace("\\", "")


def test_text_output_escapes_paths_and_says_what_a_worse_finding_was() -> None:
    from agentrails.engine.output.formats import render_text

    worse = Finding("a\x1b[31m.py", 3, 1, "AR201", "function 'f' is too complex (15 > 10)", 15,
                    10, "f")
    size = Finding("big.md", 1, 1, "AR101", "file has 700 non-blank lines", 700, 500)
    verdict = Verdict(errors=[worse, size], files=2, baseline="agentrails-baseline.json",
                      worse={worse: 12.0, size: 612.5}, recorded=4)
    lines = render_text(verdict, all_rules()).splitlines()
    assert lines[:2] == [
        "a\\x1b[31m.py:3:1: AR201 function 'f' is too complex (15 > 10; baselined at 12)",
        "big.md:1:1: AR101 file has 700 non-blank lines (baselined at 612.50)",
    ]
    assert lines[2] == "0 baselined findings remain in agentrails-baseline.json."
