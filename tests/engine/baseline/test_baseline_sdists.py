"""The seven baseline defects of issue 20, each reproduced on a real sdist (requests 2.32.3,
httpx 0.28.1) adopted as a new user would: ``agentrails baseline`` in a git work tree, then
the edit that used to lose or hide debt. Every test failed on 0.2.0's engine."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from agentrails.engine.baseline.entries import read
from tests.helpers.corpora import HTTPX, REQUESTS, sdist
from tests.helpers.repo import git
from tests.helpers.sarif import sarif_validator

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

BASELINE = "agentrails-baseline.json"


def adopt(tmp_path: Path, cli, project: tuple[str, str], entries: int) -> Path:
    """The sdist in a fresh git work tree, committed, with a baseline of every finding."""
    root = tmp_path / project[0]
    shutil.copytree(sdist(*project), root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sdist")
    made = cli("baseline", cwd=root)
    assert made.code == 0, made.err
    assert f"Wrote {BASELINE}: {entries} entries" in made.out
    git(root, "add", BASELINE)
    git(root, "commit", "-qm", "adopt agentrails")
    return root


@pytest.fixture
def requests_repo(tmp_path, cli) -> Path:
    return adopt(tmp_path, cli, REQUESTS, 24)


@pytest.fixture
def httpx_repo(tmp_path, cli) -> Path:
    return adopt(tmp_path, cli, HTTPX, 37)


def edit(path: Path, anchor: str, added: str) -> None:
    """Insert ``added`` after the first line holding ``anchor``."""
    lines = path.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if anchor in line)
    lines.insert(index + 1, added)
    path.write_text("".join(lines))


def findings(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": AR" in line and not line.startswith(BASELINE)]


def _break_config(root: Path) -> str:
    """httpx/_config.py no longer parses; returns its text as it was."""
    config = root / "httpx" / "_config.py"
    original = config.read_text()
    config.write_text(original + "def broken(:\n")
    return original


def test_1_check_calls_the_entries_of_a_file_that_stops_parsing_unknown(httpx_repo, cli):
    original = _break_config(httpx_repo)
    result = cli("check", cwd=httpx_repo)
    assert result.code == 1
    assert findings(result.out) == [
        f"httpx/_config.py:{len(original.splitlines()) + 1}:12: AR001 syntax error: invalid syntax"
    ]
    assert "stale" not in result.out
    assert "(fixed)" not in result.out
    for symbol in ("Timeout.__init__", "create_ssl_context"):
        assert (f"{BASELINE}: not re-checked: AR201 in httpx/_config.py ({symbol!r}): AR001 "
                "syntax error: invalid syntax") in result.out


def test_1_prune_keeps_the_debt_of_a_file_that_stops_parsing(httpx_repo, cli):
    original = _break_config(httpx_repo)
    pruned = cli("baseline", "--prune", cwd=httpx_repo)
    assert "37 entries before, 37 now (0 fixed, 2 entries kept unverified)" in pruned.out
    assert "kept, not re-checked: AR201 in httpx/_config.py ('create_ssl_context')" in pruned.out
    assert pruned.code == 1  # the AR001 finding is new and was not added
    (httpx_repo / "httpx" / "_config.py").write_text(original)
    after = cli("check", cwd=httpx_repo)
    assert after.out.endswith(f"37 baselined findings remain in {BASELINE}.\n"
                              "All checks passed (70 files checked).\n")


def _cert_verify_worse(root: Path) -> None:
    """HTTPAdapter.cert_verify from complexity 12 to 15 (and adapters.py 6 lines longer)."""
    adapters = root / "src/requests/adapters.py"
    anchor = '        :param cert: The SSL certificate to verify.\n        """\n'
    added = ("        if verify is None:\n            verify = True\n        if cert is None:\n"
             "            cert = None\n        if url is None:\n            url = ''\n")
    text = adapters.read_text()
    assert anchor in text
    adapters.write_text(text.replace(anchor, anchor + added, 1))


def test_2_a_worse_finding_says_so_in_every_format(requests_repo, cli):
    _cert_verify_worse(requests_repo)
    text = cli("check", cwd=requests_repo)
    assert text.code == 1
    assert findings(text.out) == [
        "src/requests/adapters.py:1:1: AR101 file has 615 non-blank lines (cap 500; baselined "
        "at 609)",
        "src/requests/adapters.py:304:5: AR201 function 'HTTPAdapter.cert_verify' is too "
        "complex (15 > 10; baselined at 12)",
    ]
    rows = json.loads(cli("check", "--format", "json", cwd=requests_repo).out)
    assert [(r["code"], r["value"], r["baseline_state"], r["baselined_value"]) for r in rows] == [
        ("AR101", 615, "worse", 609), ("AR201", 15, "worse", 12)]
    github = cli("check", "--format", "github", cwd=requests_repo).out
    assert ("::AR201 function 'HTTPAdapter.cert_verify' is too complex (15 > 10; baselined at 12)"
            in github)
    log = json.loads(cli("check", "--format", "sarif", cwd=requests_repo).out)
    updated = [r for r in log["runs"][0]["results"] if r["baselineState"] == "updated"]
    assert [(r["ruleId"], r["level"]) for r in updated] == [("AR101", "error"), ("AR201", "error")]


