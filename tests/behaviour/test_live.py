"""Strategies inside the run: at each turn a strategy reads the engine's state (the offer
on the table, its deadline's due date as extended, its BATNA) and its move is an event
the runtime applies or refuses."""

from __future__ import annotations

import datetime as dt
import random

from negotiation import Engine
from negotiation.behaviour.live import next_move
from negotiation.behaviour.scenario import Table, simulate
from negotiation.behaviour.strategies import MoveKind, time_fraction
from negotiation.model.events import OFFER_KINDS
from negotiation.model.interests import Delay
from negotiation.model.positions import position_key
from tests.behaviour.test_bargain import _random_employer
from tests.conftest import day, engine_of, event

STRATEGIES = "labour-contract-2026-strategies"


def _with(*events: object) -> Engine:
    scenario = engine_of(STRATEGIES).scenario
    return Engine(scenario.model_copy(update={"timeline": [*scenario.timeline, *events]}))


def test_two_strategies_reach_an_outcome_without_a_scripted_move() -> None:
    engine = engine_of(STRATEGIES)
    assert not [e for e in engine.scenario.timeline if e.kind in OFFER_KINDS]
    sim = simulate(engine, "pay_deal", days_per_round=7)
    assert sim.trace is not None and sim.transcript.outcome.agreed
    applied = [e for e in sim.trace.entries if e.event_kind in OFFER_KINDS]
    assert len(applied) == len(sim.transcript.turns) == len(sim.events)
    assert all(e.kind == "event" for e in applied)


def test_a_strategy_reads_its_deadline_as_extended_during_the_run() -> None:
    extension = event(
        "extend_deadline", "2026-02-01", id="later", by=["employer"],
        deadline="old_contract_sunset", to="2026-04-30",
    )  # fmt: skip
    engine = _with(extension)
    start = engine.start_date()
    sim = simulate(engine, "pay_deal", days_per_round=7)
    plain = simulate(engine_of(STRATEGIES), "pay_deal", days_per_round=7)
    for turn in sim.transcript.turns:
        due = day("2026-03-31") if turn.day < day("2026-02-01") else day("2026-04-30")
        assert turn.time == time_fraction(start, turn.day, due), turn
    assert sim.transcript.outcome.agreed
    assert sim.transcript.outcome.day > plain.transcript.outcome.day  # more time, later deal


def test_a_refused_move_is_seen_and_the_rounds_go_on() -> None:
    scripted = event(
        "offer", "2026-01-01", id="union_opens", by=["union"], document="pay_deal",
        package={"rise": 5}, assumption="a scripted opening, for the test",
    )  # fmt: skip
    sim = simulate(_with(scripted), "pay_deal", days_per_round=7)
    first, second = sim.transcript.turns[:2]
    assert first.party == "union" and first.refused
    assert "union already has an offer pending on pay_deal" in first.refused[0]
    assert second.party == "employer" and not second.refused
    assert sim.events[1].kind == "counter"  # the employer answers the scripted offer
    assert sim.transcript.outcome.agreed


def test_the_same_seed_gives_a_byte_identical_trace_with_a_random_side() -> None:
    engine = _random_employer()
    runs = [simulate(engine, "pay_deal", days_per_round=5, seed=s).trace for s in (4, 4, 5)]
    dumps = [t.model_dump_json() for t in runs if t is not None]
    assert dumps[0] == dumps[1] and dumps[0] != dumps[2]


def test_next_move_reads_the_offer_on_the_table_from_a_state() -> None:
    engine = engine_of(STRATEGIES)
    table = Table.of(engine, "pay_deal")
    union, employer = table.seats(engine)
    state = engine.initial_state()
    view = engine.turn_view(state)
    opening = next_move(union, view, random.Random(0))
    assert opening.kind is MoveKind.offer and opening.package is not None
    assert table.space.describe(table.space.package(opening.package)) == {"rise": 6.0}
    assert view.offer("pay_deal") is None and view.due("old_contract_sunset") == dt.date(
        2026, 3, 31
    )
    # late in the time, the conceder employer accepts a modest demand
    late = engine.advance(state, day("2026-03-30"))
    assert late is not None
    modest = table.space.index((4,))  # rise 1 %
    move = next_move(employer, engine.turn_view(late.state), random.Random(0),
                     received=(modest,))  # fmt: skip
    assert move.kind is MoveKind.accept


def test_a_walk_away_inside_the_run_takes_a_position_the_scenario_never_named() -> None:
    scenario = engine_of(STRATEGIES).scenario
    interests = [
        x.model_copy(update={"batna": 1.0, "delay": Delay(per_day=0.01)})
        if (x.party, x.document) == ("union", "pay_deal") else x
        for x in scenario.interests
    ]  # fmt: skip
    engine = Engine(scenario.model_copy(update={"interests": interests}))
    sim = simulate(engine, "pay_deal", days_per_round=7)
    assert sim.trace is not None
    # once delay has cost anything, nothing beats a BATNA of 1: the union walks away
    assert sim.transcript.outcome.ended_by == "walk_away"
    kinds = [t.move.kind for t in sim.transcript.turns]
    assert kinds == [MoveKind.offer, MoveKind.offer, MoveKind.walk_away]
    assert not sim.transcript.turns[-1].refused
    assert sim.trace.final.positions[position_key("union", "pay_deal")].stance == "rejects"


def test_a_deadline_that_has_no_due_date_before_the_first_turn_closes_nothing_yet() -> None:
    """The forum's deadline is inactive on the scenario's first day (no due date yet): the
    rounds from a later start read it once it runs, instead of failing on day one."""
    base = engine_of("trade-deal-2026-deadline-effect")
    assert base.initial_state().deadlines["negotiation_deadline"].due is None
    strategies = [
        s.model_copy(update={"deadline": "negotiation_deadline"})
        for s in base.scenario.strategies
    ]
    engine = Engine(base.scenario.model_copy(update={"strategies": strategies}))
    sim = simulate(engine, "quota_boulware", start=day("2026-02-16"))
    outcome = sim.transcript.outcome
    assert outcome.agreed and outcome.day <= outcome.due
    assert outcome.due == engine.run().final.deadlines["negotiation_deadline"].due
