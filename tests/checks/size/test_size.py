"""AR101 (file line cap) and AR102 (function line cap): boundaries and line counting."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.size.rules import DATA_FILES, FileTooLong, FunctionTooLong
from agentrails.engine.protocol import RuleContext
from agentrails.engine.registry import load_families
from agentrails.engine.run.analyse import analyse, count_blank_lines, count_lines
from tests.helpers.repo import finding_lines

SIZE_ONLY = "--select=AR1"


def _facts(path: str, data: bytes, max_bytes: int = 10**7):
    families = [f for f in load_families() if f.name == "size"]
    contexts = {"size": RuleContext({}, ".")}
    return analyse(path, data, families, contexts, max_bytes)


def _ctx(max_lines: int = 500, max_function_lines: int = 80, per_glob=None) -> RuleContext:
    options = {"max-lines": max_lines, "max-function-lines": max_function_lines,
               "per-glob": per_glob or {}, "data-files": list(DATA_FILES)}
    return RuleContext(options, ".")


def _file_findings(path: str, data: bytes, cap: int, per_glob=None):
    ctx = _ctx(max_lines=cap, per_glob=per_glob)
    return list(FileTooLong().check_file(_facts(path, data), ctx))


def _function_findings(source: str, cap: int):
    data = textwrap.dedent(source).encode()
    return list(FunctionTooLong().check_file(_facts("m.py", data), _ctx(max_function_lines=cap)))


@pytest.mark.parametrize(("lines", "flagged"), [(4, False), (5, False), (6, True)])
def test_file_cap_boundary_through_the_cli(git_repo, cli, lines, flagged):
    repo = git_repo({
        "agentrails.toml": "size = { max-lines = 5 }\n",
        "notes.md": "".join(f"line {n}\n" for n in range(lines)),
    })
    result = cli("check", SIZE_ONLY, repo, cwd=repo)
    expected = [f"notes.md:1:1: AR101 file has {lines} non-blank lines (cap 5)"] if flagged else []
    assert finding_lines(result.out) == expected
    assert result.code == int(flagged)


DATA = {
    "locale/fr/LC_MESSAGES/django.po": "msgid \"x\"\n",
    "tables/rates.csv": "a,b\n",
    "tests/models/whatwg.json": "[1,\n",
    "events.jsonl": "{}\n",
    "tests/fixtures/page.html": "<p>\n",
    "pkg-1.0.dist-info/RECORD": "x,y\n",
}


@pytest.mark.parametrize(("data_files", "skipped"), [
    (None, set(DATA)),  # the default
    ("[]", set()),
    ('["*.json"]', {"tests/models/whatwg.json"}),
])
def test_data_files_are_skipped_by_default_and_checked_when_configured(git_repo, cli,
                                                                      data_files, skipped):
    extra = "" if data_files is None else f", data-files = {data_files}"
    repo = git_repo({"agentrails.toml": f"size = {{ max-lines = 5{extra} }}\n",
                     "code.py": "x = 1\n" * 7,
                     **{path: line * 7 for path, line in DATA.items()}})
    result = cli("check", SIZE_ONLY, repo, cwd=repo)
    flagged = {line.split(":")[0] for line in finding_lines(result.out)}
    assert flagged == {"code.py"} | (set(DATA) - skipped)


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (b"", 0),
        (b"\n", 1),
        (b"one", 1),
        (b"one\n", 1),
        (b"one\ntwo", 2),
        (b"one\r\ntwo\r\n", 2),
        (b"one\rtwo\r", 2),
        (b"one\r\n\r\n", 2),
        (b"\n\n\n", 3),
        (b"page\x0cbreak\n", 1),
        (b"vertical\x0btab\n", 1),
        ("unicode\u2028separator\n".encode(), 1),
        (b"\xef\xbb\xbfbom\n", 1),
    ],
)
def test_line_counting_is_bytes_splitlines(data, count):
    assert count_lines(data) == count == len(data.splitlines())
    assert _facts("f.txt", data).line_count == count


@given(
    lines=st.lists(st.binary(max_size=20).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
                   max_size=30),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    trailing=st.booleans(),
)
def test_property_line_count_is_what_an_editor_shows(lines, newline, trailing):
    data = newline.join(lines) + (newline if trailing and lines else b"")
    expected = len(lines) - (1 if lines and not trailing and lines[-1] == b"" else 0)
    assert count_lines(data) == expected == len(data.splitlines())


@given(count=st.integers(min_value=0, max_value=300), cap=st.integers(min_value=1, max_value=300),
       newline=st.sampled_from(["\n", "\r\n"]), trailing=st.booleans())
def test_property_ar101_fires_iff_count_exceeds_cap(count, cap, newline, trailing):
    text = newline.join(f"line {n}" for n in range(count)) + (newline if trailing else "")
    findings = _file_findings("notes.md", text.encode(), cap)
    assert bool(findings) == (count > cap)
    if findings:
        assert (findings[0].value, findings[0].limit, findings[0].line) == (count, cap, 1)


@given(lines=st.lists(st.sampled_from(["", " ", "\t \f", "code", "  indented", "\u00a0x"]),
                      max_size=40),
       cap=st.integers(min_value=1, max_value=30), newline=st.sampled_from(["\n", "\r\n"]),
       trailing=st.booleans())
def test_property_ar101_counts_non_blank_lines(lines, cap, newline, trailing):
    text = newline.join(lines) + (newline if trailing and lines else "")
    content = sum(1 for line in lines if line.strip(" \t\f\v"))
    findings = _file_findings("notes.md", text.encode(), cap)
    assert bool(findings) == (content > cap), (lines, content)
    if findings:
        assert findings[0].value == content


@pytest.mark.parametrize(("text", "content"), [
    ("a\n\n\nb\n", 2), ("\n" * 50 + "x", 1), ("a\r\n  \r\nb", 2), ("", 0), ("  ", 0),
    ("a\n \t", 1), ("\n", 0), ("x\n\n", 1),
])
def test_ar101_boundary_examples(text, content):
    data = text.encode()
    assert count_lines(data) - count_blank_lines(data) == content
    over = _file_findings("n.md", data, max(content - 1, 1))
    assert [f.value for f in over] == ([content] if content > 1 else [])


def test_binary_generated_and_exempt_files_are_skipped():
    long_text = b"x\n" * 20
    assert _file_findings("a.txt", long_text, 10)
    assert not _file_findings("image.png", b"\x89PNG\x00" + long_text, 10)
    assert not _file_findings("package-lock.json", long_text, 10)
    assert not _file_findings("app.min.js", long_text, 10)
    assert not _file_findings("gen.py", b"# @generated by tool\n" + long_text, 10)
    assert not _file_findings("gen.go", b"// Code generated. DO NOT EDIT.\n" + long_text, 10)
    assert not _file_findings("docs/a.md", long_text, 10, per_glob={"docs/**": 0})
    assert _file_findings("src/a.md", long_text, 10, per_glob={"docs/**": 0})
    assert not _file_findings("docs/a.md", long_text, 10, per_glob={"docs/**": 20})


FUNCTION_AT_CAP = """
def four():
    a = 1
    b = 2
    return a + b