def test_3_a_renamed_file_keeps_its_debt(requests_repo, cli):
    git(requests_repo, "mv", "src/requests/auth.py", "src/requests/authentication.py")
    moved = cli("check", cwd=requests_repo)
    assert moved.code == 0, moved.out
    assert "(fixed)" not in moved.out
    assert "src/requests/auth.py -> src/requests/authentication.py" in moved.out


def _regress_utils(root: Path) -> None:
    """super_len's complexity 17 -> 18, utils.py 863 -> 865 non-blank lines."""
    edit(root / "src/requests/utils.py", "    current_position = 0",
         "    if o is None:\n        return 0\n")


def _recorded(root: Path) -> dict[tuple[str, str], float | None]:
    return {(e.path, e.symbol): e.value for e in read(root / BASELINE).entries}


def test_3_update_after_a_rename_never_accepts_a_regression_unasked(requests_repo, cli):
    git(requests_repo, "mv", "src/requests/auth.py", "src/requests/authentication.py")
    _regress_utils(requests_repo)
    worse = cli("check", cwd=requests_repo)
    assert [line.split(": ", 1)[1] for line in findings(worse.out)] == [
        "AR101 file has 865 non-blank lines (cap 500; baselined at 863)",
        "AR201 function 'super_len' is too complex (18 > 10; baselined at 17)"]
    refused = cli("baseline", "--update", cwd=requests_repo)
    assert (refused.code, refused.err.splitlines()[-1]) == (1, (
        "2 finding(s) got worse than their baseline entry and keep the recorded value: fix "
        "them, pass --accept-worse to accept them, or name their paths (`agentrails baseline "
        "--update PATH`)."))
    assert "followed a rename: src/requests/auth.py -> src/requests/authentication.py" in (
        refused.out)
    recorded = _recorded(requests_repo)
    assert recorded[("src/requests/utils.py", "")] == 863
    assert recorded[("src/requests/utils.py", "super_len")] == 17
    assert {path for path, _ in recorded if "auth" in path} == {"src/requests/authentication.py"}
    assert cli("check", cwd=requests_repo).code == 1
    accepted = cli("baseline", "--update", "--accept-worse", cwd=requests_repo)
    assert "+ AR201 src/requests/utils.py:135 'super_len' (worse: 17 -> 18, accepted)" in (
        accepted.out)
    assert cli("check", cwd=requests_repo).code == 0


def test_3_update_of_named_paths_accepts_their_regressions(requests_repo, cli):
    _regress_utils(requests_repo)
    named = cli("baseline", "--update", "src/requests/utils.py", cwd=requests_repo)
    assert named.code == 0, named.err
    assert _recorded(requests_repo)[("src/requests/utils.py", "super_len")] == 18
    assert len(read(requests_repo / BASELINE).entries) == 24
    assert cli("check", cwd=requests_repo).code == 0


def test_3_a_file_moved_without_git_keeps_its_debt_by_content(requests_repo, cli):
    os.rename(requests_repo / "src/requests/auth.py",
              requests_repo / "src/requests/authentication.py")
    result = cli("check", cwd=requests_repo)
    assert result.code == 0, result.out
    assert "(fixed)" not in result.out
    pruned = cli("baseline", "--prune", cwd=requests_repo)
    assert pruned.code == 0 and "24 entries before, 24 now (0 fixed)" in pruned.out
    assert {e.path for e in read(requests_repo / BASELINE).entries if "auth" in e.path} == {
        "src/requests/authentication.py"}


def _vulture_answer(root: Path, cli) -> None:
    """AR301 as vulture answers (``smart-ignores = false``), its findings added to the baseline:
    among them the unused ``subkey`` of the three mock ``OpenKey(key, subkey)`` of
    tests/test_utils.py, on three identical lines."""
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text()
                         + "\n[tool.agentrails.dead-code]\nsmart-ignores = false\n")
    updated = cli("baseline", "--update", cwd=root)
    assert updated.code == 0, updated.err
    assert updated.out.count("'subkey' (new)") == 3, updated.out


