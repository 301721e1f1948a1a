"""search.limits: the bounds checked between chunks, and the memory of a process tree."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negotiation.search import limits
from negotiation.search.limits import MIB, Limits, default_max_memory, descendants, rss, tree_rss

linux = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def test_no_bound_never_stops() -> None:
    assert Limits().check() is None


def test_time_is_counted_from_the_start() -> None:
    assert Limits(max_seconds=60).check() is None
    assert Limits(max_seconds=1, started=time.perf_counter() - 2).check() == "time"


def test_a_stop_request_comes_first_and_the_first_reason_is_kept() -> None:
    asked = [False]
    bound = Limits(max_seconds=1, stop=lambda: asked[0], started=time.perf_counter() - 2)
    asked[0] = True
    assert bound.check() == "interrupted"
    later = Limits(max_seconds=1, stop=lambda: asked[0], started=time.perf_counter() - 2)
    asked[0] = False
    assert later.check() == "time"
    asked[0] = True
    assert later.check() == "time"
    assert later.stopped == "time"


@linux
def test_memory_is_the_resident_size_of_the_tree() -> None:
    own = rss(os.getpid())
    assert own is not None
    assert Limits(max_memory=own / MIB / 2).check() == "memory"
    assert Limits(max_memory=own / MIB * 4).check() is None


@linux
def test_the_tree_holds_children_and_grandchildren(monkeypatch: pytest.MonkeyPatch) -> None:
    sleep = "import time; time.sleep(30)"
    code = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {sleep!r}]); {sleep}"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while not descendants(child.pid):
            assert time.monotonic() < deadline, "the grandchild did not start"
            time.sleep(0.02)
        (grandchild,) = descendants(child.pid)
        assert {child.pid, grandchild} <= set(descendants(os.getpid()))
        total = tree_rss(child.pid)
        assert total is not None
        parts = [rss(child.pid), rss(grandchild)]
        assert all(p is not None and p > 0 for p in parts)
        assert total >= sum(p for p in parts if p is not None) * 0.9  # they move a little
        own = tree_rss()
        assert own is not None
        assert own > total
        # a kernel without /proc/PID/task/TID/children: the parent ids say the same
        monkeypatch.setattr(limits, "_children", lambda pid: None)
        assert descendants(child.pid) == [grandchild]
    finally:
        for pid in descendants(child.pid):
            os.kill(pid, 9)
        child.kill()
        child.wait()


@linux
def test_a_process_that_is_gone_has_no_size() -> None:
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text(encoding="ascii"))
    assert rss(pid_max + 1) is None
    assert tree_rss(pid_max + 1) is None
    assert descendants(pid_max + 1) == []


@linux
def test_the_default_bound_is_half_the_machine() -> None:
    meminfo = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    total_kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    default = default_max_memory()
    assert default is not None
    assert abs(default - total_kib / 1024 / 2) <= 1
