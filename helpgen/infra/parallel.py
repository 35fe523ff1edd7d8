"""Work spread over every core: the slow, independent steps of a build (converting Markdown,
rendering pages, tokenizing articles and scoring the index's terms) run in forked worker
processes.

The workers are forked after the work is known, so they inherit the tasks (closures over the
content model, the link table, the theme) and receive only their numbers: nothing is pickled on
the way there, only each task's result on the way back.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Generic, Iterator, TypeVar

MINIMUM = 48                     # fewer Markdown conversions than this: one process is faster
MAX_WORKERS = 8

T = TypeVar("T")
_TASKS: list[Callable[[], object]] | None = None    # set in the parent just before forking


def run(tasks: list[Callable[[], T]], per_conversion: int = 1) -> Iterator[T]:
    """Each task's result, in order; on every core when there are enough tasks to pay for
    forking (a live preview's process is large). `per_conversion`: about how many of these
    tasks take as long as converting one article's Markdown."""
    workers = min(usable_cores(), MAX_WORKERS)
    if len(tasks) < MINIMUM * per_conversion or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return (task() for task in tasks)
    return _in_processes(tasks, workers)


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine has in a container or CI
    runner limited to some of them (`taskset`, a cgroup cpuset), where more workers than cores
    only take turns."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _run_one(number: int):
    return _TASKS[number]()


def _in_processes(tasks: list[Callable[[], T]], workers: int) -> Iterator[T]:
    """The tasks run in forked workers. The parent's objects are frozen out of garbage
    collection meanwhile (gc.freeze): a collection in a worker writes to the header of every
    object it scans, which copies each memory page holding one into that worker (the workers of
    a 26,000-article build held a copy of most of the content model each)."""
    global _TASKS
    _TASKS = tasks
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run_one, range(len(tasks)),
                                chunksize=max(1, len(tasks) // (workers * 16)))
    finally:
        gc.unfreeze()
        _TASKS = None


class Forked(Generic[T]):
    """`function()` run in a forked process while the caller goes on (a build with nothing to
    do takes the stamp of its inputs while another core checks its output), its result sent
    back with marshal (plain values only); in the caller, when asked for, on one core or where
    processes are not forked. A context manager: a result not asked for is not waited for (the
    process is stopped)."""

    def __init__(self, function: Callable[[], T]):
        self._function, self._pid, self._pipe = function, None, None
        if usable_cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                     # the child: no cleanup of the parent's state
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(marshal.dumps(function()))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, os.fdopen(read, "rb")

    def result(self) -> T:
        """The function's result (run here if the process failed, e.g. a file it could not
        read: then it fails here alike)."""
        if self._pid is None:
            return self._function()
        with self._pipe:
            data = self._pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return marshal.loads(data) if status == 0 else self._function()

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *_) -> None:
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pipe.close()
            self._pid = None
