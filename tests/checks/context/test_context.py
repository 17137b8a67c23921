"""AR401-AR405 beyond their fixtures: budgets with import cycles, where AR402 reports, AR403's
resolution and suppression, AR404 on real git history, and AR405 with sync-context."""

from __future__ import annotations

import json
import posixpath
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.checks.common.markdown import parse_markdown
from agentrails.checks.context.rules import ContextBudget
from agentrails.checks.context.shims import header, render_shim
from agentrails.engine.facts import FileFacts
from agentrails.engine.protocol import RuleContext
from tests.helpers.repo import git, write_files


def findings(cli: Callable, root: Path, *extra: str) -> list[tuple[str, int, str, str]]:
    outcome = cli("check", root, "--no-cache", "--format", "json", *extra)
    assert outcome.code in (0, 1), outcome.err
    return [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(outcome.out)]


def test_budget_counts_each_imported_file_once_through_cycles(plain_dir, cli) -> None:
    root = plain_dir({
        "agentrails.toml": "[context]\nmax-lines = 9\nmax-bytes = 50\n",
        "AGENTS.md": "# A\n@a.md\n@b.md\n@AGENTS.md\n",  # 4 lines, imports itself too
        "a.md": "a\n@b.md\n@AGENTS.md\n",  # 3 lines
        "b.md": "b\n@a.md\n",  # 2 lines
    })
    found = findings(cli, root, "--select", "AR401")
    size = sum(len((root / n).read_bytes()) for n in ("AGENTS.md", "a.md", "b.md"))
    assert found == [("AGENTS.md", 1, "AR401", f"AGENTS.md with 2 imported file(s) is {size} "
                      "bytes (budget 50)")]
    (root / "agentrails.toml").write_text("[context]\nmax-lines = 8\n")
    assert [f[3] for f in findings(cli, root, "--select", "AR401")] == [
        "AGENTS.md with 2 imported file(s) is 9 lines (budget 8)"]


def test_budget_file_suppression(plain_dir, cli) -> None:
    long = "<!-- agentrails: noqa: AR401 -->\n" + "line\n" * 300
    root = plain_dir({"agentrails.toml": "", "AGENTS.md": long})
    assert findings(cli, root) == []


def test_no_layout_no_findings(plain_dir, cli) -> None:
    root = plain_dir({"pyproject.toml": "[project]\nname = 'x'\n", "README.md": "[x](gone.md)\n",
                      "src/x.py": ""})
    assert findings(cli, root, "--select", "AR4,AR5,AR6,AR7") == []


def test_missing_canonical_is_reported_on_the_config(plain_dir, cli) -> None:
    root = plain_dir({
        "pyproject.toml": "[project]\nname = 'x'\n\n[tool.agentrails.context]\n"
                          "required = [\"AGENTS.md\", \"docs/\"]\n",
    })
    assert findings(cli, root) == [
        ("pyproject.toml", 5, "AR402", "required context file AGENTS.md is missing"),
        ("pyproject.toml", 5, "AR402", "required context folder docs/ is missing"),
    ]


def test_references_resolve_like_their_readers(plain_dir, cli) -> None:
    root = plain_dir({
        "agentrails.toml": "",
        "AGENTS.md": "@docs/guide.md\n[root](/docs/guide.md) `docs/guide.md`\n",
        "docs/guide.md": "@style.md\n[up](../AGENTS.md) [gone](style2.md)\n"
                         "[gone too](x.md) <!-- # noqa: AR403 -->\n@../missing.md\n",
        "docs/style.md": "`docs/` and `guide.md` and `nothere/x.py` and `docs/none.py`\n",
    })
    assert findings(cli, root) == [
        ("docs/guide.md", 2, "AR403", "broken link: style2.md (docs/style2.md) does not exist"),
        ("docs/guide.md", 4, "AR403", "broken @import: ../missing.md (missing.md) does not exist"),
        ("docs/style.md", 1, "AR403", "broken path: docs/none.py does not exist"),
    ]


def commit(root: Path, message: str, files: dict[str, str]) -> None:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def state_repo(git_repo: Callable, limit: int = 3) -> Path:
    root = git_repo({
        "agentrails.toml": f"[context]\nstale-commits = {limit}\n",
        "AGENTS.md": "# Demo\n\n## Scope\n\nAll.\n\n## Current state\n\n- Nothing works.\n\n"
                     "## Links\n\nNone.\n",
        "src/app.py": "",
    })
    git(root, "commit", "-q", "-m", "start")
    return root


def test_stale_state_counts_source_commits_since_the_section_changed(git_repo, cli) -> None:
    root = state_repo(git_repo)
    for number in range(3):
        commit(root, f"work {number}", {"src/app.py": f"VALUE = {number}\n"})
    commit(root, "docs only", {"README.md": "# Demo\n"})
    commit(root, "scope and links", {"AGENTS.md": (root / "AGENTS.md").read_text()
                                     .replace("All.", "All of it.").replace("None.", "Some.")})
    assert findings(cli, root) == []  # three source commits: at the limit
    commit(root, "work 3", {"src/app.py": "VALUE = 3\n"})
    message = "'Current state' not updated while 4 commits changed source code (limit 3)"
    assert findings(cli, root) == [("AGENTS.md", 7, "AR404", message)]
    agents = (root / "AGENTS.md").read_text().replace("Nothing works.", "The app works.")
    (root / "AGENTS.md").write_text(agents)
    assert findings(cli, root) == []  # being rewritten in the work tree
    commit(root, "state", {})
    assert findings(cli, root) == []


