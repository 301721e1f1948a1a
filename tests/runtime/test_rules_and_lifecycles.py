"""Reactive rules, declared lifecycles, guards, ratification by bodies, the public API."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

import negotiation
from negotiation import Engine, LifecycleSpec, RuleLoopError, ScenarioError
from negotiation.model.lifecycles import DEFAULT_DOCUMENT_LIFECYCLE
from negotiation.runtime.lifecycles import Lifecycle
from tests.conftest import ev, event, run, scenario


def test_once_rule_fires_once_and_each_rule_each_time() -> None:
    rules = [
        {
            "id": "once",
            "when": "fact x",
            "then": [{"kind": "set_point", "document": "plan", "point": "p", "status": "agreed"}],
        },
        {
            "id": "each",
            "when": "fact x",
            "mode": "each",
            "then": [
                {"kind": "state_position", "by": ["b"], "document": "plan", "stance": "supports"}
            ],
        },
    ]
    timeline = [
        ev("set_fact", "2025-11-02", fact="x"),
        ev("clear_fact", "2025-11-03", fact="x"),
        ev("state_position", "2025-11-03", by="b", document="plan", stance="opposes"),
        ev("set_fact", "2025-11-04", fact="x"),
    ]
    sc = scenario(
        rules=rules,
        timeline=timeline,
        horizon="2025-11-30",
        documents=[{"id": "plan", "title": "P", "points": [{"id": "p"}]}],
    )
    trace = run(sc)
    fired = [e.ref for e in trace.entries if e.kind == "rule"]
    assert fired == ["once", "each", "each"]
    assert trace.final.rules["once"].fired == 1
    assert trace.final.rules["each"].fired == 2
    assert trace.final.stance("b", "plan") == "supports"
    # the event's entry names the rules it set off
    first = next(e for e in trace.entries if e.kind == "event")
    assert first.fired == ("once", "each")


def test_rules_fire_in_priority_then_declaration_order() -> None:
    rules = [
        {
            "id": "second",
            "when": "fact x",
            "priority": 2,
            "then": [{"kind": "set_fact", "fact": "y"}],
        },
        {
            "id": "first",
            "when": "fact x",
            "priority": 1,
            "then": [{"kind": "clear_fact", "fact": "y"}],
        },
    ]
    trace = run(
        scenario(
            rules=rules, timeline=[ev("set_fact", "2025-11-02", fact="x")], horizon="2025-11-30"
        )
    )
    assert [e.ref for e in trace.entries if e.kind == "rule"] == ["first", "second"]
    assert "y" in trace.final.facts


def test_endless_rules_are_an_error_not_a_hang() -> None:
    rules = [
        {
            "id": "on",
            "mode": "each",
            "when": "not fact x",
            "then": [{"kind": "set_fact", "fact": "x"}],
        },
        {
            "id": "off",
            "mode": "each",
            "when": "fact x",
            "then": [{"kind": "clear_fact", "fact": "x"}],
        },
    ]
    with pytest.raises(RuleLoopError, match="did not settle"):
        Engine(scenario(rules=rules)).initial_state()


def test_time_based_rule_fires_without_an_event() -> None:
    rules = [
        {
            "id": "held",
            "when": "fact x has held for at least 60 days",
            "then": [{"kind": "set_fact", "fact": "y"}],
        }
    ]
    sc = scenario(
        rules=rules, timeline=[ev("set_fact", "2025-11-02", fact="x")], horizon="2026-03-01"
    )
    trace = run(sc)
    entry = next(e for e in trace.entries if e.kind == "rule")
    assert entry.date.isoformat() == "2026-01-01"
    assert trace.final.facts["y"].isoformat() == "2026-01-01"


def _custom() -> dict[str, Any]:
    return {
        "id": "contract",
        "states": ["draft", "tabled", "voted", "void"],
        "initial": "draft",
        "transitions": [
            {"trigger": "table", "source": "draft", "dest": "tabled"},
            {
                "trigger": "vote",
                "source": "tabled",
                "dest": "voted",
                "guard": "fact x",
                "assumption": "a vote needs a quorum",
            },
            {"trigger": "annul", "source": ["draft", "tabled"], "dest": "void"},
        ],
        "absorbing": ["voted", "void"],
    }


def test_declared_lifecycle_driven_by_generic_transition() -> None:
    timeline = [
        ev("transition", "2025-11-02", by="a", document="c", trigger="table"),
        ev("transition", "2025-11-03", by="a", document="c", trigger="vote"),
        ev("set_fact", "2025-11-04", fact="x"),
        ev("transition", "2025-11-05", by="a", document="c", trigger="vote"),
        ev("transition", "2025-11-06", by="a", document="c", trigger="annul"),
    ]
    sc = scenario(
        lifecycles=[_custom()],
        timeline=timeline,
        horizon="2025-11-30",
        documents=[{"id": "c", "title": "C", "lifecycle": "contract"}],
    )
    trace = run(sc)
    kinds = [(e.kind, e.date.day) for e in trace.entries]
    assert kinds == [("event", 2), ("blocked", 3), ("event", 4), ("event", 5), ("blocked", 6)]
    blocked = [e for e in trace.entries if e.kind == "blocked"]
    assert "guarded" in blocked[0].reasons[0] and "fact x" in blocked[0].reasons[0]
    assert "final state" in blocked[1].reasons[0]
    assert trace.final.documents["c"].state == "voted"
    assert ("lifecycle contract vote", "a vote needs a quorum") in Engine(sc).assumptions()


def test_bad_lifecycles_are_refused() -> None:
    with pytest.raises(ValueError, match="has outgoing transitions"):
        LifecycleSpec.model_validate({**_custom(), "absorbing": ["tabled"]})
    with pytest.raises(ValueError, match="initial state"):
        LifecycleSpec.model_validate({**_custom(), "initial": "nowhere"})
    with pytest.raises(ScenarioError, match="unknown lifecycle 'contrat'"):
        Engine(
            scenario(
                lifecycles=[_custom()],
                documents=[{"id": "c", "title": "C", "lifecycle": "contrat"}],
            )
        )


def test_table_agrees_with_machine_on_default_lifecycle() -> None:
    lc = Lifecycle(DEFAULT_DOCUMENT_LIFECYCLE)
    for state in lc.spec.states:
        for trigger in lc.triggers:
            assert lc.lookup(state, trigger) == lc.ask_machine(state, trigger)
            assert lc.fire(state, trigger) == lc.ask_machine(state, trigger)


def test_ratification_needs_every_listed_body() -> None:
    sc = scenario(
        parties=[
            {
                "id": "a",
                "name": "A",
                "bodies": [{"id": "lower", "name": "L"}, {"id": "upper", "name": "U"}],
            },
            {"id": "b", "name": "B"},
        ],
        documents=[
            {
                "id": "plan",
                "title": "P",
                "requires_acceptance": ["a", "b"],
                "ratification_by": ["a.lower", "a.upper"],
                "initial_state": "signed",
            }
        ],
        timeline=[
            ev("ratify", "2025-11-02", by="b", document="plan"),
            ev("ratify", "2025-11-03", by="a.lower", document="plan"),
            ev("ratify", "2025-11-04", by="a.upper", document="plan"),
        ],
        horizon="2025-11-30",
    )
    trace = run(sc)
    assert [e.kind for e in trace.entries] == ["blocked", "event", "event"]
    assert "not among plan's ratifiers" in trace.entries[0].reasons[0]
    assert trace.entries[1].changes[0].what == "document plan ratified by"
    assert trace.final.documents["plan"].state == "ratified"
    assert trace.final.documents["plan"].ratified_by == ("a.lower", "a.upper")


def test_document_dependency_blocks_signing_with_reason() -> None:
    sc = scenario(
        documents=[
            {
                "id": "plan",
                "title": "P",
                "requires_acceptance": "unknown",
                "initial_state": "agreed_in_principle",
                "depends_on": [
                    {
                        "condition": "guarantees has reached agreed_in_principle",
                        "reason": "guarantees first",
                    }
                ],
            },
            {"id": "guarantees", "title": "G"},
        ],
    )
    engine = Engine(sc)
    state = engine.initial_state()
    reasons = engine.check(state, event("sign", "2025-11-02", by=["a"], document="plan"))
    assert reasons == [
        "plan depends on: guarantees first (guarantees has reached "
        "agreed_in_principle: no, guarantees has not reached "
        "agreed_in_principle (it is drafted))"
    ]
    proposed = engine.apply(state, event("propose", "2025-11-02", document="guarantees")).state
    agreed = engine.apply(
        proposed, event("transition", "2025-11-02", document="guarantees", trigger="agree")
    ).state
    assert agreed.documents["guarantees"].state == "agreed_in_principle"
    assert engine.apply(agreed, event("propose", "2025-11-02", document="guarantees")).blocked
    step = engine.apply(agreed, event("sign", "2025-11-03", by=["a"], document="plan"))
    assert not step.blocked
    assert "unknown: not checked" in step.entry.reasons[0]


def test_public_api_is_pinned() -> None:
    assert sorted(negotiation.__all__) == sorted(
        [
            "Anchor",
            "Attribution",
            "Body",
            "Branch",
            "Change",
            "ClaimStatus",
            "ConditionError",
            "ConditionalExtension",
            "Consequence",
            "Deadline",
            "DeadlineKind",
            "DeadlineStatus",
            "Document",
            "Engine",
            "Event",
            "Expectation",
            "FactSpec",
            "FuzzyDate",
            "Guard",
            "Invariant",
            "Lifecycle",
            "LifecycleSpec",
            "MoveError",
            "NegotiationError",
            "Party",
            "PartyKind",
            "Person",
            "Point",
            "PointStatus",
            "Position",
            "Relation",
            "RelationKind",
            "Rule",
            "RuleLoopError",
            "Scenario",
            "ScenarioError",
            "SessionError",
            "Source",
            "SourceKind",
            "Stance",
            "State",
            "StepResult",
            "Trace",
            "TraceEntry",
            "TransitionSpec",
            "__version__",
            "evaluate",
            "explain",
            "load_scenario",
            "parse",
        ]
    )
    for name in negotiation.__all__:
        assert hasattr(negotiation, name), name


def test_the_names_imported_on_first_use_are_the_type_checked_ones() -> None:
    """``negotiation/__init__.py`` imports its names on first use (a table) and for the
    type checker (``if TYPE_CHECKING:``): the two lists must agree."""
    tree = ast.parse(Path(negotiation.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If))
    typed = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == negotiation._EXPORTS
    assert set(negotiation.__all__) == {*typed, "__version__"}


def test_errors_share_one_root() -> None:
    for name in ("ConditionError", "MoveError", "RuleLoopError", "ScenarioError", "SessionError"):
        assert issubclass(getattr(negotiation, name), negotiation.NegotiationError)


def test_state_is_frozen() -> None:
    state = Engine(scenario()).initial_state()
    with pytest.raises(ValueError, match="frozen"):
        state.date = state.date  # type: ignore[misc]


def test_run_reports_the_first_violation_of_each_invariant() -> None:
    sc = scenario(
        invariants=[{"id": "no_y", "never": "fact y"}, {"id": "fine", "always": "true"}],
        timeline=[ev("set_fact", "2025-11-05", fact="y"), ev("set_fact", "2025-11-09", fact="x")],
        horizon="2025-11-30",
    )
    trace = run(sc)
    (violation,) = trace.violations
    assert violation.invariant == "no_y"
    assert violation.date.isoformat() == "2025-11-05"
    assert "fact y" in violation.reasons[0]
    assert not trace.ok
    assert run(scenario(invariants=[{"id": "no_y", "never": "fact y"}], horizon="2025-11-30")).ok


def test_assumptions_on_documents_parties_and_points_are_listed() -> None:
    sc = scenario(
        parties=[{"id": "a", "name": "A", "assumption": "A acts as one"}, {"id": "b", "name": "B"}],
        documents=[
            {
                "id": "plan",
                "title": "P",
                "assumption": "the third text is this one",
                "points": [{"id": "p", "assumption": "p is about borders"}],
            }
        ],
    )
    listed = Engine(sc).assumptions()
    assert ("party a", "A acts as one") in listed
    assert ("document plan", "the third text is this one") in listed
    assert ("point plan.p", "p is about borders") in listed
