"""The cyclic garbage collector during long runs and searches: paused only by a
process that owns it.

A run or a search keeps everything it makes (trace entries, the seen-set, parent
links), so the heap grows with it, and CPython's cyclic collector re-scans the heap on
every full pass. Measured before this module took its present form: a 100k-event run
took 18.8 s with the collector paused and frozen as below, 33.7 s without; loading the
same file 7.6 s against 16.5 s; the compiled search of 74,788 states 0.44 s against
0.45 s (it makes no tracked garbage).

Library calls (``Engine.run``, ``explore``, ``load_scenario``) never touch the collector
on their own: a notebook's or a test suite's collector is the user's. A process that
owns its collector, as the command-line interface does, wraps its work in
``paused()``; the long loops call ``checkpoint()`` and ``chunk()``, which do nothing
unless a pause is in force, and then

* ``checkpoint()`` (after a search level, or every few thousand events of a run)
  collects and ``gc.freeze()``s what survives, so that later passes never scan it
  again (only when nobody had frozen objects before the pause, so that ``paused()``
  can unfreeze exactly what it froze);
* ``chunk()`` (after a chunk of a level) collects the young generations if the last
  checkpoint found more than ``GARBAGE`` objects of cyclic garbage.

Work that makes cyclic garbage with every step and keeps little of it runs inside
``resumed()``, which turns the collector back on for its duration within a pause (and
does nothing outside one): Hypothesis's examples in ``negotiation.testing``. Paused,
their garbage piled up: ``negotiation check -s tests/search/talks.yaml --examples
1000000`` held 356 MB after 30 s and grew by 11 MB a second (7.7 GB in 17 minutes);
with the collector on during Hypothesis, 154 MB after 30 s (the rest is what a
Hypothesis run keeps, bounded by ``negotiation.testing.RUN_STEPS``).

``paused()`` restores the collector as it found it: enabled or not, nothing left frozen
by it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

GARBAGE = 10_000
"""Cyclic garbage objects found at a checkpoint above which chunks are collected too."""


@dataclass
class _Pause:
    depth: int = 0
    was_enabled: bool = True
    may_freeze: bool = False
    froze: bool = False
    per_chunk: bool = False


_PAUSE = _Pause()


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic collector for the duration (for the owner of the process: the
    command-line interface, a benchmark); nested pauses are one pause."""
    p = _PAUSE
    if p.depth == 0:
        p.was_enabled = gc.isenabled()
        p.may_freeze = gc.get_freeze_count() == 0
        p.froze = p.per_chunk = False
        gc.disable()
    p.depth += 1
    try:
        yield
    finally:
        p.depth -= 1
        if p.depth == 0:
            if p.froze:
                gc.unfreeze()
            if p.was_enabled:
                gc.enable()


def checkpoint() -> None:
    """After a search level or a stretch of a run: within a pause, collect and freeze
    what survives; outside one, nothing."""
    p = _PAUSE
    if p.depth == 0:
        return
    found = gc.collect()
    if p.may_freeze:
        gc.freeze()
        p.froze = True
    p.per_chunk = found > GARBAGE


def chunk() -> None:
    """After a chunk of a search level: within a pause, collect the young generations if
    the last checkpoint found cyclic garbage; outside one, nothing."""
    if _PAUSE.depth and _PAUSE.per_chunk:
        gc.collect(1)


@contextmanager
def resumed() -> Iterator[None]:
    """Within a pause, the collector on for the duration (work that makes cyclic garbage
    as it goes); outside one, or with the collector already on, nothing."""
    if _PAUSE.depth == 0 or gc.isenabled():
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
