"""Unknown facts: conditions in Kleene's three-valued logic. The compiled closures agree
with ``conditions.value``; the Kleene laws hold; an unknown never makes a guard pass."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine, Scenario
from negotiation import conditions as cond
from tests.conftest import ev, run

FACTS = ("x", "y", "z")
Value = bool | None


def _scenario(values: dict[str, Value], guard: str | None = None) -> Scenario:
    facts = [{"id": f, "initially": "unknown" if v is None else v} for f, v in values.items()]
    doc: dict[str, Any] = {"id": "plan", "title": "Plan", "initial_state": "agreed_in_principle"}
    if guard is not None:
        doc["depends_on"] = [{"condition": guard}]
    return Scenario.model_validate({
        "id": "t", "title": "t", "start": "2025-11-01", "horizon": "2025-11-30",
        "parties": [{"id": "a", "name": "A"}], "facts": facts, "documents": [doc],
        "timeline": [ev("sign", "2025-11-02", by=["a"], document="plan")],
    })


def conditions() -> st.SearchStrategy[str]:
    atom = st.sampled_from([f"fact {f}" for f in FACTS] + [f"fact {f} is false" for f in FACTS]
                           + ["true", "false"])
    return st.recursive(atom, lambda inner: st.one_of(
        inner.map(lambda c: f"not ({c})"),
        st.tuples(inner, inner).map(lambda ab: f"({ab[0]}) and ({ab[1]})"),
        st.tuples(inner, inner).map(lambda ab: f"({ab[0]}) or ({ab[1]})"),
    ), max_leaves=6)


values = st.fixed_dictionaries({f: st.sampled_from([True, False, None]) for f in FACTS})


def _value(engine: Engine, text: str) -> Value:
    return cond.value(engine.parse(text), engine.view(engine.initial_state()))


@settings(max_examples=60, deadline=None)
@given(text=conditions(), vals=values)
def test_the_compiled_closure_agrees_with_the_reference(text: str, vals: dict[str, Value]) -> None:
    engine = Engine(_scenario(vals))
    node = engine.parse(text)
    state = engine.initial_state()
    w, _ = engine.runtime.encode_state(state)
    assert engine.runtime.pred3(node)(w) is cond.value(node, engine.view(state))
    assert engine.evaluate(node, state) is (cond.value(node, engine.view(state)) is True)


@settings(max_examples=60, deadline=None)
@given(a=conditions(), b=conditions(), vals=values)
def test_kleene_laws(a: str, b: str, vals: dict[str, Value]) -> None:
    engine = Engine(_scenario(vals))

    def v(text: str) -> Value:
        return _value(engine, text)

    assert v(f"not (({a}) and ({b}))") is v(f"(not ({a})) or (not ({b}))")  # De Morgan
    assert v(f"not (({a}) or ({b}))") is v(f"(not ({a})) and (not ({b}))")
    assert v(f"not (not ({a}))") is v(a)
    assert v(f"({a}) and ({b})") is v(f"({b}) and ({a})")
    assert v(f"({a}) or not ({a})") in (True, None)  # no excluded middle for unknowns
    assert v(f"({a}) and false") is False and v(f"({a}) or true") is True


@settings(max_examples=60, deadline=None)
@given(text=conditions(), vals=values)
def test_unknown_never_makes_a_guard_pass(text: str, vals: dict[str, Value]) -> None:
    """The sign goes through only if the guard holds however the unknowns turn out."""
    trace = run(_scenario(vals, guard=text))
    signed = trace.final.documents["plan"].state == "signed"
    unknown = [f for f, v in vals.items() if v is None]
    completions = [
        {**vals, **dict(zip(unknown, bits, strict=True))}
        for bits in itertools.product([True, False], repeat=len(unknown))
    ]
    if signed:
        assert all(_value(Engine(_scenario(c)), text) is True for c in completions)
    value = _value(Engine(_scenario(vals)), text)
    assert signed is (value is True)
    if value is None:
        entry = next(e for e in trace.entries if e.event_kind == "sign")
        assert entry.kind == "blocked"
        assert "unknown" in " ".join(entry.reasons)


@pytest.mark.parametrize(("text", "value"), [
    ("not fact x", None),
    ("fact x and false", False),
    ("fact x and true", None),
    ("fact x or true", True),
    ("fact x or false", None),
    ("fact x is unknown", True),
    ("not (fact x is unknown)", False),
    ("fact x is false", None),
    ("fact y or fact x", True),
])
def test_the_truth_tables(text: str, value: Value) -> None:
    engine = Engine(_scenario({"x": None, "y": True, "z": False}))
    assert _value(engine, text) is value


def test_the_explanation_says_unknown() -> None:
    engine = Engine(_scenario({"x": None, "y": True, "z": False}))
    state = engine.initial_state()
    assert engine.explain("fact x and fact y", state) == ["fact x: unknown, fact x is unknown"]
    assert engine.explain("not fact x", state) == [
        "expected not (fact x), but it is unknown: fact x: unknown, fact x is unknown"]
    assert engine.explain("fact x or fact z", state) == [
        "none of the alternatives holds: fact x: unknown, fact x is unknown; "
        "fact z: no, fact z is false"]


def test_events_make_a_fact_unknown_and_known_again() -> None:
    sc = _scenario({"x": True, "y": False, "z": False}).model_copy(update={"timeline": []})
    data = sc.model_dump(by_alias=True)
    data["timeline"] = [ev("unknown_fact", "2025-11-03", fact="x"),
                        ev("clear_fact", "2025-11-05", fact="x")]
    trace = run(Scenario.model_validate(data), until="2025-11-04")
    assert trace.final.unknown_facts == ("x",) and "x" not in trace.final.facts
    change = next(c for e in trace.entries for c in e.changes)
    assert (change.what, change.before, change.after) == ("fact x", "true", "unknown")
    later = run(Scenario.model_validate(data)).final
    assert later.unknown_facts == () and "x" not in later.facts
    assert "unknown_facts" not in later.model_dump()