def test_4_a_new_identical_line_is_reported_where_it_is(requests_repo, cli):
    _vulture_answer(requests_repo, cli)
    tests = requests_repo / "tests" / "test_utils.py"
    lines = tests.read_text().splitlines(keepends=True)
    top = next(i for i, line in enumerate(lines) if line.startswith(("def ", "class ", "@")))
    lines[top:top] = ["def OpenKey(key, subkey):\n", "    return key\n", "\n", "\n"]
    tests.write_text("".join(lines))
    result = cli("check", cwd=requests_repo)
    assert [line for line in findings(result.out) if "AR301" in line] == [
        f"tests/test_utils.py:{top + 1}:18: AR301 unused variable 'subkey' (100% confidence)"
    ]


def test_5_add_noqa_on_a_continued_line_writes_at_its_end_and_suppresses(requests_repo, cli):
    helper = requests_repo / "src" / "requests" / "help.py"
    edit(helper, "import sys", "import colorsys, \\\n    sched\n")
    before = cli("check", cwd=requests_repo)
    assert findings(before.out) == [
        "src/requests/help.py:7:8: AR301 unused import 'colorsys' (100% confidence)",
        "src/requests/help.py:8:5: AR301 unused import 'sched' (100% confidence)"]
    added = cli("check", "--add-noqa", cwd=requests_repo)
    assert added.code == 0 and "Added 1 noqa directive(s) in 1 file(s)." in added.out, added.out
    text = helper.read_text()
    assert "import colorsys, \\\n    sched  # noqa: AR301\n" in text
    assert "agentrails: noqa" not in text
    after = cli("check", cwd=requests_repo)
    assert after.code == 0, after.out


def test_6_a_path_limited_check_counts_the_debt_of_its_paths(requests_repo, cli):
    helper = cli("check", "src/requests/help.py", cwd=requests_repo)
    assert helper.out.splitlines()[-2] == (
        f"0 baselined findings remain in the checked paths (24 entries in {BASELINE}).")
    utils = cli("check", "src/requests/utils.py", cwd=requests_repo)
    assert utils.out.splitlines()[-2] == (
        f"5 baselined findings remain in the checked paths (24 entries in {BASELINE}).")
    whole = cli("check", cwd=requests_repo)
    assert whole.out.splitlines()[-2] == f"24 baselined findings remain in {BASELINE}."


def _every_state(root: Path) -> None:
    """New, worse, unchanged, stale and unknown findings and entries at once."""
    _cert_verify_worse(root)  # worse (AR201 and AR101 of adapters.py)
    (root / "HISTORY.md").write_text("# History\n")  # stale: AR101 of HISTORY.md
    edit(root / "src/requests/help.py", "import sys",
         "\n\ndef probe(a):\n" + "".join(f"    if a == {i}:\n        return {i}\n"
                                        for i in range(11)) + "    return -1\n")  # new
    models = root / "src/requests/models.py"
    source = models.read_text()  # no longer parses, as long as before: 5 entries unknown
    assert "class RequestEncodingMixin:" in source
    models.write_text(source.replace("class RequestEncodingMixin:", "class RequestEncodingMixin(:"))


def test_7_json_says_new_and_worse(requests_repo, cli):
    _every_state(requests_repo)
    rows = json.loads(cli("check", "--format", "json", cwd=requests_repo).out)
    assert sorted((r["code"], r["path"], r["baseline_state"], r.get("baselined_value"))
                  for r in rows) == [
        ("AR001", "src/requests/models.py", "new", None),
        ("AR101", "src/requests/adapters.py", "worse", 609),
        ("AR201", "src/requests/adapters.py", "worse", 12),
        ("AR201", "src/requests/help.py", "new", None),
    ]


def _by_state(log: dict) -> dict[str, list[dict]]:
    states: dict[str, list[dict]] = {}
    for result in log["runs"][0]["results"]:
        states.setdefault(result["baselineState"], []).append(result)
    return states


def _uri(result: dict) -> str:
    return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_7_sarif_validates_and_says_new_updated_unchanged_and_absent(requests_repo, cli):
    _every_state(requests_repo)
    log = json.loads(cli("check", "--format", "sarif", cwd=requests_repo).out)
    assert [error.message for error in sarif_validator().iter_errors(log)] == []
    states = _by_state(log)
    assert set(states) == {"new", "updated", "unchanged", "absent"}
    assert [(r["ruleId"], r["kind"], _uri(r)) for r in states["absent"]] == [
        ("AR101", "pass", "HISTORY.md")]
    assert len(states["unchanged"]) == 24 - 2 - 1  # worse (2), stale (1); unknown stay accepted
    assert {r["suppressions"][0]["kind"] for r in states["unchanged"]} == {"external"}
    unknown = sorted((r["ruleId"], _uri(r)) for r in states["unchanged"] if r.get("kind") == "open")
    assert unknown == [("AR201", "src/requests/models.py")] * 4  # models.py no longer parses
