"""Property tests of participation (Hypothesis): standings change only by the events
and the clock entries that name the party, a withdrawn party does not participate until
it joins again or is readmitted, and the document's own state is never touched."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from negotiation import Engine
from tests.strategies import ACCORD_PARTIES, participation_scenario, participation_timelines

INITIAL = {"a": "party", "b": "party", "c": "not a party"}
BACK = {"join", "readmit"}


@settings(max_examples=120, deadline=None)
@given(participation_timelines())
def test_standings_chain_and_the_document_stays_in_force(timeline: list[dict[str, Any]]) -> None:
    engine = Engine(participation_scenario(timeline))
    trace = engine.run()
    standing = dict(INITIAL)
    for entry in trace.entries:
        for c in entry.changes:
            assert c.what != "document accord"  # the document's own state never moves
            party, _, where = c.what.partition(" in ")
            if where != "accord":
                continue
            assert c.before == standing[party]  # nothing else changed it in between
            if c.before == "withdrawn":
                assert entry.event_kind in BACK and c.after == "party"
            if c.after == "withdrawn" and entry.kind == "participation":
                assert c.before == "leaving"
            standing[party] = str(c.after)
    final = trace.final
    assert final.documents["accord"].state == "in_force"
    for party in ACCORD_PARTIES:
        participates = engine.evaluate(f"{party} participates in accord", final)
        assert participates == (standing[party] in ("party", "leaving"))
        withdrawn = engine.evaluate(f"{party} has withdrawn from accord", final)
        assert withdrawn == (standing[party] == "withdrawn")


@settings(max_examples=120, deadline=None)
@given(participation_timelines())
def test_a_barred_party_never_gets_an_accept_through(timeline: list[dict[str, Any]]) -> None:
    engine = Engine(participation_scenario(timeline))
    trace = engine.run()
    standing = dict(INITIAL)
    excluded: set[str] = set()
    for entry in trace.entries:
        for c in entry.changes:
            party, _, where = c.what.partition(" in ")
            if where == "accord":
                standing[party] = str(c.after)
            elif where == "the talks":
                (excluded.add if c.after == "excluded" else excluded.discard)(party)
        if entry.event_kind == "accept" and entry.kind == "event":
            (who,) = entry.by
            assert who not in excluded
            assert standing[who] not in ("suspended", "withdrawn")
