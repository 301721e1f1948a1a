"""Interned document sub-states: a document's part of the tuple state is an int."""

from __future__ import annotations

from dataclasses import dataclass, replace

Items = tuple[tuple[str, str], ...]
Pending = tuple[str, Items] | None
"""The offer on the table: (party, its package as (point, option text) items in the
document's order of points)."""
Standings = tuple[tuple[str, str, int, int | None], ...]
"""Standings events gave parties in a document, sorted by party: (party, status, since
ordinal, effective ordinal of a notified withdrawal)."""


@dataclass(frozen=True, slots=True)
class Sub:
    state: str
    points: tuple[tuple[str, str], ...]  # sorted (point, status) items
    signed_by: tuple[str, ...]
    ratified_by: tuple[str, ...]
    visited: tuple[str, ...]  # () when visited is not carried
    values: Items = ()  # (point, agreed option text) items, ordered like points
    offer: Pending = None
    texts: Items = ()  # (point, text) items set by publish_points and amend_point
    parties: Standings = ()  # (party, standing, since, effective) where an event set it
    failed: tuple[str, ...] = ()  # whose ratification vote failed (and not ratified since)
    to: tuple[str, ...] = ()  # the parties a single text on the table is put to (sorted)
    accepted: tuple[str, ...] = ()  # which of them have accepted it (sorted)


class Subs:
    """Interned document sub-states: a sub-state is an int in the tuple state."""

    def __init__(self) -> None:
        self.items: list[Sub] = []
        self.ids: dict[Sub, int] = {}
        self.state: list[str] = []
        self.points: list[dict[str, str]] = []
        self.key: list[int] = []  # id of the same sub-state without visited

    def intern(self, sub: Sub) -> int:
        found = self.ids.get(sub)
        if found is not None:
            return found
        index = len(self.items)
        self.items.append(sub)
        self.ids[sub] = index
        self.state.append(sub.state)
        self.points.append(dict(sub.points))
        self.key.append(index)
        if sub.visited:
            bare = replace(sub, visited=())
            self.key[index] = self.intern(bare)
        return index
