"""search.orders: groups of overlapping dates, the orders their days allow, and which
conclusions depend on them."""

from __future__ import annotations

import math

import pytest

from negotiation import Engine
from negotiation.search.orders import date_orders, group_orders, overlap_groups
from tests.conftest import ev, scenario


def _names(engine: Engine) -> list[list[str]]:
    return [[p.name for p in g] for g in overlap_groups(engine.timeline())]


def test_exact_days_alone_form_no_group() -> None:
    sc = scenario(timeline=[ev("set_fact", "2025-11-02", fact="x", id="a"),
                            ev("set_fact", "2025-11-02", fact="y", id="b")])
    assert _names(Engine(sc)) == []


def test_a_range_groups_the_events_inside_it_and_exact_days_keep_their_order() -> None:
    sc = scenario(timeline=[
        ev("set_fact", "2025-11-02..2025-11-09", fact="x", id="r"),
        ev("set_fact", "2025-11-03", fact="y", id="d1"),
        ev("clear_fact", "2025-11-05", fact="y", id="d2"),
        ev("set_fact", "2025-11-20", fact="y", id="later"),
    ])
    engine = Engine(sc)
    (group,) = overlap_groups(engine.timeline())
    assert [p.name for p in group] == ["r", "d1", "d2"]
    orders = [[p.name for p, _ in o] for o in group_orders(group)]
    assert orders == [["r", "d1", "d2"], ["d1", "r", "d2"], ["d1", "d2", "r"]]
    days = {tuple(p.name for p, _ in o): [d.day for _, d in o] for o in group_orders(group)}
    assert days[("d1", "d2", "r")] == [3, 5, 5]


def test_three_mutually_overlapping_ranges_give_every_permutation() -> None:
    sc = scenario(timeline=[
        ev("set_fact", "2025-11-02..2025-11-09", fact="x", id=f"e{k}") for k in range(3)
    ])
    (group,) = overlap_groups(Engine(sc).timeline())
    assert sum(1 for _ in group_orders(group)) == math.factorial(3)


def test_a_conclusion_that_depends_on_the_order_is_explained() -> None:
    sc = scenario(
        timeline=[
            ev("propose", "2025-11-01", by=["a"], document="plan"),
            ev("set_fact", "2025-11-03..2025-11-10", fact="x", id="opens"),
            ev("accept", "2025-11-05", by=["b"], document="plan", id="accepts",
               **{"if": "fact x"}),
        ],
        expect=[{"at": "2025-11-30", "that": "b accepts plan"}],
    )
    found = date_orders(Engine(sc))
    assert len(found.orderings) == 2 and not found.bound_hit
    (dep,) = [c for c in found.dependent() if c.text.startswith("expectation")]
    assert dep.holds == 1
    assert found.explanations[dep.text] == "fails when accepts comes before opens"


def test_the_bound_is_reported() -> None:
    sc = scenario(timeline=[
        ev("set_fact", "2025-11-02..2025-11-09", fact="x", id=f"e{k}") for k in range(4)
    ])
    found = date_orders(Engine(sc), max_orderings=5)
    assert len(found.orderings) == 5 and found.bound_hit
    assert date_orders(Engine(sc), max_orderings=24).bound_hit is False
    with pytest.raises(ValueError, match="at least 1"):
        date_orders(Engine(sc), max_orderings=0)


def test_the_identity_order_is_the_plain_run() -> None:
    """The first ordering places every event at its earliest day: the same run as run()."""
    sc = scenario(timeline=[
        ev("propose", "2025-11-01..2025-11-04", by=["a"], document="plan", id="p"),
        ev("accept", "2025-11-02", by=["b"], document="plan", id="acc"),
    ])
    engine = Engine(sc)
    found = date_orders(engine)
    plain = engine.run()
    first = {c.text: c.held[0] for c in found.conclusions}
    assert first[f"plan ends {plain.final.documents['plan'].state}"] is True
