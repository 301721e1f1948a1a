"""Small builders for scenarios used across the engine tests."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from pydantic import TypeAdapter

from negotiation import Engine, Event, Scenario, Trace

_EVENT: TypeAdapter[Event] = TypeAdapter(Event)

D = dt.date


class Core12Loader(yaml.SafeLoader):
    """PyYAML reading the YAML 1.2 core schema, as editors do, independently of the
    package's own reader: only true/false are booleans (``on``, ``yes`` stay words), no
    timestamps (dates stay text), 1.2 integers and floats, no merge key (``<<`` is a
    plain key). Tags it does not know are refused, as SafeLoader refuses them."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # replaced, not inherited


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Core12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """1.2 integers: ``0o17`` and ``0x1f``; otherwise decimal (``0777`` is 777)."""
    text = str(loader.construct_scalar(node))
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)


Core12Loader.add_constructor("tag:yaml.org,2002:int", _core_int)



def load_yaml12(text: str) -> Any:
    """The data of a YAML text under the YAML 1.2 core schema (see ``Core12Loader``)."""
    return yaml.load(text, Loader=Core12Loader)


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
