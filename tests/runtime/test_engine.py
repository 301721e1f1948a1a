from __future__ import annotations

import datetime as dt

from negotiation import Engine, Scenario, load_scenario


def _scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "id": "t",
            "title": "t",
            "horizon": "2025-12-31",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "documents": [{"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"]}],
            "relations": [{"source": "a", "kind": "supports", "target": "b"}],
            "deadlines": [
                {
                    "id": "dl",
                    "set_by": "a",
                    "due": "2025-11-27",
                    "requirement": "b accepts plan",
                    "consequence": {
                        "mode": "threatened",
                        "effects": [
                            {
                                "kind": "set_relation",
                                "source": "a",
                                "relation": "supports",
                                "target": "b",
                                "active": False,
                            }
                        ],
                    },
                }
            ],
            "rules": [
                {
                    "id": "agree",
                    "when": "all required parties accept plan",
                    "then": [{"kind": "transition", "document": "plan", "trigger": "agree"}],
                }
            ],
            "timeline": [
                {"id": "p", "date": "2025-11", "kind": "propose", "by": "a", "document": "plan"},
                {
                    "id": "x",
                    "date": "2025-11-28",
                    "kind": "extend_deadline",
                    "by": "a",
                    "deadline": "dl",
                    "to": "2025-12-25",
                },
                {
                    "id": "acc",
                    "date": "2025-12-20",
                    "kind": "accept",
                    "by": ["a", "b"],
                    "document": "plan",
                },
                {
                    "id": "sg",
                    "date": "2025-12-21",
                    "kind": "sign",
                    "by": ["a", "b"],
                    "document": "plan",
                },
            ],
            "expect": [{"at": "2025-12-21", "that": "plan is signed and deadline dl is met"}],
        }
    )


def test_threatened_deadline_missed_then_extended_then_met() -> None:
    trace = Engine(_scenario()).run()
    kinds = [(e.date, e.kind, e.ref) for e in trace.entries]
    assert (dt.date(2025, 11, 27), "deadline", "dl") in kinds
    missed = next(e for e in trace.entries if e.kind == "deadline" and e.date.day == 27)
    assert "missed" in missed.summary
    # the consequence was only threatened: support still holds after the miss
    assert "a|supports|b" in trace.final.relations
    assert trace.final.deadlines["dl"].status.value == "met"
    ext = trace.final.deadlines["dl"].extensions
    assert len(ext) == 1 and ext[0].after_expiry
    assert trace.final.documents["plan"].state == "signed"
    assert trace.ok


def test_sign_blocked_until_all_required_accept() -> None:
    engine = Engine(_scenario())
    trace = engine.run(until=dt.date(2025, 12, 1))
    sign = engine.scenario.timeline[3]
    reasons = engine.check(trace.final, sign)
    assert any("has not accepted" in r for r in reasons)
    assert any("agreed_in_principle" in r for r in reasons)


def test_a_revision_lists_only_the_points_whose_status_changes() -> None:
    sc = Scenario.model_validate(
        {
            "id": "rev",
            "title": "revisions",
            "start": "2025-11-01",
            "parties": [{"id": "a", "name": "A"}],
            "documents": [
                {
                    "id": "plan",
                    "title": "Plan",
                    "initial_state": "under_negotiation",
                    "points": [
                        {"id": "p1", "summary": "One", "status": "agreed"},
                        {"id": "p2", "summary": "Two"},
                    ],
                }
            ],
            "timeline": [
                {
                    "kind": "revise",
                    "date": "2025-11-02",
                    "by": ["a"],
                    "document": "plan",
                    "points": {"p1": "agreed", "p2": "bracketed"},
                }
            ],
        }
    )
    entry = next(e for e in Engine(sc).run().entries if e.event_kind == "revise")
    assert [(c.what, c.before, c.after) for c in entry.changes] == [
        ("document plan", "under_negotiation", "revised"),
        ("point plan.p2", "open", "bracketed"),
    ]


def test_a_meeting_notes_who_attended_who_was_absent_and_what_was_discussed() -> None:
    trace = Engine(load_scenario("ukraine-2025-12")).run()
    meeting = next(e for e in trace.entries if e.event_kind == "meet" and "reconstruction"
                   in " ".join(e.reasons))
    assert meeting.reasons == (
        "attended: ukraine, united_states, blackrock",
        "absent: russia",
        "discussed: reconstruction",
    )
    assert meeting.changes == ()
