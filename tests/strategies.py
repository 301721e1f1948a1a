"""Shared Hypothesis strategies for the engine's property tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from pydantic import TypeAdapter

from negotiation import Event, Scenario

EVENT: TypeAdapter[Event] = TypeAdapter(Event)
START = dt.date(2025, 11, 1)

PARTIES = ["a", "b", "c"]
DOCUMENTS = ["plan", "guarantees"]
DEADLINES = ["dl", "window", "option", "dflt", "sunset"]


def rich_scenario() -> Scenario:
    """Three parties, two documents (one gated on the other), every deadline kind, rules."""
    return Scenario.model_validate(
        {
            "id": "prop",
            "title": "property scenario",
            "start": START.isoformat(),
            "horizon": "2026-03-31",
            "parties": [
                {"id": "a", "name": "A", "bodies": [{"id": "parliament", "name": "P"}]},
                {"id": "b", "name": "B"},
                {"id": "c", "name": "C"},
            ],
            "documents": [
                {
                    "id": "plan",
                    "title": "Plan",
                    "requires_acceptance": ["a", "b"],
                    "ratification_by": ["a.parliament"],
                    "depends_on": [{"condition": "guarantees has reached agreed_in_principle"}],
                    "points": [
                        {"id": "term", "options": ["short", "long"]},
                        {"id": "share", "options": {"min": 0, "max": 2, "step": 0.5}},
                        {"id": "note"},
                    ],
                },
                {"id": "guarantees", "title": "Guarantees", "requires_acceptance": "unknown"},
            ],
            "relations": [{"source": "c", "kind": "supports", "target": "b"}],
            "facts": [{"id": "x"}, {"id": "y"}],
            "deadlines": [
                {
                    "id": "dl",
                    "set_by": "c",
                    "on": ["b"],
                    "due": "2025-11-27",
                    "requirement": "b accepts plan",
                    "consequence": {
                        "mode": "threatened",
                        "effects": [
                            {
                                "kind": "set_relation",
                                "source": "c",
                                "relation": "supports",
                                "target": "b",
                                "active": False,
                            }
                        ],
                    },
                },
                {
                    "id": "window",
                    "kind": "window",
                    "anchor": {"condition": "fact x"},
                    "earliest_days": 10,
                    "latest_days": 20,
                    "requirement": "fact y",
                },
                {
                    "id": "option",
                    "kind": "option",
                    "due": "2025-12-15",
                    "requirement": "a supports guarantees",
                },
                {
                    "id": "dflt",
                    "kind": "default",
                    "anchor": {"condition": "plan is proposed"},
                    "within_days": 7,
                    "requirement": "b opposes plan or b accepts plan",
                    "consequence": {"effects": [{"kind": "set_fact", "fact": "x"}]},
                },
                {
                    "id": "sunset",
                    "kind": "sunset",
                    "due": "2026-02-01",
                    "consequence": {
                        "effects": [
                            {"kind": "transition", "document": "guarantees", "trigger": "lapse"}
                        ]
                    },
                },
            ],
            "rules": [
                {
                    "id": "agree_plan",
                    "when": "all required parties accept plan and plan is not agreed_in_principle",
                    "then": [{"kind": "transition", "document": "plan", "trigger": "agree"}],
                },
                {
                    "id": "fact_held",
                    "when": "fact x has held for at least 5 days",
                    "then": [{"kind": "set_fact", "fact": "y"}],
                },
            ],
        }
    )


def _event_data(draw: st.DrawFn, day: dt.date, offers: bool = False) -> dict[str, Any]:
    if offers and draw(st.booleans()):
        return _offer_data(draw, draw(st.sampled_from(OFFER_KINDS)), day)
    kind = draw(
        st.sampled_from(
            [
                "propose",
                "revise",
                "submit_comments",
                "accept",
                "reject",
                "state_position",
                "sign",
                "ratify",
                "withdraw",
                "transition",
                "extend_deadline",
                "enforce_deadline",
                "waive_deadline",
                "drop_deadline",
                "set_fact",
                "clear_fact",
                "set_relation",
                *OFFER_KINDS,
            ]
        )
    )
    by = draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=2, unique=True))
    if kind in OFFER_KINDS:
        return _offer_data(draw, kind, day)
    doc = draw(st.sampled_from(DOCUMENTS))
    data: dict[str, Any] = {"kind": kind, "date": day.isoformat(), "by": by}
    if kind in (
        "propose",
        "revise",
        "submit_comments",
        "sign",
        "withdraw",
        "accept",
        "reject",
        "state_position",
    ):
        data["document"] = doc
    if kind == "state_position":
        data["stance"] = draw(st.sampled_from(["supports", "opposes", "undecided"]))
    if kind == "ratify":
        data.update(document="plan", by=[draw(st.sampled_from(["a.parliament", "b"]))])
    if kind == "transition":
        data.update(
            document=doc,
            trigger=draw(
                st.sampled_from(
                    ["agree", "negotiate", "enter_into_force", "breach", "terminate", "lapse"]
                )
            ),
        )
    if kind in ("extend_deadline", "enforce_deadline", "waive_deadline", "drop_deadline"):
        data["deadline"] = draw(st.sampled_from(DEADLINES))
    if kind == "extend_deadline":
        data["to"] = (day + dt.timedelta(days=draw(st.integers(1, 40)))).isoformat()
    if kind in ("set_fact", "clear_fact"):
        data["fact"] = draw(st.sampled_from(["x", "y"]))
    if kind == "set_relation":
        data.update(source="c", relation="supports", target="b", active=draw(st.booleans()))
    return data


OFFER_KINDS = ("offer", "counter", "accept_offer", "reject_offer", "walk_away")
PACKAGE_VALUES: dict[str, list[Any]] = {
    "term": ["short", "long", "medium"],  # "medium" is not an option: refused
    "share": [0, 0.5, 1.5, 2, 0.7],  # 0.7 is not an option: refused
    "note": ["anything"],  # "note" declares no options: refused
}


def _offer_data(draw: st.DrawFn, kind: str, day: dt.date) -> dict[str, Any]:
    """An offer-protocol move on ``plan`` (the document with options) by one party; a
    package now and then names a value or a point that is not an option; an offer now
    and then is a single text put to some of the other parties (``to``)."""
    data: dict[str, Any] = {
        "kind": kind, "date": day.isoformat(), "by": [draw(st.sampled_from(PARTIES))],
        "document": "plan",
    }
    if kind in ("offer", "counter"):
        points = draw(st.lists(st.sampled_from(["term", "share"]), min_size=1, max_size=2,
                               unique=True))
        if draw(st.integers(0, 9)) == 0:
            points.append("note")
        package = {}
        for p in points:
            values = PACKAGE_VALUES[p]
            valid = values if p == "note" else values[:-1]
            package[p] = draw(st.sampled_from(values if draw(st.integers(0, 9)) == 0 else valid))
        data["package"] = package
        others = [p for p in PARTIES if p != data["by"][0]]
        if kind == "offer" and draw(st.integers(0, 2)) == 0:  # a single text put to some
            data["to"] = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
    return data


PROGRESS: list[dict[str, Any]] = [
    {"kind": "propose", "by": ["c"], "document": "guarantees"},
    {"kind": "transition", "by": ["c"], "document": "guarantees", "trigger": "agree"},
    {"kind": "propose", "by": ["c"], "document": "plan"},
    {"kind": "accept", "by": ["a"], "document": "plan"},
    {"kind": "accept", "by": ["b"], "document": "plan"},
    {"kind": "sign", "by": ["a", "b"], "document": "plan"},
    {"kind": "ratify", "by": ["a.parliament"], "document": "plan"},
    {"kind": "transition", "by": ["a"], "document": "plan", "trigger": "enter_into_force"},
]
"""A path that reaches signing and entry into force; sequences start with a prefix of it
so that the properties about signing are exercised, not vacuous."""


@st.composite
def event_sequences(
    draw: st.DrawFn, max_size: int = 25, offers: bool = False
) -> list[Event]:
    """Dated events in non-decreasing date order over ``rich_scenario()``: a prefix of
    ``PROGRESS`` (one per day from the start) then random events (with ``offers``, half
    of them offer-protocol moves, so that offers meet answers)."""
    prefix = PROGRESS[: draw(st.integers(0, len(PROGRESS)))]
    offsets = sorted(draw(st.lists(st.integers(0, 140), min_size=1, max_size=max_size)))
    data = [{**p, "date": (START + dt.timedelta(days=i)).isoformat()} for i, p in enumerate(prefix)]
    data += [_event_data(draw, START + dt.timedelta(days=len(prefix) + o), offers)
             for o in offsets]
    return [EVENT.validate_python({**d, "id": f"e{i}"}) for i, d in enumerate(data)]


# -- bargaining: options and interests ----------------------------------------------------


@st.composite
def bargaining_scenarios(draw: st.DrawFn, max_parties: int = 3) -> Scenario:
    """One document with one to three points with options (labels or a numeric range),
    two or three parties with interests (random weights, values, delays and constant
    BATNAs), all labelled assumptions."""
    n_points = draw(st.integers(1, 3))
    points: list[dict[str, Any]] = []
    for k in range(n_points):
        if draw(st.booleans()):
            count = draw(st.integers(1, 4))
            points.append({"id": f"p{k}", "options": [f"o{j}" for j in range(count)]})
        else:
            steps = draw(st.integers(0, 4))
            points.append({"id": f"p{k}", "options": {"min": 0, "max": steps, "step": 1}})
    value = st.floats(0, 1, allow_nan=False)
    interests = []
    parties = [f"party{i}" for i in range(draw(st.integers(2, max_parties)))]
    for party in parties:
        valued: dict[str, Any] = {}
        for p in points:
            if not draw(st.booleans()) and valued:
                continue
            weight = draw(st.floats(0.1, 10, allow_nan=False))
            opts = p["options"]
            if isinstance(opts, list):
                valued[p["id"]] = {"weight": weight, "values": {o: draw(value) for o in opts}}
            elif draw(st.booleans()):
                worst, best = draw(st.sampled_from([(0, 4), (4, 0), (1, 3)]))
                valued[p["id"]] = {"weight": weight, "linear": {"worst": worst, "best": best}}
            else:
                ys = draw(st.lists(value, min_size=3, max_size=3))
                curve = [[0, ys[0]], [2, ys[1]], [4, ys[2]]]
                valued[p["id"]] = {"weight": weight, "piecewise": curve}
        delay = draw(
            st.sampled_from([None, {"per_day": 0.01}, {"discount": 0.95}, {"discount": 0.99}])
        )
        interests.append(
            {
                "party": party,
                "document": "deal",
                "points": valued,
                "delay": delay,
                "batna": draw(st.floats(0, 0.8, allow_nan=False)),
                "assumption": "generated for a property test",
            }
        )
    return Scenario.model_validate(
        {
            "id": "bargain",
            "title": "generated bargaining",
            "illustrative": True,
            "start": START.isoformat(),
            "horizon": "2025-12-31",
            "parties": [{"id": p, "name": p} for p in parties],
            "documents": [{"id": "deal", "title": "Deal", "points": points}],
            "interests": interests,
        }
    )


@st.composite
def world_scenarios(draw: st.DrawFn) -> Scenario:
    """A ``bargaining_scenarios`` deal that is proposed on the first day and agreed in
    principle by a rule once its first point is agreed (on one option, half the time: the
    world then depends on the package), a fact that holds from the start or from a
    drawn day, and interests that value the deal's state and the fact (random weights
    and values) beside the points."""
    base = draw(bargaining_scenarios())
    value = st.floats(0, 1, allow_nan=False)
    first = base.documents[0].points[0] if base.documents[0].points != "unknown" else None
    assert first is not None and first.options is not None
    condition = "deal.p0 is agreed"
    if isinstance(first.options, list) and draw(st.booleans()):
        condition += f" on {draw(st.sampled_from(first.options))}"
    since = draw(st.one_of(st.none(), st.integers(1, 40)))
    timeline: list[dict[str, Any]] = [
        {"id": "tabled", "kind": "propose", "date": START.isoformat(), "by": ["party0"],
         "document": "deal"},
    ]  # fmt: skip
    if since is not None:
        day = START + dt.timedelta(days=since)
        timeline.append({"id": "f_true", "kind": "set_fact", "date": day.isoformat(),
                         "by": ["party0"], "fact": "f"})  # fmt: skip
    interests = []
    for x in base.interests:
        data = x.model_dump(mode="json", exclude_none=True)
        if draw(st.booleans()):
            data["states"] = {"deal": {
                "weight": draw(st.floats(0.1, 5, allow_nan=False)),
                "values": {"agreed_in_principle": draw(value), "proposed": draw(value)},
            }}  # fmt: skip
        if draw(st.booleans()):
            data["facts"] = {"f": {"weight": draw(st.floats(0.1, 5, allow_nan=False)),
                                   "holds": draw(value), "otherwise": draw(value)}}  # fmt: skip
        interests.append(data)
    data = base.model_dump(mode="json", exclude_none=True)
    data |= {
        "facts": [{"id": "f", "initially": since is None}],
        "rules": [{"id": "agreed", "when": condition,
                   "then": [{"kind": "transition", "document": "deal", "trigger": "agree"}]}],
        "timeline": timeline,
        "interests": interests,
    }  # fmt: skip
    return Scenario.model_validate(data)


# -- participation: who takes part in a document and in the talks ----------------------

ACCORD_PARTIES = ["a", "b", "c"]


def participation_scenario(timeline: list[dict[str, Any]]) -> Scenario:
    """An accord in force between ``a`` and ``b`` (``c`` may join), with ``timeline``."""
    return Scenario.model_validate({
        "id": "participation", "title": "participation", "start": START.isoformat(),
        "horizon": (START + dt.timedelta(days=200)).isoformat(),
        "parties": [{"id": p, "name": p.upper()} for p in ACCORD_PARTIES],
        "documents": [{"id": "accord", "title": "Accord", "requires_acceptance": ["a", "b"],
                       "initial_state": "in_force"}],
        "facts": [{"id": "calm"}],
        "timeline": timeline,
    })


@st.composite
def participation_timelines(draw: st.DrawFn, max_size: int = 20) -> list[dict[str, Any]]:
    """Dated participation events (join, leave now or later, suspend, readmit, exclude
    until a fact, readmit to the talks) mixed with moves they may bar (accept) and the
    fact an exclusion waits for."""
    offsets = sorted(draw(st.lists(st.integers(0, 150), min_size=1, max_size=max_size)))
    out = []
    for i, o in enumerate(offsets):
        date = (START + dt.timedelta(days=o)).isoformat()
        party = draw(st.sampled_from(ACCORD_PARTIES))
        other = draw(st.sampled_from(ACCORD_PARTIES))
        kind = draw(st.sampled_from(
            ["join", "leave", "leave_later", "suspend", "readmit", "exclude", "readmit_talks",
             "accept", "set_fact", "clear_fact"]))
        base: dict[str, Any] = {"id": f"p{i}", "date": date}
        if kind == "leave_later":
            days = draw(st.integers(1, 60))
            out.append({**base, "kind": "leave", "by": [party], "document": "accord",
                        "effective_after_days": days})
        elif kind in ("join", "leave", "accept"):
            out.append({**base, "kind": kind, "by": [party], "document": "accord"})
        elif kind in ("suspend", "readmit"):
            out.append({**base, "kind": kind, "by": [other], "party": party,
                        "document": "accord"})
        elif kind == "exclude":
            until = draw(st.sampled_from([None, "fact calm"]))
            out.append({**base, "kind": "exclude", "by": [other], "party": party,
                        "until": until})
        elif kind == "readmit_talks":
            out.append({**base, "kind": "readmit", "by": [other], "party": party})
        else:
            out.append({**base, "kind": kind, "fact": "calm"})
    return out
