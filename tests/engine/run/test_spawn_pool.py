"""The worker pool under ``spawn``, the start method of Windows and macOS: forced here with
``AGENTRAILS_START_METHOD``, a real check runs through the pool (not the in-process fallback)
and finds exactly what a run in one process finds. ``pytest --start-method spawn`` runs the
whole suite that way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentrails.engine.config.selected import configured_selection
from agentrails.engine.config.settings import load_settings
from agentrails.engine.registry import load_families
from agentrails.engine.run import pool, runner

FILES = 2 * runner.POOL_THRESHOLD


def worker_pid(item: int) -> tuple[int, int]:
    """A pool task: the item and the process that handled it."""
    return item, os.getpid()


def _no_setup() -> None:
    """A pool initializer that needs nothing."""


def project(root: Path) -> Path:
    """Enough files for the pool, with findings of several families in them."""
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.agentrails.size]\nmax-function-lines = 4\n")
    for index in range(FILES):
        body = "".join(f"    v{n} = {n}\n" for n in range(index % 6))
        (root / f"m{index}.py").write_text(
            f"import os\n\n\ndef f{index}(a):\n{body}    if a:\n        return 1\n    return 2\n")
    (root / "broken.py").write_text("x = (\n")
    (root / "notes.txt.rej").write_text("leftover\n")
    return root


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_map_in_pool_runs_in_other_processes(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    monkeypatch.setenv(pool.START_METHOD_VARIABLE, method)
    assert pool.start_method() == method
    progress = runner.Progress(40)
    results = pool.map_in_pool(worker_pid, list(range(40)), 2, progress, _no_setup, ())
    assert results is not None, "the pool fell back to this process"
    assert [item for item, _ in results] == list(range(40))
    assert os.getpid() not in {pid for _, pid in results}


def _run(root: Path, jobs: int):
    settings = load_settings(root, load_families())
    selected = configured_selection(settings)
    return runner.run_check(settings, load_families(), selected, use_cache=False, jobs=jobs)


def test_a_real_check_through_a_spawned_pool(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path / "proj")
    expected = _run(root, jobs=1)
    assert {f.code for f in expected.findings} >= {"AR001", "AR102", "AR301", "AR902"}
    outcomes: list[object] = []
    real = pool.map_in_pool

    def watched(*args, **kwargs):
        outcome = real(*args, **kwargs)
        outcomes.append(outcome)
        return outcome

    monkeypatch.setattr(pool, "map_in_pool", watched)
    monkeypatch.setenv(pool.START_METHOD_VARIABLE, "spawn")
    spawned = _run(root, jobs=2)
    assert len(outcomes) == 1 and outcomes[0] is not None, "the pool did not run"
    assert len(outcomes[0]) == expected.analysed == spawned.analysed > runner.POOL_THRESHOLD
    assert spawned.findings == expected.findings


def _cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentrails", "check", "--no-cache", *args],
                          cwd=root, env={**os.environ, **env}, capture_output=True, text=True,
                          check=False)


def test_the_cli_under_spawn(tmp_path: Path) -> None:
    """The console entry point with spawned workers: same report, nothing on stderr even
    with AGENTRAILS_DEBUG (which reports a pool that failed and fell back)."""
    root = project(tmp_path / "proj")
    one = _cli(root, "--jobs", "1")
    assert one.returncode == 1 and one.stderr == ""
    spawned = _cli(root, "--jobs", "2", AGENTRAILS_START_METHOD="spawn", AGENTRAILS_DEBUG="1")
    assert (spawned.returncode, spawned.stdout, spawned.stderr) == (1, one.stdout, "")


def test_an_unknown_start_method_is_a_usage_error(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    result = _cli(root, AGENTRAILS_START_METHOD="thread")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("agentrails: error: AGENTRAILS_START_METHOD='thread': use")
    assert len(result.stderr.splitlines()) == 1


def test_default_start_method(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pool.START_METHOD_VARIABLE, raising=False)
    expected = "fork" if sys.platform.startswith("linux") else "spawn"
    assert pool.start_method() == expected
