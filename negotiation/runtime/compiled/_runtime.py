"""``Runtime``: a program's semantics over tuple states, assembled from its parts."""

from __future__ import annotations

from collections.abc import Iterable

from negotiation import conditions as cond
from negotiation.model.events import Event
from negotiation.runtime.compiled._acts import Acts
from negotiation.runtime.compiled._base import Op
from negotiation.runtime.compiled._clock import Clock
from negotiation.runtime.compiled._conditions import Conditions
from negotiation.runtime.compiled._decided import DecidedLater
from negotiation.runtime.compiled._layout import Layout
from negotiation.runtime.compiled._offers import Offers
from negotiation.runtime.compiled._participation import Participation
from negotiation.runtime.compiled._publish import Publication
from negotiation.runtime.compiled._settle import Settle
from negotiation.runtime.compiled._subs import Subs
from negotiation.runtime.compiled._votes import Votes
from negotiation.runtime.program import Program

RECENT_OPS = 64
"""How many events a runtime remembers the op of (``op_of``)."""


class Runtime(
    Layout, Conditions, Acts, Votes, Offers, Publication, Participation, DecidedLater, Clock,
    Settle,
):
    """Conditions, events, the clock and settling of one program, over working lists.

    ``carry_visited`` and ``visit_order``: whether a document's sub-state carries the
    states it visited, and in visiting order (else as a sorted set); ``sorted_points``:
    whether its points are kept sorted (else in the order first set); ``growable``:
    whether a position outside the layout gets a slot (else it is not compilable);
    ``nodes``: conditions beyond the program's own whose reads get slots. The engine
    keeps everything a ``State`` holds; a search merges states and keeps what its key
    hashes."""

    def __init__(
        self,
        program: Program,
        *,
        carry_visited: bool = True,
        visit_order: bool = True,
        sorted_points: bool = False,
        growable: bool = True,
        nodes: Iterable[cond.Node] = (),
    ) -> None:
        self.program = program
        self.scenario = program.scenario
        self.lifecycles = program.lifecycles
        self.subs = Subs()
        self._ops: list[Op] = []
        self._allowed: dict[str, dict[str, bool]] = {}
        self._op_memo = {}
        self._doc_parts = {}
        self.decision_preds = {}
        self._settle_known = False
        self.carry_visited = carry_visited
        self.visit_order = visit_order
        self.sorted_points = sorted_points
        self.growable = growable
        self._relevant = {
            lc_id: {k: tuple(lc.guard_indices(*k)) for k in lc.table}
            for lc_id, lc in self.lifecycles.items()
        }
        self._recent_ops: dict[int, tuple[Event, Op]] = {}
        self._layout(nodes)
        self._compile_participation()
        self._compile_clock()
        self._participation_reads()
        self._finish_ops()

    def op_of(self, event: Event) -> Op:
        """The op of an event, after giving the positions it names slots (an event from
        outside the scenario, a move a user types, may name new ones). Not kept beyond
        the last few events asked for: a run compiles each event as it comes, so that its
        ops do not outlive it; a menu checks a move and then applies the same event
        (events are frozen, so the op of the one remembered is the one asked for)."""
        recent = self._recent_ops
        got = recent.pop(id(event), None)
        if got is None or got[0] is not event:
            self.ensure(event)
            got = (event, self.op(event))
            if len(recent) >= RECENT_OPS:
                del recent[next(iter(recent))]  # the least recently used
        recent[id(event)] = got
        return got[1]
