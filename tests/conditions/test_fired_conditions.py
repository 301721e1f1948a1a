"""``rule R has fired [N times]`` and ``deadline X has fired``: what analysts assert about
a run. Whether a rule fired is state; how often is the run's history, so counts are for
``expect`` only (and a located error elsewhere)."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import Engine, Scenario
from negotiation.model.errors import ConditionError, ScenarioError
from tests.conftest import ev, run, scenario


def _scenario(expect: list[dict[str, Any]], **more: Any) -> Scenario:
    rules = [
        {"id": "ring", "when": "fact x", "then": [{"kind": "statement"}], "mode": "each"},
        {"id": "echo", "when": "rule ring has fired", "then": [{"kind": "set_fact", "fact": "y"}]},
    ]
    timeline = [ev("set_fact", "2025-11-05", fact="x"), ev("clear_fact", "2025-11-06", fact="x"),
                ev("set_fact", "2025-11-07", fact="x")]
    reply = {"id": "reply", "due": "2025-11-20", "requirement": "plan is signed"}
    return scenario(rules=rules, timeline=timeline, horizon="2025-11-30", expect=expect,
                    deadlines=[reply], **more)


@pytest.mark.parametrize(("at", "that", "ok"), [
    ("2025-11-04", "rule ring has fired", False),
    ("2025-11-04", "rule ring has fired 0 times", True),
    ("2025-11-05", "rule ring has fired once", True),
    ("2025-11-06", "rule ring has fired 1 time", True),
    ("2025-11-07", "rule ring has fired 2 times", True),
    ("2025-11-07", "rule ring has fired at least 2 times", True),
    ("2025-11-07", "rule ring has fired more than 2 times", False),
    ("2025-11-07", "rule ring has fired less than 2 times", False),
    ("2025-11-07", "rule echo has fired once and fact y", True),
    ("2025-11-19", "deadline reply has fired", False),
    ("2025-11-20", "deadline reply has fired", True),
])
def test_fired_expectations(at: str, that: str, ok: bool) -> None:
    trace = run(_scenario([{"at": at, "that": that}]))
    assert [x.ok for x in trace.expectations] == [ok]


def test_a_failed_count_says_how_often_it_fired() -> None:
    trace = run(_scenario([{"at": "2025-11-07", "that": "rule ring has fired 3 times"}]))
    assert trace.expectations[0].reasons == (
        "rule ring has fired 3 times: no, rule ring has fired 2 times",)


def test_the_engine_reads_counts_from_a_state() -> None:
    sc = _scenario([])
    engine = Engine(sc)
    final = engine.run().final
    assert engine.evaluate("rule ring has fired 2 times", final)
    assert engine.evaluate("rule ring has fired", final)
    assert not engine.evaluate("rule ring has fired once", final)


@pytest.mark.parametrize("where", ["rules", "invariants"])
def test_counts_outside_expect_are_a_located_error(where: str) -> None:
    counted = "rule ring has fired 2 times"
    rules = [{"id": "ring", "when": "fact x", "then": [{"kind": "statement"}]}]
    if where == "rules":
        extra: dict[str, Any] = {
            "rules": [*rules, {"id": "r2", "when": counted, "then": [{"kind": "statement"}]}]}
    else:
        extra = {"rules": rules, "invariants": [{"id": "i", "never": counted}]}
    with pytest.raises(ScenarioError, match="known to a run's checks only; ask it in expect"):
        Engine(scenario(**extra))


@pytest.mark.parametrize(("text", "message"), [
    ("rule rung has fired", "unknown rule 'rung'"),
    ("rule ring has fired at least", "expected a number of times"),
    ("rule ring has fired 2", "expected 'times'"),
    ("deadline reply has failed", "expected 'is', got 'has'"),
])
def test_bad_fired_conditions(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        Engine(_scenario([])).parse(text)
