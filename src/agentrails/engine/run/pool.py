"""The process pool that analyses files in parallel; imported only when a run needs it."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from agentrails.engine.output.progress import Progress

Item = TypeVar("Item")
Result = TypeVar("Result")

START_METHOD_VARIABLE = "AGENTRAILS_START_METHOD"
"""Environment variable naming the workers' start method (``fork``, ``spawn``,
``forkserver``), e.g. ``spawn`` to run here as on Windows and macOS."""


def start_method() -> str:
    """``$AGENTRAILS_START_METHOD`` if set, else ``fork`` where the platform has it (cheap:
    workers inherit the loaded rule families), else ``spawn`` (Windows; macOS has fork but
    Python defaults to spawn there because fork is unsafe with its system libraries)."""
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip()
    if wanted:
        return wanted
    available = multiprocessing.get_all_start_methods()
    if sys.platform == "darwin" or "fork" not in available:
        return "spawn"
    return "fork"


def start_method_problem() -> str | None:
    """What is wrong with ``$AGENTRAILS_START_METHOD`` on this platform, or None."""
    wanted = os.environ.get(START_METHOD_VARIABLE, "").strip()
    available = multiprocessing.get_all_start_methods()
    if not wanted or wanted in available:
        return None
    return f"{START_METHOD_VARIABLE}={wanted!r}: use one of {', '.join(available)}"


def map_in_pool(
    work: Callable[[Item], Result], items: list[Item], workers: int, progress: Progress,
    initializer: Callable[..., None], initargs: tuple[object, ...],
) -> list[Result] | None:
    """``work`` over ``items`` in ``workers`` processes, in order; None if the pool broke
    (a worker was killed) or cannot start here, so the caller finishes in-process.

    Workers start by :func:`start_method`; either way ``initializer`` sets them up, so
    ``work``, ``initializer`` and ``initargs`` must pickle (module-level functions).
    """
    context = multiprocessing.get_context(start_method())
    chunk = max(1, min(32, len(items) // (workers * 8)))
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs
        ) as pool:
            results = []
            for result in pool.map(work, items, chunksize=chunk):
                results.append(result)
                progress.advance()
            return results
    except (BrokenProcessPool, OSError) as error:
        if os.environ.get("AGENTRAILS_DEBUG"):
            print(f"agentrails: the worker pool failed ({type(error).__name__}: {error}); "
                  "analysing in this process", file=sys.stderr)
        return None
