"""The hooks that tell the agent at once: check-edit (PostToolUse: the edited file's
file-level findings, in the JSON Claude Code reads) and session-start (SessionStart: the
current state, the newest handoff's next steps, the failing checks), fed the events
Claude Code sends, through ``main`` and through the real console entry point."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentrails.hooks import check_edit, session_start, stop_gate
from tests.helpers.repo import git, write_files

BRANCHES = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(10))
CLEAN = 'def f(x: int) -> int:\n    """One branch."""\n    if x:\n        return 1\n    return 0\n'
COMPLEX = f'def f(x: int) -> int:\n    """Eleven branches."""\n{BRANCHES}    return -1\n'


def post_edit(root: Path, file_path: str, tool: str = "Edit") -> dict:
    """A PostToolUse event as Claude Code sends it after an edit."""
    key = "notebook_path" if tool == "NotebookEdit" else "file_path"
    return {"session_id": "abc", "transcript_path": str(root / "t.jsonl"), "cwd": str(root),
            "permission_mode": "default", "hook_event_name": "PostToolUse", "tool_name": tool,
            "tool_input": {key: file_path, "old_string": "a", "new_string": "b"},
            "tool_response": {"filePath": file_path, "success": True}, "tool_use_id": "t1"}


def check(event: dict, capsys) -> tuple[int, str, str]:
    code = check_edit.main(io.BytesIO(json.dumps(event).encode()), {})
    out, err = capsys.readouterr()
    return code, out, err


def run_hook(name: str, event: dict | bytes, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``agentrails hook NAME`` as Claude Code runs it: the event on stdin."""
    stdin = event if isinstance(event, bytes) else json.dumps(event).encode()
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_PROJECT_DIR"}
    result = subprocess.run([sys.executable, "-m", "agentrails", "hook", name], input=stdin,
                            cwd=cwd, env=env, capture_output=True, timeout=120, check=False)
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(), result.stderr.decode())


def test_an_edit_over_the_complexity_ceiling_comes_back_in_the_hook_format(git_repo) -> None:
    root = git_repo({"agentrails.toml": "", "src/m.py": CLEAN})
    clean = run_hook("check-edit", post_edit(root, str(root / "src/m.py")), root)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    write_files(root, {"src/m.py": COMPLEX})
    result = run_hook("check-edit", post_edit(root, str(root / "src/m.py")), root)
    assert result.returncode == 0 and result.stderr == ""
    answer = json.loads(result.stdout)
    assert set(answer) == {"decision", "reason"} and answer["decision"] == "block"
    assert "src/m.py:1:1: AR201 function 'f' is too complex (11 > 10)" in answer["reason"]
    assert "`agentrails check src/m.py` shows it again" in answer["reason"]


def test_only_file_level_rules_of_the_edited_file(git_repo, capsys) -> None:
    """Another file's findings, and whole-project rules (dead code, missing context
    files), are the Stop hook's and CI's job: an edit hears only about its own file."""
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 3\n",
                     "other.py": "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n",
                     "src/unused.py": "def never_called():\n    return 1\n"})
    assert check(post_edit(root, "src/unused.py", "Write"), capsys) == (0, "", "")
    write_files(root, {"src/unused.py": "import os\n\n\ndef f():\n    return 1\n    x = 2\n"})
    code, out, _ = check(post_edit(root, "src/unused.py", "MultiEdit"), capsys)
    reason = json.loads(out)["reason"]
    assert code == 0 and "src/unused.py:6:5: AR302" in reason and "AR101" in reason
    assert "other.py" not in reason and "AR301" not in reason and "AR402" not in reason


def test_silent_for_other_tools_and_files_it_does_not_check(git_repo, tmp_path, capsys) -> None:
    root = git_repo({"agentrails.toml": 'exclude = ["gen/**"]\n[size]\nmax-lines = 1\n'
                     '[complexity]\nmax-function = 1\n', ".gitignore": "ignored.py\n"})
    write_files(root, {"ignored.py": COMPLEX, "gen/made.py": COMPLEX, "nb.ipynb": "{}\n"})
    write_files(tmp_path, {"outside.py": COMPLEX})
    events = [post_edit(root, str(tmp_path / "outside.py")), post_edit(root, "ignored.py"),
              post_edit(root, "gen/made.py"),
              post_edit(root, "missing.py"), post_edit(root, "nb.ipynb", "NotebookEdit"),
              {**post_edit(root, "x"), "tool_name": "Bash", "tool_input": {"command": "ls"}},
              {**post_edit(root, "x"), "tool_name": ["Edit"]},
              {**post_edit(root, "x"), "tool_input": {"file_path": 3}},
              {**post_edit(root, "x"), "tool_input": "src/m.py"}]
    assert [check(event, capsys) for event in events] == [(0, "", "")] * len(events)


