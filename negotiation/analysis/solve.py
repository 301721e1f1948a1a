"""Alternating offers over a split of a unit pie, solved by backward induction.

Two players take turns: in round 1 the first mover proposes a split, the other accepts
or rejects; after a rejection the roles swap and the next round begins, until round
``rounds``, after which a rejection leaves both with nothing. Player i values a share
x received in round t at ``x * delta_i ** (t - 1)``. Offers lie on a grid of ``grid``
steps (shares k / grid).

Backward induction: in the last round the proposer keeps everything (the responder
accepts 0, since rejecting also gives 0). In an earlier round the responder accepts
any share at least worth what it gets by rejecting (its value as the next round's
proposer, discounted once); the proposer offers the smallest such grid share, unless
waiting is worth more to it. Ties go to acceptance. The first mover's share converges
to Rubinstein's (1982) subgame-perfect share ``(1 - d2) / (1 - d1 * d2)`` (``d1`` its
own factor) as the horizon grows and the grid gets finer, with agreement in round 1.

The game has no document states and no facts: from a scenario, ``scenario_factors``
reads the two parties' discount factors alone. What an interest values beside the
points (``Interest.states``, ``facts``) counts in the ZOPA (``zopa``), not here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from negotiation.model.errors import AnalysisError
from negotiation.runtime.engine import Engine

MAX_ROUNDS = 100_000
MAX_GRID = 10_000_000


@dataclass(frozen=True)
class Solution:
    """The subgame-perfect outcome of a finite alternating-offers game."""

    delta1: float
    delta2: float
    rounds: int
    grid: int
    first: int  # 1 or 2: who proposes in round 1
    shares: tuple[float, float]  # each player's share of the pie in the agreement
    agreement_round: int

    @property
    def first_share(self) -> float:
        """The first mover's share of the pie."""
        return self.shares[self.first - 1]

    @property
    def rubinstein(self) -> float:
        """Rubinstein's infinite-horizon share of the first mover."""
        return rubinstein_share(*self.factors)

    @property
    def factors(self) -> tuple[float, float]:
        """(the first mover's discount factor, the other's)."""
        return (self.delta1, self.delta2) if self.first == 1 else (self.delta2, self.delta1)


def rubinstein_share(d_first: float, d_second: float) -> float:
    """The first mover's subgame-perfect share with infinite horizon: (1 - d2) / (1 - d1 d2)."""
    return (1 - d_second) / (1 - d_first * d_second)


def solve(
    delta1: float, delta2: float, rounds: int = 100, grid: int = 10_000, first: int = 1
) -> Solution:
    """Solve the game by backward induction (see the module docstring)."""
    for name, d in (("delta1", delta1), ("delta2", delta2)):
        if not 0.0 < d < 1.0:
            raise AnalysisError(f"{name} must be a discount factor between 0 and 1, got {d:g}")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise AnalysisError(f"rounds must be from 1 to {MAX_ROUNDS:,}, got {rounds}")
    if not 1 <= grid <= MAX_GRID:
        raise AnalysisError(f"grid must be from 1 to {MAX_GRID:,}, got {grid}")
    if first not in (1, 2):
        raise AnalysisError(f"first must be 1 or 2, got {first}")
    deltas = {1: delta1, 2: delta2}
    second = 3 - first
    # the subgame from round r: (proposer's payoff, responder's payoff, agreement round),
    # payoffs in round-r units; after the last round nobody gets anything
    proposer_value, responder_value, agreed = 0.0, 0.0, rounds + 1
    for r in range(rounds, 0, -1):
        proposer = first if r % 2 == 1 else second
        responder = 3 - proposer
        # rejecting makes the responder the next round's proposer, and vice versa
        keep_responder = deltas[responder] * proposer_value if r < rounds else 0.0
        keep_proposer = deltas[proposer] * responder_value if r < rounds else 0.0
        offer = math.ceil(keep_responder * grid - 1e-9) / grid
        if 1.0 - offer >= keep_proposer:
            proposer_value, responder_value, agreed = 1.0 - offer, offer, r
        else:  # waiting is worth more to the proposer: no acceptable offer is made
            proposer_value, responder_value = keep_proposer, keep_responder
    # undo the discounting of the agreement round to give shares of the pie
    first_payoff, second_payoff = proposer_value, responder_value
    shares = {
        first: first_payoff / deltas[first] ** (agreed - 1),
        second: second_payoff / deltas[second] ** (agreed - 1),
    }
    return Solution(delta1, delta2, rounds, grid, first, (shares[1], shares[2]), agreed)


def scenario_factors(engine: Engine, document: str | None = None) -> tuple[tuple[str, float], ...]:
    """The two parties with interests in a document and their daily discount factors,
    in the order of the scenario's interests (an ``AnalysisError`` if not exactly two,
    or if one has no ``discount``)."""
    interests = [
        x for x in engine.scenario.interests if document is None or x.document == document
    ]
    docs = sorted({x.document for x in interests})
    if not interests:
        where = f"document {document!r}" if document else "any document"
        raise AnalysisError(f"scenario {engine.scenario.id!r} declares no interests in {where}")
    if len(docs) > 1:
        raise AnalysisError(f"name a document: interests value {', '.join(docs)}")
    if len(interests) != 2:
        raise AnalysisError(
            f"alternating offers need two parties; {len(interests)} have interests in {docs[0]}"
        )
    out = []
    for x in interests:
        if x.delay is None or x.delay.discount is None:
            raise AnalysisError(
                f"the interest of {x.party} in {x.document} has no daily discount factor "
                "(delay: {discount: ...}); give --delta1 and --delta2 instead"
            )
        out.append((x.party, x.delay.discount))
    return tuple(out)
