"""Strategies in the engine: two declared strategies bargain on the bundled teaching
scenario, and their moves are events the engine applies; the trace is the engine's."""

from __future__ import annotations

from negotiation import Engine
from negotiation.behaviour.bargain import bargain
from negotiation.model.documents import option_text
from negotiation.model.events import OFFER_KINDS
from negotiation.model.strategies import PartyStrategy, StrategyKind
from tests.conftest import engine_of

STRATEGIES = "labour-contract-2026-strategies"


def test_the_pay_deal_is_agreed_by_strategies_alone() -> None:
    engine = engine_of(STRATEGIES)
    assert not [e for e in engine.scenario.timeline if e.kind in OFFER_KINDS]  # none scripted
    run = bargain(engine, "pay_deal", days_per_round=7)
    moves = [e for e in run.trace.entries if e.event_kind in OFFER_KINDS]
    assert [e.ref for e in moves] == [e.id for e in run.events]
    assert all(e.kind == "event" for e in moves), [e.reasons for e in moves]
    assert [e.event_kind for e in moves[:3]] == ["offer", "counter", "counter"]
    assert moves[-1].event_kind == "accept_offer"
    assert all(e.assumption and "seed 0" in e.assumption for e in moves)
    outcome = run.simulation.transcript.outcome
    assert outcome.agreed and outcome.package is not None
    space = run.simulation.table.space
    agreed = space.describe(space.package(outcome.package))
    final = run.trace.final.documents["pay_deal"]
    assert final.points["rise"] == "agreed"
    assert final.values == {p: option_text(v) for p, v in agreed.items()}
    assert final.offer is None
    assert moves[-1].date == outcome.day
    # the scenario's own run goes on around the bargaining, unchanged
    plain = engine.run()
    assert run.trace.ok and plain.ok
    assert run.trace.final.documents["new_contract"] == plain.final.documents["new_contract"]


def _random_employer() -> Engine:
    scenario = engine_of(STRATEGIES).scenario
    strategies = [
        s if (s.party, s.document) != ("employer", "pay_deal") else PartyStrategy(
            party="employer", document="pay_deal", kind=StrategyKind.random,
            deadline=s.deadline, assumption="random offers, for the test",
        )
        for s in scenario.strategies
    ]
    return Engine(scenario.model_copy(update={"strategies": strategies}))


def test_the_same_seed_gives_a_byte_identical_trace() -> None:
    engine = _random_employer()
    one = bargain(engine, "pay_deal", days_per_round=5, seed=7).trace.model_dump_json()
    again = bargain(engine, "pay_deal", days_per_round=5, seed=7).trace.model_dump_json()
    other = bargain(engine, "pay_deal", days_per_round=5, seed=8).trace.model_dump_json()
    assert one == again
    assert one != other  # the seed matters: the random side offers otherwise
