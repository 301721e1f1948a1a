"""Fuzz the loader (and the engine behind it): every case loads, or fails with a located
``NegotiationError``; never any other exception.

* every bundled scenario, mutated field by field (a value of another type, a dropped
  key, an unknown key, a duplicated item, a corrupt date, condition or id);
* bundled scenario text with characters spliced in or out;
* YAML-ish text, arbitrary text and arbitrary bytes.

A scenario that loads is also run (the base timeline and each branch): the engine may
refuse it only with a ``NegotiationError``.

The fast slice runs in the normal suite; the long run (``@pytest.mark.slow``, more than
10,000 cases) runs with ``python -m pytest -m slow tests/fuzz`` (see README).
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.loader import load_scenario, load_text, resolve
from negotiation.model.errors import NegotiationError, ScenarioError
from negotiation.model.scenario import Scenario
from negotiation.runtime.engine import Engine
from tests.fuzz.mutations import (
    Mutated,
    mutated_scenarios,
    names,
    spliced_texts,
    yamlish_texts,
)

FILE = "<fuzz>"

FAST = {"mutated": 25, "spliced": 60, "yamlish": 200, "text": 150, "bytes": 100}
"""Examples per test in the normal suite (mutated: per bundled scenario)."""
LONG = {"mutated": 1200, "spliced": 1500, "yamlish": 1000, "text": 500, "bytes": 500}
"""Examples per test in the long run: 6 scenarios x 1,200 + 3,500 = 10,700 cases."""


def _settings(n: int, fast: bool = True) -> settings:
    """The fast slice is derandomized (the same cases on every CI run); the long run
    explores new cases each time."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
        derandomize=fast,
    )


def check_located(error: ScenarioError, file: str) -> None:
    assert error.problems, "a ScenarioError without problems"
    for p in error.problems:
        assert p.location.file is not None, f"no file: {p}"
        if p.location.file == file or p.location.file.endswith(".yaml"):
            assert p.location.line is not None, f"no line: {p}"


def run_engine(scenario: Scenario) -> None:
    try:
        engine = Engine(scenario)
        engine.run()
        for b in scenario.branches:
            engine.run(b.id)
    except NegotiationError:
        pass


def check_text(text: str, file: str = FILE) -> str:
    """Load ``text``: a located ScenarioError or a scenario the engine runs or refuses."""
    try:
        scenario = load_text(text, file)
    except ScenarioError as e:
        check_located(e, file)
        return "refused"
    run_engine(scenario)
    return "loaded"


def check_bytes(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "fuzz.yaml")
        path.write_bytes(data)
        try:
            scenario = load_scenario(str(path))
        except ScenarioError as e:
            check_located(e, str(path))
            return "refused"
    run_engine(scenario)
    return "loaded"


def check_mutated(case: Mutated) -> str:
    try:
        return check_text(case.text)
    except Exception as e:  # name the mutation in the failure
        e.add_note(f"mutation: {case}")
        raise


def test_every_bundled_scenario_is_fuzzed() -> None:
    assert len(names()) >= 6
    for name in names():  # and each loads unmutated, as the baseline
        path = resolve(name)
        assert check_text(path.read_text(encoding="utf-8"), str(path)) == "loaded"


# -- the fast slice ------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", names())
def test_mutated_scenarios(scenario: str) -> None:
    @_settings(FAST["mutated"])
    @given(mutated_scenarios(scenario))
    def fuzz(case: Mutated) -> None:
        check_mutated(case)

    fuzz()


@_settings(FAST["spliced"])
@given(spliced_texts())
def test_spliced_scenario_text(case: Mutated) -> None:
    check_mutated(case)


@_settings(FAST["yamlish"])
@given(yamlish_texts())
def test_yamlish_text(text: str) -> None:
    check_text(text)


@_settings(FAST["text"])
@given(st.text(max_size=500))
def test_arbitrary_text(text: str) -> None:
    check_text(text)


@_settings(FAST["bytes"])
@given(st.binary(max_size=500))
def test_arbitrary_bytes(data: bytes) -> None:
    check_bytes(data)
    check_text(data.decode("latin-1"))


# -- the long run --------------------------------------------------------------------------


def _counted(kind: str, counts: Counter[str], check: Callable[[Any], str]) -> Callable[[Any], None]:
    def run(case: Any) -> None:
        counts[kind] += 1
        counts[f"{kind} {check(case)}"] += 1

    return run


def _report(counts: Counter[str], started: float, expected: dict[str, int]) -> None:
    """Print what ran (pytest -s shows it) and check that every case budget was spent."""
    print(f"\n{dict(sorted(counts.items()))} in {time.monotonic() - started:.0f}s")
    for kind, n in expected.items():
        assert counts[kind] >= n, f"{kind}: {counts[kind]} cases, expected {n}"


@pytest.mark.slow
@pytest.mark.parametrize("scenario", names())
def test_long_mutated_scenarios(scenario: str) -> None:
    counts: Counter[str] = Counter()
    started = time.monotonic()
    run = _counted("mutated", counts, check_mutated)

    @_settings(LONG["mutated"], fast=False)
    @given(mutated_scenarios(scenario))
    def fuzz(case: Mutated) -> None:
        run(case)

    fuzz()
    _report(counts, started, {"mutated": LONG["mutated"]})


@pytest.mark.slow
def test_long_raw_inputs() -> None:
    counts: Counter[str] = Counter()
    started = time.monotonic()
    plans: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], str]]] = [
        ("spliced", spliced_texts(), check_mutated),
        ("yamlish", yamlish_texts(), check_text),
        ("text", st.text(max_size=2000), check_text),
        ("bytes", st.binary(max_size=2000), check_bytes),
    ]
    for kind, strategy, check in plans:
        run = _counted(kind, counts, check)
        _settings(LONG[kind], fast=False)(given(strategy)(run))()
    _report(counts, started, {k: LONG[k] for k, _, _ in plans})


def test_long_run_is_at_least_10000_cases() -> None:
    assert LONG["mutated"] * len(names()) + sum(v for k, v in LONG.items() if k != "mutated") >= (
        10_000
    )
