"""Events with ``if`` / ``unless``: skipped (not refused) when their condition says so,
with the reason in the trace; the same in runs, steps, rules' effects and the explorer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from negotiation import Engine, Event, Scenario
from negotiation.model.errors import ScenarioError
from negotiation.search.explore import explore
from tests.conftest import ev, event, run, scenario


def _with(timeline: list[dict[str, object]], **parts: object) -> Scenario:
    return scenario(timeline=timeline, horizon="2025-11-30", **parts)


def test_an_event_whose_if_fails_is_skipped_with_the_reason() -> None:
    trace = run(_with([ev("propose", "2025-11-03", by=["a"], document="plan", **{"if": "fact x"})]))
    (entry,) = [e for e in trace.entries if e.ref is None and e.event_kind == "propose"]
    assert entry.kind == "skipped"
    assert entry.reasons == ("if fact x: no (fact x: no, fact x is false)",)
    assert trace.final.documents["plan"].state == "drafted"


def test_an_event_whose_if_holds_is_applied() -> None:
    trace = run(_with([
        ev("set_fact", "2025-11-02", fact="x"),
        ev("propose", "2025-11-03", by=["a"], document="plan", **{"if": "fact x"}),
    ]))
    assert trace.final.documents["plan"].state == "proposed"
    assert [e.kind for e in trace.entries if e.event_kind == "propose"] == ["event"]


def test_unless_skips_when_its_condition_holds() -> None:
    trace = run(_with([
        ev("set_fact", "2025-11-02", fact="x"),
        ev("propose", "2025-11-03", by=["a"], document="plan", unless="fact x"),
    ]))
    (entry,) = [e for e in trace.entries if e.event_kind == "propose"]
    assert entry.kind == "skipped"
    assert entry.reasons == ("unless fact x: it holds",)
    assert trace.final.documents["plan"].state == "drafted"


def test_a_skipped_event_is_not_blocked_and_the_clock_still_moves() -> None:
    engine = Engine(_with([]))
    state = engine.initial_state()
    step = engine.apply(state, _event("propose", "2025-11-09", **{"if": "fact y"}))
    assert not step.blocked
    assert step.entry.kind == "skipped"
    assert step.state.date.isoformat() == "2025-11-09"
    assert step.state.documents == state.documents


def test_a_rules_effect_may_be_conditional() -> None:
    rules = [{
        "id": "r", "when": "fact x",
        "then": [
            {"kind": "propose", "by": ["a"], "document": "plan", "unless": "fact y"},
            {"kind": "set_fact", "fact": "y"},
        ],
    }]
    trace = run(_with([
        ev("set_fact", "2025-11-02", fact="y"),
        ev("set_fact", "2025-11-03", fact="x"),
    ], rules=rules))
    skipped = [e for e in trace.entries if e.kind == "skipped"]
    assert [(e.event_kind, e.cause) for e in skipped] == [("propose", "r")]
    assert trace.final.documents["plan"].state == "drafted"


def test_the_explorer_sees_the_skip() -> None:
    both = _with([
        {"id": "maybe_x", "kind": "set_fact", "date": "2025-11-02", "fact": "x"},
        ev("propose", "2025-11-03", by=["a"], document="plan", **{"if": "fact x"}),
    ], branches=[{"id": "no_x", "remove": ["maybe_x"]}])
    found = explore(both)
    assert found.complete
    labels = {o.label for o in found.outcomes}
    assert any("plan proposed" in label for label in labels), labels
    assert any("plan proposed" not in label for label in labels), labels


def test_a_condition_that_names_nothing_known_is_a_located_problem() -> None:
    try:
        Engine(_with([ev("propose", "2025-11-03", by=["a"], document="plan",
                         **{"if": "fact nope"})]))
    except ScenarioError as e:
        text = str(e)
        assert "timeline" in text and "if" in text and "nope" in text, text
    else:  # pragma: no cover - the check must refuse it
        raise AssertionError("an unknown fact in 'if' was accepted")


@given(st.booleans(), st.booleans(), st.booleans())
def test_applied_exactly_when_if_holds_and_unless_does_not(
    x: bool, y: bool, use_unless: bool
) -> None:
    timeline: list[dict[str, object]] = []
    if x:
        timeline.append(ev("set_fact", "2025-11-02", fact="x"))
    if y:
        timeline.append(ev("set_fact", "2025-11-02", fact="y"))
    extra: dict[str, object] = {"if": "fact x"}
    if use_unless:
        extra["unless"] = "fact y"
    timeline.append(ev("propose", "2025-11-03", by=["a"], document="plan", **extra))
    trace = run(_with(timeline))
    applied = x and not (use_unless and y)
    assert (trace.final.documents["plan"].state == "proposed") == applied
    kinds = [e.kind for e in trace.entries if e.event_kind == "propose"]
    assert kinds == (["event"] if applied else ["skipped"])


def _event(kind: str, date: str, **fields: object) -> Event:
    return event(kind, date, by=["a"], document="plan", **fields)
