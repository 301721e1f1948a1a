"""Worker processes for ``explore`` and ``sample``: a process pool whose results are read
in order, whose waits are checked against ``Limits``, which stops at once when the work
stops early, and whose workers never outlive the process that started them.

Each worker, as it starts (``_start``, in the worker process; the caller's own signal
handlers are never touched):

* ignores SIGINT and SIGTERM: a terminal's Ctrl-C reaches the whole process group, and
  it is the main process that decides what to do (stop, keep what it has, print it), so
  a worker prints nothing, no traceback, and never dies half-way through writing a
  result back (which could leave the pool's result pipe holding half a message);
* dies with its parent: on Linux the kernel sends it SIGKILL when the parent dies
  (``prctl(PR_SET_PDEATHSIG)``), and everywhere a thread checks ``os.getppid()`` every
  ``WATCH`` seconds and exits when the parent has changed;
* reads a flag in shared memory that the main process raises to stop: the work functions
  call ``stopping()`` between items and return early.

``Pool.close(now=True)`` raises that flag, cancels what has not started, waits up to
``GRACE`` seconds for the running chunks (they end within an item), and kills what is
still running after that.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from negotiation.search.limits import Limits

POLL = 0.1
"""Seconds between two checks of the limits while the main process waits for a chunk."""
GRACE = 1.0
"""Seconds a stopping pool waits for its running chunks before it kills the workers."""
WATCH = 0.25
"""Seconds between two checks, in a worker, that its parent is still there."""
AHEAD = 2
"""Chunks in flight per worker: one running, one ready to start."""
PR_SET_PDEATHSIG = 1

_STOP: Any = None
"""In a worker process: the shared flag the main process raises to stop."""


def stopping() -> bool:
    """In a worker: whether the main process asked the workers to stop (False in the
    main process)."""
    return _STOP is not None and bool(_STOP.value)


def _start(
    parent: int | None, flag: Any, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> None:
    """A pool worker's first act: ``start_worker``, then the caller's initializer."""
    start_worker(parent, flag)
    initializer(*initargs)


def start_worker(parent: int | None, flag: Any) -> None:
    """A worker process's first act (in the worker): its signals, its life bound to its
    parent's, the stop flag. ``parent`` is the pid the worker's parent must have (None
    when a fork server starts the workers)."""
    global _STOP  # noqa: PLW0603 - one flag per worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    ppid = os.getppid()
    if parent is not None and ppid != parent:  # the parent died before we could ask
        os._exit(1)
    threading.Thread(target=_watch, args=(ppid,), name="parent-watch", daemon=True).start()
    _STOP = flag


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return


def _watch(ppid: int) -> None:
    while os.getppid() == ppid:
        time.sleep(WATCH)
    os._exit(1)


class Pool:
    """``workers`` processes, each set up by ``initializer(*initargs)`` after ``_start``."""

    def __init__(
        self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> None:
        context = multiprocessing.get_context()
        parent = None if context.get_start_method() == "forkserver" else os.getpid()
        self.size = workers
        self._flag = context.RawValue("b", 0)
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start,
            initargs=(parent, self._flag, initializer, initargs),
        )
        self._pending: deque[Future[Any]] = deque()
        self._closed = False

    def ordered(
        self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]], limits: Limits
    ) -> Iterator[Any]:
        """``fn(*call)`` of each call, in the calls' order, at most ``AHEAD`` chunks per
        worker in flight. Ends early, with ``limits.stopped`` set, when the limits say
        stop while it waits; a worker's exception is raised here."""
        pending = self._pending
        todo = iter(calls)
        more = True
        while True:
            while more and len(pending) < AHEAD * self.size:
                call = next(todo, None)
                if call is None:
                    more = False
                else:
                    pending.append(self._executor.submit(fn, *call))
            if not pending:
                return
            head = pending[0]
            while not wait([head], timeout=POLL).done:
                if limits.check() is not None:
                    return
            pending.popleft()
            try:
                result = head.result()
            except BrokenProcessPool:
                if limits.check() is not None:  # a worker was killed as the work stopped
                    return
                raise
            yield result

    def close(self, *, now: bool) -> None:
        """Shut the pool down: after the work in flight (``now=False``), or at once,
        stopping the running chunks and killing workers that do not stop in time. Once
        closed, closing again does nothing."""
        if self._closed:
            return
        self._closed = True
        executor = self._executor
        if not now:
            executor.shutdown(wait=True)
            return
        self._flag.value = 1
        for future in self._pending:
            future.cancel()
        running = [f for f in self._pending if not f.cancelled()]
        self._pending.clear()
        if not wait(running, timeout=GRACE).not_done:
            executor.shutdown(wait=True, cancel_futures=True)
            return
        # a worker did not stop in time: kill them all (a worker killed while writing a
        # result can leave the pool's manager thread waiting for the rest of it, so this
        # is the last resort, not the way out)
        # (Python 3.14's kill_workers does this; before it, no public way)
        processes = list((executor._processes or {}).values())  # noqa: SLF001
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join(GRACE)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.close(now=kind is not None)


__all__ = ["GRACE", "POLL", "Pool", "start_worker", "stopping"]
