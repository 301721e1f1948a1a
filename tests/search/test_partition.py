"""search.partition: the search with its states partitioned among workers gives the
one-process result (states, transitions, depth, outcomes, violations with their paths,
stuck states, cuts), whatever the number of workers, the placement's hash, the interned
sub-states the workers share and the bounds; across real processes too."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.family import Family
from negotiation.loader import load_scenario
from negotiation.model.scenario import Scenario
from negotiation.runtime.compiled.space import compile_space
from negotiation.runtime.space import Space
from negotiation.search.explore import Exploration, _search_partitioned, explore
from negotiation.search.limits import Limits
from negotiation.search.partition import Local, stable_hash
from tests.conftest import PLANTED, ROOT, TALKS

BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
SMALL = Family(2, 3).scenario()


def same(a: Exploration) -> dict[str, Any]:
    """What two searches of one space must share (not the time, not the workers)."""
    return a.model_dump(exclude={"elapsed", "workers"})


def partitioned(
    scenario: Scenario, workers: int, *, hashed: Callable[[object], int] = hash,
    shared: bool = False, max_states: int = 10**6, max_depth: int | None = None,
) -> Exploration:
    """The search on ``workers`` workers in this process (``Local``): ``hashed`` places
    states; ``shared``: the workers share the sub-states interned so far, as forked
    workers do (else every sub-state travels as a value)."""
    compiled = compile_space(Space(scenario))
    assert compiled is not None
    start = len(compiled.subs.items) if shared else 0
    return _search_partitioned(
        compiled, scenario, None, workers, max_states, max_depth, Limits(),
        team=lambda: Local(compiled, workers, shared=start, hashed=hashed),
    )


def skewed(value: object) -> int:
    """A placement hash that puts nearly every state on the first worker."""
    return 0 if zlib.crc32(repr(value).encode()) % 7 else 1


@pytest.mark.parametrize("path", [TALKS, PLANTED, *map(str, BUNDLED)],
                         ids=lambda p: Path(p).stem)
def test_every_scenario_gives_the_one_process_result(path: str) -> None:
    scenario = load_scenario(path)
    one = explore(scenario, workers=1, max_states=20_000)
    for workers, hashed in ((2, hash), (3, stable_hash)):
        assert same(partitioned(scenario, workers, hashed=hashed, max_states=20_000)) == same(one)


def test_a_planted_violation_is_found_with_its_shortest_path_on_workers() -> None:
    scenario = load_scenario(PLANTED)
    one = explore(scenario)
    assert one.violations  # the scenario plants one
    for workers in (2, 4):
        found = partitioned(scenario, workers, hashed=skewed)
        assert found.violations == one.violations
        assert [v.path for v in found.violations] == [v.path for v in one.violations]


@settings(max_examples=40, deadline=None)
@given(
    workers=st.integers(1, 5),
    max_states=st.integers(1, 12_000),
    max_depth=st.none() | st.integers(0, 12),
    hashed=st.sampled_from([hash, stable_hash, skewed]),
    shared=st.booleans(),
)
def test_bounds_cut_where_one_process_cuts(
    workers: int, max_states: int, max_depth: int | None,
    hashed: Callable[[object], int], shared: bool,
) -> None:
    one = explore(SMALL, workers=1, max_states=max_states, max_depth=max_depth)
    many = partitioned(SMALL, workers, hashed=hashed, shared=shared,
                       max_states=max_states, max_depth=max_depth)
    assert same(many) == same(one)


def test_processes_give_the_one_process_result() -> None:
    big = Family(2, 4).scenario()
    assert same(explore(big, workers=2, max_states=10**6)) == same(
        explore(big, workers=1, max_states=10**6))
    cut = explore(big, workers=3, max_states=30_001)
    assert cut.stopped == "max_states" and cut.states == 30_001
    assert same(cut) == same(explore(big, workers=1, max_states=30_001))


@pytest.mark.slow
@pytest.mark.parametrize(("method", "seed"), [("spawn", None), ("spawn", "0"),
                                              ("forkserver", None)])
def test_workers_started_without_fork_hash_alike(method: str, seed: str | None) -> None:
    """Workers not forked from this process do not share its interned sub-states, nor
    (unless PYTHONHASHSEED is set) its string hashes, nor (before Python 3.12, whatever
    the seed) the hash of None: they place states by a canonical text and send
    sub-states as values, and the result is the same."""
    code = (
        "import multiprocessing, sys\n"
        f"multiprocessing.set_start_method({method!r})\n"
        "from negotiation.loader import load_scenario\n"
        "from negotiation.search.explore import explore\n"
        f"s = load_scenario({TALKS!r})\n"
        "a = explore(s, workers=2).model_dump(exclude={'elapsed', 'workers'})\n"
        "b = explore(s, workers=1).model_dump(exclude={'elapsed', 'workers'})\n"
        "sys.exit(0 if a == b and a['states'] > 100 else 1)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
