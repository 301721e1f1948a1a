"""Mediated single-text rounds inside the engine's run: the mediator's rule, the parties'
answers as offer events the runtime applies, and what the protocol guarantees (it ends,
an agreement is a text every party accepted on its day, a seed fixes the trace, explore
finds every outcome sample finds)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import PartyUtility
from negotiation.behaviour.mediated import first_draft, neighbours, revise
from negotiation.behaviour.scenario import Table, simulate
from negotiation.behaviour.strategies import MoveKind, Ranking, from_spec
from negotiation.model.documents import option_text
from negotiation.model.errors import AnalysisError
from negotiation.model.scenario import Scenario
from negotiation.render.jsonout import trace_doc
from negotiation.search.bargains import Setting, bargain_outcomes, sample_bargains
from tests.conftest import ROOT, engine_of, load_yaml12

MEDIATED = "river-basin-2026-mediated"
DOC = "water_compact"
PARTIES = ("upland", "midvale", "lowmarsh")
BASE: dict[str, Any] = load_yaml12(
    (ROOT / "scenarios" / f"{MEDIATED}.yaml").read_text(encoding="utf-8")
)


def _rankings(engine: Engine) -> tuple[OutcomeSpace, list[Ranking]]:
    doc = next(d for d in engine.scenario.documents if d.id == DOC)
    space = OutcomeSpace.of(doc)
    interests = {x.party: x for x in engine.scenario.interests}
    return space, [Ranking.of(PartyUtility.of(interests[p], space).every()) for p in PARTIES]


# -- the mediator's rule ---------------------------------------------------------------------


def test_the_first_draft_is_the_text_whose_worst_off_party_is_best_off() -> None:
    space, rankings = _rankings(engine_of(MEDIATED))
    batnas = [0.35, 0.3, 0.3]
    k = first_draft(space, rankings, batnas)
    least = min(r(k) - b for r, b in zip(rankings, batnas, strict=True))
    for other in range(space.size):
        assert min(r(other) - b for r, b in zip(rankings, batnas, strict=True)) <= least + 1e-12
    assert space.labels(space.package(k)) == {
        "upland_share": "50 %", "flood_fund": "30 m", "monitoring": "monthly"
    }


def test_neighbours_move_one_point_one_option() -> None:
    space, _ = _rankings(engine_of(MEDIATED))
    k = space.index((3, 1, 1))
    found = {space.package(n) for n in neighbours(space, k)}
    assert found == {(2, 1, 1), (4, 1, 1), (3, 0, 1), (3, 2, 1), (3, 1, 0), (3, 1, 2)}
    corner = {space.package(n) for n in neighbours(space, 0)}
    assert corner == {(1, 0, 0), (0, 1, 0), (0, 0, 1)}


def test_a_revision_serves_the_worst_served_rejecter_and_costs_an_acceptor_only_if_it_must(
) -> None:
    space, rankings = _rankings(engine_of(MEDIATED))
    batnas = [0.35, 0.3, 0.3]
    seen = set()
    for current in range(0, space.size, 5):
        for accepted in ([False, False, True], [False, True, False], [True, False, False]):
            new = revise(space, current, rankings, batnas, accepted, {current})
            base = [r(current) for r in rankings]
            focus = min((i for i, ok in enumerate(accepted) if not ok),
                        key=lambda i: (base[i] - batnas[i], i))  # fmt: skip
            gaining = [n for n in neighbours(space, current) if rankings[focus](n) > base[focus]]
            keeping = [n for n in gaining if all(rankings[i](n) >= base[i] - 1e-9
                                                 for i, ok in enumerate(accepted) if ok)]
            if not gaining:
                assert new == current
                continue
            pool = keeping or gaining
            seen.add(bool(keeping))
            assert new in pool
            assert rankings[focus](new) == max(rankings[focus](n) for n in pool)
    assert seen == {True, False}  # both cases occur: kept acceptors, and an unavoidable cost
    current = space.index((4, 3, 2))
    # nothing left that it has not drafted: it puts the same text again
    everything = {current, *neighbours(space, current)}
    assert revise(space, current, rankings, batnas, [False, False, True], everything) == current
    # everyone accepted: no revision
    assert revise(space, current, rankings, batnas, [True] * 3, {current}) == current


# -- the protocol inside the run -------------------------------------------------------------


def test_the_bundled_case_agrees_six_days_before_the_dry_season() -> None:
    sim = simulate(engine_of(MEDIATED))
    t = sim.transcript
    assert t.parties == PARTIES
    o = t.outcome
    assert o.ended_by == "accept" and o.day == dt.date(2026, 3, 25) and o.round == 23
    space = sim.table.space
    assert o.package is not None
    assert space.labels(space.package(o.package)) == {
        "upland_share": "50 %", "flood_fund": "30 m", "monitoring": "quarterly"
    }
    assert [round(u, 3) for u in o.utilities] == [0.7, 0.475, 0.611]
    # the commission drafts each round; the three answer in the scenario's order
    first_round = [(x.party, x.move.kind) for x in t.turns if x.round == 0]
    assert first_round == [("basin_commission", MoveKind.offer), ("upland", MoveKind.reject),
                           ("midvale", MoveKind.reject), ("lowmarsh", MoveKind.reject)]
    # the conceder accepts first, the Boulware party last; the text then moves its way
    first_yes = {p: min(x.round for x in t.turns if x.party == p and x.move.kind is
                        MoveKind.accept) for p in PARTIES}  # fmt: skip
    assert first_yes == {"lowmarsh": 5, "midvale": 21, "upland": 22}
    assert sim.trace is not None
    final = sim.trace.final.documents[DOC]
    assert final.values == {"upland_share": "50", "flood_fund": "30", "monitoring": "quarterly"}
    assert sim.trace.final.deadlines["dry_season"].status.value == "met"


def test_every_move_is_an_event_the_runtime_applied_with_the_text_put_to_every_party() -> None:
    sim = simulate(engine_of(MEDIATED))
    assert sim.trace is not None
    ids = {e.id for e in sim.events}
    applied = [x for x in sim.trace.entries if x.ref in ids]
    assert len(applied) == len(sim.events) == len(sim.transcript.turns)
    assert all(x.kind == "event" for x in applied)
    drafts = [e for e in sim.events if e.kind == "offer"]
    assert drafts and all(getattr(e, "to", None) == list(PARTIES) for e in drafts)


def _variant(mutate: Any) -> Engine:
    data = copy.deepcopy(BASE)
    mutate(data)
    return Engine(Scenario.model_validate(data))


def test_a_declared_first_draft_is_where_the_mediator_starts() -> None:
    def declare(data: dict[str, Any]) -> None:
        data["strategies"][0]["draft"] = {"upland_share": 35, "flood_fund": 20,
                                          "monitoring": "quarterly"}

    sim = simulate(_variant(declare))
    first = sim.transcript.turns[0]
    space = sim.table.space
    assert first.move.package is not None
    assert space.labels(space.package(first.move.package)) == {
        "upland_share": "35 %", "flood_fund": "20 m", "monitoring": "quarterly"
    }


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["strategies"][0].update(draft={"upland_share": 33}), "is not a package"),
    (lambda d: d["strategies"].append({**d["strategies"][0], "party": "upland"}),
     "has 2 mediators"),
    (lambda d: d["strategies"].__delitem__(slice(2, 4)), "two or more other parties"),
    (lambda d: d["strategies"][0].update(deadline="monsoon"), "unknown deadline 'monsoon'"),
])  # fmt: skip
def test_a_mediated_table_that_cannot_run_says_why(mutate: Any, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        Table.of(_variant(mutate))


def test_first_is_refused_for_mediated_rounds() -> None:
    with pytest.raises(AnalysisError, match="--first does not apply"):
        Table.of(engine_of(MEDIATED), first="upland")


def test_a_draft_belongs_to_the_mediator_kind_only() -> None:
    data = copy.deepcopy(BASE)
    data["strategies"][1]["draft"] = {"upland_share": 35}
    with pytest.raises(ValueError, match="'draft' belongs to the mediator kind"):
        Scenario.model_validate(data)


# -- properties ------------------------------------------------------------------------------

KINDS = [
    {"kind": "boulware", "e": 0.3}, {"kind": "linear"}, {"kind": "conceder", "e": 3},
    {"kind": "hardliner"}, {"kind": "tit_for_tat"}, {"kind": "responses", "accept": 0.5,
                                                      "target": 0.7},
]  # fmt: skip


def _engine(kinds: list[dict[str, Any]], batnas: list[float], days: int,
            small: bool = False) -> Engine:  # fmt: skip
    def mutate(data: dict[str, Any]) -> None:
        data["deadlines"][0]["due"] = (dt.date(2026, 3, 2) + dt.timedelta(days=days)).isoformat()
        n = len(kinds)
        mediator, *sides = data["strategies"]
        data["strategies"] = [mediator] + [
            {**{k: v for k, v in s.items() if k not in ("e", "kind")}, **kind}
            for s, kind in zip(sides[:n], kinds, strict=True)
        ]  # fmt: skip
        for x, b in zip(data["interests"], batnas, strict=False):
            x["batna"] = b
        if small:  # 12 packages, for exploring every draw of a random party
            points = data["documents"][0]["points"]
            points[0]["options"] = {"min": 20, "max": 30, "step": 5, "unit": "%"}
            points[1]["options"] = {"min": 0, "max": 10, "step": 10, "unit": "m"}
            points[2]["options"] = ["yearly", "monthly"]
            del data["interests"][0]["points"]["monitoring"]["values"]["quarterly"]
            del data["interests"][1]["points"]["monitoring"]["values"]["quarterly"]
            del data["interests"][2]["points"]["monitoring"]["values"]["quarterly"]
    return _variant(mutate)


tables = st.tuples(
    st.lists(st.sampled_from([*KINDS, {"kind": "random"}]), min_size=2, max_size=3),
    st.lists(st.floats(0, 0.6), min_size=3, max_size=3),
    st.integers(0, 12),
    st.integers(0, 2**16),
)


@settings(max_examples=25, deadline=None)
@given(tables)
def test_every_mediated_run_ends_and_an_agreement_is_a_text_all_accepted_that_day(
    table: tuple[list[dict[str, Any]], list[float], int, int],
) -> None:
    kinds, batnas, days, seed = table
    engine = _engine(kinds, batnas, days)
    sim = simulate(engine, seed=seed)
    o = sim.transcript.outcome
    assert o.ended_by in ("accept", "walk_away", "deadline")
    assert sim.trace is not None
    parties = sim.transcript.parties
    final = sim.trace.final.documents[DOC]
    if o.ended_by != "accept":
        assert o.package is None and final.values == {}
        return
    # the agreed text is the last draft, and every party accepted it on the agreement day
    drafts = [e for e in sim.events if e.kind == "offer"]
    last = drafts[-1]
    after = sim.events[sim.events.index(last) + 1:]
    assert sorted(e.by[0] for e in after if e.kind == "accept_offer") == sorted(parties)
    assert all(e.kind == "accept_offer" for e in after)
    assert {e.date.earliest for e in after} == {last.date.earliest} == {o.day}
    space = sim.table.space
    assert o.package is not None
    assert final.values == {
        p: option_text(v) for p, v in space.describe(space.package(o.package)).items()
    }


@settings(max_examples=10, deadline=None)
@given(tables)
def test_the_same_seed_gives_a_byte_identical_trace(
    table: tuple[list[dict[str, Any]], list[float], int, int],
) -> None:
    kinds, batnas, days, seed = table
    engine = _engine(kinds, batnas, days)
    one, two = simulate(engine, seed=seed), simulate(engine, seed=seed)
    assert one.trace is not None and two.trace is not None
    dump = [json.dumps(trace_doc(t.trace, engine.scenario), sort_keys=True) for t in (one, two)]
    assert dump[0] == dump[1]
    assert one.transcript == two.transcript


@settings(max_examples=8, deadline=None)
@given(
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=2),
    st.lists(st.floats(0, 0.5), min_size=3, max_size=3),
    st.integers(0, 1),
    st.integers(0, 2**16),
)
def test_explore_finds_every_outcome_sample_finds(
    kinds: list[dict[str, Any]], batnas: list[float], days: int, seed: int,
) -> None:
    engine = _engine([*kinds, {"kind": "random"}], batnas, days, small=True)
    setting = Setting(engine.scenario, DOC)
    explored = bargain_outcomes(setting, max_paths=5_000)
    assert explored.complete
    sampled = sample_bargains(setting, runs=24, seed=seed)
    assert {o.label for o in sampled.outcomes} <= {o.label for o in explored.outcomes}


def test_a_mediator_strategy_has_no_offers_of_its_own() -> None:
    spec = engine_of(MEDIATED).scenario.strategies[0]
    with pytest.raises(ValueError, match="mediator strategy drafts texts"):
        from_spec(spec)


def test_a_refused_draft_is_recorded_and_the_rounds_go_on_to_the_deadline() -> None:
    def exclude(data: dict[str, Any]) -> None:
        data["timeline"].append({"id": "mediator_out", "kind": "exclude", "date": "2026-03-10",
                                 "by": ["upland"], "party": "basin_commission"})

    sim = simulate(_variant(exclude))
    refused = [x for x in sim.transcript.turns if x.refused]
    assert refused and all(x.party == "basin_commission" for x in refused)
    assert refused[0].day == dt.date(2026, 3, 10)
    assert {x.day for x in refused} == {
        dt.date(2026, 3, 10) + dt.timedelta(days=k) for k in range(22)
    }  # every round from the exclusion to the due date, with no answers
    o = sim.transcript.outcome
    assert o.ended_by == "deadline" and o.day == dt.date(2026, 3, 31)
    assert [round(u, 2) for u in o.utilities] == [0.35, 0.3, 0.3]  # each its BATNA
