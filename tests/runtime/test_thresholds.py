"""Entry into force by threshold: at least K of the ratifiers, holding at least X% of a
declared weight, have ratified; the document enters into force N days after the day the
threshold is met (a milestone anchored on ``threshold of DOC is met``). The Paris
Agreement's days are the fixture (threshold met 2016-10-05, in force 2016-11-04), with
made-up weights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine, Scenario
from negotiation.model.errors import ConditionError
from tests.conftest import day, ev, run

PARTIES = ["a", "b", "c", "d", "e", "f"]
WEIGHTS = {"a": 20.0, "b": 18.0, "c": 5.0, "d": 15.0, "e": 30.0, "f": 12.0}
MET = day("2016-10-05")
IN_FORCE = day("2016-11-04")


def paris(
    ratifications: list[tuple[str, list[str]]], *, at_least: int | None = 3,
    share: float | None = 55, weights: dict[str, float] | None = None,
    extra: list[dict[str, Any]] | None = None, after_days: int = 30,
) -> Scenario:
    threshold: dict[str, Any] = {"at_least": at_least}
    if share is not None:
        threshold |= {"weight": "emissions", "share": share}
    return Scenario.model_validate({
        "id": "t", "title": "t", "start": "2016-04-22", "horizon": "2017-12-31",
        "parties": [{"id": p, "name": p.upper()} for p in PARTIES],
        "weights": {"emissions": weights or WEIGHTS},
        "documents": [{"id": "accord", "title": "Accord", "initial_state": "signed",
                       "ratification_by": PARTIES, "entry_into_force": threshold}],
        "deadlines": [{
            "id": "eif", "kind": "milestone", "within_days": after_days,
            "anchor": {"condition": "threshold of accord is met"},
            "consequence": {"effects": [
                {"kind": "transition", "document": "accord", "trigger": "enter_into_force"}]},
        }],
        "timeline": [ev("ratify", d, by=who, document="accord") for d, who in ratifications]
        + (extra or []),
    })


PARIS = [("2016-09-03", ["a", "b"]), ("2016-09-21", ["c"]), ("2016-10-05", ["d"])]


def state_on(sc: Scenario, when: dt.date) -> str:
    return run(sc, until=when.isoformat()).final.documents["accord"].state


def holds(sc: Scenario, condition: str, when: dt.date) -> bool:
    engine = Engine(sc)
    return engine.evaluate(condition, engine.run(until=when).final)


@pytest.mark.parametrize(("when", "met"), [
    (MET - dt.timedelta(days=1), False), (MET, True), (MET + dt.timedelta(days=1), True),
])
def test_the_threshold_is_met_on_the_day_of_the_ratification_that_crosses_it(
    when: dt.date, met: bool
) -> None:
    assert holds(paris(PARIS), "threshold of accord is met", when) is met


@pytest.mark.parametrize(("when", "state"), [
    (IN_FORCE - dt.timedelta(days=1), "signed"), (IN_FORCE, "in_force"),
    (IN_FORCE + dt.timedelta(days=1), "in_force"),
])
def test_in_force_thirty_days_after_the_threshold_day(when: dt.date, state: str) -> None:
    assert state_on(paris(PARIS), when) == state


def test_the_milestone_records_the_threshold_day_as_its_anchor() -> None:
    final = run(paris(PARIS)).final
    assert final.deadlines["eif"].anchor == MET
    assert final.deadlines["eif"].due == IN_FORCE
    assert final.deadlines["eif"].status.value == "reached"


@pytest.mark.parametrize(("when", "state"), [
    (IN_FORCE, "signed"), (day("2016-11-30"), "signed"), (day("2016-12-01"), "in_force"),
])
def test_an_extension_of_the_milestone_moves_entry_into_force(when: dt.date, state: str) -> None:
    extend = ev("extend_deadline", "2016-10-20", by=["a"], deadline="eif", to="2016-12-01")
    assert state_on(paris(PARIS, extra=[extend]), when) == state


def test_entry_into_force_before_the_threshold_is_blocked_and_says_what_is_missing() -> None:
    early = ev("transition", "2016-09-22", by=["a"], document="accord",
               trigger="enter_into_force")
    trace = run(paris(PARIS, extra=[early]), until="2016-09-30")
    blocked = [e for e in trace.entries if e.event_kind == "transition"]
    assert blocked[0].kind == "blocked"
    assert blocked[0].reasons == (
        "accord cannot enter into force before its threshold is met: 43% of emissions "
        "ratified, at least 55% needed",
    )


def test_the_count_alone_can_hold_it_back() -> None:
    heavy = [("2016-09-03", ["e", "a"]), ("2016-10-05", ["b"])]  # 50% then 68%
    assert holds(paris(heavy), "threshold of accord is met", MET)
    assert not holds(paris(heavy, at_least=4), "threshold of accord is met", MET)
    why = Engine(paris(heavy, at_least=4))
    short = why.view(why.run(until=MET).final).threshold_shortfall("accord")
    assert short == ["3 ratified, at least 4 needed"]


def test_a_count_only_threshold_ignores_weights() -> None:
    sc = paris(PARIS[:2], share=None)
    assert state_on(sc, day("2016-10-20")) == "signed"
    assert state_on(sc, day("2016-10-21")) == "in_force"  # 2016-09-21 + 30 days


@pytest.mark.parametrize(("condition", "value"), [
    ("at least 3 have ratified accord", True),
    ("at least 4 have ratified accord", False),
    ("at least 2 of (a, c, e) have ratified accord", True),
    ("at least 3 of (a, c, e) have ratified accord", False),
    ("ratified weight emissions of accord is at least 43%", True),
    ("ratified weight emissions of accord is more than 43%", False),
    ("ratified weight emissions of accord is less than 43.5%", True),
])
def test_count_and_weight_conditions(condition: str, value: bool) -> None:
    sc = paris(PARIS[:2])  # a, b, c: 43% of the weight
    assert holds(sc, condition, day("2016-09-30")) is value


@pytest.mark.parametrize(("condition", "message"), [
    ("ratified weight co2 of accord is at least 5%", "unknown weight 'co2'"),
    ("ratified weight emissions of accord is at least 101%", "at most 100%"),
    ("ratified weight emissions of accord is at least 5", "expected '%'"),
    ("at least 2 of (a, zz) have ratified accord", "unknown party 'zz'"),
    ("at least two have ratified accord", "expected a number of ratifications"),
    ("threshold of accord is reached", "expected 'met'"),
])
def test_bad_threshold_conditions_are_located_errors(condition: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        Engine(paris(PARIS)).parse(condition)


def _threshold_day(order: list[str], dates: list[dt.date], k: int, share: float,
                   weights: dict[str, float]) -> dt.date | None:
    """The first day at least k have ratified holding share% (an independent count)."""
    total = sum(weights.values())
    for n in range(1, len(order) + 1):
        held = 100 * sum(weights[p] for p in order[:n]) / total
        if n >= k and held >= share - 1e-9:
            return dates[n - 1]
    return None


@settings(max_examples=40, deadline=None)
@given(
    order=st.permutations(PARTIES),
    gaps=st.lists(st.integers(0, 20), min_size=6, max_size=6),
    k=st.integers(1, 6),
    share=st.sampled_from([10.0, 33.0, 50.0, 55.0, 75.0, 100.0]),
    weights=st.lists(st.integers(0, 40), min_size=6, max_size=6).filter(lambda w: sum(w) > 0),
)
def test_in_force_iff_count_and_weight_reached_over_any_order(
    order: list[str], gaps: list[int], k: int, share: float, weights: list[int]
) -> None:
    w = {p: float(x) for p, x in zip(PARTIES, weights, strict=True)}
    dates, when = [], day("2016-05-01")
    for gap in gaps:
        when += dt.timedelta(days=gap)
        dates.append(when)
    sc = paris([(d.isoformat(), [p]) for d, p in zip(dates, order, strict=True)],
               at_least=k, share=share, weights=w, after_days=10)
    trace = run(sc)
    met = _threshold_day(list(order), dates, k, share, w)
    eif = trace.final.deadlines["eif"]
    if met is None:
        assert trace.final.documents["accord"].state == "signed"
        assert eif.status.value == "waiting"
    else:
        assert eif.anchor == met
        assert trace.final.documents["accord"].state == "in_force"
        assert eif.resolved_on == met + dt.timedelta(days=10)
