"""What the search's parts of ``CompiledSpace`` (``_steps``, ``_outcomes``) share beyond
the runtime's: the attributes ``CompiledSpace.__init__`` sets."""

from __future__ import annotations

from collections.abc import Callable

from negotiation.runtime.compiled._base import (
    DeadlineMoves,
    Decision,
    DocMoves,
    Pred,
    RootInfo,
    S,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.space import Space


class SearchParts(Parts):
    """The shared attributes of a compiled space (declarations only)."""

    space: Space
    _party_moves: dict[str, tuple[list[DocMoves], list[DeadlineMoves]]]
    max_moves: int
    project: bool
    when: list[tuple[int, Pred, Decision]]
    roots: list[RootInfo]
    invariants: list[tuple[Pred, frozenset[int]]]
    """Each declared invariant's test and the roots (timelines) it holds in."""
    initial_names: dict[int, str]
    end_key: Callable[[S], tuple[S, S]]
    """What a terminal state's outcome label reads: its document and deadline slots (the
    searches count terminal states by it, and label each key once; ``Outcomes._end_key``)."""
    _outcomes: dict[tuple[S, S], str]
    _risky: dict[tuple[int, int, int], tuple[str, ...]]
    risky_steps: dict[S, dict[S, bool]]
    """Whether a step between two tuples of document slots risks a built-in invariant
    (``Outcomes.risks``, kept by the first, then the second): a search may read it
    before asking ``moved_breaches``, which asks nothing more of a pair kept False."""
