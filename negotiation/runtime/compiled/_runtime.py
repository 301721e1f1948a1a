"""``Runtime``: a program's semantics over tuple states, assembled from its parts."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from negotiation import conditions as cond
from negotiation.model.events import Event
from negotiation.runtime.compiled._acts import Acts, _frozen
from negotiation.runtime.compiled._base import Op
from negotiation.runtime.compiled._clock import Clock
from negotiation.runtime.compiled._conditions import Conditions
from negotiation.runtime.compiled._decided import DecidedLater
from negotiation.runtime.compiled._layout import Layout
from negotiation.runtime.compiled._offers import Offers
from negotiation.runtime.compiled._participation import Participants
from negotiation.runtime.compiled._publish import Publication
from negotiation.runtime.compiled._settle import Settle
from negotiation.runtime.compiled._subs import Subs
from negotiation.runtime.compiled._votes import Votes
from negotiation.runtime.program import Program

RECENT_OPS = 64
"""How many events a runtime remembers the op of, by the event (``op_of``)."""
KEPT_OPS = 4096
"""How many ops a runtime keeps by their event's content (``op_of``)."""


class Runtime(
    Layout, Conditions, Acts, Votes, Offers, Publication, Participants, DecidedLater, Clock,
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
        self._ops_by_content: dict[Hashable, Op] = {}
        self._layout(nodes)
        self._compile_participation()
        self._compile_clock()
        self._participation_reads()
        self._finish_ops()

    def op_of(self, event: Event) -> Op:
        """The op of an event, after giving the positions it names slots (an event from
        outside the scenario, a move a user types, may name new ones). Kept for the last
        events asked for, by the event itself (a menu checks a move, then applies the
        same event) and by its content (a classroom builds a day's candidate moves again
        for every state of the day): events are frozen, so an equal event has an equal
        op. A run compiles each event as it comes, so that its ops do not outlive it."""
        recent = self._recent_ops
        got = recent.pop(id(event), None)
        if got is None or got[0] is not event:
            key = _content(event)
            op = None if key is None else self._ops_by_content.get(key)
            if op is None:
                self.ensure(event)
                op = self.op(event)
                if key is not None:
                    _keep(self._ops_by_content, key, op, KEPT_OPS)
            got = (event, op)
        _keep(recent, id(event), got, RECENT_OPS)
        return got[1]


def _content(event: Event) -> Hashable | None:
    """An event's whole content as a key (None: a value that cannot be hashed)."""
    key = (type(event), _frozen(list(event.__dict__.values())))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _keep(kept: dict[Any, Any], key: Any, value: Any, most: int) -> None:
    """Keep ``value`` as the most recently used, the least recently used out past
    ``most``."""
    kept.pop(key, None)
    if len(kept) >= most:
        del kept[next(iter(kept))]
    kept[key] = value
