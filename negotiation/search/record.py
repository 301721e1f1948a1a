"""The record a breadth-first search of a scenario's space keeps (``explore`` fills it,
over engine nodes or compiled tuple states)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from negotiation.runtime.space import Breach, Code, Space


@dataclass
class Found:
    """The first breach of an invariant: the state it was reached from and how."""

    parent: int
    code: Code | None
    breach: Breach


class SearchRecord:
    """What a breadth-first search has seen: every state's parent, the move that
    reached it and its root; invariant breaches, stuck states, outcomes, counts."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.seen: dict[Hashable, int] = {}
        self.parent: list[int] = []
        self.code: list[Code | None] = []
        self.root: list[int] = []
        self.found: dict[str, Found] = {}
        self.stuck: list[tuple[int, str]] = []
        self.stuck_count = 0
        self.outcomes: dict[str, int] = {}
        self.transitions = 0
        self.depth = 0
        self.cut = 0

    def add(self, key: Hashable, parent: int, code: Code | None, root: int) -> int | None:
        if key in self.seen:
            return None
        index = len(self.parent)
        self.seen[key] = index
        self.parent.append(parent)
        self.code.append(code)
        self.root.append(root)
        return index

    def breach(self, parent: int, code: Code | None, breaches: list[Breach]) -> None:
        for b in breaches:
            self.found.setdefault(b.invariant, Found(parent, code, b))

    def codes(self, index: int) -> list[Code]:
        out: list[Code] = []
        while index >= 0:
            code = self.code[index]
            if code is None:
                break
            out.append(code)
            index = self.parent[index]
        return out[::-1]