def test_the_baseline_and_noqa_keep_accepted_debt_quiet(git_repo, capsys) -> None:
    root = git_repo({"agentrails.toml": "", "m.py": COMPLEX.replace(
        "def f(x: int) -> int:", "def f(x: int) -> int:  # noqa: AR201, AR203"),
        "debt.py": COMPLEX})
    assert check(post_edit(root, "m.py"), capsys) == (0, "", "")
    assert check(post_edit(root, "debt.py"), capsys)[1]
    subprocess.run([sys.executable, "-m", "agentrails", "baseline"], cwd=root, check=True,
                   capture_output=True)
    assert check(post_edit(root, "debt.py"), capsys) == (0, "", "")


def test_names_the_command_as_a_uv_project_runs_it(git_repo, capsys) -> None:
    root = git_repo({"agentrails.toml": "", "uv.lock": "version = 1\n", "pkg/m.py": COMPLEX,
                     "pkg/agentrails.toml": 'extend = "../agentrails.toml"\n'})
    event = post_edit(root, "m.py")
    event["cwd"] = str(root / "pkg")
    code, out, _ = check(event, capsys)
    assert code == 0 and "`uv run agentrails check m.py` shows it again" in out
    write_files(root, {"pkg/n.py": "x = 1\n"})
    assert stop_gate.main(io.BytesIO(json.dumps({"cwd": str(root)}).encode()), {}) == 2
    assert "run `uv run agentrails check` to see them again" in capsys.readouterr().err


def test_bad_input_and_bad_configuration(git_repo, capsys) -> None:
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 'many'\n", "m.py": CLEAN})
    for stdin in (b"", b"{", b"[]", b"\xff"):
        result = run_hook("check-edit", stdin, root)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.startswith("agentrails hook check-edit: cannot read the hook input")
    code, out, err = check(post_edit(root, "m.py"), capsys)
    assert code == 0 and "max-lines" in err
    assert "agentrails configuration is invalid" in json.loads(out)["reason"]


SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)


@given(tool=st.sampled_from(["Edit", "Write", "MultiEdit", "NotebookEdit", "Bash"]) | SCALARS,
       tool_input=st.dictionaries(st.sampled_from(["file_path", "notebook_path"]), SCALARS)
       | SCALARS)
def test_any_event_shape_gives_a_path_or_none(tool: object, tool_input: object) -> None:
    found = check_edit.edited_file({"tool_name": tool, "tool_input": tool_input})
    assert found is None or (isinstance(found, str) and found and "\0" not in found)


def start(root: Path, capsys) -> list[str]:
    event = {"session_id": "abc", "cwd": str(root), "hook_event_name": "SessionStart",
             "source": "startup"}
    assert session_start.main(io.BytesIO(json.dumps(event).encode()), {}) == 0
    answer = json.loads(capsys.readouterr().out)["hookSpecificOutput"]
    assert answer["hookEventName"] == "SessionStart"
    return answer["additionalContext"].splitlines()


STATE = ("# Guide\n\n## Current state\n\n### What works\n\n- Everything old.\n\n"
         "### Mid-flight\n\n- Ledger import: half done,\n  rows 1-9 left.\n\n### Broken\n\n"
         "- Nothing known.\n\n## Later\n\n- not state\n")
HANDOFF = "# Import\n\n## Next\n\n- Finish the import.\n- Test empty rows.\n\n## Other\n\n- x\n"


def test_session_start_hands_over_the_state_in_a_few_lines(git_repo, capsys) -> None:
    root = git_repo({"agentrails.toml": 'ignore = ["AR502"]\n[context]\nrequired = []\n'
                                        '[sessions]\nsections = ["Next"]\n',
                     "AGENTS.md": STATE, "src/a.py": "import os\n",
                     "handoffs/2025-01-02-0900-old.md": "# Old\n\n## Next\n\n- stale\n",
                     "handoffs/2025-03-04-1030-ledger.md": HANDOFF})
    git(root, "add", "-A")
    assert start(root, capsys) == [
        "Where this repository stands (agentrails, at session start):",
        "- Mid-flight (AGENTS.md): Ledger import: half done, rows 1-9 left",
        "- Broken (AGENTS.md): Nothing known",
        "- Newest handoff handoffs/2025-03-04-1030-ledger.md, next: Finish the import; "
        "Test empty rows",
        "- `agentrails check` fails with 1 finding(s): src/a.py:1 AR301 unused import 'os' "
        "(100% confidence)",
    ]


def test_session_start_in_an_empty_project_and_with_a_bad_configuration(plain_dir,
                                                                        capsys) -> None:
    root = plain_dir({"agentrails.toml": "[context]\nrequired = []\n"})
    assert start(root, capsys)[1:] == ['- AGENTS.md has no "Current state" section.',
                                       "- No handoff in handoffs/ yet.",
                                       "- `agentrails check` passes."]
    write_files(root, {"agentrails.toml": "[context]\nrequired = 3\n"})
    assert start(root, capsys)[1:] == [
        "- The agentrails configuration is invalid: `agentrails check` says why."]
    result = run_hook("session-start", b"nope", root)
    assert result.returncode == 1 and "cannot read the hook input" in result.stderr
