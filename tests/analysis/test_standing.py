"""Values for document states and facts in interests: the weighted part of a party's
utility the world gives, ``show``'s standings against the BATNA, and strategies that
read it at their turn."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from negotiation import Engine
from negotiation.analysis.standing import standings
from negotiation.analysis.utility import in_world, points_share, world_value
from negotiation.behaviour.live import next_move
from negotiation.behaviour.scenario import Table
from negotiation.behaviour.strategies import MoveKind
from negotiation.model.interests import Interest
from negotiation.model.strategies import PartyStrategy, StrategyKind
from tests.conftest import engine_of, event, invoke

STRATEGIES = "labour-contract-2026-strategies"


def _valued(**world: object) -> Engine:
    """The teaching scenario with the union's pay-deal interest valuing ``world``."""
    scenario = engine_of(STRATEGIES).scenario
    interests = [
        Interest.model_validate(x.model_dump() | world)
        if (x.party, x.document) == ("union", "pay_deal") else x
        for x in scenario.interests
    ]
    return Engine(scenario.model_copy(update={"interests": interests}))


def _union(engine: Engine) -> Interest:
    return next(x for x in engine.scenario.interests
                if (x.party, x.document) == ("union", "pay_deal"))  # fmt: skip


def test_the_world_joins_the_weighted_mean() -> None:
    engine = _valued(facts={"strike_started": {"weight": 1, "holds": 0, "otherwise": 1}},
                     states={"new_contract": {"weight": 2, "values": {"in_force": 1}}})
    x = _union(engine)
    assert points_share(x) == pytest.approx(1 / 4)
    assert world_value(x, lambda d: "in_force", lambda f: False) == pytest.approx(3 / 4)
    assert world_value(x, lambda d: "draft", lambda f: True) == 0.0
    assert in_world(1.0, x, 0.0) == 0.25
    plain = engine_of(STRATEGIES).scenario.interests[0]
    assert in_world(0.37, plain, world_value(plain, str, bool)) == 0.37  # nothing valued


def test_a_strategy_reads_the_facts_it_values_at_its_turn() -> None:
    """A union that values the strike not happening stands better without it, so a
    modest rise clears its BATNA while no strike has started and not after."""
    engine = _valued(facts={"strike_started": {"weight": 1, "holds": 0, "otherwise": 1}})
    spec = PartyStrategy(party="union", document="pay_deal", kind=StrategyKind.responses,
                         accept=0.5, target=0.9, deadline="old_contract_sunset",
                         assumption="for the test")  # fmt: skip
    scenario = engine.scenario.model_copy(update={"strategies": [
        spec, *[s for s in engine.scenario.strategies if s.party != "union"]]})
    engine = Engine(scenario)
    union, _ = Table.of(engine, "pay_deal").seats(engine)
    space = Table.of(engine, "pay_deal").space
    one_percent = space.index((4,))  # rise 1 %: 1/6 of the union's points, +1 world
    calm = engine.initial_state()
    move = next_move(union, engine.turn_view(calm), random.Random(0), received=(one_percent,))
    assert move.kind is MoveKind.accept  # (1/6 + 1) / 2 = 0.58 >= 0.5
    strike = engine.apply(calm, event("set_fact", "2026-01-02", fact="strike_started"))
    assert not strike.blocked, strike.entry.reasons
    move = next_move(union, engine.turn_view(strike.state), random.Random(0),
                     received=(one_percent,))  # fmt: skip
    assert move.kind is MoveKind.offer  # (1/6 + 0) / 2 = 0.08: counter instead


def test_standings_of_the_current_text_against_the_batna() -> None:
    engine = engine_of(STRATEGIES)
    state = engine.initial_state()
    offered = engine.apply(state, event(
        "offer", "2026-01-05", id="o", by=["employer"], document="pay_deal",
        package={"rise": 3}, assumption="for the test"))  # fmt: skip
    rows = {(r.party, r.document): r for r in standings(engine, offered.state)}
    union = rows["union", "pay_deal"]
    assert union.low == union.high == pytest.approx(0.5)
    assert union.offered == ("rise",) and not union.open
    assert union.verdict == "above its BATNA"
    contract = rows["union", "new_contract"]
    assert contract.low < contract.high and "wages" in contract.open


def test_show_lists_the_standings_in_text_and_json(tmp_path: Path) -> None:
    result = invoke("show", "-s", STRATEGIES, "--at", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert "utility of the current text against its" in result.stdout
    assert "open: rise" in result.stdout
    data = json.loads(invoke("show", "-s", STRATEGIES, "-f", "json").stdout)
    assert {(r["party"], r["document"]) for r in data["standings"]} >= {("union", "pay_deal")}
    plain = json.loads(invoke("show", "-s", "labour-contract-2026", "-f", "json").stdout)
    assert "standings" not in plain  # no interests: the JSON as it was
