"""The runtime: a scenario's semantics over tuple states, written once.

``Runtime(program)`` compiles a ``Program`` (the scenario checked and its conditions
parsed) into a slot layout, conditions as closures over slot indices, one op per event
(check, reasons, change, and the description of its trace entry), the deadline clock
and settling. The engine (``runtime.engine``) runs it with a ``Recorder`` that writes
the trace and the history a ``State`` holds beyond the tuple; the search
(``runtime.compiled.space.CompiledSpace``, a ``Runtime`` with the search's steps) runs
it with none.

The tuple state (``S``; a ``W`` while it is being changed), slot by slot::

    root, cursor, taken, date (day ordinal), closed,
    one interned document sub-state id per document   (lifecycle state, points,
                                                        signed by, ratified by, visited,
                                                        agreed values, pending offer)
    one stance per (party, target) slot                (None: no position recorded)
    one bit mask of the relations that hold
    one day ordinal per fact                           (ABSENT: false; UNDATED: true
                                                        since an unknown day; UNKNOWN)
    one (status, due, opens, binding, cut-off passed) per deadline
    one int per rule                                   (2 * fired at least once + last)
    positions added later (a move from outside the scenario)

What no rule reads (step counter, versions, since-days of stances and relations,
extension history, anchors, resolution days, how often a rule fired) is the recorder's
``History``, not the tuple's. Explanations (why a move is blocked, why a condition is
false) are computed only when asked, by ``conditions.explain`` over a ``TupleView``.

The package, by concept: ``_base`` (tuple aliases, slot and status constants, the
compiled pieces: ops, deadline and rule infos, decisions, agenda items), ``_record``
(history and recorder), ``_parts`` (the attributes and cross-module methods the parts
share), ``_layout`` (the slot layout, interned document sub-states, encoding and
decoding states), ``_conditions`` (conditions as closures, ``TupleView``), ``_acts``
(document, stance, point, fact, relation and commitment events), ``_offers`` (the
offer protocol's events: offer, counter, accept, reject, walk away), ``_clock`` (deadlines:
compiling them, deadline events, anchoring, expiry, arriving, checkpoints), ``_settle``
(applying an event, settling: deadline updates and reactive rules), ``_runtime``
(``Runtime`` assembled); and for the search ``_steps`` (decisions and the successor
function), ``_outcomes`` (invariant breaches and outcome labels) and ``space``
(``CompiledSpace``, ``compile_space``), which ``negotiation.search`` walks.
"""

from __future__ import annotations

from negotiation.runtime.compiled._base import NotCompilableError
from negotiation.runtime.compiled._record import History, Pending, Recorder
from negotiation.runtime.compiled._runtime import Runtime

__all__ = ["History", "NotCompilableError", "Pending", "Recorder", "Runtime"]
