"""Points over time: publish_points, amend_point, remove_point and points_total, in the
one runtime (engine runs, the search's state)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from negotiation import Engine
from tests.conftest import day, ev, event, run, scenario

PLAN = {"id": "plan", "title": "Plan", "points_total": 20, "points": [{"id": "p1"}]}


def _published() -> list[dict[str, object]]:
    return [
        ev("propose", "2025-11-01", by=["a"], document="plan"),
        ev("publish_points", "2025-11-10", document="plan",
           points=[{"id": "p2", "text": "sanctions in stages"},
                   {"id": "p3", "text": "elections in 100 days", "status": "bracketed"}]),
        ev("amend_point", "2025-11-15", document="plan", point="p3",
           text="elections in 120 days", status="agreed"),
        ev("remove_point", "2025-11-20", document="plan", point="p2"),
    ]


def _points_at(text: str) -> dict[str, str]:
    sc = scenario(documents=[PLAN], timeline=_published())
    return dict(run(sc, until=text).final.documents["plan"].points)


def test_the_day_before_on_and_after_a_publication() -> None:
    assert _points_at("2025-11-09") == {"p1": "open"}
    assert _points_at("2025-11-10") == {"p1": "open", "p2": "open", "p3": "bracketed"}
    assert _points_at("2025-11-11") == {"p1": "open", "p2": "open", "p3": "bracketed"}


def test_amend_changes_text_and_status_and_remove_takes_the_point_out() -> None:
    sc = scenario(documents=[PLAN], timeline=_published())
    at_amend = run(sc, until="2025-11-15").final.documents["plan"]
    assert at_amend.points["p3"] == "agreed"
    assert at_amend.texts == {"p2": "sanctions in stages", "p3": "elections in 120 days"}
    final = run(sc).final.documents["plan"]
    assert "p2" not in final.points and "p2" not in final.texts
    assert final.points_known == 2 and final.points_total == 20
    dumped = final.model_dump(mode="json")
    assert (dumped["points_known"], dumped["points_total"]) == (2, 20)


def test_a_document_without_the_new_fields_dumps_as_before() -> None:
    sc = scenario(timeline=[ev("propose", "2025-11-01", by=["a"], document="plan")])
    dumped = run(sc).final.documents["plan"].model_dump(mode="json")
    assert not {"texts", "points_total", "points_known"} & set(dumped)


def test_publishing_a_known_point_and_amending_an_unknown_one_are_refused() -> None:
    timeline = [
        ev("publish_points", "2025-11-02", document="plan", points=[{"id": "p1", "text": "x"}]),
        ev("amend_point", "2025-11-03", document="plan", point="p9", text="y"),
        ev("publish_points", "2025-11-04", document="plan", points=[{"id": "p9", "text": "z"}]),
        ev("remove_point", "2025-11-05", document="plan", point="p9"),
        ev("amend_point", "2025-11-06", document="plan", point="p9", text="again"),
    ]
    trace = run(scenario(documents=[PLAN], timeline=timeline))
    blocked = [e for e in trace.entries if e.kind == "blocked"]
    reasons = [r for e in blocked for r in e.reasons]
    assert "point plan.p1 is already known" in reasons
    assert reasons.count("point plan.p9 is not known (not published, or removed)") == 2
    assert trace.final.documents["plan"].points == {"p1": "open"}


def test_a_condition_reads_a_published_point() -> None:
    timeline = [*_published(), ev("statement", "2025-11-21", by=["a"], about=["plan"])]
    sc = scenario(documents=[PLAN], timeline=timeline,
                  expect=[{"at": "2025-11-16", "that": "plan.p3 is agreed"}])
    assert run(sc).ok


DAYS = st.integers(min_value=0, max_value=40)


@given(st.lists(DAYS, min_size=1, max_size=6, unique=True), DAYS)
def test_points_visible_at_a_date_are_those_published_on_or_before_it(
    offsets: list[int], asked: int
) -> None:
    start = day("2025-11-01")
    when = {f"q{k}": start + dt.timedelta(days=o) for k, o in enumerate(offsets)}
    timeline = [
        ev("publish_points", d.isoformat(), document="plan", points=[{"id": p, "text": p}])
        for p, d in sorted(when.items(), key=lambda kv: kv[1])
    ]
    sc = scenario(documents=[{"id": "plan", "title": "Plan"}], timeline=timeline)
    at = start + dt.timedelta(days=asked)
    points = Engine(sc).run(until=at).final.documents["plan"].points
    assert set(points) == {p for p, d in when.items() if d <= at}


def test_texts_survive_encoding_a_state_into_the_runtime() -> None:
    """apply() encodes the caller's state: the texts and known points go into the tuple
    and come back unchanged."""
    sc = scenario(documents=[PLAN], timeline=_published())
    engine = Engine(sc)
    mid = engine.run(until=day("2025-11-12")).final
    after = engine.apply(mid, event("amend_point", "2025-11-13", document="plan", point="p2",
                                    text="sanctions at once")).state
    assert after.documents["plan"].texts == {"p2": "sanctions at once",
                                             "p3": "elections in 100 days"}
    assert after.documents["plan"].points == mid.documents["plan"].points
