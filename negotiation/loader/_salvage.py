"""What is left to check of a file the models refuse: the whole-scenario checks run on
the rest, so one pass reports a wrong type *and* an unknown name further down.

The data is repaired the least that makes it validate: an unknown field is dropped from
its item; an item (of a top-level list) with any other problem is left out whole; a
top-level value with a problem is left out (``id`` and ``title`` get stand-ins). Then
``check_scenario`` runs on what remains, and of its problems are kept those that cannot
come from the repair: none that quotes the id of an item left out (``unknown party
'beta'`` when ``beta``'s entry was refused), none inside an item that lost an unknown
field, and none at all when a whole list of named items was left out. Each kept
problem's path is turned back into the file's (an index in a list that lost items names
the item the file has there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from negotiation.loader._extends import CORRECTABLE
from negotiation.model.errors import Location, Problem
from negotiation.model.scenario import Scenario
from negotiation.runtime.validate import check_scenario

MAX_ROUNDS = 5
"""How many times the repaired data is validated again before giving up."""

_STAND_INS = {"id": "scenario", "title": "scenario"}


class _Repair:
    def __init__(self, data: dict[Any, Any]) -> None:
        self.data = data
        self.kept: dict[Any, list[int]] = {
            k: list(range(len(v))) for k, v in data.items() if isinstance(v, list)
        }
        self.left_out: set[str] = set()  # ids of the items left out
        self.whole = False  # a whole list was left out: its names are all unknown
        self.touched: set[tuple[Any, int]] = set()  # items that lost a field (file's index)

    def apply(self, error: ValidationError) -> bool:
        """Repair what ``error`` points at; False if something cannot be repaired."""
        items: set[tuple[Any, int]] = set()
        for err in error.errors(include_url=False):
            loc = err["loc"]
            if not loc:
                return False
            if err["type"] == "extra_forbidden" and len(loc) > 2 and self._drop_field(loc):
                continue
            key = loc[0]
            value = self.data.get(key)
            if len(loc) > 1 and isinstance(value, list) and type(loc[1]) is int:
                items.add((key, loc[1]))
            elif key in _STAND_INS:
                self.data[key] = _STAND_INS[key]
            else:
                self.whole = self.whole or key in CORRECTABLE  # a list of named items
                self.data.pop(key, None)
        for key, index in sorted(items, reverse=True):  # the last first: indices hold
            item = self.data[key].pop(index)
            del self.kept[key][index]
            self.left_out |= _ids(item)
        return True

    def _drop_field(self, loc: Sequence[Any]) -> bool:
        """Drop the unknown field ``loc`` names (skipping union tags not in the data)."""
        node: Any = self.data
        for seg in loc[:-1]:
            inside = isinstance(node, list) and type(seg) is int and 0 <= seg < len(node)
            if inside or (isinstance(node, dict) and seg in node):
                node = node[seg]
        if isinstance(node, dict) and loc[-1] in node:
            del node[loc[-1]]
            kept = self.kept.get(loc[0])
            if kept is not None and type(loc[1]) is int and loc[1] < len(kept):
                self.touched.add((loc[0], kept[loc[1]]))
            return True
        return False

    def path(self, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """A path in the repaired data as the file's path."""
        kept = self.kept.get(path[0]) if path else None
        if kept is None or len(path) < 2 or type(path[1]) is not int or path[1] >= len(kept):
            return path
        return (path[0], kept[path[1]], *path[2:])

    def may_come_from_the_repair(self, problem: Problem) -> bool:
        """A problem in an item that lost a field, or that quotes an item left out."""
        if tuple(problem.location.path[:2]) in self.touched:
            return True
        return any(f"'{name}'" in problem.message for name in self.left_out)


def _ids(value: Any) -> set[str]:
    """Every ``id`` inside a value (an item and the items it holds)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, str):
                found.add(ident)
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return found


def salvaged_problems(data: dict[Any, Any], error: ValidationError) -> list[Problem]:
    """The whole-scenario problems of the data ``error`` was raised on, repaired (see
    the module docstring); path-only, like ``check_scenario``'s. ``data`` is changed."""
    repair = _Repair(data)
    for _ in range(MAX_ROUNDS):
        if not repair.apply(error):
            return []
        try:
            scenario = Scenario.model_validate(repair.data)
        except ValidationError as again:
            error = again
            continue
        if repair.whole:
            return []
        found = [
            Problem(Location(path=repair.path(p.location.path)), p.message, p.offset)
            for p in check_scenario(scenario)
        ]
        return [p for p in found if not repair.may_come_from_the_repair(p)]
    return []
