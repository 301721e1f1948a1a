"""``CompiledSpace``: the parts assembled; ``compile_space``."""

from __future__ import annotations

from collections.abc import Hashable

from negotiation.runtime.compiled._acts import Acts
from negotiation.runtime.compiled._base import DeadlineMoves, DocMoves, NotCompilableError, Op
from negotiation.runtime.compiled._clock import Clock
from negotiation.runtime.compiled._conditions import Conditions
from negotiation.runtime.compiled._layout import Layout, _visited_in_key
from negotiation.runtime.compiled._outcomes import Outcomes
from negotiation.runtime.compiled._settle import Settle
from negotiation.runtime.compiled._steps import Steps
from negotiation.runtime.compiled._subs import Subs
from negotiation.runtime.space import Space


class CompiledSpace(Layout, Conditions, Acts, Clock, Settle, Steps, Outcomes):
    """Successors, invariants and outcomes of ``space`` over tuple states."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.program = space.engine.program
        self.scenario = space.scenario
        self.lifecycles = self.program.lifecycles
        self.subs = Subs()
        self._ops: list[Op] = []
        self._party_moves: dict[str, tuple[list[DocMoves], list[DeadlineMoves]]] = {}
        self.max_moves = 0  # a bound on the candidate moves of any free decision
        in_key, ordered = _visited_in_key(space.start)
        self.visit_order = ordered  # else visited is carried as a sorted tuple (a set)
        self.carry_visited = in_key or self._reads_visited()
        self.project = self.carry_visited and not in_key
        self._relevant = {
            lc_id: {k: tuple(lc.guard_indices(*k)) for k in lc.table}
            for lc_id, lc in self.lifecycles.items()
        }
        self._layout()
        self._compile_clock()
        self.when = [(1 << i, self.pred(test), self.decision(dp))
                     for i, (dp, test) in enumerate(space.when)]
        self.roots = [self._root(r) for r in space.roots]
        self.invariants = [self.pred(test) for _, test in space.invariants]
        self._finish_ops()
        self._outcomes: dict[Hashable, str] = {}
        self._risky: dict[tuple[int, int, int], str] = {}


def compile_space(space: Space) -> CompiledSpace | None:
    """The compiled space of ``space``, or None when the scenario is outside the subset."""
    try:
        compiled = CompiledSpace(space)
        for node in space.initial():
            compiled.encode(node)
    except NotCompilableError:
        return None
    return compiled
