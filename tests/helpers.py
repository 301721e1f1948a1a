"""Small builders for scenarios used across the engine tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter

from negotiation import Engine, Event, Scenario, Trace

_EVENT: TypeAdapter[Event] = TypeAdapter(Event)

D = dt.date


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def scenario(**parts: Any) -> Scenario:
    """A two-party scenario with one document ``plan``; ``parts`` add or replace fields."""
    data: dict[str, Any] = {
        "id": "t",
        "title": "test",
        "start": "2025-11-01",
        "parties": [
            {"id": "a", "name": "A", "bodies": [{"id": "parliament", "name": "Parliament"}]},
            {"id": "b", "name": "B"},
        ],
        "documents": [{"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"]}],
        "facts": [{"id": "x"}, {"id": "y"}],
    }
    data.update(parts)
    return Scenario.model_validate(data)


def run(sc: Scenario, until: str | None = None) -> Trace:
    return Engine(sc).run(until=day(until) if until else None)


def ev(kind: str, date: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "date": date, **fields}


def status(trace: Trace, deadline: str) -> str:
    return trace.final.deadlines[deadline].status.value


def event(kind: str, date: str | None = None, **fields: Any) -> Event:
    """An Event model from keyword fields."""
    data: dict[str, Any] = {"kind": kind, **fields}
    if date is not None:
        data["date"] = date
    return _EVENT.validate_python(data)
