"""Garbage collection for breadth-first searches. Private.

A search keeps everything it has seen (the seen-set, the parent links) and the current
frontier's states, so the heap grows with the search, and CPython's cyclic collector
re-scans it on every full (generation 2) pass: on a 48k-state search that was about
half the time. Nothing the search keeps is ever cyclic garbage, so ``Levels``:

* pauses the automatic collector while a level is expanded;
* after each level, collects (what the level left is found then, so garbage lives at
  most one level) and ``gc.freeze()``s the survivors: later passes never scan them again;
* if a level did leave cyclic garbage (more than ``GARBAGE``), collects the young
  generations after every chunk of the following levels too, so garbage does not pile
  up within a level;
* at the end, unfreezes and restores the collector.

Pausing is process-wide; ``Levels`` counts the searches running at once (threads), and
the last one out restores the collector as the first one found it.
"""

from __future__ import annotations

import gc
import threading
from types import TracebackType

GARBAGE = 10_000
"""Cyclic garbage objects found after a level above which chunks are collected too."""

_lock = threading.Lock()
_active = 0
_was_enabled = True


class Levels:
    """``with Levels() as gcl:`` around a search; ``gcl.chunk()`` after each chunk,
    ``gcl.level()`` after each level."""

    def __init__(self) -> None:
        self.per_chunk = False

    def __enter__(self) -> Levels:
        global _active, _was_enabled  # noqa: PLW0603 - the collector is process-wide
        with _lock:
            if _active == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _active += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        global _active  # noqa: PLW0603
        with _lock:
            _active -= 1
            if _active == 0:
                gc.unfreeze()
                if _was_enabled:
                    gc.enable()

    def chunk(self) -> None:
        """After a chunk of a level: collect the young generations if the last level
        left garbage."""
        if self.per_chunk:
            gc.collect(1)

    def level(self) -> None:
        """After a level: collect, and freeze what survives."""
        found = gc.collect()
        gc.freeze()
        self.per_chunk = found > GARBAGE
