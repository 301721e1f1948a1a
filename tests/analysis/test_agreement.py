"""The ZOPA over the whole interest: a package's utility on a day is the party's utility
of the state an agreement on it gives (points, the document states the agreement puts
the documents in, the facts of the day, less delay), by ``utility.state_utility``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine, Scenario
from negotiation.analysis import bargaining as bg
from negotiation.analysis.agreement import Agreements, agreed
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.standing import standings
from negotiation.analysis.utility import PartyUtility, points_share, state_utility, world_of
from negotiation.analysis.zopa import Analysis, PackageView
from negotiation.behaviour.live import Seat
from negotiation.model.interests import FactValue
from negotiation.model.rules import Rule
from negotiation.model.strategies import PartyStrategy, StrategyKind
from tests.conftest import engine_of, invoke
from tests.strategies import START as WORLD_START
from tests.strategies import world_scenarios

GRANT = "labour-contract-2026-grant"
D = dt.date
BEFORE, AFTER = D(2026, 2, 9), D(2026, 2, 10)  # the grant is awarded on 10 February


def _zone(a: Analysis, day: dt.date) -> set[int]:
    return {p.index for p in a.at(day).zopa}


def test_the_grant_opens_the_zone_the_day_it_is_awarded() -> None:
    """The employer values the grant (weight 2 of 6): from the day it holds, every
    package is worth 1/3 more to the employer, the union's utilities stay, and the zone,
    empty the day before, opens."""
    a = Analysis(engine_of(GRANT), "shift_deal")
    before, after = a.at(BEFORE, limit=None), a.at(AFTER, limit=None)
    assert before.zopa_size == 0 and before.nash is None
    assert after.zopa_size == 22 and after.nash is not None
    assert _zone(a, BEFORE) <= _zone(a, AFTER)
    views = {p.index: p for p in before.frontier}
    for p in after.frontier:
        union, employer = p.utilities
        assert union == views[p.index].utilities[0]
        assert employer == pytest.approx(views[p.index].utilities[1] + 1 / 3)
    assert a.over(D(2026, 2, 1), D(2026, 2, 20)).ripe == AFTER


def test_the_agreement_puts_the_document_in_the_state_the_union_values() -> None:
    """The union values the side deal agreed in principle; a rule agrees it once both
    points are, so an agreement on any package gives the union the states' quarter,
    while ``show`` (the text as it stands: proposed, nothing agreed) counts none of it."""
    engine = engine_of(GRANT)
    r = Analysis(engine, "shift_deal").at(AFTER, limit=None)
    assert r.nash is not None and r.nash.components is not None
    for p in (*r.zopa, *r.frontier):
        assert p.components is not None
        union, employer = p.components
        assert (union.states, union.facts) == (0.25, 0.0)
        assert (employer.states, employer.facts) == (0.0, pytest.approx(1 / 3))
        for c, u in zip(p.components, p.utilities, strict=True):
            assert c.total == u
            assert c.points + c.states + c.facts + c.delay == pytest.approx(u, abs=1e-9)
    state = engine.run(until=AFTER).final
    assert state.documents["shift_deal"].state == "proposed"
    shown = {(s.party, s.document): s for s in standings(engine, state)}
    union = next(x for x in engine.scenario.interests
                 if (x.party, x.document) == ("union", "shift_deal"))  # fmt: skip
    assert shown["union", "shift_deal"].high == pytest.approx(points_share(union))  # no 0.25


def test_every_utility_is_the_one_definition() -> None:
    """zopa's utilities are ``state_utility`` of the package's points and the world the
    agreement gives (read independently here: the document's state and the fact)."""
    engine = engine_of(GRANT)
    r = Analysis(engine, "shift_deal").at(AFTER, limit=None)
    doc = next(d for d in engine.scenario.documents if d.id == "shift_deal")
    space = OutcomeSpace.of(doc)
    interests = [x for x in engine.scenario.interests if x.document == "shift_deal"]
    days = (AFTER - engine.start_date()).days
    state = engine.run(until=AFTER).final
    assert "grant_awarded" in state.facts

    def agreed(doc: str) -> str:
        return "agreed_in_principle" if doc == "shift_deal" else state.documents[doc].state

    for p in r.zopa:
        package = space.package(p.index)
        for x, u in zip(interests, p.utilities, strict=True):
            points = PartyUtility.of(x, space)(package)
            world = world_of(x, agreed, lambda fact: fact in state.facts)
            assert u == state_utility(x, points, world, days)


def _capped() -> Engine:
    """The grant what-if, where the side deal is agreed in principle only when the
    premium is not 4 %: the world an agreement gives depends on the package."""
    sc = engine_of(GRANT).scenario
    rules = [
        r if r.id != "shift_deal_agreed" else Rule.model_validate(r.model_dump() | {
            "when": "shift_deal.week is agreed and shift_deal.premium is agreed "
                    "and shift_deal.premium is not agreed on 4"})
        for r in sc.rules
    ]  # fmt: skip
    return Engine(sc.model_copy(update={"rules": rules}))


def test_a_world_that_depends_on_the_package() -> None:
    """A condition reads the agreed premium: the world is computed per premium, the zone
    holds exactly the packages whose utilities reach both BATNAs, and the frontier is
    the undominated packages of the day."""
    engine = _capped()
    a = Analysis(engine, "shift_deal")
    assert a.agreements is not None and a.agreements.keyed
    assert [a.space.points[k].id for k in a.agreements.read] == ["premium"]
    r = a.at(AFTER, limit=None)
    everything = [a._view(i, a._day(AFTER)) for i in range(a.space.size)]
    for p in everything:
        union = (p.components or ())[0]
        assert union.states == (0.0 if p.labels["premium"] == "4 %" else 0.25)
    batnas = [x.batna for x in r.parties]
    inside = {p.index for p in everything if bg.acceptable(p.utilities, batnas)}
    assert {p.index for p in r.zopa} == inside and r.zopa_size == len(inside)
    front = set(bg.pareto((p.index, p.utilities) for p in everything))
    assert {p.index for p in r.frontier} == front
    assert r.nash is not None and r.nash.index in front


def test_an_agreement_the_engine_refuses_leaves_the_world_as_it_is() -> None:
    """Before the side deal is tabled it is drafted: the rule's transition cannot fire
    (agree needs a proposal), so the union's agreement is worth no state."""
    engine = engine_of(GRANT)
    a = Agreements(engine, Analysis(engine, "shift_deal").space,
                   [x for x in engine.scenario.interests if x.document == "shift_deal"], None)
    worlds = a.worlds(D(2026, 1, 5))
    assert worlds[0][()].states == 0.0
    assert a.worlds(AFTER)[0][()].states == 0.25


def test_zopa_cli_shows_and_writes_the_components() -> None:
    text = invoke("zopa", "-s", GRANT, "-d", "shift_deal", "--at", "2026-02-10").stdout
    assert "22 of 54 packages give every party at least its BATNA" in text
    assert "union: points 0.500 + states 0.250 + facts 0.000 - delay 0.000 = 0.750" in text
    doc = json.loads(invoke("zopa", "-s", GRANT, "-d", "shift_deal", "--at", "2026-02-10",
                            "-f", "json", "-n", "1").stdout)  # fmt: skip
    assert doc["nash"]["components"][1] == {
        "points": 0.333333333333, "states": 0.0, "facts": 0.333333333333, "delay": 0.0,
        "total": 0.666666666667,
    }
    plain = json.loads(invoke("zopa", "-s", "labour-contract-2026-interests", "--at",
                              "2026-02-16", "-f", "json", "-n", "1").stdout)  # fmt: skip
    assert "components" not in plain["nash"]  # nothing valued: the output as it was


# -- properties over random interests that value states and facts --------------------------


def _all_views(a: Analysis, day: dt.date) -> list[PackageView]:
    """Every package as the analysis sees it on ``day`` (each utility by itself)."""
    d = a._day(day)
    return [a._view(i, d) for i in range(a.space.size)]


@settings(max_examples=40, deadline=None)
@given(world_scenarios(), st.integers(0, 60))
def test_the_zone_beats_every_batna_and_nash_is_on_the_frontier(
    sc: Scenario, offset: int
) -> None:
    day = WORLD_START + dt.timedelta(days=offset)
    a = Analysis(Engine(sc))
    r = a.at(day, limit=None)
    batnas = [p.batna for p in r.parties]
    views = _all_views(a, day)
    for p in r.zopa:
        assert all(u >= b - bg.EPS for u, b in zip(p.utilities, batnas, strict=True))
    inside = {p.index for p in views if bg.acceptable(p.utilities, batnas)}
    assert {p.index for p in r.zopa} == inside and r.zopa_size == len(inside)
    front = set(bg.pareto((p.index, p.utilities) for p in views))
    assert {p.index for p in r.frontier} == front
    if not inside:
        assert r.nash is None
        return
    assert r.nash is not None and r.nash.index in inside and r.nash.index in front
    best = max(bg.nash_key(views[i].utilities, batnas) for i in inside)
    assert bg.nash_key(r.nash.utilities, batnas) == best


@settings(max_examples=40, deadline=None)
@given(world_scenarios(), st.integers(0, 60), st.data())
def test_valuing_a_true_fact_more_never_shrinks_what_a_party_accepts(
    sc: Scenario, offset: int, data: st.DataObject
) -> None:
    """Raise the value a party gives fact ``f`` while it holds, on a day it holds: every
    package that reached its BATNA still does (and the zone never shrinks)."""
    day = WORLD_START + dt.timedelta(days=offset)
    if "f" not in Engine(sc).run(until=day).final.facts:
        return
    k = data.draw(st.integers(0, len(sc.interests) - 1))
    x = sc.interests[k]
    fact = x.facts.get("f") or FactValue(weight=data.draw(st.floats(0.1, 5)), holds=0.0)
    raised = fact.model_copy(update={"holds": min(1.0, fact.holds + data.draw(
        st.floats(0.01, 1.0)))})  # fmt: skip
    interests = list(sc.interests)
    if "f" not in x.facts:  # a new value adds its weight: keep the old mean where f is 0
        interests[k] = x.model_copy(update={"facts": {**x.facts, "f": fact}})
    before_sc = sc.model_copy(update={"interests": interests})
    interests = list(interests)
    interests[k] = interests[k].model_copy(
        update={"facts": {**interests[k].facts, "f": raised}}
    )
    after_sc = sc.model_copy(update={"interests": interests})
    a, b = Analysis(Engine(before_sc)), Analysis(Engine(after_sc))
    ra, rb = a.at(day, limit=None), b.at(day, limit=None)
    batna = ra.parties[k].batna

    def accepted(an: Analysis) -> set[int]:
        return {p.index for p in _all_views(an, day) if p.utilities[k] >= batna - bg.EPS}

    assert accepted(a) <= accepted(b)
    assert {p.index for p in ra.zopa} <= {p.index for p in rb.zopa}


def test_a_strategy_values_an_agreement_as_the_zone_does() -> None:
    """A seat (what strategies, ``play`` and the classroom's counterparts read) values an
    agreement on each package by the same state the ZOPA supposes; the view it reads
    stays as it is."""
    engine = engine_of(GRANT)
    spec = PartyStrategy(party="union", document="shift_deal", kind=StrategyKind.hardliner,
                         deadline="old_contract_sunset", assumption="for the test")  # fmt: skip
    union = next(x for x in engine.scenario.interests
                 if (x.party, x.document) == ("union", "shift_deal"))  # fmt: skip
    a = Analysis(engine, "shift_deal")
    seat = Seat.of(engine, spec, union, a.space)
    view = engine.turn_view(engine.run(until=AFTER).final)
    zone = {p.index: p for p in a.at(AFTER, limit=None).frontier}
    for i, p in zone.items():
        assert seat.worth(i, AFTER, view) == p.utilities[0]
        assert seat.ranking(view)(i) == p.utilities[0]  # no delay in this what-if
    assert view.state("shift_deal") == "proposed"  # the supposition left it
    assert agreed(view, a.space, (0, 0), "union", "employer").state("shift_deal") == (
        "agreed_in_principle"
    )
