"""The record a breadth-first search of a scenario's space keeps (``explore`` fills it,
over engine nodes or compiled tuple states)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from negotiation.runtime import collect
from negotiation.runtime.compiled._base import Code
from negotiation.runtime.space import InvariantBreach, Space

F = TypeVar("F")
"""A frontier, as a search keeps it."""


@dataclass
class Found:
    """The first breach of an invariant: the state it was reached from and how."""

    parent: int
    code: Code | None
    breach: InvariantBreach


class SearchRecord:
    """What a breadth-first search has seen: every state's parent, the move that
    reached it and its root; invariant breaches, stuck states, outcomes, counts."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.seen: dict[Hashable, int] = {}
        self.parent: list[int] = []
        self.code: list[Code | None] = []
        self.roots: dict[int, int] = {}
        """The root (timeline) of each starting state; a state's is its start's
        (``root``)."""
        self.found: dict[str, Found] = {}
        self.stuck: list[tuple[int, str]] = []
        self.stuck_count = 0
        self.outcomes: dict[str, int] = {}
        self.transitions = 0
        self.depth = 0
        self.cut = 0
        self.count: int | None = None
        """The states found, when not every one is recorded here (a search on workers
        keeps here only the paths a result reports)."""

    @property
    def states(self) -> int:
        """How many states the search has found."""
        return len(self.parent) if self.count is None else self.count

    def attach(self, parent: int, code: Code) -> int:
        """Record a state found elsewhere, by its parent here and its move: its index
        here (it is not counted: ``count`` is)."""
        self.parent.append(parent)
        self.code.append(code)
        return len(self.parent) - 1

    def add(self, key: Hashable, parent: int, code: Code | None, root: int) -> int | None:
        """Record a state the first time it is reached (its index), or None; ``root``
        counts only for a starting state (``parent`` -1)."""
        if key in self.seen:
            return None
        index = len(self.parent)
        self.seen[key] = index
        self.parent.append(parent)
        self.code.append(code)
        if parent < 0:
            self.roots[index] = root
        return index

    def root(self, index: int) -> int:
        """The root (timeline) state ``index`` was reached in: its starting state's."""
        parent = self.parent
        while parent[index] >= 0:
            index = parent[index]
        return self.roots[index]

    def breach(self, parent: int, code: Code | None, breaches: list[InvariantBreach]) -> None:
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

    def by_levels(
        self,
        frontier: F,
        size: Callable[[F], int],
        level: Callable[[F], tuple[F, str | None]],
        max_depth: int | None,
        checkpoint: bool = True,
    ) -> str | None:
        """The breadth-first search itself, level by level: ``level(frontier)`` expands
        one level and gives the next frontier and why the search stops, if it does
        (``size`` says how many states a frontier holds). Stops at ``max_depth``, at
        the level's word, or on Ctrl-C; returns why it stopped (None: it ran out)."""
        stopped: str | None = None
        depth = 0
        try:
            while size(frontier) and stopped is None:
                if max_depth is not None and depth >= max_depth:
                    self.cut = size(frontier)
                    stopped = "max_depth"
                    break
                self.depth = depth
                frontier, stopped = level(frontier)
                if checkpoint:
                    collect.checkpoint()
                if size(frontier):
                    depth += 1
            self.depth = depth
        except KeyboardInterrupt:
            stopped = "interrupted"
        return stopped
