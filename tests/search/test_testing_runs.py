"""negotiation.testing.check_machine splits its examples among Hypothesis runs, so that
its memory does not grow with the examples asked for, and runs Hypothesis with the
cyclic collector on even under the command-line interface's pause (runtime.collect)."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest

from negotiation import testing
from negotiation.loader import load_scenario
from negotiation.runtime import collect
from negotiation.testing import MachineStatistics, check_machine
from tests.conftest import TALKS


class FakeHypothesis:
    """``run_state_machine_as_test`` that makes ``up_to`` examples at most a run (fewer
    than asked: Hypothesis ran out of new ones) and notes each run's size and seed."""

    def __init__(self, up_to: int) -> None:
        self.up_to = up_to
        self.runs: list[tuple[int, object]] = []

    def __call__(self, machine: Any, *, settings: Any) -> None:
        self.runs.append(
            (settings.max_examples, getattr(machine, "_hypothesis_internal_use_seed", None))
        )
        for _ in range(min(settings.max_examples, self.up_to)):
            machine()


def _small_runs(monkeypatch: pytest.MonkeyPatch, examples: int) -> None:
    monkeypatch.setattr(testing, "MIN_RUN", examples)
    monkeypatch.setattr(testing, "RUN_STEPS", 1)


def test_examples_are_split_among_runs_the_first_derandomized_the_next_seeded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeHypothesis(up_to=10**9)
    monkeypatch.setattr(testing, "run_state_machine_as_test", fake)
    _small_runs(monkeypatch, 100)
    ran = check_machine(load_scenario(TALKS), max_examples=250)
    assert fake.runs == [(100, None), (100, 1), (50, 2)]
    assert ran.statistics.examples == 250
    assert ran.failure is None


def test_a_run_that_ends_short_ends_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeHypothesis(up_to=30)  # every distinct example tried after 30
    monkeypatch.setattr(testing, "run_state_machine_as_test", fake)
    _small_runs(monkeypatch, 100)
    ran = check_machine(load_scenario(TALKS), max_examples=1_000)
    assert fake.runs == [(100, None)]
    assert ran.statistics.examples == 30


def test_the_examples_of_check_examples_200_are_one_run_as_before() -> None:
    steps = testing.default_steps(testing.script_depth(load_scenario(TALKS)))
    assert max(testing.MIN_RUN, testing.RUN_STEPS // steps) >= 200


def test_the_first_failure_ends_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeHypothesis(up_to=10**9)

    def fails_in_the_second_run(machine: Any, *, settings: Any) -> None:
        fake(machine, settings=settings)
        if len(fake.runs) == 2:
            raise AssertionError("invariant broken")

    monkeypatch.setattr(testing, "run_state_machine_as_test", fails_in_the_second_run)
    _small_runs(monkeypatch, 100)
    ran = check_machine(load_scenario(TALKS), max_examples=1_000)
    assert ran.failure == "invariant broken"
    assert fake.runs == [(100, None), (100, 1)]
    assert ran.statistics.examples == 200


@pytest.mark.usefixtures("collector_state")
def test_hypothesis_runs_with_the_collector_on_within_the_clis_pause() -> None:
    heard: list[bool] = []
    with collect.paused():
        ran = check_machine(
            load_scenario(TALKS), max_examples=5, progress=lambda _: heard.append(gc.isenabled())
        )
        assert not gc.isenabled()  # paused again once Hypothesis is done
    assert ran.failure is None
    assert heard
    assert all(heard)


@pytest.fixture
def collector_state() -> Any:
    enabled = gc.isenabled()
    yield
    if gc.isenabled() != enabled:  # pragma: no cover - restore for the next tests
        (gc.enable if enabled else gc.disable)()


@pytest.mark.slow
def test_memory_does_not_grow_with_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a check holds while it runs (traced after a collection), over 100 examples
    and over 400: runs of 50 examples keep it at one run's. One Hypothesis run for all of
    them held four times as much at the end (about 12 KB an example of 10 steps)."""
    _small_runs(monkeypatch, 50)
    held: list[tuple[int, int]] = []

    def measure(stats: MachineStatistics) -> None:
        if stats.examples % 10 == 0:
            gc.collect()
            held.append((stats.examples, tracemalloc.get_traced_memory()[0]))

    scenario = load_scenario(TALKS)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        ran = check_machine(scenario, max_examples=400, steps=10, progress=measure)
    finally:
        tracemalloc.stop()
    assert ran.failure is None
    first = max(b for n, b in held if n <= 100) - base
    overall = max(b for _, b in held) - base
    assert first > 0
    assert overall < 1.5 * first, (first, overall)