def test_stale_state_needs_git_and_the_section(plain_dir, git_repo, cli) -> None:
    text = "# Demo\n\n## Current state\n\nok\n"
    plain = plain_dir({"agentrails.toml": "[context]\nstale-commits = 0\n", "AGENTS.md": text,
                       "src/a.py": ""})
    assert findings(cli, plain) == []
    root = git_repo({"agentrails.toml": "[context]\nstale-commits = 0\n",
                     "AGENTS.md": "# Demo\n\nNo state here.\n", "src/a.py": ""})
    git(root, "commit", "-q", "-m", "start")
    commit(root, "work", {"src/a.py": "A = 1\n"})
    assert findings(cli, root) == []


SHIMS = {
    "agentrails.toml": '[context]\nshims = { ".github/copilot-instructions.md" = "markdown",'
                       ' ".cursor/rules/agents.mdc" = "cursor" }\n',
    "AGENTS.md": "# Demo\n\n@docs/rules.md\n\n```\n@docs/rules.md\n```\nEnd.\n",
    "docs/rules.md": "- Rule one.\n",
}


def test_sync_context_writes_what_ar405_expects(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir(SHIMS)
    monkeypatch.chdir(root)
    fix = "is missing; run `agentrails sync-context --write`"
    assert [f[2:] for f in findings(cli, root)] == [
        ("AR405", f"shim .cursor/rules/agents.mdc {fix}"),
        ("AR405", f"shim .github/copilot-instructions.md {fix}"),
    ]
    assert cli("sync-context").code == 1
    assert cli("sync-context", "--write").code == 0
    assert findings(cli, root) == []
    assert cli("sync-context").code == 0


def test_shims_expand_whole_line_imports_and_drift_with_them(plain_dir, cli, monkeypatch) -> None:
    root = plain_dir(SHIMS)
    monkeypatch.chdir(root)
    assert cli("sync-context", "--write").code == 0
    copilot = (root / ".github/copilot-instructions.md").read_text()
    body = "# Demo\n\n- Rule one.\n\n```\n@docs/rules.md\n```\nEnd.\n"
    assert copilot == f"{header('AGENTS.md')}\n\n{body}"
    cursor = (root / ".cursor/rules/agents.mdc").read_text()
    assert cursor.startswith("---\ndescription: ") and cursor.endswith(copilot)
    assert "alwaysApply: true\n---\n" in cursor
    (root / "docs/rules.md").write_text("- Rule one, changed.\n")
    assert [f[:3] for f in findings(cli, root)] == [
        (".cursor/rules/agents.mdc", 9, "AR405"), (".github/copilot-instructions.md", 5, "AR405")]
    assert render_shim(str(root), "AGENTS.md", "markdown") != copilot


def test_diff_base_must_name_a_commit(git_repo, cli) -> None:
    root = git_repo({"a.py": ""})
    git(root, "commit", "-q", "-m", "start")
    outcome = cli("check", root, "--diff-base", "no-such-ref")
    assert outcome.code == 2 and "no-such-ref" in outcome.err
    assert cli("check", root, "--diff-base=--help-me").code == 2
    assert cli("check", root, "--diff-base", "HEAD").code == 0


def test_suppressions_in_markdown_yaml_and_code(plain_dir, cli) -> None:
    table = "| Severity | Finding | Status |\n| --- | --- | --- |\n"
    root = plain_dir({
        "agentrails.toml": '[lanes]\napi = ["src/api/**"]\n',
        "migrations/2025-01-01-legacy.md":
            f"---\nstatus: accepted  # noqa: AR602\nowner: a\n---\n\n## Review pass 1\n\n{table}",
        "src/api/a.py": "", "src/old.py": "# agentrails: noqa: AR703\n",
        "handoffs/2025-01-01-0900-old.md": "<!-- agentrails: noqa: AR501, AR502 -->\n# Old\n",
    })
    assert findings(cli, root) == []
    (root / "src/old.py").write_text("")
    assert [f[:3] for f in findings(cli, root)] == [("src/old.py", 1, "AR703")]


def write_graph(root: str, graph: list) -> dict[str, FileFacts]:
    """Files 0..n (0 is AGENTS.md); file i imports the files its list names, then filler."""
    names = ["AGENTS.md", *(f"docs/f{i}.md" for i in range(1, len(graph)))]
    facts = {}
    for index, (targets, filler) in enumerate(graph):
        folder = posixpath.dirname(names[index]) or "."
        imports = [f"@{posixpath.relpath(names[t], folder)}" for t in targets if t < len(names)]
        text = "\n".join(["# File", *imports, *(["text"] * filler)]) + "\n"
        path = Path(root, names[index])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        facts[names[index]] = FileFacts(names[index], line_count=len(text.splitlines()),
                                        families={"context": parse_markdown(text, len(text))})
    return facts


def reachable(graph: list) -> set[int]:
    reach, queue = {0}, [0]
    while queue:
        new = {t for t in graph[queue.pop()][0] if t < len(graph)} - reach
        reach |= new
        queue.extend(new)
    return reach


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 5), max_size=4), st.integers(0, 30)),
                min_size=1, max_size=6))
def test_budget_is_the_sum_over_what_the_imports_reach(graph: list) -> None:
    with tempfile.TemporaryDirectory() as root:
        facts = write_graph(root, graph)
        names = list(facts)
        lines = sum(facts[names[i]].line_count for i in reachable(graph))
        options = {"canonical": "AGENTS.md", "max-lines": 0, "max-bytes": 10**9}
        found = list(ContextBudget().check_project(facts, RuleContext(options, root)))
        assert [(f.value, f.limit) for f in found] == [(lines, 0)]
