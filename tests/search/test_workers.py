"""search.workers through explore and sample: bounds hold with workers, a stop stops the
workers at once, a partial sampling is the sampling of the runs done, workers ignore the
terminal's signals, and library calls install no signal handler."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.family import Family
from negotiation.loader import load_scenario
from negotiation.model.scenario import Scenario
from negotiation.search.explore import explore
from negotiation.search.limits import descendants
from negotiation.search.sample import sample
from negotiation.search.workers import GRACE, POLL
from tests.conftest import TALKS

BIG = Scenario.model_validate(Family(2, 5).data())  # 312,793 states: over a second with workers

linux = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def after(calls: int, then: Callable[[], object] = lambda: None) -> Callable[[], bool]:
    """A ``stop()`` that says stop from its ``calls``-th call on, calling ``then`` once."""
    seen = [0]

    def stop() -> bool:
        seen[0] += 1
        if seen[0] == calls:
            then()
        return seen[0] >= calls

    return stop


@pytest.fixture
def children() -> Callable[[], set[int]]:
    """The processes below this one started since the test began (the suite's earlier
    tests may leave some of their own)."""
    before = set(descendants(os.getpid()))
    return lambda: set(descendants(os.getpid())) - before


@linux
@pytest.mark.parametrize("kind", ["explore", "sample"])
def test_a_stop_request_stops_the_workers_at_once(
    kind: str, children: Callable[[], set[int]]
) -> None:
    asked: list[float] = []
    stop = after(15, lambda: asked.append(time.perf_counter()))  # workers running by then
    if kind == "explore":
        result = explore(BIG, workers=2, stop=stop, max_states=10**7)
        assert 0 < result.states < 312_793  # stopped before the end
    else:
        result = sample(BIG, runs=10_000_000, seed=1, workers=2, stop=stop)
    took = time.perf_counter() - asked[0]
    assert result.stopped == "interrupted"
    assert took < POLL + GRACE
    assert not children()


@linux
def test_time_and_memory_bounds_hold_with_workers(children: Callable[[], set[int]]) -> None:
    started = time.perf_counter()
    timed = explore(BIG, workers=2, max_seconds=0.5, max_states=10**7)  # takes over 1 s
    assert timed.stopped == "time"
    assert time.perf_counter() - started < 0.5 + POLL + GRACE + 1
    assert not children()
    # this process alone holds more than 1 MiB
    heavy = explore(BIG, workers=2, max_memory=1, max_states=10**7)
    assert heavy.stopped == "memory"
    assert not children()
    ran = sample(BIG, runs=10_000_000, seed=1, workers=2, max_memory=1)
    assert ran.stopped == "memory"
    # the bound is read between chunks: the chunks already running may finish (the
    # compiled sampler runs a 256-run chunk of this family in well under a second)
    assert ran.runs <= 4 * 256


def test_a_partial_sampling_is_the_sampling_of_the_runs_done() -> None:
    scenario = load_scenario(TALKS)
    partial = sample(scenario, runs=10_000_000, seed=3, workers=2, max_seconds=1.5)
    assert partial.stopped == "time"
    assert 0 < partial.runs < 10_000_000
    full = sample(scenario, runs=partial.runs, seed=3, workers=1)
    assert full.stopped is None
    same = ("runs", "timelines", "outcomes", "violations", "assumptions")
    assert [getattr(partial, f) for f in same] == [getattr(full, f) for f in same]


@linux
def test_workers_ignore_the_terminals_signals() -> None:
    """Ctrl-C and SIGTERM to the process group reach the workers too: they go on, and
    the main process alone decides (here: it does not stop, and the result is whole)."""
    scenario = load_scenario(TALKS)
    signalled: list[int] = []

    before = set(descendants(os.getpid()))

    def poke() -> bool:
        for pid in set(descendants(os.getpid())) - before:
            for signum in (signal.SIGINT, signal.SIGTERM):
                os.kill(pid, signum)
            signalled.append(pid)
        return False

    one = explore(scenario, workers=1, chunk=8)
    two = explore(scenario, workers=2, chunk=8, stop=poke)
    assert signalled
    assert two.stopped is None
    fields = ("states", "transitions", "depth", "terminal", "outcomes", "violations", "stuck")
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
    rolled = sample(scenario, runs=600, seed=2, workers=2, stop=poke)
    assert rolled.stopped is None
    assert rolled.outcomes == sample(scenario, runs=600, seed=2).outcomes


@linux
@pytest.mark.parametrize("kind", ["explore", "sample"])
def test_keyboard_interrupt_in_a_library_call_gives_partial_results(
    kind: str, children: Callable[[], set[int]]
) -> None:
    """A library caller keeps Python's own SIGINT handling: KeyboardInterrupt, which
    the call turns into a partial result, its workers stopped."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    stop = after(15, lambda: os.kill(os.getpid(), signal.SIGINT))
    if kind == "explore":
        result = explore(BIG, workers=2, stop=lambda: stop() and False, max_states=10**7)
    else:
        result = sample(BIG, runs=10_000_000, seed=1, workers=2, stop=lambda: stop() and False)
    assert result.stopped == "interrupted"
    assert not children()


def test_library_calls_install_no_signal_handler() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    during: list[object] = []

    def look() -> bool:
        during.extend(signal.getsignal(s) for s in before)
        return False

    explore(load_scenario(TALKS), workers=2, chunk=8, stop=look)
    sample(load_scenario(TALKS), runs=500, seed=0, workers=2, stop=look)
    assert during
    assert set(during) <= set(before.values())
    assert {s: signal.getsignal(s) for s in before} == before
