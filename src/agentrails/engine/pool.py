"""The process pool that analyses files in parallel; imported only when a run needs it."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from agentrails.engine.progress import Progress

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_pool(
    work: Callable[[Item], Result], items: list[Item], workers: int, progress: Progress,
    initializer: Callable[..., None], initargs: tuple[object, ...],
) -> list[Result] | None:
    """``work`` over ``items`` in ``workers`` processes, in order; None if the pool broke
    (a worker was killed) or cannot start here, so the caller finishes in-process.

    Workers start with ``fork`` where the platform has it (cheap: they inherit the loaded
    rule families) and ``spawn`` elsewhere; either way ``initializer`` sets them up.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
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
    except (BrokenProcessPool, OSError):
        return None
