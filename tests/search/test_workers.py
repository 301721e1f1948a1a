"""search.workers through explore and sample: bounds hold with workers, a stop stops the
workers at once, a partial sampling is the sampling of the runs done, workers ignore the
terminal's signals, and library calls install no signal handler."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from benchmarks.family import Family
from negotiation.loader import load_scenario
from negotiation.model.scenario import Scenario
from negotiation.search.explore import explore
from negotiation.search.limits import descendants
from negotiation.search.partition import Workers
from negotiation.search.sample import sample
from negotiation.search.workers import GRACE, POLL, Pool
from tests.conftest import TALKS

BIG = Scenario.model_validate(Family(2, 5).data())  # 312,793 states: over a second with workers
LARGEST = 15
"""BIG's level with the most states to expand (of 17; the count starts at 1)."""

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


@dataclass
class Flight:
    """Work in flight when the main process raised the stop flag: how many items it was
    given (0: not known) and whether it was cut short (None: no answer within ``GRACE``,
    the worker killed or abandoned)."""

    given: int
    short: bool | None = None


@dataclass
class InFlight:
    """The work in flight when a search or a sampling raised its stop flag, and how each
    piece ended (``flights``), read in the main process. ``sample``'s pool
    (``Pool.close(now=True)``): the chunks started, not finished, each cut short if it
    came back with fewer runs than its call gave (its items are its call's last
    argument). ``explore``'s workers (``partition.Workers.halt``): each answer owed, cut
    short if it is ``stopped``. ``expanding``: whether explore's workers are expanding a
    level now (the request they read the stop flag in); ``levels``: how many levels they
    were asked to expand so far."""

    flights: list[Flight] = field(default_factory=list)
    expanding: bool = False
    levels: int = 0


@pytest.fixture
def in_flight(monkeypatch: pytest.MonkeyPatch) -> InFlight:
    seen = InFlight()
    submitted: list[tuple[Future[Any], int]] = []
    halting: list[Flight] = []
    submit, close = ProcessPoolExecutor.submit, Pool.close
    ask, read, halt = Workers.ask, Workers._read, Workers.halt

    def spy_submit(
        self: ProcessPoolExecutor, fn: Callable[..., Any], /, *args: Any
    ) -> Future[Any]:
        future = submit(self, fn, *args)
        submitted.append((future, len(args[-1])))
        return future

    def spy_close(self: Pool, *, now: bool) -> None:
        flying = [(f, Flight(n)) for f, n in submitted if f.running()] if now else []
        close(self, now=now)
        for future, flight in flying:
            if future.done() and future.exception() is None:
                flight.short = len(future.result()) < flight.given
            seen.flights.append(flight)

    def spy_ask(self: Workers, requests: list[tuple[str, object]], **kw: bool) -> Any:
        seen.expanding = requests[0][0] == "expand"
        seen.levels += seen.expanding
        try:
            return ask(self, requests, **kw)
        finally:
            seen.expanding = False

    def spy_read(self: Workers, me: int, conn: Connection) -> tuple[str, object]:
        status, reply = read(self, me, conn)
        if halting:
            halting.pop().short = status == "stopped"
        return status, reply

    def spy_halt(self: Workers) -> bool:
        flights = [Flight(0) for _ in self.owing]
        halting.extend(flights)
        try:
            return halt(self)
        finally:
            halting.clear()
            seen.flights.extend(flights)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", spy_submit)
    monkeypatch.setattr(Pool, "close", spy_close)
    monkeypatch.setattr(Workers, "ask", spy_ask)
    monkeypatch.setattr(Workers, "_read", spy_read)
    monkeypatch.setattr(Workers, "halt", spy_halt)
    return seen


@linux
@pytest.mark.parametrize("kind", ["explore", "sample"])
def test_a_stop_request_stops_the_workers_at_once(
    kind: str, children: Callable[[], set[int]], in_flight: InFlight
) -> None:
    """The workers stop within the item they are on (explore's: within ``EVERY``
    states), not at the end of their work: each answers within ``GRACE``, and what was
    in flight when the stop flag rose comes back cut short (work a worker had just
    finished may come back whole: its answer was on its way). Counted, not timed, so a
    loaded machine does not change the answer; workers that ignored the flag would
    finish their work in flight, or not answer in time."""
    if kind == "explore":
        # asked in the first wait of POLL in the largest level (the 15th of 17: its
        # expansion takes about 0.7 s on a 2-core machine, six times POLL), so the
        # workers are surely in the middle of it, however loaded the machine
        result = explore(
            BIG, workers=2, max_states=10**7,
            stop=lambda: in_flight.expanding and in_flight.levels == LARGEST,
        )
        assert 0 < result.states < 312_793  # stopped before the end
    else:
        result = sample(BIG, runs=10_000_000, seed=1, workers=2, stop=after(15))
    assert result.stopped == "interrupted"
    flights = in_flight.flights
    assert flights  # the main process was waiting for the workers when it stopped
    assert all(f.short is not None for f in flights), f"no answer in time: {flights}"
    assert any(f.short for f in flights), f"all work in flight ran to its end: {flights}"
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
    the call turns into a partial result, its workers stopped. (Python's handler is set
    for the test: a suite started in the background by a shell inherits SIGINT ignored.)"""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stop = after(15, lambda: os.kill(os.getpid(), signal.SIGINT))
        if kind == "explore":
            result = explore(BIG, workers=2, stop=lambda: stop() and False, max_states=10**7)
        else:
            result = sample(BIG, runs=10_000_000, seed=1, workers=2,
                            stop=lambda: stop() and False)
    finally:
        signal.signal(signal.SIGINT, previous)
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
