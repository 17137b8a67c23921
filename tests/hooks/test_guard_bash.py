"""guard-paths on Bash commands, in process: which operand each command writes, how paths
resolve, and properties (a refused command stays refused however it is wrapped; reads pass;
no text makes the hook raise)."""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.hooks import guard_paths
from agentrails.hooks.shell.path_rules import host_rules
from agentrails.hooks.shell.writes import MAX_DEPTH, Place, TooDeep, writes

FIXTURE = [HealthCheck.function_scoped_fixture]  # the project is only read, never changed
FILES = {"agentrails.toml": "", "src/a.py": "", "src/b.py": "", "docs/x.md": "",
         ".github/workflows/ci.yml": "on: push\n", ".github/CODEOWNERS": "* @a\n",
         ".claude/settings.json": "{}\n",
         "migrations/2025-01-01-done.md": "---\nstatus: done\nowner: a\n---\n"}


@pytest.fixture
def project(plain_dir) -> Path:
    return plain_dir(FILES)


def written(project: Path, command: str, cwd: str = "") -> list[tuple[str, bool]]:
    place = Place(str(project / cwd), str(project), host_rules(), {"HOME": "/home/me"})
    return [(w.pattern, w.recursive) for w in writes(command, place)]


@pytest.mark.parametrize(("command", "expected"), [
    ("cp a b", [("b", False)]),
    ("cp -r a b c/", [("c", True)]),
    ("cp a src", [("src/a", False)]),  # an existing folder receives the file
    ("cp -t docs a b", [("docs/a", False), ("docs/b", False)]),
    ("cp --target-directory=docs a", [("docs/a", False)]),
    ("cp -T a src", [("src", False)]),
    ("mv a b", [("b", True), ("a", True)]),
    ("ln -s /etc/x", [("x", False)]),
    ("ln -sf a b", [("b", False)]),
    ("install -d x y", [("x", False), ("y", False)]),
    ("chmod -w a b", [("a", False), ("b", False)]),  # -w is the mode, not an option
    ("chmod -R u+w a", [("a", True)]),
    ("chmod --reference=a b", [("b", False)]),
    ("chown -R me:me a", [("a", True)]),
    ("dd if=a of=b bs=1", [("b", False)]),
    ("touch -r ref a", [("a", False)]),
    ("truncate -s 0 a", [("a", False)]),
    ("tee -a a b", [("a", False), ("b", False)]),
    ("sed -n 1p a", []),
    ("sed -i.bak -e s/x/y/ a b", [("a", False), ("b", False)]),
    ("sed -i s/x/y/ a", [("a", False)]),
    ("perl -pi -e s/x/y/ a", [("a", False)]),
    ("git checkout main -- a", [("a", True)]),
    ("git checkout -b topic", []),
    ("git restore --source HEAD~1 a", [("a", True)]),
    ("git -C src rm ':(top)docs/x.md'", [("docs/x.md", True)]),
    ("git status; git diff; git log -- a", []),
    ("echo x 2>&1 >a 2>/dev/null", [("a", False)]),
    ("echo x >&b", [("b", False)]),
    ("cat <a >>b", [("b", False)]),
    ("cd src && touch a && cd .. && touch b", [("src/a", False), ("b", False)]),
    ("(cd src; touch a); touch b", [("src/a", False), ("b", False)]),
    ("touch ../x", []),  # outside the project
    ("rm -rf ..", [("", True)]),  # holds the project
    ("touch ~/x", []),
    ("echo $(touch a) `touch b`", [("a", False), ("b", False)]),
    ("bash -lc 'touch a' && sh -c \"touch b\"", [("a", False), ("b", False)]),
    ("find src -name '*.py' -delete", [("src/**/*.py", False)]),
    ("find . -type f -exec rm {} +", [("", False), ("**", False)]),
    ("find docs -exec rm -r {} +", [("docs", True), ("docs/**", True)]),
    ("python3 -c \"open('a', 'w')\"", [("a", False), ("w", False)]),  # every literal
    ("python3 -c \"print(open('a').read())\"", []),
    ("python3 - <<'EOF'\nimport shutil\nshutil.rmtree('docs')\nEOF", [("docs", True)]),
    ("touch {a,b}.py", [("a.py", False), ("b.py", False)]),
    ("touch 'x y' \"*\" *", [("x y", False), ("\\*", False), ("*", False)]),
    ("xargs rm a < list", [("a", False)]),
])
def test_which_paths_a_command_writes(project: Path, command: str, expected: list) -> None:
    assert written(project, command) == expected


def test_nesting_beyond_reading_is_refused(project: Path, capsys) -> None:
    nested = "touch a"
    for _ in range(MAX_DEPTH + 1):
        nested = f"bash -c {shlex.quote(nested)}"
    with pytest.raises(TooDeep):
        written(project, nested)
    assert run(project, nested) == 2
    assert "nests more than 8 levels of commands" in capsys.readouterr().err


