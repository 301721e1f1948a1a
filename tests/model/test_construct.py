"""The engine's fast constructor gives the same models as pydantic's model_construct."""

from __future__ import annotations

import datetime as dt

from negotiation import Engine, State, TraceEntry
from negotiation.model._base import construct
from negotiation.runtime.compiled._record import _entry as entry
from tests.conftest import ev, run, scenario


def test_construct_matches_model_construct() -> None:
    state = Engine(scenario()).initial_state()
    values = {name: getattr(state, name) for name in State.model_fields}
    fast, slow = construct(State, dict(values)), State.model_construct(**values)
    assert fast == slow
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.key() == slow.key()
    assert fast.model_fields_set == slow.model_fields_set


def test_engine_entries_equal_validated_ones() -> None:
    trace = run(scenario(timeline=[ev("set_fact", "2025-11-02", fact="x")], horizon="2025-11-30"))
    for e in trace.entries:
        assert TraceEntry.model_validate(e.model_dump()) == e
    made = entry(
        seq=1,
        date=dt.date(2025, 1, 1),
        date_display="2025-01-01",
        kind="rule",
        ref="r",
        event_kind=None,
        summary="s",
        by=(),
        attribution=None,
        assumption=None,
        changes=(),
        reasons=(),
        fired=(),
        cause=None,
    )
    assert set(made.model_dump()) == set(TraceEntry.model_fields)
    runtime = Engine(scenario()).runtime
    assert runtime.decode_state(*runtime.encode_state(trace.final)) == trace.final
