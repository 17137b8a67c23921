"""``/adversarial-review`` and AR602 agree: a plan reviewed exactly as the command says (its
section skeleton copied, numbered, filled) is accepted after two passes with no open
Critical or High finding, and refused before that."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import TEMPLATE

COMMAND = (TEMPLATE / "{% if 'claude' in agent_tools %}.claude{% endif %}" / "commands"
           / "adversarial-review.md")
FENCE = re.compile(r"^( *)```markdown\n(?P<body>.*?)^\1```$", re.S | re.M)


def skeleton() -> str:
    """The section the command tells the reviewer to append, as written in the command."""
    text = COMMAND.read_text(encoding="utf-8")
    (match,) = FENCE.finditer(text)
    indent = len(match.group(1))
    return "".join(line[indent:] + "\n" for line in match["body"].splitlines())


def review_pass(plan: Path, findings: bool) -> None:
    """Step 3 of the command, literally: N is one more than the last pass; a clean pass keeps
    the heading and the two header lines."""
    text = plan.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^## Review pass (\d+)", text, re.M)]
    number = max(numbers, default=0) + 1
    section = skeleton().replace("## Review pass N", f"## Review pass {number}")
    if not findings:
        section = "".join(line + "\n" for line in section.splitlines()[:4])
    plan.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")


def set_text(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plan.write_text(text.replace(old, new), encoding="utf-8")


def ar602(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentrails", "check", "--no-cache",
                           "--select", "AR601,AR602"], cwd=root, capture_output=True,
                          text=True, check=False)


def test_the_skeleton_is_what_ar602_reads() -> None:
    lines = skeleton().splitlines()
    assert lines[0] == "## Review pass N" and lines[2].startswith("| Severity | Finding | Status |")
    assert "open" in lines[4] and lines[4].split("|")[1].strip() in {"Critical", "High"}


def test_a_plan_reviewed_as_the_command_says_is_accepted_after_two_clean_passes(
    plain_dir,
) -> None:
    root = plain_dir({"agentrails.toml": ""})
    subprocess.run([sys.executable, "-m", "agentrails", "migration", "new", "split-ledger"],
                   cwd=root, check=True, capture_output=True)
    (plan,) = (root / "migrations").glob("*-split-ledger.md")
    review_pass(plan, findings=True)
    set_text(plan, "status: draft", "status: accepted")
    refused = ar602(root)
    assert refused.returncode == 1
    assert "open High finding in review pass 1" in refused.stdout
    assert "1 review pass(es); needs 2" in refused.stdout
    set_text(plan, "| open | |", "| resolved | The backfill runs in batches. |")
    review_pass(plan, findings=False)
    accepted = ar602(root)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    review_pass(plan, findings=True)  # a third pass reopens a High finding
    assert "open High finding in review pass 3" in ar602(root).stdout
