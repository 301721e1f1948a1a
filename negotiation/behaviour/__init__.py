"""Behaviour: strategies that bargain, and the protocols they bargain by (floor 4,
beside ``analysis``, whose outcome spaces and utilities it uses). Pure: no I/O, no wall
clock, randomness only from a ``random.Random`` passed in.

* ``strategies``: the strategy family (time-based concession, hardliner, tit-for-tat,
  random, if-then responses) behind one protocol, and the acceptance rule AC_next.
* ``protocol``: what a bargaining run is made of (turns, outcome, transcript, sides),
  and a transcript as engine moves.
* ``live``: strategies acting inside the engine's run (``runtime.turns``): at each turn
  a seat reads the engine's state and its move is an offer event the runtime applies or
  refuses; ``next_move(seat, view, rng)`` is one turn, for play and the classroom.
* ``mediated``: single-text rounds inside the engine's run: a mediator drafts, the
  parties accept or reject, the mediator revises (its rule a labelled assumption).
* ``scenario``: the two sides of a scenario's declared strategies on a document, and
  ``simulate``: alternating offers between them inside the run.
* ``bargain``: the same run as a ``Trace`` of the timeline with the moves among its own
  events.
"""

from __future__ import annotations

from negotiation.behaviour.bargain import Bargain, bargain
from negotiation.behaviour.live import Bargaining, LiveRun, Seat, next_move, run_bargaining
from negotiation.behaviour.mediated import Mediation
from negotiation.behaviour.protocol import (
    BargainingOutcome,
    BargainingTurn,
    EngineMove,
    Side,
    Transcript,
    moves,
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
    "Bargaining",
    "BargainingOutcome",
    "BargainingTurn",
    "EngineMove",
    "Hardliner",
    "LiveRun",
    "Mediation",
    "Move",
    "MoveKind",
    "RandomOffers",
    "Ranking",
    "Responses",
    "Seat",
    "Side",
    "Strategy",
    "TimeBased",
    "TitForTat",
    "Transcript",
    "View",
    "bargain",
    "from_spec",
    "moves",
    "next_move",
    "run_bargaining",
    "time_fraction",
]
