"""A compiled state space: the explorer's space (``_space.Space``) over plain tuples.

``compile_space(space)`` turns a scenario whose conditions and effects it understands
into a tuple state and a successor function that mirror ``Space.expand`` step for step
(the same steps: the next scripted event, an option of a decision point, closing a day,
moving the clock to the next checkpoint; the same edge codes, in the same order). It
returns None for anything outside that subset, and the explorer then uses the engine.

The tuple state (``S``), slot by slot::

    root, cursor, taken, date (day ordinal), closed,
    one interned document sub-state id per document   (lifecycle state, points,
                                                        signed by, ratified by, visited)
    one stance per (party, target) slot                (None: no position recorded)
    one bit mask of the relations that hold
    one day ordinal per fact                           (ABSENT: false; UNDATED: true
                                                        since an unknown day)
    one (status, due, opens, binding, cut-off passed) per deadline
    one int per rule                                   (2 * fired at least once + last)

It carries exactly what ``SpaceNode.key()`` hashes (``State.key()`` plus root, cursor and
mask), so equal tuples are equal nodes and vice versa; what the key leaves out and the
semantics never read (step counter, versions, since-days of stances and relations,
extension history, anchors and resolution days) is not carried. How
``DocumentState.visited`` is hashed is read from ``State.key()`` itself: as a set (the
tuple carries it sorted), in visiting order (carried in order), or not at all (then it
is carried only if a condition reads it, ``has reached``, and ``CompiledSpace.key``
projects it away so that states are merged as the engine's explorer merges them).

Conditions are compiled to closures over slot indices (no syntax tree at run time);
lifecycle moves come from ``Lifecycle.table``; deadline semantics (pending, open, met,
early, missed, expired; automatic and threatened consequences; windows, anchors by date,
condition or event; extensions, conditional extensions) and reactive rules mirror
``_clock.Clock``, ``_acts.Acts`` and ``Engine.settle``. Engine ``State``s are built only
at the edges (``decode``): for outcome labels' reasons, invariant explanations, stuck
reasons and counterexample paths, which the explorer replays through the engine.

The package, by concept: ``_base`` (tuple aliases, slot and status constants, the
compiled pieces: ops, deadline and rule infos, decisions, agenda items),
``_parts`` (the attributes and cross-module methods the parts share), ``_layout``
(the slot layout, interned document sub-states, encoding and decoding engine nodes),
``_conditions`` (conditions as closures), ``_acts`` (document, stance, point, fact,
relation and commitment events), ``_clock`` (deadlines: compiling them, deadline
events, anchoring, expiry, arriving, checkpoints), ``_settle`` (applying an event,
settling: deadline updates and reactive rules), ``_steps`` (decisions and the successor
function), ``_outcomes`` (invariant breaches and outcome labels), ``_space``
(``CompiledSpace`` assembled, ``compile_space``); ``negotiation.search.compiled_bfs``
searches it.
"""

from __future__ import annotations

from negotiation.runtime.compiled._base import NotCompilableError
from negotiation.runtime.compiled._space import CompiledSpace, compile_space

__all__ = ["CompiledSpace", "NotCompilableError", "compile_space"]
