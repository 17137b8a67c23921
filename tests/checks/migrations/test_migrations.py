"""AR601 and AR602 beyond their fixtures, the plan reader, and `migration new`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.migrations.plan import parse_plan

PLAN = "migrations/2025-03-01-split-orders.md"
TABLE = "| Severity | Finding | Status |\n|:--|---|--:|\n"


def findings(cli: Callable, root: Path, *extra: str) -> list[tuple[int, str, str]]:
    outcome = cli("check", root, "--no-cache", "--format", "json", *extra)
    assert outcome.code in (0, 1), outcome.err
    return [(f["line"], f["code"], f["message"]) for f in json.loads(outcome.out)]


def plan_repo(plain_dir: Callable, text: str, config: str = "", name: str = PLAN) -> Path:
    return plain_dir({"agentrails.toml": config, name: text})


def test_plan_shape_problems(plain_dir, cli) -> None:
    cases = {
        "---\nstatus: draft\nowner: a\n---\n": (
            PLAN.replace("2025-03-01", "2025-13-01"),
            [(1, "AR601", "plan name must be YYYY-MM-DD-slug.md")]),
        "# No front matter\n": (
            PLAN, [(1, "AR601", "plan has no YAML front matter (status, owner)")]),
        "---\nstatus: aproved\nowner: a\n---\n": (PLAN, [
            (2, "AR601", "status 'aproved' is not one of draft, accepted, done, rejected")]),
        "---\nowner: a\n---\n": (PLAN, [
            (1, "AR601", "front matter lacks status (draft, accepted, done, rejected)")]),
        "---\nstatus: draft\nowner a\n---\n": (PLAN, [
            (3, "AR601", "front matter: could not find expected ':'")]),
    }
    for index, (text, (name, expected)) in enumerate(cases.items()):
        root = plan_repo(plain_dir, text, name=name) if index == 0 else \
            plain_dir({"agentrails.toml": "", name: text}, name=f"case{index}")
        assert findings(cli, root) == expected, text


def review(number: int, *rows: str) -> str:
    return f"\n## Review pass {number}\n\nBy a reviewer.\n\n{TABLE}" + "".join(
        f"| {row} |\n" for row in rows)


def test_review_gate(plain_dir, cli) -> None:
    front = "---\nstatus: {status}\nowner: alice\n---\n\n# Plan\n"
    body = (review(1, "High | Locks the table | resolved", "Low | Naming | open")
            + "\n## Review pass 2\n\nNo table, only prose.\n"
            + review(3, "Blocker | Something | open", "Critical | Data loss | pending",
                     "critical | Data loss on retry | Open"))
    root = plan_repo(plain_dir, front.format(status="done") + body)
    assert findings(cli, root) == [
        (17, "AR602", "review pass 2 has no | Severity | Finding | Status | table"),
        (27, "AR602", "severity 'Blocker' is not Critical, High, Medium or Low"),
        (28, "AR602", "status 'pending' is not open or resolved"),
        (29, "AR602", "open critical finding in review pass 3: Data loss on retry"),
    ]
    for status in ("draft", "rejected"):
        (root / PLAN).write_text(front.format(status=status) + body)
        assert findings(cli, root) == []
    (root / PLAN).write_text(front.format(status="accepted") + review(1, "Medium | x | open"))
    assert findings(cli, root) == [(2, "AR602", "accepted with 1 review pass(es); needs 2")]
    (root / "agentrails.toml").write_text('[migrations]\nmin-passes = 1\nblocking = ["Medium"]\n')
    assert findings(cli, root) == [(14, "AR602", "open Medium finding in review pass 1: x")]


def test_migration_new_creates_a_draft_that_passes(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir({"agentrails.toml": ""})
    monkeypatch.chdir(root)
    created = cli("migration", "new", "split-orders")
    assert created.code == 0, created.err
    path = created.out.strip()
    assert re.fullmatch(r"migrations/\d{4}-\d\d-\d\d-split-orders\.md", path)
    text = (root / path).read_text()
    assert text.startswith("---\nstatus: draft\nowner: ") and "# Split orders" in text
    assert findings(cli, root) == []
    assert cli("migration", "new", "split-orders").code == 2
    assert cli("migration", "new", "Split Orders").code == 2


def test_migration_new_fills_the_folder_template(plain_dir, cli, monkeypatch) -> None:
    template = "---\nstatus: draft\nowner: {owner}\ncreated: {date}\n---\n\n# {title}\n"
    root = plain_dir({"agentrails.toml": "", "migrations/TEMPLATE.md": template})
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    path = cli("migration", "new", "drop-legacy").out.strip()
    text = (root / path).read_text()
    assert f"created: {path[11:21]}\n" in text and "# Drop legacy\n" in text
    assert "{owner}" not in text
    assert findings(cli, root) == []


SEVERITY = st.sampled_from(["Critical", "High", "Medium", "Low"])
STATUS = st.sampled_from(["open", "resolved"])
FINDING = st.text("abcdefghij klmnop,.;:", min_size=1, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(SEVERITY, FINDING, STATUS), max_size=4), max_size=4))
def test_plan_reader_recovers_every_pass_and_row(passes: list) -> None:
    text = "---\nstatus: draft\nowner: a\n---\n\n# Plan\n\n```md\n## Review pass 99\n```\n"
    for number, rows in enumerate(passes, start=1):
        text += review(number, *(" | ".join(row) for row in rows)) + "\nProse after.\n"
    plan = parse_plan(text)
    assert [(p.number, p.has_table) for p in plan.passes] == [
        (number, True) for number in range(1, len(passes) + 1)]
    got = [[(r.severity, r.finding, r.status) for r in p.rows] for p in plan.passes]
    assert got == [[tuple(row) for row in rows] for rows in passes]
    assert [text.splitlines()[row.line - 1] for p in plan.passes for row in p.rows] == [
        f"| {' | '.join(row)} |" for rows in passes for row in rows]


def test_bad_configuration_is_a_usage_error(plain_dir, cli) -> None:
    root = plain_dir({"agentrails.toml": '[migrations]\nblocking = ["Blocker"]\n'})
    outcome = cli("check", root)
    assert outcome.code == 2 and "migrations.blocking" in outcome.err and "Blocker" in outcome.err
