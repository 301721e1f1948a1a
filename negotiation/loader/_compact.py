"""One copy of each equal value in a loaded scenario.

A validated scenario holds, for each event, its own field-name set (pydantic keeps one
per model object), its own ``FuzzyDate`` and dates, and its own copy of every string
the YAML parser read (``d5``, ``propose``). A file of 100,000 events repeats the same
few thousand of these. ``compact`` makes equal ones one object: the values, and so the
scenario's JSON, are unchanged; only the memory goes (about 40 % of a loaded scenario).

Only immutable values are shared: strings, dates, the field-name sets of frozen models
(pydantic copies a set before it changes one) and ``FuzzyDate`` (a frozen model of
hashable fields). Events and other models stay distinct objects: the engine orders
events by identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from negotiation.model.dates import FuzzyDate


class _Sharing:
    __slots__ = ("fields", "values")

    def __init__(self) -> None:
        self.fields: dict[tuple[type, frozenset[str]], set[str]] = {}
        self.values: dict[Any, Any] = {}

    def model(self, obj: BaseModel) -> BaseModel:
        d = obj.__dict__
        for k, v in d.items():
            t = type(v)
            if t is str or t is dt.date:
                got = self.values.setdefault(v, v)
            elif t is bool or t is int or v is None:
                continue
            else:
                got = self.value(v)
            if got is not v:
                d[k] = got
        names = obj.__pydantic_fields_set__
        key = (type(obj), frozenset(names))
        shared = self.fields.setdefault(key, names)
        if shared is not names:
            object.__setattr__(obj, "__pydantic_fields_set__", shared)
        if type(obj) is FuzzyDate:
            return self.values.setdefault((FuzzyDate, *d.values()), obj)  # type: ignore[no-any-return]
        return obj

    def value(self, v: Any) -> Any:
        t = type(v)
        if t is str or t is dt.date:
            return self.values.setdefault(v, v)
        if isinstance(v, BaseModel) and v.model_config.get("frozen"):
            return self.model(v)
        if t is list:
            for i, x in enumerate(v):
                got = self.value(x)
                if got is not x:
                    v[i] = got
            return v
        if t is tuple:
            items = tuple(self.value(x) for x in v)
            return v if all(a is b for a, b in zip(items, v, strict=True)) else items
        if t is dict:
            for k, x in v.items():
                got = self.value(x)
                if got is not x:
                    v[k] = got
            return v
        return v


def compact(obj: BaseModel) -> None:
    """Share equal immutable values inside ``obj`` (a frozen model), in place."""
    _Sharing().model(obj)


__all__ = ["compact"]
