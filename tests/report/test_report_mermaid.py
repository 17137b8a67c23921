"""The Mermaid blocks of ``agentrails report --format markdown`` are well-formed: checked by a
strict structural reading of the two chart kinds we write, and by Mermaid's own parser
(``mermaid.parse`` from the npm package, in node with jsdom) when node and npm are here."""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.report import charts
from tests.helpers.report import BRANCHY, project

MERMAID = "mermaid@12.3.0"
JSDOM = "jsdom@29.1.1"
BLOCK = re.compile(r"```mermaid\n(.*?)\n```", re.S)
QUOTED = r'"[^"\n]+"'
NUMBER = r"\d+(?:\.\d+)?"
PIE_SLICE = re.compile(rf"^    {QUOTED} : {NUMBER}$")
XY_LINES = [
    re.compile(r"^xychart-beta$"),
    re.compile(rf"^    title {QUOTED}$"),
    re.compile(rf"^    x-axis \[({QUOTED}(?:, {QUOTED})*)\]$"),
    re.compile(rf"^    y-axis {QUOTED} 0 --> ({NUMBER})$"),
]
SERIES = re.compile(rf"^    (bar|line) \[({NUMBER}(?:, {NUMBER})*)\]$")


def mermaid_problems(block: str) -> list[str]:
    """What is wrong with a ``pie`` or ``xychart-beta`` block as ``charts`` writes them."""
    lines = block.split("\n")
    return _pie_problems(lines) if lines[0].startswith("pie ") else _xychart_problems(lines)


def _pie_problems(lines: list[str]) -> list[str]:
    if not re.fullmatch(r"pie showData title [^\"\n]+", lines[0]) or len(lines) < 2:
        return ["bad pie header or no slice"]
    return [f"bad slice {line!r}" for line in lines[1:] if not PIE_SLICE.match(line)]


def _xychart_problems(lines: list[str]) -> list[str]:
    matches = [pattern.match(line) for pattern, line in zip(XY_LINES, lines, strict=False)]
    if len(lines) < 5 or not all(matches):
        return [f"bad xychart header or no series: {lines[:4]!r}"]
    labels = len(re.findall(QUOTED, matches[2].group(1)))
    top = float(matches[3].group(1))
    return [problem for line in lines[4:] for problem in _series_problems(line, labels, top)]


def _series_problems(line: str, labels: int, top: float) -> list[str]:
    series = SERIES.match(line)
    values = [float(v) for v in series.group(2).split(", ")] if series else []
    if series and len(values) == labels and max(values) <= top:
        return []
    return [f"bad series {line!r} for {labels} labels up to {top}"]


def blocks(markdown: str) -> list[str]:
    return BLOCK.findall(markdown)


NASTY = st.text(alphabet=st.sampled_from(list('ab1 "\\`;#%{}[]<>:\n\r\t-_|é😀')), max_size=12)
VALUES = st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(NASTY, st.lists(st.tuples(NASTY, VALUES), max_size=8))
def test_any_pie_is_well_formed(title: str, slices: list) -> None:
    chart = charts.pie(title, slices)
    if chart is None:
        assert all(value <= 0 for _, value in slices)
        return
    (block,) = blocks(chart)
    assert mermaid_problems(block) == []


@settings(max_examples=200, deadline=None)
@given(NASTY, st.lists(NASTY, min_size=1, max_size=8), st.data())
def test_any_xychart_is_well_formed(title: str, labels: list, data) -> None:
    series = data.draw(st.lists(st.tuples(st.sampled_from(["bar", "line"]),
                                          st.lists(VALUES, min_size=len(labels),
                                                   max_size=len(labels))), min_size=1,
                                max_size=3))
    (block,) = blocks(charts.bars(title, labels, series, title))
    assert mermaid_problems(block) == []


def test_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="needs 2 values"):
        charts.bars("t", ["a", "b"], [("bar", [1])], "y")


@pytest.fixture
def real_report(git_repo, cli, tmp_path) -> str:
    """A Markdown report with every chart: findings, ranks, context budget, rank change."""
    root = project(git_repo)
    old = tmp_path / "old.json"
    cli("report", "--no-cache", "--output", old, root)
    (root / "pkg" / "logic.py").write_text(BRANCHY + "\n\ndef more(x):\n    return x\n")
    return cli("report", "--no-cache", "--format", "markdown", "--compare", old, root).out


def test_report_blocks_are_well_formed(real_report: str) -> None:
    found = blocks(real_report)
    assert len(found) == 4
    for block in found:
        assert mermaid_problems(block) == [], block


PARSE_SCRIPT = """
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const results = [];
for (const text of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
  try {
    const found = await mermaid.parse(text);
    results.push({ok: true, type: found.diagramType});
  } catch (error) {
    results.push({ok: false, error: String(error.message || error)});
  }
}
process.stdout.write(JSON.stringify(results));
"""


@pytest.fixture(scope="session")
def mermaid_parser() -> Path:
    """A directory with the mermaid and jsdom npm packages and a parse script, installed
    once into the user's cache; skips when node or npm is missing or the install fails."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run Mermaid's own parser")
    home = Path(os.environ.get("AGENTRAILS_NPM_CACHE", Path.home() / ".cache"))
    where = home / "agentrails-mermaid"
    where.mkdir(parents=True, exist_ok=True)
    with open(where / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (where / "node_modules" / "mermaid" / "package.json").exists():
            result = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
                 str(where), MERMAID, JSDOM], capture_output=True, text=True, check=False,
                timeout=600,
            )
            if result.returncode != 0:
                pytest.skip(f"npm could not install {MERMAID}: {result.stderr[-500:]}")
    (where / "parse.mjs").write_text(PARSE_SCRIPT)
    return where


def mermaid_parse(where: Path, texts: list[str]) -> list[dict]:
    result = subprocess.run(
        ["node", str(where / "parse.mjs")], input=json.dumps(texts), capture_output=True,
        text=True, check=True, cwd=where, timeout=300,
    )
    return json.loads(result.stdout)


def random_charts(count: int) -> list[str]:
    """Pies and xycharts with labels full of characters Mermaid's grammars care about."""
    rng = random.Random(7)
    alphabet = list('ab1 "\\`;#%{}[]<>:-_|é😀') + ["\n", "end", "title", "-->", "%%"]

    def word() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))

    texts = []
    for _ in range(count):
        labels = [word() for _ in range(rng.randint(1, 6))]
        values = [rng.choice([0, 1, 7, 12.5, 999999, 0.25]) for _ in labels]
        texts += blocks(charts.pie(word(), list(zip(labels, values, strict=True))) or "")
        texts += blocks(charts.bars(word(), labels, [("bar", values), ("line", values)], word()))
    return texts


@pytest.mark.slow
def test_mermaid_parses_every_block(mermaid_parser: Path, real_report: str) -> None:
    texts = blocks(real_report) + random_charts(150)
    broken = ["xychart-beta\n    x-axis [a\n    bar [1]", "pie showData title x\n    a : 1"]
    results = mermaid_parse(mermaid_parser, texts + broken)
    assert [r["ok"] for r in results[-2:]] == [False, False], "the parser must reject these"
    bad = [(text, r["error"]) for text, r in zip(texts, results, strict=False) if not r["ok"]]
    assert bad == []
    assert {r["type"] for r in results[:-2]} == {"pie", "xychart"}
