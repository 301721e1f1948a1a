"""A decision point whose condition turns true with the date alone is taken that day."""

from __future__ import annotations

import datetime as dt

from negotiation.loader import load_scenario, resolve
from negotiation.runtime.space import Space
from negotiation.search.explore import explore
from tests.conftest import expansion


def _walk(choose: dict[str, str]) -> list[tuple[dt.date, str, str]]:
    space = Space(load_scenario("ukraine-2025-12-decisions"))
    node = space.initial()[0]
    taken = []
    while True:
        edges = expansion(space, node).edges
        if not edges:
            return taken
        pick = next((e for e in edges if e.option in choose.values()), edges[0])
        if pick.option is not None and pick.decision is not None:
            taken.append((node.state.date, pick.decision, pick.option))
        node = pick.node


def test_date_triggered_decision_is_taken_the_day_after_christmas() -> None:
    taken = _walk(
        {"ukraine_before_christmas": "keeps_negotiating", "us_after_christmas": "extend_again"}
    )
    assert taken == [
        (dt.date(2025, 12, 20), "ukraine_before_christmas", "keeps_negotiating"),
        (dt.date(2025, 12, 26), "us_after_christmas", "extend_again"),
    ]


def test_every_branch_of_the_seed_decisions_is_reached() -> None:
    result = explore(load_scenario(str(resolve("ukraine-2025-12-decisions"))))
    labels = {o.label.rsplit(", ", 1)[-1] for o in result.outcomes}
    assert {
        "thanksgiving_deadline met",
        "thanksgiving_deadline missed",
        "thanksgiving_deadline enforced",
        "thanksgiving_deadline waived",
    } <= labels
    assert not result.violations
