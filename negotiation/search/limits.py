"""The bounds a search or a sampling checks as it goes: wall time, memory, a stop request.

``Limits.check()`` is called between chunks of work (and, with worker processes, every
``POLL`` seconds while the main process waits for one); it says why the work must stop,
and keeps the first answer. Reasons: ``"time"`` (``max_seconds`` passed),
``"memory"`` (``max_memory`` MiB exceeded) and ``"interrupted"`` (the caller's ``stop()``
said so: the command line's SIGINT and SIGTERM handlers, for one).

Memory is the resident set size (RSS) of the whole process tree, this process and every
descendant (worker processes count), read from Linux's ``/proc`` at most every
``MEMORY_EVERY`` seconds. Pages a forked worker shares with its parent count once in
each, so the sum errs high: the bound trips early rather than late. Without ``/proc``
(macOS, Windows) the memory bound is not checked.

Nothing here changes the process: no signal handler, no collector setting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

Reason = Literal["time", "memory", "interrupted"]
MIB = 1 << 20
MEMORY_EVERY = 0.1
"""Seconds between two readings of ``/proc`` (a reading costs ~0.1 ms per process)."""
PROC = Path("/proc")


class Limits:
    """Wall time since ``started`` (``time.perf_counter()``), memory of the process tree
    in MiB, and a caller's ``stop()``; None bounds nothing."""

    def __init__(
        self,
        *,
        max_seconds: float | None = None,
        max_memory: float | None = None,
        stop: Callable[[], bool] | None = None,
        started: float | None = None,
    ) -> None:
        self.max_seconds = max_seconds
        self.max_memory = max_memory
        self.stop = stop
        self.started = time.perf_counter() if started is None else started
        self.stopped: Reason | None = None
        self._next_reading = self.started

    def check(self) -> Reason | None:
        """Why the work must stop now (the first reason found, kept), or None."""
        if self.stopped is None:
            self.stopped = self._why()
        return self.stopped

    def _why(self) -> Reason | None:
        if self.stop is not None and self.stop():
            return "interrupted"
        now = time.perf_counter()
        if self.max_seconds is not None and now - self.started > self.max_seconds:
            return "time"
        if self.max_memory is not None and now >= self._next_reading:
            self._next_reading = now + MEMORY_EVERY
            used = tree_rss()
            if used is not None and used > self.max_memory * MIB:
                return "memory"
        return None


def physical_memory() -> int | None:
    """The machine's physical memory in bytes, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def default_max_memory() -> int | None:
    """Half of the machine's physical memory, in MiB (the command line's default
    ``--max-memory``), or None where it is unknown."""
    total = physical_memory()
    return None if total is None else max(1, total // 2 // MIB)


def tree_rss(pid: int | None = None) -> int | None:
    """Resident bytes of process ``pid`` (this one by default) and all its descendants;
    None without ``/proc``."""
    root = os.getpid() if pid is None else pid
    own = rss(root)
    if own is None:
        return None
    return own + sum(rss(p) or 0 for p in descendants(root))


def rss(pid: int) -> int | None:
    """Resident bytes of one process (``VmRSS`` in ``/proc/PID/status``; 0 for a zombie),
    or None if it cannot be read."""
    try:
        text = (PROC / str(pid) / "status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from ``/proc/PID/task/*/children`` (or, where the
    kernel has no such files, from the parent ids in ``/proc/*/stat``)."""
    out: list[int] = []
    todo = [pid]
    table: dict[int, list[int]] | None = None
    while todo:
        parent = todo.pop()
        kids = _children(parent)
        if kids is None:
            table = _parent_table() if table is None else table
            kids = table.get(parent, [])
        out += kids
        todo += kids
    return out


def _children(pid: int) -> list[int] | None:
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return []  # gone
    kids: list[int] = []
    for task in tasks:
        try:
            kids += [int(k) for k in (task / "children").read_text(encoding="ascii").split()]
        except FileNotFoundError:
            if not task.exists():
                continue  # a thread that ended meanwhile
            return None  # the kernel has no children files
        except OSError:
            continue
    return kids


def _parent_table() -> dict[int, list[int]]:
    table: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[1].isdigit():
            table.setdefault(int(fields[1]), []).append(int(entry.name))
    return table


__all__ = [
    "Limits",
    "Reason",
    "default_max_memory",
    "descendants",
    "physical_memory",
    "rss",
    "tree_rss",
]
