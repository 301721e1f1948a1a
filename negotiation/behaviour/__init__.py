"""Behaviour: strategies that bargain, and the protocols they bargain by (floor 4,
beside ``analysis``, whose outcome spaces and utilities it uses). Pure: no I/O, no wall
clock, randomness only from a ``random.Random`` passed in.

* ``strategies``: the strategy family (time-based concession, hardliner, tit-for-tat,
  random, if-then responses) behind one protocol, and the acceptance rule AC_next.
* ``protocol``: alternating offers between two strategies on one document over calendar
  days, its transcript and outcome, and the transcript as engine moves.
* ``scenario``: the two sides of a scenario's declared strategies on a document.
* ``bargain``: those two strategies in the engine: their moves as offer events applied
  among the scenario's own, giving a ``Trace``.
"""

from __future__ import annotations

from negotiation.behaviour.bargain import Bargain, bargain
from negotiation.behaviour.protocol import (
    EngineMove,
    Outcome,
    Side,
    Transcript,
    Turn,
    moves,
    negotiate,
)
from negotiation.behaviour.strategies import (
    Hardliner,
    Move,
    MoveKind,
    RandomOffers,
    Ranking,
    Responses,
    Strategy,
    TimeBased,
    TitForTat,
    View,
    from_spec,
    time_fraction,
)

__all__ = [
    "Bargain",
    "EngineMove",
    "Hardliner",
    "Move",
    "MoveKind",
    "Outcome",
    "RandomOffers",
    "Ranking",
    "Responses",
    "Side",
    "Strategy",
    "TimeBased",
    "TitForTat",
    "Transcript",
    "Turn",
    "View",
    "bargain",
    "from_spec",
    "moves",
    "negotiate",
    "time_fraction",
]
