"""guard-paths on bad input as large as it reads: every event up to 1 MB, however it is built
to be slow (quadratic regular expressions, nesting, brace and alias bombs, thousands of
commands or paths), gets its answer within a second, with one line when it refuses; a
larger event is refused unread. Claude Code waits for the hook on every tool call, so a
slow answer stalls the agent."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agentrails.hooks import guard_paths

LIMIT = guard_paths.MAX_EVENT_BYTES
SECONDS = 1.0
FILES = {"src/a.py": "", ".github/workflows/ci.yml": "on: push\n", ".github/CODEOWNERS": "* @a\n",
         "agentrails.toml": '[agents]\nprotected = [".github/**", "*.lock", "**/x*y"]\n'}
BOMB = ("---\nstatus: accepted\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
                  for p, n in zip("abcdefgh", "bcdefghi", strict=True)) + "---\n")


def fill(head: str, unit: str, tail: str = "") -> Callable[[int], str]:
    """A command of ``head``, ``unit`` repeated, ``tail``, as long as the event allows."""
    return lambda room: head + unit * ((room - len(head) - len(tail)) // len(unit)) + tail


PAYLOADS = {
    "open without parentheses": fill("python3 -c '", "open ", "'"),
    "open calls never closed": fill("python3 -c \"", "open(x,", "\""),
    "open calls with modes": fill("python3 -c \"", "open('a','w');", "\""),
    "literal paths in writing code": fill("python3 -c \"open('x','w');", "'p/q';", "\""),
    "command substitutions never closed": fill("echo ", "$("),
    "arithmetic never closed": fill("echo ", "$(("),
    "parameter expansions never closed": fill("echo ", "${"),
    "backticks": fill("echo ", "`"),
    "nested shells": fill("", "bash -c "),
    "brace bomb": fill("touch ", "{a,b}"),
    "nested braces": lambda room: "touch " + "{" * (room // 8) + "a,b" + "}" * (room // 8),
    "brace sequences": fill("touch ", "{1..999}"),
    "many commands": fill("", "echo x; "),
    "many pipes": fill("echo a", " | cat"),
    "many assignments": fill("", "a=$(b) "),
    "many working folders": fill("", "cd a; cd -; pushd b; popd; "),
    "many targets": fill("tee ", "x "),
    "many hard links": fill("ln ", "a ", "b"),
    "xargs fed a million words": fill("echo ", "a ", " | xargs rm"),
    "long arithmetic": fill("echo $(( ", "1+", "1 ))"),
    "a long here-document": fill("cat > out <<'EOF'\n", "line of text\n", "EOF\n"),
    "many here-documents": fill("", "cat <<A\n"),
    "a long quoted word": fill("echo \"", "x", "\""),
    "backslashes": fill("echo ", "\\\\"),
    "quotes": fill("echo '", "a' 'a", "'"),
    "ANSI-C escapes": fill("echo $'", "\\x41\\101", "'"),
    "globs too deep to compare": fill("touch ", "*a"),
    "glob segments": fill("touch ", "a*/"),
    "folders too deep": fill("rm -rf ", "d/"),
    "find actions": fill("find . ", "-exec find . ", "-delete"),
    "tildes": fill("echo ", "~+/~-/"),
    "nested double quotes": fill("bash -c \"", "\\\"$(", "\""),
}


def event(project: Path, command: str) -> bytes:
    return json.dumps({"hook_event_name": "PreToolUse", "cwd": str(project), "tool_name": "Bash",
                       "tool_input": {"command": command}}).encode()


def sized(project: Path, build: Callable[[int], str]) -> bytes:
    """An event of this shape just under the limit (JSON may escape a character as two)."""
    room = LIMIT
    for _ in range(20):
        data = event(project, build(room))
        if LIMIT - 4096 < len(data) <= LIMIT:
            return data
        room = room * (LIMIT - 1024) // len(data)
    raise AssertionError(f"no event of this shape fits: {len(data)} bytes")


def answer(data: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    """The hook's exit code, stderr and the processor time it took: processor time, not
    wall time, because the test machine may be shared (the hook's own deadline is on the
    wall clock)."""
    capsys.readouterr()
    start = time.process_time()
    code = guard_paths.main(io.BytesIO(data), {"HOME": "/home/me"})
    took = time.process_time() - start
    return code, capsys.readouterr().err, took


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_megabyte_of_bad_input_is_answered_within_a_second(plain_dir, capsys, name: str) -> None:
    project = plain_dir(FILES)
    data = sized(project, PAYLOADS[name])
    assert LIMIT - 4096 < len(data) <= LIMIT
    code, err, took = answer(data, capsys)
    assert took < SECONDS, f"{name}: {took:.2f} s"
    assert code in (0, 2) and err.count("\n") == (code == 2), err[:300]
    assert "Traceback" not in err


def test_an_alias_bomb_in_a_plan_does_not_stall_later_calls(plain_dir, capsys) -> None:
    project = plain_dir({**FILES, "migrations/2025-01-01-bomb.md": BOMB + "# Plan\n"})
    for command in ("echo x > migrations/2025-01-01-bomb.md", "rm -rf migrations", "ls"):
        code, err, took = answer(event(project, command), capsys)
        assert took < SECONDS, f"{command}: {took:.2f} s"
        assert code in (0, 2) and "Traceback" not in err


def test_a_larger_event_is_refused_unread(plain_dir, capsys) -> None:
    project = plain_dir(FILES)
    code, err, took = answer(event(project, "echo " + "x" * LIMIT), capsys)
    assert code == 2 and took < SECONDS
    assert err == ("agentrails hook guard-paths: cannot read the hook input: stdin holds more "
                   f"than {LIMIT} bytes: not an event this hook reads\n")