def run(project: Path, command: str, environ: dict | None = None) -> int:
    payload = {"hook_event_name": "PreToolUse", "cwd": str(project), "tool_name": "Bash",
               "tool_input": {"command": command}}
    return guard_paths.main(io.BytesIO(json.dumps(payload).encode()), environ or {})


WRITERS = ["echo x > {}", "echo x >> {}", "printf x | tee {}", "sed -i s/a/b/ {}",
           "cp /etc/hostname {}", "mv {} /tmp/elsewhere", "rm -f {}", "truncate -s0 {}",
           "chmod 600 {}", "dd if=/dev/null of={}", "ln -sf /tmp/x {}", "touch {}",
           "git checkout HEAD -- {}", "perl -pi -e s/a/b/ {}", "install /etc/hostname {}"]
CODE_WRITERS = ["python3 -c \"open('{}', 'a')\"", "node -e \"require('fs').rmSync('{}')\"",
                "ruby -e \"File.write('{}', '')\""]  # code does not expand globs
LITERAL = [".github/workflows/ci.yml", ".github/CODEOWNERS", ".claude/settings.json",
           "migrations/2025-01-01-done.md", "src/../.github/CODEOWNERS",
           "./.github//workflows/ci.yml", ".GitHub/workflows/new.yml",
           "\"$PWD\"/.claude/settings.json"]
PROTECTED = [*LITERAL, ".github/workflows/*.yml", ".github/*/ci.yml", ".github/{x,CODEOWNERS}"]
REFUSED = st.one_of(st.builds(str.format, st.sampled_from(WRITERS), st.sampled_from(PROTECTED)),
                    st.builds(str.format, st.sampled_from(CODE_WRITERS), st.sampled_from(LITERAL)))
WRAPPERS = ["bash -c {quoted}", "({raw})", "true && {raw}", "sh -c {quoted}",
            "sudo bash -c {quoted}", "echo start; {raw}", "{raw} || true",
            "if true; then {raw}; fi", "cd src && cd .. && {raw}"]


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE)
@given(REFUSED, st.lists(st.sampled_from(WRAPPERS), max_size=3))
def test_a_refused_command_stays_refused_when_wrapped(project: Path, command: str,
                                                      wrappers: list[str]) -> None:
    assert run(project, command) == 2
    for wrapper in wrappers:
        command = wrapper.format(raw=command, quoted=shlex.quote(command))
        assert run(project, command) == 2, command


READERS = ["cat {}", "grep -n on {}", "head -1 {}", "less {}", "sed -n 1p {}", "wc -l {}",
           "git diff -- {}", "git log -- {}", "cp {} /tmp/copy", "diff {0} {0}",
           "python3 -c \"print(open('{}').read())\"", "test -f {} && echo yes"]
ELSEWHERE = ["echo x > src/new.py", "touch docs/y.md", "rm -f src/b.py", "mkdir -p build",
             "sed -i s/a/b/ src/a.py", "cp src/a.py /tmp/", "echo x > /tmp/out"]


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE)
@given(st.one_of(st.builds(str.format, st.sampled_from(READERS), st.sampled_from(PROTECTED)),
                 st.sampled_from(ELSEWHERE)),
       st.lists(st.sampled_from(WRAPPERS), max_size=2))
def test_reads_and_writes_elsewhere_pass(project: Path, command: str, wrappers: list[str]) -> None:
    for wrapper in wrappers:
        command = wrapper.format(raw=command, quoted=shlex.quote(command))
    assert run(project, command) == 0, command


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE)
@given(st.text(max_size=300))
def test_no_command_text_makes_the_hook_raise(project: Path, capsys, text: str) -> None:
    capsys.readouterr()
    code = run(project, text)
    err = capsys.readouterr().err
    assert code in (0, 2)
    assert err.count("\n") == (1 if code == 2 else 0), err


@pytest.mark.parametrize("command", [
    "touch " + "*a" * 3000,  # too deep to compare: taken to overlap
    "touch " + "/".join(["a*"] * 3000),
    "rm -rf " + "/".join(["d"] * 3000),
    "echo " + "$(" * 5000,  # too deeply nested
    "echo " + "`" * 5001,
    "touch " + "{a,b}" * 200,  # 2**200 expansions: refused, never read in part
    "touch " + "{" * 3000 + "a,b" + "}" * 3000,
    "cat <<A <<B <<C\n" * 2000,
])
def test_pathological_commands_get_an_answer_not_a_traceback(project: Path, capsys,
                                                             command: str) -> None:
    (project / "agentrails.toml").write_text('[agents]\nprotected = ["*.lock", "**/x*y"]\n')
    code = run(project, command)
    err = capsys.readouterr().err
    assert code in (0, 2) and err.count("\n") == (code == 2)


def test_an_internal_error_refuses_the_call_in_one_line(project: Path, capsys, monkeypatch) -> None:
    """Claude Code lets a call through when its hook exits 1 (a traceback): the guard must not."""

    def broken(*args: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(guard_paths, "writes", broken)
    assert run(project, "ls") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (RuntimeError: a bug\\nover two lines)" in err
