"""A loaded scenario holds one copy of each equal immutable value (``loader._compact``)."""

from __future__ import annotations

from negotiation import Engine
from negotiation.loader import load_text
from negotiation.loader._compact import compact
from negotiation.model.scenario import Scenario

TEXT = """\
id: demo
title: Demo
start: 2025-01-01
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - id: plan
    title: Plan
    requires_acceptance: [alpha, beta]
timeline:
  - {date: 2025-01-02, kind: propose, document: plan, by: [alpha]}
  - {date: 2025-01-02, kind: accept, document: plan, by: [beta]}
  - {date: 2025-01-02, kind: accept, document: plan, by: [alpha]}
  - {date: 2025-01, kind: accept, document: plan, by: [beta]}
"""


def test_a_loaded_scenario_shares_equal_dates_names_and_field_sets() -> None:
    sc = load_text(TEXT)
    first, second, third, fourth = sc.timeline
    assert first.date is second.date is third.date  # one FuzzyDate for 2025-01-02
    assert fourth.date is not first.date and fourth.date != first.date
    assert first.document is second.document  # one string for 'plan'
    assert second.__pydantic_fields_set__ is third.__pydantic_fields_set__
    assert second is not third  # events stay distinct objects (ordered by identity)


def test_compacting_changes_no_value() -> None:
    plain = Scenario.model_validate(load_text(TEXT).model_dump(by_alias=True))
    before = plain.model_dump_json()
    assert plain.timeline[0].date is not plain.timeline[1].date
    compact(plain)
    assert plain.timeline[0].date is plain.timeline[1].date
    assert plain.model_dump_json() == before
    assert plain == Scenario.model_validate(plain.model_dump(by_alias=True))


def test_a_run_shares_equal_strings_and_changes_among_its_entries() -> None:
    again = (
        "  - {date: 2025-01-04, kind: accept, document: plan, by: [beta]}\n"
        "  - {date: 2025-01-05, kind: reject, document: plan, by: [beta]}\n"
    )
    trace = Engine(load_text(TEXT.replace("2025-01, kind: accept", "2025-01-03, kind: reject")
                             + again))
    entries = trace.run().entries
    by_text: dict[str, object] = {}
    for e in entries:
        for text in (e.summary, e.date_display):
            assert by_text.setdefault(text, text) is text
    assert len({e.date_display for e in entries}) < len(entries)  # so some were shared
    changes = [c for e in entries for c in e.changes]
    for c in changes:
        assert all(c is d for d in changes if d == c)
    assert len(set(changes)) < len(changes)  # beta went from accepts to rejects twice
