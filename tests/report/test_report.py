"""``agentrails report``: every section on a small real project, agreement with ``agentrails
check``, radon's ranks, ``--compare``, Markdown, and clear errors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

from agentrails.report import SCHEMA, delta, measures
from tests.helpers.report import BRANCHY, CONFIG, project


def report(cli, *args: str | Path) -> dict:
    result = cli("report", "--no-cache", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def check_counts(cli, root: Path) -> Counter:
    result = cli("check", "--no-cache", "--format", "json", root)
    return Counter(finding["code"] for finding in json.loads(result.out))


def test_sections_agree_with_check(git_repo, cli) -> None:
    root = project(git_repo)
    snapshot = report(cli, root)
    counts = check_counts(cli, root)
    assert snapshot["schema"] == SCHEMA
    assert snapshot["findings"] == {"total": sum(counts.values()), "by_code": dict(sorted(
        counts.items()))}
    size = snapshot["size"]
    assert [(e["path"], e["lines"], e["cap"]) for e in size["over"]] == [
        ("big/over.txt", 12, 10), ("long.txt", 45, 40)]
    assert [(e["path"], e["lines"], e["cap"]) for e in size["near"]] == [("big/near.txt", 9, 10)]
    assert len(size["over"]) == counts["AR101"]  # quiet.txt is suppressed for both
    assert snapshot["complexity"]["over_ceiling"] == counts["AR201"] == 2
    assert snapshot["dead_code"]["total"] == counts["AR301"] + counts["AR302"] >= 1


def test_size_tables_list_the_worst_first_not_by_path(git_repo, cli) -> None:
    """Over the cap: the largest share of it first; near it: the nearest first."""
    root = git_repo({
        "agentrails.toml": CONFIG,
        "a/long.txt": "x\n" * 44,  # 110% of 40
        "big/over.txt": "x\n" * 12,  # 120% of 10
        "big/near.txt": "x\n" * 9,  # 90%
        "big/zz.txt": "x\n" * 10,  # 100%: at the cap, not over it
        "long.txt": "x\n" * 80,  # 200% of 40
        "mid.txt": "x\n" * 44,  # 110%, as a/long.txt: the path breaks the tie
    })
    size = report(cli, root)["size"]
    assert [e["path"] for e in size["over"]] == [
        "long.txt", "big/over.txt", "a/long.txt", "mid.txt"]
    assert [e["path"] for e in size["near"]] == ["big/zz.txt", "big/near.txt"]
    text = cli("report", "--no-cache", "--format", "markdown", root).out
    rows = [line.split("|")[1].strip() for line in text.splitlines()
            if line.startswith("| `") and "%" in line]
    assert rows == ["`long.txt`", "`big/over.txt`", "`a/long.txt`", "`mid.txt`", "`big/zz.txt`",
                    "`big/near.txt`"]


def test_complexity_ranks_are_radons(git_repo, cli) -> None:
    root = project(git_repo)
    section = report(cli, root)["complexity"]
    blocks = [b for path in sorted(root.glob("pkg/*.py")) for b in cc_visit(path.read_text())]
    assert Counter(cc_rank(b.complexity) for b in blocks) == Counter(
        {k: v for k, v in section["by_rank"].items() if v})
    worst = section["most_complex"]
    assert [(f["name"], f["complexity"], f["rank"]) for f in worst] == sorted(
        ((b.name, b.complexity, cc_rank(b.complexity)) for b in blocks),
        key=lambda item: (-item[1], item[0] == "used"))
    assert section["functions"] == len(blocks)
    assert section["average"] == round(sum(b.complexity for b in blocks) / len(blocks), 2)


def test_context_numbers_are_ar401s(git_repo, cli) -> None:
    root = project(git_repo)
    context = report(cli, root)["context"]
    assert context["files"] == ["AGENTS.md", "docs/more.md"]
    assert (context["lines"], context["max_lines"]) == (6, 4)
    assert context["bytes"] == len(b"# Agents\n\n@docs/more.md\n") + len(b"one\ntwo\nthree\n")
    found = json.loads(cli("check", "--no-cache", "--format", "json", "--select", "AR401",
                           root).out)
    assert [(f["value"], f["limit"]) for f in found] == [(6, 4)]


def test_compare_shows_the_delta(git_repo, cli, tmp_path) -> None:
    root = project(git_repo)
    old = tmp_path / "old.json"
    assert cli("report", "--no-cache", "--output", old, root).code == 0
    (root / "big" / "small.txt").write_text("x\n" * 15)
    (root / "long.txt").write_text("x\n")
    (root / "pkg" / "logic.py").write_text(BRANCHY + "\n\ndef more(x):\n    return x\n")
    new = report(cli, "--compare", old, root)
    rows = {row["measure"]: row for row in new["delta"]["measures"]}
    assert rows["complexity.functions"] == {"measure": "complexity.functions", "old": 4,
                                            "new": 5, "change": 1}
    assert rows["complexity.rank.A"]["change"] == 1
    assert rows["size.over"]["change"] == 0  # one file in, one out
    assert new["delta"]["newly_over_cap"] == ["big/small.txt"]
    assert new["delta"]["back_under_cap"] == ["long.txt"]
    assert rows["files"]["change"] == 0 and rows["findings.AR101"]["change"] == 0


def test_delta_of_measures_that_appear_or_vanish() -> None:
    base = {"files": 1, "findings": {"total": 1, "by_code": {"AR101": 1}},
            "size": {"over": [{"path": "a"}], "near": []},
            "complexity": {"functions": 0, "average": 0.0, "over_ceiling": 0,
                           "by_rank": dict.fromkeys("ABCDEF", 0)},
            "dead_code": {"total": 0}, "context": None}
    later = {**base, "findings": {"total": 2, "by_code": {"AR201": 2}},
             "context": {"lines": 3, "bytes": 9}, "size": {"over": [], "near": []}}
    rows = {row["measure"]: row for row in delta(base, later)["measures"]}
    assert rows["findings.AR101"] == {"measure": "findings.AR101", "old": 1, "new": 0,
                                      "change": -1}
    assert rows["findings.AR201"]["change"] == 2
    assert rows["context.lines"]["change"] == 3
    assert set(measures(later)) <= set(rows)


def test_markdown_report_has_every_section_and_charts(git_repo, cli, tmp_path) -> None:
    root = project(git_repo)
    old = tmp_path / "old.json"
    cli("report", "--no-cache", "--output", old, root)
    (root / "pkg" / "logic.py").write_text(BRANCHY + "\n\ndef more(x):\n    return x\n")
    result = cli("report", "--no-cache", "--format", "markdown", "--compare", old, root)
    assert result.code == 0, result.err
    text = result.out
    for heading in ("# agentrails health report", "## Findings", "## Complexity",
                    "## File length", "## Dead code", "## Context budget", "## Change since"):
        assert heading in text
    assert text.count("```mermaid") == 4  # findings, ranks pie, context budget, rank change
    assert "| AR101 | file longer than its line cap (non-blank lines) |" in text
    assert "| `big/over.txt` | 12 | 10 | 120% |" in text
    assert "| complexity.functions | 4 | 5 | +1 |" in text


def test_paths_in_tables_cannot_break_them(git_repo, cli) -> None:
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 2\n",
                     "we|ird `name`.txt": "a\nb\nc\n"})
    text = cli("report", "--no-cache", "--format", "markdown", root).out
    assert "| ``we\\|ird `name`.txt`` | 3 | 2 | 150% |" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("not json", "is not JSON"),
        ('{"schema": "other"}', "is not an agentrails report"),
        (f'{{"schema": "{SCHEMA}", "files": 1}}', "incomplete report"),
    ],
)
def test_bad_compare_file_is_a_usage_error(git_repo, cli, tmp_path, content, message) -> None:
    root = project(git_repo)
    old = tmp_path / "old.json"
    if content is not None:
        old.write_text(content)
    result = cli("report", "--compare", old, root)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


def test_bad_config_and_output_are_usage_errors(git_repo, cli, tmp_path) -> None:
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 'many'\n"}, name="bad")
    assert cli("report", root).code == 2
    good = project(git_repo)
    result = cli("report", "--output", tmp_path / "no" / "such" / "dir.json", good)
    assert result.code == 2 and "cannot write" in result.err