"""


@pytest.mark.parametrize(("cap", "flagged"), [(5, False), (4, False), (3, True)])
def test_function_cap_boundary(cap, flagged):
    findings = _function_findings(FUNCTION_AT_CAP, cap)
    assert bool(findings) == flagged
    if flagged:
        (finding,) = findings
        assert (finding.line, finding.column, finding.value, finding.limit) == (2, 1, 4, cap)
        assert finding.message == f"function 'four' has 4 lines (cap {cap})"


def test_function_length_runs_from_def_to_end_lineno_without_decorators():
    source = """
    @decorator
    @other(
        argument=1,
    )
    def spanned(
        a,
        b,
    ):
        return a  # last line of the body


    # a comment after the function is not part of it
    """
    (finding,) = _function_findings(source, 1)
    assert (finding.line, finding.value) == (6, 5)


def test_nested_functions_methods_and_async_are_measured():
    source = """
    class Outer:
        def method(self):
            def inner():
                x = 1
                return x
            return inner

        async def fetch(self):
            await thing()
            return 1

    if True:
        def conditional():
            pass
    """
    found = {
        f.message.split("'")[1]: (f.line, f.column, f.value) for f in _function_findings(source, 1)
    }
    assert found == {
        "Outer.method": (3, 5, 5),
        "Outer.method.inner": (4, 9, 3),
        "Outer.fetch": (9, 5, 3),
        "conditional": (14, 5, 2),
    }


@given(body=st.integers(min_value=1, max_value=120), cap=st.integers(min_value=1, max_value=120))
def test_property_ar102_matches_end_lineno(body, cap):
    source = "def f():\n" + "    x = 1\n" * body + "\n# trailing comment\n"
    node = ast.parse(source).body[0]
    length = node.end_lineno - node.lineno + 1
    assert length == body + 1
    findings = _function_findings(source, cap)
    assert bool(findings) == (length > cap)


def test_function_cap_through_the_cli_with_a_syntax_error_elsewhere(git_repo, cli):
    repo = git_repo({
        "agentrails.toml": "size = { max-function-lines = 2 }\n",
        "ok.py": FUNCTION_AT_CAP,
        "broken.py": "def broken(:\n    pass\n",
    })
    result = cli("check", "--select", "AR001,AR102", repo, cwd=repo)
    assert finding_lines(result.out) == [
        "broken.py:1:12: AR001 syntax error: invalid syntax",
        "ok.py:2:1: AR102 function 'four' has 4 lines (cap 2)",
    ]
