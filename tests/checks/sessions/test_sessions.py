"""AR501-AR503 and the handoff commands: `handoff new`, `sessions [--write]`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.common.markdown import parse_markdown
from agentrails.checks.sessions.index import expected_entries, listed, render_index, valid_name
from agentrails.commands import handoff as handoff_command
from tests.helpers.repo import git, write_files

SECTIONS = "## Goal\n\nx\n\n## Done\n\nx\n\n## Decisions\n\nx\n\n## Next\n\nx\n"


def findings(cli: Callable, root: Path, *extra: str) -> list[tuple[str, int, str, str]]:
    outcome = cli("check", root, "--no-cache", "--format", "json", *extra)
    assert outcome.code in (0, 1), outcome.err
    return [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(outcome.out)]


def test_handoff_names() -> None:
    assert valid_name("2025-01-31-2359-fix-login-2.md")
    for name in ("2025-02-30-1000-x.md", "2025-01-01-2460-x.md", "2025-01-01-1000-Fix.md",
                 "2025-01-01-1000-.md", "2025-01-01-1000-a--b.md", "25-01-01-1000-x.md",
                 "2025-01-01-1000-x.txt", "2025-01-01-x.md"):
        assert not valid_name(name), name


SLUGS = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}", fullmatch=True)
STAMPS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(STAMPS, SLUGS), max_size=8), st.sampled_from(
    [None, "# Sessions\n", "# S\n\nIntro.\n\n- [old](handoffs/2001-01-01-0000-gone.md)\n\nEnd.\n"]))
def test_rendered_index_lists_every_handoff_newest_first(
    entries: list, current: str | None
) -> None:
    paths = {f"handoffs/{stamp:%Y-%m-%d-%H%M}-{slug}.md" for stamp, slug in entries}
    assert all(valid_name(p.split("/")[1]) for p in paths)
    others = ["handoffs/README.md", "handoffs/TEMPLATE.md"]
    expected = expected_entries([*paths, *others], "handoffs/")
    text = render_index(current, "SESSIONS.md", expected, "handoffs/")
    links = [(r.target, r.line) for r in parse_markdown(text, len(text)).references]
    found = [path for _, path in listed("SESSIONS.md", links, "handoffs/")]
    assert found == sorted(paths, reverse=True)
    assert render_index(text, "SESSIONS.md", expected, "handoffs/") == text
    if current and "End." in current:
        assert "Intro." in text and "End." in text and "gone" not in text


def test_index_problems(plain_dir, cli) -> None:
    a, b = "handoffs/2025-01-01-0900-a.md", "handoffs/2025-01-02-0900-b.md"
    old = "handoffs/2024-01-01-0000-old.md"
    index = (f"# Sessions\n\n- [b]({b}) [b again]({b})\n- [a]({a})\n- [old]({old})\n"
             f"- [notes](handoffs/notes.md)\n")
    root = plain_dir({"agentrails.toml": "", "SESSIONS.md": index, a: SECTIONS, b: SECTIONS,
                      "handoffs/2025-01-03-0900-c.md": SECTIONS})
    assert findings(cli, root) == [
        ("SESSIONS.md", 3, "AR502", f"lists {b} twice"),
        ("SESSIONS.md", 5, "AR502", f"lists {old}, which is not a handoff"),
        ("SESSIONS.md", 6, "AR502", "lists handoffs/notes.md, which is not a handoff"),
        ("handoffs/2025-01-03-0900-c.md", 1, "AR502", "handoff not listed in SESSIONS.md"),
    ]


def test_missing_index_and_misnamed_handoff(plain_dir, cli) -> None:
    root = plain_dir({"agentrails.toml": "", "handoffs/2025-01-01-0900-a.md": SECTIONS,
                      "handoffs/notes.md": SECTIONS, "handoffs/_draft.md": "",
                      "handoffs/old/2020-01-01-0000-x.md": ""})
    assert findings(cli, root) == [
        ("handoffs/2025-01-01-0900-a.md", 1, "AR502",
         "handoff not listed: SESSIONS.md does not exist"),
        ("handoffs/notes.md", 1, "AR501", "handoff name must be YYYY-MM-DD-HHMM-slug.md"),
    ]


def test_handoff_new_and_sessions_write(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir({"agentrails.toml": "", "SESSIONS.md": "# Sessions\n\nNewest first.\n",
                      "handoffs/TEMPLATE.md": "# {date} {time} {title}\n\n" + SECTIONS})
    monkeypatch.chdir(root)
    created = cli("handoff", "new", "fix-login")
    assert created.code == 0, created.err
    path = created.out.splitlines()[0]
    assert re.fullmatch(r"handoffs/\d{4}-\d\d-\d\d-\d{4}-fix-login\.md", path)
    first = (root / path).read_text().splitlines()[0]
    assert first == f"# {path[9:19]} {path[20:22]}:{path[22:24]} fix login"
    assert findings(cli, root) == []
    assert cli("handoff", "new", "Fix_Login").code == 2


def test_handoff_new_refuses_to_overwrite(plain_dir, cli, monkeypatch) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, *_):
            return cls(2025, 6, 1, 9, 30)

    monkeypatch.setattr(handoff_command, "datetime", Frozen)
    monkeypatch.chdir(plain_dir({"agentrails.toml": ""}))
    created = cli("handoff", "new", "fix-login")
    assert created.out.startswith("handoffs/2025-06-01-0930-fix-login.md")
    again = cli("handoff", "new", "fix-login")
    assert again.code == 2 and "already exists" in again.err


def test_sessions_write_fixes_the_index(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir({"agentrails.toml": "", "SESSIONS.md": "# Sessions\n\nNewest first.\n",
                      "handoffs/2025-01-01-0900-first.md": SECTIONS})
    monkeypatch.chdir(root)
    assert cli("sessions", "--write").code == 0
    write_files(root, {"handoffs/2020-05-05-0505-earlier.md": SECTIONS})
    assert [f[2] for f in findings(cli, root)] == ["AR502"]
    assert cli("sessions").code == 1
    assert cli("sessions", "--write").code == 0
    assert cli("sessions").code == 0
    assert findings(cli, root) == []
    lines = (root / "SESSIONS.md").read_text().splitlines()
    assert lines[:3] == ["# Sessions", "", "Newest first."]
    assert lines[-1] == "- [2020-05-05 05:05 earlier](handoffs/2020-05-05-0505-earlier.md)"


def test_handoff_new_without_template_passes_ar501(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir({"agentrails.toml": "[sessions]\ndir = \"docs/sessions\"\n"})
    monkeypatch.chdir(root)
    assert cli("handoff", "new", "first").code == 0
    assert findings(cli, root) == []
    assert "docs/sessions/" in (root / "SESSIONS.md").read_text()


def test_code_change_without_handoff(git_repo, cli) -> None:
    root = git_repo({"agentrails.toml": "", "src/app.py": "", "README.md": "# x\n"})
    git(root, "commit", "-q", "-m", "start")
    git(root, "branch", "base")
    write_files(root, {"README.md": "# y\n"})
    assert findings(cli, root, "--diff-base", "base") == []  # docs only
    write_files(root, {"src/app.py": "VALUE = 1\n", "src/new.py": ""})
    assert findings(cli, root) == []  # no --diff-base: not checked
    message = "2 source file(s) changed since base but no handoff was added to handoffs/"
    assert findings(cli, root, "--diff-base", "base") == [("src/app.py", 1, "AR503", message)]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "work")
    assert [f[2] for f in findings(cli, root, "--diff-base", "base")] == ["AR503"]
    write_files(root, {"handoffs/2025-01-01-0900-work.md": SECTIONS,
                       "SESSIONS.md": "- [w](handoffs/2025-01-01-0900-work.md)\n"})
    assert findings(cli, root, "--diff-base", "base") == []
