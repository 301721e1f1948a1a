"""A run's trace entries are built when read (``model.trace.Entries``): the trace reads,
compares, copies and dumps as the tuple of its entries did."""

from __future__ import annotations

import pickle

import pytest

from negotiation import Trace, TraceEntry
from negotiation.model.trace import Entries
from negotiation.runtime.compiled import Pending
from tests.conftest import engine_of, ev, run, scenario


def _run() -> Trace:
    return run(scenario(
        timeline=[ev("set_fact", "2025-11-02", fact="x"), ev("clear_fact", "2025-11-03", fact="x")],
        horizon="2025-11-30",
    ))


def test_a_run_builds_no_entry_until_one_is_read() -> None:
    trace = _run()
    items = trace.entries._items
    assert items and all(isinstance(e, Pending) for e in items)
    first = trace.entries[0]
    assert isinstance(first, TraceEntry)
    assert trace.entries[0] is first  # built once, then kept
    assert isinstance(items[0], TraceEntry) and isinstance(items[-1], Pending)


def test_entries_read_like_the_tuple_of_them() -> None:
    trace = _run()
    built = tuple(trace.entries)
    assert all(isinstance(e, TraceEntry) for e in built)
    assert len(trace.entries) == len(built)
    assert trace.entries == built and built == trace.entries
    assert trace.entries[1:] == built[1:] and trace.entries[-1] is built[-1]
    assert [e.seq for e in built] == list(range(1, len(built) + 1))
    assert hash(trace.entries) == hash(built)
    assert repr(trace.entries) == repr(built)


def test_a_trace_dumps_as_one_made_of_built_entries() -> None:
    lazy = engine_of("ukraine-2025-12").run()
    eager = engine_of("ukraine-2025-12").run()
    made = Trace(**{**dict(eager), "entries": tuple(eager.entries)})  # a tuple is accepted
    assert isinstance(made.entries, Entries)
    assert lazy.model_dump_json() == made.model_dump_json()
    assert lazy.model_dump(mode="json") == made.model_dump(mode="json")
    assert lazy == made


def test_a_trace_survives_pickling_and_copying() -> None:
    trace = _run()
    back = pickle.loads(pickle.dumps(trace))
    assert back == trace and tuple(back.entries) == tuple(trace.entries)
    assert trace.model_copy(deep=True) == trace


def test_entries_refuse_what_is_not_an_entry() -> None:
    trace = _run()
    with pytest.raises(ValueError, match="entries"):
        Trace(**{**dict(trace), "entries": ({"seq": "not a number"},)})
