"""Properties of the bargaining analysis on generated scenarios, against brute force:
the ZOPA, the Pareto frontier and the Nash package are what their definitions say;
utilities lie in [0, 1]; the ZOPA shrinks (weakly) as a BATNA rises."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine, Scenario
from negotiation.analysis import bargaining as bg
from negotiation.analysis.utility import PartyUtility, delayed
from negotiation.analysis.zopa import Analysis, ZopaResult
from tests.strategies import START, bargaining_scenarios

Vec = tuple[float, ...]


def brute(a: Analysis, days: int) -> tuple[dict[int, Vec], dict[int, Vec]]:
    """Every package's undelayed and delayed utilities, computed one by one."""
    raw: dict[int, Vec] = {}
    late: dict[int, Vec] = {}
    for package in a.space.packages():
        i = a.space.index(package)
        raw[i] = tuple(u(package) for u in a.utilities)
        late[i] = tuple(delayed(u, x.delay, days) for u, x in zip(raw[i], a.interests, strict=True))
    return raw, late


def dominated(v: Vec, others: list[Vec]) -> bool:
    return any(all(y >= x for y, x in zip(w, v, strict=True)) and w != v for w in others)


def key(v: Vec, batnas: list[float]) -> tuple[float, float]:
    gains = [max(0.0, u - b) for u, b in zip(v, batnas, strict=True)]
    return (math.prod(gains), math.fsum(gains))


def analyse(sc: Scenario, offset: int, **kwargs: int) -> tuple[Analysis, ZopaResult]:
    a = Analysis(Engine(sc), **kwargs)
    return a, a.at(START + dt.timedelta(days=offset))


@settings(max_examples=120)
@given(bargaining_scenarios(), st.integers(0, 60))
def test_zopa_frontier_and_nash_match_their_definitions(sc: Scenario, offset: int) -> None:
    a, r = analyse(sc, offset)
    raw, late = brute(a, offset)
    batnas = [p.batna for p in r.parties]
    assert r.exact and r.space_size == len(raw)
    for v in raw.values():
        assert all(0.0 <= u <= 1.0 for u in v)
    for i, v in late.items():
        assert all(d <= u for d, u in zip(v, raw[i], strict=True))
    zopa = {
        i for i, v in late.items() if all(u >= b - 1e-9 for u, b in zip(v, batnas, strict=True))
    }
    assert {p.index for p in r.zopa} == zopa
    assert r.zopa_size == len(zopa)
    vectors = list(raw.values())
    frontier = {i for i, v in raw.items() if not dominated(v, vectors)}
    assert {p.index for p in r.frontier} == frontier == set(a.frontier)
    if not zopa:
        assert r.nash is None
        return
    assert r.nash is not None
    assert r.nash.index in zopa, "the Nash package is in the ZOPA"
    assert r.nash.index in frontier, "the Nash package is on the Pareto frontier"
    best = max(key(late[i], batnas) for i in zopa)
    assert key(late[r.nash.index], batnas) == best
    assert r.zopa[0].index == r.nash.index  # the ZOPA is listed by the Nash criterion


@settings(max_examples=80)
@given(bargaining_scenarios(), st.integers(0, 30), st.data())
def test_the_zopa_shrinks_as_a_batna_rises(sc: Scenario, offset: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(sc.interests) - 1))
    rise = data.draw(st.floats(0.0, 0.5, allow_nan=False))
    raised = list(sc.interests)
    old = raised[k].reservation.default
    raised[k] = raised[k].model_copy(update={"batna": min(1.0, old + rise)})
    _, before = analyse(sc, offset)
    _, after = analyse(sc.model_copy(update={"interests": raised}), offset)
    assert {p.index for p in after.zopa} <= {p.index for p in before.zopa}
    assert after.zopa_size <= before.zopa_size


@settings(max_examples=60)
@given(bargaining_scenarios(), st.integers(0, 60))
def test_the_approximation_says_so_and_keeps_nash_in_the_zopa(sc: Scenario, offset: int) -> None:
    a, r = analyse(sc, offset, exact_limit=0)
    _, exact = analyse(sc, offset)
    assert not r.exact and r.method.startswith("approximate")
    _, late = brute(a, offset)
    batnas = [p.batna for p in r.parties]
    if r.nash is None:
        return
    assert all(u >= b - 1e-9 for u, b in zip(late[r.nash.index], batnas, strict=True))
    assert r.nash.index in {p.index for p in r.frontier}
    assert exact.nash is not None
    assert key(late[r.nash.index], batnas) <= key(late[exact.nash.index], batnas)


def test_utility_is_the_weighted_mean_of_the_values() -> None:
    sc = Scenario.model_validate(
        {
            "id": "mean",
            "title": "t",
            "parties": [{"id": "a", "name": "A"}],
            "documents": [{"id": "d", "title": "D", "points": [
                {"id": "x", "options": ["lo", "hi"]},
                {"id": "y", "options": {"min": 0, "max": 10, "step": 5}},
            ]}],
            "interests": [{"party": "a", "document": "d", "assumption": "test", "points": {
                "x": {"weight": 1, "values": {"lo": 0.2, "hi": 1}},
                "y": {"weight": 3, "piecewise": [[0, 0], [5, 0.9], [10, 1]]},
            }}],
        }
    )  # fmt: skip
    a = Analysis(Engine(sc))
    u = PartyUtility.of(sc.interests[0], a.space)
    assert u((0, 1)) == round((1 * 0.2 + 3 * 0.9) / 4, 12)
    assert u((1, 2)) == 1.0
    assert u.every() == [u(p) for p in a.space.packages()]
    assert delayed(0.5, sc.interests[0].delay, 10) == 0.5


def test_pareto_keeps_equal_vectors_and_drops_dominated_ones() -> None:
    items = [(0, (1.0, 0.0)), (1, (0.5, 0.5)), (2, (0.5, 0.5)), (3, (0.4, 0.5)), (4, (0.0, 1.0))]
    assert bg.pareto(items) == [0, 1, 2, 4]
    three = [(0, (1.0, 0.0, 0.0)), (1, (0.5, 0.5, 0.5)), (2, (0.5, 0.4, 0.5))]
    assert bg.pareto(three) == [0, 1]
    assert bg.pareto([]) == []
